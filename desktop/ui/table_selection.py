"""Putting the selection back on a record after a paged table reloads."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QModelIndex, QObject, Signal
from PySide6.QtWidgets import QAbstractItemView


def select_row(table: QAbstractItemView, model: QAbstractItemModel, row: int | None) -> None:
    """Select `row` (scrolling to it), or clear the selection and the current index."""
    selection = table.selectionModel()
    if row is None:
        selection.clearSelection()
        selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
        return
    index = model.index(row, 0)
    selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                              | QItemSelectionModel.SelectionFlag.Rows)
    table.scrollTo(index)


class PagedRows(Protocol):
    """What SelectionKeeper needs of a paged model (ui.paging's models)."""

    def row_of(self, record_id: int) -> int | None: ...

    def row_at(self, row: int) -> Any: ...


class SelectionKeeper(QObject):
    """Keeps a paged table's selection on one record, by id, across reloads.

    `selected_id` follows the clerk's choice; after a reload `restore()` puts the selection
    back on that record (or clears it when the record is filtered out). `chosen` is emitted
    when the clerk's choice changes, not when a reload puts it back.
    """

    chosen = Signal()

    def __init__(self, table: QAbstractItemView, model: QAbstractItemModel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.selected_id: int | None = None
        self._table = table
        self._model = model
        self._restoring = False
        # A reset clears the selection; that must not forget which record was chosen.
        model.modelAboutToBeReset.connect(self._begin_restore)
        model.page_loaded.connect(self._page_arrived)  # type: ignore[attr-defined]
        table.selectionModel().currentRowChanged.connect(self._current_changed)

    def _rows(self) -> PagedRows:
        return self._model  # type: ignore[return-value]

    def restore(self) -> None:
        self._restoring = True
        row = self._rows().row_of(self.selected_id) if self.selected_id is not None else None
        select_row(self._table, self._model, row)
        self._restoring = False

    def _begin_restore(self) -> None:
        self._restoring = True

    def _page_arrived(self, _page: int) -> None:
        # The clerk may have clicked a row while it still showed "…".
        current = self._table.currentIndex()
        if self.selected_id is None and current.isValid():
            self._current_changed(current, QModelIndex())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._restoring:
            return
        row = self._rows().row_at(current.row()) if current.isValid() else None
        self.selected_id = row.id if row else None
        self.chosen.emit()
