"""Realistic demo data (演示数据) for every area of the ledger, reproducible from a seed."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AuditEntry, Business, Community, Grid, NumberingPattern, OfficeProfile

from .demo_agreements import generate_agreements
from .demo_findings import generate_findings
from .demo_permits import generate_permits
from .demo_sorting import generate_sorting
from .domain import audit
from .domain.businesses import CATEGORIES, STATUSES
from .domain.codes import credit_code_check_char, normalize_text
from .domain.errors import DomainError, ValidationError
from .domain.office import DEFAULT_PATTERNS, validate_pattern
from .domain.search_index import deferred_index
from .domain.textkeys import initials, name_sort, search_text

Progress = Callable[[str], None]

DEMO_USER = "演示数据"
# Bump when the generated data changes, so cached benchmark databases are rebuilt.
GENERATOR_VERSION = 6
MAX_BUSINESSES = 2_000_000
CHUNK = 5_000

# --- the street ----------------------------------------------------------------------------

# A fictitious street in a plausible place: Nanjing's division codes and area code 025,
# so credit codes and landlines look like the ones clerks really see.
CITY_AREA_CODE = "025"
HOME_DIVISION = "320104"
OTHER_DIVISIONS = ("320102", "320105", "320106", "320111", "320115")
STREET_CODE = "007"


@dataclass(frozen=True)
class OfficeSpec:
    name: str = "清河区安平街道办事处"
    short_name: str = "安平街道"
    district: str = "清河区"
    department: str = "城市管理办公室"
    phone: str = "025-84561230"
    address: str = "清河区安平街道人民路88号"
    seal_text: str = "清河区安平街道办事处"
    number_prefix: str = "安平"  # what replaces the "X" of the default numbering patterns


OFFICE = OfficeSpec()

# Community name, housing estate used in addresses, number of grids.
COMMUNITIES: tuple[tuple[str, str, int], ...] = (
    ("东湖社区", "东湖花园", 4),
    ("西岭社区", "西岭新村", 3),
    ("南苑社区", "南苑小区", 3),
    ("北辰社区", "北辰家园", 4),
    ("中山社区", "中山里", 3),
    ("滨河社区", "滨河湾", 3),
)
STREETS = (
    "解放路", "人民路", "中山路", "建设路", "和平街", "胜利路", "新华路", "友谊路", "光明街",
    "文化路", "长江路", "黄河路", "东风路", "工农路", "育才街", "幸福路", "朝阳路", "健康路",
)
GRID_NUMERALS = "一二三四五六七八九十"

# --- people ------------------------------------------------------------------------------

# Weighted roughly like the national frequency, so 王/李/张 dominate as they do in life.
SURNAMES = (
    ("王", 10), ("李", 10), ("张", 9), ("刘", 7), ("陈", 6), ("杨", 4), ("赵", 3), ("黄", 3),
    ("周", 3), ("吴", 3), ("徐", 2), ("孙", 2), ("胡", 2), ("朱", 2), ("高", 2), ("林", 2),
    ("何", 2), ("郭", 2), ("马", 2), ("罗", 1), ("梁", 1), ("宋", 1), ("郑", 1), ("谢", 1),
    ("韩", 1), ("唐", 1), ("冯", 1), ("于", 1), ("董", 1), ("萧", 1), ("程", 1), ("曹", 1),
    ("袁", 1), ("邓", 1), ("许", 1), ("傅", 1), ("沈", 1), ("曾", 1), ("彭", 1), ("吕", 1),
)
_SURNAME_CHARS = [s for s, _ in SURNAMES]
_SURNAME_CUM = list(accumulate(w for _, w in SURNAMES))
GIVEN_ONE = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂辉鹏华飞玲红燕斌波宇浩凯亮婷"
GIVEN_TWO = (
    "秀英", "桂英", "建华", "志强", "海燕", "红梅", "建国", "玉兰", "文杰", "晓东", "春梅", "国强",
    "丽娟", "永红", "德明", "淑珍", "小龙", "子涵", "俊杰", "雅琴", "金凤", "立新", "卫东", "海峰",
    "丽华", "晓燕", "志刚", "秀兰", "明辉", "建平", "欣怡", "浩然", "文静", "新民", "凤英", "宏伟",
)

# --- businesses ------------------------------------------------------------------------------

BRANDS = (
    "鑫源", "福满", "金鼎", "华联", "永兴", "宏达", "顺发", "兴隆", "聚福", "万家", "佳佳", "百姓",
    "惠民", "阳光", "红星", "新世纪", "金源", "益民", "康乐", "和顺", "天天", "喜来", "恒泰",
    "瑞丰", "盛世", "东方", "明珠", "丽人", "幸福", "一品", "老街坊", "邻里", "诚信", "吉祥",
    "安康", "百草", "仁和", "德润", "旺角", "金穗", "好运来", "新概念", "御品", "金太阳",
    "荣昌", "巧手", "乐家", "大众", "嘉禾", "星光", "四季", "祥和", "富源", "金帝", "亿家",
)
# {s} is a surname: small shops are often named after the owner.
OWNER_BRANDS = ("老{s}", "{s}记", "{s}姐", "小{s}", "{s}师傅", "{s}氏")

# Trade words per category, and the share of businesses registered as companies (91)
# rather than sole traders (92).
TRADES: dict[str, tuple[tuple[str, ...], float]] = {
    "餐饮": (("面馆", "饺子馆", "火锅店", "烧烤店", "快餐店", "小吃店", "酒楼", "饭店", "川菜馆",
             "包子铺", "麻辣烫", "米粉店", "茶餐厅", "土菜馆", "馄饨店", "烤鸭店"), 0.15),
    "零售": (("百货店", "日杂店", "商行", "文具店", "精品店", "母婴用品店", "超市", "礼品店",
             "眼镜店", "家纺店"), 0.25),
    "便利店": (("便利店", "便民超市", "小卖部", "24小时便利店", "便民店"), 0.2),
    "美容美发": (("理发店", "美发沙龙", "美容院", "发艺", "美甲店", "造型", "养生馆"), 0.1),
    "汽修": (("汽修厂", "汽车修理部", "汽车美容店", "轮胎店", "洗车行", "汽配商行"), 0.4),
    "五金建材": (("五金店", "建材商行", "水暖五金店", "装饰材料店", "灯具店", "油漆店", "门窗店"), 0.3),
    "药店": (("大药房", "药店", "医药超市", "健康药房"), 0.6),
    "服装鞋帽": (("服装店", "鞋店", "童装店", "女装店", "服饰", "鞋帽店", "内衣店"), 0.1),
    "宾馆住宿": (("宾馆", "旅馆", "酒店", "招待所", "快捷酒店", "民宿"), 0.6),
    "教育培训": (("培训学校", "培训中心", "书法培训班", "舞蹈培训中心", "英语培训中心", "美术工作室"), 0.8),
    "维修服务": (("家电维修部", "手机维修店", "开锁店", "电动车维修部", "电脑维修部", "钟表维修店"), 0.05),
    "农贸水果": (("水果店", "蔬菜店", "生鲜超市", "粮油店", "鲜肉店", "干货店", "水产店"), 0.1),
    "烟酒茶叶": (("烟酒店", "茶叶店", "名烟名酒店", "茶行", "烟酒商行"), 0.2),
    "其他": (("快递驿站", "打印店", "花店", "宠物店", "彩票站", "照相馆", "洗衣店", "装裱店"), 0.2),
}
CATEGORY_WEIGHTS = {
    "餐饮": 22, "零售": 14, "便利店": 8, "美容美发": 9, "汽修": 4, "五金建材": 5, "药店": 4,
    "服装鞋帽": 8, "宾馆住宿": 3, "教育培训": 4, "维修服务": 5, "农贸水果": 7, "烟酒茶叶": 4,
    "其他": 3,
}
assert set(TRADES) == set(CATEGORIES) == set(CATEGORY_WEIGHTS)

STATUS_WEIGHTS = {"营业": 82, "停业": 7, "注销": 5, "无照": 6}
assert set(STATUS_WEIGHTS) == set(STATUSES)
STATUS_REMARKS = {
    "停业": ("装修停业", "停业待转让", "店主外出，暂停营业"),
    "注销": ("营业执照已注销，店面已转让", "已注销，店面空置"),
    "无照": ("未办理营业执照，已告知办理", "证照办理中"),
}
REMARKS = ("临街门面", "夜间经营", "门头招牌待更换", "周末营业", "兼营快递代收", "连锁门店",
           "已签订门前三包责任书", "店外有遮阳棚")

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "157", "158", "159", "166", "173", "177", "180", "181", "182", "183", "186", "187", "188",
    "189", "191", "199",
)

# GB 32100 body characters (no I, O, Z, S, V) and the GB 11714 organisation-code check.
_CC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Place:
    community_id: int
    community: str
    estate: str
    grid_ids: tuple[int, ...]
    streets: tuple[str, ...]


def generate(db: Database, *, businesses: int = 2000, seed: int = 2026,
             progress: Progress | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """Fill an empty ledger with demo data; the same seed and day give the same data."""
    if not 0 <= businesses <= MAX_BUSINESSES:
        raise ValidationError({"businesses": f"商户数量应在0至{MAX_BUSINESSES:,}之间"})
    say = progress or (lambda _text: None)
    today = today or dt.date.today()
    started = time.perf_counter()
    with db.transaction() as session:
        if db.is_sqlite:
            # The whole demo is one transaction; a large page cache keeps SQLite from
            # spilling its pages to the log half-way (a quarter of the time at 200,000 shops).
            session.connection().exec_driver_sql("PRAGMA cache_size = -400000")
        existing = _existing_demo(session)
        if existing is not None:
            say("该数据库中已有演示数据，未重复生成")
            return {**existing, "already_present": True}
        _refuse_non_empty(session)
        _office(session)
        places = _divisions(session, random.Random(f"{seed}:divisions"))
        say(f"已生成 {len(places)} 个社区、{sum(len(p.grid_ids) for p in places)} 个网格")
        created = _businesses(session, random.Random(f"{seed}:businesses"), places, businesses,
                              today, say)
        # Each area has its own Random, so adding one never changes the data of the others.
        agreements = generate_agreements(session, random.Random(f"{seed}:agreements"), today, say)
        findings = generate_findings(session, random.Random(f"{seed}:findings"), today, say)
        # After the findings: refusals cite the legal basis they confirm.
        permits = generate_permits(session, random.Random(f"{seed}:permits"), today, say)
        sorting = generate_sorting(session, random.Random(f"{seed}:sorting"), today, say)
        summary: dict[str, Any] = {
            "communities": len(places),
            "grids": sum(len(p.grid_ids) for p in places),
            "businesses": created,
            "agreements": agreements,
            **{k: v for k, v in findings.items() if isinstance(v, int)},
            **{k: v for k, v in permits.items() if isinstance(v, int)},
            **sorting,
            "seed": seed,
        }
        audit.record(session, user=DEMO_USER, action="create", entity="demo", entity_id=None,
                     summary=f"生成演示数据：{len(places)} 个社区，{summary['grids']} 个网格，"
                             f"{created} 家商户（种子 {seed}）",
                     after=summary)
        say("正在写入数据库…")
    summary["seconds"] = round(time.perf_counter() - started, 2)
    return summary


def _existing_demo(session: Session) -> dict[str, Any] | None:
    """The summary of the demo already in this database, so running demo twice is harmless."""
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "demo")
                            .order_by(AuditEntry.id).limit(1)).first()
    return dict(entry.after or {}) if entry is not None else None


def _refuse_non_empty(session: Session) -> None:
    # A real ledger must never get fake shops mixed into it.
    has_businesses = session.scalar(select(func.count()).select_from(Business)) or 0
    has_communities = session.scalar(select(func.count()).select_from(Community)) or 0
    if has_businesses or has_communities:
        raise DomainError("当前数据库中已有台账数据（商户或社区），演示数据只能生成到新建的空数据库中。"
                          "请用 --db 指定一个新的数据库文件。")


def _office(session: Session) -> None:
    if session.scalars(select(OfficeProfile.id).limit(1)).first() is None:
        session.add(OfficeProfile(
            name=OFFICE.name, short_name=OFFICE.short_name, district=OFFICE.district,
            department=OFFICE.department, phone=OFFICE.phone, address=OFFICE.address,
            seal_text=OFFICE.seal_text, updated_by=DEMO_USER,
        ))
    stored = set(session.scalars(select(NumberingPattern.kind)))
    for kind, (label, pattern) in DEFAULT_PATTERNS.items():
        if kind in stored:
            continue
        ours = pattern.replace("X", OFFICE.number_prefix, 1)
        validate_pattern(ours)
        session.add(NumberingPattern(kind=kind, label=label, pattern=ours, updated_by=DEMO_USER))
    session.flush()


def _surname(rng: random.Random) -> str:
    return rng.choices(_SURNAME_CHARS, cum_weights=_SURNAME_CUM)[0]


def _person_name(rng: random.Random) -> str:
    surname = _surname(rng)
    if rng.random() < 0.35:
        return surname + rng.choice(GIVEN_ONE)
    return surname + rng.choice(GIVEN_TWO)


def _divisions(session: Session, rng: random.Random) -> list[Place]:
    streets = list(STREETS)
    rng.shuffle(streets)
    per = len(streets) // len(COMMUNITIES)
    places = []
    for index, (name, estate, grid_count) in enumerate(COMMUNITIES):
        community_id = session.execute(insert(Community).values(
            name=name, code=f"{HOME_DIVISION}{STREET_CODE}{index + 1:03d}", sort_order=index + 1,
            active=True, version=1, updated_by=DEMO_USER,
        ).returning(Community.id)).scalar_one()
        grid_ids = []
        for g in range(grid_count):
            grid_ids.append(session.execute(insert(Grid).values(
                community_id=community_id, name=f"第{GRID_NUMERALS[g]}网格", keeper=_person_name(rng),
                sort_order=g + 1, active=True, version=1, updated_by=DEMO_USER,
            ).returning(Grid.id)).scalar_one())
        places.append(Place(community_id, name, estate, tuple(grid_ids),
                            tuple(streets[index * per:(index + 1) * per])))
    return places


# --- businesses -------------------------------------------------------------------------------


class _Codes:
    """Hands out unique credit codes and legacy registration numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.issued: set[str] = set()

    def _division(self) -> str:
        # Most shops registered with the district's own bureau, a few elsewhere in the city.
        return HOME_DIVISION if self.rng.random() < 0.85 else self.rng.choice(OTHER_DIVISIONS)

    def _org_code(self) -> str:
        rng = self.rng
        if rng.random() < 0.7:  # registered since 2015: "MA" + serial
            body = "MA" + "".join(rng.choice(_CC_BODY) for _ in range(6))
        else:  # older organisation codes are all digits
            body = "".join(rng.choice("0123456789") for _ in range(8))
        total = sum(_org_value(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
        check = 11 - total % 11
        return body + ("X" if check == 10 else "0" if check == 11 else str(check))

    def credit_code(self, company: bool) -> str:
        while True:
            first17 = ("91" if company else "92") + self._division() + self._org_code()
            code = first17 + credit_code_check_char(first17)
            if code not in self.issued:
                self.issued.add(code)
                return code

    def legacy_number(self) -> str:
        while True:
            first14 = self._division() + "".join(self.rng.choice("0123456789") for _ in range(8))
            code = first14 + legacy_check_digit(first14)
            if code not in self.issued:
                self.issued.add(code)
                return code


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def legacy_check_digit(first14: str) -> str:
    """ISO 7064 MOD 11,10 check digit of the pre-2015 15-digit registration number."""
    p = 10
    for ch in first14:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return str((11 - p) % 10)


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.75:
        return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    return f"{CITY_AREA_CODE}-{rng.choice('5678')}{rng.randrange(10**7):07d}"


def _address(rng: random.Random, place: Place) -> str:
    street = rng.choice(place.streets)
    number = rng.randint(1, 399)
    roll = rng.random()
    if roll < 0.55:
        return f"{street}{number}号"
    if roll < 0.67:
        return f"{street}{number}-{rng.randint(1, 12)}号"
    if roll < 0.77:
        return f"{street}{number}号{rng.choice('一二')}楼"
    if roll < 0.88:
        return f"{street}{number}号{rng.randint(1, 6)}单元{rng.randint(1, 2)}0{rng.randint(1, 4)}室"
    return f"{place.estate}{rng.randint(1, 30)}栋{rng.randint(1, 2)}0{rng.randint(1, 8)}号商铺"


def _business_name(rng: random.Random, category: str, place: Place) -> str:
    trades, _ = TRADES[category]
    if rng.random() < 0.3:
        brand = rng.choice(OWNER_BRANDS).format(s=_surname(rng))
    else:
        brand = rng.choice(BRANDS)
    name = brand + rng.choice(trades)
    roll = rng.random()
    if roll < 0.06:  # sole traders are often registered with the district in front
        name = OFFICE.district + name
    elif roll < 0.14:  # chains name each shop after its street
        name += f"（{rng.choice(place.streets)}店）"
    return normalize_text(name)


def _weighted(weights: dict[str, int]) -> tuple[list[str], list[int]]:
    return list(weights), list(weights.values())


def _business_rows(rng: random.Random, places: Sequence[Place], count: int,
                   today: dt.date) -> Iterator[dict[str, Any]]:
    codes = _Codes(rng)
    categories, category_w = _weighted(CATEGORY_WEIGHTS)
    statuses, status_w = _weighted(STATUS_WEIGHTS)
    place_w = [len(p.grid_ids) for p in places]  # bigger communities have more grids and shops
    now = dt.datetime.combine(today, dt.time(18, 0))
    five_years = 5 * 365 * 24 * 3600
    for _ in range(count):
        place = rng.choices(places, place_w)[0]
        category = rng.choices(categories, category_w)[0]
        status = rng.choices(statuses, status_w)[0]
        name = _business_name(rng, category, place)
        code: str | None = None
        legacy = False
        roll = rng.random()
        if status == "无照" or roll < 0.04:
            code = None
        elif roll < 0.07:
            code, legacy = codes.legacy_number(), True
        else:
            code = codes.credit_code(rng.random() < TRADES[category][1])
        operator = _person_name(rng)
        phone = _phone(rng) if rng.random() < 0.97 else ""
        address = _address(rng, place)
        if status in STATUS_REMARKS and rng.random() < 0.7:
            remarks = rng.choice(STATUS_REMARKS[status])
        else:
            remarks = rng.choice(REMARKS) if rng.random() < 0.1 else ""
        created = now - dt.timedelta(seconds=rng.randrange(five_years))
        updated = created + dt.timedelta(seconds=rng.randrange(int((now - created).total_seconds()) + 1))
        keys = initials(name)
        yield {
            "name": name,
            "credit_code": code,
            "legacy_code": legacy,
            "operator": operator,
            "phone": phone,
            "address": address,
            "category": category,
            "community_id": place.community_id,
            "grid_id": rng.choice(place.grid_ids),
            "status": status,
            "licence_displayed": status != "无照" and rng.random() < 0.9,
            "initials": keys,
            "name_sort": name_sort(name),
            # Same fields, order and phone folding as businesses._apply, so search finds
            # demo rows exactly as it finds rows a clerk typed in.
            "search_text": search_text(name, keys, code, address, operator, phone.replace("-", "")),
            "remarks": remarks,
            "active": status != "注销",
            "import_batch_id": None,
            "version": 1,
            "created_at": created.replace(microsecond=0),
            "updated_at": updated.replace(microsecond=0),
            "updated_by": DEMO_USER,
        }


def _businesses(session: Session, rng: random.Random, places: Sequence[Place], count: int,
                today: dt.date, say: Progress) -> int:
    # Core executemany in chunks: ORM objects one by one are ~20x slower at 200,000 rows.
    # The search index is built once after the last row rather than row by row.
    conn = session.connection()
    stmt = insert(Business.__table__)
    chunk: list[dict[str, Any]] = []
    done = 0
    with deferred_index(session):
        for row in _business_rows(rng, places, count, today):
            chunk.append(row)
            if len(chunk) == CHUNK:
                conn.execute(stmt, chunk)
                done += len(chunk)
                chunk = []
                if done % (CHUNK * 4) == 0:
                    say(f"已生成商户 {done:,}/{count:,}")
        if chunk:
            conn.execute(stmt, chunk)
            done += len(chunk)
        say(f"已生成商户 {done:,}/{count:,}，正在建立搜索索引…")
    return done
