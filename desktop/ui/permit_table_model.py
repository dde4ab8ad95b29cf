"""The 户外广告 table: permits paged in from SQL; expiring amber, lapsed and unsafe red."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from desktop.domain.permit_queries import PermitQuery
from desktop.domain.permits import PENDING, PermitRow, metres

from . import permit_operations
from .agreement_table_model import Arrived, Column, _PagedModel
from .context import AppContext
from .permit_operations import PermitBatch

PAGE_SIZE = 200

COLUMNS: tuple[Column, ...] = (
    Column("number", QT_TRANSLATE_NOOP("PermitTableModel", "申请编号"), "安平街招申〔2026〕第0001号"),
    Column("business", QT_TRANSLATE_NOOP("PermitTableModel", "商户"), "万家手机维修(西岭街店)"),
    Column("sign_type", QT_TRANSLATE_NOOP("PermitTableModel", "类型"), "墙体广告 "),
    Column("location", QT_TRANSLATE_NOOP("PermitTableModel", "设置地点"), "南门大街385号"),
    Column("size", QT_TRANSLATE_NOOP("PermitTableModel", "宽×高（米）"), "宽×高（米）"),
    Column("area_m2", QT_TRANSLATE_NOOP("PermitTableModel", "面积"), "18.75㎡"),
    Column("state", QT_TRANSLATE_NOOP("PermitTableModel", "状态"), "到期（未登记）"),
    Column("end_date", QT_TRANSLATE_NOOP("PermitTableModel", "有效期至"), "2026-10-01"),
    Column("safety", QT_TRANSLATE_NOOP("PermitTableModel", "安全检查"), "不合格"),
)
_CENTRED = {"sign_type", "size", "area_m2", "state", "end_date", "safety"}
RED = (QColor(255, 214, 214), QColor(183, 28, 28))
AMBER = (QColor(255, 236, 179), QColor(110, 76, 0))
QUIET = QColor(117, 117, 117)
PENDING_COLOUR = QColor(21, 101, 192)


def _tr(text: str) -> str:
    return QCoreApplication.translate("PermitTableModel", text)


class PermitTableModel(_PagedModel[Any]):
    columns = COLUMNS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._query = PermitQuery()

    @property
    def query(self) -> PermitQuery:
        return self._query

    def set_query(self, query: PermitQuery) -> None:
        self._query = query
        self._start()

    def _fetch(self, pages: Sequence[int], with_total: bool, arrived: Arrived) -> None:
        def done(batch: PermitBatch) -> None:
            arrived(batch.total, dict(batch.pages))

        permit_operations.load_permit_pages(self._ctx, self._query, pages, PAGE_SIZE, done,
                                            with_total=with_total, owner=self)

    def _cell(self, item: PermitRow, column: Column, role: int) -> Any:
        name = column.field
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, name)
        if role == Qt.ItemDataRole.TextAlignmentRole and name in _CENTRED:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item, name)
        colours = self._colours(item, name)
        if colours is None:
            return None
        background, foreground = colours
        if role == Qt.ItemDataRole.BackgroundRole and background is not None:
            return QBrush(background)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(foreground)
        return None

    @staticmethod
    def _colours(item: PermitRow, name: str) -> tuple[QColor | None, QColor] | None:
        if name == "safety" and item.unsafe:
            return RED
        if name in ("state", "end_date"):
            if item.lapsed:
                return RED
            if item.reminder is not None:
                return AMBER
        if name == "state":
            if item.status in PENDING:
                return None, PENDING_COLOUR
            if item.status in ("不予受理", "不予许可", "已拆除", "到期"):
                return None, QUIET
        return None

    @staticmethod
    def text(item: PermitRow, name: str) -> str:
        if name == "size":
            return f"{metres(item.width_m)}×{metres(item.height_m)}"
        if name == "area_m2":
            return f"{metres(item.area_m2)}㎡"
        if name == "state":
            return item.state_label
        if name == "end_date":
            return item.end_date.isoformat() if item.end_date else "—"
        if name == "safety":
            if item.last_check_passed is None:
                return "—"
            return _tr("合格") if item.last_check_passed else _tr("不合格")
        return str(getattr(item, name))

    @staticmethod
    def tooltip(item: PermitRow, name: str) -> str | None:
        if name == "business" and item.multi_sign:
            return _tr("{0}（另有 {1} 块招牌）").format(item.business, item.other_signs)
        if name in ("number", "business", "location"):
            return PermitTableModel.text(item, name)
        if name == "state":
            if item.lapsed:
                return _tr("许可期限已于 {0} 届满，尚未登记到期或拆除").format(item.end_date)
            if item.reminder is not None:
                return _tr("还有 {0} 天到期").format(item.days_left)
            return item.decision_reason or item.removal_reason or None
        if name == "safety" and item.last_check_date:
            return _tr("最近一次检查：{0}").format(item.last_check_date)
        return None


def days_text(end: dt.date | None, today: dt.date) -> str:
    if end is None:
        return "—"
    left = (end - today).days
    return _tr("已过期 {0} 天").format(-left) if left < 0 else _tr("剩 {0} 天").format(left)
