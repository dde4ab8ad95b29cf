"""The printed 送达回证 (proof of delivery) of a notice, blank until the delivery is recorded."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from ..domain.notices import DELIVERY_METHODS, DeliveryRow, NoticeRow
from .dates import cn_datetime
from .layout import FormRow, Styles, checkbox, form_table, p
from .notice import TITLE as NOTICE_TITLE
from .notice import header, void_note

DATE_FOOTER = "年　　月　　日"
NOTE = ("说明：一、受送达人拒绝签收的，送达人应当在备注栏注明拒收事由和日期，由送达人、见证人签名，"
        "把文书留在受送达人的住所或经营场所，即视为送达（留置送达）。"
        "二、邮寄送达的，以挂号信回执上注明的收件日期为送达日期；"
        "电子送达的，以文书到达受送达人特定系统的日期为送达日期。")


def delivery_story(notice: NoticeRow, delivery: DeliveryRow | None, st: Styles) -> list[Flowable]:
    """The two-column form; what is recorded is filled in, the rest is left to write by hand."""
    d = delivery
    boxes = [f"{checkbox(d is not None and d.method == key, st.fonts)}{label}"
             for key, label in DELIVERY_METHODS.items()]
    # Two options a line: four in one line would not fit beside a readable label column.
    methods = [p("　　".join(boxes[:2]), st.table_cell), p("　　".join(boxes[2:]), st.table_cell)]
    if d is not None and d.refused:
        signature = "受送达人拒绝签收"
    else:
        signature = ""
    agent = ""
    # Someone other than the addressee (or its operator) took the document for them.
    if d is not None and d.recipient and d.relation not in ("", "本人"):
        agent = f"{d.recipient}（{d.relation}）"
    rows = [
        FormRow("送达文书名称及文号", [p(NOTICE_TITLE, st.table_cell), p(notice.number, st.table_cell)]),
        FormRow("受送达人", notice.party),
        FormRow("送达时间", cn_datetime(d.delivered_at if d else None)),
        FormRow("送达地点", (d.place if d else "") or notice.party_address),
        FormRow("送达方式", methods),
        FormRow("受送达人签名或盖章", signature, min_height=20 * mm, footer=DATE_FOOTER),
        FormRow("代收人（关系）", agent, min_height=11 * mm),
        FormRow("送达人签名", "", min_height=14 * mm, footer=DATE_FOOTER),
        FormRow("见证人签名", (d.witness if d and d.witness else ""), min_height=14 * mm,
                footer=DATE_FOOTER),
        FormRow("备注", (d.remarks if d else ""), min_height=16 * mm),
    ]
    story = header(st, notice.office_name, "送达回证", "", "",
                   void_note(notice.voided_at, notice.void_reason))
    # The note explains the form; it stays on the form's page.
    story.append(KeepTogether([form_table(rows, st, label_width=40 * mm), p(NOTE, st.small)]))
    return story
