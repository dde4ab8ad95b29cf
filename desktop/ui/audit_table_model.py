"""The audit log table: newest first, paged in from SQL as the clerk scrolls."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QWidget

from . import user_operations
from .audit_details import action_label, entity_label
from .audit_query import AuditQuery, AuditRow
from .context import AppContext
from .user_operations import AuditBatch

PAGE_SIZE = 200
MAX_CACHED_PAGES = 20
PLACEHOLDER = "…"
HEADERS = ("时间", "用户", "操作", "对象", "摘要")
SAMPLES = ("2026-10-01 08:00:00", "王小明（wangxm）", "取消确认", "门前三包责任书 #12345", "")

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def _tr(text: str) -> str:
    return QCoreApplication.translate("AuditTableModel", text)


class AuditTableModel(QAbstractTableModel):
    loaded = Signal()  # a new query has arrived: total and first page known

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._query = AuditQuery()
        self._total = 0
        self._pages: OrderedDict[int, list[AuditRow]] = OrderedDict()
        self._requested: set[int] = set()
        self._generation = 0
        self.names: dict[str, str] = {}  # login → display name
        self.loading = False

    @property
    def total(self) -> int:
        return self._total

    @property
    def query(self) -> AuditQuery:
        return self._query

    def row_at(self, row: int) -> AuditRow | None:
        rows = self._pages.get(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return rows[offset] if rows is not None and offset < len(rows) else None

    def user_text(self, login: str) -> str:
        name = self.names.get(login)
        if not login:
            return _tr("（系统）")
        return f"{name}（{login}）" if name and name != login else login

    def set_query(self, query: AuditQuery) -> None:
        self._query = query
        self._generation += 1
        generation = self._generation
        self.loading = True
        user_operations.load_audit_pages(self._ctx, query, [0], PAGE_SIZE,
                                         lambda batch: self._replace(generation, batch), owner=self)

    def refresh(self) -> None:
        self.set_query(self._query)

    def _replace(self, generation: int, batch: AuditBatch) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._total = batch.total or 0
        self._pages = OrderedDict(batch.pages)
        self._requested.clear()
        self.endResetModel()
        self.loading = False
        self.loaded.emit()

    def _request_page(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        generation = self._generation
        user_operations.load_audit_pages(
            self._ctx, self._query, [page], PAGE_SIZE,
            lambda batch: self._page_arrived(generation, page, batch), with_total=False,
            owner=self)

    def _page_arrived(self, generation: int, page: int, batch: AuditBatch) -> None:
        if generation != self._generation:
            return
        self._pages[page] = batch.pages[page]
        while len(self._pages) > MAX_CACHED_PAGES:
            evicted, _ = self._pages.popitem(last=False)
            self._requested.discard(evicted)
        first = page * PAGE_SIZE
        last = min(self._total, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(HEADERS) - 1))

    # --- Qt model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(HEADERS[section])
        return None

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
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(item, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None

    def _text(self, item: AuditRow, column: int) -> str:
        if column == 0:
            return f"{item.at:%Y-%m-%d %H:%M:%S}"
        if column == 1:
            return self.user_text(item.user)
        if column == 2:
            return action_label(item.action)
        if column == 3:
            return entity_label(item.entity) + (f" #{item.entity_id}" if item.entity_id else "")
        return item.summary
