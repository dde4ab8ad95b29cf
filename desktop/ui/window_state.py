"""Remembering window geometry and splitter positions in QSettings, for windows and dialogs."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QHeaderView, QSplitter, QWidget


def _key(group: str, name: str) -> str:
    return f"{group}/{name}"


def _as_bytes(value: object) -> QByteArray | None:
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _splitters(widget: QWidget, direct_only: bool) -> list[QSplitter]:
    option = (Qt.FindChildOption.FindDirectChildrenOnly if direct_only
              else Qt.FindChildOption.FindChildrenRecursively)
    return widget.findChildren(QSplitter, options=option)


def save_splitters(widget: QWidget, group: str, *, direct_only: bool = False) -> None:
    settings = QSettings()
    for splitter in _splitters(widget, direct_only):
        if splitter.objectName():
            settings.setValue(_key(group, f"splitter-{splitter.objectName()}"), splitter.saveState())


def restore_splitters(widget: QWidget, group: str, *, direct_only: bool = False) -> None:
    settings = QSettings()
    for splitter in _splitters(widget, direct_only):
        if splitter.objectName():
            state = _as_bytes(settings.value(_key(group, f"splitter-{splitter.objectName()}")))
            if state is not None:
                splitter.restoreState(state)


def save_header(header: QHeaderView, key: str) -> None:
    QSettings().setValue(key, header.saveState())


def restore_header(header: QHeaderView, key: str) -> bool:
    state = _as_bytes(QSettings().value(key))
    return state is not None and header.restoreState(state)


def save_geometry(widget: QWidget, group: str) -> None:
    QSettings().setValue(_key(group, "geometry"), widget.saveGeometry())


def restore_geometry(widget: QWidget, group: str) -> bool:
    state = _as_bytes(QSettings().value(_key(group, "geometry")))
    return state is not None and widget.restoreGeometry(state)


class RememberingDialog(QDialog):
    """Base for every dialog: comes back where the clerk left it, splitters included."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._restored = False

    def settings_group(self) -> str:
        return "dialogs/" + (self.objectName() or type(self).__name__)

    def showEvent(self, event: QShowEvent) -> None:
        if not self._restored:
            self._restored = True
            restore_geometry(self, self.settings_group())
            restore_splitters(self, self.settings_group())
        super().showEvent(event)

    def done(self, result: int) -> None:
        save_geometry(self, self.settings_group())
        save_splitters(self, self.settings_group())
        super().done(result)
