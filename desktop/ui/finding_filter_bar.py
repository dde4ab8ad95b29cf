"""The 巡查与通知 filter row: status, category, community, date range, one business, search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from desktop.domain.divisions import CommunityInfo
from desktop.domain.findings import STATUSES, FindingQuery

SEARCH_DELAY_MS = 250
REPEAT = "repeat"  # not a finding state: the list switches to the repeat offenders
NO_DATE = QDate(2000, 1, 1)  # the minimum of the date fields, shown as 不限

STATES: tuple[tuple[str, object], ...] = (
    ("", QT_TRANSLATE_NOOP("FindingFilterBar", "全部状态")),
    *((s, s) for s in STATUSES),
    ("overdue", QT_TRANSLATE_NOOP("FindingFilterBar", "逾期未复查")),
    (REPEAT, QT_TRANSLATE_NOOP("FindingFilterBar", "重复违规")),
)


@dataclass(frozen=True)
class BusinessFilter:
    business_id: int | None
    label: str  # the business's name, or the place searched for


def _date(edit: QDateEdit) -> dt.date | None:
    value = edit.date()
    if value == NO_DATE:
        return None
    return dt.date(value.year(), value.month(), value.day())


def _qdate(day: dt.date | None) -> QDate:
    return QDate(day.year, day.month, day.day) if day else NO_DATE


class FindingFilterBar(QWidget):
    """Emits `changed` at once for the combos and dates, after a short pause for typed text."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._communities: list[CommunityInfo] = []
        self._community_id: int | None = None
        self._business: BusinessFilter | None = None
        self.state_combo = QComboBox()
        for key, text in STATES:
            self.state_combo.addItem(QCoreApplication.translate("FindingFilterBar", str(text)), key)
        self.state_combo.setToolTip(self.tr("问题状态；“逾期未复查”为整改期限已过仍未办结的问题"))
        self.category_combo = QComboBox()
        self.category_combo.setMinimumContentsLength(6)
        self.set_categories([])
        self.community_combo = QComboBox()
        self.community_combo.setMinimumContentsLength(5)
        self.from_edit = self._date_edit(self.tr("发现日期起（不限则选最早）"))
        self.to_edit = self._date_edit(self.tr("发现日期止（含当天）"))
        self.business_button = QToolButton()
        self.business_button.setAutoRaise(True)
        self.business_button.setToolTip(self.tr("取消按商户（地点）筛选"))
        self.business_button.hide()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("地点 / 商户 / 当事人 / 描述"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(150)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        for widget in (self.state_combo, self.category_combo, self.community_combo):
            layout.addWidget(widget)
        dates = QLabel(self.tr("日期"))
        dates.setBuddy(self.from_edit)
        layout.addWidget(dates)
        layout.addWidget(self.from_edit)
        layout.addWidget(QLabel("—"))
        layout.addWidget(self.to_edit)
        layout.addWidget(self.business_button)
        layout.addWidget(self.search_edit, 1)
        self._layout = layout
        self._fill_communities()

        self.state_combo.currentIndexChanged.connect(self._state_picked)
        self.category_combo.currentIndexChanged.connect(self.changed)
        self.community_combo.currentIndexChanged.connect(self._community_picked)
        self.from_edit.dateChanged.connect(self.changed)
        self.to_edit.dateChanged.connect(self.changed)
        self.business_button.clicked.connect(self.clear_business)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self.changed)

    def _date_edit(self, tip: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(self.tr("不限"))
        edit.setDate(NO_DATE)
        edit.setToolTip(tip)
        edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("2026-12-31") + 36)
        return edit

    # --- what is chosen -------------------------------------------------------------------

    def state(self) -> str:
        return str(self.state_combo.currentData())

    def repeat_mode(self) -> bool:
        return self.state() == REPEAT

    def community_id(self) -> int | None:
        return self._community_id

    def business(self) -> BusinessFilter | None:
        return self._business

    def query(self, today: dt.date | None = None) -> FindingQuery:
        self._search_timer.stop()  # the text is read now, no need to fire again
        text = self.search_edit.text()
        business_id = None
        if self._business is not None:
            business_id = self._business.business_id
            if business_id is None:  # a place without a business: search for its text
                text = self._business.label
        return FindingQuery(text=text, state="" if self.repeat_mode() else self.state(),
                            category=str(self.category_combo.currentData() or ""),
                            community_id=self._community_id, business_id=business_id,
                            found_from=_date(self.from_edit), found_to=_date(self.to_edit),
                            today=today)

    def set_filters(self, *, state: str = "", business: BusinessFilter | None = None,
                    community_id: int | None = None, found_from: dt.date | None = None,
                    found_to: dt.date | None = None) -> None:
        """Show exactly these filters (others cleared); emits `changed` once.

        The community is kept even before the list of communities has arrived.
        """
        widgets = (self.state_combo, self.category_combo, self.community_combo, self.from_edit,
                   self.to_edit, self.search_edit)
        for widget in widgets:
            widget.blockSignals(True)
        self.state_combo.setCurrentIndex(max(0, self.state_combo.findData(state)))
        self.category_combo.setCurrentIndex(0)
        self._community_id = community_id
        self._fill_communities()
        self.from_edit.setDate(_qdate(found_from))
        self.to_edit.setDate(_qdate(found_to))
        self.search_edit.clear()
        for widget in widgets:
            widget.blockSignals(False)
        self._set_business(business)
        self._update_enabled()
        self.changed.emit()

    def clear_business(self) -> None:
        self._set_business(None)
        self.changed.emit()

    def _set_business(self, business: BusinessFilter | None) -> None:
        self._business = business
        if business is None:
            self.business_button.hide()
            return
        self.business_button.setText(self.tr("仅看：{0} ✕").format(business.label))
        self.business_button.show()

    # --- lists ----------------------------------------------------------------------------

    def set_categories(self, categories: list[str]) -> None:
        current = self.category_combo.currentData()
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        self.category_combo.addItem(self.tr("全部类别"), "")
        for category in categories:
            self.category_combo.addItem(category, category)
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(current)))
        self.category_combo.blockSignals(False)

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

    def _community_picked(self) -> None:
        self._community_id = self.community_combo.currentData()
        self.changed.emit()

    def _state_picked(self) -> None:
        self._update_enabled()
        self.changed.emit()

    def _update_enabled(self) -> None:
        # Repeat offenders are counted over the last 90 days, street-wide.
        plain = not self.repeat_mode()
        for widget in (self.category_combo, self.community_combo, self.from_edit, self.to_edit,
                       self.search_edit):
            widget.setEnabled(plain)

    def add_trailing(self, widget: QWidget) -> None:
        self._layout.addWidget(widget)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()
