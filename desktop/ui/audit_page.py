"""系统设置 → 审计日志: filter the log, read one entry in full, check the hash chain."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.audit import ChainReport

from . import prompts, user_operations
from .audit_details import AuditDetailsPanel, entity_label
from .audit_query import AuditFilters, AuditQuery
from .audit_table_model import SAMPLES, AuditTableModel
from .context import AppContext

SEARCH_DELAY_MS = 300
_GOOD = "color: #1b5e20;"
_BAD = "color: #c62828; font-weight: bold;"


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class AuditPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._stale = True
        self.user_combo = QComboBox()
        self.entity_combo = QComboBox()
        for combo in (self.user_combo, self.entity_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.date_check = QCheckBox(self.tr("日期"))
        today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addMonths(-1))
        self.to_edit = QDateEdit(today)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.search_edit = QLineEdit(placeholderText=self.tr("摘要、登录名或记录编号"))
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("用户")))
        filters.addWidget(self.user_combo)
        filters.addWidget(QLabel(self.tr("对象")))
        filters.addWidget(self.entity_combo)
        filters.addWidget(self.date_check)
        filters.addWidget(self.from_edit)
        filters.addWidget(QLabel("—"))
        filters.addWidget(self.to_edit)
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.count_label)

        self.model = AuditTableModel(ctx, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        metrics = self.fontMetrics()
        for column, sample in enumerate(SAMPLES[:-1]):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(len(SAMPLES) - 1, QHeaderView.ResizeMode.Stretch)
        self.details = AuditDetailsPanel()
        self.details.setMinimumWidth(260)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("audit")
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setCollapsible(0, False)

        self.verify_button = QPushButton(self.tr("校验哈希链"))
        self.verify_button.setToolTip(self.tr(
            "逐条核对审计日志的哈希链：若有人绕过本程序改动或删除过记录，会指出第一条被改动的记录"))
        self.verify_label = QLabel()
        self.verify_label.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.verify_label, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.apply_filters)
        for combo in (self.user_combo, self.entity_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.date_check.toggled.connect(self._date_toggled)
        self.from_edit.dateChanged.connect(self.apply_filters)
        self.to_edit.dateChanged.connect(self.apply_filters)
        self.model.loaded.connect(self._loaded)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.verify_button.clicked.connect(self.verify_chain)
        ctx.hub.ledger_changed.connect(self._on_changed)
        self._date_toggled(False)

    # --- loading --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _on_changed(self, _kinds: frozenset[str]) -> None:
        # Every change writes the log, so any announcement makes it stale.
        self._stale = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        self._stale = False
        user_operations.load_audit_filters(self._ctx, self._filters_loaded, owner=self)

    def _filters_loaded(self, filters: AuditFilters) -> None:
        self.model.names = dict(filters.users)
        for combo, everyone, items in (
                (self.user_combo, self.tr("全部用户"),
                 [(self.model.user_text(login), login) for login, _name in filters.users]),
                (self.entity_combo, self.tr("全部对象"),
                 [(entity_label(e), e) for e in filters.entities])):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, "")
            for text, value in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        self.apply_filters()

    def current_query(self) -> AuditQuery:
        dated = self.date_check.isChecked()
        return AuditQuery(
            user=str(self.user_combo.currentData() or ""),
            entity=str(self.entity_combo.currentData() or ""),
            date_from=_date(self.from_edit.date()) if dated else None,
            date_to=_date(self.to_edit.date()) if dated else None,
            text=self.search_edit.text().strip())

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self.count_label.setText(self.tr("正在查询…"))
        self.model.set_query(self.current_query())

    def _date_toggled(self, on: bool) -> None:
        self.from_edit.setEnabled(on)
        self.to_edit.setEnabled(on)
        if self.isVisible():
            self.apply_filters()

    def _loaded(self) -> None:
        self.count_label.setText(self.tr("共 {0} 条").format(f"{self.model.total:,}"))
        if self.model.total:
            self.table.selectRow(0)
        else:
            self.details.show_entry(None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        self.details.show_entry(row, self.model.user_text(row.user) if row else "")

    # --- the hash chain -------------------------------------------------------------------

    def verify_chain(self) -> None:
        self.verify_button.setEnabled(False)
        self.verify_label.setStyleSheet("")
        self.verify_label.setText(self.tr("正在校验，记录多时需要一些时间…"))
        user_operations.verify_audit_chain(self._ctx, self._verified, owner=self)

    def _verified(self, report: ChainReport) -> None:
        self.verify_button.setEnabled(True)
        intact = report.broken_at is None
        self.verify_label.setStyleSheet(_GOOD if intact else _BAD)
        self.verify_label.setText(("✓ " if intact else "✗ ") + report.message)
        if not intact:
            prompts.show_error(self, self.tr("审计日志被改动过"), self.tr(
                "{0}。\n\n这说明有人绕过本程序直接改动或删除了数据库中的记录。"
                "请保留现状，报告系统管理员，并从改动前的备份中核对。").format(report.message))
