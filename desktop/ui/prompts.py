"""Questions and messages for the clerk; tests replace these functions to answer them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("Prompts", text)


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


def confirm(parent: QWidget | None, title: str, message: str, *, ok_text: str = "") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, message, parent=parent)
    yes = box.addButton(ok_text or _tr("确定"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("取消"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """The typed text, stripped; None when the clerk cancels or leaves it empty."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    value = value.strip()
    return value if ok and value else None
