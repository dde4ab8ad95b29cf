"""垃圾分类: the checks (with their rechecks) and the sites, filtered by period, community, site
type and result, the details of the selected check, and the period's figures."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QWidget,
)

from desktop.domain.divisions import CommunityInfo
from desktop.domain.sorting import CheckQuery, CheckRow
from desktop.domain.sorting_sites import SiteQuery, SiteRow
from desktop.domain.stats import Period
from desktop.io import list_sources

from . import export_runner, hub, operations, sorting_operations, user_roles
from .context import AppContext
from .page import Page
from .sorting_actions import SortingActions
from .sorting_details import SortingDetailsPanel
from .sorting_figures_panel import SortingFiguresPanel
from .sorting_filter_bar import UNCHECKED, SortingFilterBar
from .sorting_operations import SORTING, CheckView
from .sorting_table_model import CheckTableModel, SiteTableModel
from .table_selection import select_row
from .window_state import restore_header, save_header

DETAILS_DELAY_MS = 100
CHECKS, SITES, FIGURES = range(3)


def _table(model: CheckTableModel | SiteTableModel, key: str) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    rows.setVisible(False)
    header = table.horizontalHeader()
    header.setSectionsMovable(True)
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    for column, spec in enumerate(model.columns):
        table.setColumnWidth(column, table.fontMetrics().horizontalAdvance(spec.sample) + 14)
    restore_header(header, key)
    return table


class SortingPage(Page):
    cares_about = frozenset({SORTING, hub.COMMUNITY, hub.GRID, hub.BUSINESS})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._check_id: int | None = None
        self._site_id: int | None = None
        self._details_generation = 0
        self.filter_bar = SortingFilterBar()
        self.count_label = QLabel(self.tr("正在查询…"))
        self.count_label.setMinimumWidth(90)
        self.filter_bar.add_trailing(self.count_label)
        self.check_model = CheckTableModel(ctx, self)
        self.site_model = SiteTableModel(ctx, self)
        self.check_table = _table(self.check_model, "pages/sorting/checks-header")
        self.site_table = _table(self.site_model, "pages/sorting/sites-header")
        self.details = SortingDetailsPanel()
        self.details.setMinimumWidth(280)
        self.figures = SortingFiguresPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.check_table, self.tr("检查记录"))
        self.tabs.addTab(self.site_table, self.tr("检查点位"))
        self.tabs.addTab(self.figures, self.tr("统计"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("sorting")
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(0, False)
        splitter.setSizes([900, 340])
        self.body().addWidget(self.filter_bar)
        self.body().addWidget(splitter, 1)
        self._details_timer = QTimer(self, singleShot=True, interval=DETAILS_DELAY_MS)

        icon = self.style().standardIcon
        sp = QStyle.StandardPixmap
        self.act_new.setText(self.tr("录入检查"))
        self.act_new.setToolTip(self.tr("按纸质检查表录入一次检查（Ctrl+N）"))
        self.act_new.setEnabled(True)
        self.act_edit.setText(self.tr("修改"))
        self.act_recheck = QAction(icon(sp.SP_BrowserReload), self.tr("复查…"), self)
        self.act_recheck.setShortcut(QKeySequence("Ctrl+R"))
        self.act_recheck.setToolTip(self.tr("对所选不合格检查进行复查：只录入不合格的项目（Ctrl+R）"))
        self.act_finding = QAction(icon(sp.SP_MessageBoxWarning), self.tr("登记问题"), self)
        self.act_finding.setToolTip(self.tr("将所选不合格检查登记为商户问题（垃圾分类不达标）"))
        for action in (self.act_recheck, self.act_finding):
            self.toolbar.insertAction(self.act_print, action)
        # In the details panel and the menus only: the toolbar is full at 1366 pixels.
        self.act_add_photos = QAction(self.tr("添加照片…"), self)
        self.act_add_photos.setToolTip(self.tr("为所选检查添加现场照片"))
        self.act_remove_photo = QAction(self.tr("删除照片"), self)
        self.act_remove_photo.setToolTip(self.tr("删除在下方选中的照片（Delete）"))
        if not user_roles.may_write(ctx.actor, "attachment"):
            assert ctx.actor is not None
            user_roles.disable_actions(self, [self.act_add_photos, self.act_remove_photo],
                                       user_roles.refusal(ctx.actor, "attachment"))
        self.details.set_photo_actions(self.act_add_photos, self.act_remove_photo)
        self.toolbar.insertSeparator(self.act_print)
        self.toolbar.addSeparator()
        self.act_new_site = self.toolbar.addAction(icon(sp.SP_FileDialogNewFolder), self.tr("新增点位"))
        self.act_edit_site = self.toolbar.addAction(self.tr("编辑点位"))
        self.act_toggle_site = self.toolbar.addAction(self.tr("停用点位"))
        self.toolbar.addSeparator()
        self.act_templates = self.toolbar.addAction(icon(sp.SP_FileDialogListView), self.tr("检查表…"))
        self.act_templates.setToolTip(self.tr("查看、修改各类点位的检查评分表（管理员）"))
        self.act_reported = self.toolbar.addAction(self.tr("标记已上报"))
        self.act_reported.setToolTip(self.tr("将所选期间标记为已上报区城管局；之后修改须填写原因"))
        self.act_print.setToolTip(self.tr("检查记录暂无打印文书"))
        self.act_export.setToolTip(self.tr("按当前筛选和列导出检查记录或检查点位为 Excel（Ctrl+E）"))
        self.act_search = QAction(self.tr("查找"), self)
        self.act_search.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.addAction(self.act_search)
        self.commands = SortingActions(self)

        self.act_new.triggered.connect(self.commands.new_check)
        self.act_edit.triggered.connect(self._edit)
        self.act_recheck.triggered.connect(self.commands.recheck_selected)
        self.act_finding.triggered.connect(self.commands.make_finding)
        self.act_add_photos.triggered.connect(self.commands.add_photos)
        self.act_remove_photo.triggered.connect(self.commands.remove_photo)
        self.act_new_site.triggered.connect(self.commands.new_site)
        self.act_edit_site.triggered.connect(self.commands.edit_site)
        self.act_toggle_site.triggered.connect(self.commands.toggle_site)
        self.act_templates.triggered.connect(self.commands.edit_templates)
        self.act_reported.triggered.connect(self.commands.mark_reported)
        self.act_export.triggered.connect(self.export_list)
        self.act_search.triggered.connect(self.filter_bar.focus_search)
        self.filter_bar.changed.connect(self._apply_filters)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.figures.show_unchecked.connect(self.show_unchecked)
        self.details.open_check.connect(self._open_chain_check)
        self.details.open_photo.connect(self.commands.open_photo)
        self.details.photo_selected.connect(self.update_actions)
        for model, table in ((self.check_model, self.check_table), (self.site_model, self.site_table)):
            model.loaded.connect(self._after_load)
            table.selectionModel().currentRowChanged.connect(self._current_changed)
            table.customContextMenuRequested.connect(self._context_menu)
        self.check_table.activated.connect(self._edit)
        self.site_table.activated.connect(self.commands.edit_site)
        self._details_timer.timeout.connect(self._load_details)

        operations.load_communities(ctx, self._communities_loaded, owner=self)
        self._apply_filters()

    def save_state(self) -> None:
        save_header(self.check_table.horizontalHeader(), "pages/sorting/checks-header")
        save_header(self.site_table.horizontalHeader(), "pages/sorting/sites-header")

    # --- navigation -------------------------------------------------------------------------

    def activate(self, arg: object = None) -> None:
        """`arg` may be {"filter": "unchecked" | "pending" | "overdue", "community_id": …}: the
        unchecked sites of the period, or the checks awaiting a recheck over all periods;
        or {"period": "2026-11" ("" for all), "community_id": …, "check_state": "" | "failed"
        …}: the checks of that period (this month when not named).

        Every other check filter goes back to its default (all types, no search text).
        """
        if not isinstance(arg, dict):
            return
        wanted = str(arg.get("filter") or "")
        if wanted == UNCHECKED:
            self.show_unchecked(arg.get("community_id"))
            return
        if wanted:
            period, state = "", wanted
        else:
            period = str(arg.get("period") or "") if "period" in arg else Period.parse(None).label
            state = str(arg.get("check_state") or "")
        self.tabs.setCurrentIndex(CHECKS)
        self.filter_bar.set_filters(period=period, check_state=state,
                                    community_id=arg.get("community_id"), site_type="", text="")

    def show_unchecked(self, community_id: int | None = None) -> None:
        self.tabs.setCurrentIndex(SITES)
        period = self.filter_bar.period() or Period.parse(None)
        self.filter_bar.set_filters(period=period.label, site_state=UNCHECKED,
                                    community_id=community_id
                                    if community_id is not None else self.filter_bar.community_id())

    def _tab_changed(self) -> None:
        self.filter_bar.show_sites(self.tabs.currentIndex() == SITES)
        self._apply_filters()

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        operations.load_communities(self.ctx, self._communities_loaded, owner=self)
        self._apply_filters()

    def ledger_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {hub.COMMUNITY, hub.GRID}:
            operations.load_communities(self.ctx, self._communities_loaded, owner=self)
        self._apply_filters()

    def _communities_loaded(self, communities: list[CommunityInfo]) -> None:
        self.filter_bar.set_communities(communities)

    def _apply_filters(self) -> None:
        bar = self.filter_bar
        period = bar.period()
        tab = self.tabs.currentIndex()
        if tab == CHECKS:
            self.check_model.set_query(CheckQuery(
                text=bar.text(), state=bar.check_state(), community_id=bar.community_id(),
                site_type=bar.site_type(), start=period.start if period else None,
                end=period.end if period else None))
        elif tab == SITES:
            unchecked = bar.site_state() == UNCHECKED
            month = period or Period.parse(None)
            self.site_model.set_query(SiteQuery(
                text=bar.text(), site_type=bar.site_type(), community_id=bar.community_id(),
                unchecked_between=(month.start, month.end) if unchecked else None,
                include_inactive=bar.site_state() == "inactive"))
        else:
            self.count_label.setText("")
            self.figures.load(period or Period.parse(None))
        self.update_actions()

    def _after_load(self) -> None:
        tab = self.tabs.currentIndex()
        if tab == FIGURES:
            return
        model = self.check_model if tab == CHECKS else self.site_model
        table = self.check_table if tab == CHECKS else self.site_table
        wanted = self._check_id if tab == CHECKS else self._site_id
        self.count_label.setText(self.tr("共 {0} 条").format(f"{model.total:,}"))
        row = model.row_of(wanted) if wanted is not None else None
        selection = table.selectionModel()
        selection.blockSignals(True)
        select_row(table, model, row)
        selection.blockSignals(False)
        self._load_details()
        self.update_actions()

    # --- selection --------------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.tabs.currentIndex() == CHECKS:
            row = self.check_model.row_at(current.row()) if current.isValid() else None
            self._check_id = row.id if row else None
        else:
            site = self.site_model.row_at(current.row()) if current.isValid() else None
            self._site_id = site.id if site else None
        self.update_actions()
        self._details_timer.start()

    def selected_check(self) -> CheckRow | None:
        if self.tabs.currentIndex() != CHECKS:
            return None
        row = self.check_model.row_at(self.check_table.currentIndex().row())
        return row if row is not None and row.id == self._check_id else None

    def selected_site(self) -> SiteRow | None:
        if self.tabs.currentIndex() != SITES:
            return None
        row = self.site_model.row_at(self.site_table.currentIndex().row())
        return row if row is not None and row.id == self._site_id else None

    def photo_check_id(self) -> int | None:
        """The check whose photos the clerk works on: the one selected, or opened from the
        details' chain of rechecks."""
        return self._check_id if self.tabs.currentIndex() == CHECKS else None

    def select_check(self, check_id: int) -> None:
        self._check_id = check_id
        if self.tabs.currentIndex() != CHECKS:
            self.tabs.setCurrentIndex(CHECKS)

    def select_site(self, site_id: int) -> None:
        self._site_id = site_id

    def _open_chain_check(self, check_id: int) -> None:
        self._check_id = check_id
        row = self.check_model.row_of(check_id)
        if row is not None:
            self.check_table.selectRow(row)
        else:
            self._load_details()

    def update_actions(self) -> None:
        self.act_export.setEnabled(self.tabs.currentIndex() in (CHECKS, SITES))
        check = self.selected_check()
        site = self.selected_site()
        self.act_edit.setEnabled(check is not None)
        self.act_recheck.setEnabled(check is not None and check.pending)
        self.act_finding.setEnabled(check is not None and not check.passed
                                    and check.business_id is not None and check.finding_id is None)
        self.act_add_photos.setEnabled(self.photo_check_id() is not None)
        self.act_remove_photo.setEnabled(self.tabs.currentIndex() == CHECKS
                                         and self.details.selected_photo() is not None)
        self.act_edit_site.setEnabled(site is not None)
        self.act_toggle_site.setEnabled(site is not None)
        self.act_toggle_site.setText(self.tr("启用点位") if site is not None and not site.active
                                     else self.tr("停用点位"))

    def _edit(self) -> None:
        if self.tabs.currentIndex() == SITES:
            self.commands.edit_site()
        else:
            self.commands.edit_selected()

    def _load_details(self) -> None:
        self._details_generation += 1
        generation = self._details_generation
        if self.tabs.currentIndex() == SITES:
            self.details.show_site(self.selected_site())
            return
        if self._check_id is None:
            self.details.show_details(None)
            return

        def show(view: CheckView | None) -> None:
            if generation == self._details_generation:
                if view is None:
                    self.details.show_details(None)
                else:
                    self.details.show_details(view.details, view.photos)

        sorting_operations.load_check_details(self.ctx, self._check_id, show,
                                              failed=lambda _e: show(None), owner=self)

    def export_list(self) -> export_runner.ListExport | None:
        """The checks or the sites as shown (filters, columns) to .xlsx; the figures tab has
        no list."""
        tab = self.tabs.currentIndex()
        if tab == CHECKS:
            checks = self.check_model.query
            return export_runner.export_shown(
                self, self.ctx, self.tr("垃圾分类检查记录"), self.check_table,
                [c.field for c in self.check_model.columns],
                lambda session, fields: list_sources.check_page_source(session, checks, fields))
        if tab == SITES:
            sites = self.site_model.query
            return export_runner.export_shown(
                self, self.ctx, self.tr("垃圾分类检查点位"), self.site_table,
                [c.field for c in self.site_model.columns],
                lambda session, fields: list_sources.site_page_source(session, sites, fields))
        return None

    def _context_menu(self, pos: QPoint) -> None:
        table = self.check_table if self.tabs.currentIndex() == CHECKS else self.site_table
        index = table.indexAt(pos)
        if index.isValid():
            table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.act_new)
        if table is self.check_table:
            for action in (self.act_edit, self.act_recheck, self.act_finding, self.act_add_photos):
                menu.addAction(action)
        else:
            for action in (self.act_new_site, self.act_edit_site, self.act_toggle_site):
                menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.act_export)
        menu.addAction(self.act_refresh)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(table.viewport().mapToGlobal(pos))
