"""The printed 责令(限期)改正通知书, laid out like the official form."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..domain.notices import NoticeRow, citations
from .dates import cn_date
from .layout import TEXT_WIDTH, Run, Styles, blank, checkbox, copies_note, p, signature_block

TITLE = "责令（限期）改正通知书"
COPIES_NOTE = "本通知书一式两份，一份存档，一份交当事人。"
# The copy label printed at the top right when a notice is printed once per holder.
COPY_LABELS = {2: ("第一联　存档", "第二联　交当事人"),
               3: ("第一联　存档", "第二联　交当事人", "第三联　备查")}


# Printed forms set their text in 四号 (14 pt) rather than the 三号 of official letters, so
# that the order, the signatures and the seal share one page: 31 characters a line.
FORM_SIZE = 14.0
FORM_CHARS = 31
FORM_LEADING = FORM_SIZE * 1.5


def copy_labels(copies: int) -> tuple[str, ...]:
    return COPY_LABELS.get(copies, ("",) * copies)


def form_styles(st: Styles) -> Styles:
    """The document styles with body text in 四号 on a 31-character grid."""
    space = (TEXT_WIDTH - FORM_CHARS * FORM_SIZE) / (FORM_CHARS - 1)
    body = st.body.derive("form_body", font_size=FORM_SIZE, leading=FORM_LEADING,
                          char_space=space, first_line_indent=2 * (FORM_SIZE + space))
    flat = body.derive("form_noindent", first_line_indent=0.0)
    return replace(
        st, body=body, body_noindent=flat,
        title=st.title.derive("form_title", space_after=FORM_LEADING * 0.2),
        number=flat.derive("form_number", alignment="center", space_after=FORM_LEADING * 0.4),
        label=flat.derive("form_label", font_name=st.label.font_name))


class MarginMark(Flowable):
    """Small text in the top margin at the right (the copy label), taking no room in the text."""

    def __init__(self, text: str, font_name: str, size: float = 12.0) -> None:
        super().__init__()
        self.text, self.font_name, self.size = text, font_name, size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, 0.0

    def draw(self) -> None:
        self.canv.setFont(self.font_name, self.size)
        self.canv.drawRightString(self.width, 10 * mm, self.text)


def deadline_text(moment: dt.datetime) -> str:
    """2026年3月8日18时 (minutes only when not on the hour)."""
    minutes = f"{moment.minute:02d}分" if moment.minute else ""
    return f"{cn_date(moment.date())}{moment.hour}时{minutes}"


def _v(text: str) -> Run:
    return Run(text, underline=True)


def header(st: Styles, office: str, title: str, number: str, copy_label: str,
           void_note: str) -> list[Flowable]:
    """Copy label, office, title, number; a voided document says so under its number."""
    parts: list[Flowable] = []
    if copy_label:
        parts.append(MarginMark(copy_label, st.fonts.body))
    parts += [p(office, st.heading), p(title, st.title)]
    if number:
        parts.append(p(number, st.number))
    if void_note:
        parts.append(p(void_note, st.table_label))
    return parts


def void_note(voided_at: dt.datetime | None, reason: str) -> str:
    if voided_at is None:
        return ""
    return f"（本文书已于{cn_date(voided_at.date())}作废。作废原因：{reason}）"


def notice_story(row: NoticeRow, st: Styles, *, copy_label: str = "") -> list[Flowable]:
    """One notice, top to bottom as the design's printing rules list it."""
    st = form_styles(st)
    office = row.office_name
    fonts = st.fonts
    broken, penalties = citations(row.legal_basis)
    story = header(st, office, TITLE, row.number, copy_label,
                   void_note(row.voided_at, row.void_reason))
    story += [
        p(["当事人：", _v(row.party)], st.body_noindent),
        p(["地址：", _v(row.party_address or "　" * 8)], st.body_noindent),
        p(row.facts, st.body),
        p(f"你（单位）的上述行为违反了{broken}的规定。依据{penalties}的规定，现责令你（单位）：",
          st.body),
    ]
    at_once = row.order_kind == "立即"
    if at_once or row.deadline is None:
        by: list[str | Run] = ["于", blank(8), "前改正。"]
    else:
        by = ["于", _v(deadline_text(row.deadline)), "前改正。"]
    story += [
        p([checkbox(at_once, fonts), "立即改正　　", checkbox(not at_once, fonts), *by], st.body),
        p(["改正内容：", _v(row.correction.rstrip("。") + "。")], st.body),
        p("请你（单位）在改正期限届满前，将改正情况书面报告本机关。", st.body),
        p(row.consequences, st.body),
    ]
    cell = st.body_noindent
    story += [
        Spacer(1, 2 * mm),
        p(["执法人员：", _v(row.officer1), "　执法证号：", _v(row.officer1_cert)], cell),
        p(["执法人员：", _v(row.officer2), "　执法证号：", _v(row.officer2_cert)], cell),
        p(["联系电话：", _v(row.office_phone or "　" * 6)], cell),
        p(["联系地址：", _v(row.office_address or "　" * 10)], cell),
    ]
    # The party's and witness's lines stay on the seal's page: they sign what was sealed.
    story.append(KeepTogether([
        p(["当事人签名：", blank(5), "　　年　月　日"], cell),
        p(["见证人签名：", blank(5), "　　年　月　日"], cell),
        signature_block(office, cn_date(row.issued_at.date()), st),
    ]))
    story.append(copies_note(COPIES_NOTE, st))
    return story
