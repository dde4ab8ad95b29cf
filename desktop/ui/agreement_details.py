"""The right-hand panel of 门前三包: the selected agreement (or unsigned shop) and its history."""

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

from desktop.domain.agreements import STATE_LABELS, AgreementRow, DutyItem
from desktop.domain.audit import HistoryItem
from desktop.domain.businesses import BusinessRow

from .details_layout import fields_over_text
from .operations import AgreementDetails

_FIELDS = ("number", "state", "business", "area", "size", "duties", "term", "signed",
           "signatories", "renewal", "terminated")


def _dash(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if value else "—"


class AgreementDetailsPanel(QWidget):
    """Shows an agreement, or a business without one; `open_number` asks to show a number."""

    open_number = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.agreement_id: int | None = None
        self.business_id: int | None = None
        self._duties: dict[str, DutyItem] = {}
        self._history_lines: list[str] = []
        self.title = QLabel(self.tr("未选择责任书"))
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
        labels = {
            "number": self.tr("编号"), "state": self.tr("状态"), "business": self.tr("商户"),
            "area": self.tr("责任区"), "size": self.tr("长度/面积"), "duties": self.tr("责任事项"),
            "term": self.tr("期限"), "signed": self.tr("签订日期"),
            "signatories": self.tr("签字人"), "renewal": self.tr("续签自"),
            "terminated": self.tr("终止原因"),
        }
        self.values: dict[str, QLabel] = {}
        for key in _FIELDS:
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._form.addRow(labels[key] + "：", value)
            self.values[key] = value
        renewal = self.values["renewal"]
        renewal.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        renewal.linkActivated.connect(self.open_number)

        self.history = QTextBrowser()
        self.history.setOpenLinks(False)
        self.history.setPlaceholderText(self.tr("变更记录"))
        # Long areas and duty lists wrap to several lines: the fields scroll.
        fields_over_text(self, top, self.history, "agreement-details", stretch=(3, 2))
        self.clear()

    def set_duty_items(self, items: list[DutyItem]) -> None:
        self._duties = {item.key: item for item in items}

    def _show_rows(self, keys: tuple[str, ...]) -> None:
        for key, label in self.values.items():
            self._form.setRowVisible(label, key in keys)

    def clear(self, text: str = "") -> None:
        self.agreement_id = None
        self.business_id = None
        self.title.setText(text or self.tr("未选择责任书"))
        self._show_rows(())
        self._show_history([])

    # --- an agreement ---------------------------------------------------------------------

    def show_details(self, details: AgreementDetails | None) -> None:
        if details is None:
            self.clear()
            return
        row = details.row
        self.agreement_id = row.id
        self.business_id = row.business_id
        self.title.setText(self.tr("{0} — {1}").format(row.business, row.state_label))
        texts = {
            "number": row.number or self.tr("（草稿，签订时编号）"),
            "state": row.state_label,
            "business": "　".join(t for t in (row.operator, row.address,
                                             "/".join(t for t in (row.community, row.grid) if t))
                                 if t),
            "area": _dash(row.area_description()),
            "size": self._size_text(row),
            "duties": (self.tr("门前五包：") if row.five_duties else "")
            + _dash("、".join(self._duty_title(k) for k in row.duties)),
            "term": self.tr("{0} 至 {1}").format(_dash(row.start_date), _dash(row.end_date)),
            "signed": _dash(row.signed_date),
            "signatories": self.tr("甲方 {0}；乙方 {1}").format(_dash(row.office_signatory),
                                                               _dash(row.business_signatory)),
            "terminated": row.terminated_reason,
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        shown = [k for k in _FIELDS if k not in ("renewal", "terminated")]
        if details.previous_number:
            number = html.escape(details.previous_number)
            self.values["renewal"].setText(f'<a href="{number}">{number}</a>')
            self.values["renewal"].setToolTip(self.tr("在列表中查看原责任书"))
            shown.append("renewal")
        if row.state == "terminated":
            shown.append("terminated")
        self._show_rows(tuple(shown))
        self._show_history(details.history)

    def _duty_title(self, key: str) -> str:
        item = self._duties.get(key)
        return item.title if item else key

    def _size_text(self, row: AgreementRow) -> str:
        parts = []
        if row.frontage_length_m:
            parts.append(self.tr("长 {0:g} 米").format(row.frontage_length_m))
        if row.area_m2:
            parts.append(self.tr("面积 {0:g} 平方米").format(row.area_m2))
        return "，".join(parts) or "—"

    # --- a business without an agreement --------------------------------------------------

    def show_business(self, row: BusinessRow | None) -> None:
        if row is None:
            self.clear(self.tr("未选择商户"))
            return
        self.agreement_id = None
        self.business_id = row.id
        self.title.setText(self.tr("{0} — 未签约").format(row.name))
        self.values["business"].setText("　".join(
            t for t in (row.operator, row.phone, row.address,
                        "/".join(t for t in (row.community, row.grid) if t)) if t))
        self.values["state"].setText(self.tr("尚无有效的门前三包责任书，可用“新建责任书”起草"))
        self._show_rows(("business", "state"))
        self._show_history([])

    # --- history --------------------------------------------------------------------------

    def _show_history(self, entries: list[HistoryItem]) -> None:
        self._history_lines = []
        parts = [f"<p style='margin:0 0 4px 0'><b>{html.escape(self.tr('变更记录'))}</b></p>"]
        for entry in entries:
            when = entry.at.strftime("%Y-%m-%d %H:%M")
            self._history_lines.append(entry.summary)
            parts.append(f"<p style='margin:6px 0 0 0'><span style='color:#666'>{when}　"
                         f"{html.escape(entry.user or '—')}</span><br>"
                         f"{html.escape(entry.summary)}</p>")
            changes = [] if entry.action == "create" else entry.changes
            lines = [f"{label}：{self._value(label, before)} → {self._value(label, after)}"
                     for label, before, after in changes]
            self._history_lines.extend(lines)
            if lines:
                items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
                parts.append(f"<ul style='margin:0 0 0 -24px'>{items}</ul>")
        self.history.setHtml("".join(parts) if entries else "")

    def history_lines(self) -> list[str]:
        return list(self._history_lines)

    def _value(self, label: str, value: object) -> str:
        # The audit log keeps codes; show the clerk the words.
        if value is None or value == "":
            return "—"
        if isinstance(value, list):
            return "、".join(self._duty_title(str(v)) for v in value) or "—"
        if label == "状态":
            return STATE_LABELS.get(str(value), str(value))
        return str(value)
