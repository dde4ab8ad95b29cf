"""The GUI entry point and the database worker under it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop import app
from desktop.domain.errors import DomainError
from desktop.ui.worker import DbWorker


def test_unopenable_database_shows_message_and_exits_1(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []

    def critical(parent: QWidget | None, title: str, text: str) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "critical", critical)
    bad = tmp_path / "不是数据库.sqlite3"
    bad.write_bytes(b"PK\x03\x04 this is a zip file, not a ledger")
    assert app.run_gui(["--db", str(bad)]) == 1
    assert len(shown) == 1 and "不是台账数据库" in shown[0]


def test_run_gui_starts_and_quits_on_request(qtbot: QtBot, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(app.ENV_QUIT_AFTER_MS, "300")
    monkeypatch.setenv(app.ENV_START_PAGE, "ledger")
    assert app.run_gui(["--db", str(tmp_path / "新台账.sqlite3")]) == 0
    assert (tmp_path / "新台账.sqlite3").exists()


def test_worker_reports_on_ui_thread_and_routes_errors(qtbot: QtBot) -> None:
    worker = DbWorker()
    results: list[object] = []
    worker.submit(lambda: 41 + 1, results.append)

    def refuse() -> None:
        raise DomainError("不行")

    worker.submit(refuse, results.append, failed=lambda e: results.append(e.message))
    qtbot.waitUntil(lambda: len(results) == 2)
    assert results == [42, "不行"]

    def broken() -> None:
        raise ZeroDivisionError

    # A programming error is raised on the UI thread, not swallowed.
    with qtbot.capture_exceptions() as raised:
        worker.submit(broken, results.append)
        qtbot.waitUntil(lambda: bool(raised))
    assert raised[0][0] is ZeroDivisionError
    worker.shutdown()


def test_answers_for_deleted_widgets_are_dropped(qtbot: QtBot) -> None:
    worker = DbWorker()
    owner = QWidget()
    results: list[object] = []
    release = threading.Event()
    worker.submit(lambda: release.wait(5), lambda _ok: None)  # holds the worker
    worker.submit(lambda: 1, results.append, owner=owner)
    shiboken6.delete(owner)  # the dialog is gone before its answer comes
    release.set()
    worker.submit(lambda: 2, results.append)
    qtbot.waitUntil(lambda: 2 in results)
    assert results == [2]
    worker.shutdown()
