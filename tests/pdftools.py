"""Reading generated PDFs the way a reader does, with poppler's command-line tools."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

CLOSING = "，。；：！？、》）”’】〕…%)]}.,;:!?"


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    width: float
    height: float
    fonts: list[tuple[str, bool]]  # (name, embedded)
    text: str

    @property
    def is_a4(self) -> bool:
        return abs(self.width - 595.28) < 1 and abs(self.height - 841.89) < 1

    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    def lines_starting_with_closing_mark(self) -> list[str]:
        return [line for line in self.lines() if line[0] in CLOSING]


def read_pdf(path: Path) -> PdfFacts:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    fonts_out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
    fonts = []
    for line in fonts_out:
        parts = line.split()
        # name type [type2] encoding emb sub uni id gen: emb is 5th from the end
        fonts.append((parts[0], parts[-5] == "yes"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return PdfFacts(pages, w, h, fonts, text)


def squeeze(text: str) -> str:
    """Text without whitespace, for 'appears in this order' checks across wrapped lines."""
    return re.sub(r"\s+", "", text)
