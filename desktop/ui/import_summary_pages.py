"""The import wizard's last two pages: what the import will do (dry run), and what it did."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from desktop.io.excel_import import ImportResult

if TYPE_CHECKING:
    from .import_wizard import ImportWizard

SHOWN_PROBLEMS = 1000


def compact(table: QTableWidget, extra: int = 6) -> None:
    """Rows one line high: the default leaves room for two at 1366×768."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + extra)


def problems_table() -> QTableWidget:
    table = QTableWidget(0, 3)
    compact(table)
    table.setHorizontalHeaderLabels(["行", "列", "说明"])
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def fill_problems(table: QTableWidget, result: ImportResult) -> None:
    entries = [(e.row, e.column, e.message, True) for e in result.errors]
    entries += [(d.row, "", d.message, False) for d in result.duplicates]
    entries.sort(key=lambda e: e[0])
    entries = entries[:SHOWN_PROBLEMS]
    table.setRowCount(len(entries))
    red = QBrush(QColor("#c62828"))
    for r, (row, column, message, is_error) in enumerate(entries):
        for c, text in enumerate((str(row), column, message)):
            item = QTableWidgetItem(text)
            if is_error:
                item.setForeground(red)
            table.setItem(r, c, item)


def describe(result: ImportResult, *, done: bool) -> str:
    verb = "" if done else "将"
    lines = [f"{verb}新增商户 {result.imported:,} 家，{verb}更新 {result.updated:,} 家，"
             f"跳过 {result.skipped:,} 行（有问题 {len(result.error_rows):,} 行，"
             f"重复 {len(result.duplicates):,} 行）。"]
    if result.agreements:
        lines.append(f"{verb}登记已签订的门前三包责任书 {result.agreements:,} 份。")
    if result.created_communities:
        lines.append(f"{verb}新建社区：{'、'.join(result.created_communities)}。")
    if result.created_grids:
        lines.append(f"{verb}新建网格：{'、'.join(result.created_grids)}。")
    if result.legacy_codes:
        lines.append(f"其中 {result.legacy_codes:,} 家填的是旧的15位工商注册号，换照后请补录信用代码。")
    return "\n".join(lines)


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("导入前确认"))
        self.setSubTitle(self.tr("下面是试运行的结果，台账还没有任何改动。确认无误后点“开始导入”；"
                                 "导入的全部记录可以整批撤销。"))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("开始导入"))
        self.skip_radio = QRadioButton(self.tr("跳过，不改动台账"))
        self.update_radio = QRadioButton(self.tr("按文件中的内容更新"))
        self.skip_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.skip_radio)
        group.addButton(self.update_radio)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = problems_table()
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("台账中已有的商户（信用代码或名称+地址相同）：")))
        row.addWidget(self.skip_radio)
        row.addWidget(self.update_radio)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(self.tr("问题和重复（不会导入）：")))
        layout.addWidget(self.problems, 1)
        self.update_radio.toggled.connect(self._mode_changed)

    def on_duplicate(self) -> str:
        return "update" if self.update_radio.isChecked() else "skip"

    def initializePage(self) -> None:
        self._refresh()

    def _mode_changed(self) -> None:
        if self.isVisible():
            self._refresh()

    def _refresh(self) -> None:
        self.summary.setText(self.tr("正在试运行…"))
        self.problems.setRowCount(0)
        self.completeChanged.emit()
        self._wizard.dry_run_for_summary(self.show_result)

    def show_result(self, result: ImportResult | None) -> None:
        if result is None:
            self.summary.setText(self.tr("试运行已取消。"))
        else:
            text = describe(result, done=False)
            if not (result.imported or result.updated):
                text += "\n" + self.tr("没有可以导入的行。")
            self.summary.setText(text)
            fill_problems(self.problems, result)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        result = self._wizard.current_dry()
        return result is not None and bool(result.imported or result.updated)

    def validatePage(self) -> bool:
        return self._wizard.start_import()


class ResultPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("导入完成"))
        self.setSubTitle(self.tr("以下记录已写入台账。没有导入的行可以保存为错误清单，改好后再导入。"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = problems_table()
        self.save_button = QPushButton(self.tr("保存错误清单…"))
        self.save_button.setToolTip(self.tr("把没有导入的行连同原因存为 Excel，改好后可以再导入"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(wizard.save_errors)

    def initializePage(self) -> None:
        result = self._wizard.import_result
        if result is None:
            return
        text = describe(result, done=True)
        if result.batch is not None:
            text += "\n" + self.tr("导入批次号：{0}。如需撤销，可在导入向导第一页点“撤销以前的导入…”。").format(
                result.batch)
        self.summary.setText(text)
        fill_problems(self.problems, result)
        self.save_button.setEnabled(bool(result.error_rows))
