"""Batch printing measured against bare reportlab setting the same text on the same pages."""

from __future__ import annotations

import io
import statistics
from collections.abc import Callable
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as RLTable

from .bench import Figure, _ms
from .pdf import layout
from .pdf.paragraph import CjkParagraph, TextStyle

GOAL_PRINT_RATIO = 1.5
PRINT_RUNS = 3

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


def _rl_style(style: TextStyle) -> ParagraphStyle:
    return ParagraphStyle(
        style.name, fontName=style.font_name, fontSize=style.font_size, leading=style.leading,
        alignment=_ALIGN[style.alignment], firstLineIndent=style.first_line_indent,
        leftIndent=style.left_indent, rightIndent=style.right_indent,
        spaceBefore=style.space_before, spaceAfter=style.space_after, wordWrap="CJK")


def _bare(flowable: Flowable, cache: dict[str, ParagraphStyle]) -> Flowable:
    """The same content as reportlab's own Paragraph, Table and Spacer would set it."""
    if isinstance(flowable, CjkParagraph):
        style = cache.setdefault(flowable.style.name, _rl_style(flowable.style))
        return Paragraph(escape(flowable.text), style)
    if isinstance(flowable, RLTable):
        return flowable
    children = getattr(flowable, "_content", None) or getattr(flowable, "parts", None)
    if children:
        return RLTable([[[_bare(c, cache) for c in children]]])
    return Spacer(1, 12)


def print_figure(name: str, stories: Callable[[layout.Styles], list[list[Flowable]]],
                 scale: int) -> Figure:
    """`stories` builds the documents; the app lays them out, so does bare reportlab."""
    fonts = layout.cjk_fonts()

    def app() -> int:
        docs = stories(layout.styles(fonts))
        return layout.build_pdf(io.BytesIO(), docs, title=name, fonts=fonts)

    def bare() -> int:
        cache: dict[str, ParagraphStyle] = {}
        story: list[Flowable] = []
        for index, doc in enumerate(stories(layout.styles(fonts))):
            if index:
                story.append(PageBreak())
            story.extend(_bare(f, cache) for f in doc)
        pdf = SimpleDocTemplate(io.BytesIO(), pagesize=A4, leftMargin=layout.MARGIN_LEFT,
                                rightMargin=layout.MARGIN_RIGHT, topMargin=layout.MARGIN_TOP,
                                bottomMargin=layout.MARGIN_BOTTOM)
        pdf.build(story)
        return int(pdf.page)

    pages = app()
    documents = len(stories(layout.styles(fonts)))
    app_ms, bare_ms = [], []
    for _ in range(PRINT_RUNS):
        app_ms.append(_ms(app))
        bare_ms.append(_ms(bare))
    return Figure(name, statistics.median(app_ms), statistics.median(bare_ms), GOAL_PRINT_RATIO,
                  scale, goal_kind="ratio",
                  extra={"documents": documents, "pages": pages, "runs": PRINT_RUNS})
