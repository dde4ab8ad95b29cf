"""SIGKILL in the middle of multi-row operations: afterwards all or nothing, and verify passes."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import Finding, Notice
from desktop.cli import run_cli
from desktop.domain import findings as F
from desktop.domain import legal as L
from tests.factories import make_ledger

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 25
FINDINGS = 60

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A ledger with 60 open findings, copied afresh for every trial."""
    path = tmp_path_factory.mktemp("kill") / "template.sqlite3"
    db = Database(str(path))
    ledger = make_ledger(db)
    with db.transaction() as s:
        L.seed_legal_basis(s, confirmed=True)
    at = dt.datetime(2026, 3, 5, 9, 0)
    with db.transaction() as s:
        for k in range(FINDINGS):
            F.record_finding(s, F.FindingInput(
                category="店外经营", found_at=at, business_id=ledger.businesses["老王火锅店"],
                description=f"店外摆放桌椅第{k}处", inspectors="张三"), user="inspector", now=at)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


def _copy(template: Path, folder: Path) -> Path:
    folder.mkdir()
    target = folder / "台账.sqlite3"
    shutil.copy(template, target)
    return target


@pytest.fixture(scope="module")
def big_template(tmp_path_factory) -> Path:
    """A demo street of 3,000 shops: large enough that a backup takes a while."""
    from desktop.demo import generate

    path = tmp_path_factory.mktemp("killbig") / "template.sqlite3"
    db = Database(str(path))
    generate(db, businesses=3000, seed=5)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


def _run_and_kill(args: list[str], rng: random.Random, longest: float = 0.4) -> bool:
    """Start the worker, let it run a random while after it starts, then SIGKILL it."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.integration.fault_worker", *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "start"
    time.sleep(rng.uniform(0.0, longest))
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    return "done" in out


def _verify(path: Path, capsys) -> None:
    assert run_cli(["verify", "--db", str(path)]) == 0, capsys.readouterr().err
    capsys.readouterr()


def test_killed_batch_issue_leaves_all_or_nothing(template, tmp_path, capsys):
    rng = random.Random(11)
    outcomes = {"none": 0, "all": 0}
    for trial in range(TRIALS):
        path = _copy(template, tmp_path / f"t{trial}")
        _run_and_kill(["issue", str(path)], rng)
        _verify(path, capsys)
        db = Database(str(path))
        with db.session() as s:
            issued = s.scalar(select(func.count()).select_from(Notice))
            told = s.scalar(select(func.count()).select_from(Finding).where(Finding.status == "已告知"))
            numbers = sorted(s.scalars(select(Notice.seq)))
        db.dispose()
        assert issued in (0, FINDINGS) and told == issued
        assert numbers == list(range(1, issued + 1))
        outcomes["all" if issued else "none"] += 1
    print(f"batch-issue kills: {TRIALS} trials, {outcomes}")
    # the kills really landed inside the transaction
    assert outcomes["none"] > 0


def test_killed_backup_never_leaves_a_half_backup(big_template, tmp_path, capsys):
    rng = random.Random(12)
    made = 0
    for trial in range(TRIALS):
        path = _copy(big_template, tmp_path / f"b{trial}")
        target = path.parent / "备份.sqlite3"
        _run_and_kill(["backup", str(path), str(target)], rng, longest=0.1)
        _verify(path, capsys)
        if target.exists():
            made += 1
            with sqlite3.connect(target) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                assert conn.execute("SELECT count(*) FROM business").fetchone()[0] == 3000
    print(f"backup kills: {TRIALS} trials, {made} finished before the kill, "
          f"{TRIALS - made} killed mid-way; every finished copy verified")
    assert made < TRIALS  # some kills did land mid-backup
