"""Parse a law as officially published (plain text, Markdown or .docx) into headings and articles.

The parser never guesses wording: it only splits lines. Numbering problems are collected with line
numbers so the importer can refuse the whole file with a precise Chinese message.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from reception.lawlib.numerals import article_label, parse_chinese_number

_NUM = r"[零〇一二两三四五六七八九十百千\d]+"
# An article line: 第X条 (optionally 之一) followed by white space or the end of the line. Requiring the
# space keeps cross-references such as "第二十条规定的……" at the start of a paragraph from being
# mistaken for a new article.
ARTICLE_RE = re.compile(rf"^第({_NUM})条(?:之({_NUM}))?(?:[\s\u3000\u2002\u2003]+(.*)|$)")
HEADING_RE = re.compile(rf"^第({_NUM})(编|分编|章|节)(?:[\s\u3000\u2002\u2003]*(.*))$")
_LEVELS = {"编": 0, "分编": 1, "章": 2, "节": 3}
_SPACES_RE = re.compile(r"[\s\u3000\u2002\u2003]+")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}" if self.line else self.message


@dataclass
class ParsedArticle:
    number: int
    suffix: int  # 0, or N for 第X条之N
    paragraphs: list[str]
    line: int
    heading: str  # e.g. "第二章 自然人 / 第一节 民事权利能力和民事行为能力"

    @property
    def label(self) -> str:
        return article_label(self.number, self.suffix)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class ParsedLaw:
    title: str = ""
    preamble: list[str] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class LawFileError(Exception):
    """A file that cannot be read as a law; `problems` says why, with line numbers where known."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def normalize_heading(text: str) -> str:
    """Collapse the spacing publishers put inside headings (总　　则 -> 总则)."""
    match = HEADING_RE.match(text)
    if not match:
        return _SPACES_RE.sub(" ", text).strip()
    name = _SPACES_RE.sub("", match.group(3) or "")
    return f"第{match.group(1)}{match.group(2)} {name}".strip()


def decode_law_bytes(data: bytes, filename: str = "") -> str:
    """Turn file content into text: .docx, UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if not data.strip():
        raise LawFileError([Problem(0, "文件是空的，没有任何内容")])
    if data[:2] == b"PK" or filename.lower().endswith(".docx"):
        return _docx_text(data)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_chinese(text):
            return text
    raise LawFileError([Problem(0, "无法识别文件编码：请另存为 UTF-8 或 GBK 编码的文本文件，或直接导入 .docx")])


def _looks_chinese(text: str) -> bool:
    sample = text[:4000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    odd = sum(1 for ch in sample if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    return cjk >= 10 and odd <= cjk // 50


def _docx_text(data: bytes) -> str:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise LawFileError([Problem(0, "这不是有效的 Word（.docx）文件，无法读取")]) from None
    root = ElementTree.fromstring(xml)
    lines = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag == f"{_W}br":
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines)


def parse_law_text(text: str, *, require_contiguous: bool = True) -> ParsedLaw:
    """Split text into title, preamble lines, headings and articles; collect numbering problems."""
    law = ParsedLaw()
    headings: list[str | None] = [None, None, None, None]
    current: ParsedArticle | None = None
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().strip("\ufeff\u200b")
        is_markdown_heading = line.startswith("#")
        if is_markdown_heading:
            line = line.lstrip("#").strip()
        if not line:
            continue
        if not law.title and not law.articles:
            law.title = _SPACES_RE.sub("", line)
            continue
        if line in ("目录", "目 录", "目　录"):
            continue
        heading = HEADING_RE.match(line)
        article = ARTICLE_RE.match(line)
        if heading and not article:
            level = _LEVELS[heading.group(2)]
            headings[level] = normalize_heading(line)
            for lower in range(level + 1, len(headings)):
                headings[lower] = None
            current = None
            continue
        if is_markdown_heading and not article:
            # A part heading without a number, e.g. "# 物权编" in Markdown editions of the Civil Code.
            headings[0] = _SPACES_RE.sub("", line)
            for lower in range(1, len(headings)):
                headings[lower] = None
            current = None
            continue
        if article:
            try:
                number = parse_chinese_number(article.group(1))
                suffix = parse_chinese_number(article.group(2)) if article.group(2) else 0
            except ValueError:
                law.problems.append(Problem(line_no, f"无法识别的条文编号“{line[:12]}”"))
                continue
            first = (article.group(3) or "").strip()
            current = ParsedArticle(
                number=number,
                suffix=suffix,
                paragraphs=[first] if first else [],
                line=line_no,
                heading=" / ".join(h for h in headings if h),
            )
            law.articles.append(current)
            continue
        if current is not None:
            current.paragraphs.append(line)
        elif not law.articles:
            law.preamble.append(line)
    law.problems.extend(check_numbering(law.articles, require_contiguous=require_contiguous))
    return law


def check_numbering(articles: list[ParsedArticle], *, require_contiguous: bool) -> list[Problem]:
    problems: list[Problem] = []
    if not articles:
        return [Problem(0, "没有找到任何条文：法律文本的条文应以“第X条”开头")]
    seen: dict[tuple[int, int], int] = {}
    previous: ParsedArticle | None = None
    for article in articles:
        key = (article.number, article.suffix)
        if key in seen:
            problems.append(Problem(article.line, f"{article.label}重复（第{seen[key]}行已有{article.label}）"))
            continue
        seen[key] = article.line
        if not article.paragraphs:
            problems.append(Problem(article.line, f"{article.label}没有条文内容"))
        if article.suffix:
            if previous is None or previous.number != article.number:
                problems.append(Problem(article.line, f"{article.label}应紧跟在{article_label(article.number)}之后"))
        elif previous is not None:
            expected = previous.number + 1
            if require_contiguous and article.number != expected:
                problems.append(
                    Problem(
                        article.line,
                        f"条文编号不连续：{previous.label}之后应为{article_label(expected)}，实为{article.label}",
                    )
                )
            elif article.number <= previous.number:
                problems.append(Problem(article.line, f"条文顺序错误：{article.label}出现在{previous.label}之后"))
        elif require_contiguous and article.number != 1:
            problems.append(Problem(article.line, f"第一条缺失：文本从{article.label}开始"))
        previous = article
    return problems
