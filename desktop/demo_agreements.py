"""Demo 门前三包 agreements: mostly signed, with realistic shares unsigned, expiring and lapsed."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from db.models import Business, FrontageAgreement, NumberSequence

from .demo_bulk import insert_rows
from .domain.agreements import add_months, default_end, duty_items
from .domain.office import format_number, get_office, number_pattern

DEMO_USER = "演示数据"
LANDMARKS = ("消防栓", "花坛", "路灯杆", "公交站牌", "垃圾箱", "电线杆", "行道树", "邻店分界线",
             "窨井盖", "共享单车停放点")
SIDES = ("人行道至路缘石", "店门前台阶及人行道", "门前广场", "店门前人行道及绿化带")
OFFICE_SIGNERS = ("张建华", "李卫东", "王秀兰", "陈国强")
CHUNK = 5_000


def _area(rng: random.Random) -> dict[str, Any]:
    length = round(rng.uniform(3, 25), 1)
    depth = rng.choice((3, 4, 5, 6))
    return {
        "area_east": f"东侧{rng.choice(LANDMARKS)}",
        "area_west": f"西侧{rng.choice(LANDMARKS)}",
        "area_south": "路缘石",
        "area_north": "店门",
        "area_text": rng.choice(SIDES),
        "frontage_length_m": length,
        "area_m2": round(length * depth, 1),
    }


def generate_agreements(session: Session, rng: random.Random, today: dt.date,
                        say: Callable[[str], None]) -> int:
    """Agreements for the demo businesses, numbered gaplessly per year in signing order."""
    office = get_office(session)
    pattern = number_pattern(session, "agreement")
    term = office.agreement_term_months
    three = [d.key for d in duty_items(session) if d.group == "三包"]
    five = [d.key for d in duty_items(session)]
    next_id = (session.scalar(select(func.max(FrontageAgreement.id))) or 0) + 1
    rows: list[dict[str, Any]] = []

    def add(business_id: int, start: dt.date, status: str, *, previous: int | None = None,
            signed: bool = True, reason: str = "") -> int:
        nonlocal next_id
        five_duties = rng.random() < 0.2
        row = {
            "id": next_id, "business_id": business_id, "number": None, "status": status,
            "start_date": start, "end_date": default_end(start, term),
            "signed_date": start - dt.timedelta(days=rng.randint(0, 5)) if signed else None,
            "duties": five if five_duties else three, "five_duties": five_duties,
            "office_signatory": rng.choice(OFFICE_SIGNERS), "business_signatory": "",
            "previous_id": previous, "terminated_reason": reason,
            "version": 1, "created_at": dt.datetime.combine(start, dt.time(9)),
            "updated_at": dt.datetime.combine(start, dt.time(9)), "updated_by": DEMO_USER,
            **_area(rng),
        }
        rows.append(row)
        next_id += 1
        return int(row["id"])

    shops = session.execute(select(Business.id, Business.operator, Business.status,
                                   Business.active).order_by(Business.id)).all()
    for business_id, operator, status, active in shops:
        if not active or status not in ("营业", "无照"):
            if rng.random() < 0.5:
                start = today - dt.timedelta(days=rng.randint(200, 700))
                add(business_id, start, "terminated", reason="店铺停业")
            continue
        r = rng.random()
        if r < 0.05:
            continue  # a new shop that has not signed yet
        if r < 0.08:  # lapsed last year and never renewed
            add(business_id, today - dt.timedelta(days=rng.randint(380, 700)), "signed")
        elif r < 0.12:  # runs out within the next 30 days
            end = today + dt.timedelta(days=rng.randint(0, 30))
            add(business_id, add_months(end + dt.timedelta(days=1), -term), "signed")
            rows[-1]["end_date"] = end
        elif r < 0.14:  # drawn up, waiting for the shop to sign
            add(business_id, today + dt.timedelta(days=rng.randint(0, 10)), "draft", signed=False)
        else:
            start = today - dt.timedelta(days=rng.randint(31, 330))
            previous = None
            if rng.random() < 0.4:  # renewed from last year's agreement
                previous = add(business_id, add_months(start, -term), "signed")
                rows[-1]["end_date"] = start - dt.timedelta(days=1)
            add(business_id, start, "signed", previous=previous)
        rows[-1]["business_signatory"] = operator or ""

    signed_rows = sorted((r for r in rows if r["signed_date"] is not None),
                         key=lambda r: (r["signed_date"], r["id"]))
    last: dict[int, int] = {}
    for row in signed_rows:
        year = row["signed_date"].year
        last[year] = last.get(year, 0) + 1
        row["number"] = format_number(pattern, year, last[year])
    insert_rows(session, FrontageAgreement, rows, CHUNK)
    if session.get_bind().dialect.name == "postgresql":
        # The ids were given above, so the table's sequence must move past them; otherwise
        # the next agreement a clerk saves would draw id 1 again.
        session.execute(text("SELECT setval(pg_get_serial_sequence('frontage_agreement', 'id'), "
                             "(SELECT max(id) FROM frontage_agreement))"))
    for year, seq in last.items():
        session.execute(insert(NumberSequence).values(kind="agreement", year=year, last=seq))
    say(f"已生成 {len(rows)} 份门前三包责任书")
    return len(rows)
