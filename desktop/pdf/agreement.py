"""The printed 门前三包责任书 (responsibility agreement)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from ..domain.agreements import AgreementRow, DutyItem
from ..domain.office import OfficeData
from .dates import cn_date
from .layout import TEXT_WIDTH, Run, Styles, p

CN_NUMBERS = "一二三四五六七八九十"


def _v(text: str) -> Run:
    return Run(text, underline=True)


def agreement_story(row: AgreementRow, office: OfficeData, duties: Sequence[DutyItem],
                    st: Styles, *, copies: int | None = None) -> list[Flowable]:
    """One agreement as flowables; long area texts flow on to a second page."""
    copies = copies or office.agreement_copies
    chosen = [d for d in duties if d.key in row.duties]
    kind = "门前五包" if row.five_duties else "门前三包"
    story: list[Flowable] = [
        p(office.name, st.heading),
        p(f"{kind}责任书", st.title),
        p(row.number or "（草稿，未编号）", st.number),
        p(["甲方：", _v(office.name)], st.body_noindent),
        p(["乙方：", _v(row.business)], st.body_noindent),
    ]
    if row.operator:
        story.append(p(f"经营者：{row.operator}", st.body_noindent))
    if row.credit_code:
        story.append(p(f"统一社会信用代码：{row.credit_code}", st.body_noindent))
    story.append(p(f"经营地址：{row.address or '—'}", st.body_noindent))
    story.append(p(
        "为创造整洁、优美、文明、有序的市容环境，落实沿街单位和个体工商户门前责任区管理制度，"
        "根据《城市市容和环境卫生管理条例》及本市有关规定，甲乙双方经协商，签订本责任书。",
        st.body))
    sections: list[tuple[str, list[Flowable]]] = []
    area = row.area_description().rstrip("。；，;,. ") or "—"
    size = []
    if row.frontage_length_m:
        size.append(f"门前长度约{row.frontage_length_m:g}米")
    if row.area_m2:
        size.append(f"面积约{row.area_m2:g}平方米")
    area_text = area + ("；" + "，".join(size) if size else "") + "。"
    sections.append(("责任区范围", [p(f"乙方门前责任区为：{area_text}", st.body)]))
    duty_paras = [p(f"（{CN_NUMBERS[i]}）{d.title}：{d.text}", st.body) for i, d in enumerate(chosen)]
    sections.append(("责任内容", duty_paras))
    sections.append(("甲方职责", [p(
        "甲方负责对乙方履行门前责任的情况进行宣传、指导、监督和检查，及时协调解决责任区管理中的"
        "问题，对履行责任好的予以表扬。", st.body)]))
    sections.append(("违约责任", [p(
        "乙方未按本责任书履行责任的，由甲方责令其限期改正；逾期不改正的，由城市管理综合执法部门"
        "依照有关法律、法规和规章的规定予以处罚。", st.body)]))
    sections.append(("责任期限", [p(
        f"本责任书自{cn_date(row.start_date)}起至{cn_date(row.end_date)}止。期满前由甲乙双方续签。",
        st.body)]))
    for index, (heading, paras) in enumerate(sections):
        first, *rest = paras
        # A section heading never stands alone at the foot of a page.
        story.append(KeepTogether([p(f"{CN_NUMBERS[index]}、{heading}", st.label), first]))
        story.extend(rest)
    holders = "甲乙双方各执一份" if copies == 2 else "甲乙双方各执一份，社区留存一份"
    story.append(p(f"{CN_NUMBERS[len(sections)]}、本责任书一式{'两' if copies == 2 else '三'}份，"
                   f"{holders}，自双方签字盖章之日起生效。", st.body_noindent))
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether(_signatures(row, office, st)))
    return story


def _signatures(row: AgreementRow, office: OfficeData, st: Styles) -> list[Flowable]:
    # Form-sized type keeps both parties' blocks on the page that ends the text.
    cell = st.table_cell
    signed = cn_date(row.signed_date)
    left = [p("甲方（盖章）：", cell), p(office.name, cell),
            p(["代表人：", _v(row.office_signatory or "　　　　")], cell), p(signed, cell)]
    right = [p("乙方（盖章）：", cell), p(row.business, cell),
             p(["经营者：", _v(row.business_signatory or "　　　　")], cell), p(signed, cell)]
    table = Table([[left, right]], colWidths=[TEXT_WIDTH / 2, TEXT_WIDTH / 2])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("FONT", (0, 0), (-1, -1), st.fonts.body, 12),
    ]))
    return [table]
