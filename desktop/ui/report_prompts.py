"""File questions and the closing message of 上报报表; tests replace these functions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportPrompts", text)


def ask_template(parent: QWidget | None, current: str) -> Path | None:
    """The district's template the clerk picks; None when cancelled."""
    start = current or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    name, _ = QFileDialog.getOpenFileName(parent, _tr("选择区里下发的报表模板"), start,
                                          _tr("Excel 工作簿 (*.xlsx);;所有文件 (*)"))
    return Path(name) if name else None


def open_folder(folder: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def show_written(parent: QWidget | None, title: str, message: str, out: Path) -> None:
    """Where the workbook went, with 打开文件夹 so the clerk can attach it to the e-mail."""
    box = QMessageBox(QMessageBox.Icon.Information, title, message, parent=parent)
    folder = box.addButton(_tr("打开文件夹"), QMessageBox.ButtonRole.ActionRole)
    ok = box.addButton(_tr("确定"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(ok)
    box.exec()
    if box.clickedButton() is folder:
        open_folder(out.parent)
