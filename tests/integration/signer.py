"""Worker process for the numbering tests: signs one agreement per business id given."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from db.engine import Database
from desktop.domain import agreements as A


def main(url: str, first: int, last: int, gate: str) -> None:
    db = Database(url, migrate=False)
    # Start together: both workers wait for the test to open the gate.
    Path(gate + f".ready{first}").touch()
    while not Path(gate).exists():
        time.sleep(0.01)
    for business_id in range(first, last + 1):
        with db.transaction() as s:
            draft = A.create_draft(s, A.AgreementInput(
                business_id=business_id, area_text="店门前人行道", duties=["sanitation"],
                start_date=dt.date(2026, 1, 1)), user=f"p{first}")
            A.sign(s, draft.id, draft.version, dt.date(2026, 1, 2), user=f"p{first}")
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
