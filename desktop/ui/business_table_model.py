"""The ledger table: rows paged in from SQL on demand, sorted in SQL, never all in memory."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

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

from desktop.domain.businesses import BusinessQuery, BusinessRow

from . import operations
from .context import AppContext
from .operations import PageBatch

PAGE_SIZE = 200
MAX_CACHED_PAGES = 25
REFRESH_PAGES = 3  # pages reloaded in place on a refresh: the ones the clerk was looking at
PLACEHOLDER = "…"

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True)
class Column:
    field: str
    title: object  # QT_TRANSLATE_NOOP source text, translated when shown
    sample: str  # a typical long value: sets the default width in the current font
    sort: str | None


COLUMNS: tuple[Column, ...] = (
    Column("name", QT_TRANSLATE_NOOP("BusinessTableModel", "名称"), "万家手机维修(西岭街店)", "name"),
    Column("credit_code", QT_TRANSLATE_NOOP("BusinessTableModel", "统一社会信用代码"), "91330106MA2AXXXX1X", "credit_code"),
    Column("operator", QT_TRANSLATE_NOOP("BusinessTableModel", "经营者"), "欧阳秀英", "operator"),
    Column("phone", QT_TRANSLATE_NOOP("BusinessTableModel", "联系电话"), "0571-88886666", "phone"),
    Column("address", QT_TRANSLATE_NOOP("BusinessTableModel", "地址"), "南门大街385号", "address"),
    Column("category", QT_TRANSLATE_NOOP("BusinessTableModel", "行业类别"), "美容美发", "category"),
    Column("community", QT_TRANSLATE_NOOP("BusinessTableModel", "社区"), "解放路社区", "community"),
    Column("grid", QT_TRANSLATE_NOOP("BusinessTableModel", "网格"), "解放路一网格", "grid"),
    Column("status", QT_TRANSLATE_NOOP("BusinessTableModel", "经营状态"), "经营状态", "status"),
    Column("licence_displayed", QT_TRANSLATE_NOOP("BusinessTableModel", "亮照"), "亮照", None),
)
_CENTRED = {"status", "licence_displayed", "category"}
_INACTIVE = QBrush(QColor(128, 128, 128))
_LEGACY = QBrush(QColor(255, 244, 196))


def _tr(text: str) -> str:
    return QCoreApplication.translate("BusinessTableModel", text)


class BusinessTableModel(QAbstractTableModel):
    """Holds the query, the total and a cache page → rows; missing pages load asynchronously.

    Every load carries the generation it was asked in; an answer for an older query
    (the clerk typed on, or sorted again) is dropped when it arrives.
    """

    loaded = Signal()  # a new query or a refresh has arrived; total and first rows known
    page_loaded = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._query = BusinessQuery()
        self._total = 0
        self._pages: OrderedDict[int, list[BusinessRow]] = OrderedDict()
        self._requested: set[int] = set()
        self._generation = 0
        self._started = False
        self.loading = False

    # --- state ----------------------------------------------------------------------------

    @property
    def query(self) -> BusinessQuery:
        return self._query

    @property
    def total(self) -> int:
        return self._total

    def is_page_loaded(self, page: int) -> bool:
        return page in self._pages

    def row_at(self, row: int) -> BusinessRow | None:
        rows = self._pages.get(row // PAGE_SIZE)
        if rows is None:
            return None
        offset = row % PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def row_of(self, business_id: int) -> int | None:
        """The row of a business, if its page is loaded."""
        for page, rows in self._pages.items():
            for offset, item in enumerate(rows):
                if item.id == business_id:
                    return page * PAGE_SIZE + offset
        return None

    def sort_column(self) -> int:
        return next((i for i, c in enumerate(COLUMNS) if c.sort == self._query.sort), 0)

    # --- loading --------------------------------------------------------------------------

    def set_query(self, query: BusinessQuery) -> None:
        """Start over with a new query: count and first page in one job."""
        self._query = query
        self._started = True
        self._generation += 1
        self.loading = True
        generation = self._generation
        operations.load_business_pages(
            self._ctx, query, [0], PAGE_SIZE,
            lambda batch: self._replace(generation, batch), owner=self)

    def refresh(self) -> None:
        """Reload in place: keeps row positions when the count did not change."""
        if not self._started:
            return
        self._generation += 1
        generation = self._generation
        recent = list(self._pages)[-REFRESH_PAGES:] or [0]
        operations.load_business_pages(
            self._ctx, self._query, sorted(recent), PAGE_SIZE,
            lambda batch: self._refreshed(generation, batch), owner=self)

    def _replace(self, generation: int, batch: PageBatch) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._total = batch.total
        self._pages = OrderedDict(batch.pages)
        self._requested.clear()
        self.endResetModel()
        self.loading = False
        self.loaded.emit()

    def _refreshed(self, generation: int, batch: PageBatch) -> None:
        if generation != self._generation:
            return
        if batch.total != self._total:
            self._replace(generation, batch)
            return
        self._pages = OrderedDict(batch.pages)
        self._requested.clear()
        if self._total:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self._total - 1, len(COLUMNS) - 1))
        self.loaded.emit()

    def _request_page(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        generation = self._generation
        operations.load_business_page(
            self._ctx, self._query, page, PAGE_SIZE,
            lambda rows: self._page_arrived(generation, page, rows), owner=self)

    def _page_arrived(self, generation: int, page: int, rows: list[BusinessRow]) -> None:
        if generation != self._generation:
            return
        self._pages[page] = rows
        while len(self._pages) > MAX_CACHED_PAGES:
            evicted, _ = self._pages.popitem(last=False)
            self._requested.discard(evicted)
        first = page * PAGE_SIZE
        last = min(self._total, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.page_loaded.emit(page)

    # --- Qt model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(str(COLUMNS[section].title))
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if COLUMNS[section].sort is None:
                return _tr("此列不能排序")
            return _tr("点击按此列排序")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        page = index.row() // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._request_page(page)
                return PLACEHOLDER
            return None
        self._pages.move_to_end(page)  # most recently looked at: kept longest
        offset = index.row() % PAGE_SIZE
        if offset >= len(rows):
            return None
        item = rows[offset]
        field = COLUMNS[index.column()].field
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, field)
        if role == Qt.ItemDataRole.ToolTipRole:
            if field == "credit_code" and item.legacy_code:
                return _tr("旧的15位工商注册号，换照后请补录统一社会信用代码")
            if not item.active:
                return _tr("已移出台账（经营状态：{0}）").format(item.status)
            return self._text(item, field) if field in ("name", "address") else None
        if role == Qt.ItemDataRole.ForegroundRole and not item.active:
            return _INACTIVE
        if role == Qt.ItemDataRole.BackgroundRole and field == "credit_code" and item.legacy_code:
            return _LEGACY
        if role == Qt.ItemDataRole.TextAlignmentRole and field in _CENTRED:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None

    @staticmethod
    def _text(item: BusinessRow, field: str) -> str:
        if field == "licence_displayed":
            return _tr("是") if item.licence_displayed else _tr("否")
        if field == "status" and not item.active:
            return _tr("已移出")  # the status it had is in the tooltip and the details
        return str(getattr(item, field))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Header clicks sort in SQL; columns without a sort key are ignored."""
        key = COLUMNS[column].sort
        if key is None:
            return
        query = self._query.with_sort(key, order == Qt.SortOrder.DescendingOrder)
        if query == self._query:
            return
        if self._started:
            self.set_query(query)
        else:
            self._query = query
