"""系统设置 → 法律依据: the library notices cite; entries must be confirmed before use."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError
from desktop.domain.legal import LegalBasisRow

from . import finding_operations, prompts
from .context import AppContext
from .legal_basis_dialog import LegalBasisDialog

UNCONFIRMED = (QColor(255, 244, 196), QColor(109, 76, 0))
RETIRED = QColor(140, 140, 140)
_ID = Qt.ItemDataRole.UserRole


class LegalBasisPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rows: list[LegalBasisRow] = []
        self._categories: list[str] = []
        self._selected_id: int | None = None
        help_label = QLabel(self.tr("通知书只能引用已确认的条目。黄色为尚未确认的条目：请管理员逐条核对"
                                    "原文后点“确认”；条文修改后须重新确认。"))
        help_label.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("法律法规"), self.tr("条款"), self.tr("内容"),
                                              self.tr("罚则"), self.tr("适用类别"), self.tr("已确认")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        metrics = self.fontMetrics()
        for column, sample in ((0, "《城市市容和环境卫生管理条例》"), (1, "第四十九条第二款"),
                               (4, "占道经营、店外经营"),
                               (5, "已确认")):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 16)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(3, metrics.horizontalAdvance("第三十六条第（二）项：……") + 16)
        self.new_button = QPushButton(self.tr("新增…"))
        self.edit_button = QPushButton(self.tr("编辑…"))
        self.confirm_button = QPushButton(self.tr("确认"))
        self.confirm_button.setToolTip(self.tr("核对原文无误后确认，通知书才能引用该条（管理员）"))
        self.unconfirm_button = QPushButton(self.tr("撤销确认"))
        self.retired_check = QCheckBox(self.tr("显示已停用"))
        self.status_label = QLabel()
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.confirm_button,
                       self.unconfirm_button):
            buttons.addWidget(button)
        buttons.addWidget(self.retired_check)
        buttons.addWidget(self.status_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(help_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.new_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.confirm_button.clicked.connect(lambda: self.confirm(True))
        self.unconfirm_button.clicked.connect(lambda: self.confirm(False))
        self.retired_check.toggled.connect(self._fill)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemActivated.connect(self.edit)
        self.reload()

    def reload(self) -> None:
        finding_operations.load_legal_entries(self._ctx, self._show, owner=self)
        finding_operations.load_categories(self._ctx, self._categories_loaded, owner=self)

    def _categories_loaded(self, categories: list[str]) -> None:
        self._categories = categories

    def _show(self, rows: list[LegalBasisRow]) -> None:
        self._rows = rows
        self._fill()

    def _fill(self) -> None:
        shown = [r for r in self._rows if r.active or self.retired_check.isChecked()]
        self.table.blockSignals(True)
        self.table.clearContents()
        self.table.setRowCount(len(shown))
        for r, row in enumerate(shown):
            values = [row.law_title, row.article, row.text, row.penalty, "、".join(row.categories),
                      self.tr("是") if row.confirmed else self.tr("否")]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(_ID, row.id)
                item.setToolTip(text if c < 5 else "")
                if not row.active:
                    item.setForeground(QBrush(RETIRED))
                elif not row.confirmed:
                    item.setBackground(QBrush(UNCONFIRMED[0]))
                    item.setForeground(QBrush(UNCONFIRMED[1]))
                if c == 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        unconfirmed = sum(1 for r in self._rows if r.active and not r.confirmed)
        self.status_label.setText(self.tr("共 {0} 条，{1} 条待确认").format(len(shown), unconfirmed))
        row_index = next((i for i, r in enumerate(shown) if r.id == self._selected_id), None)
        if row_index is not None:
            self.table.selectRow(row_index)
        self._update_buttons()

    def _selection_changed(self) -> None:
        row = self.selected()
        self._selected_id = row.id if row else None
        self._update_buttons()

    def selected(self) -> LegalBasisRow | None:
        items = self.table.selectedItems()
        if not items:
            return None
        basis_id = items[0].data(_ID)
        return next((r for r in self._rows if r.id == basis_id), None)

    def select(self, basis_id: int) -> None:
        self._selected_id = basis_id
        self._fill()

    def _update_buttons(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.confirm_button.setEnabled(row is not None and row.active and not row.confirmed)
        self.unconfirm_button.setEnabled(row is not None and row.confirmed)

    def row_texts(self) -> list[list[str]]:
        """What the table shows, row by row (for tests)."""
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    # --- changes --------------------------------------------------------------------------

    def add(self) -> LegalBasisDialog:
        return self._open(None)

    def edit(self) -> LegalBasisDialog | None:
        row = self.selected()
        return self._open(row) if row is not None else None

    def _open(self, row: LegalBasisRow | None) -> LegalBasisDialog:
        dialog = LegalBasisDialog(self._ctx, row, self._categories, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda saved: self.select(saved.id))
        dialog.open()
        return dialog

    def confirm(self, confirmed: bool) -> None:
        row = self.selected()
        if row is None:
            return
        if confirmed:
            question = self.tr("确认{0}的条文和罚则与现行法规原文一致？\n确认后，通知书可以引用该条。")
        else:
            question = self.tr("撤销对{0}的确认？\n撤销后，新签发的通知书不能再引用该条（已签发的不受影响）。")
        if not prompts.confirm(self, self.tr("确认法律依据") if confirmed else self.tr("撤销确认"),
                               question.format(row.citation),
                               ok_text=self.tr("确认") if confirmed else self.tr("撤销确认")):
            return
        finding_operations.confirm_legal_entry(self._ctx, row, confirmed,
                                               lambda saved: self.select(saved.id),
                                               failed=self._refused, owner=self)

    def _refused(self, error: DomainError) -> None:
        prompts.show_error(self, self.tr("未完成"), error.message)
