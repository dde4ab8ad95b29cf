"""Repeating a template row in a loaded worksheet the way Excel inserts rows.

openpyxl's insert_rows only moves cells; this also copies the row's styles, height and
merges into the new rows, moves the merges, row heights and ranges below, and rewrites
formulas everywhere in the workbook that point at the moved rows. A range that runs
through the repeated row (`=SUM(C5:C5)` under a one-row block at row 5) grows to cover the
copies, so a template's totals still add up all the communities.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

_REF = re.compile(r"^(?:(?P<sheet>'(?:[^']|'')+'|[^'!:]+)!)?(?P<ref>[^!]+)$")
_KEEP = re.compile(r"\{\{.*?\}\}")
_PART = re.compile(r"^(\$?)([A-Za-z]{1,3})?(\$?)(\d+)?$")


def _unquote(sheet: str) -> str:
    if sheet.startswith("'") and sheet.endswith("'"):
        return sheet[1:-1].replace("''", "'")
    return sheet


class RowShift:
    """`count` rows inserted below row `row` of sheet `sheet`."""

    def __init__(self, sheet: str, row: int, count: int) -> None:
        self.sheet = sheet
        self.row = row
        self.count = count

    def _row(self, value: int) -> int:
        return value + self.count if value > self.row else value

    def _part(self, text: str) -> tuple[str, int | None] | None:
        m = _PART.match(text)
        if m is None or not (m[2] or m[4]):
            return None
        return text, int(m[4]) if m[4] else None

    def _set_row(self, text: str, row: int) -> str:
        m = _PART.match(text)
        assert m is not None
        return f"{m[1]}{m[2] or ''}{m[3]}{row}"

    def ref(self, ref: str, *, expand: bool) -> str:
        """One reference (`C5`, `$C$5:$C$9`, `5:9`) on the shifted sheet, moved or grown."""
        parts = ref.split(":")
        if len(parts) > 2:
            return ref
        parsed = [self._part(p) for p in parts]
        if any(p is None for p in parsed):
            return ref  # a name, an error literal: nothing to move
        rows = [p[1] for p in parsed if p is not None]
        if any(r is None for r in rows):
            return ref  # whole columns (C:C) do not move with rows
        first = rows[0]
        last = rows[-1]
        assert first is not None and last is not None
        if len(parts) == 2 and expand and first <= self.row <= last:
            new_first, new_last = first, last + self.count
        else:
            new_first, new_last = self._row(first), self._row(last)
        if len(parts) == 1:
            return self._set_row(parts[0], new_first)
        return f"{self._set_row(parts[0], new_first)}:{self._set_row(parts[1], new_last)}"

    def formula(self, text: str, own_sheet: str, *, expand: bool = True) -> str:
        """A formula with every reference to the shifted sheet moved (or grown)."""
        if not text.startswith("="):
            return text
        # Template placeholders ({{…}}) would read as array constants: keep them aside.
        kept: list[str] = []

        def keep(m: re.Match[str]) -> str:
            kept.append(m[0])
            return f"KEPT{len(kept) - 1}_"

        try:
            tokens = Tokenizer(_KEEP.sub(keep, text))
        except TokenizerError:
            return text  # not a formula openpyxl can read: leave it as the template has it
        changed = False
        for token in tokens.items:
            if token.type != Token.OPERAND or token.subtype != Token.RANGE:
                continue
            m = _REF.match(token.value)
            if m is None:
                continue
            sheet = _unquote(m["sheet"]) if m["sheet"] else own_sheet
            if sheet != self.sheet:
                continue
            new = self.ref(m["ref"], expand=expand)
            if new != m["ref"]:
                prefix = token.value[: len(token.value) - len(m["ref"])]
                token.value = prefix + new
                changed = True
        if not changed:
            return text
        return re.sub(r"KEPT(\d+)_", lambda m: kept[int(m[1])], tokens.render())

    def range(self, ref: str) -> str:
        return self.ref(ref, expand=True)

    def ranges(self, sqref: Any) -> MultiCellRange:
        return MultiCellRange(" ".join(self.range(str(r.coord)) for r in MultiCellRange(
            str(sqref)).ranges))


def _shift_formulas(wb: Workbook, shift: RowShift) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                in_block = ws.title == shift.sheet and cell.row == shift.row
                if isinstance(value, str) and cell.data_type == "f":
                    cell.value = shift.formula(value, ws.title, expand=not in_block)
                elif isinstance(value, ArrayFormula) and value.text:
                    value.text = shift.formula(value.text, ws.title, expand=not in_block)
                    if ws.title == shift.sheet:
                        value.ref = shift.range(value.ref)
    for name in list(wb.defined_names.values()):
        if name.value:
            name.value = shift.formula("=" + name.value, "")[1:]
    for ws in wb.worksheets:
        for name in list(ws.defined_names.values()):
            if name.value:
                name.value = shift.formula("=" + name.value, ws.title)[1:]


def _shift_sheet_ranges(ws: Worksheet, shift: RowShift) -> None:
    if ws.auto_filter.ref:
        ws.auto_filter.ref = shift.range(ws.auto_filter.ref)
    for dv in ws.data_validations.dataValidation:
        dv.sqref = shift.ranges(dv.sqref)
    formats = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            formats.add(str(shift.ranges(cf.sqref)), rule)
    ws.conditional_formatting = formats
    for table in ws.tables.values():
        table.ref = shift.range(table.ref)
        if table.autoFilter is not None and table.autoFilter.ref:
            table.autoFilter.ref = shift.range(table.autoFilter.ref)
    if ws.print_area:
        areas = []
        for area in ws.print_area.split(","):
            m = _REF.match(area)
            areas.append(shift.range(m["ref"]).replace("$", "") if m else area)
        ws.print_area = areas


def _shift_rows_below(ws: Worksheet, row: int, count: int) -> None:
    heights = {r: dim for r, dim in ws.row_dimensions.items() if r > row}
    for r in sorted(heights, reverse=True):
        dim = ws.row_dimensions.pop(r)
        dim.index = r + count
        ws.row_dimensions[r + count] = dim


def repeat_row(ws: Worksheet, row: int, count: int) -> None:
    """Insert `count` copies of row `row` directly below it (values, formulas, styles, merges)."""
    if count <= 0:
        return
    wb = ws.parent
    shift = RowShift(ws.title, row, count)
    in_row = [CellRange(r.coord) for r in ws.merged_cells.ranges
              if r.min_row == row and r.max_row == row]
    crossing = [CellRange(r.coord) for r in ws.merged_cells.ranges
                if r.min_row <= row < r.max_row]
    below = [CellRange(r.coord) for r in ws.merged_cells.ranges if r.min_row > row]
    for rng in [*crossing, *below]:
        ws.merged_cells.remove(rng.coord)
    ws.insert_rows(row + 1, count)
    _shift_formulas(wb, shift)
    _shift_sheet_ranges(ws, shift)
    _shift_rows_below(ws, row, count)
    source = ws.row_dimensions[row] if row in ws.row_dimensions else None
    template = [c for c in ws[row] if c.__class__.__name__ != "MergedCell"]
    for k in range(1, count + 1):
        target = row + k
        if source is not None:
            dim = copy.copy(source)
            dim.index = target
            ws.row_dimensions[target] = dim
        for cell in template:
            new = ws.cell(target, cell.column)
            value = cell.value
            if cell.data_type == "f" and isinstance(value, str):
                value = Translator(value, cell.coordinate).translate_formula(
                    f"{get_column_letter(cell.column)}{target}")
            new.value = value
            if cell.has_style:
                new._style = copy.copy(cell._style)
    for rng in below:
        rng.shift(row_shift=count)
        ws.merge_cells(rng.coord)
    for rng in crossing:
        rng.expand(down=count)
        ws.merge_cells(rng.coord)
    for rng in in_row:
        for k in range(1, count + 1):
            ws.merge_cells(start_row=row + k, start_column=rng.min_col, end_row=row + k,
                           end_column=rng.max_col)
