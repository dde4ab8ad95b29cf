"""Questions of 巡查与通知 that prompts.py has no form for; tests replace these functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

UNITS = ("区城市管理综合行政执法大队", "街道综合行政执法队")
NEXT_REFER = "refer"
NEXT_NOTICE = "notice"


def _tr(text: str) -> str:
    return QCoreApplication.translate("NoticePrompts", text)


@dataclass(frozen=True)
class Referral:
    referred_on: dt.date
    unit: str
    notes: str


def ask_referral(parent: QWidget | None, what: str, earliest: dt.date,
                 today: dt.date | None = None) -> Referral | None:
    """移交执法: the date and the receiving unit; None when the clerk cancels."""
    today = today or dt.date.today()
    dialog = QDialog(parent)
    dialog.setWindowTitle(_tr("移交执法"))
    note = QLabel(_tr("将“{0}”移交执法部门立案处理。移交后问题不再跟踪整改。").format(what))
    note.setWordWrap(True)
    date_edit = QDateEdit(QDate(today.year, today.month, today.day))
    date_edit.setCalendarPopup(True)
    date_edit.setDisplayFormat("yyyy-MM-dd")
    date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
    date_edit.setMinimumDate(QDate(earliest.year, earliest.month, earliest.day))
    unit = QComboBox()
    unit.setEditable(True)
    unit.addItems(UNITS)
    unit.lineEdit().setMaxLength(100)
    unit.setMinimumContentsLength(16)
    notes = QLineEdit(maxLength=500)
    notes.setPlaceholderText(_tr("选填，如：移交函编号"))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(_tr("移交"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("取消"))
    form = QFormLayout(dialog)
    form.addRow(note)
    form.addRow(_tr("移交日期："), date_edit)
    form.addRow(_tr("接收单位："), unit)
    form.addRow(_tr("备注："), notes)
    form.addRow(buttons)
    unit.currentTextChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        day = date_edit.date()
        return Referral(dt.date(day.year(), day.month(), day.day()), unit.currentText().strip(),
                        notes.text().strip())
    finally:
        dialog.deleteLater()


def ask_next_step(parent: QWidget | None, what: str) -> str:
    """After a failed recheck: refer, a second notice, or decide later ("")."""
    box = QMessageBox(QMessageBox.Icon.Question, _tr("复查不合格"),
                      _tr("“{0}”复查不合格。下一步：").format(what), parent=parent)
    refer = box.addButton(_tr("移交执法…"), QMessageBox.ButtonRole.AcceptRole)
    again = box.addButton(_tr("再次下达通知书…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("以后再定"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    return NEXT_REFER if clicked is refer else NEXT_NOTICE if clicked is again else ""
