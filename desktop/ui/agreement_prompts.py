"""Questions of the 门前三包 page that prompts.py has no form for; tests replace them too."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("AgreementPrompts", text)


def ask_date(parent: QWidget | None, title: str, label: str, default: dt.date, *,
             latest: dt.date | None = None, note: str = "") -> dt.date | None:
    """A date from a calendar field; None when the clerk cancels."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    edit = QDateEdit(QDate(default.year, default.month, default.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("2026-12-31") + 50)
    if latest is not None:
        edit.setMaximumDate(QDate(latest.year, latest.month, latest.day))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("确定"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("取消"))
    form = QFormLayout(dialog)
    if note:
        text = QLabel(note)
        text.setWordWrap(True)
        form.addRow(text)
    form.addRow(label, edit)
    form.addRow(buttons)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        value = edit.date()
        return dt.date(value.year(), value.month(), value.day())
    finally:
        dialog.deleteLater()
