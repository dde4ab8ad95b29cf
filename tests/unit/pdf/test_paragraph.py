"""Tests of the Chinese paragraph flowable: wrapping on the body grid and splitting across pages."""

from __future__ import annotations

from desktop.pdf.layout import BODY_LEADING, CHARS_PER_LINE, TEXT_WIDTH, Styles, blank, p
from desktop.pdf.linebreak import CANNOT_START
from desktop.pdf.paragraph import CjkParagraph, Run


def test_body_lines_hold_28_characters_after_a_two_character_indent(st: Styles) -> None:
    par = p("门前三包责任区" * 20, st.body)
    par.wrap(TEXT_WIDTH, 1000)
    lengths = [len(line) for line in par.line_texts()]
    assert lengths[:3] == [CHARS_PER_LINE - 2, CHARS_PER_LINE, CHARS_PER_LINE]


def test_punctuation_is_pulled_back_not_left_at_a_line_start(st: Styles) -> None:
    # The second line is full when a full stop comes that would start line 3.
    text = "甲" * 26 + "乙" * 28 + "。" + "丙" * 10
    par = p(text, st.body)
    par.wrap(TEXT_WIDTH, 1000)
    lines = par.line_texts()
    assert all(line[0] not in CANNOT_START for line in lines)
    assert lines[2].startswith("乙。")


def test_split_keeps_every_character_once(st: Styles) -> None:
    text = "城市管理，综合执法。" * 60
    par = p(text, st.body)
    _w, height = par.wrap(TEXT_WIDTH, 10_000)
    parts = par.split(TEXT_WIDTH, BODY_LEADING * 5 + 3)
    assert len(parts) == 2
    head, tail = parts
    assert isinstance(head, CjkParagraph) and isinstance(tail, CjkParagraph)
    assert head.wrap(TEXT_WIDTH, 10_000)[1] == BODY_LEADING * 5
    tail.wrap(TEXT_WIDTH, 10_000)
    assert "".join(head.line_texts() + tail.line_texts()) == text
    assert tail.getSpaceBefore() == 0
    assert head.line_count + tail.line_count == height / BODY_LEADING


def test_nothing_fits_means_no_split(st: Styles) -> None:
    assert p("正文", st.body).split(TEXT_WIDTH, BODY_LEADING / 2) == []


def test_runs_carry_underlines(st: Styles) -> None:
    par = p(["于", blank(3), Run("2026年", underline=True), "前"], st.body)
    assert par.text == "于\u3000\u3000\u30002026年前"
    assert par.underline == (False, True, True, True, True, True, True, True, True, False)


def test_windows_line_ends_become_breaks(st: Styles) -> None:
    par = p("第一行\r\n第二行", st.body_noindent)
    par.wrap(TEXT_WIDTH, 1000)
    assert par.line_texts() == ["第一行", "第二行"]
