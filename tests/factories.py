"""Small hand-made ledgers for tests, built through the domain services."""

from __future__ import annotations

from dataclasses import dataclass

from db.engine import Database
from desktop.domain import businesses, divisions


@dataclass
class Ledger:
    communities: dict[str, int]
    grids: dict[str, int]
    businesses: dict[str, int]


SHOPS = [
    # name, credit code, operator, phone, address, category, community, grid
    ("老王火锅店", "91350100M000100Y43", "王建国", "13800138000", "解放路12号", "餐饮", "东湖社区", "东湖一网格"),
    ("重庆小面馆", "", "李秀英", "0571-88886666", "人民路5号", "餐饮", "东湖社区", "东湖二网格"),
    ("鑫源五金店", "", "张伟", "13912345678", "建设路88号", "五金建材", "西岭社区", "西岭一网格"),
    ("好又多便利店", "", "刘洋", "", "解放路30号", "便利店", "西岭社区", "西岭一网格"),
    ("川味火锅城", "", "陈静", "15000001111", "中山路1号", "餐饮", "西岭社区", "西岭一网格"),
]


def make_ledger(db: Database, user: str = "tester") -> Ledger:
    communities: dict[str, int] = {}
    grids: dict[str, int] = {}
    shops: dict[str, int] = {}
    with db.transaction() as s:
        for name, grid_names in (("东湖社区", ("东湖一网格", "东湖二网格")), ("西岭社区", ("西岭一网格",))):
            cid = divisions.create_community(s, name, user=user)
            communities[name] = cid
            for g in grid_names:
                grids[g] = divisions.create_grid(s, cid, g, user=user)
        for name, code, operator, phone, address, category, community, grid in SHOPS:
            row = businesses.create(s, businesses.BusinessInput(
                name=name, credit_code=code, operator=operator, phone=phone, address=address,
                category=category, community_id=communities[community], grid_id=grids[grid]),
                user=user)
            shops[name] = row.id
    return Ledger(communities, grids, shops)
