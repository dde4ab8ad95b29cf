"""Finds Chinese TrueType fonts on this machine and registers them with reportlab for embedding."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

ENV_FONT_DIR = "STREETLEDGER_FONT_DIR"
ENV_FONT_FILE = "STREETLEDGER_FONT"

# File names per role, best first. Windows file names are case-insensitive, and so is our lookup.
_BODY_FILES = (
    "simfang.ttf",  # 仿宋, the body face GB/T 9704 asks for
    "fzfsk.ttf",  # 方正仿宋_GBK
    "fzfsjw.ttf",  # 方正仿宋简体
    "stfangso.ttf",  # 华文仿宋
    "simsun.ttc",  # 宋体
    "simsun.ttf",
    "stsong.ttf",
    "msyh.ttc",
    "uming.ttc",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "droidsansfallbackfull.ttf",
)
_TITLE_FILES = (
    "fzxbsjw.ttf",  # 方正小标宋简体, what offices use for titles when they have it
    "fzxbsk.ttf",
    "simhei.ttf",  # 黑体
    "msyhbd.ttc",
    "simsun.ttc",
    "stsong.ttf",
    "msyh.ttc",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "uming.ttc",
    "droidsansfallbackfull.ttf",
)
_HEADING_FILES = (
    "simhei.ttf",
    "msyhbd.ttc",
    "msyh.ttc",
    "stheiti.ttf",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "simsun.ttc",
    "droidsansfallbackfull.ttf",
)
# Where non-Windows systems keep CJK TrueType fonts when fontconfig cannot tell us.
_KNOWN_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/google-droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)
_FONT_SUFFIXES = (".ttf", ".ttc")
# A font that cannot draw these is no use for a Chinese document.
_PROBE = "中文，。"


class FontNotFoundError(Exception):
    """No embeddable Chinese TrueType font was found; the message tells the clerk what to do."""

    def __init__(self, tried: Iterable[Path] = ()) -> None:
        self.tried = tuple(tried)
        super().__init__(
            "未找到可嵌入的中文TrueType字体（仿宋/宋体/黑体），无法生成PDF文书。"
            "请在 Windows 中安装仿宋（simfang.ttf）、宋体（simsun.ttc）或黑体（simhei.ttf），"
            f"或在“系统设置”中指定字体文件或所在文件夹（也可设置环境变量 {ENV_FONT_DIR} "
            f"为字体文件夹、{ENV_FONT_FILE} 为字体文件）。"
            "注意：.otf 字体和 PostScript 轮廓（CFF）的 .ttc 字体无法嵌入，请使用 .ttf/.ttc 的TrueType字体。"
        )


@dataclass(frozen=True)
class FontSet:
    """Registered reportlab font names: 仿宋-like body, song/hei title, hei section headings."""

    body: str
    title: str
    heading: str
    sources: Mapping[str, Path] = field(default_factory=dict, compare=False, hash=False)

    def names(self) -> tuple[str, ...]:
        """Distinct font names, body first: the order in which to look for a missing glyph."""
        return tuple(dict.fromkeys((self.body, self.title, self.heading)))


_ON_WINDOWS = sys.platform == "win32"
_lock = threading.Lock()
_registered: dict[tuple[Path, int], str] = {}
_failed: set[tuple[Path, int]] = set()
_cache: dict[tuple[Path | None, str, str], FontSet] = {}


def cjk_fonts(config_path: Path | None = None) -> FontSet:
    """The fonts for printed documents, registered with reportlab on first use.

    config_path (a font file or a folder of fonts, from the settings) is searched first, then the
    environment variables, then the system. Raises FontNotFoundError when nothing usable exists.
    """
    key = (config_path, os.environ.get(ENV_FONT_DIR, ""), os.environ.get(ENV_FONT_FILE, ""))
    with _lock:
        found = _cache.get(key)
        if found is None:
            found = _resolve(_configured_paths(config_path, key[1], key[2]))
            _cache[key] = found
        return found


def clear_cache() -> None:
    """Forget the chosen fonts so the next cjk_fonts() searches again (after settings change)."""
    with _lock:
        _cache.clear()


def has_glyph(font_name: str, ch: str) -> bool:
    """Whether the registered font can draw ch (standard PDF fonts are assumed to be Latin-1)."""
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    char_to_glyph = getattr(face, "charToGlyph", None)
    if char_to_glyph is None:
        return ord(ch) < 256
    return ord(ch) in char_to_glyph


def _configured_paths(config_path: Path | None, env_dir: str, env_file: str) -> list[Path]:
    paths: list[Path] = []
    if config_path is not None:
        paths.append(Path(config_path))
    if env_file:
        paths.append(Path(env_file))
    if env_dir:
        paths.append(Path(env_dir))
    return paths


def _resolve(configured: list[Path]) -> FontSet:
    tried: list[Path] = []
    roles: dict[str, str] = {}
    sources: dict[str, Path] = {}
    for role, wanted in (
        ("body", _BODY_FILES),
        ("title", _TITLE_FILES),
        ("heading", _HEADING_FILES),
    ):
        for path in _candidates(configured, wanted):
            name = _register(path)
            tried.append(path)
            if name is not None:
                roles[role] = name
                sources[name] = path
                break
    if not roles:
        raise FontNotFoundError(dict.fromkeys(tried))
    # One face serves every role when it is all there is: reportlab cannot embolden a TrueType face.
    body = roles.get("body") or roles.get("title") or roles["heading"]
    title = roles.get("title") or roles.get("heading") or body
    heading = roles.get("heading") or title
    return FontSet(body=body, title=title, heading=heading, sources=sources)


def _candidates(configured: list[Path], wanted: tuple[str, ...]) -> Iterator[Path]:
    """Font files to try for one role, best first; may repeat files, which are then cheap."""
    for path in configured:
        if path.is_dir():
            yield from _pick(_font_files(path), wanted, any_font=True)
        elif path.is_file():
            yield path
    if _ON_WINDOWS:
        # Scanning every font in the Windows folder would be slow; the known names suffice.
        files = [f for folder in _windows_font_dirs() for f in _font_files(folder)]
        yield from _pick(files, wanted, any_font=False)
    else:
        system = list(dict.fromkeys([*_fontconfig_files(), *_existing(_KNOWN_PATHS)]))
        yield from _pick(system, wanted, any_font=True)


def _windows_font_dirs() -> list[Path]:
    dirs = [Path(os.environ.get("WINDIR") or r"C:\Windows") / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return [d for d in dirs if d.is_dir()]


def _font_files(folder: Path) -> list[Path]:
    try:
        return sorted(
            p for p in folder.iterdir() if p.suffix.lower() in _FONT_SUFFIXES and p.is_file()
        )
    except OSError:
        return []


def _existing(paths: Iterable[str]) -> list[Path]:
    return [Path(p) for p in paths if Path(p).is_file()]


def _fontconfig_files() -> list[Path]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh", "file"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    files = []
    for line in result.stdout.splitlines():
        path = Path(line.strip().rstrip(":"))
        if path.suffix.lower() in _FONT_SUFFIXES:
            files.append(path)
    return sorted(files)


def _pick(files: list[Path], wanted: tuple[str, ...], *, any_font: bool) -> Iterator[Path]:
    by_name: dict[str, Path] = {}
    for p in files:
        by_name.setdefault(p.name.lower(), p)
    for name in wanted:
        if name in by_name:
            yield by_name[name]
    if any_font:
        yield from (p for p in files if p.name.lower() not in wanted)


def _register(path: Path, index: int = 0) -> str | None:
    """Register path's face number index with reportlab; None if it cannot be embedded."""
    try:
        key = (path.resolve(), index)
    except OSError:
        return None
    if key in _registered:
        return _registered[key]
    if key in _failed:
        return None
    name = _font_name(path, index)
    try:
        # reportlab refuses CFF (PostScript-outline) fonts and fonts whose licence forbids
        # embedding by raising here, which is exactly the test we need.
        font = TTFont(name, str(path), subfontIndex=index)
        if not all(ord(ch) in font.face.charToGlyph for ch in _PROBE):
            raise ValueError("no Chinese glyphs")
    except Exception:  # any unreadable or unembeddable font is simply skipped
        _failed.add(key)
        return None
    pdfmetrics.registerFont(font)
    _registered[key] = name
    return name


def _font_name(path: Path, index: int) -> str:
    # PDF font names must be ASCII; file names may well be Chinese.
    stem = re.sub(r"[^A-Za-z0-9]", "", path.stem) or "font"
    base = f"SL-{stem}-{index}"
    name, n = base, 1
    taken = set(_registered.values())
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name
