"""文件 → 生成上报报表…: the period, our summary or the district's template, then the write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.io.template_fill import TemplateSummary, summarize_template
from desktop.io.xlsx_out import ExportError

from . import prompts, report_prompts
from .context import AppContext
from .export_runner import choose_file
from .report_period import PeriodPicker
from .report_runner import ReportExport, ReportRequest, prepared_by, suggested_name
from .template_mapping_dialog import MappingDialog
from .window_state import RememberingDialog

if TYPE_CHECKING:
    pass

TEMPLATE_KEY = "reports/template"
KIND_KEY = "reports/kind"
SUMMARY, TEMPLATE = "summary", "template"
ERROR_STYLE = "color: #c00000;"
NOTE_STYLE = "color: #555;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportDialog", text)


def describe(summary: TemplateSummary) -> str:
    """How a template will be filled, in the words of the dialog's status line."""
    parts = []
    if summary.placeholders:
        parts.append(_tr("找到 {0} 个占位符").format(summary.placeholders))
    if summary.mapping:
        parts.append(_tr("已保存对应关系：{0} 个单元格、{1} 个社区行块").format(
            len(summary.mapping.cells), len(summary.mapping.community_rows)))
    return "；".join(parts)


class ReportDialog(RememberingDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReportDialog")
        self.setWindowTitle(self.tr("生成上报报表"))
        self.ctx = ctx
        self._today = today or dt.date.today()
        self._summary: TemplateSummary | None = None
        self._problem = ""  # why the chosen template cannot be filled
        self._export: ReportExport | None = None
        settings = QSettings()

        self.period_picker = PeriodPicker(self._today)
        self.summary_radio = QRadioButton(self.tr("本系统汇总表（封面、各领域分表和图表）"))
        self.template_radio = QRadioButton(self.tr("区里的模板（按区里下发的 Excel 表样填报）"))
        kinds = QButtonGroup(self)
        kinds.addButton(self.summary_radio)
        kinds.addButton(self.template_radio)
        self.template_edit = QLineEdit(str(settings.value(TEMPLATE_KEY, "") or ""))
        self.template_edit.setReadOnly(True)
        self.template_edit.setPlaceholderText(self.tr("尚未选择模板"))
        self.template_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 36))
        self.browse_button = QPushButton(self.tr("选择模板(&B)…"))
        self.mapping_button = QPushButton(self.tr("设置对应关系(&M)…"))
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.generate_button = QPushButton(self.tr("生成(&G)…"))
        self.generate_button.setDefault(True)
        self.close_button = QPushButton(self.tr("关闭"))

        kind_box = QVBoxLayout()
        kind_box.addWidget(self.summary_radio)
        kind_box.addWidget(self.template_radio)
        file_row = QHBoxLayout()
        file_row.addWidget(self.template_edit, 1)
        file_row.addWidget(self.browse_button)
        mapping_row = QHBoxLayout()
        mapping_row.addWidget(self.mapping_button)
        mapping_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("统计期间"), self.period_picker)
        form.addRow(self.tr("报表"), kind_box)
        form.addRow(self.tr("模板"), file_row)
        form.addRow("", mapping_row)
        form.addRow("", self.status_label)
        note = QLabel(self.tr("数据按统计期间末（期间未结束的按今天）计算；填报人：{0}").format(
            prepared_by(ctx)))
        note.setStyleSheet(NOTE_STYLE)
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.addLayout(buttons)
        for first, second in ((self.period_picker.year_spin, self.period_picker.part_combo),
                              (self.period_picker.part_combo, self.summary_radio),
                              (self.summary_radio, self.template_radio),
                              (self.template_radio, self.template_edit),
                              (self.template_edit, self.browse_button),
                              (self.browse_button, self.mapping_button),
                              (self.mapping_button, self.generate_button),
                              (self.generate_button, self.close_button)):
            QWidget.setTabOrder(first, second)

        chosen = str(settings.value(KIND_KEY, SUMMARY) or SUMMARY)
        (self.template_radio if chosen == TEMPLATE else self.summary_radio).setChecked(True)
        self.template_radio.toggled.connect(self._kind_changed)
        self.browse_button.clicked.connect(self.choose_template)
        self.mapping_button.clicked.connect(self.edit_mapping)
        self.generate_button.clicked.connect(self.generate)
        self.close_button.clicked.connect(self.reject)
        self._kind_changed()
        self.period_picker.year_spin.setFocus()

    # --- the template -----------------------------------------------------------------------

    def template(self) -> Path | None:
        text = self.template_edit.text().strip()
        return Path(text) if text else None

    def _kind_changed(self) -> None:
        on = self.template_radio.isChecked()
        for widget in (self.template_edit, self.browse_button):
            widget.setEnabled(on)
        self.refresh_template()

    def refresh_template(self) -> None:
        """Read the template again (the clerk may have changed it in Excel) and say what it holds."""
        self._summary = None
        self._problem = ""
        path = self.template()
        if not self.template_radio.isChecked():
            self._show_status("", "")
        elif path is None:
            self._problem = self.tr("请先选择区里下发的 .xlsx 模板。")
            self._show_status(self._problem, NOTE_STYLE)
        else:
            try:
                self._summary = summarize_template(path)
            except ExportError as exc:
                self._problem = exc.message
            else:
                if not self._summary.fillable:
                    self._problem = self.tr("模板中没有占位符，也没有对应关系。请点“设置对应关系…”"
                                            "指定各项数据填在哪些单元格，或在模板中写入占位符。")
            if self._problem:
                self._show_status(self._problem, ERROR_STYLE)
            elif self._summary is not None:
                self._show_status(describe(self._summary), "")
        self.mapping_button.setEnabled(self._summary is not None)

    def _show_status(self, text: str, style: str) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style)
        self.status_label.setVisible(bool(text))
        layout = self.layout()
        if self.isVisible() and layout is not None:  # grow, so a longer line is not cut off
            layout.activate()
            needed = layout.totalHeightForWidth(self.width())
            if needed > self.height():
                self.resize(self.width(), needed)

    def choose_template(self) -> None:
        path = report_prompts.ask_template(self, self.template_edit.text())
        if path is None:
            return
        self.template_edit.setText(str(path))
        QSettings().setValue(TEMPLATE_KEY, str(path))
        self.refresh_template()

    def edit_mapping(self) -> MappingDialog | None:
        path = self.template()
        if path is None or self._summary is None:
            return None
        try:
            dialog = MappingDialog(self.ctx, path, self)
        except ExportError as exc:
            prompts.show_error(self, self.tr("设置对应关系"), exc.message)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.refresh_template)
        dialog.open()
        return dialog

    # --- generating ---------------------------------------------------------------------------

    def generate(self) -> ReportExport | None:
        """Check the choices, ask where to save, write in the background."""
        if self._export is not None:
            return None
        title = self.tr("生成上报报表")
        period = self.period_picker.period()
        if period.start > self._today:
            prompts.show_error(self, title, self.tr("{0}尚未开始，请选择已经开始的月份或季度。").format(
                self.period_picker.part_combo.currentText()))
            return None
        template = None
        if self.template_radio.isChecked():
            self.refresh_template()
            if self._problem:
                prompts.show_error(self, title, self._problem)
                return None
            template = self.template()
        QSettings().setValue(KIND_KEY, TEMPLATE if template else SUMMARY)
        out = choose_file(self, suggested_name(period))
        if out is None:
            return None
        request = ReportRequest(period, out, template, prepared_by(self.ctx))
        self._export = ReportExport(self, self.ctx, request)
        self._export.done.connect(self._finished)
        self.generate_button.setEnabled(False)
        return self._export

    def _finished(self, result: object) -> None:
        self._export = None
        self.generate_button.setEnabled(True)
        if result is not None:
            self.accept()

    def reject(self) -> None:
        if self._export is None:  # a write in flight is cancelled from its progress dialog
            super().reject()


def open_report_dialog(window: QWidget, ctx: AppContext) -> ReportDialog:
    """One 上报报表 dialog per window, brought forward when asked for again."""
    dialog = window.findChild(ReportDialog)
    if dialog is None:
        dialog = ReportDialog(ctx, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
