"""Setting up a desk: office details, first start, printing with placeholders, importing a law text."""

from __future__ import annotations

import datetime as dt

from reception.settings import OfficeSettings


def test_settings_dialog_saves_and_shows_errors_at_the_field(qtbot, services):  # noqa: ANN001
    from ui.desk.settings_dialog import OfficeSettingsDialog

    dialog = OfficeSettingsDialog(services.settings)
    qtbot.addWidget(dialog)
    dialog.inputs["office_name"].setText("某某县信访局")
    dialog.inputs["query_base_url"].setText("xf.moumou.gov.cn")  # no scheme
    dialog.save()
    assert "http" in dialog.errors["query_base_url"].text() and dialog.result() == 0
    dialog.inputs["query_base_url"].setText("https://xf.moumou.gov.cn/cx")
    dialog.inputs["petition_url"].setText("https://xf.moumou.gov.cn")
    dialog.save()
    office = services.settings.office()
    assert (office.office_name, office.query_base_url, office.petition_url) == (
        "某某县信访局",
        "https://xf.moumou.gov.cn/cx",
        "https://xf.moumou.gov.cn",
    )
    assert set(dialog.inputs) == {f for f in OfficeSettings.LABELS}


def test_first_start_asks_for_the_office_details(qtbot, unconfigured_services):  # noqa: ANN001
    from ui.desk.main_window import MainWindow

    window = MainWindow(unconfigured_services)
    qtbot.addWidget(window)
    dialog = window.prompt_first_start()
    assert dialog is not None and dialog.isVisible() and "首次使用" in dialog.intro.text()
    dialog.reject()
    window.form.stop_timers()
    window.worker.wait()
    window.match_worker.wait()


def test_a_configured_desk_does_not_ask(main_window):  # noqa: ANN001
    assert main_window.prompt_first_start() is None
    assert [a.text() for a in main_window.menuBar().actions()] == ["文件", "账户", "设置", "帮助"]
    assert main_window.windowTitle() == "接待登记"


def test_printing_placeholders_needs_a_choice(qtbot, unconfigured_services, make_input, monkeypatch):  # noqa: ANN001
    from ui.desk.main_window import MainWindow

    saved = unconfigured_services.visits.register(
        make_input(matter_type="申诉求决", topic="劳动就业", route="仲裁", visited_at=dt.datetime(2026, 11, 20, 9))
    )
    window = MainWindow(unconfigured_services)
    qtbot.addWidget(window)
    asked: list[str] = []
    monkeypatch.setattr(window, "_ask_about_placeholders", lambda exc: asked.append(str(exc)) or "anyway")
    window.prepare_visit_document("receipt", saved.visit_id, False, None)
    qtbot.waitUntil(lambda: bool(window.previews), timeout=10000)
    assert asked and "机关名称" in asked[0]
    assert window.previews[-1].document.kind == "receipt"
    window.previews[-1].close()
    window.form.stop_timers()
    window.worker.wait()
    window.match_worker.wait()


def test_a_law_text_is_imported_from_the_status_screen(qtbot, main_window, tmp_path):  # noqa: ANN001
    text = (
        "中华人民共和国测试条例\n\n（2026年1月10日国务院令第1号公布　自2026年3月1日起施行）\n\n"
        "第一条　为了测试，制定本条例。\n\n第二条　本条例自2026年3月1日起施行。\n"
    )
    path = tmp_path / "测试条例.txt"
    path.write_text(text, encoding="utf-8")
    panel = main_window.law_status
    with qtbot.waitSignal(panel.status_changed, timeout=10000):
        panel.import_law(path)
    assert "已导入《中华人民共和国测试条例》共2条" in panel.import_message.text()
    bad = tmp_path / "空.txt"
    bad.write_text("不是法规", encoding="utf-8")
    panel.import_law(bad)
    qtbot.waitUntil(lambda: "未导入" in panel.import_message.text(), timeout=10000)
    assert panel.import_button.isEnabled()
