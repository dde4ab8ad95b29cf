"""Chinese line breaking (禁则) for printed documents: where a line of mixed CJK text may end."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Marks that close something or end a clause: a reader must never meet one at the start of a line.
CANNOT_START = frozenset("，。；：！？、》）”’】〕…%)]}.,;:!?〉」』〗］｝％‰℃°′″·・～")
# Opening marks belong with what follows them, so they may never end a line.
CANNOT_END = frozenset("《（“‘【〔〈「『〖［｛([{")
# Doubled marks (——, ……) are one mark in Chinese and must not be torn apart.
DOUBLED = frozenset("—…")
# Inside a run of Latin letters or digits these keep numbers like 3.5, 12:30 or 2026-05-01 whole.
_JOINERS = frozenset(".:/-_@'")

# Lines may run this far past the measure before they count as too long (rounding of widths).
FUZZ = 1e-6
# When pushing an unbreakable run to the next line would leave more than _MAX_GAP_EMS empty
# and the run is a long code (a credit code, an ID number: wider than _CUTTABLE_EMS), it is cut:
# a gaping line reads worse than a cut code. Dates and phone numbers are never that long.
_MAX_GAP_EMS = 3.0
_CUTTABLE_EMS = 8.0
_MIN_CARRIED = 2


@dataclass(frozen=True)
class Line:
    """One output line: text[start:end], its natural width and whether a newline ended it."""

    start: int
    end: int
    width: float
    hard_break: bool = False


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or "\ufe00" <= ch <= "\ufe0f"


def may_break_before(text: str, i: int) -> bool:
    """Whether a line may end between text[i-1] and text[i] (0 < i < len(text))."""
    prev, ch = text[i - 1], text[i]
    if prev == "\n" or ch == "\n":
        return True
    if ch in CANNOT_START or prev in CANNOT_END:
        return False
    if ch == " " or prev == " ":
        # Spaces vanish at a break, so judge by the visible characters around the space run.
        j = i
        while j < len(text) and text[j] == " ":
            j += 1
        if j < len(text) and text[j] in CANNOT_START:
            return False
        j = i - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        return not (j >= 0 and text[j] in CANNOT_END)
    if _is_mark(ch):
        return False
    if prev == ch and ch in DOUBLED:
        return False
    if _is_word_char(prev) and _is_word_char(ch):
        return False
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if ch in _JOINERS and _is_word_char(prev) and _is_word_char(nxt):
        return False
    before = text[i - 2] if i >= 2 else ""
    if prev in _JOINERS and _is_word_char(before) and _is_word_char(ch):
        return False
    return True


def _span_width(widths: Sequence[float], start: int, end: int, char_space: float) -> float:
    """Visible width of text[start:end]: glyph advances plus spacing between, not after, glyphs."""
    if end <= start:
        return 0.0
    return sum(widths[start:end]) + (end - start - 1) * char_space


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] == " ":
        end -= 1
    return end


def break_lines(
    text: str,
    widths: Sequence[float],
    max_width: Callable[[int], float],
    *,
    char_space: float = 0.0,
    em: float = 16.0,
) -> list[Line]:
    """Split text into lines no wider than max_width(line_index), obeying the 禁则 above.

    widths[i] is the advance of text[i]; char_space is added between glyphs. A newline forces a
    break. Spaces at the start of a wrapped line are dropped; trailing spaces do not count.
    """
    if len(widths) != len(text):
        raise ValueError("widths must have one entry per character")
    n = len(text)
    # Break opportunities, plus forced breaks at newlines.
    units: list[tuple[int, int]] = []
    start = 0
    for i in range(1, n + 1):
        if i == n or may_break_before(text, i):
            units.append((start, i))
            start = i

    lines: list[Line] = []
    line_start = 0
    line_end = 0  # exclusive end of what is on the current line so far

    def close(end: int, hard: bool) -> None:
        nonlocal line_start, line_end
        visible_end = _trim_end(text, line_start, end)
        lines.append(
            Line(line_start, end, _span_width(widths, line_start, visible_end, char_space), hard)
        )
        line_start = line_end = end

    def skip_spaces(pos: int) -> int:
        while pos < n and text[pos] == " ":
            pos += 1
        return pos

    k = 0
    while k < len(units):
        u_start, u_end = units[k]
        if text[u_start] == "\n":
            close(u_start, True)
            line_start = line_end = u_end
            k += 1
            continue
        if line_start == line_end and lines and not lines[-1].hard_break and u_start == line_start:
            # A wrapped line never starts with a space left over from the break.
            new_start = skip_spaces(u_start)
            if new_start >= u_end:
                line_start = line_end = u_end
                k += 1
                continue
            line_start = line_end = new_start
            u_start = new_start
        limit = max_width(len(lines))
        visible_end = _trim_end(text, line_start, u_end)
        if _span_width(widths, line_start, visible_end, char_space) <= limit + FUZZ:
            line_end = u_end
            k += 1
            continue
        if line_end > line_start:
            gap = limit - _span_width(
                widths, line_start, _trim_end(text, line_start, line_end), char_space
            )
            long_run = _span_width(widths, u_start, u_end, char_space) > _CUTTABLE_EMS * em
            cut = None
            if gap > _MAX_GAP_EMS * em and long_run:
                cut = _cut_inside(text, widths, line_start, u_start, u_end, limit, char_space)
            if cut is not None:
                units[k] = (cut, u_end)
                close(cut, False)
            else:
                close(line_end, False)
            continue
        # The unit alone is wider than the line: cut it as late as the rules allow.
        cut = _cut_inside(text, widths, line_start, u_start, u_end, limit, char_space)
        if cut is None:
            cut = _last_fitting(widths, line_start, u_end, limit, char_space)
        units[k] = (cut, u_end)
        close(cut, False)
    if line_end > line_start or not lines or lines[-1].hard_break:
        close(line_end if line_end > line_start else line_start, False)
    return lines


def _last_fitting(
    widths: Sequence[float], line_start: int, end: int, limit: float, char_space: float
) -> int:
    """The end of the longest prefix of text[line_start:end] that fits; at least one character."""
    cut = line_start + 1
    while cut < end and _span_width(widths, line_start, cut + 1, char_space) <= limit + FUZZ:
        cut += 1
    return cut


def _cut_inside(
    text: str,
    widths: Sequence[float],
    line_start: int,
    u_start: int,
    u_end: int,
    limit: float,
    char_space: float,
) -> int | None:
    """The latest cut inside text[u_start:u_end] that fits and keeps the start/end rules."""
    best: int | None = None
    for cut in range(u_start + 1, u_end):
        if _span_width(widths, line_start, cut, char_space) > limit + FUZZ:
            break
        # Spaces vanish at the break, so the rules apply to the characters around them.
        after = cut
        while after < u_end and text[after] == " ":
            after += 1
        before = _trim_end(text, line_start, cut)
        if after == u_end or before == line_start:
            continue
        if text[after] in CANNOT_START or text[before - 1] in CANNOT_END or _is_mark(text[cut]):
            continue
        # A lone character carried over (…1234X / Y) reads worse than a slightly earlier cut.
        carried = sum(1 for ch in text[cut:u_end] if ch not in CANNOT_START)
        if carried < _MIN_CARRIED and cut - u_start >= _MIN_CARRIED:
            continue
        best = cut
    return best
