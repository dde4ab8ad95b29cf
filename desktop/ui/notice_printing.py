"""Printing notices, 送达回证 and 复查意见书: what to print, which day, and the preview.

The questions are module functions so tests can answer them.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from .finding_operations import NoticePdf, PrintChoice
from .print_preview import PrintPreviewDialog

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')  # not allowed (or awkward) in Windows file names
TITLES = {"notice": "责令改正通知书", "delivery": "送达回证", "recheck": "整改复查意见书"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("NoticePrinting", text)


def file_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("._") or "文书"


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("生成预览"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("取消"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _copies_check() -> QCheckBox:
    check = QCheckBox(_tr("通知书和复查意见书一式两份（存档、交当事人）"))
    check.setChecked(True)
    return check


def ask_print_choice(parent: QWidget | None, findings: int) -> PrintChoice | None:
    """Which documents of the selected findings to print; None when the clerk cancels."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(_tr("打印文书"))
    note = QLabel(_tr("所选 {0} 个问题的文书合并为一个 PDF，按问题依次排列：").format(findings))
    note.setWordWrap(True)
    notice = QCheckBox(_tr("责令（限期）改正通知书"))
    notice.setChecked(True)
    delivery = QCheckBox(_tr("送达回证（未送达的打印空白回证，随通知书带去）"))
    recheck = QCheckBox(_tr("整改复查意见书（已复查的）"))
    copies = _copies_check()
    buttons = _buttons(dialog)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    layout = QVBoxLayout(dialog)
    for widget in (note, notice, delivery, recheck, copies, buttons):
        layout.addWidget(widget)

    def update() -> None:
        ok.setEnabled(notice.isChecked() or delivery.isChecked() or recheck.isChecked())

    for check in (notice, delivery, recheck):
        check.toggled.connect(update)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return PrintChoice(notice.isChecked(), delivery.isChecked(), recheck.isChecked(),
                           2 if copies.isChecked() else 1)
    finally:
        dialog.deleteLater()


def ask_day(parent: QWidget | None, default: dt.date) -> tuple[dt.date, int] | None:
    """The day whose notices to print and how many copies of each; None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(_tr("批量打印当天通知书"))
    edit = QDateEdit(QDate(default.year, default.month, default.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(QDate.currentDate())
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("2026-12-31") + 50)
    copies = QCheckBox(_tr("一式两份（存档、交当事人）"))
    copies.setChecked(True)
    note = QLabel(_tr("该日签发的全部有效通知书（已作废的除外）按编号合并为一个 PDF。"))
    note.setWordWrap(True)
    form = QFormLayout(dialog)
    form.addRow(note)
    form.addRow(_tr("签发日期："), edit)
    form.addRow(copies)
    form.addRow(_buttons(dialog))
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        day = edit.date()
        return dt.date(day.year(), day.month(), day.day()), 2 if copies.isChecked() else 1
    finally:
        dialog.deleteLater()


def preview(pdf: NoticePdf, parent: QWidget | None, *, day: dt.date | None = None) -> PrintPreviewDialog:
    kind = TITLES.get(pdf.first_kind, "文书")
    if day is not None:
        title = _tr("{0} 签发的通知书（{1} 份）").format(day.isoformat(), pdf.items)
        name = f"责令改正通知书_{day:%Y%m%d}_{pdf.items}份.pdf"
    elif pdf.items == 1:
        title = f"{kind} {pdf.first_label}"
        name = f"{kind}_{file_name(pdf.first_label)}.pdf"
    else:
        title = _tr("巡查与通知文书（{0} 份）").format(pdf.items)
        name = f"巡查与通知文书_{pdf.items}份_{dt.date.today():%Y%m%d}.pdf"
    dialog = PrintPreviewDialog(pdf.data, title, name, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
