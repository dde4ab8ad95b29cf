"""门前三包: agreements (or the businesses still to sign) by state and division, with details."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QSplitter, QStackedWidget, QStyle, QWidget

from desktop.domain.agreements import AgreementQuery, AgreementRow
from desktop.domain.businesses import BusinessRow
from desktop.domain.divisions import CommunityInfo
from desktop.io import list_sources

from . import export_runner, hub, operations
from .agreement_actions import AgreementActions
from .agreement_details import AgreementDetailsPanel
from .agreement_filter_bar import UNSIGNED, AgreementFilterBar
from .agreement_rates import SigningRatesDialog
from .agreement_table_model import AgreementTableModel, UnsignedQuery, UnsignedTableModel
from .agreement_table_view import AgreementTableView
from .context import AppContext
from .operations import AgreementDetails
from .page import Page
from .table_selection import select_row

AGREEMENT = "agreement"  # the hub kind of agreement changes
DETAILS_DELAY_MS = 100  # arrow-key scrolling must not queue a details load per row


class AgreementPage(Page):
    cares_about = frozenset({AGREEMENT, hub.BUSINESS, hub.COMMUNITY, hub.GRID, hub.OFFICE})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._selected_id: int | None = None  # agreement, or business in the unsigned list
        self._reselecting = False
        self._details_generation = 0
        self._unsigned_at: dt.date | None = None  # a past date chosen in the rates dialog
        self._rates: SigningRatesDialog | None = None

        self.filter_bar = AgreementFilterBar()
        self.count_label = QLabel(self.tr("正在查询…"))
        self.count_label.setMinimumWidth(90)
        self.filter_bar.add_trailing(self.count_label)
        self.model = AgreementTableModel(ctx, self)
        self.table = AgreementTableView(self.model, "pages/agreements/header")
        self.unsigned_model = UnsignedTableModel(ctx, self)
        self.unsigned_table = AgreementTableView(self.unsigned_model, "pages/agreements/unsigned-header")
        self.tables = QStackedWidget()
        self.tables.addWidget(self.table)
        self.tables.addWidget(self.unsigned_table)
        self.details = AgreementDetailsPanel()
        self.details.setMinimumWidth(260)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("agreements")
        splitter.addWidget(self.tables)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(0, False)
        splitter.setSizes([940, 300])
        self.body().addWidget(self.filter_bar)
        self.body().addWidget(splitter, 1)
        self._details_timer = QTimer(self, singleShot=True, interval=DETAILS_DELAY_MS)

        style = self.style()
        self.act_sign = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
                                self.tr("签订…"), self)
        self.act_renew = QAction(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload),
                                 self.tr("续签…"), self)
        self.act_terminate = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogCancelButton),
                                     self.tr("终止…"), self)
        self.act_view = QAction(self.tr("查看"), self)
        for action in (self.act_sign, self.act_renew, self.act_terminate):
            self.toolbar.insertAction(self.act_print, action)
        self.toolbar.insertSeparator(self.act_print)
        self.toolbar.addSeparator()
        self.act_rates = self.toolbar.addAction(
            style.standardIcon(QStyle.StandardPixmap.SP_FileDialogListView), self.tr("签约率"))
        self.act_rates.setToolTip(self.tr("各社区、网格的门前三包签约率"))
        self.act_search = QAction(self.tr("查找"), self)
        self.act_search.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.addAction(self.act_search)
        self.act_new.setEnabled(True)
        self.act_sign.setToolTip(self.tr("签订所选草稿：填写签订日期，自动编号"))
        self.act_renew.setToolTip(self.tr("为所选责任书起草下一期（续签）"))
        self.act_terminate.setToolTip(self.tr("终止所选责任书（需填写原因）"))
        self.act_print.setToolTip(self.tr("将所选责任书（可多选）生成一份 PDF 并预览（Ctrl+P）"))
        self.act_export.setEnabled(True)
        self.act_export.setToolTip(self.tr("按当前筛选和列导出为 Excel（Ctrl+E）"))
        self.commands = AgreementActions(self)

        self.act_new.triggered.connect(self.commands.new_agreement)
        self.act_edit.triggered.connect(self.commands.open_selected)
        self.act_view.triggered.connect(self.commands.open_selected)
        self.act_sign.triggered.connect(self.commands.sign_selected)
        self.act_renew.triggered.connect(self.commands.renew_selected)
        self.act_terminate.triggered.connect(self.commands.terminate_selected)
        self.act_print.triggered.connect(self.commands.print_selected)
        self.act_rates.triggered.connect(self.show_rates)
        self.act_export.triggered.connect(self.export_list)
        self.act_search.triggered.connect(self.filter_bar.focus_search)
        self.filter_bar.changed.connect(self._apply_filters)
        self.details.open_number.connect(self.show_number)
        for model, table in ((self.model, self.table), (self.unsigned_model, self.unsigned_table)):
            model.modelAboutToBeReset.connect(self._begin_reselect)
            model.loaded.connect(partial(self._after_load, model))
            model.page_loaded.connect(self._page_arrived)
            table.selectionModel().currentRowChanged.connect(self._current_changed)
            table.selectionModel().selectionChanged.connect(self.update_actions)
            table.activated.connect(self.commands.open_selected)
            table.customContextMenuRequested.connect(self._context_menu)
        self._details_timer.timeout.connect(self._load_details)

        self._load_communities()
        self.commands.load_form()
        self._apply_filters()

    def save_state(self) -> None:
        self.table.save_state()
        self.unsigned_table.save_state()

    # --- filters and loading --------------------------------------------------------------

    def unsigned_mode(self) -> bool:
        return self.filter_bar.state() == UNSIGNED

    def current_table(self) -> AgreementTableView:
        return self.unsigned_table if self.unsigned_mode() else self.table

    def activate(self, arg: object = None) -> None:
        """`arg` may name a state (or "unsigned"), a community, a grid and a date."""
        if isinstance(arg, dict):
            self._unsigned_at = arg.get("at")
            self.filter_bar.set_filters(state=arg.get("state", ""), text="",
                                        community_id=arg.get("community_id"),
                                        grid_id=arg.get("grid_id"))

    def show_unsigned(self, community_id: int | None, grid_id: int | None,
                      at: dt.date | None = None) -> None:
        self.activate({"state": UNSIGNED, "community_id": community_id, "grid_id": grid_id,
                       "at": at if at != dt.date.today() else None})

    def show_number(self, number: str) -> None:
        """All agreements, searched for one number (the renewal link)."""
        self.filter_bar.set_filters(state="", text=number)

    def refresh(self) -> None:
        self._load_communities()
        self.commands.load_form()
        self._current_model().refresh()
        if self._rates is not None and self._rates.isVisible():
            self._rates.reload()

    def ledger_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {hub.COMMUNITY, hub.GRID}:
            self._load_communities()
        if hub.OFFICE in kinds:
            self.commands.load_form()
        self._current_model().refresh()
        if self._rates is not None and self._rates.isVisible():
            self._rates.reload()

    def _current_model(self) -> AgreementTableModel | UnsignedTableModel:
        return self.unsigned_model if self.unsigned_mode() else self.model

    def _load_communities(self) -> None:
        operations.load_communities(self.ctx, self._communities_loaded, owner=self)

    def _communities_loaded(self, communities: list[CommunityInfo]) -> None:
        self.filter_bar.set_communities(communities)

    def _apply_filters(self) -> None:
        bar = self.filter_bar
        unsigned = self.unsigned_mode()
        if self.tables.currentWidget() is not self.current_table():
            self._selected_id = None
            self.tables.setCurrentWidget(self.current_table())
        self.act_new.setText(self.tr("新建责任书") if unsigned else self.tr("新增"))
        self.act_new.setToolTip(self.tr("为所选商户起草门前三包责任书（Ctrl+N）") if unsigned
                                else self.tr("起草门前三包责任书（Ctrl+N）"))
        if unsigned:
            self.unsigned_model.set_query(UnsignedQuery(
                self._unsigned_at or dt.date.today(), bar.community_id(), bar.grid_id()))
        else:
            self._unsigned_at = None
            self.model.set_query(AgreementQuery(text=bar.text(), state=bar.state(),
                                                community_id=bar.community_id(),
                                                grid_id=bar.grid_id()))
        self.update_actions()

    def _after_load(self, model: AgreementTableModel | UnsignedTableModel) -> None:
        if model is not self._current_model():
            return  # the other list answered a query the clerk has since left
        text = self.tr("共 {0} 条").format(f"{model.total:,}")
        if self.unsigned_mode() and self._unsigned_at is not None:
            text += self.tr("（截至 {0}）").format(self._unsigned_at.isoformat())
        self.count_label.setText(text)
        table = self.current_table()
        self._reselecting = True
        row = model.row_of(self._selected_id) if self._selected_id is not None else None
        select_row(table, model, row)
        self._reselecting = False
        self._load_details()
        self.update_actions()

    def _begin_reselect(self) -> None:
        self._reselecting = True  # a reset clears the selection; keep the chosen record

    # --- selection and details ------------------------------------------------------------

    def _page_arrived(self, _page: int) -> None:
        current = self.current_table().currentIndex()
        if self._selected_id is None and current.isValid():
            self._current_changed(current, QModelIndex())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._reselecting:
            return
        row = self._current_model().row_at(current.row()) if current.isValid() else None
        self._selected_id = row.id if row else None
        self.update_actions()
        self._details_timer.start()

    def select_id(self, record_id: int) -> None:
        """Select this record when the list next loads; its details show even if filtered out."""
        self._selected_id = record_id

    def selected_agreement(self) -> AgreementRow | None:
        if self.unsigned_mode():
            return None
        row = self.model.row_at(self.table.currentIndex().row())
        return row if row is not None and row.id == self._selected_id else None

    def selected_business(self) -> BusinessRow | None:
        if not self.unsigned_mode():
            return None
        row = self.unsigned_model.row_at(self.unsigned_table.currentIndex().row())
        return row if row is not None and row.id == self._selected_id else None

    def selected_agreement_id(self) -> int | None:
        return None if self.unsigned_mode() else self._selected_id

    def update_actions(self) -> None:
        row = self.selected_agreement()
        status = row.status if row else ""
        self.act_edit.setEnabled(status == "draft")
        self.act_view.setEnabled(row is not None)
        self.act_sign.setEnabled(status == "draft")
        self.act_renew.setEnabled(status == "signed")
        self.act_terminate.setEnabled(status in ("draft", "signed"))
        printable = not self.unsigned_mode() and self.table.selectionModel().hasSelection()
        self.act_print.setEnabled(printable and not self.commands.printing)

    def _load_details(self) -> None:
        self._details_generation += 1
        generation = self._details_generation
        if self.unsigned_mode():
            self.details.show_business(self.selected_business())
            return
        if self._selected_id is None:
            self.details.show_details(None)
            return

        def show(details: AgreementDetails | None) -> None:
            if generation == self._details_generation:
                self.details.show_details(details)

        operations.load_agreement_details(self.ctx, self._selected_id, show,
                                          failed=lambda _error: show(None), owner=self)

    # --- signing rates --------------------------------------------------------------------

    def show_rates(self) -> SigningRatesDialog:
        if self._rates is None:
            self._rates = SigningRatesDialog(self.ctx, self)
            self._rates.drill_down.connect(self.show_unsigned)
        else:
            self._rates.reload()
        self._rates.show()
        self._rates.raise_()
        self._rates.activateWindow()
        return self._rates

    # --- export ---------------------------------------------------------------------------

    def export_list(self) -> export_runner.ListExport | None:
        """The list as shown (the agreements, or the businesses still to sign) to .xlsx."""
        if self.unsigned_mode():
            unsigned = self.unsigned_model.query
            return export_runner.export_shown(
                self, self.ctx, self.tr("未签约商户"), self.unsigned_table,
                [c.field for c in self.unsigned_model.columns],
                lambda session, fields: list_sources.unsigned_page_source(
                    session, unsigned.at, unsigned.community_id, unsigned.grid_id, fields))
        query = self.model.query
        return export_runner.export_shown(
            self, self.ctx, self.tr("门前三包责任书"), self.table,
            [c.field for c in self.model.columns],
            lambda session, fields: list_sources.agreement_page_source(session, query, fields))

    # --- context menu ---------------------------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        table = self.current_table()
        index = table.indexAt(pos)
        if index.isValid() and not table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.act_new)
        if not self.unsigned_mode():
            menu.addAction(self.act_edit if self.act_edit.isEnabled() else self.act_view)
            menu.addSeparator()
            for action in (self.act_sign, self.act_renew, self.act_terminate, self.act_print):
                menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.act_export)
        menu.addAction(self.act_refresh)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(table.viewport().mapToGlobal(pos))
