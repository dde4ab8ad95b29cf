"""The right-hand panel of the ledger: the selected business's fields and its change history."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from desktop.domain.audit import HistoryItem
from desktop.domain.businesses import LABELS, BusinessRow

from .operations import BusinessDetails

_SHOWN = ("credit_code", "operator", "phone", "address", "category", "community", "grid",
          "status", "licence_displayed", "remarks")


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


class BusinessDetailsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.business_id: int | None = None
        self._history_lines: list[str] = []
        self.title = QLabel(self.tr("未选择商户"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QWidget()
        form = QFormLayout(top)
        form.setContentsMargins(6, 4, 6, 4)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.addRow(self.title)
        self.values: dict[str, QLabel] = {}
        for key in _SHOWN:
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(LABELS[key] + "：", value)
            self.values[key] = value

        # Rich text wraps long before → after values instead of cutting them off.
        self.history = QTextBrowser()
        self.history.setOpenLinks(False)
        self.history.setPlaceholderText(self.tr("变更记录"))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("details")
        splitter.addWidget(top)
        splitter.addWidget(self.history)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def show_details(self, details: BusinessDetails | None) -> None:
        if details is None:
            self.business_id = None
            self.title.setText(self.tr("未选择商户"))
            for label in self.values.values():
                label.setText("—")
            self._show_history([])
            return
        row = details.row
        self.business_id = row.id
        self.title.setText(row.name if row.active
                           else self.tr("{0}（已移出台账）").format(row.name))
        for key, label in self.values.items():
            label.setText(self._field_text(row, key))
        self._show_history(details.history)

    def _field_text(self, row: BusinessRow, key: str) -> str:
        text = _value_text(getattr(row, key))
        if key == "credit_code" and row.legacy_code:
            text += self.tr("（旧工商注册号）")
        return text

    def _show_history(self, entries: list[HistoryItem]) -> None:
        self._history_lines = []
        parts = [f"<p style='margin:0 0 4px 0'><b>{html.escape(self.tr('变更记录'))}</b></p>"]
        for entry in entries:
            when = entry.at.strftime("%Y-%m-%d %H:%M")
            self._history_lines.append(entry.summary)
            parts.append(f"<p style='margin:6px 0 0 0'><span style='color:#666'>{when}　"
                         f"{html.escape(entry.user or '—')}</span><br>"
                         f"{html.escape(entry.summary)}</p>")
            # A new record's every field is in the panel above; list changes only.
            changes = [] if entry.action == "create" else entry.changes
            lines = [f"{label}：{_value_text(before)} → {_value_text(after)}"
                     for label, before, after in changes]
            self._history_lines.extend(lines)
            if lines:
                items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
                parts.append(f"<ul style='margin:0 0 0 -24px'>{items}</ul>")
        self.history.setHtml("".join(parts) if entries else "")

    def history_lines(self) -> list[str]:
        """Every line of the history as shown, top to bottom (for tests and copying)."""
        return list(self._history_lines)
