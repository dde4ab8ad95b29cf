"""The printed sign-permit documents: 受理通知书, 准予许可决定书 and 不予许可决定书."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..domain.permits import PermitDocument, metres
from .dates import cn_date
from .layout import Run, Styles, copies_note, p, signature_block
from .notice import form_styles, header

COPY_LABELS = {2: ("第一联　存档", "第二联　交申请人"),
               3: ("第一联　存档", "第二联　交申请人", "第三联　备查")}
CN_NUMBERS = "一二三四五六七八九十"


def copy_labels(copies: int) -> tuple[str, ...]:
    return COPY_LABELS.get(copies, ("",) * copies)


def _v(text: str) -> Run:
    return Run(text, underline=True)


def _day(value: str | None) -> str:
    return cn_date(dt.date.fromisoformat(value)) if value else cn_date(None)


def _sentence(text: str) -> str:
    return text.rstrip("。；;，,. ") + "。"


def _spec(sign: dict[str, Any]) -> str:
    return (f"宽{metres(sign['width_m'])}米、高{metres(sign['height_m'])}米、外挑"
            f"{metres(sign['protrusion_m'])}米（面积{metres(sign['area_m2'])}平方米）")


def _applied(body: dict[str, Any]) -> str:
    return (f"你（单位）于{_day(body.get('applied_date'))}提出的户外招牌设置申请"
            f"（申请编号：{body.get('application_number', '')}）")


def _steps(body: dict[str, Any]) -> str:
    """本机关于…受理，于…进行了现场勘验。"""
    parts = []
    if body.get("accepted_on"):
        parts.append(f"本机关于{_day(body['accepted_on'])}受理")
    if body.get("surveyed_on"):
        parts.append(f"于{_day(body['surveyed_on'])}进行了现场勘验")
    return "，".join(parts) + "。" if parts else ""


def _applicant(body: dict[str, Any], st: Styles) -> list[Flowable]:
    a = body.get("applicant") or {}
    cell = st.body_noindent
    out = [p(["申请人：", _v(a.get("name", ""))], cell)]
    if a.get("credit_code"):
        out.append(p(["统一社会信用代码：", _v(a["credit_code"])], cell))
    out.append(p(["经营者：", _v(a.get("operator") or "　" * 4), "　地址：",
                  _v(a.get("address") or "　" * 8)], cell))
    return out


def _close(doc: PermitDocument, st: Styles, last: Flowable, note: str) -> list[Flowable]:
    """The last paragraph, the office at the seal position with the date, the copies note.

    The last paragraph goes with the seal, so a seal never stands alone on a page.
    """
    office = (doc.body.get("office") or {}).get("name", "")
    seal = signature_block(office, cn_date(doc.issued_at.date()), st)
    return [KeepTogether([last, seal]), copies_note(note, st)]


def acceptance_story(doc: PermitDocument, st: Styles) -> list[Flowable]:
    body, sign = doc.body, doc.body.get("sign") or {}
    office = body.get("office") or {}
    cell = st.body_noindent
    return [
        p([_v(doc.party), "："], cell),
        p(f"{_applied(body)}收悉。申请设置的招牌类型为{sign.get('sign_type', '')}，设置地点为"
          f"{sign.get('location', '')}（{sign.get('facade_position', '')}），规格为{_spec(sign)}。",
          st.body),
        p("经审查，你（单位）提交的申请材料齐全，符合法定形式，本机关决定予以受理。", st.body),
        p("本机关将派员到设置地点进行现场勘验，并依法在规定期限内作出是否准予许可的书面决定。"
          "请保持联系电话畅通，配合现场勘验。", st.body),
        Spacer(1, 2 * mm),
        p(["联系电话：", _v(office.get("phone") or "　" * 6)], cell),
        *_close(doc, st, p(["联系地址：", _v(office.get("address") or "　" * 10)], cell),
                "本通知书一式两份，一份存档，一份交申请人。"),
    ]


def _basis_clause(doc: PermitDocument) -> str:
    broken, _penalties = doc.citations()
    return f"依据{broken}的规定，" if broken else ""


def approval_story(doc: PermitDocument, st: Styles) -> list[Flowable]:
    body, sign = doc.body, doc.body.get("sign") or {}
    lighting = sign.get("lighting", "")
    height = sign.get("install_height_m")
    size = (f"宽{metres(sign['width_m'])}米、高{metres(sign['height_m'])}米、外挑"
            f"{metres(sign['protrusion_m'])}米，面积{metres(sign['area_m2'])}平方米")
    if height is not None:
        size += f"，下沿距地面{metres(height)}米"
    size += f"；材质为{sign.get('material', '')}，" + (
        "不设照明。" if lighting == "无" else f"照明方式为{lighting}。")
    items = [
        ("许可事项", f"在{sign.get('location', '')}{sign.get('facade_position', '')}设置户外招牌"
                     f"（{sign.get('sign_type', '')}）。"),
        ("招牌规格", size),
        ("许可期限", f"自{_day(body.get('start_date'))}起至{_day(body.get('end_date'))}止。"),
        ("设置条件", _sentence(body.get("conditions", ""))),
        ("监督管理", _sentence(body.get("supervision", ""))),
    ]
    story = _applicant(body, st)
    story.append(p(f"{_applied(body)}收悉。{_steps(body)}经审查，该申请符合有关规定和标准，"
                   f"{_basis_clause(doc)}本机关决定准予许可。许可内容如下：", st.body))
    story += [p(f"{CN_NUMBERS[i]}、{title}：{text}", st.body) for i, (title, text) in enumerate(items)]
    return story[:-1] + _close(doc, st, story[-1], "本决定书一式两份，一份存档，一份交申请人。")


def refusal_story(doc: PermitDocument, st: Styles) -> list[Flowable]:
    body, sign = doc.body, doc.body.get("sign") or {}
    district = (body.get("office") or {}).get("district", "")
    reviewer = f"{district}人民政府" if district else "本机关的上一级行政机关"
    what = (f"设置地点：{sign.get('location', '')}，{sign.get('facade_position', '')}；"
            f"招牌类型：{sign.get('sign_type', '')}；规格：宽{metres(sign['width_m'])}米、高"
            f"{metres(sign['height_m'])}米、外挑{metres(sign['protrusion_m'])}米，面积"
            f"{metres(sign['area_m2'])}平方米")
    story = _applicant(body, st)
    story += [
        p(f"{_applied(body)[:-1]}；{what}）收悉。{_steps(body)}", st.body),
        p(f"经审查，{_sentence(body.get('reason', ''))}", st.body),
        p(f"{_basis_clause(doc)}本机关决定不予许可。", st.body),
    ]
    remedies = p(f"如不服本决定，可以在收到本决定书之日起六十日内向{reviewer}申请行政复议，"
                 "或者在收到本决定书之日起六个月内依法向人民法院提起行政诉讼。", st.body)
    return story + _close(doc, st, remedies, "本决定书一式两份，一份存档，一份交申请人。")


def permit_story(doc: PermitDocument, st: Styles, *, copy_label: str = "") -> list[Flowable]:
    """One document, top to bottom: office, title, number, parties, body, seal, copies note."""
    st = form_styles(st)
    office = (doc.body.get("office") or {}).get("name", "")
    story = header(st, office, doc.title, doc.number, copy_label, "")
    builders = {"acceptance": acceptance_story, "approval": approval_story,
                "refusal": refusal_story}
    return story + builders[doc.kind](doc, st)
