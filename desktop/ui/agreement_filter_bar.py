"""The 门前三包 filter row: state (or the businesses still to sign), community, grid, search."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from desktop.domain.divisions import CommunityInfo

SEARCH_DELAY_MS = 250
UNSIGNED = "unsigned"  # not an agreement state: the list switches to businesses

STATES: tuple[tuple[str, object], ...] = (
    ("", QT_TRANSLATE_NOOP("AgreementFilterBar", "全部状态")),
    ("draft", QT_TRANSLATE_NOOP("AgreementFilterBar", "草稿")),
    ("signed", QT_TRANSLATE_NOOP("AgreementFilterBar", "有效")),
    ("expiring", QT_TRANSLATE_NOOP("AgreementFilterBar", "即将到期(30天内)")),
    ("expired", QT_TRANSLATE_NOOP("AgreementFilterBar", "已到期未续签")),
    ("terminated", QT_TRANSLATE_NOOP("AgreementFilterBar", "已终止")),
    (UNSIGNED, QT_TRANSLATE_NOOP("AgreementFilterBar", "未签约商户")),
)


class AgreementFilterBar(QWidget):
    """Emits `changed` at once for the combos and after a short pause for typed search text."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._communities: list[CommunityInfo] = []
        self._community_id: int | None = None  # wanted even before the list has arrived
        self._grid_id: int | None = None
        self.state_combo = QComboBox()
        for key, text in STATES:
            self.state_combo.addItem(QCoreApplication.translate("AgreementFilterBar", str(text)), key)
        self.community_combo = QComboBox()
        self.community_combo.setMinimumContentsLength(6)
        self.grid_combo = QComboBox()
        self.grid_combo.setMinimumContentsLength(5)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("商户名称 / 拼音首字母 / 责任书编号"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(200)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        for widget in (self.state_combo, self.community_combo, self.grid_combo):
            layout.addWidget(widget)
        layout.addWidget(self.search_edit, 1)
        self._layout = layout
        self._fill_communities()

        self.state_combo.currentIndexChanged.connect(self._state_picked)
        self.community_combo.currentIndexChanged.connect(self._community_picked)
        self.grid_combo.currentIndexChanged.connect(self._grid_picked)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self.changed)

    # --- what is chosen -------------------------------------------------------------------

    def state(self) -> str:
        return str(self.state_combo.currentData())

    def community_id(self) -> int | None:
        return self._community_id

    def grid_id(self) -> int | None:
        return self._grid_id

    def text(self) -> str:
        self._search_timer.stop()  # the text is read now, no need to fire again
        return self.search_edit.text()

    def set_filters(self, *, state: str | None = None, community_id: int | None = None,
                    grid_id: int | None = None, text: str | None = None) -> None:
        """Show exactly these filters (None: leave state/text as they are); emits `changed` once."""
        for widget in (self.state_combo, self.search_edit):
            widget.blockSignals(True)
        if state is not None:
            self.state_combo.setCurrentIndex(max(0, self.state_combo.findData(state)))
        if text is not None:
            self.search_edit.setText(text)
        for widget in (self.state_combo, self.search_edit):
            widget.blockSignals(False)
        self._community_id = community_id
        self._grid_id = grid_id
        self._fill_communities()
        self._update_search()
        self.changed.emit()

    # --- communities ----------------------------------------------------------------------

    def set_communities(self, communities: list[CommunityInfo]) -> None:
        self._communities = communities
        self._fill_communities()

    def _fill_communities(self) -> None:
        self.community_combo.blockSignals(True)
        self.community_combo.clear()
        self.community_combo.addItem(self.tr("全部社区"), None)
        for community in self._communities:
            name = community.name if community.active else self.tr("{0}（已停用）").format(community.name)
            self.community_combo.addItem(name, community.id)
        self.community_combo.setCurrentIndex(max(self.community_combo.findData(self._community_id), 0))
        self.community_combo.blockSignals(False)
        self._fill_grids()

    def _fill_grids(self) -> None:
        self.grid_combo.blockSignals(True)
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("全部网格"), None)
        community = next((c for c in self._communities if c.id == self._community_id), None)
        for grid in community.grids if community else ():
            self.grid_combo.addItem(grid.name, grid.id)
        self.grid_combo.setCurrentIndex(max(self.grid_combo.findData(self._grid_id), 0))
        self.grid_combo.setEnabled(community is not None)  # grids only within one community
        self.grid_combo.blockSignals(False)

    def _community_picked(self) -> None:
        self._community_id = self.community_combo.currentData()
        self._grid_id = None
        self._fill_grids()
        self.changed.emit()

    def _grid_picked(self) -> None:
        self._grid_id = self.grid_combo.currentData()
        self.changed.emit()

    def _state_picked(self) -> None:
        self._update_search()
        self.changed.emit()

    def _update_search(self) -> None:
        # The list of businesses still to sign is filtered by division only.
        unsigned = self.state() == UNSIGNED
        self.search_edit.setEnabled(not unsigned)
        self.search_edit.setToolTip(
            self.tr("未签约商户按社区、网格筛选；查找商户请用“新增”中的商户搜索") if unsigned else "")

    def add_trailing(self, widget: QWidget) -> None:
        """A widget at the end of the row (the page puts its count there)."""
        self._layout.addWidget(widget)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()
