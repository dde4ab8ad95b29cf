"""`python -m desktop import` as scripts use it: the JSON contract, exit codes, undo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.engine import Database
from desktop.cli import run_cli
from tests.factories import make_ledger

from .import_files import ROW_OF, messy_workbook


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert run_cli([*args, "--json"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    return json.loads(out)


def test_import_json_follows_the_contract(db: Database, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    make_ledger(db)
    path = messy_workbook(tmp_path / "台账.xlsx")
    dry = _json(capsys, "import", str(path), "--dry-run", "--db", db.url)
    assert dry["batch"] is None and dry["dry_run"] is True
    payload = _json(capsys, "import", str(path), "--db", db.url, "--errors-out",
                    str(tmp_path / "错误.xlsx"))
    assert {"imported", "skipped", "errors", "batch", "created"} <= set(payload)
    assert isinstance(payload["imported"], int) and isinstance(payload["skipped"], int)
    assert isinstance(payload["batch"], int)
    assert set(payload["created"]) == {"communities", "grids"}
    assert payload["created"]["communities"] == ["南山社区"]
    for error in payload["errors"]:
        assert set(error) == {"row", "column", "message"}
        assert isinstance(error["row"], int) and error["column"] and error["message"]
    assert {e["row"] for e in payload["errors"]} == {ROW_OF[n] for n in (6, 7, 8, 13, 14)}
    assert (payload["imported"], payload["skipped"]) == (dry["imported"], dry["skipped"])
    assert load_workbook(tmp_path / "错误.xlsx").active.max_row == 6  # header + 5 rows

    listed = _json(capsys, "undo-import", "--list", "--db", db.url)
    assert listed["rows"][0]["batch"] == payload["batch"]
    undone = _json(capsys, "undo-import", str(payload["batch"]), "--db", db.url)
    assert undone["removed"] == payload["imported"]
    assert run_cli(["import", "--undo", str(payload["batch"]), "--db", db.url]) == 1
    assert "撤销过" in capsys.readouterr().err


def test_progress_goes_to_stderr(db: Database, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    make_ledger(db)
    assert run_cli(["import", str(messy_workbook(tmp_path / "台账.xlsx")), "--db", db.url]) == 0
    captured = capsys.readouterr()
    assert "已读取" in captured.err and "新增 6 家" in captured.out


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04 broken", "损坏"),
    (b"", "空的"),
    ("名字,年龄\n张三,3\n".encode("gbk"), "找不到表头"),
])
def test_bad_file_is_one_line_and_exit_1(db: Database, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str], content: bytes,
                                         message: str) -> None:
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(content)
    if message == "找不到表头":
        path = path.rename(tmp_path / "坏文件.csv")
    assert run_cli(["import", str(path), "--db", db.url, "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = [line for line in captured.err.splitlines() if not line.startswith("正在读取")]
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in captured.err


def test_import_needs_a_file_or_undo(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["import", "--db", db.url]) == 1
    assert "请给出要导入的文件" in capsys.readouterr().err
