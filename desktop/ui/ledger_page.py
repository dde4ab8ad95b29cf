"""商户台账: the filter row, the paged business table, the details panel and their actions."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QSplitter,
    QStyle,
    QWidget,
)

from desktop.domain.businesses import BusinessRow
from desktop.domain.divisions import CommunityInfo
from desktop.domain.errors import DomainError
from desktop.io import list_sources

from . import export_runner, hub, operations, prompts
from .business_details import BusinessDetailsPanel
from .business_dialog import BusinessDialog
from .business_filter_bar import BusinessFilterBar
from .business_table_model import COLUMNS, BusinessTableModel
from .business_table_view import BusinessTableView
from .context import AppContext
from .operations import BusinessDetails
from .page import Page
from .table_selection import SelectionKeeper

DETAILS_DELAY_MS = 100  # arrow-key scrolling must not queue a history load per row


class LedgerPage(Page):
    cares_about = frozenset({hub.BUSINESS, hub.COMMUNITY, hub.GRID})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._communities: list[CommunityInfo] = []
        self._details_generation = 0
        self._opening_editor = False

        self.filter_bar = BusinessFilterBar()
        self.count_label = QLabel(self.tr("正在查询…"))
        self.count_label.setMinimumWidth(90)
        self.filter_bar.add_trailing(self.count_label)
        self.model = BusinessTableModel(ctx, self)
        self.table = BusinessTableView(self.model, "pages/ledger/header")
        self.details = BusinessDetailsPanel()
        self.details.setMinimumWidth(240)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("ledger")
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(0, False)
        splitter.setSizes([960, 280])
        self.body().addWidget(self.filter_bar)
        self.body().addWidget(splitter, 1)
        self._details_timer = QTimer(self, singleShot=True, interval=DETAILS_DELAY_MS)

        self.act_new.setEnabled(True)
        self.act_new.setText(self.tr("新增商户"))
        self.act_edit.setToolTip(self.tr("编辑所选商户（Enter 或双击）"))
        self.act_print.setToolTip(self.tr("商户台账暂无可打印的文书"))
        self.act_export.setEnabled(True)
        self.act_export.setToolTip(self.tr("按当前筛选、排序和列导出为 Excel（Ctrl+E）"))
        style = self.style()
        self.act_deactivate = QAction(style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon),
                                      self.tr("移出台账…"), self)
        self.act_reactivate = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogResetButton),
                                      self.tr("恢复在册…"), self)
        self.act_search = QAction(self.tr("查找"), self)
        self.act_search.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.addAction(self.act_search)
        self.act_import = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton),
                                  self.tr("导入…"), self)
        self.act_import.setToolTip(self.tr("从旧台账（Excel、WPS、CSV）导入商户，可整批撤销"))
        self.act_import.triggered.connect(self.import_ledger)
        self.toolbar.addAction(self.act_import)

        self.act_new.triggered.connect(self.new_business)
        self.act_edit.triggered.connect(self.edit_selected)
        self.act_deactivate.triggered.connect(self.deactivate_selected)
        self.act_reactivate.triggered.connect(self.reactivate_selected)
        self.act_search.triggered.connect(self.filter_bar.focus_search)
        self.act_export.triggered.connect(self.export_list)
        self.filter_bar.changed.connect(self._apply_filters)
        self.keeper = SelectionKeeper(self.table, self.model, self)
        self.keeper.chosen.connect(self._chosen)
        self.model.loaded.connect(self._after_load)
        self.table.activated.connect(self.edit_selected)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self._details_timer.timeout.connect(self._load_details)

        self._update_actions()
        self._load_communities()
        self._apply_filters()

    def save_state(self) -> None:
        self.table.save_state()

    # --- loading --------------------------------------------------------------------------

    def activate(self, arg: object = None) -> None:
        if isinstance(arg, dict) and "community_id" in arg:
            self.filter_bar.set_community(arg["community_id"])

    def refresh(self) -> None:
        self._load_communities()
        self.model.refresh()

    def ledger_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {hub.COMMUNITY, hub.GRID}:
            self._load_communities()
        self.model.refresh()

    def _load_communities(self) -> None:
        operations.load_communities(self.ctx, self._communities_loaded, owner=self)

    def _communities_loaded(self, communities: list[CommunityInfo]) -> None:
        self._communities = communities
        self.filter_bar.set_communities(communities)

    def _apply_filters(self) -> None:
        self.model.set_query(self.filter_bar.apply_to(self.model.query))

    def _after_load(self) -> None:
        self.count_label.setText(self.tr("共 {0} 条").format(f"{self.model.total:,}"))
        self.keeper.restore()
        self._load_details()
        self._update_actions()

    # --- selection and details ------------------------------------------------------------

    def _chosen(self) -> None:
        self._update_actions()
        self._details_timer.start()

    def selected_row(self) -> BusinessRow | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row if row is not None and row.id == self.keeper.selected_id else None

    def _update_actions(self) -> None:
        row = self.selected_row()
        self.act_edit.setEnabled(self.keeper.selected_id is not None)
        self.act_deactivate.setEnabled(row is not None and row.active)
        self.act_reactivate.setEnabled(row is not None and not row.active)

    def _load_details(self) -> None:
        self._details_generation += 1
        generation = self._details_generation
        if self.keeper.selected_id is None:
            self.details.show_details(None)
            return

        def show(details: BusinessDetails | None) -> None:
            if generation == self._details_generation:
                self.details.show_details(details)

        operations.load_business_details(self.ctx, self.keeper.selected_id, show,
                                         failed=lambda _error: show(None), owner=self)

    # --- actions --------------------------------------------------------------------------

    def new_business(self) -> None:
        self._open_editor(None)

    def edit_selected(self) -> None:
        if self.keeper.selected_id is None or self._opening_editor:
            return
        self._opening_editor = True
        # Edit the row as stored now, not as it was when the page was loaded.
        operations.load_business(self.ctx, self.keeper.selected_id, self._open_editor,
                                 failed=self._editor_failed, owner=self)

    def _editor_failed(self, error: DomainError) -> None:
        self._opening_editor = False
        prompts.show_error(self, self.tr("无法编辑"), error.message)

    def _open_editor(self, row: BusinessRow | None) -> None:
        self._opening_editor = False
        dialog = BusinessDialog(self.ctx, self._communities, row, self,
                                community_id=self.model.query.community_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.open()

    def _saved(self, row: BusinessRow) -> None:
        # The hub's announcement that follows reloads the table; it then selects this one.
        self.keeper.selected_id = row.id

    def deactivate_selected(self) -> None:
        row = self.selected_row()
        if row is None or not row.active:
            return
        reason = prompts.ask_text(self, self.tr("移出台账"),
                                  self.tr("请填写“{0}”移出台账的原因（如：已搬离、已注销）：").format(row.name))
        if reason is None:
            return
        if not prompts.confirm(
                self, self.tr("移出台账"),
                self.tr("确定将“{0}”移出台账吗？\n原因：{1}\n\n移出后不再计入台账，勾选“含已移出”可查看并恢复。")
                .format(row.name, reason), ok_text=self.tr("移出台账")):
            return
        operations.set_business_active(self.ctx, row, False, reason, self._saved,
                                       failed=self._change_failed, owner=self)

    def reactivate_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.active:
            return
        if not prompts.confirm(self, self.tr("恢复在册"),
                               self.tr("确定将“{0}”恢复到台账中吗？").format(row.name),
                               ok_text=self.tr("恢复在册")):
            return
        operations.set_business_active(self.ctx, row, True, "", self._saved,
                                       failed=self._change_failed, owner=self)

    def export_list(self) -> export_runner.ListExport | None:
        """商户台账 as shown (filter, sort, columns) to a file the clerk picks."""
        query = self.model.query
        fields = export_runner.visible_fields(self.table.horizontalHeader(),
                                              [c.field for c in COLUMNS])
        if query.include_inactive:
            fields.append("active")  # which rows are still on the ledger: greyed on screen
        title = self.tr("商户台账")
        return export_runner.export_list(
            self, self.ctx, title, export_runner.file_name(title),
            lambda session: list_sources.business_source(session, query, fields))

    def import_ledger(self) -> QWidget:
        from .import_wizard import open_import_wizard

        return open_import_wizard(self.ctx, self)

    def _change_failed(self, error: DomainError) -> None:
        prompts.show_error(self, self.tr("未完成"), error.message)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.act_new)
        menu.addAction(self.act_edit)
        menu.addSeparator()
        menu.addAction(self.act_deactivate)
        menu.addAction(self.act_reactivate)
        menu.addSeparator()
        menu.addAction(self.act_export)
        menu.addAction(self.act_refresh)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))
