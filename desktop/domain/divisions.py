"""Communities (社区) and grids (网格): the divisions every record belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Business, Community, Grid

from . import audit
from .errors import ConflictError, DomainError, NotFoundError, ValidationError


@dataclass(frozen=True)
class GridInfo:
    id: int
    community_id: int
    name: str
    keeper: str
    active: bool
    version: int


@dataclass(frozen=True)
class CommunityInfo:
    id: int
    name: str
    code: str
    active: bool
    version: int
    grids: tuple[GridInfo, ...]


def list_communities(session: Session, *, include_inactive: bool = False) -> list[CommunityInfo]:
    stmt = select(Community).order_by(Community.sort_order, Community.id)
    if not include_inactive:
        stmt = stmt.where(Community.active.is_(True))
    grids: dict[int, list[GridInfo]] = {}
    gstmt = select(Grid).order_by(Grid.sort_order, Grid.id)
    if not include_inactive:
        gstmt = gstmt.where(Grid.active.is_(True))
    for g in session.scalars(gstmt):
        grids.setdefault(g.community_id, []).append(
            GridInfo(g.id, g.community_id, g.name, g.keeper, g.active, g.version))
    return [
        CommunityInfo(c.id, c.name, c.code, c.active, c.version, tuple(grids.get(c.id, [])))
        for c in session.scalars(stmt)
    ]


def _check_name(name: str, what: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": f"请填写{what}名称"})
    if len(name) > 50:
        raise ValidationError({"name": f"{what}名称不能超过50个字"})
    return name


def create_community(session: Session, name: str, *, code: str = "", user: str = "") -> int:
    name = _check_name(name, "社区")
    if session.scalars(select(Community).where(Community.name == name)).first():
        raise ValidationError({"name": f"社区“{name}”已存在"})
    order = session.scalar(select(func.coalesce(func.max(Community.sort_order), 0))) or 0
    row = Community(name=name, code=code.strip(), sort_order=order + 1, updated_by=user)
    session.add(row)
    session.flush()
    audit.record(session, user=user, action="create", entity="community", entity_id=row.id,
                 summary=f"新增社区：{name}", after={"name": name})
    return row.id


def rename_community(session: Session, community_id: int, name: str, version: int, *,
                     user: str = "") -> None:
    row = session.get(Community, community_id)
    if row is None:
        raise NotFoundError("社区不存在或已被删除")
    if row.version != version:
        raise ConflictError(f"社区“{row.name}”已被{row.updated_by or '他人'}修改，请刷新后再试")
    name = _check_name(name, "社区")
    clash = session.scalars(select(Community).where(Community.name == name, Community.id != row.id)).first()
    if clash:
        raise ValidationError({"name": f"社区“{name}”已存在"})
    before = row.name
    row.name = name
    row.updated_by = user
    audit.record(session, user=user, action="update", entity="community", entity_id=row.id,
                 summary=f"社区改名：{before} → {name}", before={"name": before}, after={"name": name})


def set_community_active(session: Session, community_id: int, active: bool, *, user: str = "") -> None:
    row = session.get(Community, community_id)
    if row is None:
        raise NotFoundError("社区不存在或已被删除")
    if not active:
        in_use = session.scalar(select(func.count()).select_from(Business).where(
            Business.community_id == community_id, Business.active.is_(True)))
        if in_use:
            raise DomainError(f"社区“{row.name}”下还有 {in_use} 家在册商户，不能停用")
    row.active = active
    row.updated_by = user
    audit.record(session, user=user, action="update", entity="community", entity_id=row.id,
                 summary=("启用" if active else "停用") + f"社区：{row.name}",
                 before={"active": not active}, after={"active": active})


def create_grid(session: Session, community_id: int, name: str, *, keeper: str = "",
                user: str = "") -> int:
    name = _check_name(name, "网格")
    community = session.get(Community, community_id)
    if community is None:
        raise ValidationError({"community": "请选择所属社区"})
    if session.scalars(select(Grid).where(Grid.community_id == community_id, Grid.name == name)).first():
        raise ValidationError({"name": f"社区“{community.name}”已有网格“{name}”"})
    order = session.scalar(select(func.coalesce(func.max(Grid.sort_order), 0)).where(
        Grid.community_id == community_id)) or 0
    row = Grid(community_id=community_id, name=name, keeper=keeper.strip(), sort_order=order + 1,
               updated_by=user)
    session.add(row)
    session.flush()
    audit.record(session, user=user, action="create", entity="grid", entity_id=row.id,
                 summary=f"新增网格：{community.name} {name}", after={"name": name})
    return row.id


def rename_grid(session: Session, grid_id: int, name: str, version: int, *, keeper: str | None = None,
                user: str = "") -> None:
    row = session.get(Grid, grid_id)
    if row is None:
        raise NotFoundError("网格不存在或已被删除")
    if row.version != version:
        raise ConflictError(f"网格“{row.name}”已被{row.updated_by or '他人'}修改，请刷新后再试")
    name = _check_name(name, "网格")
    clash = session.scalars(select(Grid).where(
        Grid.community_id == row.community_id, Grid.name == name, Grid.id != row.id)).first()
    if clash:
        raise ValidationError({"name": f"该社区已有网格“{name}”"})
    before = {"name": row.name, "keeper": row.keeper}
    row.name = name
    if keeper is not None:
        row.keeper = keeper.strip()
    row.updated_by = user
    audit.record(session, user=user, action="update", entity="grid", entity_id=row.id,
                 summary=f"修改网格：{name}", before=before, after={"name": name, "keeper": row.keeper})


def find_community(session: Session, name: str) -> Community | None:
    return session.scalars(select(Community).where(Community.name == name.strip())).first()


def find_grid(session: Session, community_id: int, name: str) -> Grid | None:
    return session.scalars(select(Grid).where(
        Grid.community_id == community_id, Grid.name == name.strip())).first()
