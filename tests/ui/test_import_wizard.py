"""The import wizard driven like a clerk: file, columns, new communities, dry run, import, undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.engine import Database
from db.models import Business, Community
from desktop.io.excel_import import import_file
from desktop.io.import_rows import SKIP
from desktop.ui import import_prompts
from desktop.ui.import_batches_dialog import ImportBatchesDialog
from desktop.ui.import_mapping_page import ERROR_BRUSH
from desktop.ui.import_wizard import (
    PAGE_DIVISIONS,
    PAGE_MAPPING,
    PAGE_RESULT,
    PAGE_SUMMARY,
    ImportWizard,
)
from desktop.ui.ledger_page import LedgerPage
from desktop.ui.main_window import MainWindow
from tests.factories import make_ledger
from tests.unit.io.import_files import bad_check, cc, messy_workbook

from .conftest import Answers, drain, visible_dialog


@pytest.fixture(autouse=True)
def _close_leftovers(qtbot: QtBot) -> Iterator[None]:
    yield
    # A wizard left open would still be visible to the next test's visible_dialog().
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ImportWizard | ImportBatchesDialog) and widget.isVisible():
            widget.setParent(None)
            widget.close()


def _businesses(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Business)) or 0)


def _open_wizard(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
                 path: Path) -> tuple[LedgerPage, ImportWizard]:
    page = window.show_page("ledger")
    assert isinstance(page, LedgerPage)
    monkeypatch.setattr(import_prompts, "ask_ledger_file", lambda parent: str(path))
    page.act_import.trigger()
    wizard = visible_dialog(ImportWizard)
    assert isinstance(wizard, ImportWizard)
    qtbot.waitExposed(wizard)
    qtbot.mouseClick(wizard.file_page.browse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(wizard.file_page.isComplete)
    return page, wizard


def _next(qtbot: QtBot, wizard: ImportWizard, page_id: int) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click() if wizard.currentId() != PAGE_SUMMARY \
        else wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(lambda: wizard.currentId() == page_id, timeout=20_000)


def _preview_row(wizard: ImportWizard, name: str) -> int:
    table = wizard.mapping_page.preview
    column = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())].index("商户名称")
    return next(r for r in range(table.rowCount()) if table.item(r, column).text() == name)


def test_wizard_imports_a_messy_ledger(qtbot: QtBot, window: MainWindow, db: Database,
                                       answers: Answers, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    make_ledger(db)
    path = messy_workbook(tmp_path / "沿街商户台账.xlsx")
    page, wizard = _open_wizard(qtbot, window, monkeypatch, path)
    assert "表头在第 4 行" in wizard.file_page.status.text()
    assert wizard.file_page.sheet_combo.currentText() == "沿街商户"

    _next(qtbot, wizard, PAGE_MAPPING)
    mapping = wizard.mapping_page
    assert mapping.columns.rowCount() == 13  # the hidden column is not offered
    table = mapping.preview
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[:5] == ["问题", "商户名称", "统一社会信用代码", "经营者", "联系电话"]
    # The first rows as they will be stored: codes folded, communities filled down.
    second = _preview_row(wizard, "阿明小吃二店")
    assert table.item(second, headers.index("统一社会信用代码")).text() == cc(102)
    assert table.item(second, headers.index("社区")).text() == "东湖社区"
    assert table.verticalHeaderItem(second).text() == "6"
    bad = _preview_row(wizard, "坏码商店")
    code_item = table.item(bad, headers.index("统一社会信用代码"))
    assert code_item.background() == ERROR_BRUSH and "校验位" in code_item.toolTip()
    assert code_item.text() == bad_check(106)  # shown as typed
    assert "校验位" in table.item(bad, 0).text()
    new = _preview_row(wizard, "南山茶馆")
    assert table.item(new, headers.index("社区")).text() == "南山社区（新建）"
    # Taking 备注 out of the mapping takes it out of the preview.
    mapping.set_field(13, "")
    assert "备注" not in [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]

    _next(qtbot, wizard, PAGE_DIVISIONS)
    divisions = wizard.divisions_page
    assert divisions.communities.item(0, 0).text() == "南山社区"
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # creating needs the clerk's confirmation
    divisions.confirm.setChecked(True)
    assert next_button.isEnabled()

    _next(qtbot, wizard, PAGE_SUMMARY)
    summary = wizard.summary_page
    qtbot.waitUntil(summary.isComplete)
    assert "将新增商户 6 家" in summary.summary.text()
    assert "将新建社区：南山社区" in summary.summary.text()
    assert summary.problems.rowCount() == 8
    assert _businesses(db) == 5  # a dry run writes nothing

    _next(qtbot, wizard, PAGE_RESULT)
    result = wizard.import_result
    assert result is not None and result.imported == 6 and result.batch is not None
    assert "新增商户 6 家" in wizard.result_page.summary.text()
    assert _businesses(db) == 11
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total == 11)

    out = tmp_path / "错误清单.xlsx"
    monkeypatch.setattr(import_prompts, "ask_errors_file", lambda parent, name: str(out))
    wizard.result_page.save_button.click()
    assert load_workbook(out).active.max_row == 6
    assert answers.errors[-1][0] == "错误清单"
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible())


def test_declined_community_is_not_created(qtbot: QtBot, window: MainWindow, db: Database,
                                           answers: Answers, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    make_ledger(db)
    _page, wizard = _open_wizard(qtbot, window, monkeypatch,
                                 messy_workbook(tmp_path / "台账.xlsx"))
    _next(qtbot, wizard, PAGE_MAPPING)
    _next(qtbot, wizard, PAGE_DIVISIONS)
    wizard.divisions_page.set_choice("南山社区", SKIP)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # nothing to create
    _next(qtbot, wizard, PAGE_SUMMARY)
    qtbot.waitUntil(wizard.summary_page.isComplete)
    assert "将新增商户 5 家" in wizard.summary_page.summary.text()
    _next(qtbot, wizard, PAGE_RESULT)
    with db.session() as s:
        assert s.scalars(select(Community).where(Community.name == "南山社区")).first() is None


def test_cancelled_import_leaves_nothing(qtbot: QtBot, window: MainWindow, db: Database,
                                        answers: Answers, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    make_ledger(db)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["店铺名称", "社区", "地址", "联系电话"])
    for n in range(20_000):
        sheet.append([f"商户{n}", "东湖社区", f"东湖路{n}号", f"139{n:08d}"])
    path = tmp_path / "大台账.xlsx"
    book.save(path)
    _page, wizard = _open_wizard(qtbot, window, monkeypatch, path)
    _next(qtbot, wizard, PAGE_MAPPING)
    _next(qtbot, wizard, PAGE_SUMMARY)
    qtbot.waitUntil(wizard.summary_page.isComplete, timeout=20_000)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    assert wizard.progress is not None
    cancel = wizard.progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "取消"
    cancel.click()
    qtbot.waitUntil(lambda: not wizard.busy(), timeout=20_000)
    assert answers.errors == [("已取消", "已取消导入，没有导入任何记录")]
    assert wizard.currentId() == PAGE_SUMMARY
    assert _businesses(db) == 5


def test_undo_a_batch_from_the_first_page(qtbot: QtBot, window: MainWindow, db: Database,
                                          answers: Answers, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    make_ledger(db)
    path = messy_workbook(tmp_path / "台账.xlsx")
    batch = import_file(db, path).batch
    assert _businesses(db) == 11
    _page, wizard = _open_wizard(qtbot, window, monkeypatch, path)
    wizard.file_page.undo_button.click()
    dialog = visible_dialog(ImportBatchesDialog)
    assert isinstance(dialog, ImportBatchesDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert dialog.table.item(0, 0).text() == str(batch)
    dialog.table.selectRow(0)
    answers.confirms.append(True)
    dialog.undo_button.click()
    qtbot.waitUntil(lambda: bool(dialog.batches) and dialog.batches[0].undone_at is not None)
    assert "已撤销第" in answers.errors[-1][1]
    assert _businesses(db) == 5
    assert not dialog.undo_button.isEnabled()
    drain(qtbot, window)
    dialog.close()
