"""Document numbering patterns: edit in a table, see this year's first number as you type."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.office import DEFAULT_PATTERNS, PatternData, format_number, validate_pattern

from . import operations, prompts
from .context import AppContext

PATTERN_COLUMN = 1
EXAMPLE_COLUMN = 2
_ERROR = QBrush(QColor("#c62828"))


class NumberingTable(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._stored: dict[str, str] = {}
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("文书"), self.tr("编号格式"),
                                              self.tr("今年第1号示例")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PATTERN_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(EXAMPLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        help_label = QLabel(self.tr("双击“编号格式”修改。{year} 代表年份，{seq:04d} 代表四位序号（如 0001）。"))
        help_label.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存编号格式"))
        self.default_button = QPushButton(self.tr("恢复默认"))
        self.status_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.default_button)
        buttons.addWidget(self.status_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(help_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.table.itemChanged.connect(self._item_changed)
        self.save_button.clicked.connect(self.save)
        self.default_button.clicked.connect(self._restore_default)
        self.reload()

    def reload(self) -> None:
        operations.load_patterns(self._ctx, self._show, owner=self)

    def _show(self, patterns: list[PatternData]) -> None:
        self._stored = {p.kind: p.pattern for p in patterns}
        self.table.blockSignals(True)
        self.table.setRowCount(len(patterns))
        for r, pattern in enumerate(patterns):
            label = QTableWidgetItem(pattern.label)
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            label.setData(Qt.ItemDataRole.UserRole, pattern.kind)
            self.table.setItem(r, 0, label)
            self.table.setItem(r, PATTERN_COLUMN, QTableWidgetItem(pattern.pattern))
            example = QTableWidgetItem()
            example.setFlags(example.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(r, EXAMPLE_COLUMN, example)
            self._update_example(r)
        self.table.blockSignals(False)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == PATTERN_COLUMN:
            self.table.blockSignals(True)
            self._update_example(item.row())
            self.table.blockSignals(False)
            self.status_label.clear()

    def _update_example(self, row: int) -> bool:
        """Show the example or the error in the row; True when the pattern is valid."""
        example = self.cell(row, EXAMPLE_COLUMN)
        try:
            pattern = self.cell(row, PATTERN_COLUMN).text().strip()
            validate_pattern(pattern)
        except ValidationError as exc:
            example.setText(exc.fields.get("pattern", exc.message))
            example.setForeground(_ERROR)
            example.setToolTip(example.text())
            return False
        example.setText(format_number(pattern, dt.date.today().year, 1))
        example.setData(Qt.ItemDataRole.ForegroundRole, None)
        example.setToolTip("")
        return True

    def cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None  # every cell is filled in _show
        return item

    def kind_at(self, row: int) -> str:
        return str(self.cell(row, 0).data(Qt.ItemDataRole.UserRole))

    def _restore_default(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.cell(row, PATTERN_COLUMN).setText(DEFAULT_PATTERNS[self.kind_at(row)][1])

    def changed_patterns(self) -> dict[str, str]:
        out = {}
        for r in range(self.table.rowCount()):
            pattern = self.cell(r, PATTERN_COLUMN).text().strip()
            if pattern != self._stored.get(self.kind_at(r)):
                out[self.kind_at(r)] = pattern
        return out

    def save(self) -> None:
        invalid = [r for r in range(self.table.rowCount()) if not self._update_example(r)]
        if invalid:
            self.table.setCurrentCell(invalid[0], PATTERN_COLUMN)
            self.status_label.setText(self.tr("有编号格式不正确，请先改正（见示例列）"))
            return
        changed = self.changed_patterns()
        if not changed:
            self.status_label.setText(self.tr("没有修改"))
            return
        operations.save_patterns(self._ctx, changed, lambda _none: self._saved(),
                                 failed=self._refused, owner=self)

    def _saved(self) -> None:
        self.status_label.setText(self.tr("已保存"))

    def _refused(self, error: DomainError) -> None:
        prompts.show_error(self, self.tr("未保存"), error.message)
