"""Choosing the business of an agreement: type a name, initials or address, pick from a list."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QStringListModel, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.domain.agreements import AgreementRow
from desktop.domain.businesses import BusinessRow

from . import operations
from .context import AppContext

SEARCH_DELAY_MS = 200
MAX_SHOWN = 30


def describe(row: BusinessRow) -> str:
    division = "/".join(t for t in (row.community, row.grid) if t)
    return "　".join(t for t in (row.name, row.address, row.operator, division) if t)


class BusinessPicker(QWidget):
    """A search line with a drop-down of matches from the ledger (searched in the worker).

    `picked` carries the chosen BusinessRow, or None when the text no longer names it.
    """

    picked = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rows: list[BusinessRow] = []
        self._generation = 0
        self.business: BusinessRow | None = None
        self._fixed_id: int | None = None
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("输入商户名称、拼音首字母、地址或经营者查找"))
        self.edit.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        # The worker has already matched; the drop-down shows its answer as it is. Set on the
        # widget, not with setCompleter, so Qt never writes the long line into the edit.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(self.edit)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.info)
        self.setFocusProxy(self.edit)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)

        self.edit.textEdited.connect(self._edited)
        self._timer.timeout.connect(self._search)
        self.completer.activated[QModelIndex].connect(self._activated)  # type: ignore[index]
        self._show_info()

    def set_business(self, row: BusinessRow | None) -> None:
        self.business = row
        self._fixed_id = None
        self.edit.setText(row.name if row else "")
        self._show_info()

    def set_fixed(self, agreement: AgreementRow) -> None:
        """Show the business of an existing agreement, which cannot be changed."""
        self.business = None
        self._fixed_id = agreement.business_id
        self.edit.setText(agreement.business)
        self.edit.setReadOnly(True)
        self.edit.setClearButtonEnabled(False)
        self.edit.setToolTip(self.tr("责任书的商户不能更换；如需更换，请另行起草"))
        self.info.setText(self.tr("地址：{0}　经营者：{1}　{2}").format(
            agreement.address or "—", agreement.operator or "—",
            "/".join(t for t in (agreement.community, agreement.grid) if t)))

    def business_id(self) -> int | None:
        if self._fixed_id is not None:
            return self._fixed_id
        return self.business.id if self.business else None

    def matches(self) -> list[BusinessRow]:
        """What the drop-down offers now (for tests)."""
        return list(self._rows)

    def choose(self, position: int) -> None:
        """Take the match at `position` of the drop-down, as a click would."""
        self._take(self._rows[position])

    def _edited(self, text: str) -> None:
        if self._fixed_id is not None:
            return
        if self.business is not None and text != self.business.name:
            self.business = None
            self._show_info()
            self.picked.emit(None)
        self._timer.start()

    def _search(self) -> None:
        text = self.edit.text().strip()
        self._generation += 1
        generation = self._generation
        if not text:
            self._offer(generation, (0, []))
            return
        operations.search_businesses(self._ctx, text, MAX_SHOWN,
                                     lambda found: self._offer(generation, found), owner=self)

    def _offer(self, generation: int, found: tuple[int, list[BusinessRow]]) -> None:
        if generation != self._generation:
            return
        total, rows = found
        self._rows = rows
        self._model.setStringList([describe(r) for r in rows])
        if rows and self.edit.hasFocus():
            self.completer.complete()
        elif not rows:
            self._hide_popup()
        if self.business is None:
            self.info.setText(self.tr("没有找到该商户") if self.edit.text().strip() and not rows
                              else self.tr("共找到 {0} 家，请从列表中选择").format(total) if rows
                              else self.tr("请从列表中选择商户"))

    def _activated(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self._rows):
            self._take(self._rows[index.row()])

    def _take(self, row: BusinessRow) -> None:
        self._timer.stop()
        self._hide_popup()
        self.business = row
        self.edit.setText(row.name)
        self._show_info()
        self.picked.emit(row)

    def _hide_popup(self) -> None:
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()

    def _show_info(self) -> None:
        row = self.business
        if row is None:
            self.info.setText(self.tr("请从列表中选择商户"))
            return
        self.info.setText(self.tr("地址：{0}　经营者：{1}　{2}").format(
            row.address or "—", row.operator or "—",
            "/".join(t for t in (row.community, row.grid) if t)))
        self.info.setToolTip(describe(row))
        if not row.active:
            self.info.setText(self.info.text() + self.tr("（已移出台账）"))
        self.edit.setCursorPosition(0)
