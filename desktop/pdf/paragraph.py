"""A reportlab flowable for Chinese paragraphs: 禁则 line breaking, justification, underlined runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from desktop.pdf.fonts import has_glyph
from desktop.pdf.linebreak import Line, break_lines

Alignment = Literal["left", "center", "right", "justify"]

# Centre of an ideograph's em box above the baseline, in ems: centring that in the line box
# puts the text visually in the middle of its line, whatever the font's ascent claims.
_EM_CENTRE = 0.38
# Justifying a line whose text is far too short (a long code pushed to the next line) would
# scatter it; beyond this many ems of extra space per gap the line stays ragged instead.
_MAX_STRETCH_EMS = 0.5


@dataclass(frozen=True)
class TextStyle:
    """How a paragraph is set; lengths are in points."""

    name: str
    font_name: str
    font_size: float
    leading: float
    alignment: Alignment = "left"
    first_line_indent: float = 0.0
    left_indent: float = 0.0
    right_indent: float = 0.0
    char_space: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    fallback_fonts: tuple[str, ...] = ()

    def derive(self, name: str, **changes: Any) -> TextStyle:
        """A copy of this style with some fields changed."""
        return replace(self, name=name, **changes)

    @property
    def cell(self) -> float:
        """The advance of one Chinese character, spacing included."""
        return self.font_size + self.char_space


@dataclass(frozen=True)
class Run:
    """A piece of paragraph text; underlined runs show filled-in values or blanks on forms."""

    text: str
    underline: bool = False


TextLike = str | Run | Sequence[str | Run]


def _flatten(text: TextLike) -> tuple[str, tuple[bool, ...]]:
    parts: Sequence[str | Run] = [text] if isinstance(text, str | Run) else text
    chars: list[str] = []
    flags: list[bool] = []
    for part in parts:
        run = part if isinstance(part, Run) else Run(part)
        # Carriage returns from Windows text fields would otherwise print as boxes.
        clean = run.text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "  ")
        chars.append(clean)
        flags.extend([run.underline] * len(clean))
    return "".join(chars), tuple(flags)


# Batches set the same few thousand characters over and over: measure each once.
@lru_cache(maxsize=65536)
def _char_width(ch: str, font: str, size: float) -> float:
    return float(stringWidth(ch, font, size))


@lru_cache(maxsize=65536)
def _font_for(ch: str, font: str, fallbacks: tuple[str, ...]) -> str:
    if ch.isspace() or has_glyph(font, ch):
        return font
    for name in fallbacks:
        if has_glyph(name, ch):
            return name
    return font


class CjkParagraph(Flowable):
    """A paragraph of Chinese (and mixed Latin) text set on a character grid.

    No markup is interpreted: '<', '&' and the like print as themselves.
    """

    def __init__(self, text: TextLike, style: TextStyle) -> None:
        flat, flags = _flatten(text)
        self._setup(flat, flags, style, continuation=False)

    @classmethod
    def _piece(
        cls, text: str, flags: tuple[bool, ...], style: TextStyle, continuation: bool
    ) -> CjkParagraph:
        """A part of a paragraph split across pages."""
        piece = cls.__new__(cls)
        piece._setup(text, flags, style, continuation=continuation)
        return piece

    def _setup(
        self, text: str, flags: tuple[bool, ...], style: TextStyle, *, continuation: bool
    ) -> None:
        super().__init__()
        self.text, self.underline = text, flags
        self.style = style
        # A continuation on the next page is not a new paragraph: no indent, no space above.
        self._continuation = continuation
        self._fonts = [self._font_for(ch) for ch in self.text]
        self._widths = [
            _char_width(ch, font, style.font_size) if ch != "\n" else 0.0
            for ch, font in zip(self.text, self._fonts, strict=True)
        ]
        self._lines: list[Line] = []
        self._wrapped_for: float | None = None
        self._justify_last = False
        self.spaceBefore = 0.0 if continuation else style.space_before
        self.spaceAfter = style.space_after

    def __repr__(self) -> str:
        return f"CjkParagraph({self.text[:20]!r}, {self.style.name})"

    def _font_for(self, ch: str) -> str:
        return _font_for(ch, self.style.font_name, self.style.fallback_fonts)

    def _first_indent(self) -> float:
        return 0.0 if self._continuation else self.style.first_line_indent

    def _measure(self, avail_width: float) -> float:
        return avail_width - self.style.left_indent - self.style.right_indent

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._wrapped_for != availWidth:
            measure = self._measure(availWidth)
            first = measure - self._first_indent()
            style = self.style
            self._lines = break_lines(
                self.text,
                self._widths,
                lambda i: first if i == 0 else measure,
                char_space=style.char_space,
                em=style.font_size,
            )
            self._wrapped_for = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def minWidth(self) -> float:  # noqa: N802
        widest = max(self._widths, default=0.0)
        return widest + self.style.left_indent + self.style.right_indent + self._first_indent()

    def natural_width(self) -> float:
        """The width of the widest line when nothing needs wrapping."""
        lines = break_lines(
            self.text,
            self._widths,
            lambda _i: float("inf"),
            char_space=self.style.char_space,
            em=self.style.font_size,
        )
        return max((ln.width for ln in lines), default=0.0)

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def line_texts(self) -> list[str]:
        """The text of each line as last wrapped, for tests and previews."""
        return [self.text[ln.start : ln.end].rstrip(" \n") for ln in self._lines]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= len(self._lines):
            return [self]
        if fit <= 0:
            return []
        end = self._lines[fit - 1].end
        head = CjkParagraph._piece(
            self.text[:end], self.underline[:end], self.style, self._continuation
        )
        head._lines = self._lines[:fit]
        head._wrapped_for = availWidth
        head._justify_last = True
        head.spaceAfter = 0.0
        start = self._lines[fit].start
        tail = CjkParagraph._piece(self.text[start:], self.underline[start:], self.style, True)
        return [head, tail]

    def draw(self) -> None:
        canvas: Canvas = self.canv
        style = self.style
        measure = self._measure(self.width)
        canvas.saveState()
        canvas.setLineWidth(max(0.5, style.font_size / 32))
        for index, line in enumerate(self._lines):
            top = self.height - index * style.leading
            baseline = top - style.leading / 2 - _EM_CENTRE * style.font_size
            indent = self._first_indent() if index == 0 else 0.0
            self._draw_line(
                canvas, line, index, baseline, style.left_indent + indent, measure - indent
            )
        canvas.restoreState()

    def _draw_line(
        self, canvas: Canvas, line: Line, index: int, baseline: float, x0: float, room: float
    ) -> None:
        style = self.style
        end = line.end
        while end > line.start and self.text[end - 1] in " \n":
            end -= 1
        count = end - line.start
        if count <= 0:
            return
        spacing = style.char_space
        x = x0
        slack = room - line.width
        is_last = index == len(self._lines) - 1 and not self._justify_last
        if style.alignment == "justify" and not is_last and not line.hard_break and count > 1:
            extra = slack / (count - 1)
            if 0 < extra <= _MAX_STRETCH_EMS * style.font_size:
                spacing += extra
        elif style.alignment == "center":
            x += slack / 2
        elif style.alignment == "right":
            x += slack

        text = canvas.beginText()
        text.setTextOrigin(x, baseline)
        text.setCharSpace(spacing)
        run_start = line.start
        for i in range(line.start, end + 1):
            if i == end or self._fonts[i] != self._fonts[run_start]:
                text.setFont(self._fonts[run_start], style.font_size)
                text.textOut(self.text[run_start:i])
                run_start = i
        canvas.drawText(text)

        # Underlines span whole glyph cells so that blanks of spaces show as a line to write on.
        xs = [x]
        for i in range(line.start, end):
            xs.append(xs[-1] + self._widths[i] + spacing)
        y = baseline - 0.15 * style.font_size
        i = line.start
        while i < end:
            if not self.underline[i]:
                i += 1
                continue
            j = i
            while j < end and self.underline[j]:
                j += 1
            canvas.line(xs[i - line.start], y, xs[j - line.start] - spacing, y)
            i = j
