"""The clerk's user guide (使用说明): resources/help/index.html in a QTextBrowser."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.config import resources_dir

from .window_state import RememberingDialog


def help_index() -> Path:
    return resources_dir() / "help" / "index.html"


class HelpDialog(RememberingDialog):
    """Not modal: the clerk reads the guide beside the window while doing what it says."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help")
        self.setWindowTitle(self.tr("使用说明"))
        self.resize(QSize(940, 680))
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # _follow decides where each link opens
        self.browser.anchorClicked.connect(self._follow)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> bool:
        index = help_index()
        if not index.is_file():
            self.browser.setHtml(self.tr("<p>未找到使用说明文件：{0}</p>").format(index))
            return False
        self.browser.setSearchPaths([str(index.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(index)))
        return True

    def _follow(self, url: QUrl) -> None:
        # Anchors and other pages of the guide stay in the browser; web links open outside.
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        else:
            self.browser.setSource(url)
