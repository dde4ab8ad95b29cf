"""The Windows delivery's files agree with each other: spec, installer script, language file,
version files, icon and the clerk's guide."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from PIL import Image

from desktop.single_instance import MUTEX_NAME

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "streetledger.spec"
ISS = ROOT / "installer.iss"
ISL = ROOT / "resources" / "installer" / "ChineseSimplified.isl"
HELP = ROOT / "resources" / "help"
BOM = b"\xef\xbb\xbf"


def _load(name: str) -> ModuleType:
    # packaging/ is a folder of scripts, not a package; load them by path.
    spec = importlib.util.spec_from_file_location(f"_packaging_{name}", ROOT / "packaging" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


versioninfo = _load("versioninfo")


def _spec_list(name: str) -> list[str]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list | tuple)
            return list(value)
    raise AssertionError(f"{name} not found in {SPEC.name}")


def _iss_text() -> str:
    raw = ISS.read_bytes()
    assert raw.startswith(BOM), "ISCC reads the Chinese text only from UTF-8 with a BOM"
    return raw[len(BOM):].decode("utf-8")


def _iss_setup() -> dict[str, str]:
    section = re.search(r"^\[Setup\]\s*$(.*?)^\[", _iss_text(), re.S | re.M)
    assert section
    pairs = {}
    for line in section.group(1).splitlines():
        line = line.strip()
        if line and not line.startswith(";") and "=" in line:
            key, value = line.split("=", 1)
            pairs[key.strip()] = value.strip()
    return pairs


def _iss_defines() -> dict[str, str]:
    return dict(re.findall(r'^#define (\w+) "([^"]*)"', _iss_text(), re.M))


# --- the spec --------------------------------------------------------------------------------


def test_spec_excludes_unused_qt_modules() -> None:
    excludes = set(_spec_list("QT_EXCLUDES"))
    for module in ("QtQml", "QtQuick", "QtQuickWidgets", "QtWebEngineCore", "QtWebEngineWidgets",
                   "Qt3DCore", "QtMultimedia", "QtCharts", "QtGraphs", "QtDesigner", "QtSql"):
        assert f"PySide6.{module}" in excludes
    # ...and none that the app imports.
    used = set()
    for path in (ROOT / "desktop").rglob("*.py"):
        used.update(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert used, "the app imports Qt modules"
    assert not {f"PySide6.{m}" for m in used} & excludes
    assert {"tkinter", "pytest"} <= set(_spec_list("PY_EXCLUDES"))


def test_spec_bundles_resources_migrations_and_icon() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert '"db" / "migrations"' in text and '".mako"' in text
    assert '(ROOT / "resources")' in text
    assert (ROOT / "db" / "migrations" / "script.py.mako").is_file()
    assert 'icons" / "streetledger.ico"' in text
    assert "console=False" in text  # the clerk's shortcut opens no console window


# --- version files ----------------------------------------------------------------------------


def test_version_comes_from_pyproject() -> None:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as f:
        assert versioninfo.project_version() == tomllib.load(f)["project"]["version"]


def test_numeric_version_has_four_parts() -> None:
    assert versioninfo.numeric_version("0.1.0") == (0, 1, 0, 0)
    assert versioninfo.numeric_version("1.2.0rc1") == (1, 2, 0, 0)
    assert versioninfo.numeric_version("2.3.4.5+local") == (2, 3, 4, 0)


def test_version_files_are_generated_from_one_version(tmp_path: Path) -> None:
    files = versioninfo.write_all(tmp_path, "1.2.3")
    text = files["version_file"].read_text(encoding="utf-8")
    # PyInstaller evaluates the file as one Python expression (VSVersionInfo(...)).
    tree = ast.parse(text, mode="eval")
    assert isinstance(tree.body, ast.Call) and ast.unparse(tree.body.func) == "VSVersionInfo"
    assert "filevers=(1, 2, 3, 0)" in text and "prodvers=(1, 2, 3, 0)" in text
    assert "StringStruct('ProductVersion', '1.2.3')" in text and "街道城管台账" in text
    assert "VarStruct('Translation', [0x0804, 1200])" in text
    iss = files["iss_include"].read_bytes()
    assert iss.startswith(BOM)
    assert '#define AppVersion "1.2.3"' in iss.decode("utf-8-sig")
    assert '#define AppVersionNumeric "1.2.3.0"' in iss.decode("utf-8-sig")
    metadata = (files["dist_info"] / "METADATA").read_text(encoding="utf-8")
    assert "Name: streetledger" in metadata and "Version: 1.2.3" in metadata


# --- the installer ----------------------------------------------------------------------------


def test_iss_packs_the_folder_the_spec_builds() -> None:
    defines = _iss_defines()
    assert defines["DistDir"] == f"dist\\{versioninfo.APP_NAME}"
    assert defines["AppExeName"] == f"{versioninfo.APP_NAME}.exe"
    assert 'Source: "{#DistDir}\\*"' in _iss_text()
    # build.py writes there by default, relative to the repository root like the .iss.
    assert 'default=ROOT / "dist"' in (ROOT / "packaging" / "build.py").read_text(encoding="utf-8")


def test_iss_version_comes_from_the_build_or_the_command_line() -> None:
    text = _iss_text()
    assert re.search(r'#ifndef AppVersion\s+#include "build\\version.iss"\s+#endif', text)
    setup = _iss_setup()
    assert setup["AppVersion"] == "{#AppVersion}"
    assert setup["VersionInfoVersion"] == "{#AppVersionNumeric}"
    assert "{#AppVersion}" in setup["OutputBaseFilename"]


def test_iss_installs_per_user_with_fixed_app_id_and_mutex() -> None:
    setup = _iss_setup()
    guid = _iss_defines()["AppGuid"]
    assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}", guid)
    assert setup["AppId"] == "{{{#AppGuid}}"
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["PrivilegesRequiredOverridesAllowed"] == "dialog"
    assert setup["DefaultDirName"].startswith("{autopf}")
    assert _iss_defines()["AppMutexName"] == MUTEX_NAME
    assert setup["AppMutex"] == "{#AppMutexName},Global\\{#AppMutexName}"
    text = _iss_text()
    assert 'MessagesFile: "resources\\installer\\ChineseSimplified.isl"' in text
    assert "Tasks: desktopicon" in text and "{autoprograms}" in text


def test_iss_keeps_the_data_folder_unless_asked() -> None:
    text = _iss_text()
    code = text[text.index("[Code]"):]
    assert "CurUninstallStepChanged" in code and "MsgBox(" in code and "MB_DEFBUTTON2" in code
    assert "DelTree(DataDir()" in code and "if RemoveData then" in code
    assert "{localappdata}\\{#DataFolderName}" in code
    # Nothing in the install sections ever points at the data folder.
    install = text[:text.index("[Code]")]
    assert "{localappdata}" not in install
    assert "{app}" in install.split("[InstallDelete]")[1].split("[")[0]


def test_iss_help_shortcut_points_at_bundled_guide() -> None:
    assert "{app}\\_internal\\resources\\help\\index.html" in _iss_text()
    assert (HELP / "index.html").is_file()


# --- the language file ------------------------------------------------------------------------


REQUIRED_MESSAGES = (
    "SetupAppTitle", "SetupWindowTitle", "UninstallAppTitle", "UninstallAppFullTitle",
    "SetupAppRunningError", "UninstallAppRunningError",
    "PrivilegesRequiredOverrideTitle", "PrivilegesRequiredOverrideText1",
    "PrivilegesRequiredOverrideText2", "PrivilegesRequiredOverrideAllUsers",
    "PrivilegesRequiredOverrideCurrentUser", "ExitSetupMessage", "ButtonBack", "ButtonNext",
    "ButtonInstall", "ButtonOK", "ButtonCancel", "ButtonYes", "ButtonNo", "ButtonFinish",
    "ButtonBrowse", "ButtonWizardBrowse", "ClickNext", "WelcomeLabel1", "WelcomeLabel2",
    "WizardSelectDir", "SelectDirDesc", "SelectDirLabel3", "SelectDirBrowseLabel",
    "DiskSpaceMBLabel", "WizardSelectTasks", "SelectTasksDesc", "SelectTasksLabel2",
    "WizardReady", "ReadyLabel1", "ReadyLabel2a", "ReadyLabel2b", "ReadyMemoDir",
    "ReadyMemoTasks", "WizardPreparing", "ApplicationsFound", "ApplicationsFound2",
    "CloseApplications", "DontCloseApplications", "WizardInstalling", "InstallingLabel",
    "FinishedHeadingLabel", "FinishedLabel", "ClickFinish", "RunEntryExec", "SetupAborted",
    "StatusExtractFiles", "StatusCreateIcons", "ErrorCopying", "ConfirmUninstall",
    "UninstallStatusLabel", "UninstalledAll", "UninstalledMost", "WizardUninstalling",
    "StatusUninstalling", "FileExists2", "ExistingFileNewer2", "UninstallDisplayNameMarkCurrentUser",
)


def _isl_sections() -> dict[str, dict[str, str]]:
    raw = ISL.read_bytes()
    assert raw.startswith(BOM), "the language file must be UTF-8 with a BOM"
    text = raw[len(BOM):].decode("utf-8")  # strict: any invalid byte fails here
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(";"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = sections.setdefault(stripped[1:-1], {})
            continue
        assert current is not None, f"line {number} is outside a section"
        assert "=" in stripped, f"line {number} is not key=value: {stripped}"
        key, value = stripped.split("=", 1)
        assert key not in current, f"{key} appears twice"
        current[key] = value
    return sections


def test_language_file_is_complete_chinese() -> None:
    sections = _isl_sections()
    options = sections["LangOptions"]
    assert options["LanguageName"] == "简体中文"
    assert options["LanguageID"] == "$0804"
    assert options["LanguageCodePage"] == "936"
    messages = sections["Messages"]
    missing = [key for key in REQUIRED_MESSAGES if key not in messages]
    assert not missing
    assert len(messages) >= 250
    assert "CreateDesktopIcon" in sections["CustomMessages"]
    assert "LaunchProgram" in sections["CustomMessages"]


def test_language_file_keeps_placeholders_and_accelerators() -> None:
    messages = _isl_sections()["Messages"]
    # The same %n placeholders as the English text (spot checks of every kind).
    assert "%1" in messages["SetupWindowTitle"] and "%1" in messages["UninstallAppFullTitle"]
    assert all(p in messages["DiskSpaceWarning"] for p in ("%1", "%2", "%n"))
    assert all(p in messages["AboutSetupMessage"] for p in ("%1", "%2", "%3", "%4"))
    assert "[name/ver]" in messages["WelcomeLabel2"] and "[name]" in messages["WelcomeLabel1"]
    assert "[mb]" in messages["DiskSpaceMBLabel"] and "[gb]" in messages["DiskSpaceGBLabel"]
    for key in ("ButtonBack", "ButtonNext", "ButtonInstall", "ButtonFinish", "ButtonBrowse"):
        assert re.search(r"\(&[A-Z]\)", messages[key]), key
    # Chinese text throughout, not English left over.
    english = [k for k, v in messages.items() if v and re.fullmatch(r"[\x00-\x7f]+", v)
               and not re.fullmatch(r"[%\d\s().,\[\]a-zA-Z]*(KB|MB|%1)[^a-z]*", v)]
    assert not english, english


def test_iss_custom_messages_are_all_defined() -> None:
    text = _iss_text()
    used = set(re.findall(r"CustomMessage\('(\w+)'\)", text)) | set(
        re.findall(r"\{cm:(\w+)", text))
    defined = set(re.findall(r"^chinesesimplified\.(\w+)=", text, re.M))
    defined |= set(_isl_sections()["CustomMessages"])
    assert used and used <= defined


# --- icon and guide -----------------------------------------------------------------------


def test_icon_has_the_sizes_windows_uses() -> None:
    with Image.open(ROOT / "resources" / "icons" / "streetledger.ico") as ico:
        sizes = set(ico.info["sizes"])
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes
    with Image.open(ROOT / "resources" / "icons" / "streetledger.png") as png:
        assert png.size == (256, 256)


def test_guide_images_exist_and_are_small() -> None:
    html = (HELP / "index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 4
    for name in images:
        path = HELP / name
        assert path.is_file(), name
        assert path.stat().st_size < 150 * 1024, name
    for anchor in re.findall(r'<a href="#(\w+)"', html):
        assert f'<a name="{anchor}">' in html, anchor
