"""A row of stored photos' thumbnails in a details panel; double-click (or Enter) opens one."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from .finding_operations import Photo

THUMB = 96
_ID = Qt.ItemDataRole.UserRole
_NAME = Qt.ItemDataRole.UserRole + 1


class PhotoStrip(QListWidget):
    open_photo = Signal(int, str)  # attachment id, file name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setFixedHeight(THUMB + self.fontMetrics().height() + 28)
        self.setToolTip(self.tr("双击（或回车）查看原图"))
        self.setAccessibleName(self.tr("现场照片"))
        self.itemActivated.connect(self._activated)

    def set_photos(self, photos: Sequence[Photo]) -> None:
        self.clear()
        for photo in photos:
            pixmap = QPixmap()
            pixmap.loadFromData(photo.thumbnail)
            item = QListWidgetItem(QIcon(pixmap), "")
            item.setData(_ID, photo.row.id)
            item.setData(_NAME, photo.row.file_name)
            item.setToolTip(photo.row.file_name)
            self.addItem(item)

    def selected_photo(self) -> tuple[int, str] | None:
        """The attachment id and file name of the photo picked, if one is."""
        items = self.selectedItems()
        if not items:
            return None
        return int(items[0].data(_ID)), str(items[0].data(_NAME))

    def _activated(self, item: QListWidgetItem) -> None:
        self.open_photo.emit(int(item.data(_ID)), str(item.data(_NAME)))
