"""对应关系: which cell of the district's template gets which figure, saved beside the template.

The template is shown sheet by sheet as it looks in Excel (its first rows and columns);
the clerk selects a cell and picks a figure from the catalogue, or sets up 社区行块 for
rows filled per community. Figures are only ever picked, so no unknown name gets in.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.divisions import CommunityInfo
from desktop.io.template_fill import (
    TOTAL_KEYS,
    CommunityRows,
    Mapping,
    column_number,
    load_mapping,
    mapping_path,
    preview_template,
    save_mapping,
)

from . import operations, prompts
from .context import AppContext
from .report_figure_picker import FigurePicker, all_figures, on_enter
from .report_row_blocks import RowBlocksEditor
from .report_template_grid import Block, Cell, TemplateGrid
from .window_state import RememberingDialog

ERROR_STYLE = "color: #c00000;"
CELLS_TAB, BLOCKS_TAB = 0, 1


def _cell(coordinate: str) -> Cell | None:
    try:
        letters, row = coordinate_from_string(coordinate.replace("$", "").upper())
    except ValueError:
        return None
    column = column_number(letters)
    return (row, column) if column else None


def _coordinate(cell: Cell) -> str:
    return f"{get_column_letter(cell[1])}{cell[0]}"


class MappingDialog(RememberingDialog):
    """Raises ExportError when the template cannot be read (or would be refused by the fill)."""

    def __init__(self, ctx: AppContext, template: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MappingDialog")
        self.setWindowTitle(self.tr("设置对应关系 — {0}").format(template.name))
        self.template = template
        previews = preview_template(template)
        saved = load_mapping(template) or Mapping()
        self._first = previews[0].title
        self._communities: list[str] | None = None  # until loaded
        # (sheet, cell) → figure; addresses the preview cannot show are kept as they were.
        self.cells: dict[tuple[str, Cell], str] = {}
        self._other_cells: dict[str, str] = {}
        for address, figure in saved.cells.items():
            sheet, _, coordinate = address.rpartition("!")
            cell = _cell(coordinate)
            if cell is None:
                self._other_cells[address] = figure
            else:
                self.cells[(sheet.strip("'") or self._first, cell)] = figure

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.grids = [TemplateGrid(sheet) for sheet in previews]
        for grid in self.grids:
            self.tabs.addTab(grid, grid.title())
        self.cell_label = QLabel()
        self.cell_label.setWordWrap(True)
        self.picker = FigurePicker()
        self.assign_button = QPushButton(self.tr("填入所选单元格(&F)"))
        self.clear_button = QPushButton(self.tr("清除所选单元格(&C)"))
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(ERROR_STYLE)
        self.blocks = RowBlocksEditor([g.title() for g in self.grids], self._selected_column)
        self.blocks.set_blocks([CommunityRows(b.key_column, dict(b.columns), b.sheet or self._first)
                                for b in saved.community_rows])
        self.count_label = QLabel()
        self.save_button = QPushButton(self.tr("保存(&S)"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))

        cell_page = QWidget()
        cell_buttons = QHBoxLayout()
        cell_buttons.addWidget(self.assign_button)
        cell_buttons.addWidget(self.clear_button)
        cell_buttons.addStretch(1)
        cell_layout = QVBoxLayout(cell_page)
        cell_layout.addWidget(self.cell_label)
        cell_layout.addWidget(self.picker, 1)
        cell_layout.addLayout(cell_buttons)
        cell_layout.addWidget(self.note_label)
        self.side = QTabWidget()
        self.side.addTab(cell_page, self.tr("单元格"))
        blocks_page = QScrollArea()  # scrolls rather than squeezes on a small screen
        blocks_page.setWidget(self.blocks)
        blocks_page.setWidgetResizable(True)
        blocks_page.setFrameShape(QFrame.Shape.NoFrame)
        self.side.addTab(blocks_page, self.tr("社区行块"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mapping")
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(0, False)
        splitter.setCollapsible(1, False)
        hint = QLabel(self.tr("在左边选中单元格（可用方向键，回车转到搜索），在右边选数据项后回车或点“填入”。"
                              "黄色为已设置的单元格，绿色为社区行块将填的单元格。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.save_button)
        footer.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)
        splitter.setSizes([780, 380])
        self._fit_screen(1180, 660)
        # The right side's tabs before what is on them, not after 取消.
        QWidget.setTabOrder(self.grids[-1], self.side)
        QWidget.setTabOrder(self.side, self.picker.search_edit)

        self.tabs.currentChanged.connect(self._selection_changed)
        for grid in self.grids:
            grid.currentCellChanged.connect(self._selection_changed)
            grid.cellDoubleClicked.connect(lambda *_: self._to_search())
            on_enter(grid, self._to_search)
        self.picker.picked.connect(self.assign)
        self.assign_button.clicked.connect(lambda: self.assign(self.picker.current_figure()))
        self.clear_button.clicked.connect(self.clear_cell)
        self.blocks.changed.connect(self.refresh)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.refresh()
        operations.load_communities(ctx, self._communities_loaded, owner=self)

    def _fit_screen(self, width: int, height: int) -> None:
        """The preferred size, smaller where the screen is (1366×768 at 150 % is ~910×512)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() - 40)
            height = min(height, room.height() - 60)
        self.resize(width, height)

    # --- what is selected ---------------------------------------------------------------------

    def grid(self) -> TemplateGrid:
        return self.grids[max(self.tabs.currentIndex(), 0)]

    def selected(self) -> tuple[str, Cell] | None:
        grid = self.grid()
        cell = grid.current()
        return (grid.title(), cell) if cell else None

    def select(self, sheet: str, coordinate: str) -> None:
        """Show `sheet` with `coordinate` (B3) selected."""
        cell = _cell(coordinate)
        for k, grid in enumerate(self.grids):
            if grid.title() == sheet and cell is not None:
                self.tabs.setCurrentIndex(k)
                grid.select(cell)

    def _selected_column(self) -> tuple[str, str] | None:
        chosen = self.selected()
        return (chosen[0], get_column_letter(chosen[1][1])) if chosen else None

    def _to_search(self) -> None:
        self.side.setCurrentIndex(CELLS_TAB)
        self.picker.search_edit.setFocus()
        self.picker.search_edit.selectAll()

    def _selection_changed(self, *_args: object) -> None:
        self.note_label.clear()
        chosen = self.selected()
        if chosen is None:
            self.cell_label.setText(self.tr("请在左边表格中选择要填数的单元格。"))
            return
        sheet, cell = chosen
        grid = self.grid()
        text = self.tr("所选单元格：{0}!{1}").format(sheet, _coordinate(cell))
        if grid.text(cell):
            text += self.tr("（模板原有：{0}）").format(grid.text(cell)[:40])
        figure = self.cells.get(chosen)
        text += "\n" + (self.tr("当前填入：{0}").format(figure) if figure
                        else self.tr("当前未设置"))
        self.cell_label.setText(text)
        if figure:
            self.picker.select(figure)

    # --- changing the mapping ---------------------------------------------------------------

    def assign(self, figure: str | None) -> bool:
        chosen = self.selected()
        if chosen is None:
            self.note_label.setText(self.tr("请先在左边表格中选择一个单元格。"))
            return False
        if not figure:
            self.note_label.setText(self.tr("请在列表中选择一项数据（如“全街道（合计）”下的“商户数”）。"))
            return False
        if self.grid().is_formula(chosen[1]):
            self.note_label.setText(self.tr("{0} 是模板中的公式，填报时不会改动，请选择别的单元格。").format(
                _coordinate(chosen[1])))
            return False
        self.cells[chosen] = figure
        self.refresh()
        self._selection_changed()
        self.grid().setFocus()
        return True

    def clear_cell(self) -> None:
        chosen = self.selected()
        if chosen is not None and self.cells.pop(chosen, None) is not None:
            self.refresh()
            self._selection_changed()

    def _communities_loaded(self, communities: list[CommunityInfo]) -> None:
        self._communities = [c.name for c in communities]
        self.picker.set_communities(self._communities)
        self.refresh()

    def unknown(self) -> set[str]:
        """Saved figures the catalogue no longer has (a renamed community, say)."""
        if self._communities is None:
            return set()
        known = all_figures(self._communities)
        return {f for f in [*self.cells.values(), *self._other_cells.values()] if f not in known}

    def refresh(self) -> None:
        unknown = self.unknown()
        keys = [*TOTAL_KEYS, *(self._communities or [])]
        for grid in self.grids:
            cells = {cell: figure for (sheet, cell), figure in self.cells.items()
                     if sheet == grid.title()}
            blocks = [Block(column_number(b.key_column) or 0,
                            {column_number(c) or 0: m for c, m in b.columns.items()})
                      for b in self.blocks.blocks
                      if (b.sheet or self._first) == grid.title() and column_number(b.key_column)]
            grid.show_mapping(cells, blocks, keys, unknown)
        text = self.tr("已设置 {0} 个单元格、{1} 个社区行块").format(
            len(self.cells) + len(self._other_cells), len(self.blocks.blocks))
        if unknown:
            text += self.tr("；{0} 项数据项已不存在（红色），请重新选择或清除").format(len(unknown))
        self.count_label.setText(text)
        self.count_label.setStyleSheet(ERROR_STYLE if unknown else "")

    # --- saving -------------------------------------------------------------------------------

    def mapping(self) -> Mapping:
        cells = dict(self._other_cells)
        for (sheet, cell), figure in sorted(self.cells.items()):
            address = _coordinate(cell)
            cells[address if sheet == self._first else f"{sheet}!{address}"] = figure
        return Mapping(cells, [CommunityRows(b.key_column, dict(b.columns), b.sheet)
                               for b in self.blocks.blocks])

    def save(self) -> bool:
        problem = self.blocks.problem()
        if problem is not None:
            self.side.setCurrentIndex(BLOCKS_TAB)
            self.blocks.block_list.setCurrentRow(problem[0])
            self.blocks.error_label.setText(problem[1])
            return False
        unknown = self.unknown()
        if unknown:
            prompts.show_error(self, self.tr("设置对应关系"), self.tr(
                "以下数据项已不存在：{0}。请选中这些红色单元格，重新选择数据项或清除后再保存。").format(
                "、".join(sorted(unknown))))
            return False
        try:
            save_mapping(self.template, self.mapping())
        except OSError as exc:
            prompts.show_error(self, self.tr("设置对应关系"), self.tr(
                "无法保存对应关系文件（{0}）：{1}。请确认模板所在文件夹可以写入。").format(
                mapping_path(self.template).name, exc.strerror or exc))
            return False
        self.accept()
        return True
