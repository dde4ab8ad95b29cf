"""The legal-basis library: the shipped set, the admin's confirmation, what a notice may cite."""

from __future__ import annotations

import pytest

from desktop.domain import legal as L
from desktop.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from desktop.domain.findings import CATEGORIES


def test_the_shipped_set_loads_once_unconfirmed_and_covers_the_usual_categories(db):
    with db.transaction() as s:
        added = L.seed_legal_basis(s, user="admin")
        assert added == len(L.shipped_entries()) >= 10
        assert L.seed_legal_basis(s) == 0  # idempotent
        entries = L.list_entries(s)
    assert len(entries) == added and not any(e.confirmed for e in entries)
    covered = {c for e in entries for c in e.categories}
    assert covered >= set(CATEGORIES)
    roadside = next(e for e in entries if e.article == "第十四条")
    assert roadside.citation == "《城市市容和环境卫生管理条例》第十四条"
    assert roadside.penalty_article == "第三十六条第（二）项"


def test_a_second_seed_keeps_the_admins_corrections(db):
    with db.transaction() as s:
        L.seed_legal_basis(s)
        entry = next(e for e in L.list_entries(s) if e.article == "第十七条")
        L.update(s, entry.id, entry.version, L.LegalBasisInput(
            law=entry.law, article=entry.article, text="本地修订后的条文", penalty=entry.penalty,
            categories=entry.categories))
        assert L.seed_legal_basis(s) == 0
        assert L.get(s, entry.id).text == "本地修订后的条文"


def test_only_an_admin_confirms_and_only_confirmed_entries_are_citable(db):
    with db.transaction() as s:
        L.seed_legal_basis(s)
        entry = next(e for e in L.list_entries(s) if e.article == "第十四条")
        with pytest.raises(ValidationError, match="尚未经管理员确认"):
            L.citable(s, [entry.id])
        with pytest.raises(PermissionDeniedError, match="管理员"):
            L.confirm(s, entry.id, entry.version, user="clerk", role="clerk")
        confirmed = L.confirm(s, entry.id, entry.version, user="admin", role="admin")
        assert confirmed.confirmed
        assert [b.id for b in L.citable(s, [entry.id])] == [entry.id]
        assert [b.id for b in L.suggested(s, ["店外经营"])] == [entry.id]
        # A stale version is refused, not overwritten.
        with pytest.raises(ConflictError):
            L.confirm(s, entry.id, entry.version, user="admin", role="admin", confirmed=False)
        # Rewording a confirmed entry needs a new confirmation before it can be cited again.
        reworded = L.update(s, entry.id, confirmed.version, L.LegalBasisInput(
            law=entry.law, article=entry.article, text=entry.text + "（修订）",
            penalty=entry.penalty, categories=entry.categories), user="clerk")
        assert not reworded.confirmed
        with pytest.raises(ValidationError, match="尚未经管理员确认"):
            L.citable(s, [entry.id])
        # Changing only the categories keeps the confirmation.
        again = L.confirm(s, entry.id, reworded.version, user="admin", role="admin")
        recat = L.update(s, entry.id, again.version, L.LegalBasisInput(
            law=entry.law, article=entry.article, text=again.text, penalty=entry.penalty,
            categories=["店外经营", "乱堆乱放", "占道经营"]))
        assert recat.confirmed
        # A retired entry cannot be cited either.
        retired = L.update(s, entry.id, recat.version, L.LegalBasisInput(
            law=entry.law, article=entry.article, text=again.text, penalty=entry.penalty,
            categories=recat.categories, active=False))
        with pytest.raises(ValidationError, match="已停用"):
            L.citable(s, [retired.id])
        with pytest.raises(ValidationError, match="不存在"):
            L.citable(s, [999_999])


def test_bad_entries_are_refused(db):
    with db.transaction() as s:
        with pytest.raises(ValidationError) as err:
            L.create(s, L.LegalBasisInput(law="", article="", text=""))
        assert set(err.value.fields) == {"law", "article", "text"}
        made = L.create(s, L.LegalBasisInput(law="《某市市容条例》", article="第九条", text="……",
                                             categories=["店外经营", "店外经营", " "]))
        assert made.law == "某市市容条例" and made.categories == ["店外经营"] and not made.confirmed
        with pytest.raises(ValidationError, match="已在法律依据库中"):
            L.create(s, L.LegalBasisInput(law="某市市容条例", article="第九条", text="重复"))
