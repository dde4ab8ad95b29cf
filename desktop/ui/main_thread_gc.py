"""Garbage collection on the GUI thread only, while the window is open."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class MainThreadGc(QObject):
    """Python collects cycles in whatever thread happens to allocate; a cycle holding a Qt
    object freed on the database worker's thread crashes the process. So automatic
    collection is off while the window lives, and this timer collects on the GUI thread."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()
        self.destroyed.connect(self._restore)

    def collect(self) -> None:
        gc.collect()

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def _restore(self) -> None:
        if self._was_enabled:
            gc.enable()
