"""The business editor: inline checks while typing, saving, conflicts, Esc with changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import businesses
from desktop.domain.codes import _legacy_check_digit
from desktop.ui.business_dialog import BusinessDialog
from desktop.ui.ledger_page import LedgerPage
from desktop.ui.main_window import MainWindow

from .conftest import Answers, Ledger, credit_code, drain, gone, type_text, visible_dialog
from .test_ledger_page import names, open_ledger


def open_editor(qtbot: QtBot, page: LedgerPage, name: str) -> BusinessDialog:
    row = names(page).index(name)
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: visible_dialog(BusinessDialog) is not None)
    dialog = visible_dialog(BusinessDialog)
    assert isinstance(dialog, BusinessDialog)
    return dialog


def click_save(qtbot: QtBot, dialog: BusinessDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def retype(qtbot: QtBot, edit: object, text: str) -> None:
    edit.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClick(edit, Qt.Key.Key_Delete)  # type: ignore[arg-type]
    qtbot.keyClicks(edit, text)  # type: ignore[arg-type]


def test_invalid_credit_code_is_refused_then_valid_one_saved(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database) -> None:
    page = open_ledger(qtbot, window)
    dialog = open_editor(qtbot, page, "小李便利店")
    assert dialog.name_edit.text() == "小李便利店"
    message = dialog.messages["credit_code"]

    retype(qtbot, dialog.code_edit, "91330106000000001X")
    assert message.isVisible() and message.has_error()
    assert "校验位错误" in message.text()
    click_save(qtbot, dialog)
    drain(qtbot, window)
    assert dialog.isVisible()
    assert dialog.focusWidget() is dialog.code_edit or not dialog.isActiveWindow()
    with db.session() as s:
        assert businesses.get(s, ledger.rows["小李便利店"].id).version == 1

    new_code = credit_code(99)
    retype(qtbot, dialog.code_edit, new_code)
    assert not message.isVisible()
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: gone(dialog))
    with db.session() as s:
        assert businesses.get(s, ledger.rows["小李便利店"].id).credit_code == new_code
    # The page reloads, keeps the business selected and shows the change in its history.
    qtbot.waitUntil(lambda: any(new_code in line for line in page.details.history_lines()))
    assert any(line.startswith("统一社会信用代码：") for line in page.details.history_lines())
    current = page.model.row_at(page.table.currentIndex().row())
    assert current is not None and current.credit_code == new_code


def test_name_and_phone_checked_as_typed(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = open_ledger(qtbot, window)
    dialog = open_editor(qtbot, page, "张记面馆")
    dialog.name_edit.selectAll()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Delete)
    assert dialog.messages["name"].text() == "请填写商户名称"
    type_text(qtbot, dialog.name_edit, "张记")
    assert not dialog.messages["name"].isVisible()
    retype(qtbot, dialog.phone_edit, "1380000")
    assert "手机号应为11位" in dialog.messages["phone"].text()
    qtbot.keyClicks(dialog.phone_edit, "0000")
    assert not dialog.messages["phone"].isVisible()


def test_legacy_code_shows_a_warning_not_an_error(qtbot: QtBot, window: MainWindow,
                                                  ledger: Ledger) -> None:
    page = open_ledger(qtbot, window)
    dialog = open_editor(qtbot, page, "张记面馆")
    first14 = "33010600012345"
    retype(qtbot, dialog.code_edit, first14 + _legacy_check_digit(first14))
    message = dialog.messages["credit_code"]
    assert message.isVisible() and message.kind == "warning" and "15位" in message.text()


def test_service_errors_land_at_the_fields(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = open_ledger(qtbot, window)
    dialog = open_editor(qtbot, page, "张记面馆")
    # A code that is valid on its own but already belongs to another business.
    retype(qtbot, dialog.code_edit, ledger.rows["老王火锅店"].credit_code)
    click_save(qtbot, dialog)
    message = dialog.messages["credit_code"]
    qtbot.waitUntil(message.isVisible)
    assert "老王火锅店" in message.text()
    assert dialog.isVisible()


def test_save_over_newer_version_shows_conflict(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                               answers: Answers, db: Database) -> None:
    page = open_ledger(qtbot, window)
    dialog = open_editor(qtbot, page, "重庆火锅店")
    target = ledger.rows["重庆火锅店"]
    with db.transaction() as s:  # another clerk saves behind the dialog's back
        data = target.as_input()
        data.operator = "陈大强"
        businesses.update(s, target.id, target.version, data, user="另一位")
    retype(qtbot, dialog.phone_edit, "13911112222")
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(answers.errors))
    title, text = answers.errors[0]
    assert "已被另一位" in text and "未保存" in text
    # Nothing is lost: the dialog stays open with what the clerk typed.
    assert dialog.isVisible() and dialog.phone_edit.text() == "13911112222"
    assert dialog.save_button.isEnabled()
    with db.session() as s:
        assert businesses.get(s, target.id).phone == "13800000003"


def test_escape_with_changes_asks_first(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                        answers: Answers) -> None:
    page = open_ledger(qtbot, window)
    dialog = open_editor(qtbot, page, "张记面馆")
    type_text(qtbot, dialog.address_edit, "（东门）")
    answers.confirms.append(False)
    qtbot.keyClick(dialog.address_edit, Qt.Key.Key_Escape)
    assert answers.questions == ["放弃修改？"] and dialog.isVisible()
    answers.confirms.append(True)
    qtbot.keyClick(dialog.address_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(dialog))


def test_escape_without_changes_just_closes(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                            answers: Answers) -> None:
    page = open_ledger(qtbot, window)
    dialog = open_editor(qtbot, page, "张记面馆")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(dialog))
    assert answers.questions == []


def test_new_business_via_ctrl_n(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                 db: Database) -> None:
    page = open_ledger(qtbot, window)
    bar = page.filter_bar
    qtbot.waitUntil(lambda: bar.community_combo.count() == 3)
    bar.community_combo.setCurrentIndex(bar.community_combo.findText("东湖社区"))
    qtbot.waitUntil(lambda: page.model.total == 3)
    window.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: visible_dialog(BusinessDialog) is not None)
    dialog = visible_dialog(BusinessDialog)
    assert isinstance(dialog, BusinessDialog)
    # Starts in the community the ledger is showing; grids follow the community.
    assert dialog.community_combo.currentText() == "东湖社区"
    grids = [dialog.grid_combo.itemText(i) for i in range(dialog.grid_combo.count())]
    assert grids == ["（未指定）", "东湖一网格", "东湖二网格"]
    dialog.community_combo.setCurrentIndex(dialog.community_combo.findText("西岭社区"))
    grids = [dialog.grid_combo.itemText(i) for i in range(dialog.grid_combo.count())]
    assert grids == ["（未指定）", "西岭一网格"]
    click_save(qtbot, dialog)  # no name yet
    assert dialog.messages["name"].text() == "请填写商户名称" and dialog.isVisible()
    type_text(qtbot, dialog.name_edit, "新开水果店")
    dialog.grid_combo.setCurrentIndex(1)
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: gone(dialog))
    with db.session() as s:
        total, rows = businesses.search(s, "新开水果店")
    assert total == 1 and rows[0].community == "西岭社区" and rows[0].grid == "西岭一网格"
    # Not in the 东湖 list the page shows, but the details panel shows what was just saved.
    qtbot.waitUntil(lambda: page.details.title.text() == "新开水果店")
    assert page.model.total == 3


def test_dialog_comes_back_with_its_size(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = open_ledger(qtbot, window)
    dialog = open_editor(qtbot, page, "张记面馆")
    dialog.resize(700, dialog.height() + 40)
    wanted = dialog.size()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(dialog))
    again = open_editor(qtbot, page, "张记面馆")
    assert again is not dialog and again.size() == wanted
