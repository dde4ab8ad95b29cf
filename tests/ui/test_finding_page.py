"""巡查与通知: a finding with a photo, its notice (two officers), print, delivery, recheck, void."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import findings, legal, notices
from desktop.domain.findings import FindingInput, FindingRow
from desktop.ui import notice_printing
from desktop.ui.finding_dialog import FindingDialog
from desktop.ui.finding_operations import PrintChoice
from desktop.ui.finding_page import FindingPage
from desktop.ui.main_window import MainWindow
from desktop.ui.notice_delivery_dialog import DeliveryDialog
from desktop.ui.notice_dialog import NoticeDialog
from desktop.ui.notice_recheck_dialog import RecheckDialog
from desktop.ui.photo_viewer import PhotoViewer
from desktop.ui.print_preview import PrintPreviewDialog

from .conftest import Answers, Ledger, drain, gone, type_text, visible_dialog

OFFICERS = {"officer1": "张三", "officer1_cert": "32010001",
            "officer2": "李四", "officer2_cert": "32010002"}


@pytest.fixture
def basis(db: Database, ledger: Ledger) -> None:
    with db.transaction() as s:
        legal.seed_legal_basis(s, confirmed=True)


def record(db: Database, ledger: Ledger, shop: str = "老王火锅店", *,
           at: dt.datetime | None = None, notify: bool = False) -> FindingRow:
    at = at or dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
    with db.transaction() as s:
        row = findings.record_finding(s, FindingInput(
            category="店外经营", found_at=at, business_id=ledger.rows[shop].id,
            description="在店门外人行道摆放桌椅4张经营", inspectors="张三、李四"),
            user="setup", now=at)
        if notify:
            data = notices.draft_notice(s, [row.id], now=at)
            data.__dict__.update(OFFICERS)
            notices.issue_notice(s, data, user="setup", now=at + dt.timedelta(minutes=30))
        return findings.get(s, row.id)


def open_findings(qtbot: QtBot, window: MainWindow, arg: object = None) -> FindingPage:
    page = window.show_page("findings", arg)
    assert isinstance(page, FindingPage)
    drain(qtbot, window)
    qtbot.waitUntil(lambda: not page.model.loading)
    return page


def select_first(qtbot: QtBot, page: FindingPage) -> FindingRow:
    page.table.selectRow(0)
    row = page.model.row_at(0)
    assert row is not None
    qtbot.waitUntil(lambda: page.details.finding_id == row.id)
    return row


def status_of(page: FindingPage) -> str:
    row = page.model.row_at(0)
    return row.status if row else ""


def dialog_of(qtbot: QtBot, kind: type) -> object:
    qtbot.waitUntil(lambda: visible_dialog(kind) is not None)
    return visible_dialog(kind)


def tiny_png(folder: Path) -> Path:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    path = folder / "现场照片.png"
    assert image.save(str(path))
    return path


def test_record_notify_print_deliver_recheck_close(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database, basis: None,
        answers: Answers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = open_findings(qtbot, window)
    assert page.model.total == 0 and not page.act_notice.isEnabled()

    # 1. Quick entry with a business from the picker and a photo.
    page.act_new.trigger()
    entry = dialog_of(qtbot, FindingDialog)
    assert isinstance(entry, FindingDialog)
    entry.category_combo.setCurrentText("店外经营")
    entry.picker.edit.setFocus()
    qtbot.keyClicks(entry.picker.edit, "lwh")
    qtbot.waitUntil(lambda: len(entry.picker.matches()) == 1)
    entry.picker.choose(0)
    assert not entry.community_combo.isEnabled()  # the business's own community
    type_text(qtbot, entry.description_edit, "在店门外人行道摆放桌椅4张经营")
    entry.inspectors_edit.setText("张三、李四")
    entry.photos.add_paths([tiny_png(tmp_path), tmp_path / "现场照片.png"])
    assert entry.photos.paths() == [tmp_path / "现场照片.png"]  # the same file once
    qtbot.mouseClick(entry.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(entry) and page.model.total == 1)
    row = select_first(qtbot, page)
    assert row.party == "老王火锅店" and row.place == "解放路1号" and row.status == "发现"
    qtbot.waitUntil(lambda: page.details.photo_count() == 1)
    page.details.photos.itemActivated.emit(page.details.photos.item(0))
    viewer = dialog_of(qtbot, PhotoViewer)
    assert isinstance(viewer, PhotoViewer)
    qtbot.waitUntil(lambda: not viewer.pixmap.isNull())
    assert viewer.pixmap.width() == 40
    viewer.done(0)

    # 2. The notice, refused inline with one officer, then issued with two.
    assert page.act_notice.isEnabled()
    page.act_notice.trigger()
    notice_dialog = dialog_of(qtbot, NoticeDialog)
    assert isinstance(notice_dialog, NoticeDialog)
    assert "老王火锅店" == notice_dialog.party_edit.text()
    assert "店外经营" in notice_dialog.facts_edit.toPlainText()
    assert notice_dialog.chooser.checked_ids(), "the suggested basis comes ticked"
    officers = notice_dialog.officers
    officers.set_values("张三", "32010001", "", "")
    qtbot.mouseClick(notice_dialog.issue_button, Qt.MouseButton.LeftButton)
    assert officers.message.isVisibleTo(notice_dialog) and "两名执法人员" in officers.message.text()
    assert answers.questions == []  # refused before the confirmation
    officers.set_values("张三", "32010001", "李四", "32010002")
    answers.confirms.append(True)
    qtbot.mouseClick(notice_dialog.issue_button, Qt.MouseButton.LeftButton)
    assert answers.questions == ["签发通知书"]
    qtbot.waitUntil(lambda: notice_dialog.number_label.isVisibleTo(notice_dialog))
    assert notice_dialog.notice is not None
    number = notice_dialog.notice.number
    assert number.endswith("第0001号") and number in notice_dialog.number_label.text()
    qtbot.waitUntil(lambda: status_of(page) == "已告知")
    assert page.model.row_at(0).notice == number  # type: ignore[union-attr]

    # 3. Printed from the dialog: two copies (存档 and 交当事人) in the preview.
    assert notice_dialog.two_copies.isChecked()
    qtbot.mouseClick(notice_dialog.print_button, Qt.MouseButton.LeftButton)
    preview = dialog_of(qtbot, PrintPreviewDialog)
    assert isinstance(preview, PrintPreviewDialog)
    assert preview.page_count() >= 2 and number in preview.windowTitle()
    assert gone(notice_dialog)
    preview.done(0)

    # 4. Delivery: direct, to the operator.
    qtbot.waitUntil(lambda: page.act_deliver.isEnabled())
    page.act_deliver.trigger()
    delivery = dialog_of(qtbot, DeliveryDialog)
    assert isinstance(delivery, DeliveryDialog)
    assert delivery.deliverer_edit.text() == "张三、李四"
    delivery.recipient_edit.setText("王建国")
    qtbot.mouseClick(delivery.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status_of(page) == "整改中")
    qtbot.waitUntil(lambda: "直接送达" in page.details.document_lines())

    # 5. All three documents of the selection into one PDF.
    monkeypatch.setattr(notice_printing, "ask_print_choice",
                        lambda parent, n: PrintChoice(True, True, False, 1))
    page.table.selectRow(0)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = dialog_of(qtbot, PrintPreviewDialog)
    assert isinstance(preview, PrintPreviewDialog) and preview.page_count() >= 2
    preview.done(0)

    # 6. Recheck passed → 销号 at once.
    page.act_recheck.trigger()
    recheck = dialog_of(qtbot, RecheckDialog)
    assert isinstance(recheck, RecheckDialog)
    assert recheck.passed_radio.isChecked() and recheck.close_check.isChecked()
    assert recheck.officers.values() == OFFICERS  # the notice's officers
    qtbot.mouseClick(recheck.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status_of(page) == "销号")
    qtbot.waitUntil(lambda: any("合格" in line for line in page.details.document_lines()))
    assert not page.act_recheck.isEnabled() and not page.act_deliver.isEnabled()
    assert answers.errors == []


def test_void_with_reason_puts_the_finding_back(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database, basis: None,
        answers: Answers) -> None:
    row = record(db, ledger, notify=True)
    page = open_findings(qtbot, window)
    select_first(qtbot, page)
    assert row.status == "已告知" and page.act_void.isEnabled()
    answers.texts.append("当事人名称写错")
    answers.confirms.append(True)
    page.act_void.trigger()
    qtbot.waitUntil(lambda: status_of(page) == "发现")
    assert answers.questions == ["作废通知书", "作废通知书"]
    qtbot.waitUntil(lambda: f"{row.notice} 已作废" in page.details.document_lines())
    assert "当事人名称写错" in page.details.document_lines()
    assert page.model.row_at(0).notice == ""  # type: ignore[union-attr]
    assert not page.act_void.isEnabled() and page.act_notice.isEnabled()


def test_failed_recheck_offers_referral(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database, basis: None,
        answers: Answers, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui import notice_prompts

    record(db, ledger, notify=True)
    page = open_findings(qtbot, window)
    select_first(qtbot, page)
    monkeypatch.setattr(notice_prompts, "ask_next_step", lambda parent, what: "refer")
    monkeypatch.setattr(notice_prompts, "ask_referral", lambda parent, what, earliest: (
        notice_prompts.Referral(dt.date.today(), "区城市管理综合行政执法大队", "")))
    page.act_recheck.trigger()
    recheck = dialog_of(qtbot, RecheckDialog)
    assert isinstance(recheck, RecheckDialog)
    recheck.failed_radio.setChecked(True)
    assert not recheck.close_check.isEnabled()
    qtbot.mouseClick(recheck.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status_of(page) == "移交执法")
    assert answers.errors == []


def test_home_counts_open_overdue_and_repeat_offenders(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database, basis: None) -> None:
    long_ago = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=10)
    record(db, ledger, at=long_ago, notify=True)  # deadline 3 days later: overdue
    record(db, ledger)
    record(db, ledger, "张记面馆")
    home = window.show_page("home")
    home.refresh()  # it first counted while the findings above were being written
    drain(qtbot, window)
    buttons = home.finding_due.buttons  # type: ignore[attr-defined]
    assert buttons["overdue"].text() == "逾期未复查 1"
    assert buttons["repeat"].text() == "重复违规 1"
    qtbot.mouseClick(buttons["overdue"], Qt.MouseButton.LeftButton)
    page = window.current_page()
    assert isinstance(page, FindingPage)
    qtbot.waitUntil(lambda: page.model.query.state == "overdue" and not page.model.loading
                    and page.model.total == 1)
    assert page.filter_bar.state_combo.currentText() == "逾期未复查"
    assert page.model.data(page.model.index(0, 6)) == "已告知（逾期）"
    window.show_page("home")
    qtbot.mouseClick(buttons["repeat"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.repeat_table.names() == ["老王火锅店"])
    assert page.tables.currentWidget() is page.repeat_table
    page.repeat_table.itemActivated.emit(page.repeat_table.item(0, 0))
    qtbot.waitUntil(lambda: page.tables.currentWidget() is page.table and not page.model.loading
                    and page.model.total == 2)
    assert page.filter_bar.business_button.text().startswith("仅看：老王火锅店")


def test_print_the_days_notices_as_one_pdf(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database, basis: None,
        answers: Answers, monkeypatch: pytest.MonkeyPatch) -> None:
    at = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
    for shop in ("老王火锅店", "张记面馆"):
        record(db, ledger, shop, at=at, notify=True)
    day = (at + dt.timedelta(minutes=30)).date()  # when record() issued them
    page = open_findings(qtbot, window)
    monkeypatch.setattr(notice_printing, "ask_day", lambda parent, default: (day, 1))
    page.act_print_day.trigger()
    preview = dialog_of(qtbot, PrintPreviewDialog)
    assert isinstance(preview, PrintPreviewDialog)
    assert preview.page_count() >= 2 and "2 份" in preview.windowTitle()
    preview.done(0)
    monkeypatch.setattr(notice_printing, "ask_day",
                        lambda parent, default: (day - dt.timedelta(days=400), 1))
    page.act_print_day.trigger()
    drain(qtbot, window)
    qtbot.waitUntil(lambda: bool(answers.errors))
    assert "没有签发" in answers.errors[0][1]


def test_drill_down_arguments_filter_the_list(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                              db: Database) -> None:
    """What the home page's figures open: community, found between two days, a state."""
    midnight = dt.datetime.combine(dt.date.today(), dt.time())
    days = {"老王火锅店": 3, "张记面馆": 12, "重庆火锅店": 1}
    for shop, ago in days.items():
        record(db, ledger, shop, at=midnight - dt.timedelta(days=ago, hours=-9))
    east, west = ledger.communities["东湖社区"], ledger.communities["西岭社区"]
    today = dt.date.today()

    def shows(arg: dict[str, object], total: int) -> FindingPage:
        page = open_findings(qtbot, window, arg)
        qtbot.waitUntil(lambda: not page.model.loading and page.model.total == total)
        return page

    page = shows({"community_id": east}, 2)
    qtbot.waitUntil(lambda: page.filter_bar.community_combo.currentData() == east)
    page.filter_bar.search_edit.setText("火锅")
    qtbot.waitUntil(lambda: page.model.total == 1)
    shows({"community_id": east, "found_from": today - dt.timedelta(days=5)}, 1)
    assert page.filter_bar.search_edit.text() == ""  # not named: cleared
    page = shows({"found_to": today - dt.timedelta(days=5)}, 1)  # the community is reset
    assert page.model.row_at(0).party == "张记面馆"
    assert page.filter_bar.community_combo.currentData() is None
    shows({"found_from": today - dt.timedelta(days=3), "found_to": today - dt.timedelta(days=1)}, 2)
    shows({"state": "发现", "community_id": west}, 1)
    shows({"state": "overdue", "community_id": east}, 0)
    page = shows({}, 3)
    assert page.filter_bar.state() == "" and page.filter_bar.query().found_to is None
