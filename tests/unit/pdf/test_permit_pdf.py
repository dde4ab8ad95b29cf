"""The printed 受理通知书, 准予许可决定书 and 不予许可决定书: A4, embedded fonts, text in order."""

from __future__ import annotations

import datetime as dt
import json

from desktop.cli import run_cli
from desktop.domain import permits as P
from desktop.pdf.render import print_documents
from tests.pdftools import read_pdf, squeeze
from tests.unit.domain.test_permits import (
    TODAY,
    accept,
    apply,
    basis_ids,
    granted,
    setup_ledger,
    step,
)


def _check(facts) -> str:
    assert facts.is_a4
    assert facts.fonts and all(embedded for _, embedded in facts.fonts)
    assert facts.lines_starting_with_closing_mark() == []
    return squeeze(facts.text)


def _in_order(text: str, pieces: list[str]) -> None:
    """Each piece appears after the one before it (pieces may repeat across documents)."""
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        assert found >= 0, f"{piece!r} not found after {text[max(0, at - 30):at]!r}"
        at = found + len(piece)


def test_acceptance_and_approval_by_application_number(db, tmp_path, fonts, capsys):
    ledger = setup_ledger(db)
    row = granted(db, ledger)
    out = tmp_path / "许可 文书.pdf"
    code = run_cli(["print", "permit", row.number, "--out", str(out), "--db", db.url, "--json"])
    assert code == 0, capsys.readouterr().err
    payload = json.loads(capsys.readouterr().out)
    facts = read_pdf(out)
    assert payload["documents"] == 2 and facts.pages == payload["pages"] == 2  # one page each
    text = _check(facts)
    _in_order(text, [
        "清河区安平街道办事处", "受理通知书", "X街招受〔2026〕第0001号", "老王火锅店：",
        "你（单位）于2026年3月2日提出的户外招牌设置申请（申请编号：X街招申〔2026〕第0001号）收悉",
        "招牌类型为店招", "设置地点为解放路12号（临街正立面一层门头上方）",
        "规格为宽6米、高1.2米、外挑0.3米（面积7.2平方米）", "决定予以受理", "联系电话：025-84561230",
        "联系地址：清河区安平街道人民路88号", "清河区安平街道办事处2026年3月3日",
        "本通知书一式两份，一份存档，一份交申请人。",
        "清河区安平街道办事处", "准予许可决定书", "X街招许〔2026〕第0001号", "申请人：老王火锅店",
        "统一社会信用代码：91350100M000100Y43", "经营者：王建国地址：解放路12号",
        "本机关于2026年3月3日受理，于2026年3月5日进行了现场勘验", "本机关决定准予许可",
        "一、许可事项：在解放路12号临街正立面一层门头上方设置户外招牌（店招）。",
        "二、招牌规格：宽6米、高1.2米、外挑0.3米，面积7.2平方米，下沿距地面3米；材质为铝塑板，照明方式为内置光源。",
        "三、许可期限：自2026年3月8日起至2029年3月7日止。", "四、设置条件：按本决定载明的内容设置",
        "五、监督管理：被许可人应当做好招牌的日常维护和安全检查", "本机关依法进行监督检查",
        "清河区安平街道办事处2026年3月8日", "本决定书一式两份，一份存档，一份交申请人。"])


def test_refusal_by_decision_number_with_basis_and_remedies(db, tmp_path, fonts):
    ledger = setup_ledger(db)
    row = accept(db, apply(db, ledger, "重庆小面馆", sign_type="广告牌", width_m=8, height_m=5,
                           protrusion_m=1.5, facade_position="屋顶"))
    row = step(db, P.refuse, row, P.RefusalInput(
        TODAY, "申请设置的广告牌面积40平方米、外挑1.5米，超过本街道规定的上限；设置于建筑屋顶，存在安全隐患。",
        basis_ids(db)), role="head", user="科长")
    out = tmp_path / "不予许可.pdf"
    with db.session() as s:
        result = print_documents(s, "permit", [row.decision_number], out, copies=2)
    facts = read_pdf(out)
    assert result.documents == 2 and facts.pages == 2
    text = _check(facts)
    copy = ["第一联存档", "清河区安平街道办事处", "不予许可决定书", row.decision_number,
            "申请人：重庆小面馆", "经营者：李秀英地址：人民路5号",
            "你（单位）于2026年3月2日提出的户外招牌设置申请（申请编号：X街招申〔2026〕第0001号；"
            "设置地点：解放路12号，屋顶；招牌类型：广告牌；规格：宽8米、高5米、外挑1.5米，面积40平方米）收悉",
            "本机关于2026年3月3日受理。", "经审查，申请设置的广告牌面积40平方米",
            "设置于建筑屋顶，存在安全隐患。依据《城市市容和环境卫生管理条例》第十一条的规定，本机关决定不予许可。",
            "如不服本决定，可以在收到本决定书之日起六十日内向清河区人民政府申请行政复议，"
            "或者在收到本决定书之日起六个月内依法向人民法院提起行政诉讼。",
            "清河区安平街道办事处2026年3月10日", "本决定书一式两份，一份存档，一份交申请人。"]
    _in_order(text, copy)
    second = text[text.find("第二联交申请人"):]
    _in_order(second, copy[1:])
    assert "受理通知书" not in text  # the decision number prints the decision only


def test_nothing_to_print_before_acceptance(db, tmp_path, capsys):
    ledger = setup_ledger(db)
    row = apply(db, ledger)
    out = tmp_path / "none.pdf"
    assert run_cli(["print", "permit", row.number, "--out", str(out), "--db", db.url]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"招牌设置申请 {row.number} 当前为“申请”，尚未出具受理通知书或许可决定书，"
                   "没有可打印的文书") and not out.exists()
    assert run_cli(["print", "permit", "X街招许〔2026〕第9999号", "--out", str(out),
                    "--db", db.url]) == 1
    assert "找不到编号为 X街招许〔2026〕第9999号 的招牌设置申请或许可文书" in capsys.readouterr().err


def test_long_texts_flow_on_and_the_seal_never_stands_alone(db, tmp_path, fonts):
    ledger = setup_ledger(db)
    long = "招牌应当与相邻店招统一高度、统一底色，" * 12
    other = apply(db, ledger, "重庆小面馆")
    other = step(db, P.record_survey, accept(db, other), P.SurveyInput(
        dt.datetime.combine(TODAY, dt.time(9)), "张三", "相符"))
    other = step(db, P.approve, other, P.ApprovalInput(TODAY, conditions=long), role="head")
    out = tmp_path / "long.pdf"
    with db.session() as s:
        result = print_documents(s, "permit", [other.decision_number], out)
    facts = read_pdf(out)
    assert result.pages == facts.pages == 2
    text = _check(facts)
    page_two = text[text.find("第1页共2页") + len("第1页共2页"):]
    _in_order(page_two, ["五、监督管理", "清河区安平街道办事处2026年3月10日", "第2页共2页"])
