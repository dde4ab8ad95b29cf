"""Two clerks issuing notices at the same moment: numbers stay distinct and gapless."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, insert, select

from db.models import AuditEntry, Finding, Notice, NoticeFinding
from desktop.domain import divisions
from desktop.domain import legal as L

ROOT = Path(__file__).resolve().parents[2]
PER_PROCESS = 300


def _findings(db, n: int) -> list[int]:
    with db.transaction() as s:
        L.seed_legal_basis(s, confirmed=True)
        cid = divisions.create_community(s, "东湖社区")
        s.execute(insert(Finding), [
            {"category": "店外经营", "found_at": dt.datetime(2026, 1, 2, 8, 0), "place": f"解放路{i}号",
             "person": f"当事人{i}", "community_id": cid, "description": "店外摆放桌椅",
             "inspectors": "张三、李四", "status": "发现"}
            for i in range(n)])
        return list(s.scalars(select(Finding.id).order_by(Finding.id)))


def test_two_processes_issue_600_notices(any_db, tmp_path):
    ids = _findings(any_db, 2 * PER_PROCESS)
    gate = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-m", "tests.integration.notice_issuer", any_db.url,
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
        issued = s.execute(select(Notice.number, Notice.seq, Notice.year)).all()
        issuers = dict(s.execute(select(AuditEntry.entity_id, AuditEntry.user).where(
            AuditEntry.entity == "notice")).all())
        by_notice = dict(s.execute(select(Notice.seq, Notice.id)).all())
        linked = s.scalar(select(func.count()).select_from(NoticeFinding))
        told = s.scalar(select(func.count()).select_from(Finding).where(Finding.status == "已告知"))
    numbers = [n for n, _, _ in issued]
    seqs = sorted(seq for _, seq, _ in issued)
    assert len(numbers) == len(set(numbers)) == 2 * PER_PROCESS
    assert seqs == list(range(1, 2 * PER_PROCESS + 1))
    assert all(int(re.search(r"第(\d+)号", n).group(1)) == seq for n, seq, _ in issued)
    assert {year for _, _, year in issued} == {2026}
    assert linked == told == 2 * PER_PROCESS
    if not any_db.is_sqlite:
        # PostgreSQL queues row locks fairly, so the two clerks' numbers interleave.
        who = [issuers[by_notice[seq]] for seq in seqs]
        assert sum(1 for a, b in zip(who, who[1:], strict=False) if a != b) >= 2
