"""重复违规: businesses (or places) with several findings in the last 90 days.

A short list, so a plain table widget; Enter or double-click shows that one's findings.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.domain.findings import REPEAT_DAYS, RepeatOffender

from .finding_filter_bar import BusinessFilter

_CENTRED = Qt.AlignmentFlag.AlignCenter


class RepeatOffenderTable(QTableWidget):
    drill_down = Signal(object)  # BusinessFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setHorizontalHeaderLabels([self.tr("商户 / 地点"), self.tr("类型"),
                                        self.tr("{0}天内次数").format(REPEAT_DAYS),
                                        self.tr("首次发现"), self.tr("最近发现")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.setToolTip(self.tr("双击（或回车）查看该商户（地点）的全部问题"))
        self._rows: list[RepeatOffender] = []
        self.itemActivated.connect(self._activated)

    def set_rows(self, rows: list[RepeatOffender]) -> None:
        self._rows = rows
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [row.name, self.tr("商户") if row.key == "business" else self.tr("地点"),
                      str(row.findings), row.first_found.strftime("%Y-%m-%d"),
                      row.last_found.strftime("%Y-%m-%d")]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(_CENTRED)
                self.setItem(r, c, item)

    def names(self) -> list[str]:
        return [row.name for row in self._rows]

    def _activated(self, item: QTableWidgetItem) -> None:
        row = self._rows[item.row()]
        self.drill_down.emit(BusinessFilter(row.business_id, row.name))
