"""Tests of finding and registering Chinese fonts: search order, odd paths, the error message."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.pdf import fonts as fonts_module
from desktop.pdf.fonts import FontNotFoundError, FontSet, cjk_fonts, clear_cache, has_glyph


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(fonts_module.ENV_FONT_DIR, raising=False)
    monkeypatch.delenv(fonts_module.ENV_FONT_FILE, raising=False)
    clear_cache()
    yield
    clear_cache()


@pytest.fixture()
def font_file(fonts: FontSet) -> Path:
    """A real embeddable CJK font file from this machine."""
    return fonts.sources[fonts.body]


def no_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts_module, "_ON_WINDOWS", False)
    monkeypatch.setattr(fonts_module, "_fontconfig_files", lambda: [])
    monkeypatch.setattr(fonts_module, "_KNOWN_PATHS", ())


def test_system_fonts_are_found_and_embeddable(fonts: FontSet) -> None:
    assert cjk_fonts() is cjk_fonts()  # cached
    for name in fonts.names():
        assert has_glyph(name, "中")
        assert has_glyph(name, "，")


def test_configured_folder_with_chinese_name_comes_first(
    tmp_path: Path, font_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "字体 文件夹"
    folder.mkdir()
    copy = folder / f"仿宋 副本{font_file.suffix}"
    shutil.copyfile(font_file, copy)
    found = cjk_fonts(folder)
    assert found.sources[found.body] == copy
    assert found.body.isascii()


def test_env_font_file_is_used(
    tmp_path: Path, font_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / f"mine{font_file.suffix}"
    shutil.copyfile(font_file, copy)
    monkeypatch.setenv(fonts_module.ENV_FONT_FILE, str(copy))
    found = cjk_fonts()
    assert {found.sources[n] for n in found.names()} == {copy}


def test_windows_picks_fangsong_body_and_hei_titles(
    tmp_path: Path, font_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two copies of one face under the Windows file names stand in for 仿宋 and 黑体.
    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    shutil.copyfile(font_file, windir / "Fonts" / "SIMHEI.TTF")
    user_fonts = tmp_path / "Local" / "Microsoft" / "Windows" / "Fonts"
    user_fonts.mkdir(parents=True)
    shutil.copyfile(font_file, user_fonts / "simfang.ttf")
    (windir / "Fonts" / "arial.ttf").write_bytes(b"not a font")
    no_system_fonts(monkeypatch)
    monkeypatch.setattr(fonts_module, "_ON_WINDOWS", True)
    monkeypatch.setenv("WINDIR", str(windir))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    found = cjk_fonts()
    assert found.sources[found.body].name == "simfang.ttf"
    assert found.sources[found.title].name == "SIMHEI.TTF"
    assert found.heading == found.title


def test_unusable_files_are_skipped(
    tmp_path: Path, font_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_system_fonts(monkeypatch)
    (tmp_path / "a-broken.ttf").write_bytes(b"\0\1\0\0garbage")
    (tmp_path / "b-cff.otf").write_bytes(b"OTTO")
    shutil.copyfile(font_file, tmp_path / f"z-good{font_file.suffix}")
    found = cjk_fonts(tmp_path)
    assert found.sources[found.body].name.startswith("z-good")


def test_no_font_gives_a_chinese_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_system_fonts(monkeypatch)
    (tmp_path / "broken.ttf").write_bytes(b"garbage")
    with pytest.raises(FontNotFoundError) as caught:
        cjk_fonts(tmp_path)
    message = str(caught.value)
    assert message.startswith("未找到可嵌入的中文TrueType字体（仿宋/宋体/黑体）")
    assert "simfang.ttf" in message
    assert fonts_module.ENV_FONT_DIR in message
