"""Child process: a clerk appending one mark to a business's remarks, many times over."""

from __future__ import annotations

import sys

from db.engine import Database
from desktop.domain import businesses as B
from desktop.domain.errors import ConflictError


def main(url: str, business_id: int, mark: str, times: int) -> None:
    db = Database(url, migrate=False)
    conflicts = 0
    for _ in range(times):
        while True:
            with db.session() as s:
                row = B.get(s, business_id)  # what the editor dialog loaded
            data = row.as_input()
            data.remarks = row.remarks + mark
            try:
                with db.transaction() as s:
                    B.update(s, business_id, row.version, data, user=f"clerk-{mark}")
                break
            except ConflictError:
                conflicts += 1  # the clerk reloads and types the change again
    print(conflicts, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
