"""Benchmark figures of the 门前三包 area: the signing rate and batch printing."""

from __future__ import annotations

import datetime as dt
import io
import statistics
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as RLTable
from sqlalchemy import select

from db.models import FrontageAgreement

from .bench import Figure, Ledger, _ms, _paired
from .domain import agreements
from .domain.office import get_office
from .pdf import layout
from .pdf.agreement import agreement_story
from .pdf.paragraph import CjkParagraph, TextStyle

GOAL_RATE_MS = 300.0
GOAL_PRINT_RATIO = 1.5
PRINT_COUNT = 500
PRINT_RUNS = 3


def signing_rate(ledger: Ledger) -> Figure:
    today = dt.date.today()

    def app() -> object:
        with ledger.db.session() as s:
            return agreements.signing_rates(s, today)

    sql = ledger.record_calls(app)
    ms, base = _paired(app, lambda: ledger.replay(sql), 5)
    return Figure("agreements.signing_rate", ms, base, GOAL_RATE_MS, ledger.scale,
                  extra={"runs": 5})


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


def batch_print(ledger: Ledger) -> Figure:
    """500 agreements into one PDF, against bare reportlab setting the same text."""
    with ledger.db.session() as s:
        ids = list(s.scalars(select(FrontageAgreement.id).where(
            FrontageAgreement.status == "signed").order_by(FrontageAgreement.id).limit(PRINT_COUNT)))
        rows = [agreements.get(s, i) for i in ids]
        office = get_office(s)
        duties = agreements.duty_items(s)
    fonts = layout.cjk_fonts()

    def app() -> object:
        st = layout.styles(fonts)
        docs = [agreement_story(r, office, duties, st) for r in rows]
        return layout.build_pdf(io.BytesIO(), docs, title="门前三包责任书", fonts=fonts)

    def bare() -> object:
        st = layout.styles(fonts)
        cache: dict[str, ParagraphStyle] = {}
        story: list[Flowable] = []
        for index, row in enumerate(rows):
            if index:
                story.append(PageBreak())
            story.extend(_bare(f, cache) for f in agreement_story(row, office, duties, st))
        doc = SimpleDocTemplate(io.BytesIO(), pagesize=A4, leftMargin=layout.MARGIN_LEFT,
                                rightMargin=layout.MARGIN_RIGHT, topMargin=layout.MARGIN_TOP,
                                bottomMargin=layout.MARGIN_BOTTOM)
        doc.build(story)
        return doc.page

    pages = app()
    app_ms, bare_ms = [], []
    for _ in range(PRINT_RUNS):
        app_ms.append(_ms(app))
        bare_ms.append(_ms(bare))
    extra: dict[str, Any] = {"documents": len(rows), "pages": pages, "runs": PRINT_RUNS}
    return Figure("agreements.print_500", statistics.median(app_ms), statistics.median(bare_ms),
                  GOAL_PRINT_RATIO, ledger.scale, goal_kind="ratio", extra=extra)


FIGURES = {
    "agreements.signing_rate": signing_rate,
    "agreements.print_500": batch_print,
}
