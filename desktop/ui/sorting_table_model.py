"""The 垃圾分类 lists: checks and sites, paged in from SQL on demand."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from desktop.domain.sorting import CheckQuery, CheckRow
from desktop.domain.sorting_sites import SiteQuery, SiteRow

from . import sorting_operations
from .context import AppContext
from .sorting_operations import Batch

PAGE_SIZE = 200
MAX_CACHED_PAGES = 25
PLACEHOLDER = "…"
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
R = TypeVar("R", CheckRow, SiteRow)
Q = TypeVar("Q", CheckQuery, SiteQuery)


@dataclass(frozen=True)
class Column:
    field: str
    title: object  # QT_TRANSLATE_NOOP source text in the "SortingTableModel" context
    sample: str  # a typical long value: sets the default width


def _c(field_: str, title: object, sample: str) -> Column:
    return Column(field_, title, sample)


CHECK_COLUMNS = (
    _c("check_date", QT_TRANSLATE_NOOP("SortingTableModel", "检查日期"), "2026-10-01"),
    _c("site", QT_TRANSLATE_NOOP("SortingTableModel", "点位"), "锦绣花园（二期）小区"),
    _c("site_type", QT_TRANSLATE_NOOP("SortingTableModel", "类型"), "公共场所"),
    _c("community", QT_TRANSLATE_NOOP("SortingTableModel", "社区"), "东湖社区"),
    _c("grid", QT_TRANSLATE_NOOP("SortingTableModel", "网格"), "第一网格"),
    _c("total", QT_TRANSLATE_NOOP("SortingTableModel", "得分"), "100.5"),
    _c("state", QT_TRANSLATE_NOOP("SortingTableModel", "结果"), "不合格，复查不合格"),
    _c("deadline", QT_TRANSLATE_NOOP("SortingTableModel", "整改期限"), "2026-10-01"),
    _c("inspectors", QT_TRANSLATE_NOOP("SortingTableModel", "检查人员"), "张建华、李卫东"),
    _c("template_version", QT_TRANSLATE_NOOP("SortingTableModel", "检查表"), "第12版"),
)
SITE_COLUMNS = (
    _c("name", QT_TRANSLATE_NOOP("SortingTableModel", "点位"), "锦绣花园（二期）小区"),
    _c("site_type", QT_TRANSLATE_NOOP("SortingTableModel", "类型"), "公共场所"),
    _c("community", QT_TRANSLATE_NOOP("SortingTableModel", "社区"), "东湖社区"),
    _c("grid", QT_TRANSLATE_NOOP("SortingTableModel", "网格"), "第一网格"),
    _c("last_check", QT_TRANSLATE_NOOP("SortingTableModel", "最近检查"), "2026-10-01 100分 合格"),
    _c("address", QT_TRANSLATE_NOOP("SortingTableModel", "地址"), "人民路388号"),
    _c("responsible", QT_TRANSLATE_NOOP("SortingTableModel", "责任人"), "欧阳秀英"),
    _c("contact", QT_TRANSLATE_NOOP("SortingTableModel", "联系电话"), "13800138000"),
    _c("collection_points", QT_TRANSLATE_NOOP("SortingTableModel", "收集点"), "收集点"),
    _c("business", QT_TRANSLATE_NOOP("SortingTableModel", "关联商户"), "老王火锅店"),
)
_CENTRED = {"check_date", "site_type", "total", "deadline", "template_version", "collection_points"}
STATE_COLOURS = {
    "pending": (QColor(255, 236, 179), QColor(110, 76, 0)),
    "overdue": (QColor(255, 214, 214), QColor(183, 28, 28)),
    "recheck_failed": (QColor(255, 214, 214), QColor(183, 28, 28)),
    "rechecked": (None, QColor(117, 117, 117)),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("SortingTableModel", text)


class _PagedModel(QAbstractTableModel, Generic[R, Q]):
    """A total and a cache page → rows; an answer for an older query is dropped on arrival."""

    loaded = Signal()
    columns: tuple[Column, ...] = ()

    def __init__(self, ctx: AppContext, query: Q, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.query: Q = query
        self._total = 0
        self._pages: OrderedDict[int, list[R]] = OrderedDict()
        self._requested: set[int] = set()
        self._generation = 0

    def _fetch(self, pages: Sequence[int], with_total: bool, done: Callable[[Batch], None]) -> None:
        raise NotImplementedError

    def _text(self, item: R, name: str) -> str:
        raise NotImplementedError

    @property
    def total(self) -> int:
        return self._total

    def set_query(self, query: Q) -> None:
        self.query = query
        self.refresh()

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        self._fetch([0], True, lambda batch: self._replace(generation, batch))

    def _replace(self, generation: int, batch: Batch) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._total = batch.total or 0
        self._pages = OrderedDict(batch.pages)
        self._requested.clear()
        self.endResetModel()
        self.loaded.emit()

    def _page_arrived(self, generation: int, page: int, batch: Batch) -> None:
        if generation != self._generation:
            return
        self._pages[page] = batch.pages[page]
        while len(self._pages) > MAX_CACHED_PAGES:
            evicted, _ = self._pages.popitem(last=False)
            self._requested.discard(evicted)
        first = page * PAGE_SIZE
        last = min(self._total, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    def row_at(self, row: int) -> R | None:
        rows = self._pages.get(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return rows[offset] if rows is not None and offset < len(rows) else None

    def row_of(self, item_id: int) -> int | None:
        for page, rows in self._pages.items():
            for offset, item in enumerate(rows):
                if item.id == item_id:
                    return page * PAGE_SIZE + offset
        return None

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(str(self.columns[section].title))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        page = index.row() // PAGE_SIZE
        if page not in self._pages:
            if role == Qt.ItemDataRole.DisplayRole:
                if page not in self._requested:
                    self._requested.add(page)
                    generation = self._generation
                    self._fetch([page], False,
                                lambda batch: self._page_arrived(generation, page, batch))
                return PLACEHOLDER
            return None
        item = self.row_at(index.row())
        if item is None:
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, column.field)
        if role == Qt.ItemDataRole.ToolTipRole and column.field in ("site", "name", "address",
                                                                   "state", "last_check"):
            return self._text(item, column.field)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.field in _CENTRED:
            return Qt.AlignmentFlag.AlignCenter
        return self._colour(item, column.field, role)

    def _colour(self, item: R, name: str, role: int) -> Any:
        return None


class CheckTableModel(_PagedModel[CheckRow, CheckQuery]):
    columns = CHECK_COLUMNS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, CheckQuery(), parent)

    def _fetch(self, pages: Sequence[int], with_total: bool, done: Callable[[Batch], None]) -> None:
        sorting_operations.load_check_pages(self._ctx, self.query, pages, PAGE_SIZE, done,
                                            with_total=with_total, owner=self)

    def _text(self, item: CheckRow, name: str) -> str:
        if name == "check_date":
            return item.check_date.isoformat()  # a recheck says so in 结果
        if name == "total":
            return f"{item.total:g}"
        if name == "state":
            return _tr(item.state_label()) + (_tr("（否决项）") if item.vetoed else "")
        if name == "deadline":
            return item.deadline.isoformat() if item.deadline and item.pending else ""
        if name == "template_version":
            return _tr("第{0}版").format(item.template_version)
        return str(getattr(item, name))

    def _colour(self, item: CheckRow, name: str, role: int) -> Any:
        state = item.state()
        if role == Qt.ItemDataRole.ForegroundRole and name == "total" and not item.passed:
            return QBrush(QColor(183, 28, 28))
        colours = STATE_COLOURS.get(state)
        if colours is None or name != "state":
            return None
        background, foreground = colours
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(foreground)
        if role == Qt.ItemDataRole.BackgroundRole and background is not None:
            return QBrush(background)
        return None


class SiteTableModel(_PagedModel[SiteRow, SiteQuery]):
    columns = SITE_COLUMNS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, SiteQuery(), parent)

    def _fetch(self, pages: Sequence[int], with_total: bool, done: Callable[[Batch], None]) -> None:
        sorting_operations.load_site_pages(self._ctx, self.query, pages, PAGE_SIZE, done,
                                           with_total=with_total, owner=self)

    def _text(self, item: SiteRow, name: str) -> str:
        if name == "last_check":
            if item.last_check_date is None:
                return _tr("未检查")
            result = _tr("合格") if item.last_passed else _tr("不合格")
            return f"{item.last_check_date} {item.last_total:g}{_tr('分')} {result}"
        if name == "name" and not item.active:
            return item.name + _tr("（已停用）")
        return str(getattr(item, name))

    def _colour(self, item: SiteRow, name: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and (
                not item.active or (name == "last_check" and item.last_check_date is None)):
            return QBrush(QColor(117, 117, 117))
        if role == Qt.ItemDataRole.ForegroundRole and name == "last_check" and item.last_passed is False:
            return QBrush(QColor(183, 28, 28))
        return None
