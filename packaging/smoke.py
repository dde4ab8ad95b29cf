"""Smoke test of a frozen StreetLedger folder: runs the executable as a clerk's PC would.

--version, demo data into a fresh ledger, a rectification notice printed to PDF with its
fonts embedded, and the window opened offscreen for a few seconds. Used by
`packaging/build.py --smoke` and by tests/integration/test_frozen_build.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

GUI_SECONDS_MS = 3000  # how long the window stays open (STREETLEDGER_QUIT_AFTER_MS)
TIMEOUT_S = 180


class SmokeError(AssertionError):
    """A step failed; the message says which and shows the program's output."""


@dataclass
class SmokeResult:
    version: str
    pdf: Path
    timings: dict[str, float] = field(default_factory=dict)  # step -> seconds

    @property
    def gui_start_s(self) -> float:
        """Start-up of the window: the whole GUI run less the time it was asked to stay open."""
        return max(0.0, self.timings["gui"] - GUI_SECONDS_MS / 1000)


def executable(app_dir: Path, *, console: bool = True) -> Path:
    """The program in a frozen folder; on Windows the console twin runs the command line."""
    if sys.platform == "win32":
        name = "StreetLedger-cli.exe" if console else "StreetLedger.exe"
    else:
        name = "StreetLedger"
    return app_dir / name


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Everything the program writes stays in the work folder, never in the clerk's profile.
    env.update({
        "STREETLEDGER_DATA_DIR": str(work / "数据"),
        "XDG_CONFIG_HOME": str(work / "config"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONIOENCODING": "utf-8",
    })
    env.pop("STREETLEDGER_DB", None)
    env.pop("PYTHONPATH", None)  # the frozen app must not lean on the source tree
    return env


def _run(step: str, args: list[str], *, cwd: Path, env: dict[str, str],
         timings: dict[str, float]) -> subprocess.CompletedProcess[str]:
    started = time.perf_counter()
    try:
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise SmokeError(f"{step}: no answer within {TIMEOUT_S} s") from exc
    timings[step] = time.perf_counter() - started
    if done.returncode != 0 or "Traceback" in done.stderr:
        raise SmokeError(f"{step}: exit code {done.returncode}\n--- stdout\n{done.stdout}"
                         f"\n--- stderr\n{done.stderr}")
    return done


def embedded_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font in the PDF: pdffonts where it is installed,
    otherwise a look at the font dictionaries (Windows runners have no poppler)."""
    pdffonts = shutil.which("pdffonts")
    if pdffonts:
        out = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True,
                             encoding="utf-8", errors="replace").stdout
        fonts = []
        for line in out.splitlines()[2:]:
            # name, type (may contain spaces), encoding, emb, sub, uni, object, generation
            match = re.match(r"^(\S+)\s+.*?\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
            if match:
                fonts.append((match.group(1), match.group(2) == "yes"))
        return fonts
    data = pdf.read_bytes()
    names = re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", data)
    embedded = b"/FontFile2" in data or b"/FontFile3" in data
    return [(n.decode("latin-1"), embedded) for n in dict.fromkeys(names)]


def run(app_dir: Path, work: Path, *, expected_version: str | None = None,
        businesses: int = 200) -> SmokeResult:
    """Run every step from `work` (any folder, Chinese names and spaces welcome)."""
    work.mkdir(parents=True, exist_ok=True)
    exe = executable(app_dir)
    if not exe.is_file():
        raise SmokeError(f"no executable at {exe}")
    env = _env(work)
    timings: dict[str, float] = {}
    db = work / "演示 台账.sqlite3"

    out = _run("version", [str(exe), "--version"], cwd=work, env=env, timings=timings)
    version = out.stdout.strip()
    if not version.startswith("StreetLedger "):
        raise SmokeError(f"--version printed {version!r}")
    if expected_version and version != f"StreetLedger {expected_version}":
        raise SmokeError(f"--version printed {version!r}, pyproject.toml says {expected_version}")

    _run("demo", [str(exe), "demo", "--businesses", str(businesses), "--db", str(db)],
         cwd=work, env=env, timings=timings)
    listed = _run("list", [str(exe), "list", "notices", "--limit", "1", "--json", "--db", str(db)],
                  cwd=work, env=env, timings=timings)
    rows = json.loads(listed.stdout)["rows"]
    if not rows:
        raise SmokeError("the demo ledger has no notices to print")
    pdf = work / "通知书 样张.pdf"
    _run("print", [str(exe), "print", "notice", rows[0]["number"], "--db", str(db),
                   "--out", str(pdf)], cwd=work, env=env, timings=timings)
    if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
        raise SmokeError(f"print notice wrote no PDF at {pdf}")
    fonts = embedded_fonts(pdf)
    if not fonts or not all(emb for _name, emb in fonts):
        raise SmokeError(f"fonts not all embedded in {pdf}: {fonts}")

    gui_env = dict(env, STREETLEDGER_QUIT_AFTER_MS=str(GUI_SECONDS_MS),
                   STREETLEDGER_START_PAGE="ledger")
    _run("gui", [str(executable(app_dir, console=False)), "--db", str(db)],
         cwd=work, env=gui_env, timings=timings)
    return SmokeResult(version=version, pdf=pdf, timings=timings)


def report(result: SmokeResult, app_dir: Path) -> str:
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    return (f"{result.version}: folder {folder_size(app_dir) / 2**20:.0f} MB; {steps}; "
            f"window start-up about {result.gui_start_s:.1f} s")
