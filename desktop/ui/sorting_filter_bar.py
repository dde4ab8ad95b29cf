"""The 垃圾分类 filter row: period, community, site type, result (or unchecked sites), search."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from desktop.domain.agreements import add_months
from desktop.domain.divisions import CommunityInfo
from desktop.domain.sorting_templates import SITE_TYPES
from desktop.domain.stats import Period

SEARCH_DELAY_MS = 250
UNCHECKED = "unchecked"  # a site filter: no check in the period
CHECK_STATES: tuple[tuple[str, object], ...] = (
    ("", QT_TRANSLATE_NOOP("SortingFilterBar", "全部结果")),
    ("passed", QT_TRANSLATE_NOOP("SortingFilterBar", "合格")),
    ("failed", QT_TRANSLATE_NOOP("SortingFilterBar", "不合格")),
    ("pending", QT_TRANSLATE_NOOP("SortingFilterBar", "待复查")),
    ("overdue", QT_TRANSLATE_NOOP("SortingFilterBar", "逾期未复查")),
    ("rechecks", QT_TRANSLATE_NOOP("SortingFilterBar", "复查记录")),
)
SITE_STATES: tuple[tuple[str, object], ...] = (
    ("", QT_TRANSLATE_NOOP("SortingFilterBar", "全部点位")),
    (UNCHECKED, QT_TRANSLATE_NOOP("SortingFilterBar", "本期未检查")),
    ("inactive", QT_TRANSLATE_NOOP("SortingFilterBar", "含已停用")),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SortingFilterBar", text)


def period_choices(today: dt.date) -> list[tuple[str, str]]:
    """(label, text) of the periods offered: the last twelve months and five quarters."""
    month = today.replace(day=1)
    out = [("", _tr("全部期间"))]
    for n in range(12):
        day = add_months(month, -n)
        label = f"{day.year}-{day.month:02d}"
        name = _tr("本月") if n == 0 else (_tr("上月") if n == 1 else "")
        out.append((label, f"{label}（{name}）" if name else label))
    quarter = (today.month - 1) // 3 + 1
    year = today.year
    for _ in range(5):
        out.append((f"{year}-Q{quarter}", _tr("{0}年第{1}季度").format(year, quarter)))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return out


class SortingFilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self._communities: list[CommunityInfo] = []
        self._community_id: int | None = None
        self.period_combo = QComboBox()
        for label, text in period_choices(today or dt.date.today()):
            self.period_combo.addItem(text, label)
        self.period_combo.setCurrentIndex(1)  # this month
        self.community_combo = QComboBox()
        self.community_combo.setMinimumContentsLength(6)
        self.type_combo = QComboBox()
        self.type_combo.addItem(_tr("全部类型"), "")
        for site_type in SITE_TYPES:
            self.type_combo.addItem(site_type, site_type)
        self.check_state_combo = QComboBox()
        for key, source in CHECK_STATES:
            self.check_state_combo.addItem(_tr(str(source)), key)
        self.site_state_combo = QComboBox()
        for key, source in SITE_STATES:
            self.site_state_combo.addItem(_tr(str(source)), key)
        self.site_state_combo.hide()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(_tr("点位名称 / 地址 / 检查人员"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(160)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        for widget in (self.period_combo, self.community_combo, self.type_combo,
                       self.check_state_combo, self.site_state_combo):
            layout.addWidget(widget)
        layout.addWidget(self.search_edit, 1)
        self._layout = layout
        self._fill_communities()
        for combo in (self.period_combo, self.community_combo, self.type_combo,
                      self.check_state_combo, self.site_state_combo):
            combo.currentIndexChanged.connect(self._picked)
        self.search_edit.textChanged.connect(self._timer.start)
        self._timer.timeout.connect(self.changed)

    # --- what is chosen -------------------------------------------------------------------

    def period(self) -> Period | None:
        label = self.period_combo.currentData()
        return Period.parse(label) if label else None

    def community_id(self) -> int | None:
        return self._community_id

    def site_type(self) -> str:
        return str(self.type_combo.currentData() or "")

    def check_state(self) -> str:
        return str(self.check_state_combo.currentData() or "")

    def site_state(self) -> str:
        return str(self.site_state_combo.currentData() or "")

    def text(self) -> str:
        self._timer.stop()
        return self.search_edit.text()

    def show_sites(self, sites: bool) -> None:
        """The result filter of the checks, or the unchecked/inactive filter of the sites."""
        self.check_state_combo.setVisible(not sites)
        self.site_state_combo.setVisible(sites)

    def set_filters(self, *, period: str | None = None, check_state: str | None = None,
                    site_state: str | None = None, community_id: int | None = None,
                    site_type: str | None = None, text: str | None = None) -> None:
        """Show these filters (None: leave as is); emits `changed` once.

        `period` is a label ("2026-11", "2026-Q4") or "" for all periods; one older than the
        choices offered is added to them.
        """
        widgets = (self.period_combo, self.check_state_combo, self.site_state_combo,
                   self.type_combo, self.community_combo, self.search_edit)
        for widget in widgets:
            widget.blockSignals(True)
        if period:
            period = self._offer_period(period)
        for combo, value in ((self.period_combo, period), (self.check_state_combo, check_state),
                             (self.site_state_combo, site_state), (self.type_combo, site_type)):
            if value is not None:
                combo.setCurrentIndex(max(0, combo.findData(value)))
        if community_id is not None or period is not None:
            self._community_id = community_id
            self._fill_communities()
        if text is not None:
            self._timer.stop()
            self.search_edit.setText(text)
        for widget in widgets:
            widget.blockSignals(False)
        self.changed.emit()

    def _offer_period(self, text: str) -> str:
        label = Period.parse(text).label
        if self.period_combo.findData(label) < 0:
            year, _, quarter = label.partition("-Q")
            shown = _tr("{0}年第{1}季度").format(year, quarter) if quarter else label
            self.period_combo.addItem(shown, label)
        return label

    def set_communities(self, communities: list[CommunityInfo]) -> None:
        self._communities = communities
        self._fill_communities()

    def _fill_communities(self) -> None:
        combo = self.community_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_tr("全部社区"), None)
        for community in self._communities:
            combo.addItem(community.name, community.id)
        combo.setCurrentIndex(max(combo.findData(self._community_id), 0))
        combo.blockSignals(False)

    def _picked(self) -> None:
        self._community_id = self.community_combo.currentData()
        self.changed.emit()

    def add_trailing(self, widget: QWidget) -> None:
        self._layout.addWidget(widget)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()
