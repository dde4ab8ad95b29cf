"""Builds the frozen one-folder app (dist/StreetLedger) from packaging/streetledger.spec.

    python packaging/build.py                 build; prints the folder and its size
    python packaging/build.py --smoke         build, then run the frozen smoke test
    python packaging/build.py --print-version the version from pyproject.toml (for ISCC)

Then, on Windows: ISCC /DAppVersion=<version> installer.iss (or plain `ISCC installer.iss`,
which reads build/version.iss written by the spec).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import smoke
import versioninfo

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "streetledger.spec"


def build(distpath: Path, workpath: Path, *, clean: bool = False) -> Path:
    """Run PyInstaller; returns the app folder (distpath/StreetLedger)."""
    args = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
            "--distpath", str(distpath), "--workpath", str(workpath)]
    if clean:
        args.append("--clean")
    subprocess.run(args, cwd=ROOT, check=True)
    return distpath / versioninfo.APP_NAME


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist")
    parser.add_argument("--workpath", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--smoke", action="store_true", help="run the smoke test after building")
    parser.add_argument("--print-version", action="store_true")
    args = parser.parse_args(argv)
    version = versioninfo.project_version()
    if args.print_version:
        print(version)
        return 0
    started = time.perf_counter()
    app_dir = build(args.distpath, args.workpath, clean=args.clean)
    print(f"built {app_dir} ({smoke.folder_size(app_dir) / 2**20:.0f} MB) "
          f"in {time.perf_counter() - started:.0f} s")
    if args.smoke:
        with tempfile.TemporaryDirectory(prefix="streetledger-smoke-") as tmp:
            result = smoke.run(app_dir, Path(tmp) / "冒烟 测试", expected_version=version)
            print(smoke.report(result, app_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
