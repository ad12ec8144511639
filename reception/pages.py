"""Content as pages: the same page body for the kiosk's screen and for the phone pages behind the QR codes.

A page is a title, an HTML body (plain tags that Qt's rich text and every phone browser read alike, no
links inside the text) and its links — the articles, cases and next steps to touch — which the kiosk
shows as large buttons and `reception publish` as large link blocks. Paths are the site paths of
reception.content (guide_path, case_path, article_path, result_path), so a QR code, a phone link and a
kiosk button name a page the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from reception.cases import TEACHING_LABEL, TeachingCase
from reception.content import NOTICE_PATH, ContentService, article_path, case_path, guide_path
from reception.guided import GuidedResult
from reception.lawlib.library import ArticleView
from reception.remedies import Citation, RemedyLine

PLAIN_NOTE = "以下是通俗说明，不是法律条文原文；每句后面括号里是它依据的法条，点下面的按钮可以看原文。"
LAW_SOURCE_NOTE = "条文以国家法律法规数据库公布的文本为准。"


@dataclass(frozen=True)
class Link:
    label: str
    path: str
    group: str  # 相关法条 · 相关案例 · 相关指南 · 下一步


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    body: str
    links: tuple[Link, ...] = ()
    topic: str = ""


def _p(text: str, cls: str = "") -> str:
    return f'<p class="{cls}">{escape(text)}</p>' if cls else f"<p>{escape(text)}</p>"


def _cited(line: RemedyLine | tuple[str, str]) -> str:
    text, cited = (line.text, line.cited) if isinstance(line, RemedyLine) else line
    tail = f'<span class="cite">（{escape(cited)}）</span>' if cited else ""
    return f"<li>{escape(text)}{tail}</li>"


def _list(lines: list[RemedyLine] | list[tuple[str, str]] | tuple) -> str:
    return "<ul>" + "".join(_cited(line) for line in lines) + "</ul>" if lines else ""


def _h(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def article_link(article: ArticleView) -> Link:
    return Link(
        f"《{article.short_title}》{article.label}",
        article_path(article.short_title, article.number, article.suffix),
        "相关法条",
    )


def case_link(case: TeachingCase) -> Link:
    return Link(case.title, case_path(case.id), "相关案例")


class PageBuilder:
    """Builds pages; a page that does not depend on the visitor's answers is kept for `ttl` seconds, so
    a kiosk shows it again at once and still picks up, within minutes, a law status an office changed."""

    def __init__(self, content: ContentService, ttl: float = 300.0):
        self.content = content
        self._ttl = ttl
        self._kept: dict[tuple, tuple[float, Page]] = {}

    def cached(self, key: tuple, build: Callable[[], Page]) -> Page:
        now = time.monotonic()
        kept = self._kept.get(key)
        if kept is not None and now - kept[0] < self._ttl:
            return kept[1]
        page = build()
        self._kept[key] = (now, page)
        return page

    def _article_links(self, citations: list[Citation] | tuple[Citation, ...]) -> tuple[list[Link], str]:
        articles, notices = self.content.articles_for(list(citations))
        return [article_link(a) for a in articles], "".join(_p(n, "warn") for n in notices)

    # ---- pages ----

    def guide(self, topic: str) -> Page:
        guide = self.content.guide(topic)
        if guide is None:
            raise KeyError(topic)
        body = [_p(guide.summary, "lead"), _p(PLAIN_NOTE, "note")]
        if guide.short:
            body.append('<p class="points">' + "　·　".join(escape(s) for s in guide.short) + "</p>")
        for _key, heading, items in guide.sections:
            if items:
                body.append(_h(heading) + "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
        if guide.myths:
            body.append(
                _h("常见误区")
                + "<ul>"
                + "".join(f"<li>误区：{escape(m.myth)}<br>正解：{escape(m.truth)}</li>" for m in guide.myths)
                + "</ul>"
            )
        if guide.articles:
            body.append(_h("相关法条（通俗解释）"))
            points = []
            for a in guide.articles:
                article = self.content.article(a.law, a.number, a.suffix)
                if article is not None and a.point:
                    points.append(f"<li><b>《{escape(a.law)}》{escape(article.label)}</b>：{escape(a.point)}</li>")
            body.append("<ul>" + "".join(points) + "</ul>")
        links, warnings = self._article_links([Citation(a.law, a.number) for a in guide.articles])
        body.append(warnings)
        cases = [case_link(c) for c in self.content.cases.for_topic(topic)]
        return Page(guide_path(topic), guide.title, "".join(body), tuple(links + cases), topic)

    def case(self, case_id: str) -> Page:
        case = self.content.cases.get(case_id)
        if case is None:
            raise KeyError(case_id)
        body = [
            _p(TEACHING_LABEL, "note"),
            _h("事情经过"),
            _p(case.facts),
            _h("法律怎么说（通俗说明）"),
            f'<p>{escape(case.law_says)}<span class="cite">（{escape(case.cited)}）</span></p>',
            _h("怎么解决的"),
            _p(case.settled),
            _h("提示"),
            _p(case.takeaway, "lead"),
        ]
        links, warnings = self._article_links(case.articles)
        body.append(warnings)
        guide = Link("看“" + case.topic + "”普法指南", guide_path(case.topic), "相关指南")
        return Page(case_path(case.id), case.title, "".join(body), (*links, guide), case.topic)

    def cases_index(self, topic: str = "") -> Page:
        cases = self.content.cases.for_topic(topic) if topic else self.content.cases.all()
        body = _p(TEACHING_LABEL, "note")
        title = f"以案释法：{topic}" if topic else "以案释法"
        return Page(
            "cases" + (f"/{guide_path(topic)}" if topic else ""), title, body, tuple(case_link(c) for c in cases), topic
        )

    def article(self, law: str, number: int, suffix: int = 0) -> Page:
        article = self.content.article(law, number, suffix)
        path = article_path(law, number, suffix)
        if article is None:
            notice = self.content.laws.not_in_force_notice(law) or f"本系统没有收录《{law}》这一条的现行文本。"
            return Page(path, f"《{law}》", _p(notice, "warn"))
        effective = (
            f"{article.effective.year}年{article.effective.month}月{article.effective.day}日起施行"
            if article.effective
            else ""
        )
        body = [
            f'<p class="law-title">《{escape(article.title)}》</p>',
            f'<p class="note">{escape(article.version_label)}　{escape(effective)}</p>',
            f"<h2>{escape(article.label)}</h2>",
            *(f'<p class="law">{escape(paragraph)}</p>' for paragraph in article.text.split("\n")),
            _p(LAW_SOURCE_NOTE, "note"),
        ]
        return Page(path, f"《{article.short_title}》{article.label}", "".join(body))

    def result(self, result: GuidedResult) -> Page:
        body = [*(_p(line, "note") for line in result.summary)]
        first_dated = next((line for line in result.steps if line.deadline is not None), None)
        if first_dated is not None:
            # The date that matters most goes first, in large type: the rest of the page explains it.
            body.append(f'<p class="lead">最要紧的日期：{escape(first_dated.text)}</p>')
        body += [
            _h("该走什么途径"),
            _list([result.intro]),
            _h("到哪里办"),
            _p(result.case.where),
        ]
        if result.steps:
            body += [_h("时限和步骤"), _list(list(result.steps))]
            if result.dated:
                body.append(
                    _p(
                        "日期按您选择的日期起算，已避开法定节假日；如果实际知道或收到文书的日期更早，期限从更早的那一天算起。",
                        "note",
                    )
                )
            if result.estimated:
                body.append(_p("个别日期所在年份尚无公布的放假安排，按周末休息估算。", "note"))
        if result.materials:
            body += [_h("要带的材料"), "<ul>" + "".join(f"<li>{escape(m)}</li>" for m in result.materials) + "</ul>"]
        body += [
            _h("法律援助（免费律师）"),
            _list(list(result.legal_aid.lines)),
            _p(result.legal_aid.threshold, "note"),
        ]
        links, warnings = self._article_links(result.citations)
        body.append(warnings)
        cases = [case_link(c) for c in result.cases]
        guide = Link("看“" + result.answers.topic + "”普法指南", guide_path(result.answers.topic), "相关指南")
        return Page(
            result.path,
            f"{result.case.label}：怎么依法解决",
            "".join(body),
            (*links, *cases, guide),
            result.answers.topic,
        )

    def notice(self) -> Page:
        title, intro, sections = self.content.petition_notice
        body = [_p(intro, "lead"), _p("以下是通俗说明，每句后面括号里是它依据的法条。", "note")]
        citations: list[Citation] = []
        for section in sections:
            body += [_h(section.heading), _list(list(section.lines))]
            citations += [c for line in section.lines for c in line.citations]
        links, warnings = self._article_links(citations)
        body.append(warnings)
        return Page(NOTICE_PATH, title, "".join(body), tuple(links))

    def office(self) -> Page:
        office = self.content.office()
        rows = [
            ("接待地址", office.address),
            ("接待时间", office.hours),
            ("联系电话", office.phone),
            ("网上信访", office.petition_url),
            ("法律服务热线", "12348（公共法律服务）"),
        ]
        body = "".join(f"<h2>{escape(k)}</h2>{_p(v or '（本单位尚未设置）')}" for k, v in rows)
        return Page("office", office.name or "本单位信息", body)
