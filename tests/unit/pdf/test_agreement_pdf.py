"""The printed 门前三包责任书 as a reader sees it: A4, embedded fonts, text in order."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.domain import agreements as A
from desktop.pdf.layout import PdfWriteError
from desktop.pdf.render import print_agreement_rows, print_documents
from tests.factories import make_ledger
from tests.pdftools import read_pdf, squeeze

LONG_AREA = "店门前人行道及绿化带，含门前机动车停车泊位两个、非机动车停放点一处；" * 12


def _signed(db, shop, area_text="店门前人行道", duties=("sanitation", "appearance", "order"),
            start=dt.date(2026, 3, 1)):
    ledger = make_ledger(db) if isinstance(shop, str) else None
    business_id = ledger.businesses[shop] if ledger else shop
    with db.transaction() as s:
        d = A.create_draft(s, A.AgreementInput(
            business_id=business_id, area_east="东侧消防栓", area_west="西侧花坛",
            area_text=area_text, frontage_length_m=8.5, area_m2=32, duties=list(duties),
            start_date=start, office_signatory="张科长", business_signatory="王建国"))
        return A.sign(s, d.id, d.version, start, today=dt.date(2026, 11, 25))


def test_agreement_prints_like_the_official_form(db, tmp_path, fonts):
    row = _signed(db, "老王火锅店", duties=("sanitation", "appearance", "order", "greening"))
    out = tmp_path / "责任书 打印.pdf"
    with db.session() as s:
        result = print_documents(s, "agreement", [row.number], out)
    facts = read_pdf(out)
    assert facts.is_a4 and facts.pages == result.pages
    assert facts.fonts and all(embedded for _, embedded in facts.fonts)
    text = squeeze(facts.text)
    expected_order = ["X街道办事处", "门前五包责任书", row.number, "甲方：X街道办事处",
                      "乙方：老王火锅店", "91350100M000100Y43", "一、责任区范围", "东至东侧消防栓",
                      "二、责任内容", "包门前环境卫生", "包门前绿化", "三、甲方职责", "四、违约责任",
                      "五、责任期限", "2026年3月1日起至2027年2月28日止", "甲方（盖章）", "乙方（盖章）"]
    positions = [text.find(piece) for piece in expected_order]
    assert -1 not in positions, [p for p, i in zip(expected_order, positions, strict=True) if i < 0]
    assert positions == sorted(positions)
    assert "包门前设施" not in text  # only the chosen duties are printed
    assert facts.lines_starting_with_closing_mark() == []


def test_long_area_flows_to_the_next_page_and_copies_repeat(db, tmp_path, fonts):
    row = _signed(db, "老王火锅店", area_text=LONG_AREA)
    out = tmp_path / "long.pdf"
    with db.session() as s:
        single = print_agreement_rows([row], s, out)
        assert single.pages >= 2
        triple = print_agreement_rows([row], s, tmp_path / "three.pdf", copies=3)
    assert triple.documents == 3 and triple.pages == 3 * single.pages
    facts = read_pdf(out)
    assert facts.lines_starting_with_closing_mark() == []
    # every word of the long area text is there, in order, across the page break
    assert squeeze(LONG_AREA).rstrip("；") in squeeze(facts.text)


def test_unwritable_path_leaves_nothing_and_says_why(db, tmp_path, fonts):
    row = _signed(db, "老王火锅店")
    target = tmp_path / "没有这个文件夹" / "a.pdf"
    with db.session() as s, pytest.raises(PdfWriteError, match="不存在"):
        print_documents(s, "agreement", [row.number], target)
    assert not target.parent.exists()
