"""Shared fixtures for the printed-document tests: the Chinese fonts, or a skip without them."""

from __future__ import annotations

import pytest

from desktop.pdf.fonts import FontNotFoundError, FontSet, cjk_fonts
from desktop.pdf.layout import Styles, styles


@pytest.fixture(scope="session")
def fonts() -> FontSet:
    try:
        return cjk_fonts()
    except FontNotFoundError as exc:
        pytest.skip(f"no embeddable CJK TrueType font on this machine: {exc}")


@pytest.fixture(scope="session")
def st(fonts: FontSet) -> Styles:
    return styles(fonts)
