"""An import that renames a business re-keys its pinyin sort, and undoing it keys it back."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from db.engine import Database
from db.models import Business
from desktop.domain.textkeys import name_sort
from desktop.io.excel_import import ImportOptions, import_file
from desktop.io.import_batches import undo_batch
from tests.factories import make_ledger

from .import_files import write_csv


def test_import_update_and_its_undo_keep_the_sort_key(db: Database, tmp_path: Path) -> None:
    ledger = make_ledger(db)
    wang = ledger.businesses["老王火锅店"]
    rows = [["店铺名称", "社区", "网格", "地址", "统一社会信用代码"],
            ["阿王火锅店", "东湖社区", "东湖一网格", "解放路12号", "91350100M000100Y43"],
            ["百味餐厅", "东湖社区", "东湖一网格", "解放路14号", ""]]
    path = write_csv(tmp_path / "改名.csv", rows, "utf-8")
    result = import_file(db, path, ImportOptions(on_duplicate="update", user="测试员"))
    assert result.updated == 1 and result.imported == 1
    with db.session() as s:
        renamed = s.get(Business, wang)
        assert renamed is not None and renamed.name == "阿王火锅店"
        assert renamed.name_sort == name_sort("阿王火锅店")
        added = s.scalars(select(Business).where(Business.name == "百味餐厅")).one()
        assert added.name_sort == name_sort("百味餐厅")
    with db.transaction() as s:
        undo_batch(s, result.batch, user="测试员")
    with db.session() as s:
        back = s.get(Business, wang)
        assert back is not None and back.name == "老王火锅店"
        assert back.name_sort == name_sort("老王火锅店")
