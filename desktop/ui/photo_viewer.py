"""A photo at full size: fitted to the window, or at its own size with scroll bars."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError

from . import finding_operations
from .context import AppContext
from .window_state import RememberingDialog


class PhotoViewer(RememberingDialog):
    def __init__(self, ctx: AppContext, attachment_id: int, file_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PhotoViewer")
        self.setWindowTitle(self.tr("照片 — {0}").format(file_name))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.pixmap = QPixmap()
        self.image = QLabel(self.tr("正在载入…"))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.image)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area.setWidgetResizable(True)
        self.actual_size = QCheckBox(self.tr("原始大小"))
        self.actual_size.setShortcut(QKeySequence("Ctrl+0"))
        self.size_label = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.actual_size)
        bottom.addWidget(self.size_label, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(bottom)
        self.resize(900, 640)
        buttons.rejected.connect(self.reject)
        self.actual_size.toggled.connect(self._show)
        finding_operations.load_photo(ctx, attachment_id, self._loaded, failed=self._failed,
                                      owner=self)

    def _loaded(self, data: bytes) -> None:
        if not self.pixmap.loadFromData(data):
            self.image.setText(self.tr("无法显示该照片"))
            return
        self.size_label.setText(self.tr("{0} × {1} 像素").format(self.pixmap.width(),
                                                              self.pixmap.height()))
        self._show()

    def _failed(self, error: DomainError) -> None:
        self.image.setText(error.message)

    def _show(self) -> None:
        if self.pixmap.isNull():
            return
        actual = self.actual_size.isChecked()
        self.scroll_area.setWidgetResizable(not actual)
        if actual:
            self.image.setPixmap(self.pixmap)
            self.image.adjustSize()
            return
        room = self.scroll_area.viewport().size()
        shown = self.pixmap
        if shown.width() > room.width() or shown.height() > room.height():
            shown = shown.scaled(room, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        self.image.setPixmap(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.actual_size.isChecked():
            self._show()
