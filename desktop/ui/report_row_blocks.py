"""社区行块: rows of a template sheet filled per community, found by the name in a key column."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.io.district_figures import MEASURES
from desktop.io.template_fill import CommunityRows, column_number

from .report_figure_picker import on_enter

ERROR_STYLE = "color: #c00000;"
# The sheet and the column letter of the grid's selected cell, if any.
Selection = Callable[[], tuple[str, str] | None]


def _letters_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(3)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z]{0,3}")))
    edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("XFDW") + 16)
    edit.textEdited.connect(lambda text: edit.setText(text.upper()))
    return edit


class RowBlocksEditor(QWidget):
    changed = Signal()

    def __init__(self, sheets: list[str], selection: Selection,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.blocks: list[CommunityRows] = []
        self._selection = selection
        self._sheets = sheets
        intro = QLabel(self.tr("表中每个社区占一行时：按“社区名称列”中的社区名称逐行填数，"
                               "“合计”“全街道”行填全街道合计。"))
        intro.setWordWrap(True)
        line = self.fontMetrics().height() + 8
        self.block_list = QListWidget()
        self.block_list.setMaximumHeight(line * 3 + 4)
        self.add_button = QPushButton(self.tr("添加行块"))
        self.remove_button = QPushButton(self.tr("删除行块"))
        self.sheet_combo = QComboBox()
        self.sheet_combo.addItems(sheets)
        self.key_edit = _letters_edit()
        self.key_pick_button = QPushButton(self.tr("取所选列"))
        self.columns_table = QTableWidget(0, 2)
        self.columns_table.setHorizontalHeaderLabels([self.tr("列"), self.tr("数据项")])
        self.columns_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.columns_table.setTabKeyNavigation(False)
        self.columns_table.verticalHeader().hide()
        self.columns_table.verticalHeader().setDefaultSectionSize(line)
        self.columns_table.setMinimumHeight(line * 4)
        self.columns_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.columns_table.setColumnWidth(0, self.fontMetrics().horizontalAdvance("XFD") + 24)
        self.column_edit = _letters_edit()
        self.column_pick_button = QPushButton(self.tr("取所选列"))
        self.measure_combo = QComboBox()
        for measure in MEASURES:
            self.measure_combo.addItem(f"{measure.name}（{measure.label}）", measure.name)
        self.add_column_button = QPushButton(self.tr("设置此列"))
        self.remove_column_button = QPushButton(self.tr("删除所选列"))
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)

        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.add_button)
        list_buttons.addWidget(self.remove_button)
        list_buttons.addStretch(1)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit)
        key_row.addWidget(self.key_pick_button)
        key_row.addStretch(1)
        column_row = QHBoxLayout()
        column_row.addWidget(self.column_edit)
        column_row.addWidget(self.column_pick_button)
        column_row.addStretch(1)
        column_buttons = QHBoxLayout()
        column_buttons.addWidget(self.add_column_button)
        column_buttons.addWidget(self.remove_column_button)
        column_buttons.addStretch(1)
        self.details = QWidget()
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("工作表"), self.sheet_combo)
        form.addRow(self.tr("社区名称列"), key_row)
        form.addRow(self.columns_table)
        form.addRow(self.tr("列"), column_row)
        form.addRow(self.tr("数据项"), self.measure_combo)
        form.addRow(column_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.block_list)
        layout.addLayout(list_buttons)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.error_label)

        self.block_list.currentRowChanged.connect(self._show_block)
        self.add_button.clicked.connect(self.add_block)
        self.remove_button.clicked.connect(self.remove_block)
        self.sheet_combo.currentTextChanged.connect(self._sheet_changed)
        self.key_edit.textChanged.connect(self._key_changed)
        self.key_pick_button.clicked.connect(self._pick_key)
        self.column_pick_button.clicked.connect(self._pick_column)
        self.add_column_button.clicked.connect(self.set_column)
        self.remove_column_button.clicked.connect(self.remove_column)
        on_enter(self.column_edit, self.set_column)
        on_enter(self.measure_combo, self.set_column)
        self._show_block(-1)

    # --- the list of blocks ---------------------------------------------------------------

    def set_blocks(self, blocks: list[CommunityRows]) -> None:
        self.blocks = blocks
        for block in blocks:
            if block.sheet and self.sheet_combo.findText(block.sheet) < 0:
                self.sheet_combo.addItem(block.sheet)  # kept: the fill will name it
        self._relist()
        self.block_list.setCurrentRow(0 if blocks else -1)

    def current(self) -> CommunityRows | None:
        row = self.block_list.currentRow()
        return self.blocks[row] if 0 <= row < len(self.blocks) else None

    def _describe(self, block: CommunityRows) -> str:
        key = block.key_column or "?"
        return self.tr("{0}：社区名称在 {1} 列，填 {2} 列").format(
            block.sheet or self._sheets[0], key, len(block.columns))

    def _relist(self) -> None:
        row = self.block_list.currentRow()
        self.block_list.blockSignals(True)
        self.block_list.clear()
        self.block_list.addItems([self._describe(b) for b in self.blocks])
        self.block_list.setCurrentRow(min(row, len(self.blocks) - 1))
        self.block_list.blockSignals(False)

    def add_block(self) -> None:
        chosen = self._selection()
        sheet = chosen[0] if chosen else self._sheets[0]
        self.blocks.append(CommunityRows("", {}, sheet))
        self._relist()
        self.block_list.setCurrentRow(len(self.blocks) - 1)
        self.key_edit.setFocus()
        self.changed.emit()

    def remove_block(self) -> None:
        row = self.block_list.currentRow()
        if 0 <= row < len(self.blocks):
            del self.blocks[row]
            self._relist()
            self._show_block(self.block_list.currentRow())
            self.changed.emit()

    def _show_block(self, row: int) -> None:
        block = self.blocks[row] if 0 <= row < len(self.blocks) else None
        self.details.setEnabled(block is not None)
        self.remove_button.setEnabled(block is not None)
        self.error_label.clear()
        for widget in (self.sheet_combo, self.key_edit):
            widget.blockSignals(True)
        self.sheet_combo.setCurrentText(block.sheet or self._sheets[0] if block else self._sheets[0])
        self.key_edit.setText(block.key_column if block else "")
        for widget in (self.sheet_combo, self.key_edit):
            widget.blockSignals(False)
        self._show_columns()

    # --- the selected block ---------------------------------------------------------------

    def _update(self) -> None:
        row = self.block_list.currentRow()
        if 0 <= row < len(self.blocks):
            self.block_list.item(row).setText(self._describe(self.blocks[row]))
        self.changed.emit()

    def _sheet_changed(self, title: str) -> None:
        block = self.current()
        if block is not None and title:
            block.sheet = title
            self._update()

    def _key_changed(self, text: str) -> None:
        block = self.current()
        if block is None:
            return
        if text and column_number(text) is None:
            self.error_label.setText(self.tr("列号应在 A 至 XFD 之间"))
        else:
            self.error_label.clear()
        block.key_column = text
        self._update()

    def _pick_key(self) -> None:
        chosen = self._selection()
        if chosen is not None and self.current() is not None:
            self.sheet_combo.setCurrentText(chosen[0])
            self.key_edit.setText(chosen[1])

    def _pick_column(self) -> None:
        chosen = self._selection()
        if chosen is not None:
            self.column_edit.setText(chosen[1])
            self.measure_combo.setFocus()

    def _show_columns(self) -> None:
        block = self.current()
        pairs = sorted((block.columns if block else {}).items(),
                       key=lambda kv: column_number(kv[0]) or 0)
        self.columns_table.setRowCount(len(pairs))
        for row, (column, measure) in enumerate(pairs):
            self.columns_table.setItem(row, 0, QTableWidgetItem(column))
            self.columns_table.setItem(row, 1, QTableWidgetItem(measure))

    def set_column(self) -> None:
        """列 → 数据项 for the selected block (a column already set gets the new item)."""
        block = self.current()
        if block is None:
            return
        column = self.column_edit.text().strip().upper()
        if column_number(column) is None:
            self.error_label.setText(self.tr("请填写要填数的列，如 C（A 至 XFD）"))
            self.column_edit.setFocus()
            return
        if column == block.key_column:
            self.error_label.setText(self.tr("{0} 列是社区名称列，不能再填数据").format(column))
            return
        self.error_label.clear()
        block.columns[column] = str(self.measure_combo.currentData())
        self._show_columns()
        self.column_edit.clear()
        self.column_edit.setFocus()
        self._update()

    def remove_column(self) -> None:
        block = self.current()
        item = self.columns_table.item(self.columns_table.currentRow(), 0)
        if block is None or item is None:
            return
        del block.columns[item.text()]
        self._show_columns()
        self._update()

    def problem(self) -> tuple[int, str] | None:
        """The first block that cannot be saved as it is, and why."""
        for k, block in enumerate(self.blocks):
            if not block.key_column:
                return k, self.tr("第 {0} 个社区行块还没有填写社区名称所在的列").format(k + 1)
            if column_number(block.key_column) is None:
                return k, self.tr("第 {0} 个社区行块的社区名称列“{1}”不正确，应在 A 至 XFD 之间"
                                  ).format(k + 1, block.key_column)
            if not block.columns:
                return k, self.tr("第 {0} 个社区行块还没有设置要填的列").format(k + 1)
        return None
