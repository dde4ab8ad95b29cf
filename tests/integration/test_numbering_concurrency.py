"""Two clerks signing at the same moment: numbers stay distinct and gapless."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import insert, select

from db.models import Business, FrontageAgreement
from desktop.domain import divisions

ROOT = Path(__file__).resolve().parents[2]
PER_PROCESS = 300


def _businesses(db, n: int) -> list[int]:
    with db.transaction() as s:
        cid = divisions.create_community(s, "东湖社区")
        s.execute(insert(Business), [
            {"name": f"测试商户{i}", "community_id": cid, "search_text": "", "initials": ""}
            for i in range(n)])
        return list(s.scalars(select(Business.id).order_by(Business.id)))


def test_two_processes_sign_600_agreements(any_db, tmp_path):
    ids = _businesses(any_db, 2 * PER_PROCESS)
    gate = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-m", "tests.integration.signer", any_db.url,
                          str(ids[k * PER_PROCESS]), str(ids[(k + 1) * PER_PROCESS - 1]), str(gate)],
                         cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        for k in range(2)
    ]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("go.ready*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    gate.touch()
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
    with any_db.session() as s:
        signed = s.execute(select(FrontageAgreement.number, FrontageAgreement.updated_by)).all()
    numbers = [n for n, _ in signed]
    by_seq = sorted((int(re.search(r"第(\d+)号", n).group(1)), who) for n, who in signed)
    seqs = [seq for seq, _ in by_seq]
    if not any_db.is_sqlite:
        # PostgreSQL queues row locks fairly, so the two clerks' numbers interleave; SQLite's
        # busy handler lets one writer run while the other waits, which is just as correct.
        switches = sum(1 for a, b in zip(by_seq, by_seq[1:], strict=False) if a[1] != b[1])
        assert switches >= 2
    assert len(numbers) == len(set(numbers)) == 2 * PER_PROCESS
    assert seqs == list(range(1, 2 * PER_PROCESS + 1))
