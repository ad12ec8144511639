"""ID numbers (GB 11643), phone numbers and text checks."""

from __future__ import annotations

import datetime as dt

import pytest

from reception.validation import (
    check_text,
    id_check_digit,
    mask_id_number,
    normalize_id_number,
    normalize_phone,
)
from tests.conftest import valid_id


def test_known_check_digits():
    # Published example numbers from GB 11643 explanations.
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("44052418800101001") == "4"


def test_valid_18_digit_number_gives_birth_and_gender():
    parsed = normalize_id_number("11010519491231002x")
    assert parsed.value == "11010519491231002X"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.gender == "女"


def test_15_digit_number_is_converted():
    parsed = normalize_id_number("110105491231002")
    assert parsed.value == "11010519491231002X"


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("11010519491231002Y", "最后一位"),
        ("110105194912310021", "校验位"),
        ("11010519490230002X"[:17] + id_check_digit("11010519490230002"), "出生日期不存在"),
        ("1101051949", "18位"),
        (valid_id(birth="21000101"), "不合理"),
    ],
)
def test_invalid_numbers_are_explained(raw, fragment):
    with pytest.raises(ValueError) as info:
        normalize_id_number(raw, today=dt.date(2026, 11, 22))
    assert fragment in str(info.value)


def test_masking_keeps_region_and_last_four():
    assert mask_id_number("320102198001011234") == "320102********1234"
    assert mask_id_number("") == ""


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("138 0013 8000", "13800138000"),
        ("+86 13800138000", "13800138000"),
        ("010-62345678", "010-62345678"),
        ("0755-8765432", "0755-8765432"),
        ("02062345678-123", "02062345678-123"),
    ],
)
def test_valid_phones(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "1380013800", "23800138000", "abc", "010-1234"])
def test_invalid_phones(raw):
    with pytest.raises(ValueError):
        normalize_phone(raw)


def test_check_text_rules():
    assert check_text("", "姓名", max_len=5, required=True) == "请填写姓名"
    assert "最多5个字" in check_text("一二三四五六", "姓名", max_len=5)
    assert "控制字符" in check_text("张\x07三", "姓名", max_len=50)
    assert check_text("第一行\n第二行😀", "诉求", max_len=50, multiline=True) is None


def test_every_kind_of_matter_event_has_a_chinese_label():
    """The history table shows these words; a kind written by any service must not appear in English."""
    import re
    from pathlib import Path

    from reception.visits import EVENT_LABELS

    source = "".join(p.read_text(encoding="utf-8") for p in Path("reception").rglob("*.py"))
    kinds = set(re.findall(r'MatterEvent\([^)]*?kind="([a-z_]+)"', source, re.S))
    kinds |= set(re.findall(r'\bkind="([a-z_]+)",\s*\n\s*actor=', source))
    assert kinds and kinds <= set(EVENT_LABELS), kinds - set(EVENT_LABELS)
