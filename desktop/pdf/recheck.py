"""The printed 整改复查意见书 (recheck record) that answers a rectification notice."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..domain.notices import RecheckRow
from .dates import cn_date, cn_datetime
from .layout import Run, Styles, blank, checkbox, copies_note, p, signature_block
from .notice import TITLE as NOTICE_TITLE
from .notice import deadline_text, form_styles, header

TITLE = "整改复查意见书"
COPIES_NOTE = "本意见书一式两份，一份存档，一份交当事人。"


def _v(text: str) -> Run:
    return Run(text, underline=True)


def recheck_story(row: RecheckRow, st: Styles, *, copy_label: str = "") -> list[Flowable]:
    st = form_styles(st)
    office = row.office_name
    when = (f"于{deadline_text(row.notice_deadline)}前" if row.notice_deadline else "立即")
    correction = row.correction.rstrip("。")
    story = header(st, office, TITLE, row.number, copy_label, "")
    story += [
        p(["当事人：", _v(row.party)], st.body_noindent),
        p(f"本机关于{cn_date(row.notice_issued_at.date() if row.notice_issued_at else None)}"
          f"向你（单位）送达了《{NOTICE_TITLE}》（{row.notice_number}），"
          f"责令你（单位）{when}改正，改正内容：{correction}。", st.body),
        p(f"{cn_datetime(row.checked_at)}，本机关执法人员对你（单位）的整改情况进行了复查。"
          "复查意见如下：", st.body),
        p(row.opinion, st.body),
        p([checkbox(row.passed, st.fonts), "已按要求改正，予以销号。"], st.body),
        p([checkbox(not row.passed, st.fonts),
           "未按要求改正，本机关将依法移交综合行政执法部门处理或再次责令改正。"], st.body),
    ]
    cell = st.body_noindent
    story.append(KeepTogether([
        Spacer(1, 2 * mm),
        p(["当事人签名：", blank(5), "　　年　月　日"], cell),
        p(["执法人员：", _v(row.officer1), "　执法证号：", _v(row.officer1_cert)], cell),
        p(["执法人员：", _v(row.officer2), "　执法证号：", _v(row.officer2_cert)], cell),
        signature_block(office, cn_date(row.checked_at.date()), st),
    ]))
    story.append(copies_note(COPIES_NOTE, st))
    return story
