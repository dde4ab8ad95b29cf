"""Fixtures for GUI tests: a small ledger built through the services, the main window, and
prompts answered by the test instead of by a person."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.app import create_main_window
from desktop.domain import businesses, divisions, users
from desktop.domain.businesses import BusinessInput, BusinessRow
from desktop.domain.codes import credit_code_check_char
from desktop.domain.users import UserRow
from desktop.ui import prompts
from desktop.ui.main_window import MainWindow


@pytest.fixture(scope="session", autouse=True)
def _settings_in_temp(tmp_path_factory: pytest.TempPathFactory, qapp: QApplication) -> None:
    # Window geometry and column state must never reach the real user's settings.
    QCoreApplication.setOrganizationName("StreetLedgerTest")
    QCoreApplication.setApplicationName("StreetLedgerTest")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.mktemp("qsettings")))


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    QSettings().clear()


def credit_code(n: int) -> str:
    body = f"91330106{n:09d}"
    return body + credit_code_check_char(body)


@dataclass
class Ledger:
    communities: dict[str, int] = field(default_factory=dict)
    grids: dict[str, int] = field(default_factory=dict)
    rows: dict[str, BusinessRow] = field(default_factory=dict)


# name, community, grid, operator, phone
SMALL = [
    ("老王火锅店", "东湖社区", "东湖一网格", "王建国", "13800000005"),
    ("小李便利店", "东湖社区", "东湖二网格", "李小红", "13800000001"),
    ("张记面馆", "东湖社区", "东湖一网格", "张明", "13800000009"),
    ("重庆火锅店", "西岭社区", "西岭一网格", "陈强", "13800000003"),
    ("阿强理发店", "西岭社区", "西岭一网格", "刘强", "13800000007"),
    ("百草堂大药房", "西岭社区", None, "周芳", "13800000002"),
]


def build_divisions(db: Database) -> Ledger:
    ledger = Ledger()
    with db.transaction() as s:
        for community, grids in (("东湖社区", ["东湖一网格", "东湖二网格"]),
                                 ("西岭社区", ["西岭一网格"])):
            cid = divisions.create_community(s, community, user="setup")
            ledger.communities[community] = cid
            for grid in grids:
                ledger.grids[grid] = divisions.create_grid(s, cid, grid, user="setup")
    return ledger


@pytest.fixture
def ledger(db: Database) -> Ledger:
    ledger = build_divisions(db)
    with db.transaction() as s:
        for n, (name, community, grid, operator, phone) in enumerate(SMALL, start=1):
            ledger.rows[name] = businesses.create(s, BusinessInput(
                name=name, credit_code=credit_code(n), operator=operator, phone=phone,
                address=f"解放路{n}号", category="餐饮" if "店" in name else "其他",
                community_id=ledger.communities[community],
                grid_id=ledger.grids[grid] if grid else None), user="setup")
    return ledger


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    win = create_main_window(db, user="测试员")
    qtbot.addWidget(win)
    win.resize(1366, 740)
    win.show()
    qtbot.waitExposed(win)
    yield win
    # Stop the worker before the db fixture disposes the engine under it.
    win.close()
    win.shutdown()


@dataclass
class Answers:
    """What the test answers to the app's questions; a question without an answer fails."""

    confirms: list[bool] = field(default_factory=list)
    texts: list[str | None] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    given = Answers()

    def confirm(parent: QWidget | None, title: str, message: str, *, ok_text: str = "") -> bool:
        given.questions.append(title)
        assert given.confirms, f"unexpected question: {title} {message}"
        return given.confirms.pop(0)

    def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
        given.questions.append(title)
        assert given.texts, f"unexpected question: {title} {label}"
        return given.texts.pop(0)

    def show_error(parent: QWidget | None, title: str, message: str) -> None:
        given.errors.append((title, message))

    monkeypatch.setattr(prompts, "confirm", confirm)
    monkeypatch.setattr(prompts, "ask_text", ask_text)
    monkeypatch.setattr(prompts, "show_error", show_error)
    monkeypatch.setattr(prompts, "show_info", show_error)
    return given


def visible_dialog(kind: type[QWidget]) -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, kind) and widget.isVisible():
            return widget
    return None


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a clerk: ASCII key by key, Chinese as a pinyin IME commits it."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def drain(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until every database job asked for so far has reported back.

    The worker runs jobs in order on one thread and reports in order, so once a job
    submitted now has reported, all earlier ones have too.
    """
    done: list[object] = []
    window.ctx.worker.submit(lambda: None, done.append)
    qtbot.waitUntil(lambda: bool(done))


def gone(widget: QWidget) -> bool:
    """Closed, or deleted (dialogs delete themselves on close)."""
    return not shiboken6.isValid(widget) or not widget.isVisible()


def folder_of(db: Database) -> Path:
    assert db.path is not None
    return db.path.parent


PASSWORD = "abc12345"


def add_user(db: Database, login: str, role: str, *, name: str = "",
             password: str = PASSWORD, must_change: bool = False) -> UserRow:
    """A user made the way an administrator would, without a login (no actor on the db)."""
    with db.transaction() as s:
        return users.create_user(s, login, name or login, role, password, by="setup",
                                 must_change=must_change)


def window_as(qtbot: QtBot, db: Database, user: UserRow) -> MainWindow:
    """The main window after `user` logged in; close it with close_window."""
    win = create_main_window(db, actor=user.actor())
    qtbot.addWidget(win)
    win.resize(1366, 740)
    win.show()
    qtbot.waitExposed(win)
    return win


def close_window(win: MainWindow) -> None:
    win.close()
    win.shutdown()
