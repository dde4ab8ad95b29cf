"""The printed 通知书, 送达回证 and 复查意见书 as a reader sees them: A4, fonts, text in order."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop.cli import run_cli
from desktop.domain import notices as N
from desktop.domain.office import OfficeData, save_office
from desktop.pdf.render import print_documents
from tests.pdftools import read_pdf, squeeze
from tests.unit.domain.test_notices import NOW, issue, new_finding, recheck, setup_ledger

LONG = "在店门外人行道摆放桌椅、货架和冰柜，占用盲道，影响行人通行；" * 6


def _office(db) -> None:
    with db.transaction() as s:
        save_office(s, OfficeData(name="清河区安平街道办事处", phone="025-84561230",
                                  address="清河区安平街道人民路88号"))


def _check(facts) -> str:
    assert facts.is_a4
    assert facts.fonts and all(embedded for _, embedded in facts.fonts)
    assert facts.lines_starting_with_closing_mark() == []
    return squeeze(facts.text)


def _in_order(text: str, pieces: list[str]) -> None:
    positions = [text.find(piece) for piece in pieces]
    assert -1 not in positions, [p for p, i in zip(pieces, positions, strict=True) if i < 0]
    assert positions == sorted(positions), pieces


def test_notice_prints_like_the_official_form_twice_with_copy_labels(db, tmp_path, fonts):
    _office(db)
    ledger = setup_ledger(db)
    notice = issue(db, [new_finding(db, ledger).id])
    out = tmp_path / "通知书 两联.pdf"
    with db.session() as s:
        result = print_documents(s, "notice", [notice.number], out, copies=2)
    facts = read_pdf(out)
    assert result.documents == 2 and facts.pages == result.pages == 2  # one page per copy
    text = _check(facts)
    copy = ["第一联存档", "清河区安平街道办事处", "责令（限期）改正通知书", notice.number,
            "当事人：老王火锅店", "地址：解放路12号", "经查，你（单位）于2026年3月5日10时00分在解放路12号",
            "违反了《城市市容和环境卫生管理条例》第十四条的规定",
            "依据《城市市容和环境卫生管理条例》第三十六条第（二）项的规定，现责令你（单位）：",
            "立即改正", "于2026年3月8日18时前改正", "改正内容：将店外摆放的商品",
            "书面报告本机关", "逾期不改正的", "执法人员：张三执法证号：32010001",
            "执法人员：李四执法证号：32010002", "联系电话：025-84561230",
            "联系地址：清河区安平街道人民路88号", "当事人签名：", "见证人签名：",
            "清河区安平街道办事处2026年3月5日", "本通知书一式两份，一份存档，一份交当事人。"]
    _in_order(text, copy)
    second = text[text.find("第二联交当事人"):]
    assert second and text.find("第二联交当事人") > text.find("本通知书一式两份")
    _in_order(second, copy[1:])


def test_long_notices_flow_on_and_voided_ones_say_so(db, tmp_path, fonts):
    ledger = setup_ledger(db)
    long_one = issue(db, [new_finding(db, ledger, description=LONG).id,
                          new_finding(db, ledger, category="乱堆乱放", description=LONG).id])
    voided = issue(db, [new_finding(db, ledger, shop="重庆小面馆").id], order_kind="立即")
    with db.transaction() as s:
        N.void_notice(s, voided.id, "当事人名称填写错误", now=NOW + dt.timedelta(hours=2))
    out = tmp_path / "batch.pdf"
    with db.session() as s:
        result = print_documents(s, "notice", [long_one.number, voided.number], out)
    facts = read_pdf(out)
    assert result.documents == 2 and facts.pages == result.pages >= 3
    text = _check(facts)
    assert squeeze(LONG).rstrip("；") in text
    _in_order(text, [long_one.number, "第1页共", "第2页共", voided.number,
                     "本文书已于2026年3月5日作废。作废原因：当事人名称填写错误"])


def test_delivery_blank_before_and_filled_after(db, tmp_path, fonts):
    ledger = setup_ledger(db)
    notice = issue(db, [new_finding(db, ledger).id])
    blank = tmp_path / "blank.pdf"
    with db.session() as s:
        print_documents(s, "delivery", [notice.number], blank)
    text = _check(read_pdf(blank))
    _in_order(text, ["送达回证", "送达文书名称", "责令（限期）改正通知书", notice.number,
                     "受送达人", "老王火锅店", "送达时间", "送达地点", "□直接送达", "□电子送达",
                     "受送达人签名", "代收人（关系）送达人签名", "见证人签名", "备注", "即视为送达（留置送达）"])
    assert "送达方式" in text
    with db.transaction() as s:
        N.record_delivery(s, notice.id, N.DeliveryInput(
            method="留置", recipient="王建国", witness="赵某", place="解放路12号店内",
            delivered_at=NOW + dt.timedelta(hours=2), deliverer="张三、李四"),
            now=NOW + dt.timedelta(hours=3))
    filled = tmp_path / "filled.pdf"
    with db.session() as s:
        result = print_documents(s, "delivery", [notice.number], filled)
    facts = read_pdf(filled)
    assert facts.pages == result.pages == 1
    text = _check(facts)
    _in_order(text, ["送达时间", "2026年3月5日12时00分", "解放路12号店内", "■留置送达",
                     "受送达人拒绝签收", "备注", "见证人赵某在场"])
    assert "赵某见证人签名" in text or "见证人签名赵某" in text


def test_recheck_record_and_the_command_line(db, tmp_path, fonts, capsys):
    ledger = setup_ledger(db)
    finding = new_finding(db, ledger)
    notice = issue(db, [finding.id])
    row = recheck(db, finding.id, True, dt.datetime(2026, 3, 9, 10, 30))
    out = tmp_path / "复查.pdf"
    code = run_cli(["print", "recheck", row.number, "--out", str(out), "--copies", "2",
                    "--db", db.url, "--json"])
    assert code == 0, capsys.readouterr().err
    payload = json.loads(capsys.readouterr().out)
    assert payload["documents"] == 2 and payload["pages"] == 2
    text = _check(read_pdf(out))
    _in_order(text, ["第一联存档", "整改复查意见书", row.number, "当事人：老王火锅店",
                     f"《责令（限期）改正通知书》（{notice.number}）", "于2026年3月8日18时前改正",
                     "2026年3月9日10时30分", "复查意见如下", "■已按要求改正，予以销号", "□未按要求改正",
                     "当事人签名", "执法人员：张三执法证号：32010001", "X街道办事处2026年3月9日",
                     "本意见书一式两份", "第二联交当事人"])
    # Notices and deliveries by number from the command line; an unknown number is one line.
    for kind in ("notice", "delivery"):
        assert run_cli(["print", kind, notice.number, "--out", str(tmp_path / f"{kind}.pdf"),
                        "--db", db.url]) == 0
    assert run_cli(["print", "notice", "X城管责改〔2026〕第9999号", "--out",
                    str(tmp_path / "none.pdf"), "--db", db.url]) == 1
    err = capsys.readouterr().err
    assert "找不到编号为 X城管责改〔2026〕第9999号" in err and "Traceback" not in err
    assert not (tmp_path / "none.pdf").exists()


@pytest.mark.parametrize("kind", ["findings", "notices"])
def test_list_from_the_command_line(db, kind, capsys):
    ledger = setup_ledger(db)
    issue(db, [new_finding(db, ledger).id])
    assert run_cli(["list", kind, "--db", db.url, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["total"] == 1 and payload["rows"][0]["party"] == "老王火锅店"
