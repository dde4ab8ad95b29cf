"""导出 on the ledger page: the file dialog, the background write, cancel and a locked file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from desktop.io import xlsx_out
from desktop.ui import export_runner
from desktop.ui.business_table_model import COLUMNS
from desktop.ui.export_runner import ListExport
from desktop.ui.ledger_page import LedgerPage
from desktop.ui.main_window import MainWindow

from .conftest import Answers, Ledger


class Dialog:
    """Stands in for QFileDialog.getSaveFileName; remembers where it was opened."""

    def __init__(self, answer: Path | None) -> None:
        self.answer = answer
        self.started_in = ""

    def __call__(self, _parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        self.started_in = start
        return (str(self.answer) if self.answer else "", "")


def open_ledger(qtbot: QtBot, window: MainWindow) -> LedgerPage:
    page = window.show_page("ledger")
    assert isinstance(page, LedgerPage)
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total > 0)
    return page


def run_export(qtbot: QtBot, page: LedgerPage) -> tuple[ListExport, list[object]]:
    assert page.act_export.isEnabled()
    finished: list[object] = []
    page.act_export.trigger()
    job = page.findChild(ListExport)
    assert job is not None
    job.done.connect(finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    qtbot.waitUntil(lambda: page.findChild(ListExport) is None)  # it cleans up after itself
    return job, finished


def test_export_writes_what_the_page_shows(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                           answers: Answers, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = Dialog(tmp_path / "我的台账")  # no suffix typed: .xlsx is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    page = open_ledger(qtbot, window)
    page.filter_bar.search_edit.setText("火锅")
    qtbot.waitUntil(lambda: page.model.total == 2)
    header = page.table.horizontalHeader()
    fields = [c.field for c in COLUMNS]
    header.moveSection(header.visualIndex(fields.index("phone")), 0)
    header.setSectionHidden(fields.index("address"), True)
    page.table.sortByColumn(fields.index("name"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: page.model.query.descending and not page.model.loading)

    _job, finished = run_export(qtbot, page)
    out = tmp_path / "我的台账.xlsx"
    assert finished[0].out == out and finished[0].rows == 2
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert dialog.started_in.startswith(documents) and dialog.started_in.endswith(".xlsx")
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == ["联系电话", "名称", "统一社会信用代码", "经营者", "行业类别",
                                        "社区", "网格", "经营状态", "亮照"]
    assert [ws["B2"].value, ws["B3"].value] == ["老王火锅店", "重庆火锅店"]  # lao, chong: pinyin, descending
    assert ws["A2"].number_format == "@"
    assert answers.errors and answers.errors[-1][0] == "导出完成"
    assert str(out) in answers.errors[-1][1]


def test_cancelled_dialog_does_nothing(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Dialog(None))
    page = open_ledger(qtbot, window)
    assert page.export_list() is None
    assert page.findChild(ListExport) is None


def test_cancel_leaves_no_file_and_no_message(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                              answers: Answers, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Dialog(tmp_path / "x.xlsx"))
    release = threading.Event()
    real = export_runner.write_list

    def held(*args: object, **kwargs: object) -> object:
        release.wait(10)  # the clerk presses 取消 before the first batch is written
        return real(*args, **kwargs)

    monkeypatch.setattr(export_runner, "write_list", held)
    page = open_ledger(qtbot, window)
    job = page.export_list()
    assert job is not None
    finished: list[object] = []
    job.done.connect(finished.append)
    cancel = job.progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "取消"
    cancel.click()
    release.set()
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    assert finished == [None]
    assert not [p for p in tmp_path.iterdir() if p.is_file()]
    assert answers.errors == []


def test_locked_file_is_reported(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                 answers: Answers, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "导出"
    folder.mkdir()
    out = folder / "open.xlsx"
    out.write_bytes(b"in Excel")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Dialog(out))

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(xlsx_out.os, "replace", locked)
    page = open_ledger(qtbot, window)
    _job, finished = run_export(qtbot, page)
    assert finished == [None]
    assert answers.errors[-1][0] == "导出失败" and "正在 Excel" in answers.errors[-1][1]
    assert out.read_bytes() == b"in Excel"
    assert [p.name for p in folder.iterdir()] == ["open.xlsx"]
