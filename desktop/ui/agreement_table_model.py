"""The 门前三包 tables: agreements, or businesses still to sign, paged in from SQL on demand."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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

from desktop.domain.agreements import AgreementQuery, AgreementRow
from desktop.domain.businesses import BusinessRow

from . import operations
from .context import AppContext
from .operations import AgreementBatch, PageBatch

PAGE_SIZE = 200
MAX_CACHED_PAGES = 25
REFRESH_PAGES = 3
PLACEHOLDER = "…"

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
R = TypeVar("R", AgreementRow, BusinessRow)
Arrived = Callable[[int | None, dict[int, list[Any]]], None]


@dataclass(frozen=True)
class Column:
    field: str
    title: object  # QT_TRANSLATE_NOOP source text in the "AgreementTableModel" context
    sample: str  # a typical long value: sets the default width in the current font


def _c(field_: str, title: object, sample: str) -> Column:
    return Column(field_, title, sample)


AGREEMENT_COLUMNS: tuple[Column, ...] = (
    _c("number", QT_TRANSLATE_NOOP("AgreementTableModel", "编号"), "安平街门前三包〔2026〕第0001号"),
    _c("business", QT_TRANSLATE_NOOP("AgreementTableModel", "商户"), "万家手机维修(西岭街店)"),
    _c("operator", QT_TRANSLATE_NOOP("AgreementTableModel", "经营者"), "欧阳秀英"),
    _c("address", QT_TRANSLATE_NOOP("AgreementTableModel", "地址"), "南门大街385号"),
    _c("community", QT_TRANSLATE_NOOP("AgreementTableModel", "社区"), "解放路社区"),
    _c("grid", QT_TRANSLATE_NOOP("AgreementTableModel", "网格"), "东湖一网格"),
    _c("start_date", QT_TRANSLATE_NOOP("AgreementTableModel", "开始"), "2026-10-01"),
    _c("end_date", QT_TRANSLATE_NOOP("AgreementTableModel", "结束"), "2026-10-01"),
    _c("state", QT_TRANSLATE_NOOP("AgreementTableModel", "状态"), "即将到期"),
)
UNSIGNED_COLUMNS: tuple[Column, ...] = (
    _c("name", QT_TRANSLATE_NOOP("AgreementTableModel", "商户"), "万家手机维修(西岭街店)"),
    _c("operator", QT_TRANSLATE_NOOP("AgreementTableModel", "经营者"), "欧阳秀英"),
    _c("phone", QT_TRANSLATE_NOOP("AgreementTableModel", "联系电话"), "0571-88886666"),
    _c("address", QT_TRANSLATE_NOOP("AgreementTableModel", "地址"), "南门大街385号"),
    _c("category", QT_TRANSLATE_NOOP("AgreementTableModel", "行业类别"), "美容美发"),
    _c("community", QT_TRANSLATE_NOOP("AgreementTableModel", "社区"), "解放路社区"),
    _c("grid", QT_TRANSLATE_NOOP("AgreementTableModel", "网格"), "解放路一网格"),
)
_CENTRED = {"start_date", "end_date", "state", "category"}
# Background and text per state: amber for expiring, red for lapsed, grey for drafts.
STATE_COLOURS: dict[str, tuple[QColor | None, QColor]] = {
    "expiring": (QColor(255, 236, 179), QColor(110, 76, 0)),
    "expired": (QColor(255, 214, 214), QColor(183, 28, 28)),
    "draft": (None, QColor(117, 117, 117)),
    "terminated": (None, QColor(117, 117, 117)),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("AgreementTableModel", text)


@dataclass(frozen=True)
class UnsignedQuery:
    at: dt.date = field(default_factory=dt.date.today)
    community_id: int | None = None
    grid_id: int | None = None


class _PagedModel(QAbstractTableModel, Generic[R]):
    """A total and a cache page → rows; an answer for an older query is dropped on arrival."""

    loaded = Signal()  # a new query or a refresh has arrived
    page_loaded = Signal(int)
    columns: tuple[Column, ...] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._total = 0
        self._pages: OrderedDict[int, list[R]] = OrderedDict()
        self._requested: set[int] = set()
        self._generation = 0
        self._started = False
        self.loading = False

    def _fetch(self, pages: Sequence[int], with_total: bool, arrived: Arrived) -> None:
        raise NotImplementedError

    def _cell(self, item: R, column: Column, role: int) -> Any:
        raise NotImplementedError

    # --- state ----------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return self._total

    def row_at(self, row: int) -> R | None:
        rows = self._pages.get(row // PAGE_SIZE)
        if rows is None:
            return None
        offset = row % PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def row_of(self, item_id: int) -> int | None:
        """The row of a record, if its page is loaded."""
        for page, rows in self._pages.items():
            for offset, item in enumerate(rows):
                if item.id == item_id:
                    return page * PAGE_SIZE + offset
        return None

    # --- loading --------------------------------------------------------------------------

    def _start(self) -> None:
        self._started = True
        self._generation += 1
        self.loading = True
        generation = self._generation
        self._fetch([0], True, lambda total, pages: self._replace(generation, total or 0, pages))

    def refresh(self) -> None:
        """Reload in place: keeps row positions when the count did not change."""
        if not self._started:
            return
        self._generation += 1
        generation = self._generation
        recent = sorted(list(self._pages)[-REFRESH_PAGES:] or [0])
        self._fetch(recent, True, lambda total, pages: self._refreshed(generation, total or 0, pages))

    def _replace(self, generation: int, total: int, pages: dict[int, list[R]]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._total = total
        self._pages = OrderedDict(pages)
        self._requested.clear()
        self.endResetModel()
        self.loading = False
        self.loaded.emit()

    def _refreshed(self, generation: int, total: int, pages: dict[int, list[R]]) -> None:
        if generation != self._generation:
            return
        if total != self._total:
            self._replace(generation, total, pages)
            return
        self._pages = OrderedDict(pages)
        self._requested.clear()
        if self._total:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self._total - 1, len(self.columns) - 1))
        self.loaded.emit()

    def _request_page(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        generation = self._generation
        self._fetch([page], False,
                    lambda _total, pages: self._page_arrived(generation, page, pages[page]))

    def _page_arrived(self, generation: int, page: int, rows: list[R]) -> None:
        if generation != self._generation:
            return
        self._pages[page] = rows
        while len(self._pages) > MAX_CACHED_PAGES:
            evicted, _ = self._pages.popitem(last=False)
            self._requested.discard(evicted)
        first = page * PAGE_SIZE
        last = min(self._total, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))
        self.page_loaded.emit(page)

    # --- Qt model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(str(self.columns[section].title))
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
        self._pages.move_to_end(page)
        offset = index.row() % PAGE_SIZE
        if offset >= len(rows):
            return None
        item = rows[offset]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column.field in _CENTRED:
            return Qt.AlignmentFlag.AlignCenter
        return self._cell(item, column, role)


class AgreementTableModel(_PagedModel[AgreementRow]):
    columns = AGREEMENT_COLUMNS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._query = AgreementQuery()

    @property
    def query(self) -> AgreementQuery:
        return self._query

    def set_query(self, query: AgreementQuery) -> None:
        self._query = query
        self._start()

    def _fetch(self, pages: Sequence[int], with_total: bool, arrived: Arrived) -> None:
        def done(batch: AgreementBatch) -> None:
            arrived(batch.total, dict(batch.pages))

        operations.load_agreement_pages(self._ctx, self._query, pages, PAGE_SIZE, done,
                                        with_total=with_total, owner=self)

    def _cell(self, item: AgreementRow, column: Column, role: int) -> Any:
        name = column.field
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, name)
        if role == Qt.ItemDataRole.ToolTipRole:
            if name == "state" and item.state == "terminated" and item.terminated_reason:
                return _tr("终止原因：{0}").format(item.terminated_reason)
            if name in ("business", "address", "number"):
                return self.text(item, name)
            return None
        colours = STATE_COLOURS.get(item.state)
        if colours is None:
            return None
        background, foreground = colours
        if role == Qt.ItemDataRole.ForegroundRole and (name == "state" or background is None):
            return QBrush(foreground)
        if role == Qt.ItemDataRole.BackgroundRole and name == "state" and background is not None:
            return QBrush(background)
        return None

    @staticmethod
    def text(item: AgreementRow, name: str) -> str:
        if name == "number":
            return item.number or _tr("（草稿）")
        if name == "state":
            return _tr(item.state_label)
        if name in ("start_date", "end_date"):
            day = getattr(item, name)
            return day.isoformat() if day else "—"
        return str(getattr(item, name))


class UnsignedTableModel(_PagedModel[BusinessRow]):
    """Businesses that must sign and hold no valid agreement on the query's date."""

    columns = UNSIGNED_COLUMNS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._query = UnsignedQuery()

    @property
    def query(self) -> UnsignedQuery:
        return self._query

    def set_query(self, query: UnsignedQuery) -> None:
        self._query = query
        self._start()

    def _fetch(self, pages: Sequence[int], with_total: bool, arrived: Arrived) -> None:
        q = self._query

        def done(batch: PageBatch) -> None:
            arrived(batch.total, dict(batch.pages))

        operations.load_unsigned_pages(self._ctx, q.at, q.community_id, q.grid_id, pages,
                                       PAGE_SIZE, done, owner=self)

    def _cell(self, item: BusinessRow, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(getattr(item, column.field))
        if role == Qt.ItemDataRole.ToolTipRole and column.field in ("name", "address"):
            return str(getattr(item, column.field))
        return None
