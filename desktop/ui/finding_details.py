"""The right-hand panel of 巡查与通知: the finding, its photos, notices with delivery and
rechecks, and its history."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QTextBrowser,
    QWidget,
)

from desktop.domain.audit import HistoryItem

from .details_layout import fields_over_text
from .finding_operations import FindingDetails, NoticeDetails
from .photo_strip import PhotoStrip

_FIELDS = ("status", "found_at", "place", "party", "division", "inspectors", "deadline",
           "source", "description")


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"


def _e(text: object) -> str:
    return html.escape(str(text) if text not in (None, "") else "—")


class FindingDetailsPanel(QWidget):
    """Shows one finding; `open_photo` asks to show a photo at full size."""

    open_photo = Signal(int, str)  # attachment id, file name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding_id: int | None = None
        self._texts: list[str] = []
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QWidget()
        self._form = QFormLayout(top)
        self._form.setContentsMargins(6, 4, 6, 4)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._form.addRow(self.title)
        labels = {"status": self.tr("状态"), "found_at": self.tr("发现时间"), "place": self.tr("地点"),
                  "party": self.tr("当事人"), "division": self.tr("社区/网格"),
                  "inspectors": self.tr("巡查人员"), "deadline": self.tr("整改期限"),
                  "source": self.tr("来源"), "description": self.tr("问题描述")}
        self.values: dict[str, QLabel] = {}
        for key in _FIELDS:
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._form.addRow(labels[key] + "：", value)
            self.values[key] = value
        self.photos = PhotoStrip()
        self.photos_label = QLabel(self.tr("照片："))
        self._form.addRow(self.photos_label, self.photos)

        self.documents = QTextBrowser()
        self.documents.setOpenLinks(False)
        # Room for the fields and a row of photos; the notices and history scroll below.
        fields_over_text(self, top, self.documents, "finding-details", sizes=(400, 260))
        self.photos.open_photo.connect(self.open_photo)
        self.clear()

    def clear(self, text: str = "") -> None:
        self.finding_id = None
        self.title.setText(text or self.tr("未选择问题"))
        for label in self.values.values():
            self._form.setRowVisible(label, False)
        self._form.setRowVisible(self.photos, False)
        self.photos.clear()
        self.documents.clear()
        self._texts = []

    def show_details(self, details: FindingDetails | None) -> None:
        if details is None:
            self.clear()
            return
        row = details.row
        self.finding_id = row.id
        self.title.setText(self.tr("{0} — {1}").format(row.category, row.party or row.place))
        overdue = row.is_overdue(dt.date.today())
        texts = {
            "status": row.status + (self.tr("（已逾期）") if overdue else ""),
            "found_at": _when(row.found_at),
            "place": row.place,
            "party": row.party or "—",
            "division": "/".join(t for t in (row.community, row.grid) if t) or "—",
            "inspectors": row.inspectors or "—",
            "deadline": row.deadline.isoformat() if row.deadline else "—",
            "source": row.source or "—",
            "description": row.description,
        }
        for key, text in texts.items():
            label = self.values[key]
            label.setText(text)
            self._form.setRowVisible(label, True)
        self.values["status"].setStyleSheet("color: #b71c1c; font-weight: bold;" if overdue else "")
        self._show_photos(details)
        self._show_documents(details)

    def _show_photos(self, details: FindingDetails) -> None:
        self.photos.set_photos(details.photos)
        self._form.setRowVisible(self.photos, bool(details.photos))

    def photo_count(self) -> int:
        return self.photos.count()

    # --- notices, rechecks, history ---------------------------------------------------------

    def _show_documents(self, details: FindingDetails) -> None:
        self._texts = []
        parts = [self._heading(self.tr("通知书"))]
        if not details.notices:
            parts.append(self._p(self.tr("尚未签发通知书"), grey=True))
        for item in details.notices:
            parts.append(self._notice(item))
        if details.rechecks:
            parts.append(self._heading(self.tr("复查")))
        for r in details.rechecks:
            result = self.tr("合格") if r.passed else self.tr("不合格")
            colour = "#2e7d32" if r.passed else "#b71c1c"
            self._texts.append(f"{r.number} {result}")
            parts.append(
                f"<p style='margin:4px 0 0 0'><b>{_e(r.number)}</b>　{_e(_when(r.checked_at))}　"
                f"<span style='color:{colour}'><b>{result}</b></span><br>{_e(r.opinion)}<br>"
                f"<span style='color:#666'>{_e(self.tr('复查人员'))}：{_e(r.officer1)}、"
                f"{_e(r.officer2)}</span></p>")
        parts.append(self._heading(self.tr("变更记录")))
        parts.extend(self._history(details.history))
        self.documents.setHtml("".join(parts))

    def _notice(self, item: NoticeDetails) -> str:
        n, d = item.notice, item.delivery
        self._texts.append(f"{n.number} {n.status_label}")
        state = (f"<span style='color:#b71c1c'><b>{_e(self.tr('已作废'))}</b></span>"
                 if n.voided_at else f"<span style='color:#2e7d32'>{_e(self.tr('有效'))}</span>")
        order = (self.tr("立即改正") if n.order_kind == "立即"
                 else self.tr("限期至 {0}").format(_when(n.deadline)))
        lines = [f"<b>{_e(n.number)}</b>　{state}",
                 self.tr("签发：{0}　{1}").format(_when(n.issued_at), order),
                 self.tr("执法人员：{0}（{1}）、{2}（{3}）").format(
                     n.officer1, n.officer1_cert, n.officer2, n.officer2_cert)]
        if n.voided_at:
            lines.append(self.tr("作废：{0}　原因：{1}").format(_when(n.voided_at), n.void_reason))
            self._texts.append(n.void_reason)
        if d is None:
            if not n.voided_at:
                lines.append(f"<span style='color:#8a5a00'>{_e(self.tr('尚未登记送达'))}</span>")
        else:
            how = d.method_label + (self.tr("（拒收，见证人 {0}）").format(d.witness)
                                    if d.refused else "")
            lines.append(self.tr("送达：{0}　{1}　{2}（{3}）").format(
                _when(d.delivered_at), how, d.recipient or "—", d.relation or "—"))
            self._texts.append(how)
        body = "<br>".join(line if line.startswith(("<b>", "<span")) else _e(line)
                           for line in lines)
        return f"<p style='margin:4px 0 0 0'>{body}</p>"

    def _history(self, entries: list[HistoryItem]) -> list[str]:
        out = []
        for entry in entries:
            self._texts.append(entry.summary)
            out.append(f"<p style='margin:4px 0 0 0'><span style='color:#666'>"
                       f"{entry.at.strftime('%Y-%m-%d %H:%M')}　{_e(entry.user)}</span><br>"
                       f"{_e(entry.summary)}</p>")
        return out or [self._p(self.tr("无"), grey=True)]

    @staticmethod
    def _heading(text: str) -> str:
        return f"<p style='margin:8px 0 0 0'><b>{html.escape(text)}</b></p>"

    @staticmethod
    def _p(text: str, *, grey: bool = False) -> str:
        style = "color:#777;" if grey else ""
        return f"<p style='margin:2px 0 0 0;{style}'>{html.escape(text)}</p>"

    def document_lines(self) -> list[str]:
        """The notices, rechecks and history entries shown, as plain text (for tests)."""
        return list(self._texts)
