"""Backup and restore from the GUI, the automatic backup at start, recovery of a damaged ledger."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import businesses
from desktop.domain.businesses import BusinessInput, BusinessQuery
from desktop.io import backup
from desktop.io.backup import BackupError, backup_to, check_file
from desktop.ui import backup_dialog, backup_recovery, backup_startup
from desktop.ui.main_window import MainWindow

from .conftest import SMALL, Answers, Ledger, drain, folder_of


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _count(db: Database) -> int:
    with db.session() as s:
        return businesses.count(s, BusinessQuery())


def _save_dialog(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    asked: list[str] = []

    def get_save(parent: QWidget, caption: str, start: str, filters: str) -> tuple[str, str]:
        asked.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save)
    return asked


def test_backup_from_the_gui_writes_a_verified_file(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, answers: Answers, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "U盘" / "台账备份.sqlite3"
    target.parent.mkdir()
    asked = _save_dialog(monkeypatch, target)
    window.trust_actions.backup.trigger()
    assert Path(asked[0]).name.startswith("台账备份-") and asked[0].endswith(".sqlite3")
    report = check_file(target)
    assert report.tables["business"] == len(SMALL)
    title, message = answers.errors[-1]
    assert title == "备份完成"
    assert f"商户 {len(SMALL)} 户" in message and "完整性检查通过" in message
    assert not list(target.parent.glob("*.part"))


def test_cancelled_backup_leaves_nothing(qtbot: QtBot, window: MainWindow, answers: Answers,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "取消.sqlite3"
    _save_dialog(monkeypatch, target)

    def slow_backup(db: Database, path: Path, *, progress: backup.Progress,
                    cancelled: object) -> object:
        progress(1, 10)
        assert callable(cancelled)
        while not cancelled():  # until the clerk presses 取消
            threading.Event().wait(0.005)
        raise BackupError("已取消备份")

    def press_cancel() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QProgressDialog) and not w.wasCanceled()]
        if dialogs:
            button = dialogs[0].findChild(QPushButton)
            assert button is not None and button.text() == "取消"
            button.click()
        else:
            QTimer.singleShot(5, press_cancel)

    monkeypatch.setattr(backup_dialog, "backup_to", slow_backup)
    QTimer.singleShot(0, press_cancel)
    assert backup_dialog.back_up(window, window.ctx) is None
    assert answers.errors[-1] == ("备份", "已取消备份，没有写入任何文件。")
    assert not target.exists()


def test_restore_asks_first_then_reopens(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                         answers: Answers, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = window.ctx.db
    saved = backup_to(db, tmp_path / "昨天.sqlite3").path
    with db.transaction() as s:
        businesses.create(s, BusinessInput(name="备份之后新增", community_id=ledger.communities["东湖社区"]),
                          user="setup")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *_a: (str(saved), ""))
    answers.confirms.append(False)  # the clerk thinks again
    assert not backup_dialog.restore_from(window, window.ctx)
    assert _count(db) == len(SMALL) + 1 and window.isVisible()

    answers.confirms.append(True)
    assert backup_dialog.restore_from(window, window.ctx)
    assert answers.questions == ["从备份恢复", "从备份恢复"]
    assert answers.errors[-1][0] == "恢复完成"
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.property(backup_dialog.RESTART_PROPERTY) is True
    reopened = Database(str(db.path))
    try:
        assert _count(reopened) == len(SMALL)
    finally:
        reopened.dispose()
    kept = list((folder_of(db) / "backups").glob("before-restore-*.sqlite3"))
    assert len(kept) == 1 and check_file(kept[0]).tables["business"] == len(SMALL) + 1


def test_restore_refuses_a_file_that_is_not_a_ledger(
        qtbot: QtBot, window: MainWindow, answers: Answers, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    junk = tmp_path / "坏的.sqlite3"
    junk.write_bytes(b"not a database at all" * 10)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(junk), ""))
    assert not backup_dialog.restore_from(window, window.ctx)
    assert answers.errors[-1][0] == "不能恢复" and "不是台账数据库" in answers.errors[-1][1]
    assert not answers.questions  # nothing is asked about a file that cannot be restored


def test_automatic_backup_updates_the_status_bar(qtbot: QtBot, window: MainWindow,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.status.backup_label.text() == "尚无备份"
    backup_startup.run_automatic_backup(window)
    drain(qtbot, window)
    qtbot.waitUntil(lambda: window.status.backup_label.text().startswith("上次备份："))
    assert len(list((folder_of(window.ctx.db) / "backups").glob("auto-*.sqlite3"))) == 1

    def broken(_db: Database) -> None:
        raise BackupError("磁盘已满")

    monkeypatch.setattr(backup_startup, "automatic_backup", broken)
    backup_startup.run_automatic_backup(window)
    drain(qtbot, window)
    assert window.status.backup_label.text() == "⚠ 自动备份失败"
    assert "磁盘已满" in window.status.backup_label.toolTip()


def test_postgres_notice_is_shown_once(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    box = backup_startup.postgres_notice(parent, "postgresql+psycopg://office-server/ledger")
    assert box is not None and box.isVisible() and not box.isModal()
    assert "pg_dump" in box.text()
    box.close()
    assert backup_startup.postgres_notice(parent, "postgresql+psycopg://office-server/ledger") is None


def _damaged_ledger_with_backups(tmp_path: Path) -> tuple[Path, Path, Path]:
    path = tmp_path / "台账.sqlite3"
    db = Database(str(path))
    folder = path.parent / "backups"
    folder.mkdir()
    good = backup_to(db, folder / "auto-20260101-080000.sqlite3").path
    db.dispose()
    junk = folder / "auto-20260102-080000.sqlite3"
    junk.write_bytes(b"\0" * 4096)
    os.utime(good, (1_700_000_000, 1_700_000_000))  # the junk one is the newest
    path.write_bytes(b"garbage where the ledger was" * 100)
    return path, good, junk


def test_backup_chooser_checks_each_backup(qtbot: QtBot, tmp_path: Path) -> None:
    path, good, junk = _damaged_ledger_with_backups(tmp_path)
    backups = backup_recovery.candidates(path.parent / "backups")
    assert backups == [junk, good]  # newest first
    chooser = backup_recovery.BackupChooser(backups)
    qtbot.addWidget(chooser)
    chooser.show()
    qtbot.waitUntil(lambda: chooser.restore_button.isEnabled())
    assert cell(chooser.table, 0, 2).startswith("不可用")
    assert cell(chooser.table, 1, 2).startswith("通过")
    chooser.accept()
    assert chooser.chosen is not None and chooser.chosen[0] == good


def test_damaged_ledger_at_start_is_restored_from_a_backup(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, good, _junk = _damaged_ledger_with_backups(tmp_path)
    offered: list[str] = []

    def offer(message: str, ledger: Path, backups: list[Path]) -> bool:
        offered.append(message)
        backup_recovery.restore_over(ledger, good)
        return True

    monkeypatch.setattr(backup_recovery, "offer_restore", offer)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: offered.append("critical"))
    db = backup_recovery.open_ledger(str(path))
    assert db is not None
    db.dispose()
    assert len(offered) == 1 and "不是台账数据库" in offered[0]
    kept = list((path.parent / "backups").glob("replaced-*台账.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"garbage")
    assert backup_recovery.candidates(path.parent / "backups") == [_junk, good]


def test_offer_restore_from_the_error_message(qtbot: QtBot, tmp_path: Path,
                                              answers: Answers) -> None:
    path, good, junk = _damaged_ledger_with_backups(tmp_path)
    steps: list[str] = []

    def answer() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QMessageBox):
            steps.append("error")
            button = next(b for b in widget.buttons() if b.text() == "从最近的备份恢复…")
            button.click()
        elif (isinstance(widget, backup_recovery.BackupChooser)
              and widget.restore_button.isEnabled()):
            steps.append("chooser")
            widget.restore_button.click()
            return
        QTimer.singleShot(5, answer)

    QTimer.singleShot(0, answer)
    answers.confirms.append(True)
    assert backup_recovery.offer_restore("打不开", path, [junk, good])
    assert steps == ["error", "chooser"]
    assert answers.questions == ["从备份恢复"] and answers.errors[-1][0] == "恢复完成"
    assert check_file(path).tables["business"] == 0
