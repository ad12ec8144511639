"""Field checks for registration: ID numbers (GB 11643), phone numbers, lengths, control characters."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CODES = "10X98765432"

# Mainland mobile numbers: 11 digits starting 13-19. Landlines: area code 0xx/0xxx + 7-8 digit number,
# optional extension. Service numbers like 12345 are not a person's contact number and are rejected.
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?$")


def id_check_digit(first17: str) -> str:
    """Return the GB 11643-1999 check character for the first 17 digits."""
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CODES[total % 11]


@dataclass(frozen=True)
class IdNumber:
    """A validated resident ID number, always in its 18-digit form."""

    value: str
    birth_date: dt.date
    gender: str  # 男 / 女, from the sequence code's parity

    @property
    def masked(self) -> str:
        return mask_id_number(self.value)


def normalize_id_number(raw: str, today: dt.date | None = None) -> IdNumber:
    """Validate a 15- or 18-digit ID number and return its 18-digit form.

    Raises:
        ValueError: with a Chinese message saying what is wrong.
    """
    text = raw.strip().replace(" ", "").upper()
    today = today or dt.date.today()
    if len(text) == 15:
        if not text.isdigit():
            raise ValueError("15位身份证号只能由数字组成")
        # Old 15-digit numbers omit the century (always 19xx) and the check digit.
        body = text[:6] + "19" + text[6:]
        text = body + id_check_digit(body)
    elif len(text) == 18:
        if not (text[:17].isdigit() and (text[17].isdigit() or text[17] == "X")):
            raise ValueError("身份证号前17位应为数字，最后一位为数字或X")
    else:
        raise ValueError(f"身份证号应为18位（或旧式15位），当前为{len(text)}位")
    try:
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValueError("身份证号中的出生日期不存在，请核对第7至14位") from None
    if birth > today or birth.year < 1900:
        raise ValueError("身份证号中的出生日期不合理，请核对第7至14位")
    if id_check_digit(text[:17]) != text[17]:
        raise ValueError("身份证号校验位不正确，请逐位核对")
    gender = "男" if int(text[16]) % 2 == 1 else "女"
    return IdNumber(text, birth, gender)


def mask_id_number(value: str | None) -> str:
    """Show the region code and the last four characters only, e.g. 320102********1234."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def normalize_phone(raw: str) -> str:
    """Validate a mainland mobile or landline number and return it without spaces.

    Raises:
        ValueError: with a Chinese message.
    """
    text = re.sub(r"[\s（）()]", "", raw.strip()).replace("－", "-").replace("—", "-")
    if text.startswith("+86"):
        text = text[3:].lstrip("-")
    elif text.startswith("0086"):
        text = text[4:].lstrip("-")
    digits_only = text.replace("-", "")
    if text.isdigit() and text.startswith("1"):
        if _MOBILE_RE.match(text):
            return text
        raise ValueError("手机号应为以1开头的11位数字")
    if _LANDLINE_RE.match(text):
        return text
    if not digits_only.isdigit():
        raise ValueError("联系电话只能包含数字和连字符“-”")
    raise ValueError("联系电话格式不正确：手机号为11位，固定电话请加区号，如010-12345678")


def control_characters(text: str, allow_newlines: bool) -> list[str]:
    """Return the control characters in text (newline and tab allowed where asked)."""
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in allowed]


def check_text(
    value: str,
    label: str,
    *,
    max_len: int,
    required: bool = False,
    multiline: bool = False,
) -> str | None:
    """Return a Chinese error message for a free-text field, or None when it is fine.

    Emoji and any other printable Unicode are accepted and kept as typed; control characters are
    refused in single-line fields (names, units) where they can only be paste accidents.
    """
    stripped = value.strip()
    if required and not stripped:
        return f"请填写{label}"
    if len(value) > max_len:
        return f"{label}最多{max_len}个字，当前{len(value)}个字"
    if not multiline and control_characters(value, allow_newlines=False):
        return f"{label}含有不可见的控制字符，请删除后重新输入"
    if multiline and "\x00" in value:
        return f"{label}含有无法保存的空字符，请删除后重新输入"
    return None
