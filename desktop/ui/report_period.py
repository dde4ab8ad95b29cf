"""Choosing a report's period: a year and one of its months or quarters."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QSpinBox, QWidget

from desktop.domain.stats import Period

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
FIRST_YEAR = 2000


def previous_month(today: dt.date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


class PeriodPicker(QWidget):
    """年 and 1月…12月 / 第一季度…第四季度 in one combo; its data is "10" or "Q3"."""

    changed = Signal()

    def __init__(self, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = today or dt.date.today()
        self.year_spin = QSpinBox()
        self.year_spin.setRange(FIRST_YEAR, today.year + 1)
        self.year_spin.setSuffix(self.tr(" 年"))
        self.year_spin.setAccessibleName(self.tr("年份"))
        self.part_combo = QComboBox()
        self.part_combo.setAccessibleName(self.tr("月份或季度"))
        for month in range(1, 13):
            self.part_combo.addItem(self.tr("{0}月").format(month), f"{month:02d}")
        self.part_combo.insertSeparator(12)
        for q, text in enumerate(QUARTERS, start=1):
            self.part_combo.addItem(self.tr(text), f"Q{q}")
        self.part_combo.setMaxVisibleItems(17)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.year_spin)
        layout.addWidget(self.part_combo)
        layout.addStretch(1)
        self.set_period(*previous_month(today))

        self.year_spin.valueChanged.connect(self.changed)
        self.part_combo.currentIndexChanged.connect(self.changed)

    def set_period(self, year: int, part: int | str) -> None:
        """`part` is a month (10) or a quarter ("Q3")."""
        self.year_spin.setValue(year)
        data = f"{part:02d}" if isinstance(part, int) else part
        self.part_combo.setCurrentIndex(self.part_combo.findData(data))

    def period(self) -> Period:
        part = str(self.part_combo.currentData())
        return Period.parse(f"{self.year_spin.value()}-{part}")
