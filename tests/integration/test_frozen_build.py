"""The frozen one-folder build: PyInstaller from the committed spec, then the program run as a
clerk's PC runs it, from folders with Chinese names and spaces (about a minute and a half)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_packaging_{name}", ROOT / "packaging" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("PyInstaller") is None:
        if os.environ.get("CI"):
            pytest.fail("PyInstaller is missing: it is part of the test extra")
        pytest.skip("PyInstaller is not installed (pip install -e '.[test]')")
    base = tmp_path_factory.mktemp("frozen")
    dist = base / "发布 目录"
    subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"),
                    "--distpath", str(dist), "--workpath", str(base / "work")],
                   cwd=ROOT, check=True, timeout=900)
    app_dir = dist / "StreetLedger"
    assert app_dir.is_dir()
    return app_dir


def test_frozen_app_runs_from_any_folder(frozen_app: Path, tmp_path: Path) -> None:
    smoke = _load("smoke")
    versioninfo = _load("versioninfo")
    result = smoke.run(frozen_app, tmp_path / "任意 文件夹", expected_version=versioninfo.project_version())
    print(smoke.report(result, frozen_app))  # shown with -s: size and timings
    assert result.version == f"StreetLedger {versioninfo.project_version()}"
    assert result.pdf.stat().st_size > 10_000  # a real page with an embedded CJK subset


def test_frozen_app_carries_resources_and_migrations(frozen_app: Path) -> None:
    internal = frozen_app / "_internal"
    migrations = internal / "db" / "migrations"
    assert (migrations / "env.py").is_file() and (migrations / "script.py.mako").is_file()
    revisions = {p.name for p in (ROOT / "db" / "migrations" / "versions").glob("*.py")}
    assert revisions and revisions <= {p.name for p in (migrations / "versions").glob("*.py")}
    assert (internal / "resources" / "help" / "index.html").is_file()
    assert (internal / "resources" / "icons" / "streetledger.png").is_file()
    assert not (internal / "resources" / "installer").exists()
    # Excluded Qt modules stay out, so the folder stays small.
    qt = list(internal.rglob("*Qt6Quick*")) + list(internal.rglob("*Qt6Qml*"))
    assert not qt, qt
    assert not list(internal.rglob("QtQml*")) and not list(internal.rglob("QtWebEngine*"))
