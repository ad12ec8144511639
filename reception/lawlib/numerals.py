"""Chinese numerals as used in article and chapter numbers (第一千二百六十条), both ways."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_DIGIT_CHARS = "零一二三四五六七八九"


def parse_chinese_number(text: str) -> int:
    """Parse 一 … 九千九百九十九 (also Arabic digits). Raises ValueError on anything else."""
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[ch] != 0:
                raise ValueError(f"two digits in a row in {text!r}")
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"units out of order in {text!r}")
            total += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    if digit:
        total += digit
    if total == 0:
        raise ValueError(f"zero is not an article number: {text!r}")
    return total


def to_chinese_number(value: int) -> str:
    """Format 1..9999 the way statutes write them: 十, 十一, 二十, 一百零五, 一千二百六十."""
    if not 0 < value < 10_000:
        raise ValueError(f"out of range: {value}")
    if 10 <= value < 20:
        return "十" + (_DIGIT_CHARS[value - 10] if value > 10 else "")
    parts: list[str] = []
    pending_zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // unit_value % 10
        if digit == 0:
            if parts:
                pending_zero = True
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(_DIGIT_CHARS[digit] + unit)
    return "".join(parts)


def article_label(number: int, suffix: int = 0) -> str:
    """第二十七条, or 第二十七条之一 for an inserted article."""
    base = f"第{to_chinese_number(number)}条"
    return base + (f"之{to_chinese_number(suffix)}" if suffix else "")
