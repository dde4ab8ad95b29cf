"""Base class of the main window's pages: a toolbar of standard actions and change handling."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QStyle, QToolBar, QVBoxLayout, QWidget

from .context import AppContext


class Page(QWidget):
    """A page owns its toolbar, so its shortcuts only fire while the page is visible.

    Qt ignores shortcuts of actions whose widgets are hidden, which is exactly what a
    QStackedWidget does with the other pages.
    """

    navigate = Signal(str, object)  # page key, argument for Page.activate
    # Kinds of ledger_changed this page shows; a hidden page refreshes when next shown.
    cares_about: frozenset[str] = frozenset()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._pending_changes: set[str] = set()
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setMovable(False)
        self.act_new = self._action(self.tr("新增"), QStyle.StandardPixmap.SP_FileIcon, "Ctrl+N")
        self.act_edit = self._action(self.tr("编辑"), QStyle.StandardPixmap.SP_FileDialogDetailedView)
        self.act_print = self._action(self.tr("打印"), QStyle.StandardPixmap.SP_DialogSaveButton,
                                      "Ctrl+P")
        self.act_export = self._action(self.tr("导出"), QStyle.StandardPixmap.SP_ArrowDown, "Ctrl+E")
        self.act_refresh = self._action(self.tr("刷新"), QStyle.StandardPixmap.SP_BrowserReload, "F5")
        for action in (self.act_new, self.act_edit, self.act_print, self.act_export):
            action.setEnabled(False)
        self.act_print.setToolTip(self.tr("本页没有可打印的文书"))
        self.act_refresh.triggered.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toolbar)
        ctx.hub.ledger_changed.connect(self._on_ledger_changed)

    def body(self) -> QVBoxLayout:
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        return layout

    def _action(self, text: str, icon: QStyle.StandardPixmap, shortcut: str = "") -> QAction:
        action = QAction(self.style().standardIcon(icon), text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"{text}（{QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)}）")
        self.toolbar.addAction(action)
        return action

    # --- what subclasses provide ----------------------------------------------------------

    def activate(self, arg: object = None) -> None:
        """Called each time the page is navigated to; `arg` comes from the navigator."""

    def refresh(self) -> None:
        """Reload everything the page shows."""

    def ledger_changed(self, kinds: frozenset[str]) -> None:
        self.refresh()

    def save_state(self) -> None:
        """Keep view state (column widths and the like) when the window closes."""

    # --- change handling ------------------------------------------------------------------

    def _on_ledger_changed(self, kinds: frozenset[str]) -> None:
        relevant = kinds & self.cares_about
        if not relevant:
            return
        if self.isVisible():
            self.ledger_changed(frozenset(relevant))
        else:
            self._pending_changes |= relevant

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending_changes:
            kinds = frozenset(self._pending_changes)
            self._pending_changes.clear()
            self.ledger_changed(kinds)
