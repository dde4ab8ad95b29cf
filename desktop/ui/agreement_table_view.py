"""The 门前三包 table views: fixed row heights, font-sized columns, several rows selectable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from .agreement_table_model import AgreementTableModel, UnsignedTableModel
from .window_state import restore_header, save_header


class AgreementTableView(QTableView):
    def __init__(self, model: AgreementTableModel | UnsignedTableModel, settings_key: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings_key = settings_key
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several agreements print into one PDF; the details follow the current row.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        rows.setVisible(False)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        for column, spec in enumerate(model.columns):
            self.setColumnWidth(column, metrics.horizontalAdvance(spec.sample) + 14)
        restore_header(header, settings_key)

    def save_state(self) -> None:
        save_header(self.horizontalHeader(), self._settings_key)

    def selected_rows(self) -> list[int]:
        """Selected row numbers, top to bottom."""
        return sorted(index.row() for index in self.selectionModel().selectedRows())
