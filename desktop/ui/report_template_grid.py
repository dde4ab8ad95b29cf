"""One sheet of the district's template as a read-only grid, with the mapped cells marked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from openpyxl.utils import get_column_letter
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

from desktop.io.template_fill import SheetPreview

CELL_COLOR = QColor("#ffe699")  # a cell mapped to a figure
BLOCK_COLOR = QColor("#c6efce")  # a cell a community row block fills
KEY_COLOR = QColor("#ddebf7")  # a community's name that a block keys on
UNKNOWN_COLOR = QColor("#ffc7ce")  # a figure that no longer exists
FORMULA_COLOR = QColor("#7f7f7f")

Cell = tuple[int, int]  # (row, column), both from 1


class Block:
    """Where a community row block writes on this sheet: its key column and its columns."""

    def __init__(self, key_column: int, columns: Mapping[int, str]) -> None:
        self.key_column = key_column
        self.columns = dict(columns)


class TemplateGrid(QTableWidget):
    def __init__(self, sheet: SheetPreview, parent: QWidget | None = None) -> None:
        super().__init__(sheet.rows, sheet.columns, parent)
        self.sheet = sheet
        self._marked: set[Cell] = set()
        self.setHorizontalHeaderLabels([get_column_letter(c) for c in range(1, sheet.columns + 1)])
        self.setVerticalHeaderLabels([str(r) for r in range(1, sheet.rows + 1)])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # arrows move between cells; Tab leaves the grid
        metrics = self.fontMetrics()
        self.horizontalHeader().setDefaultSectionSize(metrics.horizontalAdvance("门前三包.签约率") + 12)
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        self._italic = QFont(self.font())
        self._italic.setItalic(True)
        for first_row, first_col, last_row, last_col in sheet.merged:
            self.setSpan(first_row - 1, first_col - 1, last_row - first_row + 1,
                         last_col - first_col + 1)
        for cell in sheet.cells:
            self._reset(cell)
        self.setCurrentCell(0, 0)

    def title(self) -> str:
        return self.sheet.title

    def current(self) -> Cell | None:
        row, column = self.currentRow(), self.currentColumn()
        return (row + 1, column + 1) if row >= 0 and column >= 0 else None

    def select(self, coordinate: Cell) -> None:
        self.setCurrentCell(coordinate[0] - 1, coordinate[1] - 1)

    def text(self, cell: Cell) -> str:
        return self.sheet.cells.get(cell, "")

    def is_formula(self, cell: Cell) -> bool:
        return cell in self.sheet.formulas

    def _item(self, cell: Cell) -> QTableWidgetItem:
        item = self.item(cell[0] - 1, cell[1] - 1)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(cell[0] - 1, cell[1] - 1, item)
        return item

    def _reset(self, cell: Cell) -> None:
        text = self.text(cell)
        if not text and self.item(cell[0] - 1, cell[1] - 1) is None:
            return
        item = self._item(cell)
        item.setText(text)
        item.setToolTip(text)
        item.setBackground(QBrush())
        if self.is_formula(cell):
            item.setForeground(QBrush(FORMULA_COLOR))
            item.setFont(self._italic)
        else:
            item.setForeground(QBrush())
            item.setFont(self.font())

    def _mark(self, cell: Cell, figure: str, color: QColor, tip: str) -> None:
        item = self._item(cell)
        item.setText(figure)
        item.setBackground(QBrush(color))
        item.setForeground(QBrush(QColor("#1f3864")))
        item.setToolTip(tip)
        self._marked.add(cell)

    def block_rows(self, block: Block, keys: Iterable[str]) -> list[int]:
        """The rows whose key column holds a community's name (or 合计…)."""
        names = set(keys)
        return [row for row in range(1, self.sheet.rows + 1)
                if self.text((row, block.key_column)).strip() in names]

    def show_mapping(self, cells: Mapping[Cell, str], blocks: Iterable[Block],
                     keys: Iterable[str], unknown: set[str]) -> None:
        """Mark what will be filled: mapped cells, and the rows and columns of each block."""
        for cell in self._marked:
            self._reset(cell)
        self._marked = set()
        keys = list(keys)
        for block in blocks:
            for row in self.block_rows(block, keys):
                key = (row, block.key_column)
                item = self._item(key)
                item.setBackground(QBrush(KEY_COLOR))
                self._marked.add(key)
                for column, measure in block.columns.items():
                    if not self.is_formula((row, column)):
                        self._mark((row, column), measure, BLOCK_COLOR,
                                   self.tr("社区行块：填入“{0}”行的 {1}").format(
                                       self.text(key).strip(), measure))
        for cell, figure in cells.items():
            if cell[0] <= self.sheet.rows and cell[1] <= self.sheet.columns:
                bad = figure in unknown
                tip = (self.tr("数据项“{0}”不存在，请重新选择或清除") if bad
                       else self.tr("填入：{0}")).format(figure)
                if self.text(cell):
                    tip += "\n" + self.tr("模板原有内容：{0}").format(self.text(cell))
                self._mark(cell, figure, UNKNOWN_COLOR if bad else CELL_COLOR, tip)
