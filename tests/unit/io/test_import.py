"""Importing a messy hand-kept ledger: what goes in, what is reported, what is not doubled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from db.engine import Database
from db.models import (
    AuditEntry,
    Business,
    Community,
    FrontageAgreement,
    Grid,
    ImportBatch,
    ImportMapping,
)
from desktop.domain import businesses
from desktop.domain.agreements import default_end
from desktop.domain.businesses import BusinessQuery
from desktop.domain.textkeys import initials, name_sort, search_text
from desktop.io.excel_import import ImportOptions, analyse, import_file
from desktop.io.import_report import REASON_COLUMN, ROW_COLUMN, write_error_workbook
from tests.factories import make_ledger

from .import_files import ROW_OF, cc, messy_workbook


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    return messy_workbook(tmp_path / "沿街商户台账.xlsx")


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _errors_by_row(result) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for e in result.errors:
        out.setdefault(e.row, []).append((e.column, e.message))
    return out


def test_messy_workbook_imports_the_good_rows_and_explains_the_rest(db: Database, messy: Path) -> None:
    make_ledger(db)
    before = _count(db, Business)
    result = import_file(db, messy, ImportOptions(user="测试员"))

    assert result.header_row == 4 and result.sheet == "沿街商户"
    # The hidden "电话（旧）" column is not taken for the phone.
    assert result.mapping["联系电话"] == "phone" and "电话（旧）" not in result.mapping
    assert result.imported == 6
    errors = _errors_by_row(result)
    assert sorted(errors) == [ROW_OF[n] for n in (6, 7, 8, 13, 14)]
    assert errors[ROW_OF[6]] == [("统一社会信用代码", errors[ROW_OF[6]][0][1])]
    assert "校验位错误" in errors[ROW_OF[6]][0][1]
    assert errors[ROW_OF[7]] == [("店铺名称", "请填写商户名称")]
    assert errors[ROW_OF[8]][0][0] == "联系电话" and "手机号应为11位" in errors[ROW_OF[8]][0][1]
    assert errors[ROW_OF[13]][0][0] == "门前三包签订日期" and "不是有效日期" in errors[ROW_OF[13]][0][1]
    assert errors[ROW_OF[14]] == [("统一社会信用代码", f"与第 {ROW_OF[1]} 行的统一社会信用代码相同")]
    dupes = {d.row: d for d in result.duplicates}
    assert dupes[ROW_OF[10]].of_row == ROW_OF[9] and dupes[ROW_OF[10]].action == "skipped"
    assert "老王火锅店" in dupes[ROW_OF[11]].message and "信用代码" in dupes[ROW_OF[11]].message
    assert "重庆小面馆" in dupes[ROW_OF[12]].message and "名称和地址" in dupes[ROW_OF[12]].message
    assert result.skipped == 8
    assert result.created_communities == ["南山社区"]
    assert result.created_grids == ["南山社区/南山一网格"]
    assert result.agreements == 6
    assert _count(db, Business) == before + 6

    with db.session() as s:
        rows = {b.name: b for b in s.scalars(select(Business).where(
            Business.import_batch_id == result.batch))}
        communities = {c.id: c.name for c in s.scalars(select(Community))}
        grids = {g.id: g.name for g in s.scalars(select(Grid))}
        agreements = {a.business_id: a for a in s.scalars(select(FrontageAgreement))}
        _check_stored(rows, communities, grids, agreements)
    with db.session() as s:
        _total, found = businesses.search(s, "xxcs")
        assert [r.name for r in found] == ["鑫鑫超市"]
        assert businesses.count(s, BusinessQuery(text="阿明")) == 2
        batch = s.get(ImportBatch, result.batch)
        assert batch is not None and batch.imported == 6 and batch.skipped == 8
        assert batch.created_by == "测试员" and len(batch.file_sha256) == 64


def _check_stored(rows, communities, grids, agreements) -> None:
    assert set(rows) == {"阿明小吃", "阿明小吃二店", "王记面馆", "周记烟酒", "鑫鑫超市", "南山茶馆"}
    # Merged community and grid cells were filled down.
    assert communities[rows["阿明小吃二店"].community_id] == "东湖社区"
    assert grids[rows["阿明小吃二店"].grid_id] == "东湖一网格"
    assert grids[rows["周记烟酒"].grid_id] == "东湖二网格"
    assert communities[rows["鑫鑫超市"].community_id] == "西岭社区"  # "西岭" matched
    assert communities[rows["南山茶馆"].community_id] == "南山社区"
    # Full-width digits folded, codes upper-cased, phones normalised, extra phones kept.
    assert rows["阿明小吃二店"].credit_code == cc(102)
    assert rows["阿明小吃二店"].phone == "13800002222"
    assert rows["周记烟酒"].credit_code == cc(104)
    assert rows["周记烟酒"].phone == "13800004444"
    assert rows["周记烟酒"].remarks == "老店；其他电话：13900005555"
    assert rows["王记面馆"].status == "停业" and rows["阿明小吃二店"].status == "营业"
    # Every date form a clerk types.
    signed = {name: agreements[b.id].signed_date for name, b in rows.items() if b.id in agreements}
    assert signed == {"阿明小吃": dt.date(2023, 5, 1), "阿明小吃二店": dt.date(2023, 5, 2),
                      "王记面馆": dt.date(2023, 5, 3), "周记烟酒": dt.date(2023, 5, 4),
                      "鑫鑫超市": dt.date(2023, 5, 5), "南山茶馆": dt.date(2023, 5, 8)}
    first = agreements[rows["阿明小吃"].id]
    assert first.number == "东三包〔2023〕001" and first.status == "signed"
    assert first.start_date == dt.date(2023, 5, 1)
    assert first.end_date == default_end(first.start_date, 12)
    assert agreements[rows["王记面馆"].id].number is None
    # The bulk path stores the same search and sort keys as the editor.
    for b in rows.values():
        assert b.initials == initials(b.name)
        assert b.name_sort == name_sort(b.name)
        assert b.search_text == search_text(b.name, b.initials, b.credit_code, b.address,
                                            b.operator, b.phone.replace("-", ""))


def test_dry_run_reports_the_same_and_writes_nothing(db: Database, messy: Path) -> None:
    make_ledger(db)
    counts = {m: _count(db, m) for m in (Business, Community, Grid, FrontageAgreement, ImportBatch,
                                         ImportMapping, AuditEntry)}
    dry = import_file(db, messy, ImportOptions(dry_run=True))
    assert {m: _count(db, m) for m in counts} == counts
    assert dry.batch is None and dry.dry_run
    real = import_file(db, messy)
    for key in ("imported", "skipped", "errors", "created", "duplicates", "agreements"):
        assert dry.as_json()[key] == real.as_json()[key], key


def test_update_mode_updates_ledger_duplicates_and_undo_puts_them_back(db: Database,
                                                                        messy: Path) -> None:
    ledger = make_ledger(db)
    result = import_file(db, messy, ImportOptions(on_duplicate="update", user="测试员"))
    assert result.updated == 2 and result.imported == 6
    assert {d.action for d in result.duplicates if d.business_id} == {"updated"}
    with db.session() as s:
        wang = s.get(Business, ledger.businesses["老王火锅店"])
        assert wang is not None and wang.category == "火锅" and wang.version == 2
        history = businesses.history(s, wang.id)
        assert history[0].action == "import_update"
        assert ("行业类别", "餐饮", "火锅") in history[0].changes
    from desktop.io.import_batches import undo_batch

    with db.transaction() as s:
        undone = undo_batch(s, result.batch, user="测试员")
    # 重庆小面馆 matched but nothing in it differed: only 老王火锅店 changed and comes back.
    assert undone.businesses == 6 and undone.restored == 1 and undone.communities == ["南山社区"]
    with db.session() as s:
        wang = s.get(Business, ledger.businesses["老王火锅店"])
        assert wang is not None and wang.category == "餐饮"
        noodles = s.get(Business, ledger.businesses["重庆小面馆"])
        assert noodles is not None and noodles.operator == "李秀英"
        assert noodles.grid_id == ledger.grids["东湖二网格"]


def test_mapping_is_remembered_for_the_next_file_with_the_same_headers(db: Database,
                                                                       messy: Path) -> None:
    make_ledger(db)
    first = analyse(db, messy)
    assert not first.remembered
    custom = {col: key for col, key in first.mapping.items() if key != "remarks"}
    result = import_file(db, messy, ImportOptions(mapping=custom))
    assert "备注" not in result.mapping
    again = analyse(db, messy)
    assert again.remembered and again.mapping == custom


def test_error_workbook_can_be_fixed_and_imported_again(db: Database, messy: Path,
                                                        tmp_path: Path) -> None:
    make_ledger(db)
    result = import_file(db, messy)
    out = tmp_path / "错误清单.xlsx"
    assert write_error_workbook(result, out) == 5
    book = load_workbook(out)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[-2:] == [ROW_COLUMN, REASON_COLUMN]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    by_row = {r[-2]: r for r in rows}
    assert set(by_row) == {ROW_OF[n] for n in (6, 7, 8, 13, 14)}
    assert "校验位错误" in by_row[ROW_OF[6]][-1]
    # The merged community is written into each row, so the file stands on its own.
    assert by_row[ROW_OF[6]][header.index("社区")] == "西岭"
    # The clerk fixes the rows and imports the file again.
    name, phone, code, date = (header.index(h) for h in ("店铺名称", "联系电话", "统一社会信用代码",
                                                          "门前三包签订日期"))
    for number, (row_cells, cells) in enumerate(zip(sheet.iter_rows(min_row=2), rows, strict=True)):
        if cells[-2] == ROW_OF[6]:
            row_cells[code].value = cc(106)
        if cells[-2] == ROW_OF[7]:
            row_cells[name].value = f"无名店{number}"
        if cells[-2] == ROW_OF[8]:
            row_cells[phone].value = "13800008765"
        if cells[-2] == ROW_OF[13]:
            row_cells[date].value = "2023-02-28"
        if cells[-2] == ROW_OF[14]:
            row_cells[code].value = cc(114)
    book.save(out)
    again = import_file(db, out)
    assert again.errors == [] and again.imported == 5


def test_kept_mapping_without_a_name_column_is_refused(db: Database, messy: Path) -> None:
    from desktop.io.sheet_source import ImportFileError

    make_ledger(db)
    with pytest.raises(ImportFileError, match="没有商户名称列"):
        import_file(db, messy, ImportOptions(mapping={1: "community"}))
    assert _count(db, ImportBatch) == 0


def test_communities_the_clerk_declined_are_errors_not_created(db: Database, messy: Path) -> None:
    make_ledger(db)
    result = import_file(db, messy, ImportOptions(create_unknown=False))
    assert result.created_communities == [] and result.created_grids == []
    errors = _errors_by_row(result)
    assert errors[ROW_OF[9]] == [("社区", "社区“南山社区”不在台账中")]
    with db.session() as s:
        dong = s.scalars(select(Community.id).where(Community.name == "东湖社区")).one()
    mapped = import_file(db, messy, ImportOptions(choices={"南山社区": dong,
                                                           "东湖社区/南山一网格": "blank"}))
    assert mapped.created_communities == [] and mapped.imported == 1  # only 南山茶馆 is new now
    with db.session() as s:
        tea = s.scalars(select(Business).where(Business.name == "南山茶馆")).one()
        assert tea.community_id == dong and tea.grid_id is None
