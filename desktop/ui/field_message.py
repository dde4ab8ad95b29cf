"""Inline messages under a form field: red for errors, yellow for warnings, hidden when fine."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.domain.errors import DomainError, ValidationError

from . import prompts

_ERROR_STYLE = "color: #c62828;"
_WARNING_STYLE = "color: #6d4c00; background: #fff4c4; border-radius: 3px; padding: 1px 4px;"


class FieldMessage(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def set_error(self, text: str) -> None:
        self._show("error", text, _ERROR_STYLE)

    def set_warning(self, text: str) -> None:
        self._show("warning", text, _WARNING_STYLE)

    def clear_message(self) -> None:
        self.kind = ""
        self.clear()
        self.hide()

    def has_error(self) -> bool:
        return self.kind == "error"

    def _show(self, kind: str, text: str, style: str) -> None:
        self.kind = kind
        self.setStyleSheet(style)
        self.setText(text)
        self.show()


def field_label(text: str, *, required: bool = False) -> QLabel:
    """A form label; required fields carry a red asterisk."""
    label = QLabel()
    if required:
        label.setText(f'{text}<span style="color:#c62828">*</span>')
        label.setToolTip(QCoreApplication.translate("FieldMessage", "必填"))
    else:
        label.setText(text)
    return label


def add_field(form: QFormLayout, text: str, editor: QWidget, *,
              required: bool = False) -> FieldMessage:
    """Add `editor` with its message line below it; returns the message line."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(editor)
    message = FieldMessage(box)
    column.addWidget(message)
    label = field_label(text, required=required)
    label.setBuddy(editor)
    form.addRow(label, box)
    return message


def show_refusal(parent: QWidget, title: str, error: DomainError,
                 messages: Mapping[str, FieldMessage],
                 aliases: Mapping[str, str] | None = None) -> None:
    """A refused save: each field's message under its field (`aliases` names the form's
    field where it differs from the service's key), the rest in one message box."""
    if isinstance(error, ValidationError):
        unplaced = []
        for key, text in error.fields.items():
            message = messages.get((aliases or {}).get(key, key))
            if message is not None:
                message.set_error(text)
            else:
                unplaced.append(text)
        if not unplaced:
            return
        error = DomainError("；".join(unplaced))
    prompts.show_error(parent, title, error.message)
