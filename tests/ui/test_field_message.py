"""A refused save puts each message under its field and the rest in one message box."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop.domain.errors import DomainError, ValidationError
from desktop.ui.field_message import add_field, show_refusal

from .conftest import Answers


def form(qtbot: QtBot) -> tuple[QWidget, dict]:
    widget = QWidget()
    qtbot.addWidget(widget)
    layout = QFormLayout(widget)
    messages = {"name": add_field(layout, "名称", QLineEdit(), required=True),
                "area": add_field(layout, "责任区域", QLineEdit())}
    return widget, messages


def test_field_messages_go_under_their_fields(qtbot: QtBot, answers: Answers) -> None:
    widget, messages = form(qtbot)
    show_refusal(widget, "未保存", ValidationError({"name": "请填写名称", "area_east": "请填写东至"}),
                 messages, {"area_east": "area"})
    assert messages["name"].has_error() and messages["name"].text() == "请填写名称"
    assert messages["area"].text() == "请填写东至"  # the service's key, shown on the form's row
    assert answers.errors == []  # everything found its field: no message box


def test_what_has_no_field_is_said_once(qtbot: QtBot, answers: Answers) -> None:
    widget, messages = form(qtbot)
    show_refusal(widget, "未保存", ValidationError({"name": "名称过长", "x": "甲", "y": "乙"}),
                 messages)
    assert messages["name"].has_error()
    assert answers.errors == [("未保存", "甲；乙")]
    show_refusal(widget, "未签发", DomainError("该记录已被他人修改，请刷新后重试"), messages)
    assert answers.errors[-1] == ("未签发", "该记录已被他人修改，请刷新后重试")
