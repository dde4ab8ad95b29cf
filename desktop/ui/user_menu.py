"""The 文件 menu's trust entries (my password, backup, restore, audit log) and the user label's menu."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from desktop.domain.errors import DomainError

from . import backup_dialog, prompts, user_operations
from .context import AppContext
from .user_password_dialog import PasswordDialog
from .user_roles import is_admin

if TYPE_CHECKING:
    from .main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("UserMenu", text)


def change_my_password(parent: QWidget, ctx: AppContext) -> PasswordDialog | None:
    if ctx.actor is None:
        return None

    def save(old: str | None, password: str, done: Callable[[], None],
             failed: Callable[[DomainError], None]) -> None:
        def finished(_none: None) -> None:
            done()
            prompts.show_info(parent, _tr("修改密码"), _tr("密码已修改，下次登录请使用新密码。"))

        user_operations.change_own_password(ctx, old or "", password, finished, failed=failed,
                                            owner=dialog)

    dialog = PasswordDialog(_tr("修改我的密码"),
                            _tr("{0}（{1}），请输入原密码和新密码。").format(
                                ctx.actor.display_name, ctx.actor.login),
                            save, ask_old=True, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _file_menu(window: MainWindow) -> QMenu:
    """The 文件 menu, shared with whoever else puts entries in it."""
    bar = window.menuBar()
    for action in bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "").startswith(_tr("文件")):
            return menu
    menu = QMenu(_tr("文件(&F)"), bar)
    existing = bar.actions()
    if existing:
        bar.insertMenu(existing[0], menu)
    else:
        bar.addMenu(menu)
    return menu


class TrustActions:
    """Kept on the window as `trust_actions`, so tests and other menus can reach them."""

    def __init__(self, window: MainWindow) -> None:
        ctx = window.ctx
        self.password = QAction(_tr("修改我的密码…"), window)
        self.backup = QAction(_tr("备份到…"), window)
        self.restore = QAction(_tr("从备份恢复…"), window)
        self.audit = QAction(_tr("审计日志"), window)
        self.password.triggered.connect(lambda: change_my_password(window, ctx))
        self.backup.triggered.connect(lambda: backup_dialog.back_up(window, ctx))
        self.restore.triggered.connect(lambda: backup_dialog.restore_from(window, ctx))
        self.audit.triggered.connect(lambda: window.show_page("settings", "audit"))
        if ctx.actor is None:
            self.password.setEnabled(False)
            self.password.setToolTip(_tr("未登录时不能修改密码"))
        if ctx.db.path is None:
            for action in (self.backup, self.restore):
                action.setEnabled(False)
                action.setToolTip(_tr(backup_dialog.POSTGRES_TOOLTIP))
        elif not is_admin(ctx.actor):
            self.restore.setEnabled(False)
            self.restore.setToolTip(_tr("只有系统管理员可以从备份恢复台账"))


def install(window: MainWindow) -> TrustActions:
    actions = TrustActions(window)
    menu = _file_menu(window)
    menu.setToolTipsVisible(True)
    menu.addAction(actions.password)
    menu.addSeparator()
    menu.addAction(actions.backup)
    menu.addAction(actions.restore)
    menu.addSeparator()
    menu.addAction(actions.audit)

    label = window.status.user_label
    label.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    label.setToolTip(_tr("右键：修改我的密码"))

    def user_menu(pos: QPoint) -> None:
        popup = QMenu(label)
        popup.addAction(actions.password)
        popup.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        popup.popup(label.mapToGlobal(pos))

    label.customContextMenuRequested.connect(user_menu)
    return actions
