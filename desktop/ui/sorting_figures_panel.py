"""The 统计 tab of 垃圾分类: a period's pass rates per community and site type, the items most
often failed and the sites failing twice in a row."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.sorting_figures import GroupFigures, SortingFigures
from desktop.domain.stats import Period

from . import sorting_operations
from .context import AppContext

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], *, bold_last: bool = False) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            if c and text[:1].isdigit() or text in ("—",):
                item.setTextAlignment(_RIGHT)
            if bold_last and r == len(rows) - 1:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)


class SortingFiguresPanel(QWidget):
    show_unchecked = Signal()  # the clerk wants the list of sites not checked in the period

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self.figures: SortingFigures | None = None
        self.headline = QLabel(self.tr("正在统计…"))
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setWordWrap(True)
        self.unchecked_button = QPushButton()
        self.unchecked_button.setFlat(True)
        self.unchecked_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.unchecked_button.setToolTip(self.tr("查看本期未检查的点位"))
        group_headers = [self.tr("名称"), self.tr("点位"), self.tr("检查"), self.tr("合格"),
                         self.tr("合格率"), self.tr("平均分"), self.tr("一次合格"), self.tr("复查")]
        self.communities = _table([self.tr("社区"), *group_headers[1:]])
        self.site_types = _table([self.tr("类型"), *group_headers[1:]])
        self.items = _table([self.tr("类别"), self.tr("检查项"), self.tr("不合格次数"), self.tr("占比")])
        self.repeats = _table([self.tr("点位"), self.tr("类型"), self.tr("社区"), self.tr("前次"),
                               self.tr("本次")])
        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(self.unchecked_button)
        grid = QGridLayout()
        for n, (title, table) in enumerate((
                (self.tr("各社区（按点位的最终结果，复查合格计为合格）"), self.communities),
                (self.tr("各类点位"), self.site_types),
                (self.tr("最常不合格的检查项（首次检查）"), self.items),
                (self.tr("连续两次不合格的点位"), self.repeats))):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(4, 4, 4, 4)
            inner.addWidget(table)
            grid.addWidget(box, n // 2, n % 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        self.unchecked_button.clicked.connect(self.show_unchecked)

    def load(self, period: Period) -> None:
        self._generation += 1
        generation = self._generation
        self.headline.setText(self.tr("正在统计 {0} …").format(period.label))
        sorting_operations.load_figures(
            self._ctx, period, lambda f: self._show(generation, f), owner=self)

    def _show(self, generation: int, figures: SortingFigures) -> None:
        if generation != self._generation:
            return
        self.figures = figures
        t = figures.total
        self.headline.setText(self.tr(
            "{0}（{1} 至 {2}）：检查 {3} 次，合格 {4} 次，合格率 {5}，平均 {6:g} 分；"
            "检查点位 {7}/{8} 个").format(
            figures.period, figures.start, figures.end, t.checks, t.passed,
            f"{t.rate:.1%}" if t.checks else "—", t.average, t.sites, figures.active_sites))
        self.unchecked_button.setText(self.tr("未检查点位 {0} 个 →").format(figures.unchecked_sites))
        self.unchecked_button.setStyleSheet("color: #b71c1c; font-weight: bold;"
                                            if figures.unchecked_sites else "")
        _fill(self.communities, [self._group_row(g) for g in [*figures.communities, t]],
              bold_last=True)
        total_cell = self.communities.item(len(figures.communities), 0)
        if total_cell is not None:
            total_cell.setText(self.tr("合计"))
        _fill(self.site_types, [self._group_row(g) for g in figures.site_types])
        _fill(self.items, [[i.group, i.text, str(i.failures), f"{i.share:.0%}"]
                           for i in figures.failed_items])
        _fill(self.repeats, [[f.site, f.site_type, f.community, f.dates[0].isoformat(),
                              f.dates[1].isoformat()] for f in figures.repeat_failures])

    def _group_row(self, g: GroupFigures) -> list[str]:
        if not g.checks:
            return [g.name, "0", "0", "0", "—", "—", "0", "0"]
        return [g.name, str(g.sites), str(g.checks), str(g.passed), f"{g.rate:.1%}",
                f"{g.average:g}", str(g.first_passed), str(g.rechecks)]
