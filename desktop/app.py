"""QApplication set-up and the GUI entry point: open the ledger, show the main window."""

from __future__ import annotations

import getpass
import os
import sys

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from db.engine import Database, DatabaseOpenError, open_database

from .config import resolve_db_url
from .ui.context import AppContext
from .ui.hub import LedgerHub
from .ui.main_window import MainWindow
from .ui.worker import DbWorker

ENV_QUIT_AFTER_MS = "STREETLEDGER_QUIT_AFTER_MS"  # start-up benchmark and smoke tests
ENV_START_PAGE = "STREETLEDGER_START_PAGE"  # e.g. "ledger": open on that page

# Simplified-Chinese UI faces, best first: Windows, macOS, then common Linux fonts.
CJK_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
             "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimSun")


def _tr(text: str) -> str:
    return QCoreApplication.translate("App", text)


def _application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Follow the Windows scaling factor exactly (125 %, 150 %), not rounded to whole numbers.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("StreetLedger")
    app.setApplicationName("StreetLedger")
    app.setApplicationDisplayName(_tr("街道城管台账"))
    _use_cjk_font(app)
    _install_qt_translations(app)
    return app


def _use_cjk_font(app: QApplication) -> None:
    """Put an installed Chinese face first, so Han characters never get Japanese glyphs."""
    installed = set(QFontDatabase.families())
    preferred = [name for name in CJK_FONTS if name in installed]
    if not preferred:
        return
    font = QFont(app.font())
    font.setFamilies([*preferred, *font.families()])
    app.setFont(font)


def _install_qt_translations(app: QApplication) -> None:
    # Qt's own texts (the buttons of message boxes, the line-edit context menu) in Chinese.
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                       folder):
        app.installTranslator(translator)


def create_main_window(db: Database, *, user: str | None = None) -> MainWindow:
    """The main window on an open database, with its own worker and change hub."""
    hub = LedgerHub()
    worker = DbWorker()
    ctx = AppContext(db=db, worker=worker, hub=hub, user=user or getpass.getuser())
    window = MainWindow(ctx)
    # The window owns the context's QObjects so they live exactly as long as it does.
    hub.setParent(window)
    worker.setParent(window)
    return window


def _db_arg(args: list[str]) -> str | None:
    return args[1] if len(args) >= 2 and args[0] == "--db" else None


def run_gui(args: list[str]) -> int:
    app = _application()
    try:
        db = open_database(resolve_db_url(_db_arg(args)))
    except DatabaseOpenError as exc:
        QMessageBox.critical(None, _tr("无法打开台账数据库"), str(exc))
        return 1
    window = create_main_window(db)
    start_page = os.environ.get(ENV_START_PAGE, "")
    window.show_page(start_page if start_page in window.page_keys() else "home")
    window.show_initial()
    quit_after = os.environ.get(ENV_QUIT_AFTER_MS, "")
    if quit_after.isdigit():
        QTimer.singleShot(int(quit_after), window.close)
    try:
        return app.exec()
    finally:
        window.shutdown()
        db.dispose()
