"""签约率: signed / required agreements per community and grid on a date, with drill-down."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.agreements import RateRow

from . import operations
from .context import AppContext
from .window_state import RememberingDialog

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LOW_RATE = 0.8  # below this a rate is shown in red: the community needs attention
_ROW = Qt.ItemDataRole.UserRole


class SigningRatesDialog(RememberingDialog):
    """Stays open beside the page; double-clicking a row shows who there has not signed.

    `drill_down` carries (community_id, grid_id, date); None ids mean "all".
    """

    drill_down = Signal(object, object, object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SigningRatesDialog")
        self._ctx = ctx
        self._generation = 0
        self.rows: list[RateRow] = []
        self.setWindowTitle(self.tr("门前三包签约率"))
        self.setMinimumSize(440, 360)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(QDate.currentDate())
        self.date_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("2026-12-31") + 50)
        self.status = QLabel(self.tr("正在统计…"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("统计日期：")))
        top.addWidget(self.date_edit)
        top.addWidget(self.status, 1)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([self.tr("街道 / 社区 / 网格"), self.tr("应签"), self.tr("已签"),
                                   self.tr("签约率")])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        width = self.fontMetrics().horizontalAdvance("100.0%") + 28
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.tree.setColumnWidth(column, width)
        hint = QLabel(self.tr("双击社区或网格，在列表中查看其未签约商户。"))
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)

        self.date_edit.dateChanged.connect(self.reload)
        self.tree.itemActivated.connect(self._activated)
        buttons.rejected.connect(self.reject)
        self.reload()

    def at(self) -> dt.date:
        value = self.date_edit.date()
        return dt.date(value.year(), value.month(), value.day())

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        self.status.setText(self.tr("正在统计…"))
        operations.load_signing_rates(self._ctx, self.at(),
                                      lambda rows: self._show(generation, rows), owner=self)

    def _show(self, generation: int, rows: list[RateRow]) -> None:
        if generation != self._generation:
            return
        self.rows = rows
        self.status.setText("")
        self.tree.clear()
        street: QTreeWidgetItem | None = None
        community: QTreeWidgetItem | None = None
        for row in rows:
            item = self._item(row)
            if row.level == "street" or street is None:
                street = item
                self.tree.addTopLevelItem(item)
                font = QFont(item.font(0))
                font.setBold(True)
                for column in range(4):
                    item.setFont(column, font)
            elif row.level == "community":
                community = item
                street.addChild(item)
            else:
                (community or street).addChild(item)
        self.tree.expandAll()

    def _item(self, row: RateRow) -> QTreeWidgetItem:
        rate = f"{row.rate:.1%}" if row.required else "—"
        item = QTreeWidgetItem([row.name, f"{row.required:,}", f"{row.signed:,}", rate])
        for column in (1, 2, 3):
            item.setTextAlignment(column, _RIGHT)
        if row.required and row.rate < _LOW_RATE:
            item.setForeground(3, QBrush(QColor(183, 28, 28)))
        item.setData(0, _ROW, row)
        item.setToolTip(0, self.tr("{0}：应签 {1} 家，已签 {2} 家，未签 {3} 家").format(
            row.name, row.required, row.signed, row.required - row.signed))
        return item

    def item_for(self, name: str) -> QTreeWidgetItem | None:
        found = self.tree.findItems(name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return found[0] if found else None

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        row = item.data(0, _ROW)
        if isinstance(row, RateRow):
            self.drill_down.emit(row.community_id, row.grid_id, self.at())
