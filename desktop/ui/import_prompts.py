"""File questions of the import wizard; tests replace these functions to answer them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportPrompts", text)


def _documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def ask_ledger_file(parent: QWidget | None) -> str | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, _tr("选择要导入的台账"), _documents(),
        _tr("表格文件 (*.xlsx *.xls *.ods *.csv *.et);;所有文件 (*)"))
    return name or None


def ask_errors_file(parent: QWidget | None, suggested: str) -> str | None:
    name, _ = QFileDialog.getSaveFileName(parent, _tr("保存错误清单"),
                                          f"{_documents()}/{suggested}",
                                          _tr("Excel 工作簿 (*.xlsx)"))
    if not name:
        return None
    return name if name.lower().endswith(".xlsx") else name + ".xlsx"
