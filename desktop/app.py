"""QApplication set-up and the GUI entry point: open the ledger, show the main window."""

from __future__ import annotations

import getpass
import os
import sys

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from db.engine import Database

from .config import resolve_db_url, resources_dir
from .domain.permissions import Actor
from .single_instance import SingleInstance, instance_key, server_name
from .ui import backup_startup
from .ui.backup_dialog import RESTART_PROPERTY
from .ui.backup_recovery import open_ledger
from .ui.context import AppContext
from .ui.hub import LedgerHub
from .ui.login_flow import sign_in
from .ui.main_thread_gc import MainThreadGc
from .ui.main_window import MainWindow
from .ui.worker import DbWorker

ENV_QUIT_AFTER_MS = "STREETLEDGER_QUIT_AFTER_MS"  # start-up benchmark and smoke tests
ENV_START_PAGE = "STREETLEDGER_START_PAGE"  # e.g. "ledger": open on that page
RESTART_EXIT_CODE = -1000  # the window asks to open the ledger again (after a restore)

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
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "streetledger.png")))
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


def create_main_window(db: Database, *, user: str | None = None,
                       actor: Actor | None = None) -> MainWindow:
    """The main window on an open database, with its own worker and change hub.

    With an `actor` (who logged in) every session of the database carries it, so the
    services refuse what the role may not do; without one nothing is refused.
    """
    hub = LedgerHub()
    worker = DbWorker()
    if actor is not None:
        db.actor = actor
    ctx = AppContext(db=db, worker=worker, hub=hub,
                     user=user or (actor.login if actor else getpass.getuser()), actor=actor)
    window = MainWindow(ctx)
    # The window owns the context's QObjects so they live exactly as long as it does.
    hub.setParent(window)
    worker.setParent(window)
    window.collector = MainThreadGc(window)
    return window


def _db_arg(args: list[str]) -> str | None:
    return args[1] if len(args) >= 2 and args[0] == "--db" else None


def run_gui(args: list[str]) -> int:
    app = _application()
    db_url = resolve_db_url(_db_arg(args))
    # One window per user and ledger: a second start brings the first forward and exits 0.
    instance = SingleInstance(server_name(instance_key(db_url)))
    if not instance.start():
        return 0
    try:
        while True:
            code = _run_window(app, db_url, instance)
            if code != RESTART_EXIT_CODE:
                return code
    finally:
        instance.close()


def _run_window(app: QApplication, db_url: str, instance: SingleInstance) -> int:
    db = open_ledger(db_url)  # a damaged ledger offers its backups
    if db is None:
        return 1
    signed = sign_in(db, unattended=os.environ.get(ENV_QUIT_AFTER_MS, "").isdigit())
    if signed.quit:
        db.dispose()
        return 0
    window = create_main_window(db, actor=signed.user.actor() if signed.user else None)
    instance.follow(window)
    start_page = os.environ.get(ENV_START_PAGE, "")
    window.show_page(start_page if start_page in window.page_keys() else "home")
    window.show_initial()
    backup_startup.start(window)
    quit_after = os.environ.get(ENV_QUIT_AFTER_MS, "")
    if quit_after.isdigit():
        QTimer.singleShot(int(quit_after), window.close)
    try:
        code = app.exec()
    finally:
        window.shutdown()
        db.dispose()
    return RESTART_EXIT_CODE if window.property(RESTART_PROPERTY) else code
