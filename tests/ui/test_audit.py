"""The audit viewer: filters paged in SQL, the entry in full, the hash-chain check."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from db.engine import Database
from desktop.domain import users
from desktop.ui.audit_page import AuditPanel
from desktop.ui.main_window import MainWindow
from desktop.ui.settings_page import SettingsPage

from .conftest import PASSWORD, Answers, add_user, close_window, drain, window_as


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


@pytest.fixture
def admin_window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    admin = add_user(db, "admin", "admin", name="管理员")
    users.log_in(db, "admin", PASSWORD)
    win = window_as(qtbot, db, admin)
    yield win
    close_window(win)


def open_audit(qtbot: QtBot, win: MainWindow) -> AuditPanel:
    page = win.show_page("settings", "audit")
    assert isinstance(page, SettingsPage)
    panel = page.audit
    qtbot.waitUntil(lambda: not panel.model.loading and panel.model.total > 0)
    return panel


def cells(panel: AuditPanel, row: int) -> list[str]:
    return [panel.model.index(row, c).data() for c in range(panel.model.columnCount())]


def test_lists_the_user_creation_with_its_fields(qtbot: QtBot, db: Database,
                                                 admin_window: MainWindow) -> None:
    add_user(db, "wangli", "inspector", name="王丽")
    panel = open_audit(qtbot, admin_window)
    assert panel.model.total == 3  # admin created, admin logged in, wangli created
    newest = cells(panel, 0)
    assert newest[1:4] == ["setup", "新增", "用户 #2"] and "王丽" in newest[4]
    assert cells(panel, 1)[1:3] == ["管理员（admin）", "登录"]
    assert panel.count_label.text() == "共 3 条"
    # The newest is selected and shown field by field.
    assert "新增用户：王丽（巡查队员）" in panel.details.heading.text()
    fields = {cell(panel.details.fields, r, 0): cell(panel.details.fields, r, 2)
              for r in range(panel.details.fields.rowCount())}
    assert fields["姓名"] == "王丽" and fields["角色"] == "巡查队员" and fields["登录名"] == "wangli"


def test_filters_by_user_kind_and_text(qtbot: QtBot, db: Database,
                                       admin_window: MainWindow) -> None:
    add_user(db, "wangli", "inspector", name="王丽")
    panel = open_audit(qtbot, admin_window)
    panel.user_combo.setCurrentIndex(panel.user_combo.findData("admin"))
    qtbot.waitUntil(lambda: panel.model.total == 1 and not panel.model.loading)
    panel.user_combo.setCurrentIndex(0)
    panel.search_edit.setText("王丽")
    qtbot.waitUntil(lambda: panel.model.total == 1 and not panel.model.loading)
    assert "王丽" in cells(panel, 0)[4]
    panel.search_edit.clear()
    panel.entity_combo.setCurrentIndex(panel.entity_combo.findData("user"))
    panel.date_check.setChecked(True)
    qtbot.waitUntil(lambda: panel.model.total == 3 and not panel.model.loading)
    panel.from_edit.setDate(panel.to_edit.date().addDays(1))
    qtbot.waitUntil(lambda: panel.model.total == 0 and not panel.model.loading)


def test_hash_chain_intact_then_tampered(qtbot: QtBot, db: Database, admin_window: MainWindow,
                                         answers: Answers) -> None:
    panel = open_audit(qtbot, admin_window)
    panel.verify_button.click()
    qtbot.waitUntil(lambda: panel.verify_button.isEnabled())
    assert "审计日志完整（2 条）" in panel.verify_label.text()
    assert not answers.errors
    with db.engine.begin() as conn:  # an edit behind the app's back
        conn.execute(text("UPDATE audit_entry SET summary = '改过的' WHERE id = 1"))
    panel.verify_button.click()
    qtbot.waitUntil(lambda: bool(answers.errors))
    assert "第 1 条记录被改动过" in panel.verify_label.text()
    assert answers.errors[0][0] == "审计日志被改动过"


def test_new_entries_appear_when_the_ledger_changes(qtbot: QtBot, db: Database,
                                                    admin_window: MainWindow) -> None:
    panel = open_audit(qtbot, admin_window)
    before = panel.model.total
    add_user(db, "later", "viewer")
    admin_window.ctx.hub.announce({"user"})
    drain(qtbot, admin_window)
    qtbot.waitUntil(lambda: panel.model.total == before + 1)
