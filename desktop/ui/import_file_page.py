"""The import wizard's first page: the file, its sheet and where its header is."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from desktop.domain.errors import DomainError
from desktop.io.excel_import import Analysis
from desktop.io.import_columns import HEADER_SCAN_ROWS

from . import import_operations, import_prompts
from .field_message import FieldMessage

if TYPE_CHECKING:
    from .import_wizard import ImportWizard


def _left(widget: QWidget, note: str = "") -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(widget)
    if note:
        row.addWidget(QLabel(note))
    row.addStretch(1)
    return row


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.analysis: Analysis | None = None
        self._generation = 0
        self._filling = False
        self.setTitle(self.tr("选择要导入的台账文件"))
        self.setSubTitle(self.tr("支持 Excel（.xlsx、.xls）、WPS/LibreOffice（.ods）和 CSV 文件。"
                                 "标题行、合并的社区单元格、空行和合计行会自动识别。"))
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("请点“浏览…”选择文件"))
        self.browse_button = QPushButton(self.tr("浏览…"))
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumContentsLength(16)
        self.header_spin = QSpinBox()
        self.header_spin.setRange(0, HEADER_SCAN_ROWS)
        self.header_spin.setSpecialValueText(self.tr("自动"))
        self.header_spin.setPrefix(self.tr("第 "))
        self.header_spin.setSuffix(self.tr(" 行"))
        self.header_spin.setMinimumWidth(110)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = FieldMessage()
        self.undo_button = QPushButton(self.tr("撤销以前的导入…"))

        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("文件："), row)
        form.addRow(self.tr("工作表："), _left(self.sheet_combo))
        form.addRow(self.tr("表头所在行："), _left(self.header_spin, self.tr("（“自动”会在前 30 行中查找）")))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.undo_button)
        bottom.addStretch(1)
        layout.addLayout(bottom)

        self.browse_button.clicked.connect(self.browse)
        self.sheet_combo.currentIndexChanged.connect(self._choice_changed)
        self.header_spin.valueChanged.connect(self._choice_changed)
        self.undo_button.clicked.connect(wizard.open_batches)

    def browse(self) -> None:
        name = import_prompts.ask_ledger_file(self)
        if name:
            self.set_path(Path(name))

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))
        self._filling = True
        self.sheet_combo.clear()
        self.header_spin.setValue(0)
        self._filling = False
        self._analyse()

    def path(self) -> Path | None:
        text = self.path_edit.text()
        return Path(text) if text else None

    def _choice_changed(self) -> None:
        if not self._filling and self.path() is not None:
            self._analyse()

    def _analyse(self) -> None:
        path = self.path()
        if path is None:
            return
        self._generation += 1
        generation = self._generation
        self.analysis = None
        self.error.clear_message()
        self.status.setText(self.tr("正在读取文件…"))
        self.completeChanged.emit()
        sheet = self.sheet_combo.currentText() if self.sheet_combo.count() else None
        header_row = self.header_spin.value() or None

        def done(analysis: Analysis) -> None:
            if generation == self._generation:
                self._analysed(analysis)

        def failed(error: DomainError) -> None:
            if generation == self._generation:
                self.status.clear()
                self.error.set_error(error.message)

        import_operations.analyse_file(self._wizard.ctx, path, sheet, header_row, done,
                                       failed=failed, owner=self)

    def _analysed(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self._filling = True
        if self.sheet_combo.count() != len(analysis.sheets):
            self.sheet_combo.clear()
            self.sheet_combo.addItems(analysis.sheets)
        self.sheet_combo.setCurrentText(analysis.sheet)
        self._filling = False
        header = analysis.header
        self.status.setText(self.tr("工作表“{0}”：表头在{1}，数据约 {2} 行，识别出 {3} 个列。").format(
            analysis.sheet, header.rows_label, f"{max(0, analysis.height - header.data_start + 1):,}",
            len(analysis.mapping)))
        self._wizard.set_analysis(analysis)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.analysis is not None
