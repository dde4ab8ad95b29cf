"""Sorting checks: scoring (扣分, 否决项, the pass line), checklist versions, rechecks, refusals,
edits of reported periods and the finding of a failing business."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from db.models import Attachment, AuditEntry, Finding, SortingScore
from desktop.domain import attachments, findings, sorting, sorting_sites, sorting_templates
from desktop.domain.attachments import PhotoInput
from desktop.domain.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from desktop.domain.permissions import Actor
from desktop.domain.sorting import (
    CheckInput,
    CheckQuery,
    ReasonRequiredError,
    RecheckInput,
    ScoreInput,
)
from desktop.domain.sorting_sites import SiteInput, SiteQuery
from desktop.domain.sorting_templates import (
    GROUPS,
    SITE_TYPES,
    ItemRow,
    TemplateRow,
    current_template,
    save_template,
    score_sheet,
)
from desktop.domain.stats import Period

from .sorting_helpers import TODAY, check, make_sites, recheck, sheet, template_of

DAY = dt.date(2026, 3, 10)


def _tiny(pass_score: float = 80) -> TemplateRow:
    items = (ItemRow(1, 1, "设施设置", "四分类桶", "", 40, True, False),
             ItemRow(2, 2, "分类质量", "准确率", "", 50, False, False),
             ItemRow(3, 3, "收运衔接", "混装混运", "", 10, True, True))
    return TemplateRow(9, "小区", 1, "测试表", pass_score, True, dt.datetime(2026, 1, 1), items)


def test_shipped_checklists_total_100_in_the_five_groups(db):
    with db.transaction() as s:
        templates = sorting_templates.current_templates(s)
    assert list(templates) == list(SITE_TYPES)
    for template in templates.values():
        assert template.max_total == 100 and template.pass_score == 80
        assert template.version_no == 1
        assert list(dict.fromkeys(i.group for i in template.items)) == list(GROUPS)
        assert any(i.veto for i in template.items) and any(i.deduct for i in template.items)
        assert any(not i.deduct for i in template.items)
    quality = next(i for i in templates["小区"].items if i.group == "分类质量")
    assert "≥90%" in quality.criteria


def test_scoring_deductions_veto_and_the_pass_line():
    t = _tiny()
    full = score_sheet(t, {1: 40, 2: 50, 3: 10})
    assert (full.total, full.passed, full.vetoed, full.failed_items) == (100, True, False, frozenset())
    exactly = score_sheet(t, {1: 30, 2: 40, 3: 10})
    assert exactly.total == 80 and exactly.passed and exactly.failed_items == {1, 2}
    below = score_sheet(t, {1: 30, 2: 39.5, 3: 10})
    assert below.total == 79.5 and below.passed is False
    # One point off the 否决项 fails the check whatever the total.
    veto = score_sheet(t, {1: 40, 2: 50, 3: 9})
    assert veto.total == 99 and veto.vetoed and veto.passed is False
    # While typing: undecided until it cannot reach the line any more.
    assert score_sheet(t, {1: 40}).passed is None
    assert score_sheet(t, {1: 15}).passed is False and not score_sheet(t, {1: 15}).complete
    assert score_sheet(_tiny(pass_score=60), {1: 20, 2: 40, 3: 10}).passed is True
    # A 扣分 item is typed as its deduction.
    assert t.items[0].earned(5) == 35 and t.items[0].entered(35) == 5
    assert t.items[1].earned(45) == 45


def test_a_check_stores_earned_points_failed_items_and_a_deadline(db):
    _ledger, sites = make_sites(db)
    # Item 4 (四分类桶, 扣分) loses 6; item 10 (厨余准确率, scored of 12) earns 4; item 17 loses 5.
    row = check(db, sites["东湖花园"], DAY, {4: 6, 10: 8, 17: 5})
    assert row.total == 81 and row.passed and not row.vetoed and row.deadline is None
    assert row.template_version == 1 and row.state(TODAY) == "passed"
    bad = check(db, sites["东湖新村"], DAY, {4: 8, 10: 12, 15: 6})
    assert bad.total == 74 and not bad.passed and bad.deadline == DAY + dt.timedelta(days=7)
    assert bad.state(DAY) == "pending" and bad.state(TODAY) == "overdue"
    with db.session() as s:
        details = sorting.check_details(s, bad.id)
        failed = [sc.item.position for sc in details.scores if sc.failed]
        assert failed == [4, 10, 15]
        by_pos = {sc.item.position: sc for sc in details.scores}
        assert by_pos[4].score == 0 and by_pos[4].value == 8  # shown as the deduction
        assert by_pos[10].score == 0
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "sorting_check")).all()
        assert [a.summary for a in audit][-1] == "垃圾分类检查：东湖新村，74分，不合格"
    veto = check(db, sites["西岭家园"], DAY, {20: 1})
    assert veto.total == 99 and veto.vetoed and not veto.passed


def test_refusals_with_clear_messages(db):
    _ledger, sites = make_sites(db)
    template = template_of(db, "小区")
    scores = sheet(template)

    def record(**changes):
        data = CheckInput(site_id=sites["东湖花园"], template_id=template.id, check_date=DAY,
                          inspectors="李四", scores=list(scores))
        for key, value in changes.items():
            setattr(data, key, value)
        with db.transaction() as s:
            return sorting.record_check(s, data, today=TODAY)

    first = template.items[0]
    with pytest.raises(ValidationError) as above:
        record(scores=[ScoreInput(first.id, 5), *scores[1:]])
    assert above.value.fields == {f"item_{first.id}": "第1项“出入口、楼道等醒目位置设置垃圾分…”的扣分应在0至4分之间（填写了5）"}
    with pytest.raises(ValidationError, match="应在0至4分之间（填写了-1）"):
        record(scores=[ScoreInput(first.id, -1), *scores[1:]])
    with pytest.raises(ValidationError, match="未填写扣分"):
        record(scores=scores[1:])
    with pytest.raises(ValidationError) as future:
        record(check_date=TODAY + dt.timedelta(days=1))
    assert future.value.fields["check_date"] == "检查日期（2026-04-01）不能晚于今天"
    with pytest.raises(ValidationError, match="请填写检查人员"):
        record(inspectors=" ")
    with pytest.raises(ValidationError, match="该检查表用于小区"):
        record(site_id=sites["西岭公园"])
    passed = record()
    with pytest.raises(ValidationError, match="已有检查记录，请勿重复录入"):
        record()
    with pytest.raises(DomainError, match="检查已合格（100分），不需要复查"), db.transaction() as s:
        sorting.record_recheck(s, passed.id, sorting.RecheckInput(DAY, "李四", []), today=TODAY)
    with pytest.raises(DomainError, match="不需要复查"), db.transaction() as s:
        sorting.recheck_form(s, passed.id)


def test_template_versions_keep_old_results(db):
    _ledger, sites = make_sites(db)
    old = check(db, sites["东湖花园"], DAY, {4: 4})
    v1 = template_of(db, "小区")
    edited = v1.as_input()
    edited.pass_score = 85
    edited.items[3].max_score = 10  # 四分类桶 now weighs 10
    edited.items[0].max_score = 2
    with pytest.raises(PermissionDeniedError), db.transaction() as s:
        save_template(s, "小区", edited, base_version_no=1, role="clerk")
    with db.transaction() as s:
        v2 = save_template(s, "小区", edited, base_version_no=1, user="admin")
        # Saving the same again makes no third version.
        assert save_template(s, "小区", edited, base_version_no=2).id == v2.id
    assert (v2.version_no, v2.current, v2.pass_score, v2.max_total) == (2, True, 85, 100)
    with pytest.raises(ConflictError, match="已被他人修改为第2版"), db.transaction() as s:
        save_template(s, "小区", edited, base_version_no=1)
    with db.session() as s:
        kept = sorting.get_check(s, old.id)
        assert (kept.total, kept.passed, kept.template_version, kept.pass_score) == (96, True, 1, 80)
        assert [t.version_no for t in sorting_templates.template_versions(s, "小区")] == [2, 1]
        assert not sorting_templates.get_template(s, v1.id).current
    # A clerk who opened the entry on version 1 is refused once version 2 exists.
    with pytest.raises(DomainError, match="已更新为第2版，不能再按第1版录入"), db.transaction() as s:
        sorting.record_check(s, CheckInput(sites["东湖新村"], v1.id, DAY, "李四", sheet(v1)),
                             today=TODAY)
    new = check(db, sites["东湖新村"], DAY, {4: 4})
    assert new.template_version == 2 and new.total == 96 and new.passed
    # Editing the old check scores it on its own version still.
    with db.transaction() as s:
        fixed = sorting.update_check(s, old.id, old.version, CheckInput(
            check_date=DAY, inspectors="李四", scores=sheet(v1, {4: 8})), today=TODAY)
    assert fixed.total == 92 and fixed.template_version == 1
    bad = v2.as_input()
    bad.pass_score = 120
    bad.items[1].text = ""
    with pytest.raises(ValidationError) as refused, db.transaction() as s:
        save_template(s, "小区", bad, base_version_no=2)
    assert refused.value.fields["pass_score"] == "合格线应大于0且不超过满分（100分）"
    assert refused.value.fields["items.2"].startswith("第2项：检查内容不能为空")


def test_recheck_scores_only_the_failed_items(db):
    _ledger, sites = make_sites(db)
    first = check(db, sites["东湖新村"], DAY, {4: 8, 10: 12, 15: 6})  # 74, fails
    with db.session() as s:
        form = sorting.recheck_form(s, first.id)
    assert [form.template.item(i).position for i in form.recheck_items] == [4, 10, 15]
    assert form.previous is not None and form.previous.id == first.id
    with pytest.raises(ValidationError, match="复查日期不能早于上次检查日期"), db.transaction() as s:
        sorting.record_recheck(s, first.id, sorting.RecheckInput(
            DAY - dt.timedelta(days=1), "李四", sheet(form.template, only=form.recheck_items)),
            today=TODAY)
    # The bins are back but the 准确率 is still poor: 100 - 12 - 6 = 82… minus 4 more on item 4.
    second = recheck(db, first.id, DAY + dt.timedelta(days=5), {4: 4, 10: 12})
    assert second.recheck_of_id == first.id and second.total == 84 and second.passed
    with db.session() as s:
        details = sorting.check_details(s, second.id)
        carried = [sc.item.position for sc in details.scores if sc.carried]
        assert len(carried) == 19 and 4 not in carried
        assert [c.id for c in details.chain] == [first.id, second.id]
        original = sorting.get_check(s, first.id)
    assert original.result_passed and original.result_total == 84 and not original.pending
    assert original.state_label(TODAY) == "不合格，复查合格"
    assert second.state(TODAY) == "recheck_passed"
    with pytest.raises(DomainError, match="复查已合格"), db.transaction() as s:
        sorting.record_recheck(s, first.id, sorting.RecheckInput(TODAY, "李四", []), today=TODAY)


def test_a_failed_recheck_leads_to_another(db):
    _ledger, sites = make_sites(db)
    first = check(db, sites["东湖新村"], DAY, {20: 5})  # 否决项
    second = recheck(db, first.id, DAY + dt.timedelta(days=3), {20: 2})
    assert second.vetoed and not second.passed and second.pending
    with db.session() as s:
        assert not sorting.get_check(s, first.id).pending
        assert sorting.recheck_form(s, first.id).previous.id == second.id
        assert sorting.count_checks(s, CheckQuery(state="pending")) == 1
    third = recheck(db, second.id, DAY + dt.timedelta(days=8))
    assert third.passed and third.recheck_of_id == first.id and third.total == 100
    with db.session() as s:
        assert sorting.count_checks(s, CheckQuery(state="pending")) == 0
        assert sorting.count_checks(s, CheckQuery(state="rechecks")) == 2
        assert sorting.get_check(s, first.id).result_passed


def test_editing_a_reported_period_needs_a_reason(db):
    _ledger, sites = make_sites(db)
    row = check(db, sites["东湖花园"], DAY, {4: 2})
    template = template_of(db, "小区")
    data = CheckInput(check_date=DAY, inspectors="李四", scores=sheet(template, {4: 8}))
    with db.transaction() as s:
        sorting.mark_reported(s, Period.parse("2026-03"), user="科长")
        sorting.mark_reported(s, Period.parse("2026-03"), user="科长")  # twice is harmless
        assert sorting.reported_periods(s) == ["2026-03"]
    with pytest.raises(ReasonRequiredError, match="2026-03 的检查结果已上报区城管局，修改需填写原因"), \
            db.transaction() as s:
        sorting.update_check(s, row.id, row.version, data, today=TODAY)
    with db.transaction() as s:
        fixed = sorting.update_check(s, row.id, row.version, data, user="内勤", today=TODAY,
                                     reason="录入时看错行")
    assert fixed.total == 92
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "sorting_check")
                          .order_by(AuditEntry.id.desc())).first()
        assert entry.action == "update" and "原因：录入时看错行" in entry.summary
        assert entry.after["reason"] == "录入时看错行" and entry.before["total"] == 98
        assert sorting.check_details(s, row.id).reported == "2026-03"
    with pytest.raises(ConflictError), db.transaction() as s:
        sorting.update_check(s, row.id, row.version, data, reason="再改")
    # Once rechecked, the original is fixed.
    bad = check(db, sites["东湖新村"], DAY, {4: 8, 10: 12, 15: 6})
    recheck(db, bad.id, DAY + dt.timedelta(days=2))
    with pytest.raises(DomainError, match="之后已有复查记录"), db.transaction() as s:
        sorting.update_check(s, bad.id, bad.version, data, reason="x", today=TODAY)


def test_a_failed_check_at_a_business_can_become_a_finding(db):
    ledger, sites = make_sites(db)
    row = check(db, sites["老王火锅店"], DAY, {3: 10, 14: 8}, site_type="商户", make_finding=True)
    assert not row.passed and row.vetoed and row.finding_id is not None
    with db.session() as s:
        finding = s.get(Finding, row.finding_id)
        assert finding.category == "垃圾分类不达标"
        assert finding.business_id == ledger.businesses["老王火锅店"]
        assert finding.deadline == row.deadline and "82分（否决项不合格）" in finding.description
    with pytest.raises(DomainError, match="已登记过问题"), db.transaction() as s:
        sorting.create_finding(s, row.id)
    plain = check(db, sites["东湖新村"], DAY, {4: 8, 10: 12, 15: 6})
    with pytest.raises(DomainError, match="未关联商户"), db.transaction() as s:
        sorting.create_finding(s, plain.id)
    with pytest.raises(DomainError, match="只有关联商户的点位"):
        check(db, sites["东湖花园"], DAY, {4: 8, 10: 12, 15: 6}, make_finding=True)



def test_the_photos_of_a_failed_check_go_with_its_finding(db):
    _ledger, sites = make_sites(db)
    template = template_of(db, "商户")
    with db.transaction() as s:
        row = sorting.record_check(s, CheckInput(
            site_id=sites["老王火锅店"], template_id=template.id, check_date=DAY,
            inspectors="李四", scores=sheet(template, {3: 10, 14: 8})), user="tester",
            today=TODAY, make_finding=True,
            photos=[PhotoInput("混投.png", _png("brown")), PhotoInput("满溢.png", _png())])
    with db.session() as s:
        evidence = attachments.list_for(s, findings.PHOTO_OWNER, row.finding_id)
        kept = attachments.list_for(s, sorting.PHOTO_OWNER, row.id)
        assert [a.file_name for a in evidence] == ["混投.png", "满溢.png"]
        assert [a.sha256 for a in evidence] == [a.sha256 for a in kept]
        assert attachments.get_data(s, evidence[0].id, thumbnail=True)


def test_sites_validate_and_list_the_unchecked(db):
    ledger, sites = make_sites(db)
    with pytest.raises(ValidationError) as refused, db.transaction() as s:
        sorting_sites.create_site(s, SiteInput(name="东湖花园", site_type="小区",
                                               community_id=ledger.communities["东湖社区"]))
    assert refused.value.fields == {"name": "该社区已有名为“东湖花园”的点位"}
    with pytest.raises(ValidationError) as bad, db.transaction() as s:
        sorting_sites.create_site(s, SiteInput(name="某处", site_type="学校", contact="123",
                                               collection_points=0))
    assert set(bad.value.fields) == {"site_type", "contact", "collection_points", "community_id"}
    check(db, sites["东湖花园"], DAY)
    month = Period.parse("2026-03")
    with db.session() as s:
        unchecked = sorting_sites.site_page(s, SiteQuery(unchecked_between=(month.start, month.end)))
        assert [r.name for r in unchecked] == ["东湖新村", "老王火锅店", "西岭家园", "西岭公园"]
        assert sorting_sites.unchecked_count(s, month.start, month.end) == 4
        shop = sorting_sites.get_site(s, sites["老王火锅店"])
        assert shop.business == "老王火锅店" and shop.contact == "13800138000"
        garden = sorting_sites.get_site(s, sites["东湖花园"])
        assert garden.last_check_date == DAY and garden.last_passed
    with db.transaction() as s:
        current = sorting_sites.get_site(s, sites["东湖花园"])
        with pytest.raises(ValidationError, match="不能更改类型"):
            sorting_sites.update_site(s, current.id, current.version,
                                      SiteInput(**{**current.as_input().__dict__, "site_type": "单位"}))
        with pytest.raises(ValidationError, match="停用原因"):
            sorting_sites.set_site_active(s, current.id, current.version, False)
        sorting_sites.set_site_active(s, current.id, current.version, False, reason="拆迁")
    with db.transaction() as s:
        template = current_template(s, "小区")
        with pytest.raises(ValidationError, match="已停用"):
            sorting.record_check(s, CheckInput(sites["东湖花园"], template.id, TODAY, "李四",
                                               sheet(template)), today=TODAY)
    with db.session() as s:
        assert s.scalar(select(SortingScore.id).limit(1)) is not None


def test_the_next_regular_check_supersedes_a_missed_recheck(db):
    _ledger, sites = make_sites(db)
    missed = check(db, sites["东湖新村"], DAY, {4: 8, 10: 12, 15: 6})
    later = check(db, sites["东湖新村"], DAY + dt.timedelta(days=14), {4: 4})
    with db.session() as s:
        old = sorting.get_check(s, missed.id)
        assert not old.pending and old.state(TODAY) == "lapsed"
        assert old.state_label(TODAY) == "不合格（未复查）"
        assert sorting.count_checks(s, CheckQuery(state="pending")) == 0
    assert later.passed
    with pytest.raises(DomainError, match="已再次检查，以最近一次检查为准"), db.transaction() as s:
        sorting.recheck_form(s, missed.id)


def _png(colour: str = "teal", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def test_photos_are_saved_with_the_check_or_not_at_all(db):
    _ledger, sites = make_sites(db)
    template = template_of(db, "小区")
    data = CheckInput(sites["东湖新村"], template.id, DAY, "李四",
                      sheet(template, {4: 8, 10: 12, 15: 6}))
    bad = [PhotoInput("满溢.png", _png()), PhotoInput("记录.txt", "不是照片".encode())]
    with pytest.raises(ValidationError, match="“记录.txt”不是图片文件") as refused, \
            db.transaction() as s:
        sorting.record_check(s, data, user="tester", today=TODAY, photos=bad)
    assert set(refused.value.fields) == {"photo"}
    with db.session() as s:
        assert sorting.count_checks(s, CheckQuery()) == 0
        assert s.scalar(select(func.count()).select_from(Attachment)) == 0
    with db.transaction() as s:
        row = sorting.record_check(s, data, user="tester", today=TODAY, photos=[
            PhotoInput("满溢.png", _png()), PhotoInput("混投.png", _png("brown"))])
    with db.transaction() as s:
        failed = sorting.recheck_form(s, row.id).recheck_items
        again = sorting.record_recheck(s, row.id, RecheckInput(
            DAY + dt.timedelta(days=3), "李四", sheet(template, {}, failed)), user="tester",
            today=TODAY, photos=[PhotoInput("整改后.png", _png("green"))])
    with db.session() as s:
        assert [p.file_name for p in sorting.photos_of(s, row.id)] == ["满溢.png", "混投.png"]
        assert sorting.check_details(s, row.id).photos == 2
        assert [p.file_name for p in sorting.photos_of(s, again.id)] == ["整改后.png"]
        history = [h.summary for h in sorting.history(s, row.id)]
        assert "添加照片：满溢.png" in history and "添加照片：混投.png" in history


def test_photos_added_later_and_one_taken_off(any_db):
    db = any_db
    _ledger, sites = make_sites(db)
    row = check(db, sites["东湖花园"], DAY, {4: 2})
    with pytest.raises(ValidationError, match="是空文件"), db.transaction() as s:
        sorting.add_photos(s, row.id, [PhotoInput("a.png", _png()), PhotoInput("b.png", b"")])
    with db.transaction() as s:
        added = sorting.add_photos(s, row.id, [PhotoInput("a.png", _png()),
                                               PhotoInput("b.png", _png("red"))], user="tester")
        form = sorting.edit_form(s, row.id)
    assert form.photos == 2
    with pytest.raises(NotFoundError, match="该检查记录不存在"), db.transaction() as s:
        sorting.add_photos(s, row.id + 99, [PhotoInput("a.png", _png())])
    other = check(db, sites["东湖新村"], DAY)
    with pytest.raises(NotFoundError, match="已被删除"), db.transaction() as s:
        sorting.remove_photo(s, other.id, added[0].id)  # not a photo of that check
    with db.transaction() as s:
        sorting.remove_photo(s, row.id, added[0].id, user="tester")
    with db.session() as s:
        assert [p.file_name for p in sorting.photos_of(s, row.id)] == ["b.png"]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "detach")).one()
        assert entry.entity == "sorting_check" and entry.entity_id == row.id
        assert entry.summary == "删除照片：a.png（东湖花园）"
        assert entry.before["sha256"] == added[0].sha256
    with pytest.raises(NotFoundError), db.transaction() as s:
        sorting.remove_photo(s, row.id, added[0].id)  # already gone


def test_a_viewer_may_neither_add_nor_remove_photos(db):
    _ledger, sites = make_sites(db)
    row = check(db, sites["东湖花园"], DAY)
    with db.transaction() as s:
        kept = sorting.add_photo(s, row.id, "a.png", _png(), user="tester")
    db.actor = Actor("guest", "查看员", "viewer")
    with pytest.raises(PermissionDeniedError, match="查看员（只读用户）无权添加检查照片，需要"), \
            db.transaction() as s:
        sorting.add_photos(s, row.id, [PhotoInput("b.png", _png("red"))])
    with pytest.raises(PermissionDeniedError, match="无权删除检查照片"), db.transaction() as s:
        sorting.remove_photo(s, row.id, kept.id)
    db.actor = Actor("xc", "赵强", "inspector")
    with db.transaction() as s:
        sorting.add_photos(s, row.id, [PhotoInput("b.png", _png("red"))], user="xc")
    with db.session() as s:
        assert len(sorting.photos_of(s, row.id)) == 2
