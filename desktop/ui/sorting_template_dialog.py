"""The admin's editor of the scored checklists: one per site type, saved as a new version so
checks already made keep the version they were scored on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError
from desktop.domain.sorting_templates import (
    GROUPS,
    SITE_TYPES,
    ItemInput,
    TemplateInput,
    TemplateRow,
)

from . import prompts, sorting_operations
from .context import AppContext
from .window_state import RememberingDialog

GROUP, TEXT, CRITERIA, MAX, DEDUCT, VETO = range(6)


class TemplateDialog(RememberingDialog):
    """Shows the current version of each site type's checklist; 保存为新版本 stores an edit."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TemplateDialog")
        self.setWindowTitle(self.tr("垃圾分类检查表"))
        self._ctx = ctx
        self._versions: dict[str, list[TemplateRow]] = {}
        self._saving = False
        self.type_combo = QComboBox()
        for site_type in SITE_TYPES:
            self.type_combo.addItem(site_type, site_type)
        self.version_label = QLabel()
        self.version_label.setStyleSheet("color: #555;")
        self.title_edit = QLineEdit(maxLength=100)
        self.pass_spin = QDoubleSpinBox()
        self.pass_spin.setRange(1, 1000)
        self.pass_spin.setDecimals(1)
        self.pass_spin.setSuffix(self.tr(" 分"))
        self.total_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("点位类型")))
        top.addWidget(self.type_combo)
        top.addWidget(QLabel(self.tr("名称")))
        top.addWidget(self.title_edit, 1)
        top.addWidget(QLabel(self.tr("合格线")))
        top.addWidget(self.pass_spin)
        top.addWidget(self.total_label)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("类别"), self.tr("检查内容"), self.tr("评分标准"),
                                              self.tr("分值"), self.tr("扣分制"), self.tr("否决项")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CRITERIA, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        self.table.setColumnWidth(GROUP, metrics.horizontalAdvance("设施设置") + 30)
        for column in (MAX, DEDUCT, VETO):
            self.table.setColumnWidth(column, metrics.horizontalAdvance("扣分制") + 24)
        self.add_button = QPushButton(self.tr("添加检查项"))
        self.remove_button = QPushButton(self.tr("删除所选"))
        self.up_button = QPushButton(self.tr("上移"))
        self.down_button = QPushButton(self.tr("下移"))
        self.save_button = QPushButton(self.tr("保存为新版本"))
        self.close_button = QPushButton(self.tr("关闭"))
        note = QLabel(self.tr("保存后生成新版本，之后的检查按新版本评分；已录入的检查仍按原版本，结果不变。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.version_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addLayout(buttons)
        self.resize(1000, 620)

        self.type_combo.currentIndexChanged.connect(self._show_current)
        self.table.itemChanged.connect(self._update_total)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.reload()

    def reload(self) -> None:
        sorting_operations.load_template_versions(self._ctx, self._loaded, owner=self)

    def _loaded(self, versions: dict[str, list[TemplateRow]]) -> None:
        self._versions = versions
        self._show_current()

    def current(self) -> TemplateRow | None:
        versions = self._versions.get(str(self.type_combo.currentData()), [])
        return versions[0] if versions else None

    def _show_current(self) -> None:
        template = self.current()
        if template is None:
            return
        history = "、".join(f"第{t.version_no}版（{t.created_at:%Y-%m-%d}）"
                           for t in self._versions[template.site_type])
        self.version_label.setText(self.tr("当前为第{0}版。历次版本：{1}").format(
            template.version_no, history))
        self.title_edit.setText(template.title)
        self.pass_spin.setValue(template.pass_score)
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for item in template.items:
            self._append(item.as_input())
        self.table.blockSignals(False)
        self._update_total()

    def _append(self, item: ItemInput, row: int | None = None) -> None:
        row = self.table.rowCount() if row is None else row
        self.table.insertRow(row)
        group = QComboBox()
        group.setEditable(True)
        group.addItems(list(GROUPS))
        group.setCurrentText(item.group)
        self.table.setCellWidget(row, GROUP, group)
        self.table.setItem(row, TEXT, QTableWidgetItem(item.text))
        self.table.setItem(row, CRITERIA, QTableWidgetItem(item.criteria))
        spin = QDoubleSpinBox()
        spin.setRange(0, 100)
        spin.setDecimals(1)
        spin.setValue(item.max_score)
        spin.valueChanged.connect(self._update_total)
        self.table.setCellWidget(row, MAX, spin)
        for column, checked in ((DEDUCT, item.deduct), (VETO, item.veto)):
            cell = QTableWidgetItem()
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsSelectable)
            cell.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.table.setItem(row, column, cell)

    def items(self) -> list[ItemInput]:
        out = []
        for row in range(self.table.rowCount()):
            group = self.table.cellWidget(row, GROUP)
            spin = self.table.cellWidget(row, MAX)
            assert isinstance(group, QComboBox) and isinstance(spin, QDoubleSpinBox)
            text, criteria = self.table.item(row, TEXT), self.table.item(row, CRITERIA)
            deduct, veto = self.table.item(row, DEDUCT), self.table.item(row, VETO)
            out.append(ItemInput(
                group.currentText(), text.text() if text else "", spin.value(),
                deduct is not None and deduct.checkState() == Qt.CheckState.Checked,
                veto is not None and veto.checkState() == Qt.CheckState.Checked,
                criteria.text() if criteria else ""))
        return out

    def current_input(self) -> TemplateInput:
        return TemplateInput(self.title_edit.text(), self.pass_spin.value(), self.items())

    def _update_total(self) -> None:
        total = sum(i.max_score for i in self.items())
        self.total_label.setText(self.tr("满分 {0:g} 分").format(total))
        self.total_label.setStyleSheet("" if total == 100 else "color: #8a5a00;")

    def _add(self) -> None:
        row = self.table.currentRow() + 1 if self.table.currentRow() >= 0 else self.table.rowCount()
        self._append(ItemInput(GROUPS[0], "", 1.0, True), row)
        self.table.setCurrentCell(row, TEXT)
        cell = self.table.item(row, TEXT)
        if cell is not None:
            self.table.editItem(cell)
        self._update_total()

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._update_total()

    def _move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        items = self.items()
        items[row], items[target] = items[target], items[row]
        self.table.setRowCount(0)
        for item in items:
            self._append(item)
        self.table.setCurrentCell(target, TEXT)

    def save(self) -> None:
        template = self.current()
        if template is None or self._saving:
            return
        self._saving = True
        self.save_button.setEnabled(False)
        sorting_operations.save_template(self._ctx, template.site_type, self.current_input(),
                                         template.version_no, self._saved, failed=self._refused,
                                         owner=self)

    def _saved(self, row: TemplateRow) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        prompts.show_info(self, self.tr("检查表"), self.tr("{0}检查表现为第{1}版。").format(
            row.site_type, row.version_no))
        self.reload()

    def _refused(self, error: DomainError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        prompts.show_error(self, self.tr("未保存"), error.message)
