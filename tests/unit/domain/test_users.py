"""Users and roles: scrypt hashes, lock-out, and role checks in the services themselves."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.domain import agreements as A
from desktop.domain import businesses as B
from desktop.domain import users as U
from desktop.domain.errors import DomainError, PermissionDeniedError, ValidationError
from desktop.domain.permissions import Actor
from tests.factories import make_ledger

PASSWORD = "Secret2026"


def test_password_hash_is_salted_scrypt():
    first, second = U.hash_password(PASSWORD), U.hash_password(PASSWORD)
    assert first != second and first.startswith("scrypt$")
    assert U.verify_password(PASSWORD, first) and not U.verify_password("secret2026", first)
    assert not U.verify_password(PASSWORD, "garbage")


def test_first_admin_then_only_admins_add_users(db):
    with db.transaction() as s:
        admin = U.create_first_admin(s, "admin", "管理员", PASSWORD)
    assert admin.role == "admin" and not admin.must_change_password
    with pytest.raises(DomainError, match="已有用户"), db.transaction() as s:
        U.create_first_admin(s, "admin2", "另一个", PASSWORD)
    db.actor = Actor("clerk1", "小王", "clerk")
    with pytest.raises(PermissionDeniedError, match="无权添加用户"), db.transaction() as s:
        U.create_user(s, "x", "某人", "admin", PASSWORD, by="clerk1")
    db.actor = admin.actor()
    with db.transaction() as s:
        clerk = U.create_user(s, "clerk1", "小王", "clerk", PASSWORD, by="admin", cert_no="32010001")
    assert clerk.must_change_password
    with pytest.raises(ValidationError, match="至少"), db.transaction() as s:
        U.create_user(s, "c2", "小李", "clerk", "short1", by="admin")
    with pytest.raises(DomainError, match="最后一位"), db.transaction() as s:
        U.update_user(s, admin.id, admin.version, display_name="管理员", role="clerk",
                      cert_no="", active=True, by="admin")


def test_lock_out_after_five_wrong_passwords(db):
    with db.transaction() as s:
        U.create_first_admin(s, "admin", "管理员", PASSWORD)
    now = dt.datetime(2026, 11, 25, 9, 0)
    for left in (4, 3, 2, 1):
        with pytest.raises(DomainError, match=f"还可尝试{left}次"):
            U.log_in(db, "admin", "wrong", now)
    with pytest.raises(DomainError, match="已锁定"):
        U.log_in(db, "admin", "wrong", now)
    with pytest.raises(DomainError, match="已锁定"):  # even the right password, while locked
        U.log_in(db, "admin", PASSWORD, now + dt.timedelta(minutes=5))
    user = U.log_in(db, "ADMIN", PASSWORD, now + dt.timedelta(minutes=16))
    assert user.login == "admin"


def test_viewer_and_inspector_are_refused_by_the_services(db):
    ledger = make_ledger(db)
    db.actor = Actor("v", "只读", "viewer")
    with db.session() as s:
        row = B.get(s, ledger.businesses["老王火锅店"])
    with pytest.raises(PermissionDeniedError, match="无权修改商户台账"), db.transaction() as s:
        B.update(s, row.id, row.version, B.BusinessInput(**{**row.as_input().__dict__, "operator": "某"}))
    db.actor = Actor("i", "巡查员", "inspector")
    with pytest.raises(PermissionDeniedError), db.transaction() as s:
        A.create_draft(s, A.AgreementInput(business_id=row.id, area_text="门前", duties=["sanitation"],
                                           start_date=dt.date(2026, 1, 1)))
    db.actor = Actor("c", "内勤", "clerk")
    with db.transaction() as s:
        A.create_draft(s, A.AgreementInput(business_id=row.id, area_text="门前", duties=["sanitation"],
                                           start_date=dt.date(2026, 1, 1)))
    with db.session() as s:
        assert B.get(s, row.id).operator == "王建国"


def test_a_user_may_change_their_own_password_whatever_the_role(db):
    with db.transaction() as s:
        admin = U.create_first_admin(s, "admin", "管理员", PASSWORD)
    db.actor = admin.actor()
    with db.transaction() as s:
        viewer = U.create_user(s, "look", "查看员", "viewer", PASSWORD, by="admin")
    db.actor = viewer.actor()
    with db.transaction() as s:
        U.set_password(s, viewer.id, "NewSecret99", by="look", old_password=PASSWORD)
    assert U.log_in(db, "look", "NewSecret99").must_change_password is False
    with pytest.raises(PermissionDeniedError), db.transaction() as s:
        U.set_password(s, admin.id, "Hijacked99", by="look")
