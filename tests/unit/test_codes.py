"""Tests for desktop.domain.codes: credit codes, registration numbers, ID cards and phones."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.codes import (
    CodeError,
    CreditCode,
    credit_code_check_char,
    id_card_check_char,
    is_valid_credit_code,
    normalize_phone,
    normalize_text,
    parse_credit_code,
    parse_id_card,
)

# database=None keeps hypothesis from writing a .hypothesis/ folder into the repo.
FAST = settings(max_examples=200, deadline=None, database=None)

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DIGITS = "0123456789"
AUTHORITIES = "123456789ANY"


# --- independent reference formulations ------------------------------------
# These restate each checksum differently from the module (e.g. powers of the
# base instead of a weight table), so a wrong table in the module cannot be
# copied into the test and pass by agreement.


def ref_credit_code_ok(code: str) -> bool:
    # GB 32100: weight of position i (1-based) is 3**(i-1) mod 31, check weight 1 => total == 0 mod 31.
    total = sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(code[:17]))
    return (total + ALPHABET.index(code[17])) % 31 == 0


def ref_id_card_ok(code: str) -> bool:
    # ISO 7064 MOD 11-2: sum of a_i * 2**(i-1), counting from the right with X = 10, is 1 mod 11.
    values = [10 if c == "X" else int(c) for c in code]
    return sum(v * pow(2, 17 - i, 11) for i, v in enumerate(values)) % 11 == 1


def ref_legacy_ok(code: str) -> bool:
    # ISO 7064 MOD 11,10 verification: running the recursion over all 15 digits ends with s == 1.
    p = 10
    s = 0
    for ch in code:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return s == 1


def to_fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


# --- strategies -------------------------------------------------------------

credit_bodies = st.builds(
    lambda a, b, area, rest: a + b + area + rest,
    st.sampled_from(AUTHORITIES),
    st.sampled_from(ALPHABET),
    st.text(DIGITS, min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
)
valid_credit_codes = credit_bodies.map(lambda b: b + credit_code_check_char(b))

id_bodies = st.builds(
    lambda region, born, seq: region + born.strftime("%Y%m%d") + seq,
    st.text(DIGITS, min_size=6, max_size=6),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today()),
    st.text(DIGITS, min_size=3, max_size=3),
)
valid_ids = id_bodies.map(lambda b: b + id_card_check_char(b))


# --- normalize_text ---------------------------------------------------------


def test_normalize_text_folds_fullwidth_and_ideographic_space() -> None:
    assert normalize_text("\u3000ＡＢＣ１２３－（）＋ｘ\u3000") == "ABC123-()+x"
    assert normalize_text("  plain  ") == "plain"
    assert normalize_text("中文不变") == "中文不变"


@FAST
@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E)))
def test_normalize_text_fullwidth_roundtrip(s: str) -> None:
    assert normalize_text(to_fullwidth(s)) == s.strip()


# --- unified social credit code -------------------------------------------

PUBLISHED_CODES = [
    "91350100M000100Y43",  # the standard's worked example
    "914403001922038216",  # 华为技术有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "91110000710925462X",  # 中国石油天然气股份有限公司
]


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_published_credit_codes_are_valid(code: str) -> None:
    assert ref_credit_code_ok(code)
    assert credit_code_check_char(code[:17]) == code[17]
    assert parse_credit_code(code) == CreditCode(value=code, legacy=False)
    assert is_valid_credit_code(code)


def test_check_char_zero_when_sum_divisible() -> None:
    # Exercises the "31 -> '0'" branch: an all-zero body sums to 0.
    assert credit_code_check_char("0" * 17) == "0"


@pytest.mark.parametrize(
    "raw",
    [
        "91350100m000100y43",
        "９１３５０１００Ｍ０００１００Ｙ４３",
        "  9135 0100 M000 100Y 43 ",
        "913501-00M000-100Y43",
        "\u30009135０１００-m000100Y43\u3000",
    ],
)
def test_credit_code_input_forms_normalise(raw: str) -> None:
    assert parse_credit_code(raw).value == "91350100M000100Y43"


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_forbidden_letter_is_named(letter: str) -> None:
    code = "91350100M000100Y43"
    bad = code[:9] + letter + code[10:]
    with pytest.raises(CodeError) as exc:
        parse_credit_code(bad)
    message = str(exc.value)
    assert f"“{letter}”" in message
    assert "第10位" in message
    assert "不使用I、O、Z、S、V" in message


def test_lowercase_forbidden_letter_is_named_in_upper_case() -> None:
    with pytest.raises(CodeError, match="“O”"):
        parse_credit_code("91350100m0o0100y43")


def test_other_illegal_character_named() -> None:
    with pytest.raises(CodeError, match="非法字符“#”"):
        parse_credit_code("91350100M000100#43")


def test_non_ascii_upper_case_does_not_invent_letters() -> None:
    # "ß".upper() == "SS" would otherwise report an "S" the clerk never typed.
    with pytest.raises(CodeError) as exc:
        parse_credit_code("91350100M000100Yß3")
    assert "“ß”" in str(exc.value)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        ("   ", "不能为空"),
        ("9135010", "应为18位（当前为7位）"),
        ("91350100M000100Y431", "应为18位（当前为19位）"),
        ("91350100M000100Y44", "校验位错误：末位应为“3”"),
        ("B1350100M000100Y43", "第1位"),
        ("9135A100M000100Y43", "第3至8位"),
        ("91350100M00010", "应为18位"),
    ],
)
def test_credit_code_errors_say_what_is_wrong(raw: str, fragment: str) -> None:
    with pytest.raises(CodeError) as exc:
        parse_credit_code(raw)
    assert fragment in str(exc.value)
    assert not is_valid_credit_code(raw)


def test_code_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        parse_credit_code("nonsense")


@FAST
@given(valid_credit_codes)
def test_body_plus_computed_check_char_validates(code: str) -> None:
    assert ref_credit_code_ok(code)
    assert parse_credit_code(code) == CreditCode(value=code, legacy=False)


@FAST
@given(valid_credit_codes, st.integers(0, 17), st.integers(1, 30))
def test_single_substitution_is_always_detected(code: str, pos: int, shift: int) -> None:
    replacement = ALPHABET[(ALPHABET.index(code[pos]) + shift) % 31]
    bad = code[:pos] + replacement + code[pos + 1 :]
    assert bad != code
    assert not is_valid_credit_code(bad)
    # The checksum alone (not just the structural rules) must catch it.
    if pos < 17:
        assert credit_code_check_char(bad[:17]) != code[17]


SEPARATORS = ["", "", " ", "-", "\u3000"]


@FAST
@given(
    valid_credit_codes,
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, len(SEPARATORS) - 1)),
        min_size=18,
        max_size=18,
    ),
)
def test_typed_variants_normalise_to_same_value(code: str, choices: list[tuple[int, int]]) -> None:
    variant = ""
    for c, (form, sep) in zip(code, choices, strict=True):
        variant += [c, c.lower(), to_fullwidth(c), to_fullwidth(c.lower())][form]
        variant += SEPARATORS[sep]
    assert parse_credit_code(f" {variant} ").value == code


@FAST
@given(st.text(max_size=25))
def test_arbitrary_text_only_ever_raises_code_error(raw: str) -> None:
    try:
        result = parse_credit_code(raw)
    except CodeError as exc:
        assert str(exc)
    else:
        assert len(result.value) in (15, 18)


# --- legacy 15-digit registration number ------------------------------------

LEGACY_BODY = "11010800000001"


def _legacy_with_check() -> str:
    for d in DIGITS:
        if ref_legacy_ok(LEGACY_BODY + d):
            return LEGACY_BODY + d
    raise AssertionError("ISO 7064 MOD 11,10 always has exactly one check digit")


def test_legacy_registration_number_accepted_and_flagged() -> None:
    code = _legacy_with_check()
    assert parse_credit_code(code) == CreditCode(value=code, legacy=True)
    assert parse_credit_code(to_fullwidth(code[:5]) + " " + code[5:]).legacy is True


def test_legacy_registration_number_wrong_check_rejected() -> None:
    code = _legacy_with_check()
    bad = code[:14] + str((int(code[14]) + 1) % 10)
    with pytest.raises(CodeError) as exc:
        parse_credit_code(bad)
    assert f"工商注册号校验位错误：末位应为“{code[14]}”" == str(exc.value)


def test_fifteen_chars_with_letters_rejected() -> None:
    with pytest.raises(CodeError, match="18位"):
        parse_credit_code("91350100M000100")


@FAST
@given(st.text(DIGITS, min_size=15, max_size=15))
def test_legacy_acceptance_matches_reference(code: str) -> None:
    assert is_valid_credit_code(code) == ref_legacy_ok(code)


# --- ID card -----------------------------------------------------------------


def test_standard_id_example() -> None:
    assert ref_id_card_ok("11010519491231002X")
    assert id_card_check_char("11010519491231002") == "X"
    assert parse_id_card("11010519491231002X") == "11010519491231002X"
    assert parse_id_card(" 11010519491231002x ") == "11010519491231002X"
    assert parse_id_card("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        ("110105194912310021", "校验位错误：末位应为“X”"),
        ("11010519491231002", "应为18位（当前为17位）"),
        ("110105491231002", "15位的旧身份证号"),
        ("1101051949123100AX", "前17位应为数字"),
        ("11010519491231002Y", "末位应为数字或X"),
        ("110105194902290021", "“19490229”不是有效日期"),
        ("110105194900310021", "不是有效日期"),
    ],
)
def test_id_card_errors(raw: str, fragment: str) -> None:
    with pytest.raises(CodeError) as exc:
        parse_id_card(raw)
    assert fragment in str(exc.value)


def test_id_card_future_birth_date_rejected() -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    body = "110105" + tomorrow.strftime("%Y%m%d") + "002"
    with pytest.raises(CodeError, match="晚于今天"):
        parse_id_card(body + id_card_check_char(body))


def test_id_card_leap_day_accepted() -> None:
    body = "11010520000229123"
    assert parse_id_card(body + id_card_check_char(body)).startswith(body)


def test_id_card_check_char_rejects_bad_body() -> None:
    with pytest.raises(CodeError):
        id_card_check_char("1101051949123100")
    with pytest.raises(CodeError):
        id_card_check_char("1101051949123100²")


@FAST
@given(valid_ids)
def test_generated_ids_validate(code: str) -> None:
    assert ref_id_card_ok(code)
    assert parse_id_card(code.lower()) == code


@FAST
@given(id_bodies, st.integers(0, 16), st.integers(1, 9))
def test_id_single_digit_change_changes_check_char(body: str, pos: int, shift: int) -> None:
    changed = body[:pos] + str((int(body[pos]) + shift) % 10) + body[pos + 1 :]
    assert id_card_check_char(changed) != id_card_check_char(body)


@FAST
@given(st.text(max_size=25))
def test_id_arbitrary_text_only_ever_raises_code_error(raw: str) -> None:
    try:
        parse_id_card(raw)
    except CodeError:
        pass


# --- phones ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("＋８６ １３８００１３８０００", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("86 13800138000", "13800138000"),
        ("(+86)19912345678", "19912345678"),
        ("(0571)8888 6666", "0571-88886666"),
        ("（０５７１）８８８８６６６６", "0571-88886666"),
        ("0571-8888-6666", "0571-88886666"),
        ("0571—88886666", "0571-88886666"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("021 6666 7777", "021-66667777"),
        ("0755-1234567", "0755-1234567"),
        ("0571-88886666转123", "0571-88886666-123"),
        ("0571-88886666 转 123", "0571-88886666-123"),
        ("0571-88886666-123", "0571-88886666-123"),
        ("010-12345678-8", "010-12345678-8"),
        ("88886666", "88886666"),
        ("8888666", "8888666"),
        ("400-800-1234", "400-800-1234"),
        ("4008001234", "400-800-1234"),
        ("800 123 4567", "800-123-4567"),
        ("80012345", "80012345"),
    ],
)
def test_phone_forms_normalise(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "号码为空"),
        ("\u3000", "号码为空"),
        ("abc", "非法字符“a”"),
        ("138001380OO", "非法字符“O”"),
        ("1380013800", "手机号应为11位"),
        ("138001380001", "手机号应为11位"),
        ("12345678901", "手机号第2位应为3–9"),
        ("+1 415 555 0000", "仅支持中国大陆号码"),
        ("001 415 555 0000", "仅支持中国大陆号码"),
        ("+86 10 12345678", "86后应为11位手机号"),
        ("+86 12345678901", "86后应为11位手机号"),
        ("138+00138000", "“+”只能出现在最前面"),
        ("013800138000", "手机号前不应加0"),
        ("0101234", "区号后的号码应为7–8位"),
        ("0571-888866661", "区号后的号码应为7–8位"),
        ("0161-8888666", "区号“016”不正确"),
        ("0151-88886666", "手机号前不应加0"),
        ("400-800-123", "400/800号码应为10位"),
        ("123456", "手机号应为11位"),
        ("666666", "固定电话应为7–8位"),
        ("88886666转123", "分机号只能跟在带区号的固定电话后面"),
        ("0571-88886666转", "分机号应为1–6位数字"),
        ("0571-88886666转1234567", "分机号应为1–6位数字"),
        ("0571-88886666-1234567", "区号后的号码应为7–8位"),
    ],
)
def test_bad_phones_rejected_with_reason(raw: str, fragment: str) -> None:
    with pytest.raises(CodeError) as exc:
        normalize_phone(raw)
    message = str(exc.value)
    assert message.startswith("电话号码格式不正确：")
    assert fragment in message


@FAST
@given(
    st.sampled_from("3456789"),
    st.text(DIGITS, min_size=9, max_size=9),
    st.sampled_from(["", "+86", "+86 ", "0086", "86", "(+86) "]),
    st.sampled_from(["", " ", "-"]),
    st.booleans(),
)
def test_mobile_variants_canonicalise(
    second: str, rest: str, prefix: str, sep: str, fullwidth: bool
) -> None:
    mobile = "1" + second + rest
    typed = prefix + mobile[:3] + sep + mobile[3:7] + sep + mobile[7:]
    if fullwidth:
        typed = to_fullwidth(typed)
    assert normalize_phone(typed) == mobile


@FAST
@given(
    st.sampled_from(["010", "021", "029", "0571", "0755", "0931"]),
    st.sampled_from("2345678"),
    st.text(DIGITS, min_size=6, max_size=7),
    st.sampled_from(["{a}-{n}", "({a}){n}", "{a} {n}", "{a}{n}", "（{a}）{n}"]),
)
def test_landline_variants_canonicalise(area: str, first: str, rest: str, form: str) -> None:
    local = first + rest
    assert normalize_phone(form.format(a=area, n=local)) == f"{area}-{local}"


@FAST
@given(st.text(max_size=25))
def test_phone_arbitrary_text_only_ever_raises_code_error(raw: str) -> None:
    try:
        result = normalize_phone(raw)
    except CodeError as exc:
        assert str(exc).startswith("电话号码格式不正确：")
    else:
        assert set(result) <= set(DIGITS + "-")
