"""The 户外广告 filter row: status or reminder list, community, search text."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from desktop.domain.divisions import CommunityInfo

SEARCH_DELAY_MS = 250

STATES: tuple[tuple[str, object], ...] = (
    ("", QT_TRANSLATE_NOOP("PermitFilterBar", "全部状态")),
    ("pending", QT_TRANSLATE_NOOP("PermitFilterBar", "待办（受理、勘验、审批）")),
    ("申请", QT_TRANSLATE_NOOP("PermitFilterBar", "申请（待受理）")),
    ("已受理", QT_TRANSLATE_NOOP("PermitFilterBar", "已受理（待勘验）")),
    ("已勘验", QT_TRANSLATE_NOOP("PermitFilterBar", "已勘验（待审批）")),
    ("准予", QT_TRANSLATE_NOOP("PermitFilterBar", "准予（待设置验收）")),
    ("已设置", QT_TRANSLATE_NOOP("PermitFilterBar", "已设置")),
    ("valid", QT_TRANSLATE_NOOP("PermitFilterBar", "有效许可")),
    ("expiring", QT_TRANSLATE_NOOP("PermitFilterBar", "60天内到期")),
    ("expiring30", QT_TRANSLATE_NOOP("PermitFilterBar", "30天内到期")),
    ("到期", QT_TRANSLATE_NOOP("PermitFilterBar", "到期")),
    ("unsafe", QT_TRANSLATE_NOOP("PermitFilterBar", "安全检查不合格")),
    ("multi-sign", QT_TRANSLATE_NOOP("PermitFilterBar", "一店多牌")),
    ("不予受理", QT_TRANSLATE_NOOP("PermitFilterBar", "不予受理")),
    ("不予许可", QT_TRANSLATE_NOOP("PermitFilterBar", "不予许可")),
    ("已拆除", QT_TRANSLATE_NOOP("PermitFilterBar", "已拆除")),
)


class PermitFilterBar(QWidget):
    """Emits `changed` at once for the combos and after a short pause for typed text."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._community_id: int | None = None
        self.state_combo = QComboBox()
        for key, text in STATES:
            self.state_combo.addItem(QCoreApplication.translate("PermitFilterBar", str(text)), key)
        self.state_combo.setAccessibleName(self.tr("状态"))
        self.community_combo = QComboBox()
        self.community_combo.setMinimumContentsLength(6)
        self.community_combo.setAccessibleName(self.tr("社区"))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("商户名称 / 拼音首字母 / 编号 / 设置地点"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(180)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(6, 0, 6, 0)
        self._layout.addWidget(self.state_combo)
        self._layout.addWidget(self.community_combo)
        self._layout.addWidget(self.search_edit, 1)
        self.set_communities([])

        self.state_combo.currentIndexChanged.connect(self.changed)
        self.community_combo.currentIndexChanged.connect(self._community_picked)
        self.search_edit.textChanged.connect(self._timer.start)
        self._timer.timeout.connect(self.changed)

    def state(self) -> str:
        return str(self.state_combo.currentData())

    def community_id(self) -> int | None:
        return self._community_id

    def text(self) -> str:
        self._timer.stop()
        return self.search_edit.text()

    def set_filters(self, *, state: str = "", community_id: int | None = None) -> None:
        """Show exactly this list (a status or a reminder list) of this community, the search
        cleared; emits `changed` once. The community is kept before the list has arrived."""
        widgets = (self.state_combo, self.community_combo, self.search_edit)
        for widget in widgets:
            widget.blockSignals(True)
        self._timer.stop()
        self.state_combo.setCurrentIndex(max(0, self.state_combo.findData(state)))
        self._community_id = community_id
        self._select_community()
        self.search_edit.clear()
        for widget in widgets:
            widget.blockSignals(False)
        self.changed.emit()

    def set_communities(self, communities: list[CommunityInfo]) -> None:
        self.community_combo.blockSignals(True)
        self.community_combo.clear()
        self.community_combo.addItem(self.tr("全部社区"), None)
        for community in communities:
            self.community_combo.addItem(community.name, community.id)
        self._select_community()
        self.community_combo.blockSignals(False)

    def _select_community(self) -> None:
        self.community_combo.setCurrentIndex(max(0, self.community_combo.findData(self._community_id)))

    def _community_picked(self) -> None:
        self._community_id = self.community_combo.currentData()
        self.changed.emit()

    def add_trailing(self, widget: QWidget) -> None:
        self._layout.addWidget(widget)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()
