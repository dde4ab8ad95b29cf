"""Files chosen for a permit (drawings, photos): a short list with add and remove.

The files are read in the database worker when the step is saved, and checked there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

IMAGE_FILTER = "*.jpg *.jpeg *.png *.webp *.bmp *.gif *.tif *.tiff"


class FileList(QWidget):
    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        self.list.setMaximumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.add_button = QPushButton(self.tr("添加…"))
        self.remove_button = QPushButton(self.tr("移除"))
        buttons = QVBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._update)
        self._paths: list[Path] = []
        self._update()

    def paths(self) -> list[Path]:
        return list(self._paths)

    def add_paths(self, paths: list[Path]) -> None:
        for path in paths:
            if path not in self._paths:
                self._paths.append(path)
                self.list.addItem(path.name)
        self._update()
        self.changed.emit()

    def choose(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        names, _ = QFileDialog.getOpenFileNames(
            self, self._title, folder, self.tr("图片 ({0});;所有文件 (*)").format(IMAGE_FILTER))
        self.add_paths([Path(n) for n in names])

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            row = self.list.row(item)
            self.list.takeItem(row)
            del self._paths[row]
        self._update()
        self.changed.emit()

    def _update(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))
        if not self._paths:
            self.list.setToolTip(self.tr("未添加；扫描件或照片（JPEG、PNG 等）"))
        else:
            self.list.setToolTip("")
