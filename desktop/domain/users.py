"""Users: scrypt password hashes, login with lock-out, roles and 执法证号."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import User

from . import audit
from .codes import clean_prose
from .errors import ConflictError, DomainError, NotFoundError, ValidationError
from .permissions import ADMIN, ROLES, Actor, require_role

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                            p=SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError({"password": f"密码至少需要{MIN_PASSWORD}位"})
    if password.isdigit() or password.isalpha():
        raise ValidationError({"password": "密码应同时包含字母和数字"})


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    display_name: str
    role: str
    cert_no: str
    active: bool
    must_change_password: bool
    locked_until: dt.datetime | None
    version: int

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    def actor(self) -> Actor:
        return Actor(self.login, self.display_name, self.role, self.cert_no)


def _row(u: User) -> UserRow:
    return UserRow(u.id, u.login, u.display_name, u.role, u.cert_no, u.active,
                   u.must_change_password, u.locked_until, u.version)


def has_users(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User)))


def list_users(session: Session) -> list[UserRow]:
    return [_row(u) for u in session.scalars(select(User).order_by(User.login))]


def _clean(login: str, display_name: str, role: str, cert_no: str) -> tuple[str, str, str, str]:
    errors: dict[str, str] = {}
    login = clean_prose(login)
    if not login or len(login) > 50 or any(ch.isspace() for ch in login):
        errors["login"] = "登录名不能为空、不能含空格，最多50个字符"
    display_name = clean_prose(display_name)
    if not display_name or len(display_name) > 50:
        errors["display_name"] = "请填写姓名（最多50个字）"
    if role not in ROLES:
        errors["role"] = f"角色应为：{'、'.join(ROLES.values())}"
    cert_no = clean_prose(cert_no)
    if len(cert_no) > 30:
        errors["cert_no"] = "执法证号最多30个字符"
    if errors:
        raise ValidationError(errors)
    return login, display_name, role, cert_no


def create_user(session: Session, login: str, display_name: str, role: str, password: str, *,
                cert_no: str = "", by: str = "", must_change: bool = True) -> UserRow:
    require_role(session, ADMIN, "添加用户")
    login, display_name, role, cert_no = _clean(login, display_name, role, cert_no)
    if session.scalars(select(User).where(func.lower(User.login) == login.lower())).first():
        raise ValidationError({"login": f"登录名“{login}”已被使用"})
    check_password_rules(password)
    user = User(login=login, display_name=display_name, role=role, cert_no=cert_no,
                password_hash=hash_password(password), must_change_password=must_change,
                updated_by=by)
    session.add(user)
    session.flush()
    audit.record(session, user=by, action="create", entity="user", entity_id=user.id,
                 summary=f"新增用户：{display_name}（{ROLES[role]}）",
                 after={"login": login, "display_name": display_name, "role": role, "cert_no": cert_no})
    return _row(user)


def create_first_admin(session: Session, login: str, display_name: str, password: str) -> UserRow:
    """The first start: the only moment a user can be made without an administrator."""
    if has_users(session):
        raise DomainError("系统中已有用户，请由管理员登录后添加用户")
    return create_user(session, login, display_name, "admin", password, by=login, must_change=False)


def update_user(session: Session, user_id: int, version: int, *, display_name: str, role: str,
                cert_no: str, active: bool, by: str = "") -> UserRow:
    require_role(session, ADMIN, "修改用户")
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("该用户不存在")
    if user.version != version:
        raise ConflictError(f"该用户已被{user.updated_by or '其他管理员'}修改，请刷新后重试")
    _login, display_name, role, cert_no = _clean(user.login, display_name, role, cert_no)
    if user.role == "admin" and (role != "admin" or not active) and _other_admins(session, user.id) == 0:
        raise DomainError("不能取消最后一位系统管理员")
    before = {"display_name": user.display_name, "role": user.role, "cert_no": user.cert_no,
              "active": user.active}
    user.display_name, user.role, user.cert_no, user.active = display_name, role, cert_no, active
    user.updated_by = by
    session.flush()
    audit.record(session, user=by, action="update", entity="user", entity_id=user.id,
                 summary=f"修改用户：{display_name}", before=before,
                 after={"display_name": display_name, "role": role, "cert_no": cert_no, "active": active})
    return _row(user)


def _other_admins(session: Session, user_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user_id)) or 0)


def set_password(session: Session, user_id: int, new_password: str, *, by: str = "",
                 old_password: str | None = None) -> None:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("该用户不存在")
    if by != user.login:
        require_role(session, ADMIN, "重置他人密码")
    if old_password is not None and not verify_password(old_password, user.password_hash):
        raise ValidationError({"old_password": "原密码不正确"})
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    # An administrator's reset must be changed by the user at the next login.
    user.must_change_password = by != user.login
    user.failed_logins = 0
    user.locked_until = None
    user.updated_by = by
    audit.record(session, user=by, action="password", entity="user", entity_id=user.id,
                 summary=f"{'修改' if by == user.login else '重置'}密码：{user.display_name}")


@dataclass(frozen=True)
class _Attempt:
    user: UserRow | None
    message: str


def _attempt(session: Session, login: str, password: str, now: dt.datetime) -> _Attempt:
    user = session.scalars(select(User).where(
        func.lower(User.login) == clean_prose(login).lower())).first()
    if user is None or not user.active:
        return _Attempt(None, "用户名或密码不正确")
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        return _Attempt(None, f"密码错误次数过多，账户已锁定，请{minutes}分钟后再试或请管理员重置密码")
    if not verify_password(password, user.password_hash):
        user.failed_logins += 1
        left = MAX_FAILURES - user.failed_logins
        if left > 0:
            return _Attempt(None, f"用户名或密码不正确（还可尝试{left}次）")
        user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
        user.failed_logins = 0
        audit.record(session, user=user.login, action="lock", entity="user", entity_id=user.id,
                     summary=f"连续{MAX_FAILURES}次密码错误，账户锁定{LOCK_MINUTES}分钟")
        return _Attempt(None, f"密码错误次数过多，账户已锁定{LOCK_MINUTES}分钟")
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, user=user.login, action="login", entity="user", entity_id=user.id,
                 summary=f"登录：{user.display_name}")
    return _Attempt(_row(user), "")


def log_in(db: Database, login: str, password: str, now: dt.datetime | None = None) -> UserRow:
    """Check a login; five wrong passwords in a row lock the account for fifteen minutes.

    Its own transaction, so that a failed attempt is counted even though the login fails.
    """
    with db.transaction() as session:
        outcome = _attempt(session, login, password, now or dt.datetime.now())
    if outcome.user is None:
        raise DomainError(outcome.message)
    return outcome.user
