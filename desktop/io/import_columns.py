"""Finding the header row of a hand-kept ledger and matching its columns to ledger fields."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ImportMapping

from .sheet_source import Cell

# Field key → the label the wizard shows, in the order the preview lists them.
FIELDS: dict[str, str] = {
    "name": "商户名称",
    "credit_code": "统一社会信用代码",
    "operator": "经营者",
    "phone": "联系电话",
    "address": "地址",
    "category": "行业类别",
    "community": "社区",
    "grid": "网格",
    "status": "经营状态",
    "licence_displayed": "亮照",
    "remarks": "备注",
    "agreement_date": "门前三包签订日期",
    "agreement_number": "责任书编号",
}

# Header texts clerks use, compared after normalise_header().
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("店铺名称", "商户名称", "单位名称", "名称", "店名", "店铺名", "商户名", "门店名称",
             "企业名称", "字号", "店招名称", "商铺名称", "经营户名称", "个体户名称", "店铺",
             "商户", "商家名称", "市场主体名称", "招牌名称"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码", "营业执照号", "营业执照号码",
                    "执照号", "执照号码", "注册号", "工商注册号", "营业执照注册号", "统一代码",
                    "营业执照编号", "信用代码注册号"),
    "operator": ("经营者", "负责人", "法人", "法定代表人", "经营者姓名", "业主", "店主", "法人代表",
                 "经营人", "联系人", "负责人姓名", "法人姓名", "经营者负责人"),
    "phone": ("联系电话", "电话", "手机", "联系方式", "手机号", "手机号码", "电话号码", "联系人电话",
              "负责人电话", "经营者电话", "法人电话", "联系手机", "固定电话"),
    "address": ("地址", "经营地址", "门牌", "门牌号", "经营场所", "店铺地址", "详细地址", "住所",
                "门牌地址", "商户地址", "所在地址", "经营场所地址"),
    "category": ("行业", "类别", "经营类别", "行业类别", "经营类型", "业态", "类型", "行业类型",
                 "经营业态", "商户类别", "店铺类型", "经营项目"),
    "community": ("社区", "所属社区", "社区名称", "所在社区", "社区居委会", "社区村"),
    "grid": ("网格", "所属网格", "网格名称", "网格号", "所在网格", "网格编号"),
    "status": ("状态", "经营状态", "营业状态", "店铺状态", "商户状态"),
    "licence_displayed": ("亮照", "是否亮照", "亮照经营", "证照公示", "亮证亮照", "是否亮证亮照"),
    "remarks": ("备注", "说明", "备注说明"),
    "agreement_date": ("门前三包签订日期", "签约日期", "签订日期", "三包签订日期", "责任书签订日期",
                       "签订时间", "签约时间", "门前三包签订时间", "门前三包签约日期",
                       "三包责任书签订日期"),
    "agreement_number": ("责任书编号", "三包编号", "门前三包编号", "三包责任书编号",
                         "门前三包责任书编号", "责任书号", "协议编号", "门前三包责任书号"),
}
_EXACT = {word: key for key, words in SYNONYMS.items() for word in words}

# For headers that are not an exact synonym: the first field whose token the header contains.
# Phones and dates come first: "负责人电话" is a phone, not a person.
_CONTAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("phone", ("电话", "手机", "联系方式")),
    ("agreement_date", ("签订日期", "签约日期", "签订时间", "签约时间")),
    ("agreement_number", ("责任书编号", "三包编号", "责任书号")),
    ("credit_code", ("信用代码", "执照号", "注册号")),
    ("licence_displayed", ("亮照",)),
    ("community", ("社区",)),
    ("grid", ("网格",)),
    ("status", ("状态",)),
    ("remarks", ("备注",)),
    ("address", ("地址", "门牌", "经营场所", "住所")),
    ("category", ("行业", "类别", "业态", "经营类型")),
    ("operator", ("经营者", "负责人", "法定代表人", "法人", "业主", "店主", "联系人")),
    ("name", ("名称", "店名", "字号", "商户", "店铺")),
)
# Columns that mention a field word but are about something else.
_NOT_A_FIELD = ("序号", "身份证", "证件", "网格员", "网格长", "管理员", "民警", "人数", "面积",
                "金额", "检查", "巡查", "整改", "处罚", "性别", "年龄", "民族", "邮箱", "台账", "汇总",
                "一览", "统计表", "登记表")
# "商户编号" or "店铺开业日期" mention the shop but are not its name.
_NOT_A_NAME = ("编号", "代码", "号", "日期", "时间", "数")
_MAX_HEADER_LEN = 16  # longer texts are titles or notes, not column names
HEADER_SCAN_ROWS = 30

_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_DROP = re.compile(r"[\s*＊★☆:：/／、·.。\-_]+")


def normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _BRACKETS.sub("", text)
    return _DROP.sub("", text).lower()


def match_field(text: str) -> str | None:
    """The ledger field a column header means, or None."""
    if len(_DROP.sub("", text)) > _MAX_HEADER_LEN + 8:
        return None  # a title or a note, even after its brackets are dropped
    key = normalise_header(text)
    if not key or len(key) > _MAX_HEADER_LEN:
        return None
    if key in _EXACT:
        return _EXACT[key]
    if any(word in key for word in _NOT_A_FIELD):
        return None
    for field_key, tokens in _CONTAINS:
        if any(token in key for token in tokens):
            if field_key == "name" and any(w in key for w in _NOT_A_NAME):
                return None
            return field_key
    return None


def _text(value: Cell) -> str:
    if isinstance(value, str):
        return value.strip()
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class HeaderInfo:
    """Where the table starts and what its columns are called."""

    row: int  # 1-based row of the (first) header row
    data_start: int  # 1-based row of the first data row
    texts: tuple[str, ...]  # one per column from A, "" for unnamed columns
    hidden: frozenset[int] = field(default_factory=frozenset)

    @property
    def rows_label(self) -> str:
        return f"第 {self.row} 行" if self.data_start == self.row + 1 else \
            f"第 {self.row}–{self.data_start - 1} 行"

    def label(self, column: int) -> str:
        """The header text of a column as the clerk sees it, or its letter when it has none."""
        text = self.texts[column] if column < len(self.texts) else ""
        return text or f"{column_letter(column)}列"

    def key(self) -> str:
        """The signature under which a confirmed mapping is remembered."""
        names = [normalise_header(t) for t in self.texts]
        while names and not names[-1]:
            names.pop()
        return hashlib.sha256("\x1f".join(names).encode("utf-8")).hexdigest()


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row_fields(cells: Sequence[Cell], hidden: frozenset[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for col, value in enumerate(cells):
        if col in hidden or not isinstance(value, str):
            continue
        key = match_field(value)
        if key is not None:
            found[col] = key
    return found


def detect_header(head: Sequence[tuple[int, list[Cell]]], hidden: frozenset[int] = frozenset(),
                  row: int | None = None) -> HeaderInfo | None:
    """The header row among the first rows: the one naming the most ledger fields.

    `row` forces a row (the clerk's choice). A second header row below it (a merged
    "门前三包" over "签订日期" and "编号") is folded into the first.
    """
    rows = list(head[:HEADER_SCAN_ROWS]) if row is None else list(head)
    best: tuple[int, int] | None = None  # (score, index)
    for index, (number, cells) in enumerate(rows):
        if row is not None:
            if number == row:
                best = (0, index)
                break
            continue
        score = len(set(_row_fields(cells, hidden).values()))
        if score >= 2 and (best is None or score > best[0]):
            best = (score, index)
    if best is None:
        return None
    index = best[1]
    number, top = rows[index]
    below = rows[index + 1] if index + 1 < len(rows) else None
    texts = [_text(v) for v in top]
    data_start = number + 1
    if below is not None and below[0] == number + 1:
        merged = _second_header(texts, [_text(v) for v in below[1]], hidden)
        if merged is not None:
            texts, data_start = merged, number + 2
    while texts and not texts[-1]:
        texts.pop()
    return HeaderInfo(number, data_start, tuple(texts), hidden)


def _second_header(top: list[str], sub: list[str], hidden: frozenset[int]) -> list[str] | None:
    width = max(len(top), len(sub))
    top = top + [""] * (width - len(top))
    sub = sub + [""] * (width - len(sub))
    top_fields = {c for c in range(width) if top[c] and match_field(top[c])}
    if any(sub[c] for c in top_fields) or not any(sub):
        return None
    # A group title merged across columns sits in its first cell only.
    carried, last = [], ""
    for c in range(width):
        if top[c]:
            last = top[c]
        carried.append(top[c] or (last if sub[c] else ""))
    combined = []
    hits = 0
    for c in range(width):
        if not sub[c]:
            combined.append(top[c])
            continue
        whole = carried[c] + sub[c] if carried[c] != sub[c] else sub[c]
        if c not in hidden and (match_field(whole) or match_field(sub[c])):
            hits += 1
        combined.append(whole)
    return combined if hits else None


# --- the mapping ------------------------------------------------------------------------------

Mapping = dict[int, str]  # column index → field key


def guess_mapping(header: HeaderInfo) -> Mapping:
    """Each field from the first visible column that names it."""
    mapping: Mapping = {}
    taken: set[str] = set()
    for col, text in enumerate(header.texts):
        if col in header.hidden or not text:
            continue
        key = match_field(text)
        if key is None and "三包" in text:
            key = _agreement_part(text)
        if key is not None and key not in taken:
            mapping[col] = key
            taken.add(key)
    return mapping


def _agreement_part(text: str) -> str | None:
    if "编号" in text or "号" in text:
        return "agreement_number"
    if "日期" in text or "时间" in text:
        return "agreement_date"
    return None


def check_mapping(mapping: Mapping) -> Mapping:
    """Drop unknown fields and keep one column per field (the first)."""
    clean: Mapping = {}
    taken: set[str] = set()
    for col in sorted(mapping):
        key = mapping[col]
        if key in FIELDS and key not in taken:
            clean[col] = key
            taken.add(key)
    return clean


def remembered_mapping(session: Session, header: HeaderInfo) -> Mapping | None:
    row = session.scalars(select(ImportMapping).where(
        ImportMapping.header_key == header.key())).first()
    if row is None:
        return None
    stored = row.mapping or {}
    try:
        mapping = {int(col): str(key) for col, key in dict(stored.get("fields", {})).items()}
    except (TypeError, ValueError):
        return None
    return check_mapping({c: k for c, k in mapping.items() if c < len(header.texts)})


def remember_mapping(session: Session, header: HeaderInfo, mapping: Mapping) -> None:
    key = header.key()
    payload = {"headers": list(header.texts),
               "fields": {str(col): field_key for col, field_key in sorted(mapping.items())}}
    row = session.scalars(select(ImportMapping).where(ImportMapping.header_key == key)).first()
    if row is None:
        session.add(ImportMapping(header_key=key, mapping=payload))
    elif row.mapping != payload:
        row.mapping = payload
    session.flush()
