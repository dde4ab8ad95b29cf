"""One running instance per user and ledger: the second start hands over and exits 0."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from desktop import app
from desktop.single_instance import (
    ACTIVATE,
    MUTEX_NAME,
    SingleInstance,
    bring_to_front,
    instance_key,
    server_name,
)


@pytest.fixture
def name() -> str:
    # A fresh name per test, so parallel runs on one machine never meet.
    return server_name(f"test-{uuid.uuid4()}")


def test_second_instance_detects_first_and_message_arrives(qtbot: QtBot, name: str) -> None:
    first = SingleInstance(name)
    assert first.start()
    assert first.is_primary
    second = SingleInstance(name)
    with qtbot.waitSignal(first.message_received, timeout=5000) as blocker:
        assert not second.start()
    assert blocker.args == [ACTIVATE]
    assert not second.is_primary

    with qtbot.waitSignal(first.message_received, timeout=5000) as blocker:
        assert second.send("第二条消息")
    assert blocker.args == ["第二条消息"]
    first.close()


def test_after_the_first_closes_the_next_start_leads(qtbot: QtBot, name: str) -> None:
    first = SingleInstance(name)
    assert first.start()
    first.close()
    assert not SingleInstance(name).send(ACTIVATE)
    again = SingleInstance(name)
    assert again.start()
    again.close()


def test_names_differ_per_user_and_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = tmp_path / "台账 甲.sqlite3"
    monkeypatch.chdir(tmp_path)
    # The same file by a relative and an absolute path is the same ledger.
    assert instance_key("台账 甲.sqlite3") == instance_key(str(ledger))
    assert instance_key(f"sqlite:///{ledger}") == instance_key(str(ledger))
    assert instance_key(str(ledger)) != instance_key(str(tmp_path / "乙.sqlite3"))
    key = instance_key(str(ledger))
    assert server_name(key, "clerk1") != server_name(key, "clerk2")
    assert server_name(key, "clerk1") == server_name(key, "clerk1")
    assert server_name(key).startswith(MUTEX_NAME)
    # The password of a PostgreSQL URL never ends up in a socket name or key.
    assert "secret" not in instance_key("postgresql+psycopg://clerk:secret@server/ledger")


def test_run_gui_hands_over_to_a_running_instance(qtbot: QtBot, tmp_path: Path) -> None:
    ledger = tmp_path / "新台账.sqlite3"
    first = SingleInstance(server_name(instance_key(str(ledger))))
    assert first.start()
    with qtbot.waitSignal(first.message_received, timeout=5000) as blocker:
        assert app.run_gui(["--db", str(ledger)]) == 0
    assert blocker.args == [ACTIVATE]
    assert not ledger.exists()  # the second start never opened the ledger
    first.close()


def test_a_second_start_brings_the_followed_window_forward(qtbot: QtBot, name: str) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    first = SingleInstance(name)
    assert first.start()
    first.follow(window)
    with qtbot.waitSignal(first.message_received, timeout=5000):
        assert not SingleInstance(name).start()
    assert window.isVisible()
    assert not window.windowState() & Qt.WindowState.WindowMinimized
    first.close()


def test_bring_to_front_restores_a_minimised_window(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    bring_to_front(window)
    assert window.isVisible()
    assert not window.windowState() & Qt.WindowState.WindowMinimized
