"""An import is one transaction and one batch: undone as a whole, refused once edited, and
a process killed half-way leaves nothing behind."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from db.engine import Database
from db.models import AuditEntry, Business, Community, FrontageAgreement, Grid, ImportBatch
from desktop.domain import agreements, businesses
from desktop.domain.audit import verify_chain
from desktop.domain.errors import DomainError
from desktop.io.excel_import import ImportCancelled, ImportOptions, import_file
from desktop.io.import_batches import recent_batches, undo_batch
from tests.factories import make_ledger

from .import_files import cc, messy_workbook

ROOT = Path(__file__).resolve().parents[3]


def _counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {m.__tablename__: int(s.scalar(select(func.count()).select_from(m)) or 0)
                for m in (Business, Community, Grid, FrontageAgreement)}


def test_undo_removes_the_whole_batch(any_db: Database, tmp_path: Path) -> None:
    db = any_db
    make_ledger(db)
    before = _counts(db)
    result = import_file(db, messy_workbook(tmp_path / "台账.xlsx"), ImportOptions(user="甲"))
    assert _counts(db) != before
    with db.session() as s:
        [listed] = recent_batches(s)
        assert listed.id == result.batch and listed.imported == 6 and listed.undone_at is None
    with db.transaction() as s:
        undone = undo_batch(s, result.batch, user="甲")
    assert undone.businesses == 6 and undone.agreements == 6
    assert undone.communities == ["南山社区"] and undone.grids == ["南山一网格"]
    assert _counts(db) == before
    with db.session() as s:
        assert recent_batches(s)[0].undone_at is not None
        assert verify_chain(s).broken_at is None
    with db.transaction() as s, pytest.raises(DomainError, match="已于 .* 撤销过"):
        undo_batch(s, result.batch)


def test_undo_is_refused_when_records_were_edited_since(db: Database, tmp_path: Path) -> None:
    make_ledger(db)
    result = import_file(db, messy_workbook(tmp_path / "台账.xlsx"))
    with db.transaction() as s:
        shop = s.scalars(select(Business).where(Business.name == "王记面馆")).one()
        row = businesses.get(s, shop.id)
        data = row.as_input()
        data.operator = "王五五"
        businesses.update(s, shop.id, row.version, data, user="乙")
    with db.transaction() as s, pytest.raises(DomainError) as refused:
        undo_batch(s, result.batch)
    assert "导入后修改过的商户" in refused.value.message and "王记面馆" in refused.value.message
    assert _counts(db)["business"] == 5 + 6  # nothing removed


def test_undo_is_refused_when_other_records_point_at_the_batch(db: Database, tmp_path: Path) -> None:
    make_ledger(db)
    result = import_file(db, messy_workbook(tmp_path / "台账.xlsx"))
    with db.transaction() as s:
        agreement = s.scalars(select(FrontageAgreement).where(
            FrontageAgreement.import_batch_id == result.batch,
            FrontageAgreement.number.is_not(None))).first()
        assert agreement is not None
        agreements.terminate(s, agreement.id, agreement.version, "商户搬离", user="乙")
    with db.transaction() as s, pytest.raises(DomainError, match="导入后修改过的责任书"):
        undo_batch(s, result.batch)


def test_cancel_leaves_nothing(db: Database, tmp_path: Path) -> None:
    make_ledger(db)
    path = _big_workbook(tmp_path / "大台账.xlsx", 3000)
    before = _counts(db)
    calls: list[int] = []
    with pytest.raises(ImportCancelled):
        import_file(db, path, progress=lambda done, total: calls.append(done),
                    cancelled=lambda: len(calls) >= 3)
    assert _counts(db) == before
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "import")) == 0


def _big_workbook(path: Path, rows: int) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["店铺名称", "统一社会信用代码", "社区", "网格", "联系电话", "地址", "签订日期"])
    for n in range(rows):
        sheet.append([f"测试商户{n}", cc(10_000 + n), f"社区{n // 5000}", f"网格{n // 1000}",
                      f"138{n:08d}", f"测试路{n}号", "2023-05-01"])
    book.save(path)
    return path


def test_killed_import_leaves_no_rows_and_a_sound_database(db: Database, tmp_path: Path) -> None:
    make_ledger(db)
    before = _counts(db)
    path = _big_workbook(tmp_path / "大台账.xlsx", 60_000)
    assert db.path is not None
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "desktop", "import", str(path), "--db",
                             str(db.path)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    # Wait until it is writing: rows are being read (progress) well past the first chunk.
    deadline = time.monotonic() + 60
    for line in proc.stderr:
        if "已读取" in line and int(line.split()[1].split("/")[0].replace(",", "")) >= 20_000:
            break
        assert time.monotonic() < deadline, "the import never got going"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    db.dispose()
    raw = sqlite3.connect(str(db.path))
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert raw.execute("SELECT count(*) FROM business WHERE name LIKE '测试商户%'").fetchone() == (0,)
        assert raw.execute("SELECT count(*) FROM import_batch").fetchone() == (0,)
    finally:
        raw.close()
    assert _counts(db) == before
