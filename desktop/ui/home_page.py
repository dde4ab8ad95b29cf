"""首页: what is due today, this month's rates per community as charts and a table, and the
twelve-month trend; every figure opens the filtered list behind it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.agreements import Reminders
from desktop.domain.dashboard import CommunityRates, Dashboard

from . import home_links as links
from . import hub, operations

if TYPE_CHECKING:
    from .home_charts import HomeCharts
from .context import AppContext
from .finding_due import FindingDueRow
from .page import Page
from .permit_due import PermitDueRow
from .sorting_due import SortingDueRow

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
AGREEMENT = "agreement"  # the hub kind of 门前三包 changes
# What is due on 门前三包, each leading to the list filtered to it: (filter, text, urgent colour).
_DUE = (("expiring", QT_TRANSLATE_NOOP("HomePage", "即将到期"), "#8a5a00"),
        ("expired", QT_TRANSLATE_NOOP("HomePage", "已到期未续签"), "#b71c1c"),
        ("unsigned", QT_TRANSLATE_NOOP("HomePage", "未签约商户"), "#b71c1c"),
        ("draft", QT_TRANSLATE_NOOP("HomePage", "草稿"), "#555555"))
_NAME = "name"
# The per-community table: (figure of home_links, heading).
_COLUMNS = ((_NAME, QT_TRANSLATE_NOOP("HomePage", "社区")),
            (links.BUSINESSES, QT_TRANSLATE_NOOP("HomePage", "在册商户")),
            (links.REQUIRED, QT_TRANSLATE_NOOP("HomePage", "应签门前三包")),
            (links.SIGNED, QT_TRANSLATE_NOOP("HomePage", "已签")),
            (links.SIGNING_RATE, QT_TRANSLATE_NOOP("HomePage", "签约率")),
            (links.CHECKS, QT_TRANSLATE_NOOP("HomePage", "本月分类检查")),
            (links.PASS_RATE, QT_TRANSLATE_NOOP("HomePage", "合格率")),
            (links.FOUND, QT_TRANSLATE_NOOP("HomePage", "本月发现问题")),
            (links.RECTIFIED, QT_TRANSLATE_NOOP("HomePage", "其中已整改")),
            (links.OVERDUE, QT_TRANSLATE_NOOP("HomePage", "逾期未改")),
            (links.NOTICES, QT_TRANSLATE_NOOP("HomePage", "本月通知书")))


class HomePage(Page):
    cares_about = frozenset({hub.BUSINESS, hub.COMMUNITY, hub.GRID, AGREEMENT, "finding", "notice",
                             "sorting", "permit"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dashboard: Dashboard | None = None
        self.period_label = QLabel(self.tr("正在统计…"))
        font = self.period_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.period_label.setFont(font)
        self.businesses_button = QPushButton()
        self.businesses_button.setFlat(True)
        self.businesses_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.businesses_button.setToolTip(self.tr("打开商户台账"))
        heading = QHBoxLayout()
        heading.setContentsMargins(8, 4, 8, 0)
        heading.addWidget(self.period_label)
        heading.addStretch(1)
        heading.addWidget(self.businesses_button)
        due = QHBoxLayout()
        due.setContentsMargins(8, 0, 8, 0)
        due.addWidget(QLabel(self.tr("门前三包待办：")))
        self.due_buttons: dict[str, QPushButton] = {}
        for key, _text, _colour in _DUE:
            button = QPushButton()
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(self.tr("在“门前三包”中查看"))
            button.clicked.connect(lambda _checked=False, k=key: self.navigate.emit(
                "agreements", {"state": k}))
            self.due_buttons[key] = button
            due.addWidget(button)
        self.finding_due = FindingDueRow(ctx)
        self.finding_due.navigate.connect(self.navigate)
        due.addWidget(self.finding_due)
        due.addStretch(1)
        self._show_reminders(None)
        self.sorting_due = SortingDueRow(ctx)
        self.sorting_due.navigate.connect(self.navigate)
        self.permit_due = PermitDueRow(ctx)
        self.permit_due.navigate.connect(self.navigate)

        # The charts (pyqtgraph, numpy) are built with the first figures, after the window is up.
        self.charts: HomeCharts | None = None
        self._charts_tab = QWidget()
        QVBoxLayout(self._charts_tab).setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("HomePage", str(text)) for _key, text in _COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        hint = QLabel(self.tr("双击某个数字（或选中后按回车），查看它背后的名单；双击社区名，查看该社区的商户台账。"))
        hint.setContentsMargins(8, 0, 8, 4)
        table_layout.addWidget(hint)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._charts_tab, self.tr("图表"))
        self.tabs.addTab(table_page, self.tr("分社区数据"))

        self.body().addLayout(heading)
        self.body().addLayout(due)
        self.body().addWidget(self.sorting_due)
        self.body().addWidget(self.permit_due)
        self.body().addWidget(self.tabs, 1)
        self.businesses_button.clicked.connect(lambda: self.navigate.emit("ledger", {"community_id": None}))
        self.table.itemActivated.connect(self._open_cell)
        self.refresh()

    def refresh(self) -> None:
        operations.load_dashboard(self.ctx, self._show, owner=self)
        operations.load_agreement_reminders(self.ctx, self._show_reminders, owner=self)
        self.finding_due.reload()
        self.sorting_due.reload()
        self.permit_due.reload()

    def _show_reminders(self, reminders: Reminders | None) -> None:
        for key, text, colour in _DUE:
            count = getattr(reminders, "drafts" if key == "draft" else key) if reminders else None
            button = self.due_buttons[key]
            label = QCoreApplication.translate("HomePage", str(text))
            button.setText(f"{label} …" if count is None else f"{label} {count:,}")
            # A count that needs doing stands out; nothing due stays quiet.
            button.setStyleSheet(f"color: {colour}; font-weight: bold;" if count else "")

    def _show(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        self.period_label.setText(self.tr("本月概况（{0}，截至 {1}）").format(
            dashboard.period.label, dashboard.as_of.isoformat()))
        self.businesses_button.setText(
            self.tr("在册商户共 {0} 家 →").format(f"{dashboard.total.businesses:,}"))
        if self.charts is None:
            from .home_charts import HomeCharts

            self.charts = HomeCharts()
            self.charts.navigate.connect(self.navigate)
            self._charts_tab.layout().addWidget(self.charts)
        self.charts.show_dashboard(dashboard)
        rows = [*dashboard.rows, dashboard.total]
        self.table.setRowCount(len(rows))
        for r, figures in enumerate(rows):
            self._fill_row(r, figures, is_total=figures is dashboard.total)

    def _fill_row(self, r: int, f: CommunityRates, *, is_total: bool) -> None:
        for c, (key, _text) in enumerate(_COLUMNS):
            if key == _NAME:
                text = self.tr("合计") if is_total else f.name
            elif key in (links.SIGNING_RATE, links.PASS_RATE):
                whole = f.required if key == links.SIGNING_RATE else f.checks
                text = f"{getattr(f, key):.1%}" if whole else "—"
            else:
                text = f"{getattr(f, key):,}"
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, f.community_id)
            if key != _NAME:
                item.setTextAlignment(_RIGHT)
            if is_total:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(r, c, item)

    def _open_cell(self, item: QTableWidgetItem) -> None:
        if self.dashboard is None:
            return
        key = _COLUMNS[item.column()][0]
        figure = links.BUSINESSES if key == _NAME else key
        self.navigate.emit(*links.community_link(
            figure, item.data(Qt.ItemDataRole.UserRole), self.dashboard.period))
