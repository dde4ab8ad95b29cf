"""Build-time version files, all taken from pyproject.toml: Windows version resource,
the installer's #define include and the metadata the frozen app reads its version from."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "StreetLedger"  # the folder and executable name; installer.iss uses the same
APP_TITLE = "街道城管台账"
PUBLISHER = "StreetLedger"


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    with pyproject.open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """Windows wants four numbers: "1.2.0rc1" becomes (1, 2, 0, 0)."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3]]
    while len(numbers) < 4:
        numbers.append(0)
    return numbers[0], numbers[1], numbers[2], numbers[3]


def version_info_text(version: str) -> str:
    """PyInstaller's version-file format (a VSVersionInfo expression); 0x0804 is zh-CN."""
    nums = numeric_version(version)
    strings = {
        "CompanyName": PUBLISHER,
        "FileDescription": APP_TITLE,
        "FileVersion": version,
        "InternalName": APP_NAME,
        "LegalCopyright": f"© {PUBLISHER}",
        "OriginalFilename": f"{APP_NAME}.exe",
        "ProductName": f"{APP_TITLE} {APP_NAME}",
        "ProductVersion": version,
    }
    table = ",\n          ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""# Generated from pyproject.toml by packaging/versioninfo.py; do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={nums!r},
    prodvers={nums!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '080404b0',
        [
          {table}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""


def iss_include_text(version: str) -> str:
    """Included by installer.iss unless ISCC is given /DAppVersion=…."""
    numeric = ".".join(str(n) for n in numeric_version(version))
    return (
        "; Generated from pyproject.toml by packaging/versioninfo.py; do not edit.\n"
        f'#define AppVersion "{version}"\n'
        f'#define AppVersionNumeric "{numeric}"\n'
    )


def write_dist_info(version: str, folder: Path) -> Path:
    """A minimal streetledger-X.dist-info, so importlib.metadata.version() works frozen."""
    dist = folder / f"streetledger-{version}.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: streetledger\nVersion: {version}\n", encoding="utf-8")
    return dist


def write_iss_include(path: Path, version: str) -> Path:
    """build/version.iss for installer.iss; replaced whole, as parallel builds may race."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # Inno Setup 6 reads UTF-8 include files that start with a BOM.
    partial.write_text("\ufeff" + iss_include_text(version), encoding="utf-8")
    os.replace(partial, path)
    return path


def write_all(build_dir: Path, version: str | None = None) -> dict[str, Path]:
    """Write every generated file under build_dir (one per build); returns them by role."""
    version = version or project_version()
    build_dir.mkdir(parents=True, exist_ok=True)
    version_file = build_dir / "version_info.txt"
    version_file.write_text(version_info_text(version), encoding="utf-8")
    return {
        "version_file": version_file,
        "iss_include": write_iss_include(build_dir / "version.iss", version),
        "dist_info": write_dist_info(version, build_dir / "metadata"),
    }
