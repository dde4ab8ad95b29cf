"""The ledger's table view: fixed row heights, font-sized columns, header sorting in SQL."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from .business_table_model import COLUMNS, BusinessTableModel
from .window_state import restore_header, save_header


class BusinessTableView(QTableView):
    def __init__(self, model: BusinessTableModel, settings_key: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._settings_key = settings_key
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # Fixed row heights: the view never asks for rows it does not show.
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        rows.setVisible(False)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        metrics = self.fontMetrics()
        for column, spec in enumerate(COLUMNS):
            # From the font, so the columns fit at any scaling and with any CJK face.
            self.setColumnWidth(column, metrics.horizontalAdvance(spec.sample) + 20)
        if not restore_header(header, settings_key):
            header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        self.setSortingEnabled(True)  # hands the indicator to model.sort: sorting is SQL
        self._sort_indicator_changed(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def save_state(self) -> None:
        save_header(self.horizontalHeader(), self._settings_key)

    def _sort_indicator_changed(self, section: int, _order: Qt.SortOrder) -> None:
        if COLUMNS[section].sort is None:
            # Not sortable: put the arrow back where the rows really are sorted.
            descending = self._model.query.descending
            self.horizontalHeader().setSortIndicator(
                self._model.sort_column(),
                Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
