"""`reception publish --out DIR`: the phone pages behind every QR code, as a static website.

Every guide, teaching case, guided-question result (as rules: a phone page cannot know the date a person
chose at the kiosk) and every article any of them cites (with its version and effective date) becomes
DIR/<path>/index.html, where <path> is the same path the QR codes encode under the office's guide
address. IT copies DIR to that address. The pages need no script: plain HTML and one stylesheet, made
for a 360 px phone and for large text.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path

from reception.content import NOTICE_PATH, ContentService, article_path, guide_path
from reception.guided import Answers
from reception.guides import topic_slug
from reception.pages import Page, PageBuilder

STYLE = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;font-size:1.125rem;
line-height:1.75;color:#1a1a1a;background:#f3f6fa;overflow-wrap:anywhere;word-break:break-word}
header{background:#1f4e79;color:#fff;padding:.75rem 1rem}
header a{color:#fff}
.top{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
.top a{display:inline-block;min-height:48px;padding:.6rem .9rem;border:2px solid #fff;border-radius:10px;
text-decoration:none;font-size:1rem}
h1{font-size:1.5rem;line-height:1.4;margin:.75rem 0 0}
main{max-width:48rem;margin:0 auto;padding:1rem;background:#fff}
h2{font-size:1.3rem;color:#1f4e79;margin:1.5rem 0 .5rem}
ul{padding-left:1.25rem}li{margin:.4rem 0}
.lead{font-size:1.2rem;font-weight:bold}
.note,.cite{color:#4a5561;font-size:.95rem}
.warn{color:#a00000;font-weight:bold}
.law-title{font-weight:bold;font-size:1.2rem}
.law{font-size:1.2rem;line-height:1.9}
.points{background:#e6eef6;padding:.5rem .75rem;border-radius:8px}
.links h2{font-size:1.1rem}
.links a{display:block;min-height:48px;margin:.5rem 0;padding:.75rem 1rem;background:#e6eef6;border:2px solid #7d8fa3;
border-radius:12px;color:#1a1a1a;text-decoration:none}
footer{max-width:48rem;margin:0 auto;padding:1rem;font-size:.9rem;color:#4a5561}
#big:target{font-size:1.3rem}
"""


@dataclass(frozen=True)
class PublishReport:
    folder: Path
    pages: int
    base_url: str
    paths: tuple[str, ...]


def _href(from_path: str, to_path: str) -> str:
    depth = len([p for p in from_path.split("/") if p])
    target = f"{to_path}/index.html" if to_path else "index.html"
    return "../" * depth + target


def render_html(page: Page, office_name: str) -> str:
    path = page.path
    links = ""
    group = ""
    for link in page.links:
        if link.group != group:
            links += ("</div>" if group else "") + f'<div class="links"><h2>{escape(link.group)}</h2>'
            group = link.group
        links += f'<a href="{_href(path, link.path)}">{escape(link.label)}</a>'
    if group:
        links += "</div>"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(page.title)}</title>"
        f'<link rel="stylesheet" href="{"../" * len([p for p in path.split("/") if p])}style.css"></head>'
        '<body><div id="big"><header><div class="top">'
        f'<a href="{_href(path, "")}">首页</a><span>{escape(office_name)}</span>'
        '<span><a href="#big">大字</a> <a href="#">正常</a></span></div>'
        f"<h1>{escape(page.title)}</h1></header>"
        f"<main>{page.body}{links}</main>"
        "<footer>本页为通俗说明和法律条文原文，不含任何个人信息。条文以国家法律法规数据库公布的文本为准。</footer>"
        "</div></body></html>"
    )


def site_pages(content: ContentService) -> list[Page]:
    """Every page of the phone site; articles are added for every article any page links to."""
    builder = PageBuilder(content)
    found: list[Page] = [builder.guide(topic) for topic in content.guides.topics()]
    found += [builder.case(case.id) for case in content.cases.all()]
    found.append(builder.cases_index())
    found += [builder.cases_index(topic) for topic in content.guides.topics()]
    found.append(builder.notice())
    found.append(builder.office())
    calendar = content.deadlines.calendar()
    import datetime as dt

    for case, answers in content.advisor.reachable():
        result = content.advisor.result_for_case(
            case,
            Answers(topic=answers.topic),
            calendar=calendar,
            today=dt.date.today(),
            topic_slug=topic_slug(answers.topic),
            legal_aid_threshold=content.kiosk_settings().legal_aid_threshold,
        )
        found.append(builder.result(result))
    articles: dict[str, Page] = {}
    for page in list(found):
        for link in page.links:
            if link.path.startswith("law/") and link.path not in articles:
                law_slug, number = link.path.split("/")[1:3]
                law = content.law_for_slug(law_slug)
                num, _, suffix = number.partition("-")
                articles[link.path] = builder.article(law, int(num), int(suffix or 0))
    found += list(articles.values())
    found.append(_home(content, found))
    return found


def _home(content: ContentService, pages: list[Page]) -> Page:
    from reception.pages import Link

    links = [Link(t.label + "：" + t.line, guide_path(t.topic), "普法指南") for t in content.tiles]
    links.append(Link("信访须知", NOTICE_PATH, "信访须知"))
    links.append(Link("全部案例", "cases", "以案释法"))
    links += [Link(p.title, p.path, "我该怎么办") for p in pages if p.path.startswith("r/")]
    office = content.office()
    body = f'<p class="lead">{escape(office.name or "")} 信访普法指南</p><p class="note">点下面的标题阅读。</p>'
    return Page("", "信访普法指南", body, tuple(links))


def publish_site(content: ContentService, out: Path) -> PublishReport:
    """Write the site into out (replacing an earlier site there, nothing else)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    marker = out / ".reception-site"
    for child in out.iterdir() if marker.exists() else ():
        # Only what an earlier run wrote: a site folder that holds other files keeps them.
        if child.is_dir() and (child / "index.html").exists() or child.name in ("index.html", "style.css"):
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    office = content.office()
    pages = site_pages(content)
    for page in pages:
        target = out / page.path / "index.html" if page.path else out / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_html(page, office.name), encoding="utf-8")
    (out / "style.css").write_text(STYLE.strip() + "\n", encoding="utf-8")
    marker.write_text("reception publish\n", encoding="utf-8")
    settings = content.settings.office()
    base = settings.guide_base_url if settings.has_real("guide_base_url") else ""
    return PublishReport(out, len(pages), base, tuple(p.path for p in pages))


__all__ = ["PublishReport", "article_path", "publish_site", "render_html", "site_pages"]
