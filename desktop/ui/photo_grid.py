"""Photos chosen for a record (a finding, a sorting check): files or a whole folder at once,
shown as a grid of thumbnails.

The files are only read when the record is saved (in the database worker); here each gets
a thumbnail, made one per turn of the event loop so a folder of 200 photos never freezes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QImageReader, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

THUMB = 72
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff", ".heic")
_PATH = Qt.ItemDataRole.UserRole


def photo_folder() -> str:
    """Where the file dialogs start: the user's pictures, where a phone's photos land."""
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)


def choose_photo_files(parent: QWidget, title: str) -> list[Path]:
    """The image files the clerk picks; [] when cancelled."""
    names, _ = QFileDialog.getOpenFileNames(
        parent, title, photo_folder(),
        QCoreApplication.translate("PhotoGrid", "图片 ({0});;所有文件 (*)").format(
            " ".join(f"*{s}" for s in IMAGE_SUFFIXES)))
    return [Path(n) for n in names]


def thumbnail(path: Path, side: int = THUMB) -> QPixmap | None:
    """A small picture of the file, decoded at reduced size; None when Qt cannot read it."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # phones record the camera's orientation in EXIF
    size = reader.size()
    if size.isValid() and (size.width() > side or size.height() > side):
        reader.setScaledSize(size.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else QPixmap.fromImage(image)


class PhotoGrid(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._queue: list[QListWidgetItem] = []
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 16, THUMB + 12))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setFixedHeight(THUMB + 32)
        self.list.setAccessibleName(self.tr("待上传的照片"))
        self.list.setToolTip(self.tr("Delete 键移除所选照片"))
        self.add_button = QPushButton(self.tr("添加照片…"))
        self.folder_button = QPushButton(self.tr("添加文件夹…"))
        self.folder_button.setToolTip(self.tr("添加一个文件夹中的全部照片"))
        self.remove_button = QPushButton(self.tr("移除"))
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        self.existing = 0
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.folder_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addWidget(self.count_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._timer = QTimer(self, interval=0)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)

        self.add_button.clicked.connect(self.choose_files)
        self.folder_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        remove.activated.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._update)
        self._timer.timeout.connect(self._next_thumbnail)
        self._update()

    # --- what is chosen -------------------------------------------------------------------

    def paths(self) -> list[Path]:
        return [Path(self.list.item(i).data(_PATH)) for i in range(self.list.count())]

    def add_paths(self, paths: list[Path]) -> int:
        """Add files not chosen yet; returns how many were added."""
        have = set(self.paths())
        added = 0
        placeholder = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for path in paths:
            if path in have:
                continue
            have.add(path)
            item = QListWidgetItem(placeholder, "")
            item.setData(_PATH, str(path))
            item.setToolTip(path.name)
            self.list.addItem(item)
            self._queue.append(item)
            added += 1
        if self._queue:
            self._timer.start()
        self._update()
        if added:
            self.changed.emit()
        return added

    def clear(self) -> None:
        """Forget every chosen file (the dialog goes on to the next record)."""
        had = self.list.count()
        self._queue.clear()
        self.list.clear()
        self._update()
        if had:
            self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted((self.list.row(i) for i in self.list.selectedItems()), reverse=True)
        for row in rows:
            item = self.list.takeItem(row)
            if item in self._queue:
                self._queue.remove(item)
        self._update()
        if rows:
            self.changed.emit()

    # --- choosing -------------------------------------------------------------------------

    def choose_files(self) -> None:
        self.add_paths(choose_photo_files(self, self.tr("添加现场照片")))

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("添加文件夹中的全部照片"),
                                                  photo_folder())
        if not folder:
            return
        files = sorted(p for p in Path(folder).iterdir()
                       if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
        added = self.add_paths(files)
        if not files:
            self.count_label.setText(self.tr("该文件夹中没有照片"))
        elif not added:
            self.count_label.setText(self.tr("该文件夹中的照片均已添加"))

    # --- thumbnails -----------------------------------------------------------------------

    def _next_thumbnail(self) -> None:
        if not self._queue:
            self._timer.stop()
            return
        item = self._queue.pop(0)
        pixmap = thumbnail(Path(item.data(_PATH)))
        if pixmap is None:
            item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setToolTip(self.tr("{0}\n无法预览：可能不是图片，保存时将检查").format(
                Path(item.data(_PATH)).name))
        else:
            item.setIcon(QIcon(pixmap))

    def thumbnails_pending(self) -> int:
        return len(self._queue)

    def _update(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))
        n = self.list.count()
        parts = []
        if self.existing:
            parts.append(self.tr("已有 {0} 张").format(self.existing))
        parts.append(self.tr("新添 {0} 张").format(n) if n else self.tr("未添加照片"))
        self.count_label.setText("，".join(parts))
