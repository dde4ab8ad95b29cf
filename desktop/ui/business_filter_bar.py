"""The ledger's filter row: community, grid, category, status, removed ones, and search."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QWidget

from desktop.domain.businesses import CATEGORIES, STATUSES, BusinessQuery
from desktop.domain.divisions import CommunityInfo

SEARCH_DELAY_MS = 250


class BusinessFilterBar(QWidget):
    """Emits `changed` at once for the combos and after a short pause for typed search text."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._communities: list[CommunityInfo] = []
        self._community_id: int | None = None  # wanted even before the list has arrived
        self.community_combo = QComboBox()
        self.community_combo.setMinimumContentsLength(6)
        self.grid_combo = QComboBox()
        self.grid_combo.setMinimumContentsLength(5)
        self.category_combo = QComboBox()
        self.category_combo.addItem(self.tr("全部类别"), "")
        for category in CATEGORIES:
            self.category_combo.addItem(category, category)
        self.status_combo = QComboBox()
        self.status_combo.addItem(self.tr("全部状态"), "")
        for status in STATUSES:
            self.status_combo.addItem(status, status)
        self.inactive_check = QCheckBox(self.tr("含已移出"))
        self.inactive_check.setToolTip(self.tr("同时显示已移出台账的商户"))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("名称 / 拼音首字母 / 信用代码 / 地址 / 经营者 / 电话"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(260)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        for widget in (self.community_combo, self.grid_combo, self.category_combo,
                       self.status_combo, self.inactive_check):
            layout.addWidget(widget)
        layout.addWidget(self.search_edit, 1)
        self._layout = layout
        self._fill_communities()

        self.community_combo.currentIndexChanged.connect(self._community_picked)
        self.grid_combo.currentIndexChanged.connect(self.changed)
        self.category_combo.currentIndexChanged.connect(self.changed)
        self.status_combo.currentIndexChanged.connect(self.changed)
        self.inactive_check.toggled.connect(self.changed)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self.changed)

    # --- communities ----------------------------------------------------------------------

    def set_communities(self, communities: list[CommunityInfo]) -> None:
        self._communities = communities
        self._fill_communities()

    def set_community(self, community_id: int | None) -> None:
        """Show one community (None: all); emits `changed` if that changes the filter."""
        if community_id == self._community_id:
            return
        self._community_id = community_id
        self._fill_communities()
        self.changed.emit()

    def _fill_communities(self) -> None:
        grid_id = self.grid_combo.currentData()
        self.community_combo.blockSignals(True)
        self.community_combo.clear()
        self.community_combo.addItem(self.tr("全部社区"), None)
        for community in self._communities:
            name = community.name if community.active else self.tr("{0}（已停用）").format(community.name)
            self.community_combo.addItem(name, community.id)
        index = self.community_combo.findData(self._community_id)
        self.community_combo.setCurrentIndex(max(index, 0))
        self.community_combo.blockSignals(False)
        self._fill_grids(grid_id)

    def _fill_grids(self, grid_id: int | None) -> None:
        self.grid_combo.blockSignals(True)
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("全部网格"), None)
        community = next((c for c in self._communities if c.id == self._community_id), None)
        for grid in community.grids if community else ():
            self.grid_combo.addItem(grid.name, grid.id)
        self.grid_combo.setCurrentIndex(max(self.grid_combo.findData(grid_id), 0))
        # Grids only make sense within one community.
        self.grid_combo.setEnabled(community is not None)
        self.grid_combo.blockSignals(False)

    def _community_picked(self) -> None:
        self._community_id = self.community_combo.currentData()
        self._fill_grids(None)
        self.changed.emit()

    # --- the query ------------------------------------------------------------------------

    def apply_to(self, query: BusinessQuery) -> BusinessQuery:
        """`query` with this bar's filters; its sort order is kept."""
        self._search_timer.stop()  # the text is read now, no need to fire again
        return replace(
            query,
            text=self.search_edit.text(),
            community_id=self._community_id,
            grid_id=self.grid_combo.currentData(),
            category=self.category_combo.currentData() or "",
            status=self.status_combo.currentData() or "",
            include_inactive=self.inactive_check.isChecked(),
        )

    def add_trailing(self, widget: QWidget) -> None:
        """A widget at the end of the row (the page puts its count there)."""
        self._layout.addWidget(widget)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()
