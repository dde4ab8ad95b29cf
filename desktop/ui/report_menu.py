"""文件 → 生成上报报表…: the menu entry; the dialog (and openpyxl) load when it is first used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from .user_menu import _file_menu

if TYPE_CHECKING:
    from .main_window import MainWindow

SHORTCUT = "Ctrl+Shift+R"  # Ctrl+R is 复查 on the 垃圾分类 and 巡查与通知 pages


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportDialog", text)


def _open(window: MainWindow) -> None:
    from .report_dialog import open_report_dialog

    open_report_dialog(window, window.ctx)


def install_report_action(window: MainWindow) -> QAction:
    """文件 → 生成上报报表…, first in the menu: the monthly errand of the clerk."""
    action = QAction(_tr("生成上报报表(&R)…"), window)
    action.setObjectName("report-action")
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setToolTip(_tr("生成报送区城管局的月报、季报（{0}）").format(SHORTCUT))
    action.triggered.connect(lambda: _open(window))
    menu = _file_menu(window)
    existing = menu.actions()
    if existing:
        menu.insertAction(existing[0], action)
        menu.insertSeparator(existing[0])
    else:
        menu.addAction(action)
    return action
