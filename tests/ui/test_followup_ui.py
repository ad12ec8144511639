"""The desk's 待办 and 统计 tabs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt


def _register(main_window, make_input, day: dt.datetime):  # noqa: ANN001, ANN202
    return main_window.services.visits.register(make_input(visited_at=day))


def test_agenda_colours_counts_and_moves_a_matter_on(qtbot, main_window, make_input):  # noqa: ANN001
    today = dt.date.today()
    overdue = _register(main_window, make_input, dt.datetime.combine(today - dt.timedelta(days=40), dt.time(9)))
    _register(main_window, make_input, dt.datetime.combine(today - dt.timedelta(days=2), dt.time(9)))
    agenda = main_window.agenda.refresh()
    assert [i.matter_id for i in agenda.overdue] == [overdue.matter_id]
    assert "待办 1 件" in main_window.windowTitle() or "待办 2 件" in main_window.windowTitle()
    model = main_window.agenda.model
    assert model.data(model.index(0, 1)).startswith("超期")
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole).color().name() == "#f8d0d0"
    main_window.agenda.view.selectRow(0)
    dialog = main_window.agenda.open_selected()
    assert [dialog.action_combo.itemText(i) for i in range(dialog.action_combo.count())] == [
        "受理", "不予受理", "转送、交办", "导入法定途径",
    ]  # fmt: skip
    dialog.action_combo.setCurrentIndex(1)  # 不予受理 without a reason: refused at the dialog
    dialog.apply()
    assert "理由" in dialog.error.text() and dialog.isVisible()
    dialog.reason_edit.setText("不属于信访事项，已告知向法院起诉")
    dialog.apply()
    assert not dialog.isVisible()
    assert overdue.matter_id not in [i.matter_id for i in main_window.agenda.refresh().overdue]


def test_statistics_tab_counts_charts_and_exports(qtbot, main_window, make_input, tmp_path):  # noqa: ANN001
    # Now, to the minute: a fixed hour of today is still in the future before it strikes, and a visit may not be.
    this_minute = dt.datetime.now().replace(second=0, microsecond=0)
    for topic in ("劳动就业", "劳动就业", "社会保障"):
        main_window.services.visits.register(make_input(visited_at=this_minute, topic=topic))
    panel = main_window.statistics
    panel.period_combo.setCurrentText("本年")
    panel.group_combo.setCurrentIndex(panel.group_combo.findData("topic"))
    panel.run()
    qtbot.waitUntil(lambda: panel.report is not None, timeout=10000)
    header = [panel.table.horizontalHeaderItem(c).text() for c in range(panel.table.columnCount())]
    assert header[:3] == ["主题", "来访批次", "来访人数"]
    first = [panel.table.item(0, c).text() for c in range(3)]
    assert first[0] == "劳动就业" and first[1] == "2"
    assert panel.chart_view.chart().series()
    target = tmp_path / "统计.xlsx"
    panel.export(str(target), "xlsx")
    assert target.exists()


def test_yearly_report_from_the_statistics_tab(qtbot, main_window, make_input, tmp_path):  # noqa: ANN001
    main_window.services.visits.register(make_input())
    target = tmp_path / "年度报告.pdf"
    main_window.statistics.write_yearly_report(2026, str(target))
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 5000, timeout=20000)
    assert "已保存" in main_window.statistics.status.text()


def test_explanation_record_from_the_visit_detail(qtbot, main_window, make_input):  # noqa: ANN001
    saved = main_window.services.visits.register(make_input())
    main_window.services.explanations.add_lawyer("周律师", "某律所", "13201200010017777", [1, 2, 3, 4, 5, 6, 7])
    detail = main_window.open_visit(saved.visit_id)
    detail.explanation_button.click()
    dialog = main_window._open_dialogs[-1]
    dialog.articles_edit.setText("劳动合同法第82条")
    dialog.apply()
    assert "简称:条号" in dialog.error.text()
    dialog.articles_edit.setText("劳动合同法:82，劳动争议调解仲裁法:27")
    dialog.lawyer_combo.setCurrentIndex(1)
    dialog.response_combo.setCurrentText("转法定途径")
    dialog.apply()
    record = main_window.services.explanations.get(saved.visit_id)
    assert record.articles == ("劳动合同法:82", "劳动争议调解仲裁法:27")
    assert record.lawyer.startswith("周律师") and record.response == "转法定途径"


def test_reclassify_from_the_visit_detail(qtbot, main_window, make_input):  # noqa: ANN001
    saved = main_window.services.visits.register(make_input(topic="劳动就业"))
    detail = main_window.open_visit(saved.visit_id)
    detail.reclassify_button.click()
    dialog = main_window._open_dialogs[-1]
    dialog.topic_combo.setCurrentText("社会保障")
    dialog.apply()
    after = main_window.services.visits.get_detail(saved.visit_id)
    assert after.topic == "社会保障"
    assert any("重新分类" in e.detail for e in after.history)


def test_the_desk_backs_up_once_a_day(qtbot, main_window, tmp_path):  # noqa: ANN001
    from reception.config import data_dir

    main_window.run_scheduled_backup()
    qtbot.waitUntil(lambda: "已自动备份" in main_window.statusBar().currentMessage(), timeout=15000)
    assert list((data_dir() / "backups").glob("reception-*.sqlite3"))
    assert main_window.services.audit.browse(action="backup")
