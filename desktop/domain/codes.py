"""Validate and normalise the identifiers clerks type in: credit codes, registration numbers, ID cards, phones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = [
    "CodeError",
    "CreditCode",
    "credit_code_check_char",
    "id_card_check_char",
    "is_valid_credit_code",
    "normalize_phone",
    "normalize_text",
    "parse_credit_code",
    "parse_id_card",
]


class CodeError(ValueError):
    """Raised with a plain-Chinese sentence a clerk can act on."""


@dataclass(frozen=True)
class CreditCode:
    value: str
    legacy: bool


# str.isdigit() and re's \d also accept "²", "٣" and friends, which would then
# crash int() or slip into stored codes; only ASCII digits are ever valid here.
_DIGITS = frozenset("0123456789")

# Clerks paste from Word/WeChat/IMEs, where "-" often arrives as one of these.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

_FULLWIDTH_TABLE: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20

# ASCII-only on purpose: str.upper() turns "ß" into "SS" and "ı" into "I",
# which would make the error message name a letter the clerk never typed.
_ASCII_UPPER: dict[int, int] = {cp: cp - 32 for cp in range(ord("a"), ord("z") + 1)}

_STRIP_SEPARATORS: dict[int, None] = {ord(c): None for c in " \t\r\n" + _DASHES}


def normalize_text(s: str) -> str:
    """Fold full-width ASCII and the ideographic space to half-width, then strip."""
    return s.translate(_FULLWIDTH_TABLE).strip()


# Full-width letters and digits only: Chinese prose keeps its ，。（）.
_FULLWIDTH_ALNUM = {
    cp: cp - 0xFEE0
    for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}


def clean_prose(s: str) -> str:
    """Free text as a clerk typed it: full-width letters and digits folded, ends trimmed.

    Full-width punctuation is the right punctuation in Chinese text and stays.
    """
    return s.translate(_FULLWIDTH_ALNUM).strip().strip("\u3000").strip()


def _normalize_code(raw: str) -> str:
    return normalize_text(raw).translate(_STRIP_SEPARATORS).translate(_ASCII_UPPER)


# ---------------------------------------------------------------------------
# Unified social credit code (GB 32100-2015)
# ---------------------------------------------------------------------------

_CC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_VALUE = {c: i for i, c in enumerate(_CC_ALPHABET)}
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CC_FORBIDDEN = frozenset("IOZSV")

# Registration-authority codes listed in GB 32100-2015 table 1. Wider than the
# common 1/5/9/Y so that law firms (3x), trade unions (8x) etc. are not refused.
_CC_AUTHORITIES = frozenset("123456789ANY")


def credit_code_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 (upper-case) characters."""
    if len(first17) != 17:
        raise CodeError(f"统一社会信用代码本体应为17位，当前为{len(first17)}位")
    total = 0
    for ch, weight in zip(first17, _CC_WEIGHTS, strict=True):
        value = _CC_VALUE.get(ch)
        if value is None:
            raise CodeError(f"统一社会信用代码含有非法字符“{ch}”")
        total += value * weight
    check = 31 - total % 31
    return _CC_ALPHABET[0 if check == 31 else check]


def _legacy_check_digit(first14: str) -> str:
    # ISO 7064 MOD 11,10, as used by the pre-2015 工商注册号.
    p = 10
    for ch in first14:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return str((11 - p) % 10)


def _parse_legacy(code: str) -> CreditCode:
    if not set(code) <= _DIGITS:
        raise CodeError(
            "统一社会信用代码应为18位（当前为15位；若是旧的15位工商注册号，应全部为数字）"
        )
    expected = _legacy_check_digit(code[:14])
    if code[14] != expected:
        raise CodeError(f"工商注册号校验位错误：末位应为“{expected}”")
    return CreditCode(value=code, legacy=True)


def parse_credit_code(raw: str) -> CreditCode:
    """Parse an 18-char credit code, or a 15-digit legacy registration number (flagged)."""
    code = _normalize_code(raw)
    if not code:
        raise CodeError("统一社会信用代码不能为空")
    if len(code) == 15:
        return _parse_legacy(code)
    if len(code) != 18:
        raise CodeError(f"统一社会信用代码应为18位（当前为{len(code)}位）")

    for pos, ch in enumerate(code, start=1):
        if ch in _CC_FORBIDDEN:
            raise CodeError(f"统一社会信用代码含有非法字符“{ch}”（第{pos}位；不使用I、O、Z、S、V）")
        if ch not in _CC_VALUE:
            raise CodeError(f"统一社会信用代码含有非法字符“{ch}”（第{pos}位）")

    if code[0] not in _CC_AUTHORITIES:
        raise CodeError(f"统一社会信用代码第1位（登记管理部门代码）不应为“{code[0]}”")
    if not set(code[2:8]) <= _DIGITS:
        raise CodeError("统一社会信用代码第3至8位（行政区划代码）应全部为数字")

    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(f"统一社会信用代码校验位错误：末位应为“{expected}”")
    return CreditCode(value=code, legacy=False)


def is_valid_credit_code(raw: str) -> bool:
    try:
        parse_credit_code(raw)
    except CodeError:
        return False
    return True


# ---------------------------------------------------------------------------
# Resident ID card (GB 11643-1999)
# ---------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_MAP = "10X98765432"


def id_card_check_char(first17: str) -> str:
    """Return the MOD 11-2 check character ('X' standing for 10) for 17 digits."""
    if len(first17) != 17 or not set(first17) <= _DIGITS:
        raise CodeError("身份证号前17位应为数字")
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_MAP[total % 11]


def parse_id_card(raw: str) -> str:
    """Validate an 18-digit ID number and return it with an upper-case X."""
    code = _normalize_code(raw)
    if not code:
        raise CodeError("身份证号不能为空")
    if len(code) == 15 and set(code) <= _DIGITS:
        raise CodeError("身份证号应为18位（15位的旧身份证号请改填18位新号码）")
    if len(code) != 18:
        raise CodeError(f"身份证号应为18位（当前为{len(code)}位）")
    if not set(code[:17]) <= _DIGITS:
        raise CodeError("身份证号前17位应为数字")
    if code[17] not in _DIGITS and code[17] != "X":
        raise CodeError("身份证号末位应为数字或X")

    birth = code[6:14]
    try:
        born = dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        raise CodeError(f"身份证号中的出生日期“{birth}”不是有效日期") from None
    if born > dt.date.today():
        raise CodeError(f"身份证号中的出生日期“{birth}”晚于今天")

    expected = id_card_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(f"身份证号校验位错误：末位应为“{expected}”")
    return code


# ---------------------------------------------------------------------------
# Phone numbers (mainland China)
# ---------------------------------------------------------------------------

_PHONE_PREFIX = "电话号码格式不正确："
_PHONE_ALLOWED = _DIGITS | frozenset(" \t()+") | frozenset(_DASHES)
_MAX_EXTENSION = 6


def _phone_error(detail: str) -> CodeError:
    return CodeError(_PHONE_PREFIX + detail)


def _is_mobile(digits: str) -> bool:
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def _area_code_length(digits: str) -> int:
    # 010 and 02x are the only 3-digit area codes; 011-019 and 00x do not exist.
    if digits.startswith(("010", "02")):
        return 3
    if len(digits) > 1 and digits[1] in "3456789":
        return 4
    return 0


def _classify_landline(digits: str) -> str:
    if digits.startswith("00"):
        raise _phone_error("仅支持中国大陆号码")
    if _is_mobile(digits[1:]):
        # Out-of-town callers are taught to dial 0 before a mobile, so it shows up in records.
        raise _phone_error("手机号前不应加0")
    area_len = _area_code_length(digits)
    if not area_len:
        raise _phone_error(f"区号“{digits[:3]}”不正确")
    local = digits[area_len:]
    if not 7 <= len(local) <= 8:
        raise _phone_error(f"区号后的号码应为7–8位（当前为{len(local)}位）")
    return f"{digits[:area_len]}-{local}"


def _classify(digits: str, has_plus: bool) -> str:
    if not digits:
        raise _phone_error("没有数字")
    if has_plus and not digits.startswith("86"):
        raise _phone_error("仅支持中国大陆号码（+86）")
    if has_plus or digits.startswith("0086"):
        rest = digits[2:] if has_plus else digits[4:]
        if not _is_mobile(rest):
            raise _phone_error("国家代码86后应为11位手机号")
        return rest
    if len(digits) == 13 and digits.startswith("86") and _is_mobile(digits[2:]):
        return digits[2:]
    if digits[0] == "1":
        if len(digits) != 11:
            raise _phone_error(f"手机号应为11位（当前为{len(digits)}位）")
        if digits[1] not in "3456789":
            raise _phone_error("手机号第2位应为3–9")
        return digits
    if digits[0] == "0":
        return _classify_landline(digits)
    if digits.startswith(("400", "800")) and len(digits) not in (7, 8):
        if len(digits) != 10:
            raise _phone_error(f"400/800号码应为10位（当前为{len(digits)}位）")
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if 7 <= len(digits) <= 8:
        return digits
    raise _phone_error(f"固定电话应为7–8位，或带区号（当前为{len(digits)}位）")


def _extension_digits(text: str) -> str:
    ext = text.translate(_STRIP_SEPARATORS)
    if not ext or not set(ext) <= _DIGITS or len(ext) > _MAX_EXTENSION:
        raise _phone_error(f"分机号应为1–{_MAX_EXTENSION}位数字")
    return ext


def _only_digits(text: str) -> str:
    return "".join(ch for ch in text if ch in _DIGITS)


def normalize_phone(raw: str) -> str:
    """Return a mobile as 11 digits, a landline as "区号-号码[-分机]", a 400/800 as "400-xxx-xxxx"."""
    text = normalize_text(raw)
    if not text:
        raise _phone_error("号码为空")

    head, sep, tail = text.partition("转")
    extension = _extension_digits(tail) if sep else None

    for ch in head:
        if ch not in _PHONE_ALLOWED:
            raise _phone_error(f"含有非法字符“{ch}”")
    has_plus = "+" in head
    # "(+86)" is a common way to write it, so brackets before the "+" are fine.
    if has_plus and (not head.lstrip(" \t(").startswith("+") or head.count("+") > 1):
        raise _phone_error("“+”只能出现在最前面")

    digits = _only_digits(head)
    if extension is not None:
        number = _classify(digits, has_plus)
        if not number.startswith("0"):
            raise _phone_error("分机号只能跟在带区号的固定电话后面")
        return f"{number}-{extension}"

    try:
        return _classify(digits, has_plus)
    except CodeError as whole_error:
        # "-123" after a complete landline is an extension, but a dash can also
        # just group digits ("0571-8888-6666"), so only fall back to reading the
        # last group as an extension when the whole string is not a valid number.
        dashed = head.rstrip()
        cut = max(dashed.rfind(d) for d in _DASHES)
        if has_plus or cut <= 0:
            raise
        last_group = dashed[cut + 1 :].strip()
        if not last_group or not set(last_group) <= _DIGITS or len(last_group) > _MAX_EXTENSION:
            raise
        try:
            number = _classify(_only_digits(dashed[:cut]), has_plus=False)
        except CodeError:
            raise whole_error from None
        if not number.startswith("0"):
            raise whole_error from None
        return f"{number}-{last_group}"
