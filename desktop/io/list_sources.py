"""What each list kind exports: its columns (with cell types) and its rows, batch by batch.

The filter words are those of `list KIND --filter`, so `export` writes what `list` shows.
A kind registered in listing.LIST_KINDS without a source here still exports, through its
lister (all rows at once, column types guessed from the values).

The list pages export through their own query and visible columns instead (the `*_page_source`
functions at the end), so the file has exactly the rows, order and columns on the screen.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from desktop.domain import agreements, businesses, findings, notices, permit_queries
from desktop.domain.agreements import AgreementQuery
from desktop.domain.businesses import BusinessQuery
from desktop.domain.findings import REPEAT_DAYS, FindingQuery
from desktop.domain.permit_queries import PermitQuery
from desktop.domain.sorting import CheckQuery, check_page, count_checks
from desktop.domain.sorting_sites import SiteQuery, count_sites, site_page
from desktop.listing import (
    AGREEMENT_STATES,
    FINDING_STATES,
    LIST_KINDS,
    NOTICE_STATES,
)

from .excel_export import BOOL, CODE, DATE, DATETIME, NUMBER, TEXT, Column, ListSource
from .xlsx_out import ExportError

BATCH = 2000  # rows per fetch: big enough to amortise the query, small enough to stay lean

Rows = Iterator[Sequence[Sequence[Any]]]
SourceBuilder = Callable[[Session, str, bool], ListSource]


def _columns(spec: Sequence[tuple[str, str, str]]) -> dict[str, Column]:
    return {f: Column(f, title, kind) for f, title, kind in spec}


def _paged(fetch: Callable[[int, int], list[Any]], getters: Sequence[Callable[[Any], Any]],
           batch: int = BATCH) -> Rows:
    """Batches by OFFSET paging, for lists too short for it to matter."""
    offset = 0
    while True:
        rows = fetch(offset, batch)
        if rows:
            yield [tuple(get(r) for get in getters) for r in rows]
        if len(rows) < batch:
            return
        offset += batch


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda row: getattr(row, name)


# --- 商户台账 -----------------------------------------------------------------------------------

BUSINESS_COLUMNS = _columns([
    ("name", "名称", TEXT), ("credit_code", "统一社会信用代码", CODE), ("operator", "经营者", TEXT),
    ("phone", "联系电话", CODE), ("address", "地址", TEXT), ("category", "行业类别", TEXT),
    ("community", "社区", TEXT), ("grid", "网格", TEXT), ("status", "经营状态", TEXT),
    ("licence_displayed", "亮照", BOOL), ("remarks", "备注", TEXT), ("active", "在册", BOOL),
    ("updated_at", "最后修改", DATETIME), ("updated_by", "修改人", TEXT),
])
# The columns of the ledger page, in its order.
BUSINESS_FIELDS = ("name", "credit_code", "operator", "phone", "address", "category", "community",
                   "grid", "status", "licence_displayed")


def business_source(session: Session, query: BusinessQuery,
                    fields: Sequence[str] | None = None) -> ListSource:
    """The ledger as the page shows it: `fields` in the page's column order."""
    chosen = list(fields or BUSINESS_FIELDS)
    unknown = [f for f in chosen if f not in BUSINESS_COLUMNS]
    if unknown:
        raise ValueError(f"unknown business fields {unknown}")
    total = businesses.count(session, query)
    stmt = businesses.value_select(session, query, chosen).execution_options(yield_per=BATCH)

    def rows() -> Rows:
        yield from session.execute(stmt).partitions()

    return ListSource("商户台账", [BUSINESS_COLUMNS[f] for f in chosen], total, rows())


def _businesses(session: Session, text: str, include_inactive: bool) -> ListSource:
    fields = [*BUSINESS_FIELDS, "active"] if include_inactive else None
    return business_source(session, BusinessQuery(text=text, include_inactive=include_inactive),
                           fields)


# --- 门前三包 ---------------------------------------------------------------------------------

AGREEMENT_COLUMNS = _columns([
    ("number", "编号", TEXT), ("business", "商户", TEXT), ("credit_code", "统一社会信用代码", CODE),
    ("operator", "经营者", TEXT), ("address", "地址", TEXT), ("community", "社区", TEXT),
    ("grid", "网格", TEXT), ("start_date", "开始日期", DATE), ("end_date", "结束日期", DATE),
    ("signed_date", "签订日期", DATE), ("state_label", "状态", TEXT),
    ("frontage_length_m", "门前长度（米）", NUMBER), ("area_m2", "责任区面积（㎡）", NUMBER),
    ("area", "责任区范围", TEXT),
])
UNSIGNED_FIELDS = ("name", "credit_code", "operator", "phone", "address", "category",
                   "community", "grid")


def _agreement_value(name: str) -> Callable[[agreements.AgreementRow], Any]:
    if name == "area":
        return lambda row: row.area_description()
    return _attr(name)


def _agreements(session: Session, text: str, include_inactive: bool) -> ListSource:
    state = AGREEMENT_STATES.get(text.strip().lower(), "")
    if state == "unsigned":
        return _unsigned(session, dt.date.today())
    query = agreements.AgreementQuery(text="" if state else text, state=state)
    getters = [_agreement_value(f) for f in AGREEMENT_COLUMNS]

    def rows() -> Rows:
        for part in agreements.stream(session, query, BATCH):
            yield [tuple(get(r) for get in getters) for r in part]

    return ListSource("门前三包责任书", list(AGREEMENT_COLUMNS.values()),
                      agreements.count(session, query), rows())


def _unsigned(session: Session, at: dt.date) -> ListSource:
    total, _ = agreements.unsigned_businesses(session, at, limit=0)
    getters = [_attr(f) for f in UNSIGNED_FIELDS]
    columns = [BUSINESS_COLUMNS[f] for f in UNSIGNED_FIELDS]

    def fetch(offset: int, limit: int) -> list[Any]:
        return agreements.unsigned_businesses(session, at, offset=offset, limit=limit)[1]

    return ListSource("未签约商户", columns, total, _paged(fetch, getters))


# --- 巡查问题 ---------------------------------------------------------------------------------

FINDING_COLUMNS = _columns([
    ("id", "问题编号", NUMBER), ("status", "状态", TEXT), ("category", "问题类别", TEXT),
    ("found_at", "发现时间", DATETIME), ("place", "地点", TEXT), ("party", "当事人", TEXT),
    ("community", "社区", TEXT), ("grid", "网格", TEXT), ("deadline", "整改期限", DATE),
    ("notice", "通知书编号", TEXT), ("source", "来源", TEXT), ("inspectors", "巡查人员", TEXT),
    ("description", "问题描述", TEXT), ("closed_at", "结案时间", DATETIME),
    ("photos", "照片", NUMBER),
])
REPEAT_COLUMNS = _columns([
    ("key", "类型", TEXT), ("name", "商户或地点", TEXT), ("findings", "问题次数", NUMBER),
    ("first_found", "首次发现", DATETIME), ("last_found", "最近发现", DATETIME),
])


def _findings(session: Session, text: str, include_inactive: bool) -> ListSource:
    word = text.strip().lower()
    if word in ("repeat", "屡查屡犯"):
        repeats = findings.repeat_offenders(session)
        getters = [(lambda r: "商户" if r.key == "business" else "地点") if f == "key"
                   else _attr(f) for f in REPEAT_COLUMNS]
        rows = [tuple(get(r) for get in getters) for r in repeats]
        return ListSource("屡查屡犯", list(REPEAT_COLUMNS.values()), len(rows), [rows])
    state = FINDING_STATES.get(word, "")
    query = findings.FindingQuery(text="" if state else text, state=state)
    getters = [_attr(f) for f in FINDING_COLUMNS]
    return ListSource("巡查问题", list(FINDING_COLUMNS.values()), findings.count(session, query),
                      _paged(lambda o, n: findings.page(session, query, o, n), getters))


# --- 责令改正通知书 -----------------------------------------------------------------------------

NOTICE_COLUMNS = _columns([
    ("number", "文书编号", TEXT), ("party", "当事人", TEXT), ("issued_at", "签发时间", DATETIME),
    ("order_label", "改正方式", TEXT), ("deadline", "改正期限", DATETIME),
    ("status_label", "状态", TEXT), ("business", "商户", TEXT), ("community", "社区", TEXT),
    ("categories", "问题类别", TEXT), ("officer1", "执法人员一", TEXT),
    ("officer2", "执法人员二", TEXT), ("delivered_at", "送达时间", DATETIME),
    ("voided_at", "作废时间", DATETIME), ("void_reason", "作废原因", TEXT),
    ("party_address", "当事人地址", TEXT),
])


def _notice_value(name: str) -> Callable[[Any], Any]:
    if name == "categories":
        return lambda row: "、".join(row.categories)
    return _attr(name)


def _notices(session: Session, text: str, include_inactive: bool) -> ListSource:
    state = NOTICE_STATES.get(text.strip().lower(), "")
    query = notices.NoticeQuery(text="" if state else text, state=state)
    getters = [_notice_value(f) for f in NOTICE_COLUMNS]
    return ListSource("责令改正通知书", list(NOTICE_COLUMNS.values()),
                      notices.count(session, query),
                      _paged(lambda o, n: notices.page(session, query, o, n), getters))


# --- 户外广告 / 招牌许可 -------------------------------------------------------------------------

PERMIT_COLUMNS = _columns([
    ("number", "受理编号", TEXT), ("decision_number", "许可决定书编号", TEXT),
    ("business", "商户", TEXT), ("credit_code", "统一社会信用代码", CODE),
    ("operator", "经营者", TEXT), ("phone", "联系电话", CODE), ("community", "社区", TEXT),
    ("grid", "网格", TEXT), ("sign_type", "招牌类型", TEXT), ("location", "设置地点", TEXT),
    ("width_m", "宽（米）", NUMBER), ("height_m", "高（米）", NUMBER),
    ("protrusion_m", "外挑（米）", NUMBER), ("area_m2", "面积（㎡）", NUMBER),
    ("material", "材质", TEXT), ("lighting", "照明", TEXT), ("applied_date", "申请日期", DATE),
    ("start_date", "许可起始", DATE), ("end_date", "许可截止", DATE),
    ("state_label", "状态", TEXT), ("days_left", "剩余天数", NUMBER),
    ("last_check_date", "最近安全检查", DATE), ("unsafe", "安全隐患", BOOL),
    ("multi_sign", "一店多牌", BOOL),
])


def _permits(session: Session, text: str, include_inactive: bool) -> ListSource:
    """`--filter` as for `list permits`: pending, valid, expiring, unsafe, multi-sign, a status."""
    from desktop.domain import permit_queries as P

    word = text.strip()
    state = P.FILTER_WORDS.get(word.lower(), P.FILTER_WORDS.get(word, ""))
    query = P.PermitQuery(text="" if state else text, state=state)
    getters = [_attr(f) for f in PERMIT_COLUMNS]

    def rows() -> Rows:
        for part in P.stream(session, query, BATCH):
            yield [tuple(get(r) for get in getters) for r in part]

    return ListSource("户外广告及招牌许可", list(PERMIT_COLUMNS.values()), P.count(session, query),
                      rows())


# --- any other registered list --------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_CODE_FIELDS = {"credit_code", "phone", "id_number", "cert", "officer1_cert", "officer2_cert"}


def _guess_kind(name: str, values: list[Any]) -> str:
    present = [v for v in values if v not in (None, "")]
    if name in _CODE_FIELDS or name.endswith(("_code", "_phone")):
        return CODE
    if not present:
        return TEXT
    if all(isinstance(v, bool) for v in present):
        return BOOL
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return NUMBER
    if all(isinstance(v, str) and _ISO_DATE.match(v) for v in present):
        return DATE
    if all(isinstance(v, str) and _ISO_DATETIME.match(v) for v in present):
        return DATETIME
    return TEXT


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


# Headings for lists exported through their lister: the typed lists' own, then a few more.
FALLBACK_TITLES: dict[str, str] = {
    **{f: c.title for spec in (BUSINESS_COLUMNS, AGREEMENT_COLUMNS, FINDING_COLUMNS,
                               NOTICE_COLUMNS, PERMIT_COLUMNS) for f, c in spec.items()},
    "id": "序号", "site": "检查点位", "site_type": "点位类型", "check_date": "检查日期",
    "total": "得分", "passed": "是否合格", "inspectors": "检查人员", "notes": "备注",
    "template_version": "检查表版本", "recheck_of": "复查对象", "pass_score": "合格分",
    "vetoed": "一票否决", "result_total": "复查得分", "result_passed": "复查合格",
    "pending": "待复查", "state": "状态代码", "state_label": "状态", "status_label": "状态",
}


def _internal(name: str) -> bool:
    """Record keys and versions mean nothing to the district."""
    return name == "version" or name.endswith("_id")


def _from_lister(kind: str) -> SourceBuilder:
    def build(session: Session, text: str, include_inactive: bool) -> ListSource:
        listing = LIST_KINDS[kind](session, text, 10**9, include_inactive)
        rows = listing["rows"]
        names = [n for n in dict.fromkeys(k for r in rows for k in r) if not _internal(n)]
        columns = [Column(n, FALLBACK_TITLES.get(n, n), _guess_kind(n, [r.get(n) for r in rows]))
                   for n in names]
        values = [tuple(_plain(r.get(n)) for n in names) for r in rows]
        return ListSource(kind, columns, len(values), [values] if values else [])

    return build


EXPORT_SOURCES: dict[str, SourceBuilder] = {
    "businesses": _businesses,
    "agreements": _agreements,
    "findings": _findings,
    "notices": _notices,
    "permits": _permits,
}


def export_kinds() -> list[str]:
    return sorted(set(LIST_KINDS) | set(EXPORT_SOURCES))


def list_source(session: Session, kind: str, text: str = "",
                include_inactive: bool = False) -> ListSource:
    if kind in EXPORT_SOURCES:
        return EXPORT_SOURCES[kind](session, text, include_inactive)
    if kind in LIST_KINDS:
        return _from_lister(kind)(session, text, include_inactive)
    raise ExportError(f"未知的列表：{kind}（可导出：{'、'.join(export_kinds())}）")


# --- the list pages, as they show ---------------------------------------------------------------
# A page hands in its own query and its visible columns: the field names of its table model,
# in the clerk's order. Each page column becomes one or more typed columns of the file (a
# "宽×高" cell becomes two numbers); the rows come from the same domain function the page's
# model pages through, so the filter and the order are exactly the page's.

Getter = Callable[[Any], Any]
PageColumns = Mapping[str, Sequence[tuple[Column, Getter]]]


def _as(column: Column, get: Getter | None = None) -> list[tuple[Column, Getter]]:
    return [(column, get or _attr(column.field))]


def _same(columns: Mapping[str, Column], *names: str) -> dict[str, list[tuple[Column, Getter]]]:
    return {name: _as(columns[name]) for name in names}


def _chosen(spec: PageColumns, fields: Sequence[str], what: str) -> tuple[list[Column], list[Getter]]:
    unknown = [f for f in fields if f not in spec]
    if unknown:
        raise ValueError(f"unknown {what} fields {unknown}")
    pairs = [pair for f in fields for pair in spec[f]]
    return [c for c, _ in pairs], [get for _, get in pairs]


def _each(parts: Iterable[Sequence[Any]], getters: Sequence[Getter]) -> Rows:
    for part in parts:
        yield [tuple(get(r) for get in getters) for r in part]


def _blank_if_none(name: str) -> Getter:
    return lambda row: getattr(row, name) or None


AGREEMENT_PAGE: PageColumns = {
    # A draft has no number yet; the state column says 草稿.
    "number": _as(AGREEMENT_COLUMNS["number"], _blank_if_none("number")),
    **_same(AGREEMENT_COLUMNS, "business", "operator", "address", "community", "grid",
            "start_date", "end_date"),
    "state": _as(AGREEMENT_COLUMNS["state_label"]),
}
UNSIGNED_PAGE: PageColumns = {
    "name": _as(Column("name", "商户", TEXT)),
    **_same(BUSINESS_COLUMNS, "operator", "phone", "address", "category", "community", "grid"),
}


def agreement_page_source(session: Session, query: AgreementQuery,
                          fields: Sequence[str]) -> ListSource:
    """门前三包 as the page lists them: `fields` are the page's columns in its order."""
    columns, getters = _chosen(AGREEMENT_PAGE, fields, "agreement page")
    return ListSource("门前三包责任书", columns, agreements.count(session, query),
                      _each(agreements.stream(session, query, BATCH), getters))


def unsigned_page_source(session: Session, at: dt.date, community_id: int | None,
                         grid_id: int | None, fields: Sequence[str]) -> ListSource:
    """The businesses still to sign on `at`, in the page's columns."""
    columns, getters = _chosen(UNSIGNED_PAGE, fields, "unsigned page")
    total, _ = agreements.unsigned_businesses(session, at, community_id=community_id,
                                              grid_id=grid_id, limit=0)

    def fetch(offset: int, limit: int) -> list[Any]:
        return agreements.unsigned_businesses(session, at, community_id=community_id,
                                              grid_id=grid_id, offset=offset, limit=limit)[1]

    return ListSource("未签约商户", columns, total, _paged(fetch, getters))


def _finding_page(today: dt.date) -> PageColumns:
    def status(row: findings.FindingRow) -> str:
        return f"{row.status}（逾期）" if row.is_overdue(today) else row.status

    return {
        **_same(FINDING_COLUMNS, "found_at", "category", "place", "community", "deadline"),
        "party": _as(Column("party", "商户/当事人", TEXT)),
        "status": _as(Column("status", "状态", TEXT), status),
        "notice": _as(FINDING_COLUMNS["notice"], _blank_if_none("notice")),
    }


REPEAT_PAGE: PageColumns = {
    "name": _as(REPEAT_COLUMNS["name"]),
    "key": _as(REPEAT_COLUMNS["key"], lambda r: "商户" if r.key == "business" else "地点"),
    "findings": _as(Column("findings", f"{REPEAT_DAYS}天内次数", NUMBER)),
    "first_found": _as(Column("first_found", "首次发现", DATE)),
    "last_found": _as(Column("last_found", "最近发现", DATE)),
}


def finding_page_source(session: Session, query: FindingQuery,
                        fields: Sequence[str]) -> ListSource:
    """巡查问题 as the page lists them; overdue ones say so in 状态, as on the screen."""
    spec = _finding_page(query.today or dt.date.today())
    columns, getters = _chosen(spec, fields, "finding page")
    return ListSource("巡查问题", columns, findings.count(session, query),
                      _paged(lambda o, n: findings.page(session, query, o, n), getters))


def repeat_page_source(session: Session, fields: Sequence[str],
                       today: dt.date | None = None) -> ListSource:
    """重复违规: the businesses and places with several findings lately, as the page lists them."""
    columns, getters = _chosen(REPEAT_PAGE, fields, "repeat page")
    rows = findings.repeat_offenders(session, today)
    return ListSource("重复违规", columns, len(rows), _each([rows] if rows else [], getters))


def _safety(row: Any) -> str | None:
    if row.last_check_passed is None:
        return None
    return "合格" if row.last_check_passed else "不合格"


PERMIT_PAGE: PageColumns = {
    "number": _as(Column("number", "申请编号", TEXT)),
    **_same(PERMIT_COLUMNS, "business", "sign_type", "location", "area_m2"),
    "size": [(PERMIT_COLUMNS["width_m"], _attr("width_m")),
             (PERMIT_COLUMNS["height_m"], _attr("height_m"))],
    "state": _as(PERMIT_COLUMNS["state_label"]),
    "end_date": _as(Column("end_date", "有效期至", DATE)),
    "safety": _as(Column("safety", "安全检查", TEXT), _safety),
}


def permit_page_source(session: Session, query: PermitQuery, fields: Sequence[str]) -> ListSource:
    """户外广告及招牌许可 as the page lists them; 宽×高 becomes two number columns."""
    columns, getters = _chosen(PERMIT_PAGE, fields, "permit page")
    return ListSource("户外广告及招牌许可", columns, permit_queries.count(session, query),
                      _each(permit_queries.stream(session, query, BATCH), getters))


def _check_page(today: dt.date) -> PageColumns:
    def state(row: Any) -> str:
        return row.state_label(today) + ("（否决项）" if row.vetoed else "")

    return {
        "check_date": _as(Column("check_date", "检查日期", DATE)),
        "site": _as(Column("site", "点位", TEXT)),
        "site_type": _as(Column("site_type", "点位类型", TEXT)),
        "community": _as(Column("community", "社区", TEXT)),
        "grid": _as(Column("grid", "网格", TEXT)),
        "total": _as(Column("total", "得分", NUMBER)),
        "state": _as(Column("state", "结果", TEXT), state),
        # Shown only while the recheck is awaited, as on the screen.
        "deadline": _as(Column("deadline", "整改期限", DATE),
                        lambda r: r.deadline if r.pending else None),
        "inspectors": _as(Column("inspectors", "检查人员", TEXT)),
        "template_version": _as(Column("template_version", "检查表版本", NUMBER)),
    }


def check_page_source(session: Session, query: CheckQuery, fields: Sequence[str]) -> ListSource:
    """垃圾分类检查记录 as the page lists them (period, community, type, result, search)."""
    spec = _check_page(query.today or dt.date.today())
    columns, getters = _chosen(spec, fields, "check page")
    return ListSource("垃圾分类检查记录", columns, count_checks(session, query),
                      _paged(lambda o, n: check_page(session, query, o, n), getters))


def _last_result(row: Any) -> str:
    if row.last_check_date is None:
        return "未检查"
    return "合格" if row.last_passed else "不合格"


SITE_PAGE: PageColumns = {
    "name": _as(Column("name", "点位", TEXT),
                lambda r: r.name if r.active else f"{r.name}（已停用）"),
    "site_type": _as(Column("site_type", "类型", TEXT)),
    "community": _as(Column("community", "社区", TEXT)),
    "grid": _as(Column("grid", "网格", TEXT)),
    # One cell on the screen ("2026-10-01 96分 合格"); three typed ones in the file.
    "last_check": [(Column("last_check_date", "最近检查日期", DATE), _attr("last_check_date")),
                   (Column("last_total", "最近得分", NUMBER), _attr("last_total")),
                   (Column("last_result", "最近检查结果", TEXT), _last_result)],
    "address": _as(Column("address", "地址", TEXT)),
    "responsible": _as(Column("responsible", "责任人", TEXT)),
    "contact": _as(Column("contact", "联系电话", CODE)),
    "collection_points": _as(Column("collection_points", "收集点", NUMBER)),
    "business": _as(Column("business", "关联商户", TEXT)),
}


def site_page_source(session: Session, query: SiteQuery, fields: Sequence[str]) -> ListSource:
    """垃圾分类检查点位 as the page lists them (unchecked in a period, or with the stopped ones)."""
    columns, getters = _chosen(SITE_PAGE, fields, "site page")
    return ListSource("垃圾分类检查点位", columns, count_sites(session, query),
                      _paged(lambda o, n: site_page(session, query, o, n), getters))
