"""The import wizard's mapping page: which column is which field, with a live preview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from desktop.io.excel_import import Analysis
from desktop.io.import_columns import FIELDS, Mapping
from desktop.io.import_rows import CleanRow

from .field_message import FieldMessage
from .import_summary_pages import compact

if TYPE_CHECKING:
    from .import_wizard import ImportWizard

ERROR_BRUSH = QBrush(QColor("#ffd7d5"))
NEW_BRUSH = QBrush(QColor("#fff4c4"))


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._analysis: Analysis | None = None
        self._combos: list[QComboBox] = []
        self.setTitle(self.tr("核对列的对应关系"))
        self.setSubTitle(self.tr("左边是文件中的列，右边选择导入到台账的哪一项；下方预览导入后的样子，"
                                 "红色为有问题、黄色为将新建的社区或网格。"))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels([self.tr("文件中的列"), self.tr("示例内容"),
                                                self.tr("导入为")])
        self.columns.verticalHeader().hide()
        self.columns.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.columns.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.default_community = QComboBox()
        compact(self.columns, extra=10)
        self.preview = QTableWidget(0, 0)
        compact(self.preview)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview_label = QLabel()
        self.error = FieldMessage()

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.columns)
        form = QFormLayout()
        form.addRow(self.tr("社区一栏为空时归入："), self.default_community)
        top_layout.addLayout(form)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.preview_label)
        bottom_layout.addWidget(self.preview)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("import-mapping")
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([260, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        self.default_community.currentIndexChanged.connect(self.refresh_preview)

    # --- filling --------------------------------------------------------------------------

    def initializePage(self) -> None:
        analysis = self._wizard.analysis
        if analysis is None or analysis is self._analysis:
            return
        self._analysis = analysis
        self.note.setText(
            self.tr("已按上次确认的对应关系填好（表头相同的文件）。") if analysis.remembered
            else self.tr("已按列名自动识别，请核对；确认后下次导入表头相同的文件时会记住。"))
        self._fill_columns(analysis)
        self.default_community.blockSignals(True)
        self.default_community.clear()
        self.default_community.addItem(self.tr("（不指定，该行报错）"), "")
        for name in analysis.community_names:
            self.default_community.addItem(name, name)
        self.default_community.blockSignals(False)
        self.refresh_preview()

    def _fill_columns(self, analysis: Analysis) -> None:
        header = analysis.header
        self._combos = []
        visible = [c for c in range(len(header.texts)) if c not in header.hidden]
        self.columns.setRowCount(len(visible))
        for row, col in enumerate(visible):
            name = QTableWidgetItem(header.label(col))
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            sample = QTableWidgetItem("；".join(analysis.samples(col)))
            sample.setFlags(Qt.ItemFlag.ItemIsEnabled)
            combo = QComboBox()
            combo.addItem(self.tr("（不导入）"), "")
            for key, label in FIELDS.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(analysis.mapping.get(col, ""))))
            combo.setProperty("column", col)
            combo.currentIndexChanged.connect(self._combo_changed)
            self.columns.setItem(row, 0, name)
            self.columns.setItem(row, 1, sample)
            self.columns.setCellWidget(row, 2, combo)
            self._combos.append(combo)
        hidden = len(header.texts) - len(visible)
        if hidden:
            self.note.setText(self.note.text() + self.tr(" 文件中有 {0} 个隐藏列，不导入。").format(hidden))

    def _combo_changed(self) -> None:
        sender = self.sender()
        if isinstance(sender, QComboBox) and sender.currentData():
            # One column per field: the same field chosen elsewhere is cleared there.
            for combo in self._combos:
                if combo is not sender and combo.currentData() == sender.currentData():
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self.error.clear_message()
        self.refresh_preview()
        self.completeChanged.emit()

    def mapping(self) -> Mapping:
        return {int(c.property("column")): str(c.currentData()) for c in self._combos
                if c.currentData()}

    def default_community_name(self) -> str:
        return str(self.default_community.currentData() or "")

    def set_field(self, column: int, key: str) -> None:
        for combo in self._combos:
            if int(combo.property("column")) == column:
                combo.setCurrentIndex(max(0, combo.findData(key)))

    # --- preview --------------------------------------------------------------------------

    def refresh_preview(self) -> None:
        analysis = self._analysis
        if analysis is None:
            return
        mapping = self.mapping()
        rows = analysis.preview(mapping, default_community=self.default_community_name())
        keys = [k for k in FIELDS if k in mapping.values()]
        if "community" not in keys and self.default_community_name():
            keys.append("community")
        self.preview.clear()
        self.preview.setColumnCount(len(keys) + 1)
        self.preview.setHorizontalHeaderLabels([self.tr("问题")] + [FIELDS[k] for k in keys])
        self.preview.setRowCount(len(rows))
        bad = 0
        for r, row in enumerate(rows):
            bad += self._preview_row(r, row, keys)
        self.preview.setVerticalHeaderLabels([str(row.row) for row in rows])
        self.preview.resizeColumnsToContents()
        self.preview.setColumnWidth(0, min(self.preview.columnWidth(0), 260))
        self.preview_label.setText(
            self.tr("预览：前 {0} 行（左侧为表格中的行号），其中 {1} 行有问题。").format(len(rows), bad))

    def _preview_row(self, r: int, row: CleanRow, keys: list[str]) -> int:
        shown = row.display()
        problems = dict(row.errors)
        for c, key in enumerate(keys, start=1):
            # A value that failed shows as typed, so the clerk sees what is wrong with it.
            text = (row.raw.get(key) or shown[key]) if key in problems else shown[key]
            if key == "community" and row.community and row.community_id is None:
                text += self.tr("（新建）")
            if key == "grid" and row.new_grid:
                text += self.tr("（新建）")
            item = QTableWidgetItem(text)
            if key in problems:
                item.setBackground(ERROR_BRUSH)
                item.setToolTip(problems[key])
            elif text.endswith(self.tr("（新建）")):
                item.setBackground(NEW_BRUSH)
            self.preview.setItem(r, c, item)
        reasons = "；".join(message for _, message in row.errors)
        item = QTableWidgetItem(reasons or self.tr("正常"))
        if reasons:
            item.setForeground(QBrush(QColor("#c62828")))
            item.setToolTip(reasons)
        else:
            item.setForeground(QBrush(QColor("#2e7d32")))
        self.preview.setItem(r, 0, item)
        return 1 if row.errors else 0

    # --- leaving --------------------------------------------------------------------------

    def isComplete(self) -> bool:
        return "name" in self.mapping().values()

    def validatePage(self) -> bool:
        if "name" not in self.mapping().values():
            self.error.set_error(self.tr("请指定哪一列是商户名称"))
            return False
        return self._wizard.leave_mapping()

    def nextId(self) -> int:
        return self._wizard.after_mapping_id()
