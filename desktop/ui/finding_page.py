"""巡查与通知: patrol findings by status and division, their notices, deliveries and rechecks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QSplitter, QStackedWidget, QStyle, QWidget

from desktop.domain.divisions import CommunityInfo
from desktop.domain.findings import REPEAT_DAYS, FindingRow, RepeatOffender
from desktop.domain.notices import NOTICEABLE, RECHECKABLE
from desktop.io import list_sources

from . import export_runner, finding_operations, hub, operations
from .agreement_table_view import AgreementTableView
from .context import AppContext
from .finding_actions import FindingActions
from .finding_details import FindingDetailsPanel
from .finding_filter_bar import BusinessFilter, FindingFilterBar
from .finding_operations import FINDING, LEGAL_BASIS, NOTICE, FindingDetails
from .finding_repeat_table import RepeatOffenderTable
from .finding_table_model import FindingTableModel
from .page import Page
from .table_selection import SelectionKeeper

DETAILS_DELAY_MS = 100  # arrow-key scrolling must not queue a details load per row
# The repeat-offender table's columns, in its order (a plain table widget, no model columns).
REPEAT_FIELDS = ("name", "key", "findings", "first_found", "last_found")


class FindingPage(Page):
    cares_about = frozenset({FINDING, NOTICE, LEGAL_BASIS, hub.BUSINESS, hub.COMMUNITY, hub.GRID})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._details_generation = 0
        self.categories: list[str] = []
        self.communities: list[CommunityInfo] = []

        self.filter_bar = FindingFilterBar()
        self.count_label = QLabel(self.tr("正在查询…"))
        self.count_label.setMinimumWidth(80)
        self.filter_bar.add_trailing(self.count_label)
        self.model = FindingTableModel(ctx, self)
        self.table = AgreementTableView(self.model, "pages/findings/header")  # type: ignore[arg-type]
        self.repeat_table = RepeatOffenderTable()
        self.tables = QStackedWidget()
        self.tables.addWidget(self.table)
        self.tables.addWidget(self.repeat_table)
        self.details = FindingDetailsPanel()
        self.details.setMinimumWidth(260)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("findings")
        splitter.addWidget(self.tables)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(0, False)
        splitter.setSizes([980, 280])
        self.body().addWidget(self.filter_bar)
        self.body().addWidget(splitter, 1)
        self._details_timer = QTimer(self, singleShot=True, interval=DETAILS_DELAY_MS)

        self._build_actions()
        self.commands = FindingActions(self)
        self.act_new.triggered.connect(self.commands.new_finding)
        self.act_edit.triggered.connect(self.commands.edit_selected)
        self.act_notice.triggered.connect(lambda: self.commands.notice_selected())
        self.act_deliver.triggered.connect(self.commands.deliver_selected)
        self.act_recheck.triggered.connect(self.commands.recheck_selected)
        self.act_close.triggered.connect(self.commands.close_selected)
        self.act_refer.triggered.connect(lambda: self.commands.refer_selected())
        self.act_void.triggered.connect(self.commands.void_selected)
        self.act_print.triggered.connect(self.commands.print_selected)
        self.act_print_day.triggered.connect(self.commands.print_day)
        self.act_export.triggered.connect(self.export_list)
        self.act_search.triggered.connect(self.filter_bar.focus_search)
        self.filter_bar.changed.connect(self._apply_filters)
        self.details.open_photo.connect(self.commands.open_photo)
        self.repeat_table.drill_down.connect(self.show_business)
        self.keeper = SelectionKeeper(self.table, self.model, self)
        self.keeper.chosen.connect(self._chosen)
        self.model.loaded.connect(self._after_load)
        self.table.selectionModel().selectionChanged.connect(self.update_actions)
        self.table.activated.connect(self._activated)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self._details_timer.timeout.connect(self._load_details)

        self._load_lists()
        self._apply_filters()

    def _build_actions(self) -> None:
        icon = self.style().standardIcon
        sp = QStyle.StandardPixmap
        self.act_new.setText(self.tr("新增问题"))
        self.act_new.setToolTip(self.tr("登记巡查发现的问题（Ctrl+N）"))
        self.act_new.setEnabled(True)
        self.act_edit.setToolTip(self.tr("修改所选问题（仅限尚未告知的）"))

        def action(text: str, pixmap: QStyle.StandardPixmap, tip: str, shortcut: str = "") -> QAction:
            act = QAction(icon(pixmap), text, self)
            act.setToolTip(tip)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
                act.setToolTip(f"{tip}（{shortcut}）")
            return act

        self.act_notice = action(self.tr("开具通知书"), sp.SP_FileDialogNewFolder,
                                 self.tr("为所选问题（可多选，同一当事人）开具责令改正通知书"), "Ctrl+I")
        self.act_deliver = action(self.tr("送达回证"), sp.SP_ArrowRight,
                                  self.tr("登记所选问题的通知书如何送达当事人"), "Ctrl+D")
        self.act_recheck = action(self.tr("复查"), sp.SP_DialogApplyButton,
                                  self.tr("登记整改期限后的复查结果"), "Ctrl+R")
        self.act_close = action(self.tr("销号"), sp.SP_DialogYesButton,
                                self.tr("复查合格的问题销号；未经通知当场改正的也可销号"))
        self.act_refer = action(self.tr("移交执法"), sp.SP_DialogNoButton,
                                self.tr("复查不合格的问题移交执法部门"))
        self.act_void = action(self.tr("作废通知书"), sp.SP_DialogCancelButton,
                               self.tr("作废所选问题的通知书（需填写原因）"))
        self.act_print_day = action(self.tr("当天通知书"), sp.SP_FileDialogListView,
                                    self.tr("批量打印某一天签发的全部通知书"))
        for act in (self.act_notice, self.act_deliver, self.act_recheck, self.act_close,
                    self.act_refer, self.act_void):
            self.toolbar.insertAction(self.act_print, act)
        self.toolbar.insertSeparator(self.act_print)
        self.toolbar.insertAction(self.act_export, self.act_print_day)
        self.act_export.setEnabled(True)
        self.act_export.setToolTip(self.tr("按当前筛选和列导出为 Excel（Ctrl+E）"))
        self.act_print.setToolTip(self.tr("打印所选问题的通知书、送达回证或复查意见书（Ctrl+P）"))
        self.act_search = QAction(self.tr("查找"), self)
        self.act_search.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.addAction(self.act_search)

    def save_state(self) -> None:
        self.table.save_state()

    # --- filters and loading --------------------------------------------------------------

    def activate(self, arg: object = None) -> None:
        """`arg` may be {"state": "" | "overdue" | "repeat" | a status, "community_id": id,
        "found_from": date, "found_to": date}, each optional; the filters it does not name
        go back to 全部."""
        if isinstance(arg, dict):
            self.filter_bar.set_filters(state=str(arg.get("state") or ""),
                                        community_id=arg.get("community_id"),
                                        found_from=arg.get("found_from"),
                                        found_to=arg.get("found_to"))

    def show_business(self, business: BusinessFilter) -> None:
        """The findings of one repeat offender over the period they were counted in."""
        self.filter_bar.set_filters(business=business,
                                    found_from=dt.date.today() - dt.timedelta(days=REPEAT_DAYS))

    def refresh(self) -> None:
        self._load_lists()
        self._reload()

    def ledger_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {hub.COMMUNITY, hub.GRID, FINDING}:
            self._load_lists()
        self._reload()

    def _reload(self) -> None:
        if self.filter_bar.repeat_mode():
            self._load_repeat()
        else:
            self.model.refresh()
            self._load_details()

    def _load_lists(self) -> None:
        operations.load_communities(self.ctx, self._communities_loaded, owner=self)
        finding_operations.load_categories(self.ctx, self._categories_loaded, owner=self)

    def _communities_loaded(self, communities: list[CommunityInfo]) -> None:
        self.communities = communities
        self.filter_bar.set_communities(communities)

    def _categories_loaded(self, categories: list[str]) -> None:
        self.categories = categories
        self.filter_bar.set_categories(categories)

    def _apply_filters(self) -> None:
        repeat = self.filter_bar.repeat_mode()
        self.tables.setCurrentWidget(self.repeat_table if repeat else self.table)
        if repeat:
            self._load_repeat()
        else:
            self.model.set_query(self.filter_bar.query())
        self.update_actions()

    def _load_repeat(self) -> None:
        self.count_label.setText(self.tr("正在查询…"))
        finding_operations.load_repeat_offenders(self.ctx, self._repeat_loaded, owner=self)

    def _repeat_loaded(self, rows: list[RepeatOffender]) -> None:
        self.repeat_table.set_rows(rows)
        if self.filter_bar.repeat_mode():
            self.count_label.setText(self.tr("共 {0} 处").format(len(rows)))
            self.details.clear(self.tr("双击某一商户（地点），查看其近{0}天的问题").format(REPEAT_DAYS))

    def _after_load(self) -> None:
        if self.filter_bar.repeat_mode():
            return
        self.count_label.setText(self.tr("共 {0} 条").format(f"{self.model.total:,}"))
        self.keeper.restore()
        self._load_details()
        self.update_actions()

    # --- selection and details ------------------------------------------------------------

    def _chosen(self) -> None:
        self.update_actions()
        self._details_timer.start()

    def select_id(self, finding_id: int) -> None:
        """Select this finding when the list next loads; its details show even if filtered out."""
        self.keeper.selected_id = finding_id

    def current_row(self) -> FindingRow | None:
        if self.filter_bar.repeat_mode():
            return None
        row: Any = self.model.row_at(self.table.currentIndex().row())
        return row if row is not None and row.id == self.keeper.selected_id else None

    def selected_rows(self) -> list[FindingRow]:
        if self.filter_bar.repeat_mode():
            return []
        rows = (self.model.row_at(r) for r in self.table.selected_rows())
        return [r for r in rows if r is not None]

    def update_actions(self) -> None:
        row = self.current_row()
        status = row.status if row else ""
        selected = self.selected_rows()
        self.act_edit.setEnabled(status == "发现")
        self.act_notice.setEnabled(bool(selected) and all(r.status in NOTICEABLE for r in selected))
        self.act_deliver.setEnabled(status == "已告知" and bool(row and row.notice))
        self.act_recheck.setEnabled(status in RECHECKABLE and bool(row and row.notice))
        self.act_close.setEnabled(status in ("发现", "复查合格"))
        self.act_refer.setEnabled(status == "复查不合格")
        self.act_void.setEnabled(bool(row and row.notice))
        printable = any(r.notice for r in selected)
        self.act_print.setEnabled(printable and not self.commands.printing)
        self.act_print_day.setEnabled(not self.commands.printing)

    def _activated(self) -> None:
        row = self.current_row()
        if row is not None and row.status == "发现":
            self.commands.edit_selected()
        elif self.details.photo_count():
            self.details.photos.setFocus()  # Enter again opens the photo

    def _load_details(self) -> None:
        self._details_generation += 1
        generation = self._details_generation
        if self.keeper.selected_id is None:
            self.details.clear()
            return

        def show(details: FindingDetails | None) -> None:
            if generation == self._details_generation:
                self.details.show_details(details)

        finding_operations.load_finding_details(self.ctx, self.keeper.selected_id, show,
                                                failed=lambda _error: show(None), owner=self)

    # --- export ---------------------------------------------------------------------------

    def export_list(self) -> export_runner.ListExport | None:
        """The list as shown (the findings, or the repeat offenders) to .xlsx."""
        if self.filter_bar.repeat_mode():
            return export_runner.export_shown(
                self, self.ctx, self.tr("重复违规"), self.repeat_table, REPEAT_FIELDS,
                list_sources.repeat_page_source)
        query = self.model.query
        return export_runner.export_shown(
            self, self.ctx, self.tr("巡查问题"), self.table, [c.field for c in self.model.columns],
            lambda session, fields: list_sources.finding_page_source(session, query, fields))

    # --- context menu ---------------------------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and not self.table.selectionModel().isRowSelected(index.row(),
                                                                            QModelIndex()):
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.act_new)
        menu.addAction(self.act_edit)
        menu.addSeparator()
        for action in (self.act_notice, self.act_deliver, self.act_recheck, self.act_close,
                       self.act_refer, self.act_void):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.act_print)
        menu.addAction(self.act_print_day)
        menu.addSeparator()
        menu.addAction(self.act_export)
        menu.addAction(self.act_refresh)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))
