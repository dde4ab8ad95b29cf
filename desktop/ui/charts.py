"""Bar and line charts for the home page, drawn by pyqtgraph inside ordinary Qt widgets.

A chart shows a few series over named categories (communities, months). Pointing at a bar
or a point tells its figure; clicking it emits `activated(series, category)`, which the
page turns into the filtered list behind that figure. Pan, zoom and pyqtgraph's own menu
are switched off: these are figures to read, not data to explore.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

pg.setConfigOptions(antialias=True, background="w", foreground="#404040")

PALETTE = ("#1f6fb2", "#2e9d5b", "#d9822b", "#b71c1c", "#7b4fa0")
MAX_VALUE_LABELS = 40  # more bars than this and the figures on top would run together
HIT_PIXELS = 12  # how near a click must be to a line chart's point


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str = ""


def _figure(value: float, percent: bool) -> str:
    if percent:
        return f"{value:.1%}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


class _Chart(QWidget):
    """Title and legend above a pyqtgraph plot with pan, zoom and menu off."""

    activated = Signal(int, int)  # series index, category index

    def __init__(self, title: str, *, percent: bool = False, hint: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.percent = percent
        self.hint = hint
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.title_label = QLabel(title)
        font = QFont(self.title_label.font())
        font.setBold(True)
        self.title_label.setFont(font)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(150)
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        item = self.plot.getPlotItem()
        item.showGrid(y=True, alpha=0.25)
        self.view = item.getViewBox()
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.plot.scene().sigMouseMoved.connect(self._moved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)

    # --- what subclasses provide ----------------------------------------------------------

    def _draw(self) -> None:
        raise NotImplementedError

    def hit(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """The (series, category) under a point of the scene, if any."""
        raise NotImplementedError

    # --- shared ---------------------------------------------------------------------------

    def set_data(self, categories: Sequence[str], series: Sequence[Series]) -> None:
        self.categories = list(categories)
        self.series = [s if s.colour else Series(s.name, s.values, PALETTE[i % len(PALETTE)])
                       for i, s in enumerate(series)]
        self.plot.getPlotItem().clear()
        self.legend.setText("　".join(
            f'<span style="color:{s.colour}">■</span> {html.escape(s.name)}' for s in self.series))
        self.legend.setVisible(len(self.series) > 1)
        axis = self.plot.getPlotItem().getAxis("bottom")
        axis.setTicks([list(enumerate(self.categories))])
        left = self.plot.getPlotItem().getAxis("left")
        top = max((max(s.values, default=0) for s in self.series), default=0)
        if self.percent:
            left.setTicks([[(v / 100, f"{v}%") for v in range(0, 101, 20)]])
            self.view.setYRange(0, 1.08, padding=0)
        else:
            left.setTicks(None)
            self.view.setYRange(0, max(top * 1.15, 1), padding=0)
        self.view.setXRange(-0.6, len(self.categories) - 0.4, padding=0)
        if self.categories:
            self._draw()

    def figure_text(self, series: int, category: int) -> str:
        s = self.series[series]
        return f"{self.categories[category]} {s.name}：{_figure(s.values[category], self.percent)}"

    def point_of(self, series: int, category: int) -> QPointF:
        """Where a figure sits in the plot widget's coordinates (for clicking it)."""
        scene = self.view.mapViewToScene(self._anchor(series, category))
        return QPointF(self.plot.mapFromScene(scene))

    def _anchor(self, series: int, category: int) -> QPointF:
        raise NotImplementedError

    def _clicked(self, event: object) -> None:
        button = event.button()  # type: ignore[attr-defined]
        if button != Qt.MouseButton.LeftButton:
            return
        found = self.hit(event.scenePos())  # type: ignore[attr-defined]
        if found is not None:
            self.activated.emit(*found)

    def _moved(self, scene_pos: QPointF) -> None:
        found = self.hit(scene_pos)
        if found is None:
            self.plot.viewport().unsetCursor()
            QToolTip.hideText()
            return
        self.plot.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        text = self.figure_text(*found)
        if self.hint:
            text += f"\n{self.hint}"
        global_pos = self.plot.viewport().mapToGlobal(self.plot.mapFromScene(scene_pos))
        QToolTip.showText(global_pos, text, self.plot)


class BarChart(_Chart):
    """Grouped vertical bars: one group per category, one bar per series, figures on top."""

    GROUP_WIDTH = 0.7

    def _bar_width(self) -> float:
        return self.GROUP_WIDTH / max(1, len(self.series))

    def _x(self, series: int, category: int) -> float:
        width = self._bar_width()
        return category - self.GROUP_WIDTH / 2 + width * (series + 0.5)

    def _draw(self) -> None:
        item = self.plot.getPlotItem()
        width = self._bar_width()
        labels = len(self.series) * len(self.categories) <= MAX_VALUE_LABELS
        for s, series in enumerate(self.series):
            xs = [self._x(s, c) for c in range(len(self.categories))]
            item.addItem(pg.BarGraphItem(x=xs, height=list(series.values), width=width * 0.92,
                                         brush=QColor(series.colour), pen=pg.mkPen(None)))
            if not labels:
                continue
            for x, value in zip(xs, series.values, strict=True):
                text = pg.TextItem(_figure(value, self.percent), color="#303030", anchor=(0.5, 1.0))
                text.setPos(x, value)
                item.addItem(text)

    def _clickable_top(self, series: int, category: int) -> float:
        # A short bar is hard to hit: the column above it counts up to a tenth of the height.
        return max(self.series[series].values[category], self.view.viewRange()[1][1] * 0.1)

    def _anchor(self, series: int, category: int) -> QPointF:
        return QPointF(self._x(series, category), self._clickable_top(series, category) / 2)

    def hit(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if not self.categories or not self.view.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.view.mapSceneToView(scene_pos)
        width = self._bar_width()
        category = round(point.x())
        if not 0 <= category < len(self.categories):
            return None
        series = int((point.x() - (category - self.GROUP_WIDTH / 2)) // width)
        if not 0 <= series < len(self.series):
            return None
        return (series, category) if 0 <= point.y() <= self._clickable_top(series, category) else None


class LineChart(_Chart):
    """Lines with a marker at each category; a click near a marker activates it."""

    def _draw(self) -> None:
        item = self.plot.getPlotItem()
        xs = list(range(len(self.categories)))
        for series in self.series:
            item.addItem(pg.PlotDataItem(
                xs, list(series.values), pen=pg.mkPen(series.colour, width=2),
                symbol="o", symbolSize=7, symbolBrush=QColor(series.colour),
                symbolPen=pg.mkPen(series.colour)))

    def _anchor(self, series: int, category: int) -> QPointF:
        return QPointF(category, self.series[series].values[category])

    def hit(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if not self.categories or not self.view.sceneBoundingRect().contains(scene_pos):
            return None
        best: tuple[float, tuple[int, int]] | None = None
        for s in range(len(self.series)):
            for c in range(len(self.categories)):
                marker = self.view.mapViewToScene(self._anchor(s, c))
                distance = (marker - scene_pos).manhattanLength()
                if distance <= HIT_PIXELS and (best is None or distance < best[0]):
                    best = (distance, (s, c))
        return best[1] if best else None
