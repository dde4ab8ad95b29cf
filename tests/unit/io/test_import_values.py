"""Cells as clerks fill them: dates, yes/no, status words, phones, header names, initials."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.codes import CodeError
from desktop.domain.textkeys import initials
from desktop.io.bulk_keys import word_cached_initials
from desktop.io.import_columns import HeaderInfo, detect_header, guess_mapping, match_field
from desktop.io.import_values import (
    DateError,
    cell_text,
    parse_date,
    parse_status,
    parse_yes_no,
    split_phones,
)

MAY_1 = dt.date(2023, 5, 1)


@pytest.mark.parametrize("value", [
    "2023-05-01", "2023/5/1", "2023.5.1", "2023年5月1日", "2023年5月1号", "20230501", 20230501,
    20230501.0, "２０２３－０５－０１", " 2023 - 5 - 1 ", "2023-05-01 00:00:00", "2023-05-01T08:30",
    45047, 45047.0, "45047", dt.datetime(2023, 5, 1, 9, 30), MAY_1,
])
def test_every_date_form_clerks_type(value: object) -> None:
    assert parse_date(value) == MAY_1


@pytest.mark.parametrize("value, message", [
    ("2023-02-30", "不是有效日期"), ("2023-13-01", "不是有效日期"), ("五月一日", "日期格式不正确"),
    ("2023-05", "日期格式不正确"), ("1900-01-01", "不合理"), (True, "日期格式不正确"),
    (-3, "日期格式不正确"), ("12", "日期格式不正确"),
])
def test_impossible_dates_say_why(value: object, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date(value)


def test_empty_date_cells() -> None:
    assert parse_date("") is None and parse_date("  ") is None and parse_date(None) is None


def test_cell_text() -> None:
    assert cell_text(13800138000.0) == "13800138000"
    assert cell_text(1.5) == "1.5"
    assert cell_text(True) == "是"
    assert cell_text(dt.datetime(2023, 5, 1)) == "2023-05-01"
    assert cell_text("") == "" and cell_text(None) == ""


@pytest.mark.parametrize("word, status", [
    ("", "营业"), ("正常", "营业"), ("在营", "营业"), ("歇业", "停业"), ("已搬离", "注销"),
    ("无证经营", "无照"), (" 停 业 ", "停业"), ("倒闭", "注销"), ("不知道", None),
])
def test_status_words(word: str, status: str | None) -> None:
    assert parse_status(word) == status


def test_yes_no() -> None:
    assert parse_yes_no("√") is True and parse_yes_no("否") is False
    assert parse_yes_no("") is True and parse_yes_no("也许") is None


def test_phones_as_ledgers_write_them() -> None:
    assert split_phones("１３８００１３８０００") == ("13800138000", [])
    assert split_phones("0571 8888 6666") == ("0571-88886666", [])
    assert split_phones("13800138000/13900139000") == ("13800138000", ["13900139000"])
    assert split_phones("13800138000、0571-88886666") == ("13800138000", ["0571-88886666"])
    assert split_phones("13800138000 13900139000") == ("13800138000", ["13900139000"])
    with pytest.raises(CodeError, match="手机号应为11位"):
        split_phones("1380013800")
    with pytest.raises(CodeError):
        split_phones("12345/67890")


@pytest.mark.parametrize("header, field", [
    ("店铺名称", "name"), ("商户名称", "name"), ("单位名称", "name"), ("名称", "name"),
    ("统一社会信用代码", "credit_code"), ("信用代码", "credit_code"), ("营业执照号", "credit_code"),
    ("注册号", "credit_code"), ("经营者", "operator"), ("负责人", "operator"), ("法人", "operator"),
    ("法定代表人", "operator"), ("联系电话", "phone"), ("电话", "phone"), ("手机", "phone"),
    ("联系方式", "phone"), ("负责人电话", "phone"), ("地址", "address"), ("经营地址", "address"),
    ("门牌", "address"), ("行业", "category"), ("类别", "category"), ("经营类别", "category"),
    ("社区", "community"), ("所属社区", "community"), ("网格", "grid"), ("状态", "status"),
    ("经营状态", "status"), ("备注", "remarks"), ("门前三包签订日期", "agreement_date"),
    ("签约日期", "agreement_date"), ("责任书编号", "agreement_number"), ("三包编号", "agreement_number"),
    ("＊店铺名称（必填）", "name"), ("联系\n电话", "phone"), ("商户地址", "address"),
    ("序号", None), ("网格员", None), ("法人身份证号", None), ("商户编号", None), ("面积（㎡）", None),
    ("XX街道沿街商户台账（2024年第二季度）汇总表", None),
])
def test_header_synonyms(header: str, field: str | None) -> None:
    assert match_field(header) == field


def test_two_row_header_with_a_merged_group_title() -> None:
    head = [
        (1, ["沿街商户门前三包台账", "", "", "", ""]),
        (2, ["店铺名称", "地址", "社区", "门前三包", ""]),
        (3, ["", "", "", "签订日期", "编号"]),
        (4, ["甲店", "一路1号", "东湖社区", "2023-05-01", "A-1"]),
    ]
    header = detect_header(head)
    assert header is not None and header.row == 2 and header.data_start == 4
    assert header.texts == ("店铺名称", "地址", "社区", "门前三包签订日期", "门前三包编号")
    assert guess_mapping(header) == {0: "name", 1: "address", 2: "community",
                                     3: "agreement_date", 4: "agreement_number"}


def test_header_key_ignores_spacing_and_trailing_blanks() -> None:
    a = HeaderInfo(1, 2, ("店铺名称", "联系 电话", ""))
    b = HeaderInfo(3, 4, ("店铺名称", "联系电话"))
    assert a.key() == b.key()
    assert a.key() != HeaderInfo(1, 2, ("店铺名称", "地址")).key()


_NAME_CHARS = st.sampled_from(list("老王张记火锅店面馆便利超市银行长乐重庆大药房理发美容五金建材行"
                                   "一二三号楼AB12 （）·-&"))


@settings(max_examples=300, deadline=None)
@given(names=st.lists(st.text(_NAME_CHARS, min_size=1, max_size=14), min_size=1, max_size=20))
def test_word_cached_initials_equal_the_editors(names: list[str]) -> None:
    fast = word_cached_initials()
    for name in names:
        assert fast(name) == initials(name)


def test_word_cached_initials_on_polyphones() -> None:
    fast = word_cached_initials()
    for name in ("银行", "行长", "重庆火锅", "长乐路", "重新装修的银行营业厅", "乐器行", "银行行长"):
        assert fast(name) == initials(name)
