"""The example phrasings and the models trained on them (linear, one per topic, type and route)."""

from __future__ import annotations

import json
import pickle
from collections import Counter

import pytest

from reception.matching.examples import (
    Example,
    LinearModel,
    feature_counts,
    load_examples,
    parse_examples,
    train,
    train_from_sources,
)
from reception.vocab import TOPICS
from tests.evaluation_sets import copied_from_evaluation


def test_bad_lines_are_reported_with_their_line_number_and_skipped():
    text = "\n".join(
        [
            json.dumps({"text": "工钱一直不给", "type": "申诉求决", "route": "仲裁"}, ensure_ascii=False),
            "{not json",
            json.dumps({"text": "工钱一直不给", "type": "投诉", "route": "仲裁"}, ensure_ascii=False),
        ]
    )
    found, problems = parse_examples("劳动就业", text)
    assert [e.text for e in found] == ["工钱一直不给"]
    assert problems == ["劳动就业.jsonl 第2行不是有效的 JSON", "劳动就业.jsonl 第3行的类型、途径或文字不符合规定"]


def test_shipped_examples_are_valid_balanced_and_not_copied_from_the_evaluation_sets():
    found, problems = load_examples()
    assert problems == []
    per_topic = {topic: sum(e.topic == topic for e in found) for topic in TOPICS}
    # Equal label weights keep the model fair up to a few times more examples for one topic (suggestions
    # and reports gather those from every field); beyond that, wording common to all would drift to them.
    assert min(per_topic.values()) >= 50, per_topic
    assert max(per_topic.values()) <= 3 * min(per_topic.values()), per_topic
    # No example shares a run of 16 characters with a description it is evaluated on.
    assert copied_from_evaluation(e.text for e in found) == []


WAGES = [
    ("劳动就业", "老板拖欠工资三个月，包工头跑了，工钱结不了", 1.0),
    ("劳动就业", "干了半年活不给结账，血汗钱要不回来", 1.0),
    ("劳动就业", "公司把我辞退了，经济补偿一分没给", 1.0),
]
RIVER = [
    ("生态环境", "化工厂往河里偷排污水，河里的鱼都死了", 1.0),
    ("生态环境", "养猪场的粪水直接排进水沟，臭得没法住", 1.0),
]


def test_linear_model_ranks_a_description_by_the_words_that_tell_labels_apart():
    model = LinearModel(WAGES + RIVER, ("劳动就业", "生态环境", "教育"))
    scores, telling = model.scores("村边的河被排了污水，鱼死了一片")
    assert scores["生态环境"] == 0.0 and scores["劳动就业"] < 0.0
    assert {gram for gram, _weight in telling["生态环境"]} & {"污水", "鱼", "河", "排"}
    # A label without a single example can never come first.
    assert scores["教育"] < scores["劳动就业"]
    assert LinearModel(WAGES + RIVER, ("劳动就业", "生态环境")).scores("工钱结不了")[0]["劳动就业"] == 0.0


def test_linear_model_scores_do_not_depend_on_the_order_of_the_n_grams():
    # Set order changes with each process's string hashing; the officer must see the same reasons each time.
    model = LinearModel(WAGES + RIVER, ("劳动就业", "生态环境"))
    counts = feature_counts("河里的鱼死了，污水臭")
    forwards = model.scores("", Counter(dict(sorted(counts.items()))))
    backwards = model.scores("", Counter(dict(sorted(counts.items(), reverse=True))))
    assert forwards == backwards
    assert len({weight for _gram, weight in forwards[1]["生态环境"]}) < len(forwards[1]["生态环境"])  # has ties


def test_a_counted_model_follows_what_a_letter_keeps_coming_back_to():
    letter = "化工厂往河里排污水，鱼都死了。我在厂里的工钱没结，工钱拖了半年，工钱要不回来，找老板要工钱也不给。"
    assert feature_counts(letter)["工钱"] == 4 and feature_counts(letter)["污水"] == 1
    labels = ("劳动就业", "生态环境")
    counted, _telling = LinearModel(WAGES + RIVER, labels, counted=True).scores(letter)
    present, _telling = LinearModel(WAGES + RIVER, labels).scores(letter)
    # The river is mentioned once in passing; the unpaid wages four times.
    assert counted["劳动就业"] == 0.0 and counted["生态环境"] < 0.0
    assert present["生态环境"] == 0.0


def test_the_neutral_words_of_every_petition_are_not_counted():
    assert "反映" not in feature_counts("我要反映问题") and feature_counts("我要反映问题")["映"] == 1


def test_linear_model_needs_two_labels_and_keeps_no_training_library_objects():
    assert not LinearModel(WAGES, ("劳动就业", "生态环境")).trained
    assert LinearModel(WAGES, ("劳动就业", "生态环境")).scores("工钱结不了")[0] == {"劳动就业": 0.0, "生态环境": 0.0}
    # Scoring and loading a cached model must not import scikit-learn or numpy (start-up time).
    blob = pickle.dumps(LinearModel(WAGES + RIVER, ("劳动就业", "生态环境")))
    assert b"sklearn" not in blob and b"numpy" not in blob


TWO_TOPICS = [
    Example("包工头跑了工钱没结", "劳动就业", "申诉求决", "依法履职"),
    Example("邻居家卫生间漏水到我家", "婚姻家庭与民间纠纷", "申诉求决", "调解"),
]


def test_trained_models_are_cached_per_content(tmp_path, monkeypatch):
    docs = TWO_TOPICS
    first = train(docs, {"劳动就业": ["拖欠工资"]}, tmp_path)
    cached = list(tmp_path.glob("match_models_*.pickle"))
    assert len(cached) == 1

    def no_training(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("trained again although the examples did not change")

    monkeypatch.setattr(LinearModel, "__init__", no_training)
    again = train(docs, {"劳动就业": ["拖欠工资"]}, tmp_path)
    assert again.topic.scores("工钱没结")[0] == first.topic.scores("工钱没结")[0]

    monkeypatch.undo()
    changed = [*docs, Example("楼上装修砸墙，吵得孩子没法写作业", "婚姻家庭与民间纠纷", "申诉求决", "调解")]
    train(changed, {"劳动就业": ["拖欠工资"]}, tmp_path)
    remaining = list(tmp_path.glob("match_models_*.pickle"))
    assert len(remaining) == 1 and remaining != cached


def test_models_cached_under_their_sources_fingerprint_are_loaded_without_parsing(tmp_path):
    parsed = []

    def load():  # noqa: ANN202
        parsed.append("sources")
        return TWO_TOPICS, {"劳动就业": ["拖欠工资"]}, ["婚姻家庭与民间纠纷.jsonl 第3行不是有效的 JSON"]

    first = train_from_sources("files as they are", load, tmp_path)
    again = train_from_sources("files as they are", load, tmp_path)
    assert parsed == ["sources"]
    assert again.problems == first.problems == ["婚姻家庭与民间纠纷.jsonl 第3行不是有效的 JSON"]
    for model in ("topic", "type", "route"):
        assert getattr(again, model).scores("工钱没结") == getattr(first, model).scores("工钱没结")
    train_from_sources("an example file edited", load, tmp_path)
    assert parsed == ["sources", "sources"]


@pytest.mark.parametrize("broken", [b"", b"not a pickle"])
def test_a_damaged_cache_is_retrained(tmp_path, broken):
    docs = TWO_TOPICS
    train(docs, {}, tmp_path)
    (cache,) = tmp_path.glob("match_models_*.pickle")
    cache.write_bytes(broken)
    models = train(docs, {}, tmp_path)
    scores = models.topic.scores("工钱没结")[0]
    assert max(scores, key=scores.get) == "劳动就业"
