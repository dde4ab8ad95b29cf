"""首页: the headline figures per community, each row leading to that community's ledger."""

from __future__ import annotations

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
    QWidget,
)

from desktop.domain.agreements import Reminders

from . import hub, operations
from .context import AppContext
from .finding_due import FindingDueRow
from .operations import CommunityFigures, HomeSummary
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


class HomePage(Page):
    cares_about = frozenset({hub.BUSINESS, hub.COMMUNITY, hub.GRID, AGREEMENT, "finding", "notice",
                             "sorting", "permit"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._summary: HomeSummary | None = None
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

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("社区"), self.tr("在册商户"), self.tr("应签门前三包"), self.tr("已签"),
             self.tr("签约率")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        hint = QLabel(self.tr("双击某个社区，查看该社区的商户台账。"))
        hint.setContentsMargins(8, 0, 8, 4)

        self.body().addLayout(heading)
        self.body().addLayout(due)
        self.body().addWidget(self.sorting_due)
        self.body().addWidget(self.permit_due)
        self.body().addWidget(self.table, 1)
        self.body().addWidget(hint)
        self.businesses_button.clicked.connect(lambda: self.navigate.emit("ledger", {"community_id": None}))
        self.table.itemActivated.connect(self._open_row)
        self.refresh()

    def refresh(self) -> None:
        operations.load_home_summary(self.ctx, self._show, owner=self)
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

    def _show(self, summary: HomeSummary) -> None:
        self._summary = summary
        self.period_label.setText(self.tr("本月概况（{0}，截至 {1}）").format(summary.period, summary.as_of))
        self.businesses_button.setText(
            self.tr("在册商户共 {0} 家 →").format(f"{summary.total.businesses:,}"))
        rows = [*summary.rows, summary.total]
        self.table.setRowCount(len(rows))
        for r, figures in enumerate(rows):
            self._fill_row(r, figures, is_total=figures is summary.total)

    def _fill_row(self, r: int, f: CommunityFigures, *, is_total: bool) -> None:
        values = [self.tr("合计") if is_total else f.name, f"{f.businesses:,}", f"{f.required:,}",
                  f"{f.signed:,}", f"{f.rate:.1%}" if f.required else "—"]
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, f.community_id)
            if c:
                item.setTextAlignment(_RIGHT)
            if is_total:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(r, c, item)

    def _open_row(self, item: QTableWidgetItem) -> None:
        community_id = item.data(Qt.ItemDataRole.UserRole)
        self.navigate.emit("ledger", {"community_id": community_id})
