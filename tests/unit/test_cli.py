"""The command line as scripts use it: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import run_cli
from tests.factories import make_ledger

ROOT = Path(__file__).resolve().parents[2]


def _json(capsys, *args: str) -> dict:
    assert run_cli([*args, "--json"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one JSON object on one line
    return json.loads(out)


def test_list_and_search_shapes(db, capsys):
    make_ledger(db)
    listed = _json(capsys, "list", "businesses", "--db", db.url, "--limit", "2")
    assert listed["total"] == 5 and len(listed["rows"]) == 2
    for key in ("name", "credit_code", "operator", "phone", "address", "community", "grid",
                "category", "status"):
        assert key in listed["rows"][0]
    found = _json(capsys, "search", "hgd", "--db", db.url)
    assert found == {"total": 1, "rows": [found["rows"][0]]}
    assert found["rows"][0]["name"] == "老王火锅店"
    assert found["rows"][0]["credit_code"] == "91350100M000100Y43"
    filtered = _json(capsys, "list", "businesses", "--filter", "解放路", "--db", db.url)
    assert sorted(r["name"] for r in filtered["rows"]) == ["好又多便利店", "老王火锅店"]


def test_stats_shape(db, capsys):
    make_ledger(db)
    stats = _json(capsys, "stats", "--period", "2026-Q3", "--db", db.url)
    assert stats["period"] == "2026-Q3"
    assert [c["community"] for c in stats["communities"]] == ["东湖社区", "西岭社区"]
    for entry in (*stats["communities"], stats["total"]):
        assert set(entry["agreements"]) >= {"required", "signed", "rate"}
        assert set(entry["sorting"]) >= {"checks", "passed", "rate"}
        for area in ("permits", "findings", "notices"):
            assert isinstance(entry[area], dict)
        assert 0 <= entry["agreements"]["rate"] <= 1
    assert stats["total"]["agreements"]["required"] == 5


def test_list_agreements_reminder_filter(db, capsys):
    make_ledger(db)
    unsigned = _json(capsys, "list", "agreements", "--filter", "未签约", "--db", db.url)
    assert unsigned["total"] == 5 and unsigned["rows"][0]["state"] == "unsigned"


@pytest.mark.parametrize("args, message", [
    (["stats", "--period", "2026-13"], "月份不正确"),
    (["list", "nothing"], "参数错误"),
    (["print", "agreement", "no-such-number", "--out", "x.pdf"], "找不到编号"),
])
def test_user_errors_are_one_line_and_exit_1(db, capsys, args, message):
    assert run_cli([*args, "--db", db.url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert message in err[-1] and "Traceback" not in "\n".join(err)


def test_bad_database_file_is_one_line_through_the_real_entry_point(tmp_path):
    bad = tmp_path / "坏的.sqlite3"
    bad.write_text("not a database", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "desktop", "list", "businesses", "--db", str(bad)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "不是台账数据库" in proc.stderr
    assert bad.read_text(encoding="utf-8") == "not a database"


def test_env_variable_selects_the_database(db, capsys, monkeypatch):
    make_ledger(db)
    monkeypatch.setenv("STREETLEDGER_DB", db.url)
    assert run_cli(["list", "businesses", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 5
