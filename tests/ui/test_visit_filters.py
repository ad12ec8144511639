"""The visit list's filter combo boxes and search box on a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt


@pytest.fixture
def panel(qtbot, services, make_input):  # noqa: ANN001, ANN201
    from ui.desk.visit_list import VisitListPanel

    visits = services.visits
    visits.register(make_input(summary="拖欠工资两个月", topic="劳动就业", matter_type="申诉求决", route="仲裁"))
    visits.register(
        make_input(
            id_number="",
            name="赵玉兰",
            summary="村里征地补偿没有发",
            visited_at=dt.datetime(2026, 11, 20, 10, 0),
            topic="征地拆迁",
            matter_type="检举控告",
        )
    )
    widget = VisitListPanel(visits)
    qtbot.addWidget(widget)
    widget.model.refresh()
    return widget


def _names(panel) -> list[str]:  # noqa: ANN001
    return sorted(panel.model.row_at(i).name for i in range(panel.model.rowCount()))


def _choose(panel, key: str, value: str) -> None:  # noqa: ANN001
    box = panel.filter_boxes[key]
    box.setCurrentIndex(box.findData(value))


def test_each_filter_narrows_the_list(panel):  # noqa: ANN001
    assert _names(panel) == ["王秀英", "赵玉兰"]
    _choose(panel, "topic", "征地拆迁")
    assert _names(panel) == ["赵玉兰"]
    _choose(panel, "topic", "")
    _choose(panel, "matter_type", "申诉求决")
    assert _names(panel) == ["王秀英"]
    _choose(panel, "route", "调解")
    assert _names(panel) == []
    _choose(panel, "route", "仲裁")
    _choose(panel, "status", "已登记")
    assert _names(panel) == ["王秀英"]
    panel.clear_filters()
    assert _names(panel) == ["王秀英", "赵玉兰"]
    assert all(box.currentData() == "" for box in panel.filter_boxes.values())


def test_sorting_keeps_the_filters_and_search(panel):  # noqa: ANN001
    _choose(panel, "topic", "劳动就业")
    panel.search_edit.setText("欠薪")
    panel.run_search()
    assert _names(panel) == ["王秀英"]
    panel.model.sort(2, Qt.SortOrder.AscendingOrder)
    assert panel.model.query.topic == "劳动就业"
    assert panel.model.query.sort_key == "name"
    assert _names(panel) == ["王秀英"]


def test_search_box_understands_classification_names(panel):  # noqa: ANN001
    panel.search_edit.setText("征地拆迁")
    panel.run_search()
    # Found by topic: the summary says 征地, not 征地拆迁.
    assert _names(panel) == ["赵玉兰"]
