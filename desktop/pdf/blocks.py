"""Composite flowables for printed documents: stacked blocks, the seal block, form cells."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable

from desktop.pdf.paragraph import CjkParagraph, TextStyle


class Stack(Flowable):
    """Flowables kept together and drawn top to bottom as one block."""

    def __init__(self, parts: Sequence[Flowable]) -> None:
        super().__init__()
        self.parts = list(parts)
        self._sizes: list[tuple[float, float, float, float]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._sizes = []
        for part in self.parts:
            w, h = part.wrap(availWidth, availHeight)
            self._sizes.append((w, h, part.getSpaceBefore(), part.getSpaceAfter()))
        self.width = availWidth
        self.height = self.content_height()
        return self.width, self.height

    def content_height(self) -> float:
        return sum(h + before + after for _w, h, before, after in self._sizes)

    def draw(self) -> None:
        self.draw_from(self.height)

    def draw_from(self, top: float) -> None:
        y = top
        for part, (w, h, before, after) in zip(self.parts, self._sizes, strict=True):
            y -= before + h
            x = 0.0
            align = getattr(part, "hAlign", "LEFT")
            if align == "CENTER":
                x = (self.width - w) / 2
            elif align == "RIGHT":
                x = self.width - w
            part.drawOn(self.canv, x, y)
            y -= after


class PinnedBottom(Stack):
    """A block that sits at the foot of the page it lands on (or of the next, if it won't fit)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        super().wrap(availWidth, availHeight)
        self.height = max(self.content_height(), availHeight)
        return self.width, self.height

    def draw(self) -> None:
        self.draw_from(self.content_height())


class SealBlock(Flowable):
    """The office's name centred over the date, the date four characters from the right."""

    def __init__(self, office: str, date_text: str, style: TextStyle, seal_space: float) -> None:
        super().__init__()
        self.office = office
        self.date_text = date_text
        self.style = style
        self.seal_space = seal_space
        self._stack: Stack | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        style = self.style.derive("seal", alignment="left", first_line_indent=0.0)
        date = CjkParagraph(self.date_text, style)
        office = CjkParagraph(self.office, style)
        date_width = date.natural_width()
        office_width = office.natural_width()
        date_x = max(0.0, availWidth - 4 * style.cell - date_width)
        office_x = date_x + date_width / 2 - office_width / 2
        office_x = max(0.0, min(office_x, availWidth - office_width))
        self._stack = Stack(
            [
                CjkParagraph(self.office, style.derive("seal_office", left_indent=office_x)),
                CjkParagraph(self.date_text, style.derive("seal_date", left_indent=date_x)),
            ]
        )
        _w, h = self._stack.wrap(availWidth, availHeight)
        self.width, self.height = availWidth, h + self.seal_space
        return self.width, self.height

    def draw(self) -> None:
        assert self._stack is not None
        self._stack.drawOn(self.canv, 0, 0)


class FormCell(Flowable):
    """A table cell's contents with a minimum height and an optional bottom-right footer."""

    def __init__(
        self, contents: Sequence[Flowable], footer: Flowable | None, min_height: float
    ) -> None:
        super().__init__()
        self.body = Stack(contents)
        self.footer = footer
        self.min_height = min_height
        self._footer_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        _w, body_height = self.body.wrap(availWidth, availHeight)
        self._footer_height = self.footer.wrap(availWidth, availHeight)[1] if self.footer else 0.0
        self.width = availWidth
        self.height = max(self.min_height, body_height + self._footer_height)
        return self.width, self.height

    def draw(self) -> None:
        self.body.drawOn(self.canv, 0, self.height - self.body.height)
        if self.footer is not None:
            self.footer.drawOn(self.canv, 0, 0)
