"""The list pages' export sources: the page's query and columns, typed, in the page's order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from db.engine import Database
from desktop.domain import agreements, findings
from desktop.domain.agreements import AgreementInput, AgreementQuery
from desktop.domain.findings import FindingInput, FindingQuery
from desktop.domain.sorting_sites import SiteQuery
from desktop.io import list_sources
from desktop.io.excel_export import CODE, DATE, NUMBER, TEXT, ListSource, write_list
from tests.factories import make_ledger
from tests.unit.domain.sorting_helpers import check, make_sites

TODAY = dt.date.today()


def rows_of(source: ListSource) -> list[tuple[Any, ...]]:
    return [tuple(row) for batch in source.batches for row in batch]


def test_agreements_follow_the_page_query_and_columns(any_db: Database) -> None:
    ledger = make_ledger(any_db)
    starts = {"老王火锅店": TODAY - dt.timedelta(days=30), "重庆小面馆": TODAY - dt.timedelta(days=90),
              "鑫源五金店": TODAY - dt.timedelta(days=60)}
    with any_db.transaction() as s:
        for shop, start in starts.items():
            row = agreements.create_draft(s, AgreementInput(
                business_id=ledger.businesses[shop], area_text="店门前人行道",
                duties=["sanitation", "appearance", "order"], start_date=start), user="t")
            if shop != "重庆小面馆":
                agreements.sign(s, row.id, row.version, start, user="t")
    query = AgreementQuery(community_id=ledger.communities["东湖社区"])
    with any_db.session() as s:
        shown = agreements.page(s, query, 0, 100)
        source = list_sources.agreement_page_source(s, query, ["end_date", "business", "state",
                                                               "number"])
        assert [(c.title, c.kind) for c in source.columns] == [
            ("结束日期", DATE), ("商户", TEXT), ("状态", TEXT), ("编号", TEXT)]
        assert source.total == 2
        rows = rows_of(source)
    assert rows == [(r.end_date, r.business, r.state_label, r.number or None) for r in shown]
    assert {r[1] for r in rows} == {"老王火锅店", "重庆小面馆"}
    assert any(r[3] is None for r in rows)  # the draft: no number yet


def test_overdue_findings_say_so_as_on_the_screen(db: Database) -> None:
    ledger = make_ledger(db)
    at = dt.datetime.combine(TODAY - dt.timedelta(days=20), dt.time(9))
    deadline = TODAY - dt.timedelta(days=13)
    with db.transaction() as s:
        for shop, due in (("老王火锅店", deadline), ("重庆小面馆", None)):
            findings.record_finding(s, FindingInput(
                category="店外经营", found_at=at, business_id=ledger.businesses[shop],
                description="桌椅占道", inspectors="张三", deadline=due), user="t", now=at)
    with db.session() as s:
        source = list_sources.finding_page_source(s, FindingQuery(state="overdue"),
                                                  ["status", "found_at", "deadline", "party"])
        assert rows_of(source) == [("发现（逾期）", at, deadline, "老王火锅店")]
        source = list_sources.finding_page_source(s, FindingQuery(), ["party", "status"])
        assert sorted(rows_of(source)) == [("老王火锅店", "发现（逾期）"), ("重庆小面馆", "发现")]


def test_sites_split_the_last_check_into_typed_cells(db: Database, tmp_path: Path) -> None:
    ledger, sites = make_sites(db)
    day = TODAY.replace(day=1)
    check(db, sites["西岭家园"], day, {4: 2}, today=TODAY)
    query = SiteQuery(community_id=ledger.communities["西岭社区"])
    out = tmp_path / "点位.xlsx"
    with db.session() as s:
        source = list_sources.site_page_source(s, query, ["name", "last_check", "contact"])
        assert [(c.title, c.kind) for c in source.columns] == [
            ("点位", TEXT), ("最近检查日期", DATE), ("最近得分", NUMBER), ("最近检查结果", TEXT),
            ("联系电话", CODE)]
        assert write_list(out, source).rows == 2
    ws = load_workbook(out).active
    values = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert values["西岭家园"] == (dt.datetime.combine(day, dt.time()), 98, "合格", "13800138000")
    assert values["西岭公园"] == (None, None, "未检查", "13800138000")
    assert ws["E2"].number_format == "@"


def test_a_permit_size_becomes_two_numbers_and_unknown_columns_are_refused(db: Database) -> None:
    from desktop.domain.permit_queries import PermitQuery

    make_ledger(db)
    with db.session() as s:
        source = list_sources.permit_page_source(s, PermitQuery(), ["size", "area_m2"])
        assert [(c.title, c.kind) for c in source.columns] == [
            ("宽（米）", NUMBER), ("高（米）", NUMBER), ("面积（㎡）", NUMBER)]
        assert source.total == 0 and rows_of(source) == []
        with pytest.raises(ValueError, match="unknown permit page fields"):
            list_sources.permit_page_source(s, PermitQuery(), ["size", "colour"])
