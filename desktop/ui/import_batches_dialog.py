"""The list of recent imports, from which a whole batch can be undone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError
from desktop.io.import_batches import BatchInfo, UndoResult

from . import import_operations, prompts
from .context import AppContext
from .window_state import RememberingDialog

COLUMNS = ("批次", "导入时间", "文件", "导入人", "新增", "跳过", "状态")


class ImportBatchesDialog(RememberingDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ImportBatchesDialog")
        self.ctx = ctx
        self.batches: list[BatchInfo] = []
        self._busy = False
        self.setWindowTitle(self.tr("撤销导入"))
        self.resize(760, 420)
        note = QLabel(self.tr("撤销会删除该次导入新增的商户和责任书，并恢复导入时更新过的商户。"
                              "导入后又修改过的记录会阻止撤销，并说明是哪些。"))
        note.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.undo_button = QPushButton(self.tr("撤销所选批次…"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.undo_button.clicked.connect(self.undo_selected)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.reload()

    def reload(self) -> None:
        import_operations.load_batches(self.ctx, self._loaded, owner=self)

    def _loaded(self, batches: list[BatchInfo]) -> None:
        self.batches = batches
        self.table.setRowCount(len(batches))
        for row, b in enumerate(batches):
            state = (self.tr("已于 {0} 撤销").format(f"{b.undone_at:%Y-%m-%d %H:%M}")
                     if b.undone_at else self.tr("有效"))
            for col, text in enumerate((str(b.id), f"{b.created_at:%Y-%m-%d %H:%M}", b.file_name,
                                        b.created_by, f"{b.imported:,}", f"{b.skipped:,}", state)):
                item = QTableWidgetItem(text)
                if col in (0, 4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self._update_button()

    def selected(self) -> BatchInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.batches[rows[0].row()] if rows else None

    def _update_button(self) -> None:
        batch = self.selected()
        self.undo_button.setEnabled(not self._busy and batch is not None and batch.undone_at is None)

    def undo_selected(self) -> None:
        batch = self.selected()
        if batch is None or batch.undone_at is not None or self._busy:
            return
        if not prompts.confirm(self, self.tr("撤销导入"), self.tr(
                "撤销第 {0} 批导入（{1}，新增 {2} 家）吗？\n\n该批新增的商户和责任书将被删除，"
                "导入时更新过的商户恢复原样。").format(batch.id, batch.file_name, batch.imported),
                ok_text=self.tr("撤销导入")):
            return
        self._busy = True
        self._update_button()
        import_operations.undo_import(self.ctx, batch.id, self._undone, failed=self._refused,
                                      owner=self)

    def _undone(self, result: UndoResult) -> None:
        self._busy = False
        prompts.show_info(self, self.tr("撤销导入"), self.tr(
            "已撤销第 {0} 批导入：删除商户 {1} 家、责任书 {2} 份，恢复 {3} 家。").format(
            result.batch, result.businesses, result.agreements, result.restored))
        self.reload()

    def _refused(self, error: DomainError) -> None:
        self._busy = False
        self._update_button()
        prompts.show_error(self, self.tr("无法撤销"), error.message)
