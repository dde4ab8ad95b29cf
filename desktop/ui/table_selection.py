"""Putting the selection back on a record after a paged table reloads."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QModelIndex
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
