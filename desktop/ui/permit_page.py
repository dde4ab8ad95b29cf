"""户外广告: sign-permit applications by state, the selected one's details and its next steps."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QStyle,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import permits as P
from desktop.domain.permit_queries import PermitQuery
from desktop.io import list_sources

from . import export_runner, hub, permit_operations
from .context import AppContext
from .page import Page
from .permit_actions import PermitActions
from .permit_details import PermitDetailsPanel
from .permit_filter_bar import PermitFilterBar
from .permit_operations import PERMIT, PermitDetails
from .permit_table_model import PermitTableModel
from .table_selection import SelectionKeeper
from .window_state import restore_header, save_header

DETAILS_DELAY_MS = 100
HEADER_KEY = "pages/permits/header"
# Which statuses each step applies to (the rest of the rules are the service's).
STEPS: dict[str, tuple[str, ...]] = {
    "accept": (P.APPLIED,), "reject": (P.APPLIED,), "survey": (P.ACCEPTED, P.SURVEYED),
    "approve": (P.ACCEPTED, P.SURVEYED), "refuse": (P.ACCEPTED, P.SURVEYED),
    "install": (P.APPROVED,), "check": (P.INSTALLED, P.EXPIRED), "expire": P.GRANTED,
    "remove": P.STANDING,
}


class PermitPage(Page):
    cares_about = frozenset({PERMIT, hub.BUSINESS, hub.COMMUNITY, hub.OFFICE, "legal_basis"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._generation = 0
        self._row_details: PermitDetails | None = None

        self.filter_bar = PermitFilterBar()
        self.count_label = QLabel(self.tr("正在查询…"))
        self.count_label.setMinimumWidth(90)
        self.filter_bar.add_trailing(self.count_label)
        self.model = PermitTableModel(ctx, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        rows.setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, spec in enumerate(self.model.columns):
            self.table.setColumnWidth(column, self.table.fontMetrics().horizontalAdvance(spec.sample) + 14)
        restore_header(header, HEADER_KEY)

        style = self.style()
        sp = QStyle.StandardPixmap
        self.steps = QToolBar()
        self.steps.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.steps_label = QLabel(self.tr("办理："))
        self.steps.addWidget(self.steps_label)
        self.step_actions: dict[str, QAction] = {}
        for key, text, icon in (
                ("accept", self.tr("受理…"), sp.SP_DialogApplyButton),
                ("reject", self.tr("不予受理…"), sp.SP_DialogCancelButton),
                ("survey", self.tr("现场勘验…"), sp.SP_FileDialogContentsView),
                ("approve", self.tr("准予许可…"), sp.SP_DialogYesButton),
                ("refuse", self.tr("不予许可…"), sp.SP_DialogNoButton),
                ("install", self.tr("设置验收…"), sp.SP_DialogApplyButton),
                ("check", self.tr("安全检查…"), sp.SP_MessageBoxWarning),
                ("expire", self.tr("登记到期…"), sp.SP_BrowserStop),
                ("remove", self.tr("登记拆除…"), sp.SP_TrashIcon)):
            action = QAction(style.standardIcon(icon), text, self)
            self.steps.addAction(action)
            self.step_actions[key] = action
        self.details = PermitDetailsPanel()
        right = QWidget()
        stacked = QVBoxLayout(right)
        stacked.setContentsMargins(0, 0, 0, 0)
        stacked.setSpacing(2)
        stacked.addWidget(self.steps)
        stacked.addWidget(self.details, 1)
        right.setMinimumWidth(300)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("permits")
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(0, False)
        splitter.setSizes([900, 340])
        self.body().addWidget(self.filter_bar)
        self.body().addWidget(splitter, 1)
        self._details_timer = QTimer(self, singleShot=True, interval=DETAILS_DELAY_MS)

        self.act_new.setEnabled(True)
        self.act_new.setToolTip(self.tr("登记招牌设置申请（Ctrl+N）"))
        self.act_print.setToolTip(self.tr("预览、打印所选申请的受理通知书和许可决定书（Ctrl+P）"))
        self.act_export.setEnabled(True)
        self.act_export.setToolTip(self.tr("按当前筛选和列导出为 Excel（Ctrl+E）"))
        self.act_search = QAction(self.tr("查找"), self)
        self.act_search.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.addAction(self.act_search)
        self.commands = PermitActions(self)
        c = self.commands
        for key, slot in (("accept", c.accept_selected), ("reject", c.reject_selected),
                          ("survey", c.survey_selected), ("approve", c.approve_selected),
                          ("refuse", c.refuse_selected), ("install", c.install_selected),
                          ("check", c.check_selected), ("expire", c.expire_selected),
                          ("remove", c.remove_selected)):
            self.step_actions[key].triggered.connect(slot)
        self.act_new.triggered.connect(c.new_application)
        self.act_edit.triggered.connect(c.open_selected)
        self.act_print.triggered.connect(c.print_selected)
        self.act_export.triggered.connect(self.export_list)
        self.act_search.triggered.connect(self.filter_bar.focus_search)
        self.filter_bar.changed.connect(self._apply_filters)
        self.keeper = SelectionKeeper(self.table, self.model, self)
        self.keeper.chosen.connect(self._chosen)
        self.model.loaded.connect(self._after_load)
        self.table.activated.connect(c.open_selected)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self._details_timer.timeout.connect(self._load_details)

        c.load_form()
        self._apply_filters()

    def save_state(self) -> None:
        save_header(self.table.horizontalHeader(), HEADER_KEY)

    # --- filters and loading --------------------------------------------------------------

    def activate(self, arg: object = None) -> None:
        """`arg` may be {"state": a status or a reminder list ("expiring"), "community_id": id},
        each optional; the filters it does not name go back to 全部, the search is cleared."""
        if isinstance(arg, dict):
            self.filter_bar.set_filters(state=str(arg.get("state") or ""),
                                        community_id=arg.get("community_id"))

    def refresh(self) -> None:
        self.commands.load_form()
        self.model.refresh()

    def ledger_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {hub.COMMUNITY, hub.OFFICE, "legal_basis"}:
            self.commands.load_form()
        self.model.refresh()

    def _apply_filters(self) -> None:
        bar = self.filter_bar
        self.model.set_query(PermitQuery(text=bar.text(), state=bar.state(),
                                         community_id=bar.community_id()))
        self.update_actions()

    def _after_load(self) -> None:
        self.count_label.setText(self.tr("共 {0} 条").format(f"{self.model.total:,}"))
        self.keeper.restore()
        self._load_details()
        self.update_actions()

    # --- selection and details ------------------------------------------------------------

    def _chosen(self) -> None:
        self.update_actions()
        self._details_timer.start()

    def select_id(self, permit_id: int) -> None:
        """Select this permit when the list next loads; its details show even if filtered out."""
        self.keeper.selected_id = permit_id

    def selected_permit(self) -> P.PermitRow | None:
        """The selected permit; one filtered out of the list since is still shown in details."""
        row = self.model.row_at(self.table.currentIndex().row())
        if row is not None and row.id == self.keeper.selected_id:
            return row
        details = self._row_details
        if details is not None and details.row.id == self.keeper.selected_id:
            return details.row
        return None

    def update_actions(self) -> None:
        row = self.selected_permit()
        status = row.status if row else ""
        for key, action in self.step_actions.items():
            action.setVisible(status in STEPS[key])
        self.step_actions["expire"].setEnabled(bool(row and row.lapsed))
        self.step_actions["expire"].setToolTip(
            self.tr("许可期限届满后才能登记到期") if row and not row.lapsed else "")
        self.steps_label.setText(self.tr("办理：") if row and any(
            status in STEPS[k] for k in STEPS) else self.tr("办理：（无待办步骤）") if row
            else self.tr("办理：请先选择一件申请"))
        self.act_edit.setEnabled(status in P.PENDING)
        self.act_edit.setToolTip(self.tr("修改所选申请（作出决定前）") if status in P.PENDING
                                 else self.tr("已作出决定的许可不能修改"))
        printable = status not in ("", P.APPLIED, P.NOT_ACCEPTED)
        self.act_print.setEnabled(printable and not self.commands.printing)

    def _load_details(self) -> None:
        self._generation += 1
        generation = self._generation
        if self.keeper.selected_id is None:
            self._row_details = None
            self.details.show_details(None)
            self.update_actions()
            return

        def show(details: PermitDetails | None) -> None:
            if generation != self._generation:
                return
            self._row_details = details
            self.details.show_details(details)
            self.update_actions()

        permit_operations.load_permit_details(self.ctx, self.keeper.selected_id, show,
                                              failed=lambda _error: show(None), owner=self)

    def export_list(self) -> export_runner.ListExport | None:
        """The permits as shown (filter, order, columns) to .xlsx."""
        query = self.model.query
        return export_runner.export_shown(
            self, self.ctx, self.tr("户外广告及招牌许可"), self.table,
            [c.field for c in self.model.columns],
            lambda session, fields: list_sources.permit_page_source(session, query, fields))

    # --- context menu ---------------------------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.act_new)
        menu.addAction(self.act_edit)
        menu.addSeparator()
        for action in self.step_actions.values():
            if action.isVisible():
                menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.act_print)
        menu.addAction(self.act_export)
        menu.addAction(self.act_refresh)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))
