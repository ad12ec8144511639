"""Classification and statute matching: the CLI's JSON contract, evidence, and quality on the dev and probe sets."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from reception.matching.engine import OTHER_LAW_REASON
from reception.vocab import MATTER_TYPES, ROUTES, TOPICS
from tests.evaluation_sets import DATA, evaluation_items

LABEL = re.compile(r"^第[零一二三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?$")


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):  # noqa: ANN001, ANN201
    from reception.matching import Matcher
    from reception.services import Services

    folder = tmp_path_factory.mktemp("match")
    services = Services.open(f"sqlite:///{folder / 'm.sqlite3'}")
    yield Matcher(services.laws, cache_dir=folder / "cache")
    services.close()


@pytest.fixture(scope="module")
def eval_matching():  # noqa: ANN201 - the benchmarks/eval_matching.py module
    """The evaluation script the quality figures of docs/benchmarks.md come from, so that tests count alike."""
    import importlib
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    return importlib.import_module("eval_matching")


def check_shape(payload: dict, top: int) -> None:
    assert set(payload) == {"type", "topics", "routes", "statutes", "route_basis", "needs_more"}
    assert payload["needs_more"] == ""
    assert set(payload["type"]) == {"name", "score"} and payload["type"]["name"] in MATTER_TYPES
    for key, vocabulary in (("topics", TOPICS), ("routes", ROUTES)):
        items = payload[key]
        assert 1 <= len(items) <= top
        assert all(item["name"] in vocabulary for item in items)
        scores = [item["score"] for item in items]
        assert scores == sorted(scores, reverse=True)
    assert all(set(t) == {"name", "score", "evidence"} for t in payload["topics"])
    statutes = payload["statutes"]
    assert 1 <= len(statutes) <= top
    for statute in statutes + payload["route_basis"]:
        assert set(statute) == {"law", "article", "number", "suffix", "title", "effective", "text", "score", "why"}
        assert not statute["law"].startswith("中华人民共和国")
        assert LABEL.match(statute["article"]), statute["article"]
        assert isinstance(statute["number"], int) and statute["text"] and statute["why"]
    # Ranked by score, except the one article of another law given a place so that the list is not all one law.
    scores = [s["score"] for s in statutes if OTHER_LAW_REASON not in s["why"]]
    assert scores == sorted(scores, reverse=True)


def test_cli_json_is_one_object_in_the_documented_shape(db_url, capsys):
    from reception.cli import main

    assert main(["--db", db_url, "match", "--json", "--top", "3", "老板拖了我三个月工资不给，还把我辞退了"]) == 0
    out = capsys.readouterr().out
    payload = json.loads(out)  # exactly one JSON document
    check_shape(payload, 3)
    assert payload["topics"][0]["name"] == "劳动就业"
    assert {s["law"] for s in payload["statutes"]} & {"劳动争议调解仲裁法", "劳动合同法", "劳动法"}


def test_cli_reads_json_lines_from_stdin(db_url, capsys, monkeypatch):
    from reception.cli import main

    lines = ["村里征地补偿款一直没发到我手上", "", "孩子到了上学年龄，学校说户口不在片区不收"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["--db", db_url, "match", "-"]) == 0
    outputs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(outputs) == 2
    for payload in outputs:
        check_shape(payload, 5)
    assert [p["topics"][0]["name"] for p in outputs] == ["征地拆迁", "教育"]


def test_every_result_says_why(matcher):
    result = matcher.match("包工头跑了，工地上几十个人的工资都没结", top=5)
    top = result.topics[0]
    assert top.name == "劳动就业"
    assert top.evidence and all(phrase in "包工头跑了，工地上几十个人的工资都没结" for phrase in top.evidence)
    assert all(statute.why for statute in result.statutes)


def test_guide_key_articles_exist_in_the_library(matcher):
    """Every key article is in the library; one of a law held only in a replaced or unverified version is
    not cited, and the library says that law's text in force must be imported."""
    assert matcher.guide.problems == ()
    laws = matcher.library
    for missing in matcher.missing_key_articles:
        law = missing.split(": ", 1)[1].split(" ", 1)[0]
        assert laws.not_in_force_notice(law), missing
    assert {t.name for t in matcher.guide.topics} == set(TOPICS)
    assert {r.name for r in matcher.guide.routes} == set(ROUTES)


def test_a_situation_brings_in_its_own_law_whatever_the_topic(matcher):
    plain = "在美容院办了一张八千的卡，做了两次店就关门了，老板联系不上"
    without = matcher.match(plain, top=5)
    result = matcher.match(plain + "，我的个人信息还被泄露了，天天接骚扰电话", top=5)
    assert "个人信息保护法" not in [s.law for s in without.statutes[:5]]
    privacy = next(s for s in result.statutes[:5] if s.law == "个人信息保护法")
    assert any(why.startswith("涉及“个人信息”") and "泄露" in why for why in privacy.why)


@pytest.mark.parametrize(
    ("account", "law", "number"),
    [
        # Asking that inspection results be published is a matter of government information, unnamed.
        (
            "小区旁边的化工厂经常冒黑烟，环保部门来检查过好几次，一直不说查出了什么，请求把检查结果向社会公布，让附近居民放心。",
            "政府信息公开条例",
            20,
        ),
        # A crime reported to the police in another field: a consumer matter, the police's duty to examine it.
        ("驾校收了学费三千八就关门跑了，几十个学员报了案，到现在都没消息。", "刑事诉讼法", 112),
    ],
)
def test_an_unnamed_request_for_information_or_a_reported_crime_brings_its_article(matcher, account, law, number):
    result = matcher.match(account, top=5)
    assert result.topics[0].name not in ("政务公开与行政行为", "涉法涉诉")
    statute = next(s for s in result.statutes[:5] if (s.law, s.number) == (law, number))
    assert any(why.startswith("涉及“") for why in statute.why)


@pytest.mark.parametrize(
    ("account", "situation", "law", "number"),
    [
        # Retrieval fills the list with the property articles of 民法典; the planning law decides a shed.
        (
            "楼下住户在小区绿地上私搭了一间彩钢房养狗，物业劝了也不听，这种违建归哪个部门管？",
            "违法建设",
            "城乡规划法",
            64,
        ),
        ("想给咱们这片老楼加装电梯，街道说要业主自己凑钱，有没有补贴？", "加装电梯与无障碍", "老年人权益保障法", 65),
        # The labour laws fill the list; where the complaint goes is another regulation.
        (
            "快递站老板扣了我半个月工资说是罚款，我能不能去劳动监察那里告他？",
            "向劳动保障监察投诉",
            "劳动保障监察条例",
            9,
        ),
        # A fare is a consumer matter, not only the carriage contract of 民法典.
        (
            "从汽车站打的回家，司机不打表，开口要八十，平时也就二十几块，我不给他就不让下车。",
            "出租车与客运服务",
            "消费者权益保护法",
            10,
        ),
        (
            "夜里来了十几个人，开着挖掘机把我家没签协议的两间平房推平了，屋里的东西都埋在里面。",
            "强制拆除",
            "国家赔偿法",
            4,
        ),
        (
            "住院时主治医生总让我们去医院外面一家药房买药，听护士说医生从里面拿回扣，这事谁管？",
            "药品回扣",
            "药品管理法",
            88,
        ),
    ],
)
def test_a_common_situation_brings_the_article_that_decides_it(matcher, account, situation, law, number):
    statute = next(s for s in matcher.match(account, top=5).statutes[:5] if (s.law, s.number) == (law, number))
    assert any(why.startswith(f"涉及“{situation}”") for why in statute.why)


def test_a_report_of_an_official_is_a_report_whatever_its_field(matcher):
    result = matcher.match("种粮补贴报上去的亩数不对，另外四亩报在了村会计他娘的名下，钱全让他领走了，要求查处")
    assert result.type.name == "检举控告"
    assert result.topics[0].name == "纪检监察"
    assert result.routes[0].name == "纪检监察"


def test_only_a_suggestion_goes_the_suggestion_route(matcher):
    claim = matcher.match("医保中心说我断缴过两个月，这次住院不给报销，我觉得不合理，能不能给报了")
    assert claim.type.name == "申诉求决"
    assert claim.routes[0].name != "建议意见"
    routes = {r.name: r.score for r in claim.routes}
    types = {t.name: t.score for t in claim.types}
    assert routes["建议意见"] == pytest.approx(types["建议意见"], abs=0.002)


def test_legal_aid_is_the_route_only_when_something_asks_for_it(matcher):
    story = "俺在工地上干活从架子上摔下来，腿断了，包工头跑了，医药费都是自己垫的，也没人给认工伤"
    assert matcher.match(story).routes[0].name != "法律援助"
    asking = matcher.match(story + "，想打官司可家里实在请不起律师")
    assert asking.routes[0].name == "法律援助"


NOT_IN_FORCE = {
    "信访条例",
    "治安管理处罚法",
    "食品安全法",
    "环境保护法",
    "大气污染防治法",
    "水污染防治法",
    "噪声污染防治法",
    "村民委员会组织法",
    "城市居民委员会组织法",
}


@pytest.mark.parametrize(
    "text",
    [
        "派出所对打架的事处理不公，治安处罚决定不服",
        "隔壁化工厂天天往河里排污水，鱼都死了，环保局不管",
        "村委会换届选举有人拉票贿选，村民会议也不开",
        "超市卖过期食品，吃了拉肚子，要求十倍赔偿",
    ],
)
def test_statutes_come_only_from_versions_in_force(matcher, text):
    result = matcher.match(text, top=10)
    assert all(s.law not in NOT_IN_FORCE for s in result.statutes + result.route_basis)


def test_a_warm_start_parses_neither_examples_nor_guides_nor_questions(matcher, monkeypatch):
    """The cached models and index are found by their sources' raw text: parsing those sources took a
    fifth of the start-up."""
    from reception.matching import Matcher, engine, retrieval

    def parsed(*_args):  # noqa: ANN002, ANN202
        raise AssertionError("parsed although the cached models and index were still valid")

    monkeypatch.setattr(engine, "load_examples", parsed)
    monkeypatch.setattr(engine, "load_labelled_descriptions", parsed)
    monkeypatch.setattr(engine, "topic_texts", parsed)
    monkeypatch.setattr(retrieval, "load_questions", parsed)
    again = Matcher(matcher.library, cache_dir=matcher.index.cache_dir)
    assert not again.index.built_now
    text = "单位三个月没发工资了，老板说等项目结了再给，我想去劳动监察大队投诉"
    assert again.match(text).to_json() == matcher.match(text).to_json()


def test_a_law_marked_replaced_is_no_longer_cited(tmp_path):
    from reception.matching import Matcher
    from reception.services import Services

    services = Services.open(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    services.accounts.create_first_admin("admin", "李管理", "Admin2026x")
    text = "公司一直不跟我签劳动合同，干了一年了，能要双倍工资吗"
    before = Matcher(services.laws, cache_dir=tmp_path / "cache").match(text)
    assert "劳动合同法" in {s.law for s in before.statutes}
    services.laws.mark_status("劳动合同法", "已废止", superseded_by="（测试）新劳动合同法", reason="测试")
    after = Matcher(services.laws, cache_dir=tmp_path / "cache").match(text)
    assert "劳动合同法" not in {s.law for s in after.statutes + after.route_basis}
    assert "现行文本须导入" in services.laws.not_in_force_notice("劳动合同法")
    services.close()


def test_route_basis_belongs_to_the_matter_s_field(matcher):
    wages = matcher.match("包工头欠了我们三个月工钱不给，老板也找不到人了，想申请仲裁")
    assert wages.routes[0].name == "仲裁"
    basis = {(s.law, s.number) for s in wages.route_basis}
    assert ("劳动争议调解仲裁法", 27) in basis
    assert not {s.law for s in wages.route_basis} & {"农村土地承包经营纠纷调解仲裁法", "农村土地承包法"}
    land = matcher.match("邻居占了我家承包地，村里调解不成，想申请土地承包仲裁")
    assert land.topics[0].name == "农村农业"
    assert "劳动争议调解仲裁法" not in {s.law for s in land.route_basis}
    assert all(s.why for s in wages.route_basis + land.route_basis)


@pytest.mark.parametrize("text", ["你好", "123", "我要反映问题", "。。。", "请问"])
def test_a_description_with_nothing_to_go_on_gets_no_confident_answer(matcher, text):
    result = matcher.match(text)
    assert result.needs_more
    assert result.statutes == () and result.route_basis == ()
    assert all(t.score == 0.0 for t in result.topics) and result.type.score == 0.0


def test_evidence_is_whole_words_of_the_description(matcher):
    import jieba

    for text in ["邻居家的猪跑到我家地里把庄稼拱了", "村里分钱补偿款的时候说公示过了，我没看到"]:
        words = set(jieba.lcut_for_search(text))
        for topic in matcher.match(text).topics[:3]:
            for item in topic.evidence:
                if item.startswith("与该类常见说法相近："):
                    assert all(w in words for w in item.split("：", 1)[1].split("、")), item


def test_a_report_named_in_the_subject_line_types_the_letter(matcher):
    """A board letter's subject line is the writer's summary of it: 举报… there makes the letter a 检举控告
    even where the story tells of the writer's own loss, more surely than the same words at its end. (Since the
    models learn from the labelled descriptions, where a 举报 anywhere mostly is a report, the words at the end
    make it a report too, less surely: 0.73 against 0.89 with the subject line, 0.72 without it.)"""
    body = (
        "我在城南一家驾校报名学车，合同上写着全包，结果科目二没过，驾校让交八百块补考费，"
        "还说不交就不给排考试。跟我一起学的七八个人都被收了。"
    )
    titled = matcher.match("举报驾校乱收补考费\n" + body)
    in_passing = matcher.match(body + "我想举报驾校乱收补考费。")
    assert titled.types[0].name == "检举控告"
    assert titled.types[0].score > in_passing.types[0].score + 0.1
    assert matcher.match(body).types[0].name == "申诉求决"


@pytest.mark.parametrize(
    "text",
    [
        "楼下超市卖过期的牛奶，我买了两盒孩子喝了拉肚子，去医院花了三百多。超市说退钱可以，别的不管。这种店应该好好查处。",
        "镇上的屠宰场把猪血和污水直接排到河里，我家鱼塘的鱼死了一大半，损失三万多块。请求环保局来查处，责令他们停产整改。",
    ],
)
def test_a_report_that_also_tells_of_the_writer_s_losses_stays_a_report(matcher, text):
    """Asking that a shop or a polluter be dealt with is 检举控告 (信访工作条例 第三十条: also for the
    authorities that handle it, not only 纪检监察), even where the writer's own bill is in the story."""
    assert matcher.match(text).types[0].name == "检举控告"


@pytest.mark.parametrize("pattern", ["match_dev.jsonl", "match_probe*.jsonl", "match_probe2[3-8].jsonl"])
def test_quality_stays_up(matcher, eval_matching, pattern):
    """Regression guards on the dev set and the pooled probe sets (descriptions by other writers that no cue
    was written for); benchmarks/eval_matching.py prints the figures, docs/benchmarks.md records them.

    Topic and type hold the 0.90 target. Route and law recall are guarded at what the 2026-12-03 matcher
    measured, less a margin: since statutes are ranked by relevance and the route's basis is its own list,
    law recall counts the laws of both lists; probe5's writer labels many requests to a department as
    依法履职 where the matcher says 行政程序, and probe7's writer sends disputes with a shop, a property
    company or another driver to 调解 where the matcher says 依法履职: below target and open (issue 11 note).
    probe8's writer (eleventh session) does both, on 31 of 100: with it the pooled route figure is 0.853;
    probe9 (twelfth session, a brief that defines 依法履职 as the 条例 does) reads 0.925 and brings it to 0.859
    (0.867 with the thirteenth session's examples and probe10; 0.861 with probe11, whose brief, too, put a benefit
    not paid under 依法履职; 0.853 with probe12, 0.738 on the same boundaries; 0.842 with probe13–probe15, whose
    routes a second helper labelled from the route descriptions of the guide, as the writers' own brief had
    described 行政程序 more narrowly than the guide: guard 0.82; probe16's and probe17's long letters, whose
    writers had the guide's route descriptions, read 0.900, and so does probe19, written and labelled blind;
    probe20's long letters and probe21's titled messages, also blind, 0.950 each, probe22 and probe23 0.912, probe24 0.925;
    probe25–probe27, whose routes a second helper labelled as their writers did, 0.863, 0.850 and 0.887).
    Since the citation prior the labelled sets' article figures here are in-sample (the prior is built from
    them), and since the twenty-first session their topic, type and route too (the models learn from their
    descriptions); `eval_matching.py --leave-set-out` measures them held out. probe23–probe28 are in neither:
    on those 480 the guards are what the matcher measured on them, less a margin."""
    items = evaluation_items(pattern)
    assert len(items) >= 120
    figures = eval_matching.evaluate(matcher, items)
    held_out = pattern == "match_probe2[3-8].jsonl"
    assert figures["topic_top1"] >= 0.9, figures
    assert figures["type_top1"] >= 0.9, figures
    assert figures["route_top1"] >= (0.9 if pattern == "match_dev.jsonl" else 0.82 if not held_out else 0.88), figures
    assert figures["law_recall_at_5"] >= 0.78, figures
    # Article labels: probe5's and probe7's writers and, for dev and probe6, a labeller who saw no matcher output; the dev
    # set's short oral accounts name their articles less often than the probes' letters (0.65 against 0.77).
    assert figures["article_hit_at_5"] >= (0.6 if pattern == "match_dev.jsonl" else 0.7 if not held_out else 0.88), (
        figures
    )


def test_short_everyday_questions_find_the_article_that_answers_them(matcher, eval_matching):
    """questions_probe18: 230 one-line questions two helpers wrote as laypeople ask them (no project data
    seen), each labelled by two more helpers with the articles that answer it, from the reference texts
    alone. Scored blind at the sixteenth session's head: hit@5 0.878, article recall@5 0.711 (a plain BM25
    over the article texts 0.304 / 0.225). Guarded less a margin; the real questions of STARD read lower
    (0.65 / 0.55), since the index's own article questions were written by helpers in this same voice."""
    items = evaluation_items("questions_*.jsonl")
    assert len(items) >= 200
    figures = eval_matching.evaluate_questions(matcher, items)
    assert figures["article_hit_at_5"] >= 0.82, figures
    assert figures["article_recall_at_5"] >= 0.65, figures


def test_the_shown_percentages_mean_what_they_say(matcher, eval_matching):
    """Pooled over the sets the models never learned from (probe23–probe28), the first topic's, type's and
    route's shown percentage is, band by band, near the share of them that is right (issue 11). The temperatures
    before 2026-12-04 (6, 1.5, 0.8) read 0.026 / 0.024 / 0.073 over the then own sets: a first topic shown at
    80–89 % was right 0.67 of the time. The other sets are in the models' training since the twenty-first
    session; `eval_matching.py --leave-set-out --calibration` measures them held out."""
    bands: Counter = Counter()
    eval_matching.evaluate(matcher, evaluation_items("match_probe2[3-8].jsonl"), bands=bands)
    assert eval_matching.calibration_error(bands, "topic") <= 0.025
    assert eval_matching.calibration_error(bands, "type") <= 0.02
    assert eval_matching.calibration_error(bands, "route") <= 0.065


def _article(number: int, text: str, heading: str, law: str = "甲法"):  # noqa: ANN202
    import datetime as dt

    from reception.lawlib.library import ArticleView

    label = f"第{'一二三四五六七八九'[number - 1]}条"
    return ArticleView(law, law, label, number, 0, text, heading, dt.date(2020, 1, 1), "现行有效", 1)


def test_an_article_gains_from_a_chapter_that_matches_the_question(tmp_path):
    from reception.matching.retrieval import ArticleIndex

    # Articles 1 and 3 share the word 维修 with the question equally; only article 3's chapter also
    # speaks of 租赁 (in article 2), the question's other word, so article 3 comes first although it is listed later.
    articles = [
        _article(1, "甲方负责维修。", "第一章 一般规定"),
        _article(2, "出租人应当按照约定将租赁物交付承租人。", "第二章 特别规定"),
        _article(3, "乙方负责维修。", "第二章 特别规定"),
    ]
    index = ArticleIndex(articles, cache_dir=tmp_path, questions={}, thesaurus={})
    ranked = [articles[hit.index].number for hit in index.search("租赁的房子谁来维修", limit=3)]
    assert ranked.index(3) < ranked.index(1)


def test_character_pairs_find_an_article_whose_words_are_cut_differently(tmp_path):
    from reception.matching.retrieval import ArticleIndex

    # The statute says 拖欠薪水 (cut 拖欠 / 薪水), the question 欠薪: no word in common, the pair 欠薪 in both.
    articles = [_article(1, "用人单位不得拖欠薪水。", "第一章"), _article(2, "买受人应当按时支付货款。", "第一章")]
    index = ArticleIndex(articles, cache_dir=tmp_path, questions={}, thesaurus={})
    hits = index.search("老板欠薪不给", limit=3)
    assert [articles[hit.index].number for hit in hits] == [1]
    # A pair is no word: 欠薪 is not shown as a word the article holds, but as one it spells in other words.
    assert hits[0].matched == ()
    assert hits[0].similar == ("欠薪",)


def test_a_word_in_several_fields_of_an_article_counts_once_and_saturates_once():
    import math

    import numpy as np

    from reception.matching.retrieval import _K1, _Field

    # 维修 said ten times in article 0's text and thirty times in its questions, once in article 1's
    # questions; 租赁 only in article 2's text.
    text = _Field.from_postings({"维修": [(0, 10)], "租赁": [(2, 1)]}, [12, 5, 5], b=0.75)
    asked = _Field.from_postings({"维修": [(0, 30), (1, 1)]}, [40, 4, 1], b=0.5)
    index = _Field.bm25f([(text, 1.0), (asked, 0.5)])
    scores = np.zeros(3)
    index.score("维修", 1.0, scores)

    def normalised(field, doc: int) -> float:  # noqa: ANN001
        start = field.offsets[field.rows["维修"]]
        return field.values[start + list(field.documents("维修")).index(doc)]

    # One idf over the articles that hold the word in any field (two of three), applied to the weighed sum
    # of the fields' normalised frequencies, saturated once.
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    frequency = 1.0 * normalised(text, 0) + 0.5 * normalised(asked, 0)
    assert scores[0] == pytest.approx(idf * frequency * (_K1 + 1) / (frequency + _K1))
    frequency = 0.5 * normalised(asked, 1)
    assert scores[1] == pytest.approx(idf * frequency * (_K1 + 1) / (frequency + _K1))
    assert scores[2] == 0.0
    # However often and in however many fields: never more than one field's saturated score.
    assert scores[0] < idf * (_K1 + 1)


def test_the_law_word_a_thesaurus_adds_is_shown_as_a_translation_not_as_a_word_of_the_description(tmp_path):
    from reception.matching.engine import _retrieval_reason
    from reception.matching.retrieval import ArticleIndex

    articles = [_article(1, "用人单位应当按时足额支付劳动报酬。", "第一章")]
    index = ArticleIndex(articles, cache_dir=tmp_path, questions={}, thesaurus={"工钱": ["劳动报酬"]})
    [hit] = index.search("干了半年活工钱一分没拿到", limit=3)
    assert hit.matched == ()
    assert hit.translated == (("工钱", "劳动报酬"),)
    assert _retrieval_reason(hit, list(hit.matched)) == "法律用语：工钱→劳动报酬"


def test_every_law_word_of_the_thesaurus_is_said_by_a_text_in_force(matcher):
    """The thesaurus promises the law's own words: a value no current article contains finds nothing and
    tells the officer a word the law does not use."""
    from reception.matching.retrieval import load_thesaurus

    thesaurus = load_thesaurus()
    texts = "\n".join(article.text for article in matcher.articles)
    assert len(thesaurus) > 500
    not_in_law = sorted({word for words in thesaurus.values() for word in words if word not in texts})
    assert not_in_law == []
    assert [key for key, words in thesaurus.items() if len(key) < 2 or key in words or not words] == []


def test_the_index_keeps_its_files_together_and_drops_those_of_an_earlier_library(tmp_path):
    from reception.matching.retrieval import ArticleIndex

    cache = tmp_path / "index-cache"
    first = ArticleIndex([_article(1, "甲方负责维修。", "")], cache_dir=cache, questions={}, thesaurus={})
    # jieba's own dictionary cache sits beside the index, not in the system's temporary folder.
    assert first.dict_path.with_suffix(".jieba").is_file()
    second = ArticleIndex([_article(1, "乙方负责维修。", "")], cache_dir=cache, questions={}, thesaurus={})
    assert second.cache_path != first.cache_path
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [second.cache_path.name, second.dict_path.name, second.dict_path.with_suffix(".jieba").name]
    )


def test_a_list_of_one_law_gives_its_last_place_to_another_law():
    from types import SimpleNamespace

    from reception.matching.engine import Matcher

    articles = [_article(n, "条文", "") for n in range(1, 7)] + [_article(1, "条文", "", law="乙法")]
    fake = SimpleNamespace(articles=articles)
    ordered = [(0, 1.0), (1, 0.9), (2, 0.8), (3, 0.7), (4, 0.65), (5, 0.6), (6, 0.55)]
    grounded = set(range(7))
    diversified, promoted = Matcher._diversified(fake, ordered, 5, grounded)
    assert promoted == 6
    assert [i for i, _ in diversified] == [0, 1, 2, 3, 6, 4, 5]
    # Too weak (below half the first article's score): the list stays as it was.
    weak = [*ordered[:6], (6, 0.4)]
    assert Matcher._diversified(fake, weak, 5, grounded) == (weak, None)
    # Scored high enough but on one or two words in common: a chance match brings no law.
    assert Matcher._diversified(fake, ordered, 5, grounded - {6}) == (ordered, None)


def test_another_law_s_place_needs_three_words_in_common(matcher):
    from reception.matching.engine import OTHER_LAW_REASON

    results = [
        matcher.match(text)
        for text in (
            # Another law's best article shares a single word here (二手车, 不肯) …
            "买的二手车里程表被调过。",
            "快递把我的包裹弄丢了不肯赔。",
            # … and four here: that law keeps its place.
            "租的房子到期了，房东不退押金。",
        )
    ]
    promoted = [s for result in results for s in result.statutes[:5] if OTHER_LAW_REASON in s.why]
    assert promoted
    for statute in promoted:
        shared = next(w for w in statute.why if w.startswith("条文与描述共有词语："))
        assert len(shared.split("：")[1].split("、")) >= 3


def test_a_description_that_names_its_channel_gets_the_channel_s_own_article_without_losing_a_law(matcher, monkeypatch):
    import reception.matching.engine as engine

    description = "我想打官司但是请不起律师"
    result = matcher.match(description)
    assert result.routes[0].name == "法律援助"
    first_five = result.statutes[:5]
    channel = [s for s in first_five if any("“法律援助”途径" in why for why in s.why)]
    assert [(s.law, s.number) for s in channel] == [("法律援助法", 31)]
    assert "请不起" in channel[0].why[0]
    monkeypatch.setattr(engine, "_CHANNEL_ROUTES", frozenset())
    # 请不起律师 is a situation too; without this it would bring the same law by its own place.
    monkeypatch.setattr(engine, "_SITUATION_CUE_WEIGHT", float("inf"))
    before = matcher.match(description).statutes[:5]
    assert "法律援助法" not in {s.law for s in before}
    # The channel's article took the place of an article whose law was listed twice.
    assert {s.law for s in before} <= {s.law for s in first_five}


def test_the_court_as_a_last_resort_against_inaction_stays_in_the_route_basis(matcher):
    result = matcher.match("楼下饭店的油烟天天往我家窗户里灌，环保部门不管，要求查处")
    assert result.routes[0].name == "依法履职"
    assert ("行政诉讼法", 47) in {(s.law, s.number) for s in result.route_basis}
    assert not any("途径的依据" in why for s in result.statutes[:5] for why in s.why)


def test_the_route_basis_names_the_item_of_the_petition_rules_that_sets_the_route(matcher):
    """信访工作条例 第三十一条 sorts 申诉求决 matters into the channels; its item for the route is part of
    the route's basis, beside the article that sets the time limit."""
    inaction = matcher.match("小区门口的工地天天半夜施工，打了好几次电话，城管一直不来查处，要求依法处理")
    assert inaction.routes[0].name == "依法履职"
    basis = {(s.law, s.number): s for s in inaction.route_basis}
    assert ("行政诉讼法", 47) in basis
    assert "第五项" in basis[("信访工作条例", 31)].why[0]
    decision = matcher.match("低保被乡里停发了，我不服这个决定，想申请行政复议")
    assert decision.routes[0].name == "行政程序"
    basis = {(s.law, s.number): s for s in decision.route_basis}
    assert ("行政复议法", 20) in basis
    assert "第四项" in basis[("信访工作条例", 31)].why[0]


def test_a_weak_hint_of_a_channel_does_not_bring_its_article(matcher):
    from reception.matching.engine import Scored
    from reception.matching.guide import Cue

    result = matcher.match("楼上装修把我家天花板泡坏了，墙皮一块块往下掉")
    assert "人民调解法" not in {s.law for s in result.statutes[:5]}
    route = Scored("调解", 0.9)
    weak = {"调解": [Cue("对方", 1.0)]}
    plain = {"调解": [Cue("调解", 3.0)]}
    assert matcher._with_channel_article(result.statutes, result.topics, route, weak, 5) == result.statutes
    with_channel = matcher._with_channel_article(result.statutes, result.topics, route, plain, 5)
    assert "人民调解法" in {s.law for s in with_channel[:5]}


def test_a_situation_named_plainly_brings_its_law_without_losing_one(matcher):
    statutes = matcher.match("公司说要经济性裁员，把我辞退了，经济补偿金一分没给，社保也停了").statutes
    before = {s.law for s in statutes[:5]}
    assert "妇女权益保障法" not in before
    placed = matcher._with_situation_article(
        statutes, matcher.situation_hits("我怀孕四个月，公司说要经济性裁员，把我辞退了"), 5
    )
    brought = [s for s in placed[:5] if any("孕期产期的女职工" in why for why in s.why)]
    assert [(s.law, s.number) for s in brought] == [("妇女权益保障法", 48)]
    assert "怀孕" in brought[0].why[0]
    assert before <= {s.law for s in placed[:5]}
    assert len({(s.law, s.number, s.suffix) for s in placed}) == len(placed)


def test_a_passing_hint_of_a_situation_or_a_law_already_listed_changes_nothing(matcher):
    statutes = matcher.match("公司说要经济性裁员，把我辞退了，经济补偿金一分没给，社保也停了").statutes
    # 生孩子 only hints at the situation (weight 1): the list stays as retrieval ranked it.
    assert (
        matcher._with_situation_article(statutes, matcher.situation_hits("我老婆生孩子，公司把我辞退了"), 5) == statutes
    )
    injury = matcher.match("在工地上干活从架子上摔下来，腿摔断了，老板不给认工伤").statutes
    assert "工伤保险条例" in {s.law for s in injury[:5]}
    assert matcher._with_situation_article(injury, matcher.situation_hits("工伤"), 5) == injury


def test_a_topic_lends_its_special_law_more_than_the_general_one(matcher, monkeypatch):
    complaint = "网上买的羽绒服到手发现是旧的，卖家不认账，我要求退货赔偿。"

    def consumer_law_places() -> int:
        statutes = matcher.match(complaint).statutes[:5]
        return sum(s.law == "消费者权益保护法" for s in statutes)

    assert matcher._topic_law_reliance["消费维权"]["民法典"] < 0.5
    relying = consumer_law_places()
    every_law_alike = {topic: dict.fromkeys(laws, 1.0) for topic, laws in matcher._topic_law_reliance.items()}
    monkeypatch.setattr(matcher, "_topic_law_reliance", every_law_alike)
    # Lent alike, 民法典's sale-contract articles take the consumer law's places.
    assert relying > consumer_law_places()


def test_the_shipped_citations_are_what_the_labelled_sets_give(matcher):
    """resources/classification/citations.toml is rebuilt whenever a labelled set changes, and every article
    it names is in the library (one of a replaced law would simply never gain: it is not in the index)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    from build_learned import TARGET, build

    assert TARGET.read_text(encoding="utf-8") == build(), "run python tools/build_learned.py"
    tables = (*matcher.citations.cited.values(), *matcher.citations.route_cited.values())
    named = {key for per_group in tables for key in per_group}
    assert len(named) > 300 and set(matcher.citations.descriptions) == set(TOPICS)
    assert set(matcher.citations.route_descriptions) == set(ROUTES)
    missing = sorted(key for key in named if matcher.article_at(*key) is None)
    assert all(matcher.library.not_in_force_notice(law) for law, _n, _s in missing), missing


def test_an_account_gains_the_articles_its_field_is_cited_with_and_a_one_line_question_does_not(matcher, monkeypatch):
    """A petitioner's account lifts the articles that labelled accounts of its likely topic cite, and says so;
    a one-line question is ranked on its words alone (STARD's questions are labelled with the article that
    answers them, and lost 0.02 of hit@5 when the prior applied to them: docs/benchmarks.md)."""
    from reception.matching.citations import CitationPrior

    account = (
        "我们工地旁边的仓库堆了好多煤气罐，没人看管，电线也是乱拉的，夏天这么热，住在旁边的几十户人家"
        "天天提心吊胆，跟老板说了几次他都不理，请你们派人来查一查。"
    )
    question = "仓库里堆了煤气罐，电线乱拉，找谁管？"
    assert len(account) >= 60 > len(question)
    shipped = matcher.citations
    with_prior = matcher.match(account, top=5)
    assert with_prior.topics[0].name == "安全生产"
    lifted = [s for s in with_prior.statutes if any("类信访事项常引用此条" in why for why in s.why)]
    assert lifted and all(s.law == "安全生产法" for s in lifted)
    monkeypatch.setattr(matcher, "citations", CitationPrior())
    without = matcher.match(account, top=5)
    assert [(s.law, s.number) for s in with_prior.statutes] != [(s.law, s.number) for s in without.statutes]
    assert not any("常引用" in why for s in without.statutes for why in s.why)
    short_without = [(s.law, s.number) for s in matcher.match(question, top=5).statutes]
    monkeypatch.setattr(matcher, "citations", shipped)
    assert [(s.law, s.number) for s in matcher.match(question, top=5).statutes] == short_without


def test_an_account_gains_the_articles_its_likely_route_is_cited_with(matcher, monkeypatch):
    """The articles on a channel (where a report on officials goes, how long one has to seek review) follow
    the route more than the field: an account gains those that labelled accounts of its likely route cite,
    and says so; a prior of the topics alone ranks the same account otherwise."""
    from reception.matching.citations import CitationPrior

    account = (
        "我们村的会计这几年把上级拨下来的危房改造补助款截留了一部分，名单上有的人家根本没拿到钱，"
        "有的拿到的比公示的少一半。我们几户去问，他说是镇上扣的管理费。请纪委查一查这个会计和村支书是不是把钱贪了。"
    )
    shipped = matcher.citations
    assert shipped.route_share("纪检监察", ("监察法", 15, 0)) > 0
    with_routes = matcher.match(account, top=5)
    assert with_routes.routes[0].name == "纪检监察"
    by_route = [s for s in with_routes.statutes if any("走“纪检监察”途径的信访事项常引用此条" in why for why in s.why)]
    assert by_route
    monkeypatch.setattr(matcher, "citations", CitationPrior(shipped.descriptions, shipped.cited))
    topics_only = matcher.match(account, top=5)
    assert [(s.law, s.number) for s in topics_only.statutes] != [(s.law, s.number) for s in with_routes.statutes]
    assert not any("途径的信访事项常引用" in why for s in topics_only.statutes for why in s.why)


def test_the_models_learn_from_the_labelled_descriptions_and_never_from_the_held_out_sets(matcher):
    """resources/classification/labelled_descriptions.jsonl is every description of the sets the matcher learns
    from, with its writer's topic and type and the route two of its three labellers gave, rebuilt whenever a set
    changes; probe23–probe28 stay out, so that their figures remain those of descriptions the matcher never saw
    (docs/benchmarks.md, twenty-first and twenty-second sessions)."""
    import sys

    from reception.matching.examples import load_examples, load_labelled_descriptions

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    from build_learned import PHRASING_SETS, PHRASINGS_TARGET, build_phrasings, learned_route

    assert PHRASINGS_TARGET.read_text(encoding="utf-8") == build_phrasings(), "run python tools/build_learned.py"
    learned = load_labelled_descriptions()
    assert {d.source for d in learned} == {Path(p).stem for p in PHRASING_SETS}
    by_text = {d.text: d for d in learned}
    outvoted = 0
    for item in evaluation_items("match_dev.jsonl"):
        route = learned_route("match_dev.jsonl", item)
        assert (by_text[item["text"]].topic, by_text[item["text"]].route) == (item["topic"], route)
        outvoted += route != item["route"]
    # Where two other labellers agree against the writer, their route is learned (test below).
    assert 0 < outvoted < 20
    held_out = {item["text"] for item in evaluation_items("match_probe2[3-8].jsonl")}
    assert len(held_out) == 480 and not held_out & set(by_text)
    assert matcher.models.examples == len(load_examples()[0]) + len(learned)


def test_a_third_labeller_decides_every_route_the_first_two_split_on(eval_matching):
    """tests/data/route_third_labels.jsonl holds a third helper's routes, given blind (shuffled, without either
    earlier label) for every description whose writer and second labeller differ, and for a hundred where they
    agree, as a check on the third labeller; `eval_matching.py --route-third` scores routes against the label two
    of the three gave (docs/benchmarks.md, twenty-second session)."""

    from build_learned import route_labels, set_items

    second, third = route_labels(DATA / "route_relabel.jsonl"), route_labels(DATA / "route_third_labels.jsonl")
    writers = {
        (path.stem, item["id"]): item["route"] for path in DATA.glob("match_*.jsonl") for item in set_items(path)
    }
    assert set(second) == set(writers) and set(third) <= set(writers)
    assert set(third.values()) <= set(ROUTES)
    split = {key for key in writers if writers[key] != second[key]}
    assert split <= set(third) and len(third) - len(split) >= 100

    majority = eval_matching.majority_route
    assert majority("调解", "调解", "仲裁") == "调解"
    assert majority("调解", "依法履职", "依法履职") == "依法履职"
    assert majority("调解", "依法履职", "仲裁") is None
    assert majority("调解", "依法履职", None) is None
    assert majority("调解", None, None) is None
