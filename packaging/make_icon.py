"""Draws the application icon (a ledger book with a red seal) as PNG and multi-size ICO.

Run once when the design changes; the outputs are committed under resources/icons/.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
SIZE = 1024  # drawn large, scaled down with antialiasing
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]

COVER = (22, 84, 140)  # ledger-book blue
COVER_EDGE = (14, 56, 96)
PAGES = (250, 247, 238)
RULE = (150, 170, 190)
SEAL = (200, 30, 36)


def _star(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def draw() -> Image.Image:
    s = SIZE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    # The book: a cover with a spine, the page block showing at the right edge.
    d.rounded_rectangle((s * 0.14, s * 0.06, s * 0.80, s * 0.94), radius=s * 0.05, fill=COVER_EDGE)
    d.rounded_rectangle((s * 0.20, s * 0.08, s * 0.84, s * 0.92), radius=s * 0.04, fill=PAGES)
    d.rounded_rectangle((s * 0.14, s * 0.06, s * 0.78, s * 0.90), radius=s * 0.05, fill=COVER)
    d.rectangle((s * 0.14, s * 0.06, s * 0.24, s * 0.90), fill=COVER_EDGE)
    # The label on the cover with ruled lines, as on a paper ledger.
    d.rounded_rectangle((s * 0.32, s * 0.16, s * 0.70, s * 0.52), radius=s * 0.02, fill=PAGES)
    for i in range(4):
        y = s * (0.24 + i * 0.075)
        d.line((s * 0.37, y, s * 0.65, y), fill=RULE, width=max(2, s // 60))
    # The seal: a red ring with a star, overlapping the lower right corner.
    cx, cy, r = s * 0.66, s * 0.72, s * 0.22
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 255, 255, 235))
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=SEAL, width=int(s * 0.04))
    d.polygon(_star(cx, cy, r * 0.55), fill=SEAL)
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "streetledger.png", optimize=True)
    big.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "streetledger.ico", sizes=ICO_SIZES)
    print(f"wrote {OUT / 'streetledger.png'} and {OUT / 'streetledger.ico'}")


if __name__ == "__main__":
    main()
