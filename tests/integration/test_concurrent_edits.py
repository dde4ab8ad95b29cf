"""Two clerks editing one record at once: every save lands or is refused, none is lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.domain import businesses as B
from tests.factories import make_ledger

ROOT = Path(__file__).resolve().parents[2]
TIMES = 80


def test_no_lost_updates_between_two_processes(any_db):
    ledger = make_ledger(any_db)
    bid = ledger.businesses["鑫源五金店"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "tests.integration.editor_worker", any_db.url,
                               str(bid), mark, str(TIMES)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for mark in "AB"]
    conflicts = 0
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
        conflicts += int(out.strip())
    with any_db.session() as s:
        row = B.get(s, bid)
        history = B.history(s, bid)
    # every accepted save is in the text: nothing overwritten silently
    assert sorted(row.remarks) == sorted("A" * TIMES + "B" * TIMES)
    assert row.version == 1 + 2 * TIMES
    assert len([h for h in history if h.action == "update"]) == 2 * TIMES
    print(f"{2 * TIMES} saves, {conflicts} refused as conflicts and retried, 0 lost")
