"""Importing a hand-kept business ledger: analyse the file, dry-run, import in one transaction.

The import streams the sheet row by row, checks each row with the business editor's own
rules against sets of what the ledger already holds, and writes new businesses in chunks
with Core executemany inside a single transaction recorded as an ImportBatch. A cancel or a
crash anywhere leaves the ledger as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Business, FrontageAgreement, ImportBatch
from desktop.domain import audit, divisions
from desktop.domain.agreements import default_end, duty_items
from desktop.domain.businesses import search_columns
from desktop.domain.errors import DomainError
from desktop.domain.office import get_office
from desktop.domain.textkeys import name_sort

from .bulk_keys import word_cached_initials
from .import_columns import (
    FIELDS,
    HEADER_SCAN_ROWS,
    HeaderInfo,
    Mapping,
    check_mapping,
    detect_header,
    guess_mapping,
    remember_mapping,
    remembered_mapping,
)
from .import_rows import CleanRow, Divisions, RowCleaner, cleaner_rows, community_core, grid_core
from .sheet_source import Cell, ImportFileError, Sheet, open_workbook

CHUNK = 2000
_BUSINESS = cast(Table, Business.__table__)
_AGREEMENT = cast(Table, FrontageAgreement.__table__)
PREVIEW_ROWS = 20
HEAD_ROWS = HEADER_SCAN_ROWS + 200  # kept for the preview: the header and the rows below it
CHECK_EVERY = 500  # rows between looks at the cancel flag and progress reports

Progress = Callable[[int, int], None]  # rows read so far, rows in the sheet
DUPLICATE_ACTIONS = ("skip", "update")


class ImportCancelled(DomainError):
    def __init__(self) -> None:
        super().__init__("已取消导入，没有导入任何记录")


@dataclass
class ImportOptions:
    sheet: str | int | None = None  # name, or 1-based position; None: the first with data
    header_row: int | None = None  # 1-based; None: found automatically
    mapping: Mapping | None = None  # column → field; None: remembered, else guessed
    on_duplicate: str = "skip"
    dry_run: bool = False
    # Headless import creates unknown communities and grids; the wizard asks the clerk and
    # passes the answers: "社区" or "社区/网格" → "create" | "skip" | "blank" | community id.
    create_unknown: bool = True
    choices: dict[str, str | int] = field(default_factory=dict)
    default_community: str = ""
    remember: bool = True
    user: str = ""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Duplicate:
    row: int
    message: str
    action: str  # "skipped" or "updated"
    business_id: int | None = None
    of_row: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "message": self.message, "action": self.action,
                "business_id": self.business_id, "of_row": self.of_row}


@dataclass(frozen=True)
class ErrorRow:
    """A row that was not imported, as the error workbook shows it."""

    row: int
    cells: list[Cell]
    reasons: str


@dataclass
class ImportResult:
    file_name: str
    sheet: str = ""
    header_row: int = 0
    dry_run: bool = False
    on_duplicate: str = "skip"
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    agreements: int = 0
    ignored: int = 0  # totals, notes, headings, repeated headers
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    batch: int | None = None
    created_communities: list[str] = field(default_factory=list)
    created_grids: list[str] = field(default_factory=list)
    legacy_codes: int = 0
    mapping: dict[str, str] = field(default_factory=dict)  # header → field
    columns: list[str] = field(default_factory=list)  # the header of the error workbook
    error_rows: list[ErrorRow] = field(default_factory=list)
    unknown_communities: dict[str, int] = field(default_factory=dict)
    unknown_grids: dict[tuple[str, str], int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "skipped": self.skipped,
            "errors": [e.as_json() for e in self.errors],
            "batch": self.batch,
            "created": {"communities": list(self.created_communities),
                        "grids": list(self.created_grids)},
            "updated": self.updated,
            "duplicates": [d.as_json() for d in self.duplicates],
            "agreements": self.agreements,
            "ignored": self.ignored,
            "legacy_codes": self.legacy_codes,
            "dry_run": self.dry_run,
            "on_duplicate": self.on_duplicate,
            "file": self.file_name,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "mapping": dict(self.mapping),
        }


# --- analysing ----------------------------------------------------------------------------


@dataclass
class Analysis:
    """What the wizard needs to show the mapping page: the header, a guess and the first rows."""

    path: Path
    kind: str
    sheets: list[str]
    sheet: str
    height: int
    header: HeaderInfo
    mapping: Mapping
    guessed: Mapping
    remembered: bool
    head: list[tuple[int, list[Cell]]]
    divisions: Divisions
    community_names: list[str]

    def preview(self, mapping: Mapping | None = None, *, default_community: str = "",
                limit: int = PREVIEW_ROWS) -> list[CleanRow]:
        cleaner = RowCleaner(self.header, check_mapping(mapping if mapping is not None
                                                        else self.mapping),
                             self.divisions, default_community=default_community)
        return cleaner_rows(cleaner, self.head, self.header.data_start, limit)

    def samples(self, column: int, count: int = 3) -> list[str]:
        from .import_values import cell_text

        out = []
        for number, cells in self.head:
            if number >= self.header.data_start and column < len(cells):
                text = cell_text(cells[column]).strip()
                if text:
                    out.append(text)
                    if len(out) >= count:
                        break
        return out


def _open_sheet(path: Path, sheet: str | int | None, header_row: int | None
                ) -> tuple[Any, Sheet, HeaderInfo, list[tuple[int, list[Cell]]]]:
    book = open_workbook(path)
    try:
        chosen = book.sheet(sheet)
        head = chosen.head(HEAD_ROWS)
    except BaseException:
        book.close()
        raise
    if header_row is not None and not 1 <= header_row <= HEADER_SCAN_ROWS:
        book.close()
        raise ImportFileError(f"表头应在前 {HEADER_SCAN_ROWS} 行之内")
    header = detect_header(head, chosen.hidden_columns, header_row)
    if header is None or not any(header.texts):
        book.close()
        where = f"第 {header_row} 行" if header_row else f"前 {HEADER_SCAN_ROWS} 行中"
        raise ImportFileError(f"在工作表“{chosen.name}”{where}找不到表头（应有“店铺名称”“地址”“社区”"
                              "这样的列名），请检查是否选对了工作表")
    return book, chosen, header, head


def analyse(db: Database, path: Path | str, *, sheet: str | int | None = None,
            header_row: int | None = None) -> Analysis:
    path = Path(path)
    book, chosen, header, head = _open_sheet(path, sheet, header_row)
    book.close()
    guessed = guess_mapping(header)
    with db.session() as session:
        remembered = remembered_mapping(session, header)
        known = Divisions.load(session)
    return Analysis(path, book.kind, book.sheet_names, chosen.name, chosen.height, header,
                    remembered if remembered is not None else guessed, guessed,
                    remembered is not None, head, known,
                    [known.names[c] for c in known.names])


# --- importing ----------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _key(name: str, address: str) -> bytes:
    """Name and address compared without their spaces (both went through clean_prose).

    A 16-byte digest instead of the texts keeps 100,000 rows' worth of keys small.
    """
    text = "".join(name.split()) + "\x1f" + "".join(address.split())
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _fingerprint(row: CleanRow) -> bytes:
    text = "\x1f".join("" if v is None else str(v) for v in row.fingerprint())
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def import_file(db: Database, path: Path | str, options: ImportOptions | None = None, *,
                progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Import (or with dry_run, only check) one ledger file; see ImportResult for what happened."""
    options = options or ImportOptions()
    if options.on_duplicate not in DUPLICATE_ACTIONS:
        raise DomainError("--on-duplicate 只能是 skip 或 update")
    path = Path(path)
    book, sheet, header, _head = _open_sheet(path, options.sheet, options.header_row)
    try:
        if options.mapping is not None:
            mapping = check_mapping(options.mapping)
        else:
            with db.session() as session:
                mapping = remembered_mapping(session, header) or guess_mapping(header)
        if "name" not in mapping.values():
            raise ImportFileError("表头中没有商户名称列（如“店铺名称”“商户名称”），无法导入")
        digest = "" if options.dry_run else file_sha256(path)
        if options.dry_run:
            with db.session() as session:
                return _Run(session, path, sheet, header, mapping, options, None).run(
                    progress, cancelled)
        with db.transaction() as session:
            batch = ImportBatch(file_name=path.name[:260], file_sha256=digest, kind="businesses",
                                created_by=options.user)
            session.add(batch)
            session.flush()
            result = _Run(session, path, sheet, header, mapping, options, batch).run(
                progress, cancelled)
            if options.remember:
                remember_mapping(session, header, mapping)
            return result
    finally:
        book.close()


class _Run:
    """One pass over the sheet: clean, find duplicates, and (unless a dry run) write."""

    def __init__(self, session: Session, path: Path, sheet: Sheet, header: HeaderInfo,
                 mapping: Mapping, options: ImportOptions, batch: ImportBatch | None) -> None:
        self.session = session
        self.sheet = sheet
        self.header = header
        self.options = options
        self.batch = batch
        self.write = batch is not None
        self.user = options.user
        self.now = dt.datetime.now().replace(microsecond=0)
        self.cleaner = RowCleaner(header, mapping, Divisions.load(session),
                                  choices=options.choices, create_unknown=options.create_unknown,
                                  default_community=options.default_community)
        self.result = ImportResult(
            path.name, sheet.name, header.row, dry_run=not self.write,
            on_duplicate=options.on_duplicate,
            mapping={header.label(col): key for col, key in sorted(mapping.items())},
            columns=[header.label(c) for c in range(len(header.texts))])
        self.initials_of = word_cached_initials()
        self.pending: list[tuple[dict[str, Any], CleanRow]] = []
        self.created_community: dict[str, int] = {}  # core name → id (negative in a dry run)
        self.created_grid: dict[tuple[int, str], int] = {}
        self.created_ids: dict[str, list[int]] = {"communities": [], "grids": []}
        self.updated_ids: list[int] = []
        self._next_fake = -1
        self._next_id: int | None = None
        office = get_office(session)
        self.term_months = office.agreement_term_months
        self.duties = [d.key for d in duty_items(session) if d.group == "三包"]
        self._load_existing()
        self.seen_exact: dict[bytes, int] = {}
        self.seen_codes: dict[str, int] = {}
        self.seen_keys: dict[bytes, int] = {}
        self.seen_numbers: dict[str, int] = {}
        self.matched: dict[int, int] = {}  # existing business id → row that matched it

    def _load_existing(self) -> None:
        self.codes: dict[str, int] = {}
        self.keys: dict[bytes, int] = {}
        self.code_of: dict[int, str] = {}
        for bid, code, name, address in self.session.execute(
                select(Business.id, Business.credit_code, Business.name, Business.address)):
            if code:
                self.codes[code] = bid
                self.code_of[bid] = code
            if address:
                self.keys[_key(name, address)] = bid
        self.numbers: set[str] = set(self.session.scalars(
            select(FrontageAgreement.number).where(FrontageAgreement.number.is_not(None))))

    # --- the pass ---------------------------------------------------------------------------

    def run(self, progress: Progress | None, cancelled: Callable[[], bool] | None) -> ImportResult:
        start = self.header.data_start
        total = self.sheet.height
        clean = self.cleaner.clean
        seen = 0
        for number, cells in self.sheet.rows():
            if number < start:
                continue
            seen += 1
            if seen % CHECK_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise ImportCancelled()
                if progress is not None:
                    progress(number, total)
            row = clean(number, cells)
            if isinstance(row, str):
                if row != "空行":
                    self.result.ignored += 1
                continue
            if not row.ok:
                self._reject(row, row.errors)
                continue
            self._accept(row)
            if len(self.pending) >= CHUNK:
                self._flush()
        self._flush()
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if progress is not None:
            progress(total, total)
        self.result.unknown_communities = dict(self.cleaner.unknown_communities)
        self.result.unknown_grids = dict(self.cleaner.unknown_grids)
        if self.write:
            self._finish()
        return self.result

    def _label(self, key: str) -> str:
        return self.cleaner.label(key)

    def _reject(self, row: CleanRow, errors: list[tuple[str, str]]) -> None:
        result = self.result
        for key, message in errors:
            result.errors.append(RowError(row.row, self._label(key), message))
        cells = list(row.cells)
        for col, value in row.filled.items():
            while len(cells) <= col:
                cells.append("")
            cells[col] = value
        result.error_rows.append(ErrorRow(row.row, cells, "；".join(m for _, m in errors)))
        result.skipped += 1

    def _accept(self, row: CleanRow) -> None:
        v = row.values
        result = self.result
        fingerprint = _fingerprint(row)
        first = self.seen_exact.get(fingerprint)
        if first is not None:
            result.duplicates.append(Duplicate(row.row, f"与第 {first} 行完全相同，已跳过",
                                               "skipped", of_row=first))
            result.skipped += 1
            return
        code = v["credit_code"]
        key = _key(v["name"], v["address"]) if v["address"] else None
        problems: list[tuple[str, str]] = []
        if code and code in self.seen_codes:
            problems.append(("credit_code", f"与第 {self.seen_codes[code]} 行的统一社会信用代码相同"))
        if key and key in self.seen_keys:
            problems.append(("name", f"与第 {self.seen_keys[key]} 行的名称、地址相同"))
        number = row.agreement_number
        if number and number in self.seen_numbers:
            problems.append(("agreement_number", f"与第 {self.seen_numbers[number]} 行的责任书编号相同"))
        existing = (self.codes.get(code) if code else None) or (self.keys.get(key) if key else None)
        if number and number in self.numbers:
            problems.append(("agreement_number", f"责任书编号“{number}”已在台账中"))
        if existing is not None and existing in self.matched:
            problems.append(("name", f"与第 {self.matched[existing]} 行对应台账中的同一家商户"))
        if existing is not None and code and self.code_of.get(existing, code) != code:
            problems.append(("credit_code", "名称、地址与台账中的一家商户相同，但统一社会信用代码不同"))
        if problems:
            self._reject(row, problems)
            return
        self.seen_exact[fingerprint] = row.row
        if code:
            self.seen_codes[code] = row.row
        if key:
            self.seen_keys[key] = row.row
        if number:
            self.seen_numbers[number] = row.row
        if v["legacy_code"]:
            result.legacy_codes += 1
        if existing is not None:
            self.matched[existing] = row.row
            self._existing(row, existing)
            return
        community_id, grid_id = self._resolve(row)
        result.imported += 1
        if row.agreement_date is not None:
            result.agreements += 1
        if not self.write:
            return
        keys, text = search_columns(v["name"], code, v["address"], v["operator"], v["phone"],
                                    initials_of=self.initials_of)
        assert self.batch is not None
        self.pending.append(({
            **v, "community_id": community_id, "grid_id": grid_id, "initials": keys,
            "name_sort": name_sort(v["name"]), "search_text": text,
            "import_batch_id": self.batch.id, "version": 1,
            "created_at": self.now, "updated_at": self.now, "updated_by": self.user,
        }, row))

    def _existing(self, row: CleanRow, business_id: int) -> None:
        name = self.session.scalar(select(Business.name).where(Business.id == business_id)) or ""
        how = "统一社会信用代码" if row.values["credit_code"] and \
            self.codes.get(row.values["credit_code"]) == business_id else "名称和地址"
        if self.options.on_duplicate == "skip":
            self.result.duplicates.append(Duplicate(
                row.row, f"台账中已有“{name}”（{how}相同），已跳过", "skipped", business_id))
            self.result.skipped += 1
            return
        community_id, grid_id = self._resolve(row)
        self.result.updated += 1
        self.result.duplicates.append(Duplicate(
            row.row, f"台账中已有“{name}”（{how}相同），已按文件更新", "updated", business_id))
        if self.write:
            from .import_update import update_business

            if update_business(self.session, business_id, row, community_id, grid_id,
                               batch_id=self._batch_id(), user=self.user,
                               initials_of=self.initials_of,
                               agreement=self._agreement_values(row)):
                self.result.agreements += 1
            self.updated_ids.append(business_id)
            if row.values["credit_code"]:
                self.codes[row.values["credit_code"]] = business_id
                self.code_of[business_id] = row.values["credit_code"]
        elif row.agreement_date is not None:
            self.result.agreements += 1

    def _batch_id(self) -> int:
        assert self.batch is not None
        return self.batch.id

    # --- communities and grids ------------------------------------------------------------

    def _resolve(self, row: CleanRow) -> tuple[int, int | None]:
        cid = row.community_id
        if cid is None:
            core = community_core(row.community)
            cid = self.created_community.get(core)
            if cid is None:
                cid = self._new_community(row.community)
                self.created_community[core] = cid
        if not row.new_grid:
            return cid, row.grid_id
        gkey = (cid, grid_core(row.grid))
        gid = self.created_grid.get(gkey)
        if gid is None:
            gid = self._new_grid(cid, row)
            self.created_grid[gkey] = gid
        return cid, gid

    def _fake_id(self) -> int:
        self._next_fake -= 1
        return self._next_fake

    def _new_community(self, name: str) -> int:
        self.result.created_communities.append(name)
        if not self.write:
            return self._fake_id()
        cid = divisions.create_community(self.session, name, user=self.user)
        self.created_ids["communities"].append(cid)
        return cid

    def _new_grid(self, cid: int, row: CleanRow) -> int:
        community = row.community
        self.result.created_grids.append(f"{community}/{row.grid}")
        if not self.write:
            return self._fake_id()
        gid = divisions.create_grid(self.session, cid, row.grid, user=self.user)
        self.created_ids["grids"].append(gid)
        return gid

    # --- writing ----------------------------------------------------------------------------

    def _agreement_values(self, row: CleanRow) -> dict[str, Any] | None:
        if row.agreement_date is None:
            return None
        start = row.agreement_date
        return {
            "number": row.agreement_number, "area_east": "", "area_west": "", "area_south": "",
            "area_north": "", "area_text": "", "frontage_length_m": None, "area_m2": None,
            "duties": list(self.duties), "five_duties": False, "start_date": start,
            "end_date": default_end(start, self.term_months), "office_signatory": "",
            "business_signatory": row.values["operator"], "signed_date": start,
            "status": "signed", "previous_id": None, "terminated_reason": "",
            "import_batch_id": self.batch.id if self.batch else None, "version": 1,
            "created_at": self.now, "updated_at": self.now, "updated_by": self.user,
        }

    def _flush(self) -> None:
        if not self.pending:
            return
        conn = self.session.connection()
        rows = [values for values, _ in self.pending]
        ids = self._insert(conn, rows)
        if ids is not None:
            agreements = []
            for business_id, (_, row) in zip(ids, self.pending, strict=True):
                values = self._agreement_values(row)
                if values is not None:
                    values["business_id"] = business_id
                    agreements.append(values)
            if agreements:
                conn.execute(insert(_AGREEMENT), agreements)
        self.pending = []

    def _insert(self, conn: Any, rows: list[dict[str, Any]]) -> list[int] | None:
        """Insert a chunk of businesses; their ids when the agreements need them."""
        table = _BUSINESS
        if conn.dialect.name == "sqlite":
            # SQLite's RETURNING in a given order costs a statement per row. The transaction
            # holds the write lock, so the next ids are ours to hand out, as SQLite would.
            if self._next_id is None:
                self._next_id = int(conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
            ids = list(range(self._next_id, self._next_id + len(rows)))
            self._next_id += len(rows)
            for business_id, values in zip(ids, rows, strict=True):
                values["id"] = business_id
            conn.execute(insert(table), rows)
            return ids
        if not any(row.agreement_date is not None for _, row in self.pending):
            conn.execute(insert(table), rows)
            return None
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(conn.execute(stmt, rows).scalars())

    def _finish(self) -> None:
        assert self.batch is not None
        result = self.result
        batch = self.batch
        result.batch = batch.id
        if not (result.imported or result.updated or result.created_communities
                or result.created_grids):
            # Nothing changed: no batch to undo.
            self.session.delete(batch)
            self.session.flush()
            result.batch = None
            return
        batch.imported = result.imported
        batch.skipped = result.skipped
        audit.record(
            self.session, user=self.user, action="import", entity="import_batch",
            entity_id=batch.id,
            summary=(f"导入台账“{batch.file_name}”：新增 {result.imported} 家，"
                     f"更新 {result.updated} 家，跳过 {result.skipped} 行"),
            after={"file": batch.file_name, "sheet": result.sheet, "imported": result.imported,
                   "updated": result.updated, "skipped": result.skipped,
                   "agreements": result.agreements,
                   "communities": self.created_ids["communities"],
                   "grids": self.created_ids["grids"], "updated_ids": self.updated_ids})


__all__ = ["FIELDS", "Analysis", "ImportCancelled", "ImportOptions", "ImportResult", "analyse",
           "import_file"]
