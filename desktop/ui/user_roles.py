"""Role-aware pages: what the logged-in role may not change is disabled, with the reason.

The services refuse such changes anyway (PermissionDeniedError); this only spares the clerk
a form that cannot be saved. Pages keep switching their actions on and off as the selection
changes; putting the refused actions in a disabled QActionGroup keeps them off whatever the
page does, because an action in a disabled group cannot be enabled on its own.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop.domain.permissions import ADMIN, ROLES, WRITERS, Actor

# Page key → (table written, names of the page's actions that write it); a name may also
# be a dict of actions (the permit page's workflow steps).
_EDITING = ("act_new", "act_edit")
PAGE_WRITES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "ledger": [("business", (*_EDITING, "act_deactivate", "act_reactivate", "act_import"))],
    "agreements": [("frontage_agreement",
                    (*_EDITING, "act_sign", "act_renew", "act_terminate"))],
    "findings": [("finding", (*_EDITING, "act_notice", "act_deliver", "act_recheck", "act_refer",
                              "act_close", "act_void"))],
    "permits": [("sign_permit", (*_EDITING, "step_actions"))],
    "sorting": [("sorting_check", (*_EDITING, "act_recheck", "act_finding")),
                ("sorting_site", ("act_new_site", "act_edit_site", "act_toggle_site"))],
    "settings": [("community", _EDITING)],
}
READ_ONLY_STYLE = "color: #6d4c00; background: #fff4c4; border-radius: 3px; padding: 4px 8px;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("UserRoles", text)


def may_write(actor: Actor | None, table: str) -> bool:
    """No actor means no login (tests, maintenance): the services allow everything then."""
    if actor is None:
        return True
    writers = WRITERS.get(table)
    return writers is None or actor.role in writers


def is_admin(actor: Actor | None) -> bool:
    return actor is None or actor.role in ADMIN


def refusal(actor: Actor, table: str) -> str:
    """The tooltip of a disabled action: who is refused and which roles may do it."""
    allowed = WRITERS.get(table, frozenset())
    names = "、".join(label for role, label in ROLES.items() if role in allowed)
    return _tr("{0}（{1}）不能执行此操作，需要{2}权限").format(
        actor.display_name, actor.role_label, names)


def disable_actions(owner: QObject, actions: list[QAction], tooltip: str) -> QActionGroup:
    group = QActionGroup(owner)
    group.setExclusionPolicy(QActionGroup.ExclusionPolicy.None_)
    for action in actions:
        group.addAction(action)
        action.setToolTip(tooltip)
        action.setStatusTip(tooltip)
    group.setEnabled(False)
    return group


def _actions(page: QWidget, names: tuple[str, ...]) -> list[QAction]:
    found: list[QAction] = []
    for name in names:
        value = getattr(page, name, None)
        values = value.values() if isinstance(value, dict) else [value]
        found.extend(a for a in values if isinstance(a, QAction))
    return found


def restrict_page(page: QWidget, key: str, actor: Actor | None) -> None:
    """Disable the page's editing actions when the role may not write what they change."""
    if actor is None:
        return
    # A page this module does not know yet: only the read-only role is certainly refused.
    writes = PAGE_WRITES.get(key, [("", _EDITING)])
    for table, names in writes:
        allowed = may_write(actor, table) if table else actor.role != "viewer"
        if not allowed:
            disable_actions(page, _actions(page, names), refusal(actor, table or "business"))
    if key == "settings":
        _restrict_settings(page, actor)


def read_only_note(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("readOnlyNote")
    label.setWordWrap(True)
    label.setStyleSheet(READ_ONLY_STYLE)
    return label


def add_note(widget: QWidget, text: str) -> None:
    layout = widget.layout()
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(0, read_only_note(text))


def _hide(widget: QWidget, names: tuple[str, ...]) -> None:
    # Hidden rather than disabled: the panels switch their buttons on as the selection moves.
    for name in names:
        button = getattr(widget, name, None)
        if isinstance(button, QWidget):
            button.setVisible(False)


def _restrict_settings(page: QWidget, actor: Actor) -> None:
    office = getattr(page, "office_form", None)
    if isinstance(office, QWidget) and not may_write(actor, "office_profile"):
        for child in office.findChildren(QWidget):
            if isinstance(child, QLineEdit):
                child.setReadOnly(True)
            elif isinstance(child, QComboBox | QSpinBox):
                child.setEnabled(False)
        _hide(office, ("save_button",))
        add_note(office, _tr("只有系统管理员可以修改办事处信息，您只能查看。"))
    numbering = getattr(page, "numbering", None)
    if isinstance(numbering, QWidget) and not may_write(actor, "numbering_pattern"):
        table = getattr(numbering, "table", None)
        if isinstance(table, QAbstractItemView):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        _hide(numbering, ("save_button", "default_button"))
        add_note(numbering, _tr("只有系统管理员可以修改文书编号格式，您只能查看。"))
    legal = getattr(page, "legal_basis", None)
    if isinstance(legal, QWidget) and not may_write(actor, "legal_basis"):
        _hide(legal, ("new_button", "edit_button", "confirm_button", "unconfirm_button"))
        add_note(legal, _tr("只有系统管理员可以维护法律依据库，您只能查看。"))
    divisions = getattr(page, "divisions", None)
    if isinstance(divisions, QWidget) and not may_write(actor, "community"):
        _hide(divisions, ("add_community_button", "add_grid_button", "rename_button",
                          "active_button"))
        add_note(divisions, refusal(actor, "community"))
