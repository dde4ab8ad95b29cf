"""The main window: navigation on the left, the pages in a stack, the status bar below."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings, QSize, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from desktop.domain.errors import DomainError
from desktop.domain.office import OfficeData

from . import hub, operations, prompts, user_menu, user_roles
from .context import AppContext
from .help_menu import install_help_menu
from .page import Page
from .pages import PAGES, PageSpec
from .report_menu import install_report_action
from .status_bar import LedgerStatusBar
from .window_state import restore_geometry, restore_splitters, save_geometry, save_splitters

_GROUP = "mainwindow"


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, specs: list[PageSpec] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._specs = {spec.key: spec for spec in (specs or PAGES)}
        self._pages: dict[str, Page] = {}
        self._office_name = ""
        self._shut_down = False
        self.setWindowTitle(self._title())
        # Small enough for 1366×768 at 150 % scaling (about 910×512 logical pixels).
        self.setMinimumSize(QSize(760, 480))

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setMinimumWidth(100)
        for spec in self._specs.values():
            item = QListWidgetItem(self.style().standardIcon(spec.icon),
                                   QCoreApplication.translate("Navigation", str(spec.title)))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(0, 36))
            self.navigation.addItem(item)
        self.stack = QStackedWidget()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("main")
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        splitter.setCollapsible(1, False)
        splitter.setSizes([120, 1240])
        self.setCentralWidget(splitter)
        self.status = LedgerStatusBar(ctx, self)
        self.setStatusBar(self.status)
        install_help_menu(self, ctx.db)
        self.trust_actions = user_menu.install(self)  # 文件: password, backup, restore, audit
        self.report_action = install_report_action(self)  # 文件 → 生成上报报表…

        self.navigation.currentItemChanged.connect(self._on_navigation)
        ctx.hub.ledger_changed.connect(self._on_ledger_changed)
        ctx.worker.failed_unhandled.connect(self._show_domain_error)
        # Only the window's own splitter: each page keeps its splitters under its own key.
        restore_splitters(self, _GROUP, direct_only=True)
        self._load_office()

    # --- navigation -----------------------------------------------------------------------

    def show_page(self, key: str, arg: object = None) -> Page:
        page = self._page(key)
        row = list(self._specs).index(key)
        if self.navigation.currentRow() != row:
            self.navigation.blockSignals(True)
            self.navigation.setCurrentRow(row)
            self.navigation.blockSignals(False)
        self.stack.setCurrentWidget(page)
        page.activate(arg)
        return page

    def page_keys(self) -> list[str]:
        return list(self._specs)

    def page(self, key: str) -> Page | None:
        """The page if it has been created (pages are built when first shown)."""
        return self._pages.get(key)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def _page(self, key: str) -> Page:
        page = self._pages.get(key)
        if page is None:
            page = self._specs[key].create(self.ctx, self.stack)
            page.setObjectName(f"page-{key}")
            page.navigate.connect(self.show_page)
            self._pages[key] = page
            self.stack.addWidget(page)
            restore_splitters(page, f"pages/{key}")
            user_roles.restrict_page(page, key, self.ctx.actor)
        return page

    def _on_navigation(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.show_page(str(current.data(Qt.ItemDataRole.UserRole)))

    # --- window title ---------------------------------------------------------------------

    def _title(self) -> str:
        base = self.tr("街道城管台账")
        return f"{base} — {self._office_name}" if self._office_name else base

    def _load_office(self) -> None:
        operations.load_office(self.ctx, self._office_loaded, owner=self)

    def _office_loaded(self, data: OfficeData) -> None:
        self._office_name = data.name
        self.setWindowTitle(self._title())

    def _on_ledger_changed(self, kinds: frozenset[str]) -> None:
        if hub.OFFICE in kinds:
            self._load_office()

    def _show_domain_error(self, error: DomainError) -> None:
        prompts.show_error(self, self.tr("操作未完成"), error.message)

    # --- size and state -------------------------------------------------------------------

    def show_initial(self) -> None:
        """Come back as the clerk left it; on a first start use the whole of a small screen."""
        if restore_geometry(self, _GROUP):
            self.show()
            return
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen else None
        if available is None:
            self.show()
        elif available.width() < 1500 or available.height() < 900:
            # Filled first, so the window is screen-sized even where maximising is ignored.
            self.setGeometry(available)
            self.showMaximized()
        else:
            self.resize(1400, 860)
            self.move(available.center() - self.rect().center())
            self.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        save_geometry(self, _GROUP)
        QSettings().setValue(f"{_GROUP}/state", self.saveState())
        save_splitters(self, _GROUP, direct_only=True)
        for key, page in self._pages.items():
            save_splitters(page, f"pages/{key}")
            page.save_state()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Let the database job in flight finish; answers still to come are dropped."""
        if not self._shut_down:
            self._shut_down = True
            self.ctx.worker.shutdown()
            collector = getattr(self, "collector", None)
            if collector is not None:
                collector.stop()
