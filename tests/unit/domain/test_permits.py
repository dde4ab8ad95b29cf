"""户外广告/招牌设置许可: every step and refusal, the rules explained, frozen decisions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import select

from db.models import AuditEntry, Finding, Notice, PermitEvent, SignPermit
from desktop.domain import attachments
from desktop.domain import legal as L
from desktop.domain import permits as P
from desktop.domain.errors import DomainError, PermissionDeniedError, ValidationError
from desktop.domain.notices import FrozenNoticeError
from desktop.domain.office import OfficeData, save_office
from tests.factories import Ledger, make_ledger

NOW = dt.datetime(2026, 3, 10, 10, 0)
TODAY = NOW.date()


def png(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def setup_ledger(db) -> Ledger:
    ledger = make_ledger(db)
    with db.transaction() as s:
        L.seed_legal_basis(s, confirmed=True)
        save_office(s, OfficeData(name="清河区安平街道办事处", district="清河区",
                                  phone="025-84561230", address="清河区安平街道人民路88号"))
    return ledger


def basis_ids(db) -> list[int]:
    with db.session() as s:
        return [b.id for b in L.list_entries(s, category="招牌安全隐患")]


def application(ledger: Ledger, shop: str = "老王火锅店", **kw) -> P.PermitInput:
    data = P.PermitInput(
        business_id=ledger.businesses[shop], sign_type="店招", location="解放路12号",
        facade_position="临街正立面一层门头上方", width_m=6, height_m=1.2, protrusion_m=0.3,
        material="铝塑板", lighting="内置光源", install_height_m=3, term_months=36,
        applied_date=TODAY - dt.timedelta(days=8))
    data.__dict__.update(kw)
    return data


def apply(db, ledger: Ledger, shop: str = "老王火锅店", **kw) -> P.PermitRow:
    with db.transaction() as s:
        return P.apply(s, application(ledger, shop, **kw), user="clerk", now=NOW)


def step(db, fn, row: P.PermitRow, *args, **kw) -> P.PermitRow:
    """One workflow step at the row's current version."""
    with db.transaction() as s:
        version = P.get(s, row.id).version
        return fn(s, row.id, version, *args, now=NOW, **kw)


def accept(db, row: P.PermitRow) -> P.PermitRow:
    return step(db, P.accept, row, accepted_on=TODAY - dt.timedelta(days=7), user="clerk")


def survey(db, row: P.PermitRow, **kw) -> P.PermitRow:
    data = P.SurveyInput(NOW - dt.timedelta(days=5), "张三、李四", "现场与申请相符，墙体牢固")
    data.__dict__.update(kw)
    return step(db, P.record_survey, row, data, user="clerk")


def approve(db, row: P.PermitRow, role: str = "head", **kw) -> P.PermitRow:
    data = P.ApprovalInput(decided_on=TODAY - dt.timedelta(days=2))
    data.__dict__.update(kw)
    return step(db, P.approve, row, data, role=role, user="科长")


def granted(db, ledger: Ledger, shop: str = "老王火锅店", **kw) -> P.PermitRow:
    return approve(db, survey(db, accept(db, apply(db, ledger, shop, **kw))))


def test_the_whole_way_records_who_and_when_and_issues_numbered_documents(any_db):
    ledger = setup_ledger(any_db)
    with any_db.transaction() as s:
        row = P.apply(s, application(ledger), drawings=[attachments.PhotoInput("效果图.png", png())],
                      photos=[attachments.PhotoInput("现场.png", png("blue"))], user="clerk", now=NOW)
    assert row.number == "X街招申〔2026〕第0001号" and row.status == "申请"
    assert row.area_m2 == 7.2 and row.business == "老王火锅店"
    row = accept(any_db, row)
    assert row.status == "已受理"
    with any_db.transaction() as s:
        row = P.record_survey(s, row.id, row.version, P.SurveyInput(
            NOW - dt.timedelta(days=5), "张三、李四", "现场与申请相符",
            photos=[attachments.PhotoInput("勘验.png", png("green"))]), user="clerk", now=NOW)
    row = approve(any_db, row)
    assert row.status == "准予" and row.decision_number == "X街招许〔2026〕第0001号"
    assert row.start_date == dt.date(2026, 3, 8) and row.end_date == dt.date(2029, 3, 7)
    row = step(any_db, P.record_installation, row, P.InstallationInput(TODAY, "王五"), user="clerk")
    assert row.status == "已设置"
    with any_db.session() as s:
        events = P.timeline(s, row.id)
        docs = P.documents_of(s, row.id)
        photos = P.photos_of(s, row.id)
        audited = s.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "sign_permit", AuditEntry.entity_id == row.id)).all()
    assert [e.step for e in events] == ["申请", "受理", "现场勘验", "准予许可", "设置验收"]
    assert [e.by for e in events] == ["clerk", "clerk", "张三、李四", "科长", "王五"]
    assert events[0].at == dt.datetime(2026, 3, 2) and events[2].at == NOW - dt.timedelta(days=5)
    assert events[2].photos == 1 and "X街招受〔2026〕第0001号" in events[1].notes
    assert [d.title for d in docs] == ["受理通知书", "准予许可决定书"]
    assert docs[0].number == "X街招受〔2026〕第0001号"
    assert docs[1].body["applicant"]["name"] == "老王火锅店"
    assert docs[1].body["end_date"] == "2029-03-07" and docs[1].body["sign"]["area_m2"] == 7.2
    assert [p.file_name for p in photos] == ["效果图.png", "现场.png", "勘验.png"]
    assert {"create", "accept", "survey", "approve", "install"} <= set(audited)


def test_bad_input_is_refused_with_the_rule_and_the_numbers(db):
    ledger = setup_ledger(db)
    with db.transaction() as s, pytest.raises(ValidationError) as info:
        P.apply(s, application(ledger, width_m=0, height_m=-1.5, protrusion_m=-0.2, term_months=48,
                               material="", facade_position=""), now=NOW)
    fields = info.value.fields
    assert fields["width_m"] == "招牌宽度应大于0米（填写的是0米）"
    assert "高度应大于0米" in fields["height_m"] and "-1.5米" in fields["height_m"]
    assert "外挑尺寸不能为负数" in fields["protrusion_m"]
    assert fields["term_months"].startswith("许可期限：申请48个月（4年），超过了最长三年（36个月）")
    assert {"material", "facade_position"} <= set(fields)
    with db.transaction() as s, pytest.raises(ValidationError) as info:
        P.apply(s, application(ledger, sign_type="霓虹灯", lighting="彩灯",
                               applied_date=TODAY + dt.timedelta(days=1)), now=NOW)
    assert {"sign_type", "lighting", "applied_date"} <= set(info.value.fields)
    with db.session() as s:
        assert s.scalars(select(SignPermit.id)).first() is None


def test_one_sign_per_shop_needs_a_recorded_exemption(db):
    ledger = setup_ledger(db)
    first = granted(db, ledger)
    with db.transaction() as s, pytest.raises(ValidationError) as info:
        P.apply(s, application(ledger, sign_type="灯箱", width_m=0.8, height_m=1.5), now=NOW)
    message = info.value.fields["exemption_reason"]
    assert message.startswith("一店一牌：该商户已有1块招牌（X街招申〔2026〕第0001号，店招，准予）")
    assert "请填写豁免理由" in message
    second = apply(db, ledger, sign_type="灯箱", width_m=0.8, height_m=1.5,
                   exemption_reason="临街两面均为店面")
    assert second.other_signs == 1 and second.exemption_reason == "临街两面均为店面"
    with db.session() as s:
        notes = P.timeline(s, second.id)[0].notes
    assert "按豁免理由“临街两面均为店面”办理" in notes
    assert first.decision_number


def test_sizes_beyond_the_office_limits_warn_then_stop_the_approval(db):
    ledger = setup_ledger(db)
    row = apply(db, ledger, width_m=8, height_m=4.5, protrusion_m=1.5)
    with db.session() as s:
        notes = P.timeline(s, row.id)[0].notes
    assert "外挑尺寸：招牌外挑1.5米，超过本办事处规定的上限1.2米（超出0.3米）" in notes
    assert "招牌面积：宽8米×高4.5米＝36平方米，超过本办事处规定的上限30平方米" in notes
    row = survey(db, accept(db, row))
    with pytest.raises(DomainError) as info:
        approve(db, row)
    assert info.value.message.startswith("不能准予许可：外挑尺寸：招牌外挑1.5米")
    assert "可修改申请后再审批，或作出不予许可决定" in info.value.message
    with db.transaction() as s:
        row = P.update_application(s, row.id, row.version, application(
            ledger, width_m=6, height_m=2, protrusion_m=0.6), user="clerk", now=NOW)
    assert approve(db, row).status == "准予"
    with db.session() as s:
        assert [e.step for e in P.timeline(s, row.id)][-2:] == ["修改申请", "准予许可"]


def test_issues_are_plain_functions_the_dialog_can_use():
    issues = P.rule_issues(6, 6, 1.5, 40, 1.2, 30.0, [], "")
    assert [(i.rule, i.level) for i in issues] == [
        ("许可期限", "error"), ("外挑尺寸", "warning"), ("招牌面积", "warning")]
    other = P.OtherSign(1, "X街招申〔2026〕第0001号", "店招", "已设置", "解放路12号")
    assert P.one_sign_issue([other], "").level == "error"
    assert P.one_sign_issue([other], "连锁门店").level == "note"
    assert P.size_issues(5, 6, 1.2, 1.2, 30.0) == []  # exactly at the limits is allowed


def test_the_order_of_steps_is_explained(db):
    ledger = setup_ledger(db)
    row = apply(db, ledger)
    with pytest.raises(DomainError, match="该申请尚未受理，不能准予许可；请先受理"):
        approve(db, row)
    row = accept(db, row)
    with pytest.raises(DomainError, match="该申请尚未进行现场勘验，不能准予许可；请先登记现场勘验"):
        approve(db, row)
    with pytest.raises(DomainError, match="不能登记设置验收"):
        step(db, P.record_installation, row, P.InstallationInput(TODAY, "王五"))
    with pytest.raises(DomainError, match="只有已设置的招牌才能进行安全检查"):
        with db.transaction() as s:
            P.record_safety_check(s, row.id, P.SafetyCheckInput(NOW, True, [], "", "王五"), now=NOW)
    row = survey(db, row)
    with pytest.raises(PermissionDeniedError, match="须由科长或管理员审批（当前角色：内勤）"):
        approve(db, row, role="clerk")
    with pytest.raises(ValidationError, match="决定日期不能早于2026-03-05"):
        approve(db, row, decided_on=TODAY - dt.timedelta(days=6))
    row = step(db, P.update_application, row, application(ledger, term_months=24), user="clerk")
    with pytest.raises(ValidationError, match="批准的期限（36个月）不能超过申请的期限（24个月）"):
        approve(db, row, term_months=36)
    row = approve(db, row, role="admin", term_months=12)
    assert row.end_date == dt.date(2027, 3, 7)
    with pytest.raises(DomainError, match="许可期限至2027-03-07，尚未届满，不能登记到期"):
        step(db, P.record_expiry, row)
    with pytest.raises(ValidationError, match="拆除时尚未到期"):
        step(db, P.record_removal, row, P.RemovalInput(TODAY, "到期"))
    row = step(db, P.record_removal, row, P.RemovalInput(TODAY, "店铺关闭", "已转让"), user="clerk")
    assert row.status == "已拆除" and row.removal_reason == "店铺关闭"
    with pytest.raises(DomainError, match="该许可已“已拆除”，不能再登记到期"):
        step(db, P.record_expiry, row)


def test_not_accepted_and_refused_with_the_legal_basis_kept_as_text(db):
    ledger = setup_ledger(db)
    row = apply(db, ledger)
    with pytest.raises(ValidationError, match="请填写不予受理的理由"):
        step(db, P.reject_application, row, "  ")
    row = step(db, P.reject_application, row, "申请材料不全", user="clerk")
    assert row.status == "不予受理" and row.decision_reason == "申请材料不全"
    with pytest.raises(DomainError, match="不能再受理"):
        accept(db, row)
    other = accept(db, apply(db, ledger, "重庆小面馆"))
    ids = basis_ids(db)
    refusal = P.RefusalInput(TODAY, "设置于建筑屋顶，存在安全隐患", ids)
    with pytest.raises(ValidationError, match="请选择至少一条法律依据"):
        step(db, P.refuse, other, P.RefusalInput(TODAY, "理由", []), role="head")
    with db.transaction() as s:  # an entry edited and not yet confirmed again cannot be cited
        entry = L.get(s, ids[0])
        L.update(s, entry.id, entry.version, L.LegalBasisInput(
            entry.law, entry.article, entry.text + "（修订）", entry.penalty, entry.categories))
    with pytest.raises(ValidationError, match="尚未经管理员确认，不能引用"):
        step(db, P.refuse, other, refusal, role="head")
    with db.transaction() as s:
        L.confirm(s, ids[0], L.get(s, ids[0]).version, user="admin", role="admin")
    row = step(db, P.refuse, other, refusal, role="head", user="科长")  # refusing without a survey
    assert row.status == "不予许可" and row.decision_number == "X街招许〔2026〕第0001号"
    assert "第十一条" in row.legal_basis_text and "（修订）" in row.legal_basis_text
    with db.transaction() as s:  # later edits to the library leave the decision alone
        entry = L.get(s, ids[0])
        L.update(s, entry.id, entry.version, L.LegalBasisInput(
            entry.law, entry.article, "全新的条文", entry.penalty, entry.categories))
    with db.session() as s:
        doc = P.documents_of(s, row.id)[-1]
    assert doc.kind == "refusal" and doc.body["legal_basis"][0]["text"].endswith("（修订）")
    assert doc.citations()[0] == "《城市市容和环境卫生管理条例》第十一条"


def test_a_decided_permit_is_frozen(db):
    ledger = setup_ledger(db)
    row = granted(db, ledger)
    with pytest.raises(P.FrozenPermitError, match="决定书已固定"):
        step(db, P.update_application, row, application(ledger, width_m=9), user="clerk")
    with pytest.raises(P.FrozenPermitError), db.transaction() as s:
        s.get(SignPermit, row.id).width_m = 9
        s.flush()
    with pytest.raises(P.FrozenPermitError), db.transaction() as s:
        s.delete(s.get(SignPermit, row.id))
        s.flush()
    with pytest.raises(FrozenNoticeError), db.transaction() as s:
        notice = s.scalars(select(Notice).where(Notice.number == row.decision_number)).one()
        notice.facts = "改了"
        s.flush()
    with pytest.raises(P.FrozenPermitError, match="不能再增补"), db.transaction() as s:
        P.add_attachment(s, row.id, "drawing", "图.png", png())
    with db.session() as s:
        assert P.get(s, row.id, TODAY).width_m == 6


def test_a_failed_safety_check_becomes_a_finding(db):
    ledger = setup_ledger(db)
    row = step(db, P.record_installation, granted(db, ledger), P.InstallationInput(TODAY, "王五"))
    with db.transaction() as s, pytest.raises(ValidationError) as info:
        P.record_safety_check(s, row.id, P.SafetyCheckInput(NOW, True, ["松动"], "", "王五"),
                              now=NOW)
    assert info.value.fields["hazards"] == "发现松动隐患的，检查结果应为“不合格”"
    with db.transaction() as s, pytest.raises(ValidationError, match="请勾选发现的隐患"):
        P.record_safety_check(s, row.id, P.SafetyCheckInput(NOW, False, [], "", "王五"), now=NOW)
    with db.transaction() as s:
        check = P.record_safety_check(s, row.id, P.SafetyCheckInput(
            NOW, False, ["锈蚀", "松动"], "支架锈蚀", "王五",
            photos=[attachments.PhotoInput("锈蚀.png", png())]), user="inspector", now=NOW)
    assert not check.passed and check.hazards == ["松动", "锈蚀"] and check.finding_id
    with db.session() as s:
        finding = s.get(Finding, check.finding_id)
        assert finding.category == "招牌安全隐患" and finding.status == "发现"
        assert finding.business_id == ledger.businesses["老王火锅店"]
        assert "发现松动、锈蚀隐患" in finding.description and "X街招许" in finding.description
        assert attachments.count_for(s, "finding", [finding.id]) == {finding.id: 1}
        assert P.safety_checks(s, row.id)[0].finding_id == finding.id
        assert P.get(s, row.id, TODAY).unsafe
        last = s.scalars(select(PermitEvent).order_by(PermitEvent.id.desc())).first()
        assert last.step == "安全检查" and last.by == "王五"
    with db.transaction() as s:
        P.record_safety_check(s, row.id, P.SafetyCheckInput(NOW + dt.timedelta(hours=1), True,
                                                            [], "已整改", "王五"), now=NOW + dt.timedelta(hours=2))
    with db.session() as s:
        assert not P.get(s, row.id, TODAY).unsafe


def test_stale_versions_are_refused(db):
    ledger = setup_ledger(db)
    row = apply(db, ledger)
    accept(db, row)
    with pytest.raises(DomainError, match="已被clerk修改"), db.transaction() as s:
        P.reject_application(s, row.id, row.version, "理由", now=NOW)
