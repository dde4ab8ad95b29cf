"""One spreadsheet row → one cleaned ledger row: skipping titles, totals and notes, filling
down merged community cells, and checking every field as the business editor does."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Community, Grid
from desktop.domain.businesses import BusinessInput, clean_fields
from desktop.domain.codes import CodeError, clean_prose

from .import_columns import FIELDS, HeaderInfo, Mapping
from .import_values import (
    DateError,
    cell_text,
    number_lost_digits,
    parse_date,
    parse_status,
    parse_yes_no,
    split_phones,
)
from .sheet_source import Cell

CREATE = "create"  # division choice: make the community/grid
SKIP = "skip"  # division choice: do not import these rows
BLANK = "blank"  # grid choice: import without a grid

_TOTAL = re.compile(r"^(合计|小计|总计|共计|累计)")
_TOTAL_FIRST = frozenset("合小总共累")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")  # 1.38E+10: what a CSV keeps of a long number
_NOTE = re.compile(r"^(注[:：\d、.．]|注意|说明[:：]|备注[:：]|制表|填表|审核[人:：]|统计[人:：]|"
                   r"数据(来源|截止)|截止(日期|时间)?[:：]|单位[（(]?盖章|负责人[:：]|联系人[:：])")
_COMMUNITY_SUFFIXES = ("社区居民委员会", "居民委员会", "社区居委会", "居委会", "社区")
_NUMBER_MAX = 60
_DIVISION_MAX = 50
_PROSE_FIELDS = ("name", "operator", "address", "category", "remarks")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def community_core(name: str) -> str:
    key = _squash(name)
    for suffix in _COMMUNITY_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def grid_core(name: str) -> str:
    key = _squash(name)
    if key.endswith("网格") and len(key) > 2:
        key = key[:-2]
    return key


@dataclass
class Divisions:
    """The ledger's communities and grids by name, with the ones this import adds."""

    communities: dict[str, int] = field(default_factory=dict)  # core name → id
    names: dict[int, str] = field(default_factory=dict)
    grids: dict[int, dict[str, int]] = field(default_factory=dict)  # community → core → id
    grid_names: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Divisions:
        out = cls()
        for cid, name in session.execute(select(Community.id, Community.name).order_by(
                Community.sort_order, Community.id)):
            out.add_community(cid, name)
        for gid, cid, name in session.execute(select(Grid.id, Grid.community_id, Grid.name)
                                              .order_by(Grid.sort_order, Grid.id)):
            out.add_grid(gid, cid, name)
        return out

    def add_community(self, cid: int, name: str) -> None:
        self.names[cid] = name
        self.communities.setdefault(_squash(name), cid)
        self.communities.setdefault(community_core(name), cid)

    def add_grid(self, gid: int, cid: int, name: str) -> None:
        self.grid_names[gid] = name
        grids = self.grids.setdefault(cid, {})
        grids.setdefault(_squash(name), gid)
        grids.setdefault(grid_core(name), gid)

    def community(self, name: str) -> int | None:
        return self.communities.get(_squash(name)) or self.communities.get(community_core(name))

    def grid(self, community_id: int, name: str) -> int | None:
        grids = self.grids.get(community_id, {})
        return grids.get(_squash(name)) or grids.get(grid_core(name))


class _Lookups:
    """Division lookups by the text as typed: a ledger names the same few hundred times."""

    def __init__(self, divisions: Divisions) -> None:
        self.divisions = divisions
        self._communities: dict[str, int | None] = {}
        self._grids: dict[tuple[int, str], int | None] = {}

    def community(self, name: str) -> int | None:
        try:
            return self._communities[name]
        except KeyError:
            found = self._communities[name] = self.divisions.community(name)
            return found

    def grid(self, community_id: int, name: str) -> int | None:
        key = (community_id, name)
        try:
            return self._grids[key]
        except KeyError:
            found = self._grids[key] = self.divisions.grid(community_id, name)
            return found


@dataclass
class CleanRow:
    row: int
    cells: Sequence[Cell]
    values: dict[str, Any] = field(default_factory=dict)  # Business columns
    community: str = ""
    community_id: int | None = None  # None with no error: to be created
    grid: str = ""
    grid_id: int | None = None
    new_grid: bool = False
    agreement_date: dt.date | None = None
    agreement_number: str | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    warnings: list[str] = field(default_factory=list)
    filled: dict[int, str] = field(default_factory=dict)  # column → value filled down
    given: set[str] = field(default_factory=set)  # fields with a non-empty cell
    raw: dict[str, str] = field(default_factory=dict)  # each field's cell as text

    @property
    def ok(self) -> bool:
        return not self.errors

    def fingerprint(self) -> tuple[Any, ...]:
        v = self.values
        return (v.get("name"), v.get("credit_code"), v.get("operator"), v.get("phone"),
                v.get("address"), v.get("category"), v.get("status"), v.get("licence_displayed"),
                v.get("remarks"), self.community, self.grid, self.agreement_date,
                self.agreement_number)

    def display(self) -> dict[str, str]:
        """Each field as it will be stored, for the preview."""
        v = self.values
        out = {key: "" for key in FIELDS}
        for key in ("name", "credit_code", "operator", "phone", "address", "category", "status",
                    "remarks"):
            out[key] = str(v.get(key) or "")
        out["licence_displayed"] = "是" if v.get("licence_displayed", True) else "否"
        out["community"] = self.community
        out["grid"] = self.grid
        out["agreement_date"] = self.agreement_date.isoformat() if self.agreement_date else ""
        out["agreement_number"] = self.agreement_number or ""
        return out


class Skip:
    """Why a row is not a ledger row (for the preview); such rows are not counted as skipped."""

    BLANK = "空行"
    TOTAL = "合计行"
    NOTE = "说明文字"
    HEADING = "社区分组标题"
    HEADER = "重复的表头"


class RowCleaner:
    """Cleans the rows of one sheet in order (fill-down needs the rows above)."""

    def __init__(self, header: HeaderInfo, mapping: Mapping, divisions: Divisions, *,
                 choices: dict[str, str | int] | None = None, create_unknown: bool = True,
                 default_community: str = "", today: dt.date | None = None) -> None:
        self.header = header
        self.columns = {key: col for col, key in mapping.items()}
        self.items = sorted((col, key) for col, key in mapping.items())
        self.divisions = divisions
        self.choices = choices or {}
        self.create_unknown = create_unknown
        self.default_community = clean_prose(default_community)
        self.today = today or dt.date.today()
        self._last_community = ""
        self._last_grid = ""
        self._header_words = {t.strip() for t in header.texts if t}
        self._lookups = _Lookups(divisions)
        self._total_span = self.columns.get("name", 0) + 1
        # Unknown divisions met so far, with how many rows name them (the wizard lists them).
        self.unknown_communities: dict[str, int] = {}
        self.unknown_grids: dict[tuple[str, str], int] = {}

    def label(self, key: str) -> str:
        col = self.columns.get(key)
        return self.header.label(col) if col is not None else FIELDS[key]

    # --- skipping ---------------------------------------------------------------------------

    def _texts(self, cells: Sequence[Cell]) -> dict[str, str]:
        width = len(cells)
        return {key: (cell_text(cells[col]).strip() if col < width else "")
                for col, key in self.items}

    def skip_reason(self, cells: Sequence[Cell], texts: dict[str, str]) -> str | None:
        filled = [key for key, text in texts.items() if text]
        if not filled:
            return Skip.BLANK
        # 合计 in the name column or left of it (序号) ends the table; further right it may
        # be prose ("合计两层").
        for value in cells[: self._total_span]:
            if isinstance(value, str) and value.lstrip()[:1] in _TOTAL_FIRST \
                    and _TOTAL.match(_squash(value)):
                return Skip.TOTAL
        name = texts.get("name", "")
        if name and _NOTE.match(_squash(name)) and filled == ["name"]:
            return Skip.NOTE
        if set(filled) <= {"community", "grid"}:
            return Skip.HEADING
        if sum(1 for t in texts.values() if t in self._header_words) >= 2:
            return Skip.HEADER
        return None

    # --- cleaning ---------------------------------------------------------------------------

    def clean(self, number: int, cells: Sequence[Cell]) -> CleanRow | str:
        """The cleaned row, or why it is not a ledger row (a Skip reason)."""
        texts = self._texts(cells)
        reason = self.skip_reason(cells, texts)
        if reason is not None:
            if reason == Skip.HEADING:
                self._remember_heading(texts)
            return reason
        row = CleanRow(number, cells, given={key for key, text in texts.items() if text},
                       raw=texts)
        self._fill_down(row, texts)
        self._business(row, cells, texts)
        self._agreement(row, cells, texts)
        self._divisions(row)
        return row

    def _remember_heading(self, texts: dict[str, str]) -> None:
        if texts.get("community"):
            self._last_community = texts["community"]
            self._last_grid = texts.get("grid", "")
        elif texts.get("grid"):
            self._last_grid = texts["grid"]

    def _fill_down(self, row: CleanRow, texts: dict[str, str]) -> None:
        # A community merged down many rows is only in the first cell of the merge.
        community = texts.get("community", "")
        grid = texts.get("grid", "")
        same_community = not community or community == self._last_community
        if not community and "community" in self.columns and self._last_community:
            community = self._last_community
            row.filled[self.columns["community"]] = community
        if not grid and "grid" in self.columns and same_community and self._last_grid:
            grid = self._last_grid
            row.filled[self.columns["grid"]] = grid
        if texts.get("community"):
            self._last_community = texts["community"]
        if texts.get("grid") or not same_community:
            self._last_grid = texts.get("grid", "")
        row.community = clean_prose(community) or self.default_community
        row.grid = clean_prose(grid)

    def _business(self, row: CleanRow, cells: Sequence[Cell], texts: dict[str, str]) -> None:
        errors = row.errors
        phone = texts.get("phone", "")
        extra_phones: list[str] = []
        if _SCIENTIFIC.match(phone):
            errors.append(("phone", f"电话被 Excel 显示成了科学计数法（{phone}），号码已丢失，请重新填写"))
            phone = ""
        if phone:
            try:
                phone, extra_phones = split_phones(phone)
            except CodeError as exc:
                errors.append(("phone", str(exc)))
                phone = ""
        remarks = texts.get("remarks", "")
        if extra_phones:
            remarks = "；".join(filter(None, [remarks, "其他电话：" + "、".join(extra_phones)]))
        status = parse_status(texts.get("status", ""))
        if status is None:
            errors.append(("status", f"经营状态“{texts['status']}”无法识别（应为：营业、停业、注销、无照）"))
        licence = parse_yes_no(texts.get("licence_displayed", ""))
        if licence is None:
            errors.append(("licence_displayed", f"亮照应填“是”或“否”，不是“{texts['licence_displayed']}”"))
        code = texts.get("credit_code", "")
        col = self.columns.get("credit_code")
        if code and (_SCIENTIFIC.match(code) or (col is not None and number_lost_digits(cells[col]))):
            errors.append(("credit_code", "统一社会信用代码被 Excel 存成了数字，后几位已丢失；"
                                          "请把该列设为“文本”后重新填写"))
            code = ""
        # The phone went through normalize_phone in split_phones already.
        data = BusinessInput(
            name=texts.get("name", ""), credit_code=code, operator=texts.get("operator", ""),
            phone="", address=texts.get("address", ""), category=texts.get("category", ""),
            status=status or "营业", licence_displayed=True if licence is None else licence,
            remarks=remarks)
        values, problems, warnings = clean_fields(data)
        values["phone"] = phone
        for key in ("name", "operator", "address", "category", "remarks", "credit_code",
                    "phone", "status"):
            if key in problems:
                errors.append((key, problems[key]))
        del values["community_id"], values["grid_id"]
        values["active"] = values["status"] != "注销"
        row.values = values
        row.warnings = warnings

    def _agreement(self, row: CleanRow, cells: Sequence[Cell], texts: dict[str, str]) -> None:
        col = self.columns.get("agreement_date")
        number = clean_prose(texts.get("agreement_number", ""))
        signed = None
        if col is not None and col < len(cells):
            try:
                signed = parse_date(cells[col])
            except DateError as exc:
                row.errors.append(("agreement_date", str(exc)))
                return
            if signed is not None and signed > self.today:
                row.errors.append(("agreement_date", f"签订日期“{signed.isoformat()}”晚于今天"))
                return
        if number and signed is None:
            row.errors.append(("agreement_number", "填写了责任书编号，但没有门前三包签订日期"))
            return
        if len(number) > _NUMBER_MAX:
            row.errors.append(("agreement_number", f"责任书编号不能超过{_NUMBER_MAX}个字"))
            return
        row.agreement_date = signed
        row.agreement_number = number or None

    def _divisions(self, row: CleanRow) -> None:
        name = row.community
        if not name:
            row.errors.append(("community", "请填写所属社区"))
            return
        if len(name) > _DIVISION_MAX or len(row.grid) > _DIVISION_MAX:
            key = "community" if len(name) > _DIVISION_MAX else "grid"
            row.errors.append((key, f"{FIELDS[key]}名称不能超过{_DIVISION_MAX}个字"))
            return
        cid = self._lookups.community(name)
        if cid is None:
            choice = self.choices.get(name)
            if isinstance(choice, int) and choice in self.divisions.names:
                cid = choice
            else:
                if row.ok:
                    self.unknown_communities[name] = self.unknown_communities.get(name, 0) + 1
                if choice == SKIP or (choice is None and not self.create_unknown):
                    row.errors.append(("community", f"社区“{name}”不在台账中"))
                    return
        if cid is not None:
            row.community_id = cid
            row.community = self.divisions.names[cid]
        if not row.grid:
            return
        gid = self._lookups.grid(cid, row.grid) if cid is not None else None
        if gid is not None:
            row.grid_id = gid
            row.grid = self.divisions.grid_names[gid]
            return
        key = f"{row.community}/{row.grid}"
        if row.ok:
            pair = (row.community, row.grid)
            self.unknown_grids[pair] = self.unknown_grids.get(pair, 0) + 1
        if cid is None:
            row.new_grid = True  # a new community's grids are new with it
            return
        choice = self.choices.get(key)
        if choice == BLANK:
            row.grid = ""
            return
        if choice == SKIP or (choice is None and not self.create_unknown):
            row.errors.append(("grid", f"网格“{row.grid}”不在“{row.community}”下"))
            return
        row.new_grid = True


def cleaner_rows(cleaner: RowCleaner, rows: Sequence[tuple[int, list[Cell]]], start: int,
                 limit: int) -> list[CleanRow]:
    """The first `limit` ledger rows from `start` on (the wizard's preview)."""
    out: list[CleanRow] = []
    for number, cells in rows:
        if number < start:
            continue
        result = cleaner.clean(number, cells)
        if isinstance(result, CleanRow):
            out.append(result)
            if len(out) >= limit:
                break
    return out
