"""Print preview of any PDF the app makes: the real pages, navigation, zoom, print, save as."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QImage, QKeySequence, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QSpinBox,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from . import prompts
from .window_state import RememberingDialog

# Pages are printed as images, a band at a time: more than 600 dpi only costs time and
# memory (a whole A4 page at 600 dpi would be about 140 MB).
MAX_PRINT_DPI = 600
PRINT_BAND_PIXELS = 512
ZOOMS = (("fit-width", "适合宽度"), ("fit-page", "适合页面"), ("100", "100%"), ("150", "150%"))


class PrintPreviewDialog(RememberingDialog):
    """Shows `pdf_bytes`; printing or saving changes nothing in the ledger."""

    def __init__(self, pdf_bytes: bytes, title: str, suggested_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PrintPreviewDialog")
        self.setWindowTitle(self.tr("打印预览 — {0}").format(title))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._data = QByteArray(pdf_bytes)
        self._suggested_name = suggested_name
        # The document reads from the buffer for as long as it is shown.
        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        style = self.style()
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.act_print = self.toolbar.addAction(
            style.standardIcon(QStyle.StandardPixmap.SP_FileIcon), self.tr("打印…"))
        self.act_print.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.act_save = self.toolbar.addAction(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton), self.tr("另存为 PDF…"))
        self.act_save.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.toolbar.addSeparator()
        self.act_previous = self.toolbar.addAction(
            style.standardIcon(QStyle.StandardPixmap.SP_ArrowUp), self.tr("上一页"))
        self.act_previous.setShortcut(QKeySequence(Qt.Key.Key_PageUp))
        self.page_spin = QSpinBox()
        self.page_spin.setPrefix(self.tr("第 "))
        self.page_spin.setRange(1, max(1, self.document.pageCount()))
        self.page_spin.setKeyboardTracking(False)
        self.page_spin.setAccessibleName(self.tr("页码"))
        self.page_count_label = QLabel(self.tr(" 页，共 {0} 页 ").format(self.document.pageCount()))
        self.toolbar.addWidget(self.page_spin)
        self.toolbar.addWidget(self.page_count_label)
        self.act_next = self.toolbar.addAction(
            style.standardIcon(QStyle.StandardPixmap.SP_ArrowDown), self.tr("下一页"))
        self.act_next.setShortcut(QKeySequence(Qt.Key.Key_PageDown))
        self.toolbar.addSeparator()
        self.zoom_combo = QComboBox()
        for key, text in ZOOMS:
            self.zoom_combo.addItem(self.tr(text), key)
        self.zoom_combo.setAccessibleName(self.tr("缩放"))
        self.toolbar.addWidget(QLabel(self.tr("缩放：")))
        self.toolbar.addWidget(self.zoom_combo)
        self.toolbar.addSeparator()
        self.act_close = self.toolbar.addAction(self.tr("关闭"))
        self.status_label = QLabel()
        self.status_label.setContentsMargins(8, 0, 8, 0)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)
        self._fit_to_screen(parent)

        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(self._page_changed)
        self.page_spin.valueChanged.connect(lambda page: self.go_to_page(page - 1))
        self.act_previous.triggered.connect(lambda: self.go_to_page(self.current_page() - 1))
        self.act_next.triggered.connect(lambda: self.go_to_page(self.current_page() + 1))
        self.zoom_combo.currentIndexChanged.connect(self._zoom_picked)
        self.act_print.triggered.connect(self.print_document)
        self.act_save.triggered.connect(self.save_as)
        self.act_close.triggered.connect(self.accept)
        self._page_changed(0)

    def _fit_to_screen(self, parent: QWidget | None) -> None:
        # Tall enough for most of a page, never taller than a 768-pixel screen at 125 %.
        screen = (parent or self).screen()
        available = screen.availableGeometry() if screen is not None else None
        width, height = 860, 720
        if available is not None:
            width = min(width, available.width() - 40)
            height = min(height, available.height() - 60)
        self.resize(width, height)

    # --- pages and zoom -------------------------------------------------------------------

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        if 0 <= page < self.page_count() and page != self.current_page():
            self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())

    def _page_changed(self, page: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)
        self.act_previous.setEnabled(page > 0)
        self.act_next.setEnabled(page + 1 < self.page_count())

    def _zoom_picked(self) -> None:
        key = str(self.zoom_combo.currentData())
        if key == "fit-width":
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif key == "fit-page":
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(int(key) / 100)

    # --- printing -------------------------------------------------------------------------

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)  # the PDF page already has its margins
        printer.setDocName(self.windowTitle())
        printer.setFromTo(1, self.page_count())
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.page_count())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self._print_pages(printer)
            self.status_label.setText(self.tr("已发送到打印机：{0}").format(printer.printerName()
                                                                    or printer.outputFileName()))
        except (OSError, RuntimeError, MemoryError) as exc:
            prompts.show_error(self, self.tr("打印失败"),
                               self.tr("打印未完成：{0}\n请检查打印机后重试，或先另存为 PDF。").format(exc))

    def _print_pages(self, printer: QPrinter) -> None:
        first, last = printer.fromPage(), printer.toPage()
        if first == 0 and last == 0:
            first, last = 1, self.page_count()
        painter = QPainter()
        if not painter.begin(printer):
            raise RuntimeError(self.tr("无法连接打印机"))
        try:
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            target = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
            target.moveTo(0, 0)
            for number in range(first, last + 1):
                if number > first and not printer.newPage():
                    raise RuntimeError(self.tr("打印机没有接受下一页"))
                self._print_page(painter, number - 1, dpi, target)
        finally:
            painter.end()

    def _print_page(self, painter: QPainter, index: int, dpi: int, target: QRectF) -> None:
        """One page at `dpi`, in bands, so a page never needs more than a few MB at a time."""
        points = self.document.pagePointSize(index)
        full = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
        scale = target.height() / full.height()
        for top in range(0, full.height(), PRINT_BAND_PIXELS):
            height = min(PRINT_BAND_PIXELS, full.height() - top)
            options = QPdfDocumentRenderOptions()
            options.setScaledSize(full)
            options.setScaledClipRect(QRect(0, top, full.width(), height))
            band = self.document.render(index, QSize(full.width(), height), options)
            if band.isNull():
                raise RuntimeError(self.tr("第 {0} 页无法生成图像").format(index + 1))
            # PDFium leaves the paper transparent; printers want white, not alpha.
            sheet = QImage(band.size(), QImage.Format.Format_RGB32)
            sheet.fill(Qt.GlobalColor.white)
            band_painter = QPainter(sheet)
            band_painter.drawImage(0, 0, band)
            band_painter.end()
            painter.drawImage(QRectF(target.x(), target.y() + top * scale, target.width(),
                                     height * scale), sheet)

    # --- saving ---------------------------------------------------------------------------

    def save_as(self) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        start = str(Path(folder) / self._suggested_name) if folder else self._suggested_name
        name, _ = QFileDialog.getSaveFileName(self, self.tr("另存为 PDF"), start,
                                              self.tr("PDF 文件 (*.pdf)"))
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        # The same whole-or-nothing write (temporary file, then replace) as the PDF builder;
        # imported here so opening a page does not load reportlab.
        from desktop.pdf.layout import PdfWriteError
        from desktop.pdf.layout import _write_whole as write_whole

        try:
            write_whole(path, bytes(self._data.data()))
        except PdfWriteError as exc:
            prompts.show_error(self, self.tr("未保存"), str(exc))
            return None
        self.status_label.setText(self.tr("已保存到：{0}").format(path))
        return path
