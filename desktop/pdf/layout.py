"""A4 page layout for printed documents after GB/T 9704: styles, form blocks and PDF output."""

from __future__ import annotations

import errno
import io
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    PageBreak,
    PageTemplate,
    Table,
    TableStyle,
)

from desktop.pdf.blocks import FormCell, PinnedBottom, SealBlock, Stack
from desktop.pdf.fonts import FontSet, cjk_fonts, has_glyph
from desktop.pdf.paragraph import CjkParagraph, Run, TextLike, TextStyle

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 37 * mm
MARGIN_BOTTOM = 35 * mm
MARGIN_LEFT = 28 * mm
MARGIN_RIGHT = 26 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm

BODY_SIZE = 16.0  # 三号
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
# 28 characters of 16 pt are 448 pt, a little more than the 156 mm measure; like Word's
# document grid we close the gaps slightly so that exactly 28 fit.
BODY_CHAR_SPACE = (TEXT_WIDTH - CHARS_PER_LINE * BODY_SIZE) / (CHARS_PER_LINE - 1)
BODY_LEADING = math.floor(TEXT_HEIGHT / LINES_PER_PAGE * 100) / 100
TABLE_SIZE = 14.0  # 四号: forms need more words per line than body text

_RULE_COLOR = colors.black


class PdfWriteError(Exception):
    """The PDF could not be saved; the message says why in words the clerk can act on."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of printed documents."""

    heading: TextStyle  # the office's name above the title
    title: TextStyle
    number: TextStyle  # 文号, centred on its own line
    body: TextStyle
    body_noindent: TextStyle  # addressee lines, continuation lines
    label: TextStyle  # 黑体 run-in headings such as 一、
    sign_right: TextStyle  # signature lines flush right
    small: TextStyle
    note: TextStyle  # copies note under the rule
    table_label: TextStyle
    table_cell: TextStyle
    fonts: FontSet


def styles(fonts: FontSet | None = None) -> Styles:
    """The document styles set in the given fonts (the system's Chinese fonts by default)."""
    fonts = fonts or cjk_fonts()
    fallback = fonts.names()
    body = TextStyle(
        name="body",
        font_name=fonts.body,
        font_size=BODY_SIZE,
        leading=BODY_LEADING,
        alignment="justify",
        char_space=BODY_CHAR_SPACE,
        fallback_fonts=fallback,
    )
    body = body.derive("body", first_line_indent=2 * body.cell)
    table_cell = body.derive(
        "table_cell",
        font_size=TABLE_SIZE,
        leading=TABLE_SIZE * 1.5,
        char_space=0.0,
        first_line_indent=0.0,
        alignment="left",
    )
    return Styles(
        heading=body.derive(
            "heading",
            font_name=fonts.title,
            font_size=22.0,  # 二号
            leading=34.0,
            alignment="center",
            char_space=0.0,
            first_line_indent=0.0,
        ),
        title=body.derive(
            "title",
            font_name=fonts.title,
            font_size=22.0,
            leading=34.0,
            alignment="center",
            # Short titles read as a title only when spaced out a little.
            char_space=4.0,
            first_line_indent=0.0,
            space_after=BODY_LEADING * 0.25,
        ),
        number=body.derive(
            "number", alignment="center", first_line_indent=0.0, space_after=BODY_LEADING * 0.5
        ),
        body=body,
        body_noindent=body.derive("body_noindent", first_line_indent=0.0),
        label=body.derive("label", font_name=fonts.heading, first_line_indent=0.0),
        sign_right=body.derive(
            "sign_right", alignment="right", first_line_indent=0.0, right_indent=2 * body.cell
        ),
        small=table_cell.derive("small", font_size=12.0, leading=18.0),
        note=table_cell.derive(
            "note",
            alignment="justify",
            left_indent=TABLE_SIZE,
            right_indent=TABLE_SIZE,
        ),
        table_label=table_cell.derive("table_label", alignment="center"),
        table_cell=table_cell,
        fonts=fonts,
    )


def p(text: TextLike, style: TextStyle) -> CjkParagraph:
    """A paragraph of plain text; '<', '&' and '>' in user data print as they are."""
    return CjkParagraph(text, style)


def blank(chars: int = 4) -> Run:
    """An underlined blank to be filled in by hand, chars Chinese characters wide."""
    return Run("\u3000" * chars, underline=True)


_CHECKBOX_GLYPHS = (("☑", "☐"), ("■", "□"), ("√", "□"))


def checkbox(checked: bool, fonts: FontSet | None = None) -> str:
    """A tick box the fonts can draw: ☑/☐ when available, else ■/□."""
    names = (fonts or cjk_fonts()).names()
    for pair in _CHECKBOX_GLYPHS:
        if all(any(has_glyph(name, ch) for name in names) for ch in pair):
            return pair[0] if checked else pair[1]
    return "[X]" if checked else "[ ]"


def rule(thickness: float = 0.35 * mm, space_before: float = 4.0) -> HRFlowable:
    """A full-width rule, as above the copies note."""
    return HRFlowable(
        width="100%",
        thickness=thickness,
        color=_RULE_COLOR,
        spaceBefore=space_before,
        spaceAfter=2.0,
        hAlign="CENTER",
    )


def copies_note(text: str, st: Styles, *, at_page_bottom: bool = True) -> Flowable:
    """A rule and the copies note ("本通知书一式两份…"), by default at the foot of the page."""
    parts: list[Flowable] = [rule(), p(text, st.note)]
    return PinnedBottom(parts) if at_page_bottom else Stack(parts)


def signature_block(
    office: str, date_text: str, st: Styles, *, seal_space: float = BODY_LEADING
) -> Flowable:
    """The office's name and the date at the seal position.

    As GB/T 9704 has it: the date flush right with four characters' indent, the name centred
    over the date (flush right when it is longer), room above for the seal to overlap both.
    """
    return SealBlock(office, date_text, st.body_noindent, seal_space)


@dataclass(frozen=True)
class FormRow:
    """One row of a two-column form: a label cell and its value cell.

    label None makes the value span both columns. footer is set at the bottom right of the
    value cell, as the "年 月 日" under a signature space; min_height leaves room to write.
    """

    label: str | None
    value: TextLike | Flowable | Sequence[Flowable] = ""
    min_height: float = 0.0
    footer: TextLike = ""


def form_table(
    rows: Sequence[FormRow],
    st: Styles,
    *,
    label_width: float = 40 * mm,
    width: float = TEXT_WIDTH,
) -> Table:
    """A bordered two-column form (label | value), as used by 送达回证."""
    data: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.75, _RULE_COLOR),
        # Table selects its cell font even for flowable cells; the default is Helvetica.
        ("FONT", (0, 0), (-1, -1), st.fonts.body, TABLE_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    footer_style = st.table_cell.derive("cell_footer", alignment="right")
    for index, row in enumerate(rows):
        value = row.value
        if isinstance(value, Flowable):
            contents: list[Flowable] = [value]
        elif isinstance(value, str | Run):
            contents = [p(value, st.table_cell)]
        elif value and all(isinstance(v, Flowable) for v in value):
            contents = list(value)
        else:
            contents = [p(value, st.table_cell)]
        footer = p(row.footer, footer_style) if row.footer else None
        cell = FormCell(contents, footer, row.min_height)
        if row.label is None:
            data.append([cell, ""])
            commands.append(("SPAN", (0, index), (1, index)))
        else:
            data.append([p(row.label, st.table_label), cell])
    table = Table(data, colWidths=[label_width, width - label_width], hAlign="CENTER", spaceAfter=6)
    table.setStyle(TableStyle(commands))
    return table


def build_pdf(
    out: Path | BinaryIO,
    docs: Sequence[Sequence[Flowable]],
    *,
    title: str,
    author: str = "",
    subject: str = "",
    fonts: FontSet | None = None,
) -> int:
    """Lay out several documents into one PDF, each from a new page; returns the page count.

    A document longer than one page gets "第 N 页 共 M 页" under the text. A file is written
    whole or not at all. Raises PdfWriteError when it cannot be saved.
    """
    if not docs or not all(docs):
        raise ValueError("build_pdf needs at least one document, none of them empty")
    fonts = fonts or cjk_fonts()
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        creator="StreetLedger 街道城管台账",
        lang="zh-CN",
        # Otherwise every page would name Helvetica, a font that is never embedded.
        initialFontName=fonts.body,
        initialFontSize=12,
    )
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        TEXT_WIDTH,
        TEXT_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="text",
    )
    template.addPageTemplates([PageTemplate(id="a4", frames=[frame], onPage=_page_number_slot)])
    story: list[Flowable] = []
    for index, doc in enumerate(docs):
        if index:
            story.append(PageBreak())
        story.append(_DocStart())
        story.extend(doc)
    template.build(story, canvasmaker=partial(_NumberingCanvas, number_font=fonts.body))
    canvas: _NumberingCanvas = template.canv
    data = buffer.getvalue()
    if isinstance(out, Path):
        _write_whole(out, data)
    else:
        try:
            out.write(data)
        except OSError as exc:
            raise PdfWriteError(f"无法写出PDF：{exc.strerror or exc}") from exc
    return canvas.pages


# Page numbers are drawn into per-page forms defined at the end, when each document's
# length is known; reportlab allows a page to use a form before it is defined.
def _page_form_name(page: int) -> str:
    return f"SLPageNo{page}"


def _page_number_slot(canvas: Canvas, _doc: BaseDocTemplate) -> None:
    canvas.doForm(_page_form_name(canvas.getPageNumber()))


class _NumberingCanvas(Canvas):
    def __init__(self, *args: Any, number_font: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.number_font = number_font
        self.doc_starts: list[int] = []
        self.pages = 0

    def showPage(self) -> None:  # noqa: N802
        self.pages += 1
        super().showPage()

    def save(self) -> None:
        starts = [*self.doc_starts, self.pages + 1]
        for first, after in zip(starts, starts[1:], strict=False):
            total = after - first
            for page in range(first, after):
                self.beginForm(_page_form_name(page))
                if total > 1:
                    self.setFont(self.number_font, 12)
                    self.drawCentredString(
                        MARGIN_LEFT + TEXT_WIDTH / 2,
                        MARGIN_BOTTOM - 7 * mm - 12,
                        f"第 {page - first + 1} 页 共 {total} 页",
                    )
                self.endForm()
        super().save()


class _DocStart(Flowable):
    """Marks the page where a document begins, for its page numbers."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        canvas = self.canv
        if isinstance(canvas, _NumberingCanvas):
            canvas.doc_starts.append(canvas.getPageNumber())


def _write_whole(path: Path, data: bytes) -> None:
    """Write data to path via a temporary file in the same folder, so no half file remains."""
    folder = path.parent
    if path.is_dir():
        raise PdfWriteError(f"无法保存PDF：“{path}”是一个文件夹，请输入文件名。", path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~", suffix=".pdf.tmp", dir=folder)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise PdfWriteError(
            f"无法保存PDF：文件夹“{folder}”不存在。请重新选择保存位置。", path
        ) from exc
    except PermissionError as exc:
        raise PdfWriteError(
            f"无法保存PDF：没有在文件夹“{folder}”中保存文件的权限。"
            "请选择其他位置（例如“文档”或“桌面”）。",
            path,
        ) from exc
    except OSError as exc:
        raise PdfWriteError(_os_error_message(exc, path), path) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, PermissionError):
            raise PdfWriteError(
                f"无法保存PDF：文件“{path.name}”正被其他程序打开（例如PDF阅读器）或为只读。"
                "请关闭该文件后重试，或换一个文件名保存。",
                path,
            ) from exc
        if isinstance(exc, OSError):
            raise PdfWriteError(_os_error_message(exc, path), path) from exc
        raise


def _os_error_message(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"无法保存PDF：磁盘空间不足（{path.parent}）。"
    return f"无法保存PDF文件“{path}”：{exc.strerror or exc}"
