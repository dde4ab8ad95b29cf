"""The print preview: real pages, navigation, zoom, printing and saving (no real dialogs)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QStandardPaths, Qt
from PySide6.QtGui import QPainter, QPdfWriter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui import print_preview
from desktop.ui.print_preview import PrintPreviewDialog

from .conftest import Answers


@functools.cache
def two_pages() -> bytes:
    """Made once, after the QApplication exists (QPdfWriter needs it)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    painter = QPainter(writer)
    for n, text in enumerate(("第一页", "第二页")):
        if n:
            writer.newPage()
        painter.drawText(400, 400, text)
        painter.fillRect(400, 800, 2000, 3000, Qt.GlobalColor.black)
    painter.end()
    buffer.close()
    return bytes(data.data())


def pages_in(path: Path) -> int:
    document = QPdfDocument()
    document.load(str(path))
    return document.pageCount()


@pytest.fixture
def preview(qtbot: QtBot) -> PrintPreviewDialog:
    dialog = PrintPreviewDialog(two_pages(), "测试文书", "测试文书.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_pages_navigation_and_zoom(qtbot: QtBot, preview: PrintPreviewDialog) -> None:
    assert preview.page_count() == 2
    assert preview.page_count_label.text().strip() == "页，共 2 页"
    assert not preview.act_previous.isEnabled() and preview.act_next.isEnabled()
    preview.act_next.trigger()
    qtbot.waitUntil(lambda: preview.current_page() == 1)
    assert preview.page_spin.value() == 2 and not preview.act_next.isEnabled()
    preview.page_spin.setValue(1)
    qtbot.waitUntil(lambda: preview.current_page() == 0)
    preview.zoom_combo.setCurrentIndex(preview.zoom_combo.findText("100%"))
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert preview.view.zoomFactor() == 1.0
    preview.zoom_combo.setCurrentIndex(preview.zoom_combo.findText("适合页面"))
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitInView


class FakePrintDialog:
    """Accepts at once and sends the job to a PDF file instead of a printer."""

    output = ""

    def __init__(self, printer: QPrinter, parent: QWidget | None = None) -> None:
        self.printer = printer

    def setMinMax(self, low: int, high: int) -> None:  # noqa: N802 (Qt's name)
        pass

    def exec(self) -> int:
        self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer.setOutputFileName(self.output)
        return QDialog.DialogCode.Accepted


def test_print_renders_every_page(qtbot: QtBot, preview: PrintPreviewDialog, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch, answers: Answers) -> None:
    monkeypatch.setattr(print_preview, "QPrintDialog", FakePrintDialog)
    monkeypatch.setattr(print_preview, "MAX_PRINT_DPI", 100)  # quick; the path is the same
    FakePrintDialog.output = str(tmp_path / "printed.pdf")
    preview.act_print.trigger()
    assert pages_in(tmp_path / "printed.pdf") == 2
    assert answers.errors == [] and "已发送到打印机" in preview.status_label.text()

    # A printer that cannot be opened: a message, nothing else happens.
    FakePrintDialog.output = str(tmp_path / "没有这个文件夹" / "printed.pdf")
    preview.act_print.trigger()
    assert len(answers.errors) == 1 and answers.errors[0][0] == "打印失败"


def test_save_as_pdf_starts_in_documents(qtbot: QtBot, preview: PrintPreviewDialog,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         answers: Answers) -> None:
    offered: list[str] = []
    chosen = [str(tmp_path / "责任书 副本")]  # no suffix typed: .pdf is added

    def get_save_file_name(parent: QWidget, caption: str, start: str,
                           filters: str) -> tuple[str, str]:
        offered.append(start)
        return chosen.pop(0), filters

    monkeypatch.setattr(print_preview.QFileDialog, "getSaveFileName", get_save_file_name)
    saved = preview.save_as()
    assert saved == tmp_path / "责任书 副本.pdf"
    assert saved.read_bytes() == two_pages()
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert offered[0] == str(Path(documents) / "测试文书.pdf")
    assert "已保存到" in preview.status_label.text()
    assert list(tmp_path.iterdir()) == [saved]  # no temporary file left behind

    chosen.append(str(tmp_path / "没有这个文件夹" / "x.pdf"))
    assert preview.save_as() is None
    assert len(answers.errors) == 1 and "不存在" in answers.errors[0][1]
