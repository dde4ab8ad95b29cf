"""The 巡查与通知 table: findings paged in from SQL on demand; overdue ones in red."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from desktop.domain.findings import FindingQuery, FindingRow

from . import finding_operations
from .agreement_table_model import Arrived, Column, _PagedModel
from .context import AppContext
from .finding_operations import FindingBatch

PAGE_SIZE = 200

COLUMNS: tuple[Column, ...] = (
    Column("found_at", QT_TRANSLATE_NOOP("FindingTableModel", "发现时间"), "2026-10-01 18:30"),
    Column("category", QT_TRANSLATE_NOOP("FindingTableModel", "类别"), "门前三包不落实"),
    Column("place", QT_TRANSLATE_NOOP("FindingTableModel", "地点"), "北辰家园29栋207"),
    Column("party", QT_TRANSLATE_NOOP("FindingTableModel", "商户/当事人"), "万家手机维修(西岭店)"),
    Column("community", QT_TRANSLATE_NOOP("FindingTableModel", "社区"), "解放路社区"),
    Column("deadline", QT_TRANSLATE_NOOP("FindingTableModel", "期限"), "2026-10-01"),
    Column("status", QT_TRANSLATE_NOOP("FindingTableModel", "状态"), "复查不合格（逾期）"),
    Column("notice", QT_TRANSLATE_NOOP("FindingTableModel", "通知书编号"), "安平城管责改〔2026〕第0001号"),
)
_CENTRED = {"found_at", "deadline", "status", "community"}
OVERDUE = (QColor(255, 214, 214), QColor(183, 28, 28))
# Text colours of the other states: done ones quiet, referred ones dark.
STATUS_COLOURS = {"销号": QColor(117, 117, 117), "复查合格": QColor(46, 125, 50),
                  "移交执法": QColor(74, 20, 140), "复查不合格": QColor(183, 28, 28)}


def _tr(text: str) -> str:
    return QCoreApplication.translate("FindingTableModel", text)


class FindingTableModel(_PagedModel[Any]):
    columns = COLUMNS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._query = FindingQuery()
        self.today = dt.date.today()

    @property
    def query(self) -> FindingQuery:
        return self._query

    def set_query(self, query: FindingQuery) -> None:
        self._query = query
        self.today = query.today or dt.date.today()
        self._start()

    def refresh(self) -> None:
        self.today = self._query.today or dt.date.today()
        super().refresh()

    def _fetch(self, pages: Sequence[int], with_total: bool, arrived: Arrived) -> None:
        def done(batch: FindingBatch) -> None:
            arrived(batch.total, dict(batch.pages))

        finding_operations.load_finding_pages(self._ctx, self._query, pages, PAGE_SIZE, done,
                                              with_total=with_total, owner=self)

    def _cell(self, item: FindingRow, column: Column, role: int) -> Any:
        name = column.field
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, name, self.today)
        if role == Qt.ItemDataRole.TextAlignmentRole and name in _CENTRED:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            if name in ("place", "party", "notice"):
                return self.text(item, name, self.today)
            if name == "category":
                return item.description
            if name == "status" and item.is_overdue(self.today):
                return _tr("整改期限 {0} 已过，尚未复查").format(item.deadline)
            return None
        overdue = item.is_overdue(self.today)
        if role == Qt.ItemDataRole.BackgroundRole and overdue and name in ("status", "deadline"):
            return QBrush(OVERDUE[0])
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue and name in ("status", "deadline"):
                return QBrush(OVERDUE[1])
            colour = STATUS_COLOURS.get(item.status)
            if colour is not None and name == "status":
                return QBrush(colour)
        return None

    @staticmethod
    def text(item: FindingRow, name: str, today: dt.date) -> str:
        if name == "found_at":
            return item.found_at.strftime("%Y-%m-%d %H:%M")
        if name == "party":
            return item.party or "—"
        if name == "deadline":
            return item.deadline.isoformat() if item.deadline else "—"
        if name == "status":
            return _tr("{0}（逾期）").format(item.status) if item.is_overdue(today) else item.status
        if name == "notice":
            return item.notice or "—"
        return str(getattr(item, name))
