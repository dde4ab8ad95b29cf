"""系统设置 → 用户: who may log in and as what; only an administrator changes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError
from desktop.domain.users import UserRow

from . import prompts, user_operations
from .context import AppContext
from .user_dialog import UserDialog
from .user_menu import change_my_password
from .user_password_dialog import PasswordDialog
from .user_roles import add_note, is_admin, refusal

_INACTIVE = QBrush(QColor(128, 128, 128))
# Typical long values: the default column widths in the current font.
COLUMN_SAMPLES = ("zhangxiaoming", "欧阳秀英", "系统管理员", "33010012045", "已锁定（至 16:54）")


class UserPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rows: list[UserRow] = []
        self._select_after: int | None = None
        self._stale = True
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("登录名"), self.tr("姓名"), self.tr("角色"),
                                              self.tr("执法证号"), self.tr("状态")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        metrics = self.fontMetrics()
        for column, sample in enumerate(COLUMN_SAMPLES):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)
        header.setStretchLastSection(True)
        self.add_button = QPushButton(self.tr("新增用户"))
        self.edit_button = QPushButton(self.tr("编辑"))
        self.reset_button = QPushButton(self.tr("重置密码"))
        self.own_password_button = QPushButton(self.tr("修改我的密码"))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.own_password_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        self.admin = is_admin(ctx.actor)
        if not self.admin and ctx.actor is not None:
            add_note(self, self.tr("只有系统管理员可以添加用户、修改角色和重置密码，您只能查看。"))
            for button in (self.add_button, self.edit_button, self.reset_button):
                button.setToolTip(refusal(ctx.actor, "app_user"))
        if ctx.actor is None:
            self.own_password_button.setEnabled(False)
            self.own_password_button.setToolTip(self.tr("未登录时不能修改密码"))

        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_selected)
        self.reset_button.clicked.connect(self.reset_selected)
        self.own_password_button.clicked.connect(lambda: change_my_password(self, self._ctx))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        ctx.hub.ledger_changed.connect(self._on_changed)
        self._update_buttons()

    # --- showing --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if user_operations.USER in kinds:
            self._stale = True
            if self.isVisible():
                self.reload()

    def reload(self) -> None:
        self._stale = False
        user_operations.load_users(self._ctx, self._show, owner=self)

    def _show(self, rows: list[UserRow]) -> None:
        current = self.selected()
        wanted = self._select_after or (current.id if current else None)
        self._select_after = None
        self._rows = rows
        self.table.setRowCount(len(rows))
        now = dt.datetime.now()
        for r, row in enumerate(rows):
            texts = [row.login, row.display_name, row.role_label, row.cert_no, status_text(row, now)]
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                if not row.active:
                    item.setForeground(_INACTIVE)
                self.table.setItem(r, column, item)
            if row.id == wanted:
                self.table.selectRow(r)
        self._update_buttons()

    def selected(self) -> UserRow | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        r = next(iter(rows))
        return self._rows[r] if r < len(self._rows) else None

    def select_login(self, login: str) -> None:
        for r, row in enumerate(self._rows):
            if row.login == login:
                self.table.selectRow(r)

    def _update_buttons(self) -> None:
        has_row = self.selected() is not None
        self.add_button.setEnabled(self.admin)
        self.edit_button.setEnabled(self.admin and has_row)
        self.reset_button.setEnabled(self.admin and has_row)

    # --- actions --------------------------------------------------------------------------

    def add_user(self) -> UserDialog | None:
        return self._open(None)

    def edit_selected(self) -> UserDialog | None:
        row = self.selected()
        return self._open(row) if row is not None else None

    def _open(self, row: UserRow | None) -> UserDialog | None:
        if not self.admin:
            return None
        dialog = UserDialog(self._ctx, row, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def _saved(self, row: UserRow) -> None:
        self._select_after = row.id  # the hub's announcement reloads the list

    def reset_selected(self) -> PasswordDialog | None:
        row = self.selected()
        if row is None or not self.admin:
            return None

        def save(_old: str | None, password: str, done: Callable[[], None],
                 failed: Callable[[DomainError], None]) -> None:
            def finished(_none: None) -> None:
                done()
                prompts.show_info(self, self.tr("已重置密码"), self.tr(
                    "已为{0}设置新的初始密码。请当面告知本人，他下次登录时须修改密码。")
                    .format(row.display_name))

            user_operations.reset_password(self._ctx, row.id, password, finished,
                                           failed=failed, owner=self)

        dialog = PasswordDialog(
            self.tr("重置密码 — {0}").format(row.display_name),
            self.tr("为“{0}（{1}）”设置一个新的初始密码。对方下次登录时须改成自己的密码。")
            .format(row.display_name, row.login), save, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("UserPanel", text)


def status_text(row: UserRow, now: dt.datetime) -> str:
    if not row.active:
        return _tr("已停用")
    if row.locked_until is not None and row.locked_until > now:
        return _tr("已锁定（至 {0}）").format(f"{row.locked_until:%H:%M}")
    if row.must_change_password:
        return _tr("待修改初始密码")
    return _tr("正常")
