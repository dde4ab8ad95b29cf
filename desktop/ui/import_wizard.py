"""The import wizard: file → columns → new communities → dry run → import → result.

The pages only show and collect; this class runs the analysis, the dry runs and the import
in the database worker with a progress dialog that can cancel, and keeps their results.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QProgressDialog, QWidget, QWizard

from desktop.domain.errors import DomainError
from desktop.io.excel_import import Analysis, ImportCancelled, ImportOptions, ImportResult

from . import import_operations, import_prompts, prompts
from .context import AppContext
from .import_divisions_page import DivisionsPage
from .import_file_page import FilePage
from .import_mapping_page import MappingPage
from .import_summary_pages import ResultPage, SummaryPage
from .window_state import restore_geometry, restore_splitters, save_geometry, save_splitters

PAGE_FILE, PAGE_MAPPING, PAGE_DIVISIONS, PAGE_SUMMARY, PAGE_RESULT = range(5)
SETTINGS_GROUP = "dialogs/ImportWizard"


class ImportWizard(QWizard):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ImportWizard")
        self.ctx = ctx
        self.analysis: Analysis | None = None
        self.first_dry: ImportResult | None = None
        self.import_result: ImportResult | None = None
        self._dry: tuple[Any, ImportResult] | None = None
        self._first_key: Any = None
        self._busy = False
        self._restored = False
        self.progress: QProgressDialog | None = None
        self.setWindowTitle(self.tr("导入商户台账"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步 >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.divisions_page = DivisionsPage(self)
        self.summary_page = SummaryPage(self)
        self.result_page = ResultPage(self)
        for page_id, page in ((PAGE_FILE, self.file_page), (PAGE_MAPPING, self.mapping_page),
                              (PAGE_DIVISIONS, self.divisions_page),
                              (PAGE_SUMMARY, self.summary_page), (PAGE_RESULT, self.result_page)):
            self.setPage(page_id, page)
        self.setMinimumSize(820, 560)
        self.resize(1000, 660)

    # --- window state ---------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        if not self._restored:
            self._restored = True
            restore_geometry(self, SETTINGS_GROUP)
            restore_splitters(self, SETTINGS_GROUP)
        super().showEvent(event)

    def done(self, result: int) -> None:
        if self._busy and self.import_result is None:
            return  # the import is running: its progress dialog has the cancel button
        save_geometry(self, SETTINGS_GROUP)
        save_splitters(self, SETTINGS_GROUP)
        super().done(result)

    # --- what the pages ask ---------------------------------------------------------------

    def set_analysis(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.first_dry = None
        self._dry = None

    def path(self) -> Path:
        assert self.analysis is not None
        return self.analysis.path

    def import_options(self, *, dry_run: bool, first: bool = False) -> ImportOptions:
        assert self.analysis is not None
        choices = self.divisions_page.choices() if not first and self._divisions_shown() else {}
        return ImportOptions(
            sheet=self.analysis.sheet, header_row=self.analysis.header.row,
            mapping=self.mapping_page.mapping(), dry_run=dry_run,
            on_duplicate="skip" if first else self.summary_page.on_duplicate(),
            # The first dry run only lists what is unknown; later ones follow the clerk's answers.
            create_unknown=first, choices=choices,
            default_community=self.mapping_page.default_community_name(), user=self.ctx.user)

    def _divisions_shown(self) -> bool:
        dry = self.first_dry
        return dry is not None and bool(dry.unknown_communities or dry.unknown_grids)

    @staticmethod
    def _key(options: ImportOptions) -> Any:
        return (tuple(sorted((options.mapping or {}).items())), options.default_community,
                tuple(sorted((k, str(v)) for k, v in options.choices.items())),
                options.on_duplicate, options.create_unknown)

    def leave_mapping(self) -> bool:
        """Check the whole file once to list unknown communities; go on when it is done."""
        if self.first_dry is not None and self._first_key == self._key(self.import_options(
                dry_run=True, first=True)):
            return True
        options = self.import_options(dry_run=True, first=True)

        def done(result: ImportResult | None) -> None:
            if result is not None:
                self.first_dry = result
                self._first_key = self._key(options)
                self._dry = None
                self.next()

        self._run(options, self.tr("正在检查整个文件…"), done)
        return False

    def after_mapping_id(self) -> int:
        return PAGE_DIVISIONS if self._divisions_shown() else PAGE_SUMMARY

    def current_dry(self) -> ImportResult | None:
        if self._dry is None or self.analysis is None:
            return None
        key, result = self._dry
        return result if key == self._key(self.import_options(dry_run=True)) else None

    def dry_run_for_summary(self, show: Callable[[ImportResult | None], None]) -> None:
        cached = self.current_dry()
        if cached is not None:
            show(cached)
            return
        options = self.import_options(dry_run=True)

        def done(result: ImportResult | None) -> None:
            if result is not None:
                self._dry = (self._key(options), result)
            show(result)

        self._run(options, self.tr("正在试运行…"), done)

    def start_import(self) -> bool:
        if self.import_result is not None:
            return True

        def done(result: ImportResult | None) -> None:
            if result is not None:
                self.import_result = result
                self.next()

        self._run(self.import_options(dry_run=False), self.tr("正在导入…"), done)
        return False

    def save_errors(self) -> None:
        from desktop.io.import_report import write_error_workbook

        result = self.import_result
        if result is None or not result.error_rows:
            return
        stem = Path(result.file_name).stem
        name = import_prompts.ask_errors_file(self, f"{stem}_错误清单.xlsx")
        if name is None:
            return
        try:
            count = write_error_workbook(result, Path(name))
        except DomainError as error:
            prompts.show_error(self, self.tr("未保存"), error.message)
            return
        prompts.show_info(self, self.tr("错误清单"), self.tr(
            "已保存 {0} 行到：\n{1}\n\n改正“错误原因”一栏所说的问题后，可以再次导入这个文件。").format(count, name))

    def open_batches(self) -> None:
        from .import_batches_dialog import ImportBatchesDialog

        dialog = ImportBatchesDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- running --------------------------------------------------------------------------

    def busy(self) -> bool:
        return self._busy

    def _run(self, options: ImportOptions, label: str,
             done: Callable[[ImportResult | None], None]) -> None:
        if self._busy:
            return
        self._busy = True
        relay = import_operations.ProgressRelay(self)
        cancelled = threading.Event()
        progress = QProgressDialog(label, self.tr("取消"), 0, 0, self)
        progress.setWindowTitle(self.windowTitle())
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(400)
        progress.canceled.connect(cancelled.set)
        relay.progressed.connect(lambda n, total: _advance(progress, n, total))
        self.progress = progress

        def finish() -> None:
            self._busy = False
            self.progress = None
            progress.reset()
            progress.deleteLater()
            relay.deleteLater()

        def succeeded(result: ImportResult) -> None:
            finish()
            done(result)

        def failed(error: DomainError) -> None:
            finish()
            if isinstance(error, ImportCancelled):
                if not options.dry_run:
                    prompts.show_info(self, self.tr("已取消"), error.message)
            else:
                prompts.show_error(self, self.tr("无法导入"), error.message)
            done(None)

        import_operations.run_import(self.ctx, self.path(), options, relay, cancelled, succeeded,
                                     failed=failed, owner=self)


def _advance(progress: QProgressDialog, done: int, total: int) -> None:
    if progress.maximum() != total:
        progress.setMaximum(max(total, 1))
    progress.setValue(min(done, total))


def open_import_wizard(ctx: AppContext, parent: QWidget | None = None) -> ImportWizard:
    wizard = ImportWizard(ctx, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
