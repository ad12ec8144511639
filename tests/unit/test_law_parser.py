"""Parsing official law texts: numerals, headings, 之一 articles, numbering problems, encodings, .docx."""

from __future__ import annotations

import io
import zipfile

import pytest

from reception.lawlib.numerals import article_label, parse_chinese_number, to_chinese_number
from reception.lawlib.parser import LawFileError, decode_law_bytes, parse_law_text


@pytest.mark.parametrize(
    "text, value",
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一千二百六十", 1260),
        ("一千零一", 1001),
        ("两千", 2000),
        ("27", 27),
    ],
)
def test_chinese_numerals(text, value):
    assert parse_chinese_number(text) == value


def test_numerals_round_trip():
    for value in range(1, 3000):
        assert parse_chinese_number(to_chinese_number(value)) == value
    assert article_label(27, 1) == "第二十七条之一"


SAMPLE = """中华人民共和国示例法

（2020年1月1日第十三届全国人民代表大会常务委员会第十五次会议通过）

目　　录
第一章　总　　则
第二章　附　　则

第一章　总　　则

第一条　为了测试，制定本法。
第二条　第一款内容。
第二十条规定的情形除外。这一行是第二条的第二款，不是新条文。
第二条之一　插入的条文。
第二章　附　　则
第三条　本法自2021年1月1日起施行。
"""


def test_parse_official_layout():
    law = parse_law_text(SAMPLE)
    assert law.problems == []
    assert law.title == "中华人民共和国示例法"
    assert [a.label for a in law.articles] == ["第一条", "第二条", "第二条之一", "第三条"]
    assert law.articles[1].text == "第一款内容。\n第二十条规定的情形除外。这一行是第二条的第二款，不是新条文。"
    assert law.articles[0].heading == "第一章 总则"
    assert law.articles[3].heading == "第二章 附则"
    assert law.articles[0].line == 11


def test_gap_and_duplicate_are_reported_with_lines():
    text = "示例条例\n第一条　甲。\n第三条　丙。\n第三条　丙又一次。\n"
    problems = [str(p) for p in parse_law_text(text).problems]
    assert "第3行：条文编号不连续：第一条之后应为第二条，实为第三条" in problems
    assert "第4行：第三条重复（第3行已有第三条）" in problems


def test_empty_and_garbage_files_are_refused():
    with pytest.raises(LawFileError, match="空"):
        decode_law_bytes(b"  \n ")
    with pytest.raises(LawFileError, match="编码"):
        decode_law_bytes("Gesetz über Beispiele ÄÖÜ".encode("latin-1") * 20)
    assert "第一条" in decode_law_bytes("示例法\n第一条　内容。".encode("gb18030") * 5)


def _docx(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def test_docx_is_read_paragraph_by_paragraph():
    text = decode_law_bytes(_docx(["示例法", "第一条　甲。", "第二条　乙。"]), "x.docx")
    law = parse_law_text(text)
    assert [a.text for a in law.articles] == ["甲。", "乙。"]


def test_docx_that_is_not_a_law_has_no_articles():
    text = decode_law_bytes(_docx(["会议纪要", "今天讨论了三件事情，大家都发了言。"] * 3), "minutes.docx")
    assert "没有找到任何条文" in str(parse_law_text(text).problems[0])
    with pytest.raises(LawFileError, match="Word"):
        decode_law_bytes(b"PK\x03\x04 not really a zip", "broken.docx")
