"""The 垃圾分类 page: lists and filters, the home page's reminders, figures, sites, checklists,
and the photos of a check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Finding
from desktop.domain import sorting, sorting_templates
from desktop.domain.attachments import PhotoInput
from desktop.domain.sorting import CheckQuery
from desktop.ui.home_page import HomePage
from desktop.ui.main_window import MainWindow
from desktop.ui.photo_viewer import PhotoViewer
from desktop.ui.sorting_filter_bar import UNCHECKED
from desktop.ui.sorting_page import CHECKS, FIGURES, SITES, SortingPage
from desktop.ui.sorting_site_dialog import SiteDialog
from desktop.ui.sorting_template_dialog import TemplateDialog
from tests.unit.domain.sorting_helpers import check, make_sites

from .conftest import (
    Answers,
    add_user,
    close_window,
    drain,
    gone,
    type_text,
    visible_dialog,
    window_as,
)
from .test_sorting_entry import open_sorting, pick_files, png

TODAY = dt.date.today()


def _checks(db: Database) -> dict[str, int]:
    _ledger, sites = make_sites(db)
    check(db, sites["东湖花园"], TODAY, {4: 2}, today=TODAY)  # 98, passes
    check(db, sites["老王火锅店"], TODAY, {3: 10, 7: 12}, site_type="商户", today=TODAY)  # 78
    return sites


def test_home_reminders_lead_to_the_unchecked_sites(qtbot: QtBot, window: MainWindow,
                                                    db: Database) -> None:
    _checks(db)
    home = window.show_page("home")
    assert isinstance(home, HomePage)
    home.refresh()
    drain(qtbot, window)
    buttons = home.sorting_due.buttons
    assert buttons["unchecked"].text() == "本月未检查点位 3"
    assert buttons["pending"].text() == "待复查 1"
    buttons["unchecked"].click()
    page = window.current_page()
    drain(qtbot, window)
    assert page is window.page("sorting")
    assert page.tabs.currentIndex() == SITES and page.filter_bar.site_state() == UNCHECKED
    qtbot.waitUntil(lambda: page.site_model.total == 3)
    assert page.count_label.text() == "共 3 条"
    names = {page.site_model.row_at(r).name for r in range(3)}
    assert names == {"东湖新村", "西岭家园", "西岭公园"}
    buttons["pending"].click()
    drain(qtbot, window)
    assert page.tabs.currentIndex() == CHECKS and page.filter_bar.check_state() == "pending"
    qtbot.waitUntil(lambda: page.check_model.total == 1)
    assert page.check_model.row_at(0).site == "老王火锅店"


def test_filters_details_figures_and_a_finding(qtbot: QtBot, window: MainWindow, db: Database,
                                               answers: Answers) -> None:
    _checks(db)
    page = open_sorting(qtbot, window)
    qtbot.waitUntil(lambda: page.check_model.total == 2)
    page.filter_bar.set_filters(site_type="商户")
    qtbot.waitUntil(lambda: page.check_model.total == 1)
    page.check_table.selectRow(0)
    qtbot.waitUntil(lambda: page.details.check_id is not None)
    assert "78 分" in page.details.browser.toPlainText()
    assert page.act_finding.isEnabled() and page.act_recheck.isEnabled()
    answers.confirms.append(True)
    page.act_finding.trigger()
    drain(qtbot, window)
    assert answers.errors == [("登记问题", "已登记问题，可在“巡查与通知”中跟进。")]
    with db.session() as s:
        assert s.scalars(select(Finding.category)).one() == "垃圾分类不达标"
    qtbot.waitUntil(lambda: not page.act_finding.isEnabled())

    page.filter_bar.set_filters(site_type="")
    page.tabs.setCurrentIndex(FIGURES)
    qtbot.waitUntil(lambda: page.figures.figures is not None)
    figures = page.figures
    assert "检查 2 次，合格 1 次，合格率 50.0%" in figures.headline.text()
    assert figures.unchecked_button.text() == "未检查点位 3 个 →"
    assert figures.communities.item(0, 0).text() == "东湖社区"
    assert figures.communities.item(0, 4).text() == "50.0%"
    assert figures.site_types.rowCount() == 5
    figures.unchecked_button.click()
    assert page.tabs.currentIndex() == SITES
    qtbot.waitUntil(lambda: page.site_model.total == 3)


def test_a_new_site_and_a_new_checklist_version(qtbot: QtBot, window: MainWindow, db: Database,
                                                answers: Answers) -> None:
    make_sites(db)
    page = open_sorting(qtbot, window)
    page.tabs.setCurrentIndex(SITES)
    qtbot.waitUntil(lambda: page.site_model.total == 5)
    page.act_new_site.trigger()
    qtbot.waitUntil(lambda: isinstance(visible_dialog(SiteDialog), SiteDialog))
    dialog = visible_dialog(SiteDialog)
    assert isinstance(dialog, SiteDialog)
    type_text(qtbot, dialog.name_edit, "东湖小学")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("单位"))
    type_text(qtbot, dialog.address_edit, "东湖路1号")
    dialog.contact_edit.setText("12")
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.messages["contact"].has_error())
    dialog.contact_edit.setText("025-84561230")
    dialog.accept()
    qtbot.waitUntil(lambda: gone(dialog))
    qtbot.waitUntil(lambda: page.site_model.total == 6)

    page.act_templates.trigger()
    qtbot.waitUntil(lambda: isinstance(visible_dialog(TemplateDialog), TemplateDialog))
    editor = visible_dialog(TemplateDialog)
    assert isinstance(editor, TemplateDialog)
    qtbot.waitUntil(lambda: editor.current() is not None)
    assert editor.table.rowCount() == 22 and editor.total_label.text() == "满分 100 分"
    assert "当前为第1版" in editor.version_label.text()
    editor.pass_spin.setValue(85)
    editor.save()
    qtbot.waitUntil(lambda: "当前为第2版" in editor.version_label.text())
    assert answers.errors[-1] == ("检查表", "小区检查表现为第2版。")
    with db.session() as s:
        assert sorting_templates.current_template(s, "小区").pass_score == 85
    editor.reject()


def test_drill_down_to_a_period_and_a_community(qtbot: QtBot, window: MainWindow,
                                                db: Database) -> None:
    ledger, sites = make_sites(db)
    month = TODAY.replace(day=1)
    last_month = month - dt.timedelta(days=1)
    check(db, sites["东湖花园"], month, {4: 2}, today=TODAY)  # passes
    check(db, sites["老王火锅店"], TODAY, {3: 10, 7: 12}, site_type="商户", today=TODAY)  # fails
    failed = check(db, sites["东湖新村"], last_month, {4: 8, 10: 12, 15: 6}, today=TODAY)  # 74
    assert not failed.passed
    check(db, sites["西岭家园"], month, {4: 8, 10: 12, 15: 6}, today=TODAY)
    east = ledger.communities["东湖社区"]
    label = f"{month:%Y-%m}"

    def shows(arg: dict[str, object], total: int) -> SortingPage:
        page = window.show_page("sorting", arg)
        assert isinstance(page, SortingPage)
        drain(qtbot, window)
        qtbot.waitUntil(lambda: page.check_model.total == total)
        assert page.tabs.currentIndex() == CHECKS
        return page

    page = shows({"period": label, "community_id": east}, 2)
    page.filter_bar.set_filters(site_type="商户", text="老王")
    qtbot.waitUntil(lambda: page.check_model.total == 1)
    page.tabs.setCurrentIndex(SITES)
    page = shows({"period": label, "community_id": east, "check_state": "failed"}, 1)
    assert page.check_model.row_at(0).site == "老王火锅店"
    assert page.filter_bar.site_type() == "" and page.filter_bar.text() == ""  # reset
    page = shows({"period": f"{last_month:%Y-%m}", "community_id": east}, 1)
    assert page.check_model.row_at(0).site == "东湖新村"
    shows({"period": "", "community_id": east, "check_state": "failed"}, 2)
    shows({"period": label, "check_state": "failed"}, 2)  # the community is reset
    page = shows({"period": "2024-02", "community_id": east}, 0)  # older than the choices
    assert page.filter_bar.period_combo.currentData() == "2024-02"
    shows({"community_id": east}, 2)  # no period named: this month
    shows({"filter": "pending", "community_id": east}, 2)


def _with_photos(db: Database, tmp_path: Path) -> tuple[dict[str, int], int]:
    """The two checks of _checks; the one at 东湖花园 with two photos."""
    sites = _checks(db)
    with db.session() as s:
        garden = next(r for r in sorting.check_page(s, CheckQuery()) if r.site == "东湖花园")
    with db.transaction() as s:
        sorting.add_photos(s, garden.id, [
            PhotoInput(p.name, p.read_bytes()) for p in (png(tmp_path, "满溢.png", "#3a7bd5"),
                                                         png(tmp_path, "混投.png", "#8d6e63"))],
            user="tester")
    return sites, garden.id


def _select(qtbot: QtBot, page: SortingPage, check_id: int) -> None:
    qtbot.waitUntil(lambda: page.check_model.row_of(check_id) is not None)
    page.check_table.selectRow(page.check_model.row_of(check_id))
    qtbot.waitUntil(lambda: page.details.check_id == check_id)


def _photo_names(db: Database, check_id: int) -> list[str]:
    with db.session() as s:
        return [p.file_name for p in sorting.photos_of(s, check_id)]


def test_photos_of_a_check_added_and_removed_from_the_details(
        qtbot: QtBot, window: MainWindow, db: Database, answers: Answers, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _sites, garden = _with_photos(db, tmp_path)
    page = open_sorting(qtbot, window)
    _select(qtbot, page, garden)
    qtbot.waitUntil(lambda: page.details.photo_count() == 2)
    assert page.act_add_photos.isEnabled() and page.details.add_photos_button.isEnabled()
    assert not page.act_remove_photo.isEnabled()  # no photo picked yet

    # Remove one, asked first; saying no keeps it.
    page.details.photos.item(0).setSelected(True)
    assert page.act_remove_photo.isEnabled() and page.details.remove_photo_button.isEnabled()
    answers.confirms.append(False)
    page.act_remove_photo.trigger()
    drain(qtbot, window)
    assert answers.questions == ["删除照片"] and _photo_names(db, garden) == ["满溢.png", "混投.png"]
    answers.confirms.append(True)
    page.act_remove_photo.trigger()
    qtbot.waitUntil(lambda: page.details.photo_count() == 1)
    assert _photo_names(db, garden) == ["混投.png"]
    assert page.details.photos_label.text() == "现场照片（1 张）"
    assert not page.act_remove_photo.isEnabled()
    assert "删除照片：满溢.png（东湖花园）" in page.details.browser.toPlainText()

    # Add one later (from the list's right-click menu or the panel).
    pick_files(monkeypatch, [png(tmp_path, "整改后.png", "#2e7d32")])
    page.act_add_photos.trigger()
    qtbot.waitUntil(lambda: page.details.photo_count() == 2)
    assert _photo_names(db, garden) == ["混投.png", "整改后.png"]
    # A file that is not a photo: the clerk is told, nothing is added.
    notes = tmp_path / "说明.docx"
    notes.write_bytes(b"PK\x03\x04 not a photo")
    pick_files(monkeypatch, [png(tmp_path, "又一张.png", "#fbc02d"), notes])
    page.act_add_photos.trigger()
    qtbot.waitUntil(lambda: bool(answers.errors))
    assert answers.errors == [("照片未添加", "“说明.docx”不是图片文件，或图片已损坏，只能上传照片")]
    assert _photo_names(db, garden) == ["混投.png", "整改后.png"]
    # Cancelling the file dialog does nothing.
    pick_files(monkeypatch, [])
    page.act_add_photos.trigger()
    drain(qtbot, window)
    assert len(answers.errors) == 1


def test_a_read_only_user_cannot_add_or_remove_photos(
        qtbot: QtBot, db: Database, answers: Answers, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _sites, garden = _with_photos(db, tmp_path)
    win = window_as(qtbot, db, add_user(db, "chakan", "viewer", name="查看员"))
    try:
        page = open_sorting(qtbot, win)
        _select(qtbot, page, garden)
        qtbot.waitUntil(lambda: page.details.photo_count() == 2)
        page.details.photos.item(0).setSelected(True)
        assert not page.act_add_photos.isEnabled() and not page.act_remove_photo.isEnabled()
        assert not page.details.add_photos_button.isEnabled()
        assert "查看员（只读用户）不能执行此操作" in page.act_add_photos.toolTip()
        # Viewing is allowed.
        page.details.photos.itemActivated.emit(page.details.photos.item(0))
        qtbot.waitUntil(lambda: isinstance(visible_dialog(PhotoViewer), PhotoViewer))
        viewer = visible_dialog(PhotoViewer)
        assert isinstance(viewer, PhotoViewer)
        qtbot.waitUntil(lambda: not viewer.pixmap.isNull())
        viewer.done(0)
        # Going around the disabled buttons: the service refuses, the clerk is told why.
        pick_files(monkeypatch, [png(tmp_path, "绕过.png", "#fbc02d")])
        page.commands.add_photos()
        qtbot.waitUntil(lambda: bool(answers.errors))
        answers.confirms.append(True)
        page.commands.remove_photo()
        qtbot.waitUntil(lambda: len(answers.errors) == 2)
        assert [t for t, _m in answers.errors] == ["照片未添加", "照片未删除"]
        assert "查看员（只读用户）无权添加检查照片" in answers.errors[0][1]
        assert "查看员（只读用户）无权删除检查照片" in answers.errors[1][1]
        assert _photo_names(db, garden) == ["满溢.png", "混投.png"]
    finally:
        close_window(win)
