"""The figures sent up to the district: one catalogue of named figures, per community and total.

Both the summary workbook and the template fill read from here, so a figure has one name
and one value wherever it appears. Names are Chinese, `领域.指标` (area.measure):

    商户数                 businesses on the ledger
    门前三包.应签 / 已签 / 未签 / 签约率 / 即将到期（30 天内）
             / 新开未签（本期新登记、应签而截至统计日未持有效责任书的商户）
    招牌许可.申请 / 准予 / 不予许可 / 有效 / 即将到期（60 天内）
             / 已拆除（本期拆除） / 安全隐患（在设招牌最近一次安全检查不合格）
    垃圾分类.检查点位 / 检查 / 合格 / 不合格 / 合格率 / 平均分
             / 主要不合格项（文字：不合格次数最多的检查项）
    巡查.发现 / 已整改 / 按期整改 / 逾期 / 移交执法
        .发现.占道经营 … 发现.无照经营 / 发现.其他（按问题类别的发现数）
    通知书.签发 / 作废 / 复查

In a template a figure is the street total (`{{门前三包.签约率}}` or `{{全街道.门前三包.签约率}}`)
or one community's (`{{东湖社区.门前三包.已签}}`). The report's own details are named too:
统计期间, 起始日期, 截止日期, 数据截至, 填报单位, 填报人, 填报日期.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from desktop.domain import agreements
from desktop.domain.divisions import list_communities
from desktop.domain.findings import CATEGORIES
from desktop.domain.office import get_office
from desktop.domain.sorting_figures import FailedItem
from desktop.domain.stats import OTHER_CATEGORY, Period, community_stats

from .xlsx_out import ExportError

STREET = "全街道"
COUNT, RATE, SCORE, TEXT = "count", "rate", "score", "text"
SCORE_FORMAT = "0.0"  # average scores, one decimal as on the score sheets
MOST_FAILED_SHOWN = 3  # items named in 垃圾分类.主要不合格项 when several tie

Entry = dict[str, Any]  # one community's (or the total's) entry of community_stats
Figure = int | float | str


@dataclass(frozen=True)
class Measure:
    name: str  # catalogue name, 领域.指标
    label: str  # column heading in the summary workbook
    kind: str  # COUNT, RATE (a fraction 0–1), SCORE (points, one decimal) or TEXT
    read: Callable[[Entry], Figure] = field(repr=False)

    @property
    def area(self) -> str:
        return self.name.split(".", 1)[0] if "." in self.name else ""


def _get(area: str, key: str) -> Callable[[Entry], int | float]:
    return lambda e: e[area][key]


def _found(category: str) -> Callable[[Entry], int]:
    return lambda e: e["findings"]["by_category"].get(category, 0)


def most_failed(entry: Entry) -> str:
    """The item(s) failed most often, with how often: "厨余垃圾分类准确率（2次）"; "" if none."""
    items = entry["sorting"]["failed_items"]
    if not items:
        return ""
    most = items[0]["failures"]
    tied = [i for i in items if i["failures"] == most]
    text = "；".join(f"{i['text']}（{most}次）" for i in tied[:MOST_FAILED_SHOWN])
    return text + ("等" if len(tied) > MOST_FAILED_SHOWN else "")


MEASURES: tuple[Measure, ...] = (
    Measure("商户数", "在册商户", COUNT, lambda e: e["businesses"]),
    Measure("门前三包.应签", "应签户数", COUNT, _get("agreements", "required")),
    Measure("门前三包.已签", "已签户数", COUNT, _get("agreements", "signed")),
    Measure("门前三包.签约率", "签约率", RATE, _get("agreements", "rate")),
    Measure("门前三包.即将到期", "30天内到期", COUNT, _get("agreements", "expiring")),
    Measure("门前三包.未签", "未签户数", COUNT,
            lambda e: e["agreements"]["required"] - e["agreements"]["signed"]),
    Measure("门前三包.新开未签", "新开未签户数", COUNT, _get("agreements", "new_unsigned")),
    Measure("招牌许可.申请", "申请件数", COUNT, _get("permits", "applications")),
    Measure("招牌许可.准予", "准予许可", COUNT, _get("permits", "approved")),
    Measure("招牌许可.不予许可", "不予许可", COUNT, _get("permits", "refused")),
    Measure("招牌许可.有效", "有效许可", COUNT, _get("permits", "valid")),
    Measure("招牌许可.即将到期", "60天内到期", COUNT, _get("permits", "expiring")),
    Measure("招牌许可.已拆除", "本期拆除", COUNT, _get("permits", "removed")),
    Measure("招牌许可.安全隐患", "存在安全隐患", COUNT, _get("permits", "unsafe")),
    Measure("垃圾分类.检查点位", "检查点位", COUNT, _get("sorting", "sites")),
    Measure("垃圾分类.检查", "检查次数", COUNT, _get("sorting", "checks")),
    Measure("垃圾分类.合格", "合格次数", COUNT, _get("sorting", "passed")),
    Measure("垃圾分类.不合格", "不合格次数", COUNT,
            lambda e: e["sorting"]["checks"] - e["sorting"]["passed"]),
    Measure("垃圾分类.合格率", "合格率", RATE, _get("sorting", "rate")),
    Measure("垃圾分类.平均分", "平均得分", SCORE, _get("sorting", "average")),
    Measure("垃圾分类.主要不合格项", "主要不合格项", TEXT, most_failed),
    Measure("巡查.发现", "发现问题", COUNT, _get("findings", "found")),
    Measure("巡查.已整改", "已整改", COUNT, _get("findings", "rectified")),
    Measure("巡查.按期整改", "按期整改", COUNT, _get("findings", "on_time")),
    Measure("巡查.逾期", "逾期未改", COUNT, _get("findings", "overdue")),
    Measure("巡查.移交执法", "移交执法", COUNT, _get("findings", "referred")),
    *(Measure(f"巡查.发现.{c}", c, COUNT, _found(c)) for c in (*CATEGORIES, OTHER_CATEGORY)),
    Measure("通知书.签发", "签发通知书", COUNT, _get("notices", "issued")),
    Measure("通知书.作废", "作废通知书", COUNT, _get("notices", "voided")),
    Measure("通知书.复查", "复查次数", COUNT, _get("notices", "rechecks")),
)
# 巡查.发现 by category, in the catalogue's order: the rows of the summary's category table.
CATEGORY_MEASURES: tuple[str, ...] = tuple(f"巡查.发现.{c}" for c in (*CATEGORIES, OTHER_CATEGORY))
BY_NAME: dict[str, Measure] = {m.name: m for m in MEASURES}

# The report's own details, for templates.
DETAILS = ("统计期间", "起始日期", "截止日期", "数据截至", "填报单位", "填报人", "填报日期")


def period_text(period: Period) -> str:
    year, _, part = period.label.partition("-")
    if part.startswith("Q"):
        return f"{year}年第{'一二三四'[int(part[1]) - 1]}季度"
    return f"{year}年{int(part)}月"


@dataclass(frozen=True)
class FigureRow:
    name: str  # the community, or 全街道
    values: dict[str, Figure]  # by measure name


@dataclass(frozen=True)
class DistrictFigures:
    period: Period
    as_of: dt.date
    office: str
    prepared_by: str
    prepared_on: dt.date
    communities: list[FigureRow]
    total: FigureRow
    failed_items: tuple[FailedItem, ...] = ()  # the street's sorting items most often failed

    def details(self) -> dict[str, Any]:
        return {"统计期间": period_text(self.period), "起始日期": self.period.start,
                "截止日期": self.period.end, "数据截至": self.as_of, "填报单位": self.office,
                "填报人": self.prepared_by, "填报日期": self.prepared_on}

    def row(self, name: str) -> FigureRow | None:
        if name == STREET:
            return self.total
        return next((r for r in self.communities if r.name == name), None)


def _values(entry: Entry) -> dict[str, Figure]:
    return {m.name: m.read(entry) for m in MEASURES}


def collect(session: Session, period: Period, *, prepared_by: str = "",
            today: dt.date | None = None) -> DistrictFigures:
    """All figures for `period`, per community (the ledger's order) and for the street."""
    today = today or dt.date.today()
    stats = community_stats(session, period, today)
    at = dt.date.fromisoformat(stats["as_of"])
    expiring = agreements.expiring_by_community(session, at)
    ids = {c.name: c.id for c in list_communities(session, include_inactive=True)}
    rows = []
    for entry in stats["communities"]:
        entry["agreements"]["expiring"] = expiring.get(ids.get(entry["community"], -1), 0)
        rows.append(FigureRow(entry["community"], _values(entry)))
    total = stats["total"]
    total["agreements"]["expiring"] = sum(expiring.values())
    items = tuple(FailedItem(i["group"], i["text"], i["failures"], i["checks"])
                  for i in total["sorting"]["failed_items"])
    return DistrictFigures(period, at, get_office(session).name, prepared_by, today, rows,
                           FigureRow(STREET, _values(total)), items)


def unknown_figure(name: str, communities: list[str]) -> ExportError:
    """A clear refusal naming the figure, with the nearest known names when there are any."""
    known = [*BY_NAME, *DETAILS, *(f"{c}.{m}" for c in [STREET, *communities] for m in BY_NAME)]
    near = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"；您是否指：{'、'.join(near)}" if near else "；可用的指标见“数据项目录”"
    return ExportError(f"模板中的数据项“{name}”不存在{hint}")
