"""Search keys for Chinese text: pinyin initials and the combined search column."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    """Lower-case pinyin initials of the Chinese characters; letters and digits kept as typed.

    火锅店 → hgd, 7天酒店 → 7tjd.
    """
    # Imported here: its phrase dictionary costs a fifth of a second at start-up.
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default", strict=False)
    return "".join(ch for part in parts for ch in part.lower() if ch.isalnum())


def search_text(*fields: str | None) -> str:
    """One lower-cased string the search box matches; it ends with the separator too.

    The trailing "|" gives a two-character term at the very end a trigram of its own.
    """
    return "|".join((f or "").lower() for f in fields) + "|"


def like_pattern(term: str) -> str:
    """A LIKE pattern for a substring, with the LIKE wildcards in the term escaped."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
