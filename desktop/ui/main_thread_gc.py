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
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()
        self.destroyed.connect(self._restore)

    def collect(self) -> None:
        # Only the generations Python itself would have collected by now, as automatic
        # collection does: a full collection every second would stall the window.
        gen0, gen1, gen2 = gc.get_count()
        t0, t1, t2 = self._thresholds
        if gen0 > t0:
            gc.collect(0)
            if gen1 > t1:
                gc.collect(1)
                if gen2 > t2:
                    gc.collect(2)

    def stop(self) -> None:
        """After the worker has stopped: automatic collection is safe again."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def _restore(self) -> None:
        if self._was_enabled:
            gc.enable()
