"""The main window's 帮助 menu: 使用说明 (F1) and 关于."""

from __future__ import annotations

import html
import platform
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget
from sqlalchemy import make_url

from db.engine import Database
from desktop import APP_NAME, APP_TITLE, __version__
from desktop.config import data_dir

from .help_dialog import HelpDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("HelpMenu", text)


def ledger_label(db: Database) -> str:
    """The ledger as a clerk recognises it: the file, or the server URL without password."""
    if db.path is not None:
        return str(db.path)
    return make_url(db.url).render_as_string(hide_password=True)


def install_help_menu(window: QMainWindow, db: Database | None = None) -> None:
    """Add 帮助 → 使用说明 / 关于 to the window's menu bar; 关于 names the open ledger."""
    ledger = ledger_label(db) if db is not None else ""
    menu = window.menuBar().addMenu(_tr("帮助(&H)"))
    menu.setObjectName("help-menu")
    guide = QAction(_tr("使用说明(&U)"), window)
    guide.setObjectName("help-guide")
    guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    guide.triggered.connect(lambda: show_guide(window))
    about = QAction(_tr("关于(&A)"), window)
    about.setObjectName("help-about")
    about.triggered.connect(lambda: show_about(window, ledger))
    menu.addAction(guide)
    menu.addSeparator()
    menu.addAction(about)


def show_guide(parent: QWidget) -> HelpDialog:
    """One guide window per main window, brought forward when asked for again."""
    dialog = parent.findChild(HelpDialog)
    if dialog is None:
        dialog = HelpDialog(parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def about_text(ledger: str = "") -> str:
    frozen = getattr(sys, "frozen", False)
    rows = [
        (_tr("版本"), __version__ + ("" if frozen else _tr("（源代码运行）"))),
        (_tr("数据文件夹"), str(data_dir())),
    ]
    if ledger:
        rows.append((_tr("当前台账"), ledger))
    rows.append((_tr("运行环境"), f"Python {platform.python_version()}, Qt {qVersion()}, "
                                 f"PySide6 {pyside_version}"))
    body = "".join(f"<tr><td>{html.escape(k)}：</td><td>{html.escape(v)}</td></tr>"
                   for k, v in rows)
    return (f"<h3>{html.escape(_tr(APP_TITLE))} {APP_NAME}</h3>"
            f"<p>{html.escape(_tr('街道城管科的商户台账、门前三包、户外广告、垃圾分类、巡查与通知书。'))}</p>"
            f"<table>{body}</table>")


def show_about(parent: QWidget, ledger: str = "") -> None:
    QMessageBox.about(parent, _tr("关于 街道城管台账"), about_text(ledger))
