"""Entering a sorting check from the paper sheet with the keyboard only, its recheck, and the
photos saved with a check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.engine import Database
from db.models import Attachment
from desktop.domain import sorting
from desktop.domain.sorting import CheckQuery
from desktop.domain.stats import Period
from desktop.ui.main_window import MainWindow
from desktop.ui.photo_viewer import PhotoViewer
from desktop.ui.sorting_entry_dialog import CheckEntryDialog
from desktop.ui.sorting_page import SortingPage
from desktop.ui.sorting_score_table import VALUE
from tests.unit.domain.sorting_helpers import make_sites

from .conftest import Answers, drain, gone, type_text, visible_dialog

TODAY = dt.date.today()
# What the paper sheet of 东湖新村 says, item by item (扣分 items as the deduction): 8 off the
# bins (item 4), nothing for the 厨余 accuracy (item 10, scored), 6 off the duty staff (item 15).
SHEET = ["0", "0", "3", "8", "0", "0", "0", "0", "0", "0", "8", "0", "0", "0", "6",
         "0", "0", "0", "0", "0", "0", "0"]


def open_sorting(qtbot: QtBot, window: MainWindow) -> SortingPage:
    page = window.show_page("sorting")
    assert isinstance(page, SortingPage)
    drain(qtbot, window)
    return page


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def key(qtbot: QtBot, k: Qt.Key) -> None:
    qtbot.keyClick(focused(), k)


def type_score(qtbot: QtBot, dialog: CheckEntryDialog, text: str) -> None:
    """Type a number on the current row and press Enter, as a clerk does."""
    row = dialog.table.currentIndex().row()
    for ch in text:
        qtbot.keyClick(focused(), ch)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.state() != dialog.table.State.EditingState
                    and (dialog.table.currentIndex().row() != row or dialog.save_button.hasFocus()
                         or dialog.model.last_refusal != ""))


def open_entry(qtbot: QtBot, page: SortingPage, window: MainWindow) -> CheckEntryDialog:
    page.act_new.trigger()
    qtbot.waitUntil(lambda: visible_dialog(CheckEntryDialog) is not None)
    dialog = visible_dialog(CheckEntryDialog)
    assert isinstance(dialog, CheckEntryDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_keyboard_entry_with_a_live_total(qtbot: QtBot, window: MainWindow, db: Database,
                                         answers: Answers) -> None:
    _ledger, sites = make_sites(db)
    page = open_sorting(qtbot, window)
    dialog = open_entry(qtbot, page, window)
    assert dialog.site_combo.hasFocus() or dialog.site_combo.lineEdit().hasFocus()
    assert dialog.verdict_label.text() == "请先选择点位"
    # The site: type part of its name, pick the match from the drop-down with Enter.
    type_text(qtbot, dialog.site_combo.lineEdit(), "东湖新")
    popup = dialog.site_combo.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.site_combo.currentData() == sites["东湖新村"])
    # The offscreen platform hands activation back from the closed pop-up late; settle it.
    qtbot.wait(50)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.wait(50)
    assert dialog.model.rowCount() == 22 and "第1版" in dialog.template_label.text()
    # Enter walks the header: the site, the date, the inspectors, then the sheet.
    dialog.site_combo.setFocus()
    key(qtbot, Qt.Key.Key_Return)
    assert dialog.date_edit.hasFocus()
    key(qtbot, Qt.Key.Key_Return)
    assert dialog.inspectors_edit.hasFocus()
    type_text(qtbot, dialog.inspectors_edit, "李四、王五")
    key(qtbot, Qt.Key.Key_Return)
    assert dialog.table.hasFocus() or dialog.table.isAncestorOf(focused())
    assert dialog.table.currentIndex().row() == 0 and dialog.table.currentIndex().column() == VALUE

    for n, value in enumerate(SHEET[:4]):
        type_score(qtbot, dialog, value)
        assert dialog.table.currentIndex().row() == n + 1
    assert dialog.total_label.text() == "总分 10 / 100"
    assert dialog.verdict_label.text() == "待录完"
    assert "已填 4/22 项　已扣 8 分" in dialog.progress_label.text()
    # 9 off an item of 4 points is refused where it is typed; the cursor stays on the row.
    type_score(qtbot, dialog, "9")
    assert dialog.table.currentIndex().row() == 4
    assert dialog.message_label.text() == "第5项“桶身颜色、标识符合国家标准，分类…”的扣分应在0至4分之间（填写了9）"
    for value in SHEET[4:14]:
        type_score(qtbot, dialog, value)
    # 20 off already: still undecided, 80 can be reached.
    assert dialog.verdict_label.text() == "待录完"
    type_score(qtbot, dialog, SHEET[14])
    # 26 points lost: the check can no longer pass, whatever follows.
    assert dialog.verdict_label.text() == "不合格"
    for value in SHEET[15:]:
        type_score(qtbot, dialog, value)
    assert dialog.save_button.hasFocus()
    assert dialog.total_label.text() == "总分 74 / 100"
    assert dialog.verdict_label.text() == "不合格"
    assert dialog.deadline_edit.isEnabled()
    assert not dialog.finding_check.isVisible()  # not a business site
    key(qtbot, Qt.Key.Key_Return)  # Enter on 保存
    qtbot.waitUntil(lambda: gone(dialog))
    assert answers.errors == []

    with db.session() as s:
        [row] = sorting.check_page(s, CheckQuery())
    assert (row.site, row.total, row.passed, row.inspectors) == ("东湖新村", 74, False, "李四、王五")
    assert row.deadline == TODAY + dt.timedelta(days=7) and row.check_date == TODAY
    qtbot.waitUntil(lambda: page.check_model.total == 1)
    qtbot.waitUntil(lambda: page.selected_check() is not None)
    assert page.act_recheck.isEnabled()

    # The recheck shows the three failed items only; the others count as they were.
    page.act_recheck.trigger()
    qtbot.waitUntil(lambda: isinstance(visible_dialog(CheckEntryDialog), CheckEntryDialog))
    recheck = visible_dialog(CheckEntryDialog)
    assert isinstance(recheck, CheckEntryDialog) and recheck.mode == "recheck"
    recheck.activateWindow()
    qtbot.waitUntil(recheck.isActiveWindow)
    assert [i.position for i in recheck.model.rows] == [4, 10, 15]
    assert recheck.total_label.text() == "总分 74 / 100"  # nothing typed yet: 26 still lost
    recheck.focus_sheet()
    for value in ("0", "8", "0"):
        type_score(qtbot, recheck, value)
    assert recheck.total_label.text() == "总分 96 / 100" and recheck.verdict_label.text() == "合格"
    assert not recheck.deadline_edit.isEnabled()
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(recheck))
    with db.session() as s:
        original = sorting.get_check(s, row.id)
    assert original.result_passed and original.result_total == 96 and not original.pending
    qtbot.waitUntil(lambda: page.check_model.total == 2)


def test_correcting_a_reported_check_asks_for_a_reason(qtbot: QtBot, window: MainWindow,
                                                       db: Database, answers: Answers) -> None:
    from tests.unit.domain.sorting_helpers import check

    _ledger, sites = make_sites(db)
    row = check(db, sites["东湖花园"], TODAY, {4: 2}, today=TODAY)
    with db.transaction() as s:
        sorting.mark_reported(s, Period.parse(None))
    page = open_sorting(qtbot, window)
    qtbot.waitUntil(lambda: page.check_model.total == 1)
    page.check_table.selectRow(0)
    qtbot.waitUntil(lambda: page.selected_check() is not None)
    page.act_edit.trigger()
    qtbot.waitUntil(lambda: isinstance(visible_dialog(CheckEntryDialog), CheckEntryDialog))
    dialog = visible_dialog(CheckEntryDialog)
    assert isinstance(dialog, CheckEntryDialog) and dialog.mode == "edit"
    assert "已上报" in dialog.message_label.text()
    assert dialog.total_label.text() == "总分 98 / 100"
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.table.go_to(3)
    dialog.table.setFocus()
    type_score(qtbot, dialog, "8")
    assert dialog.total_label.text() == "总分 92 / 100"
    answers.texts.append("录入时看错了行")
    dialog.save()
    qtbot.waitUntil(lambda: gone(dialog))
    assert answers.questions == ["修改已上报的检查"]
    with db.session() as s:
        fixed = sorting.get_check(s, row.id)
        history = sorting.history(s, row.id)
    assert fixed.total == 92 and "原因：录入时看错了行" in history[0].summary


def png(folder: Path, name: str, colour: str) -> Path:
    """A small photo; each colour makes a different file (the same photo is kept once)."""
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    path = folder / name
    assert image.save(str(path))
    return path


def pick_files(monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> None:
    """The next file dialog answers with `paths`."""
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *_a, **_k: ([str(p) for p in paths], ""))


def test_photos_are_saved_with_the_check_and_a_non_image_saves_nothing(
        qtbot: QtBot, window: MainWindow, db: Database, answers: Answers, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _ledger, sites = make_sites(db)
    page = open_sorting(qtbot, window)
    dialog = open_entry(qtbot, page, window)
    dialog.site_combo.setCurrentIndex(dialog.site_combo.findData(sites["东湖新村"]))
    dialog.inspectors_edit.setText("李四、王五")
    dialog.model.set_values({i.id: (0.0 if i.deduct else i.max_score, "") for i in dialog.model.rows})
    assert dialog.verdict_label.text() == "合格"
    notes = tmp_path / "检查记录.txt"
    notes.write_text("不是照片", encoding="utf-8")
    pick_files(monkeypatch, [png(tmp_path, "满溢.png", "#3a7bd5"), notes,
                             png(tmp_path, "混投.png", "#8d6e63")])
    qtbot.mouseClick(dialog.photos.add_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in dialog.photos.paths()] == ["满溢.png", "检查记录.txt", "混投.png"]
    assert dialog.is_modified()

    # The text file is refused when saving; the check and the two photos are not saved either.
    dialog.save()
    qtbot.waitUntil(lambda: "不是图片文件" in dialog.message_label.text())
    assert "“检查记录.txt”" in dialog.message_label.text()
    assert "检查记录尚未保存" in dialog.message_label.text()
    assert dialog.isVisible() and answers.errors == []
    with db.session() as s:
        assert sorting.count_checks(s, CheckQuery()) == 0
        assert s.scalar(select(func.count()).select_from(Attachment)) == 0
    # The refused file is the one selected: taking it out clears the message.
    assert [i.toolTip() for i in dialog.photos.list.selectedItems()][0].startswith("检查记录.txt")
    dialog.photos.remove_selected()
    assert dialog.message_label.text() == ""
    dialog.save()
    qtbot.waitUntil(lambda: gone(dialog))

    with db.session() as s:
        [row] = sorting.check_page(s, CheckQuery())
        assert [p.file_name for p in sorting.photos_of(s, row.id)] == ["满溢.png", "混投.png"]
    qtbot.waitUntil(lambda: page.details.check_id == row.id and page.details.photo_count() == 2)
    assert page.details.photos_label.text() == "现场照片（2 张）"
    # Double-click (or Enter) on a thumbnail shows the photo at full size.
    page.details.photos.itemActivated.emit(page.details.photos.item(1))
    qtbot.waitUntil(lambda: isinstance(visible_dialog(PhotoViewer), PhotoViewer))
    viewer = visible_dialog(PhotoViewer)
    assert isinstance(viewer, PhotoViewer) and viewer.windowTitle() == "照片 — 混投.png"
    qtbot.waitUntil(lambda: not viewer.pixmap.isNull())
    assert viewer.pixmap.width() == 40
    viewer.done(0)
