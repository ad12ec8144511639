"""The example phrasings and the complement naive Bayes model trained on them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reception.matching.examples import Example, NaiveBayes, load_examples, parse_examples, train
from reception.vocab import TOPICS

DATA = Path(__file__).resolve().parents[1] / "data"


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
    evaluation = [
        json.loads(line)["text"]
        for name in ("match_dev.jsonl", "match_probe.jsonl")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for example in found:
        for text in evaluation:
            # No example shares a run of 16 characters with a description it is evaluated on.
            assert not any(example.text[i : i + 16] in text for i in range(max(len(example.text) - 15, 1))), (
                example.text
            )


def test_a_label_with_few_examples_still_wins_its_own_words():
    many = [("劳动就业", f"老板拖欠工资第{i}个月，包工头跑了，工钱结不了", 1.0) for i in range(40)]
    few = [("生态环境", "化工厂往河里偷排污水，河里的鱼都死了", 1.0)]
    model = NaiveBayes(many + few, ("劳动就业", "生态环境"))
    scores, telling = model.scores("村边的河被排污水，鱼死了一片")
    assert scores["生态环境"] == 0.0 and scores["劳动就业"] < 0.0
    assert telling["生态环境"]


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

    monkeypatch.setattr(NaiveBayes, "__init__", no_training)
    again = train(docs, {"劳动就业": ["拖欠工资"]}, tmp_path)
    assert again.topic.scores("工钱没结")[0] == first.topic.scores("工钱没结")[0]

    monkeypatch.undo()
    changed = [*docs, Example("楼上装修砸墙，吵得孩子没法写作业", "婚姻家庭与民间纠纷", "申诉求决", "调解")]
    train(changed, {"劳动就业": ["拖欠工资"]}, tmp_path)
    remaining = list(tmp_path.glob("match_models_*.pickle"))
    assert len(remaining) == 1 and remaining != cached


@pytest.mark.parametrize("broken", [b"", b"not a pickle"])
def test_a_damaged_cache_is_retrained(tmp_path, broken):
    docs = TWO_TOPICS
    train(docs, {}, tmp_path)
    (cache,) = tmp_path.glob("match_models_*.pickle")
    cache.write_bytes(broken)
    models = train(docs, {}, tmp_path)
    scores = models.topic.scores("工钱没结")[0]
    assert max(scores, key=scores.get) == "劳动就业"
