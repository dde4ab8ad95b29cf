"""The layout of a details panel: its fields above, a running text (history, documents) below."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget


def fields_over_text(panel: QWidget, fields: QWidget, below: QWidget, name: str, *,
                     stretch: tuple[int, int] = (1, 1),
                     sizes: Sequence[int] | None = None) -> QSplitter:
    """Fill `panel` with `fields` over `below` in a vertical splitter named `name` (its
    position is remembered by that name).

    Long values wrap to several lines; a splitter alone would squeeze the rows to one line
    each, so the fields scroll instead, and never sideways.
    """
    scroll = QScrollArea()
    scroll.setWidget(fields)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.setObjectName(name)
    splitter.addWidget(scroll)
    splitter.addWidget(below)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    splitter.setCollapsible(0, False)
    if sizes is not None:
        splitter.setSizes(list(sizes))
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(splitter)
    return splitter
