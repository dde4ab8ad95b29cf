"""Tests of Chinese line breaking: the 禁则 hold and no text is lost or overflows."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as hs

from desktop.pdf.linebreak import CANNOT_END, CANNOT_START, FUZZ, Line, break_lines

EM = 10.0


def widths_of(text: str) -> list[float]:
    # Chinese and full-width marks one em, ASCII half an em, like a real CJK font.
    return [EM / 2 if ch.isascii() else EM for ch in text]


def wrap(text: str, chars: float, first: float | None = None) -> list[str]:
    lines = break_lines(
        text,
        widths_of(text),
        lambda i: (first if first is not None and i == 0 else chars) * EM,
        em=EM,
    )
    return [text[ln.start : ln.end].rstrip(" \n") for ln in lines]


def test_plain_chinese_fills_every_line() -> None:
    text = "城市管理综合执法局" * 10
    lines = wrap(text, 28, first=26)
    assert [len(line) for line in lines] == [26, 28, 28, 8]
    assert "".join(lines) == text


def test_closing_marks_never_start_a_line() -> None:
    for mark in "，。；：！？、》）”’】〕…%)]}.,;:!?":
        text = "一" * 9 + mark + "二" * 5
        lines = wrap(text, 9)
        assert all(line[0] not in CANNOT_START for line in lines), (mark, lines)
        assert lines[0] == "一" * 8


def test_opening_marks_never_end_a_line() -> None:
    for mark in "《（“‘【〔":
        text = "一" * 9 + mark + "二" * 5
        lines = wrap(text, 10)
        assert all(line[-1] not in CANNOT_END for line in lines), (mark, lines)
        assert lines[0] == "一" * 9


def test_doubled_dash_and_ellipsis_stay_together() -> None:
    for mark in ("——", "……"):
        lines = wrap("一" * 9 + mark + "二", 10)
        assert mark in "".join(lines)
        assert not any(line.endswith(mark[0]) and not line.endswith(mark) for line in lines)


def test_numbers_and_codes_are_not_split_when_avoidable() -> None:
    lines = wrap("一二三四五六2026-05-01七八", 10)
    assert any("2026-05-01" in line for line in lines)


def test_long_code_is_cut_rather_than_leaving_a_gaping_line() -> None:
    text = "代码：" + "91330100MA2H1234XY" + "，完"
    lines = wrap(text, 10)
    assert lines[0].startswith("代码：9133")  # no line left nearly empty for the code
    assert "".join(lines) == text
    assert all(len(line) > 1 for line in lines)


def test_newline_forces_a_break_and_keeps_leading_spaces() -> None:
    assert wrap("甲乙\n  丙丁", 10) == ["甲乙", "  丙丁"]


def test_spaces_at_a_soft_break_are_dropped() -> None:
    lines = wrap("abcd efgh ijkl", 4)
    assert lines == ["abcd", "efgh", "ijkl"]


def test_empty_text_is_one_empty_line() -> None:
    assert break_lines("", [], lambda _i: 100.0) == [Line(0, 0, 0.0)]


_ALPHABET = hs.sampled_from(
    list("城市管理执法门前三包责任书")
    + list("，。；：！？、》）”《（“【】")
    + list("ab12 .-")
    + ["\n"]
)


@settings(max_examples=300, deadline=None)
@example("“““ “", 4)
@example("““” ”", 4)
@given(hs.text(alphabet=_ALPHABET, max_size=200), hs.integers(min_value=4, max_value=30))
def test_lines_fit_cover_the_text_and_keep_the_rules(text: str, chars: int) -> None:
    widths = widths_of(text)
    limit = chars * EM
    lines = break_lines(text, widths, lambda _i: limit, em=EM)

    # Lines are consecutive; only spaces (at a soft break) or one newline fall between them.
    assert lines[0].start == 0
    for before, after in zip(lines, lines[1:], strict=False):
        gap = text[before.end : after.start]
        assert gap.strip(" ") == "" or gap == "\n", (text, before, after)
    assert lines[-1].end == len(text)

    for index, line in enumerate(lines):
        visible = text[line.start : line.end].rstrip(" \n")
        if len(visible) > 1:
            assert line.width <= limit + FUZZ, (text, visible)
        if index + 1 == len(lines) or line.hard_break or not visible:
            continue
        nxt = lines[index + 1]
        starts_badly = nxt.start < len(text) and text[nxt.start] in CANNOT_START
        ends_badly = visible[-1] in CANNOT_END
        if starts_badly or ends_badly:
            # Only a run that cannot be broken and is wider than the line may be cut anywhere.
            # (Keeping the next mark on this line would keep the spaces before it, too.)
            forced = sum(widths[line.start : nxt.start + 1]) > limit + FUZZ
            # A line of nothing but opening marks has no better place to break.
            hopeless = set(visible) <= set(CANNOT_END)
            assert forced or hopeless, (text, visible, text[nxt.start :])
