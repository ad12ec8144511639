"""The administrator's screens: content editor (draft, preview, publish, revert, packs), law import with the
version comparison, and the settings screen that saves all of its tabs or none."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from reception.services import Services
from tests.conftest import log_in_as_admin

NEW_TITLE = "孩子上学的事，先看这一页"
WAIT = 30000


@pytest.fixture(autouse=True)
def _style(qapp):  # noqa: ANN001
    from ui.shared.startup import apply_style

    apply_style(qapp)


def _with_answers(dialog, answer: bool = True):  # noqa: ANN001, ANN202
    """Questions are answered here, not in a modal box; each one is kept in `dialog.asked`."""
    dialog.asked = []

    def confirm(title: str, text: str) -> bool:
        dialog.asked.append((title, text))
        return answer

    dialog.confirm = confirm
    return dialog


def _editor(qtbot, services):  # noqa: ANN001, ANN202
    from ui.desk.content_editor import ContentEditorDialog

    dialog = _with_answers(ContentEditorDialog(services))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _state_shown(dialog, kind: str, key: str) -> str:  # noqa: ANN001
    from ui.desk.content_editor import _ROLE

    for i in range(dialog.tree.topLevelItemCount()):
        group = dialog.tree.topLevelItem(i)
        for j in range(group.childCount()):
            if group.child(j).data(0, _ROLE) == (kind, key):
                return group.child(j).text(1)
    raise KeyError(key)


def _retitle(text: str) -> str:
    first = next(line for line in text.splitlines() if line.startswith("title = "))
    return text.replace(first, f'title = "{NEW_TITLE}"')


def _click(qtbot, button) -> None:  # noqa: ANN001
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_guide_is_drafted_previewed_published_and_reverted(qtbot, services):  # noqa: ANN001
    dialog = _editor(qtbot, services)
    dialog.select("guide", "教育")
    shipped_title = services.handouts().guide_content("教育").title
    dialog.editor.setPlainText(_retitle(dialog.editor.toPlainText()))
    _click(qtbot, dialog.save_button)
    assert dialog.error.isHidden()
    assert f'title = "{NEW_TITLE}"' in services.content.text("guide", "教育", draft=True)
    assert _state_shown(dialog, "guide", "教育") == "有未发布的草稿"
    # The draft is previewed as the kiosk page and as the printout; the desk still prints the published one.
    _click(qtbot, dialog.preview_button)
    qtbot.waitUntil(lambda: dialog.preview_pdf.pageCount() >= 1, timeout=WAIT)
    assert NEW_TITLE in dialog.preview_html.toPlainText()
    assert "相关法条" in dialog.preview_html.toPlainText()
    assert dialog.preview_tabs.isTabEnabled(1)
    assert services.handouts().guide_content("教育").title == shipped_title

    _click(qtbot, dialog.publish_button)
    assert dialog.asked[-1][0] == "发布内容"
    assert services.handouts().guide_content("教育").title == NEW_TITLE
    assert _state_shown(dialog, "guide", "教育") == "本单位版本"

    _click(qtbot, dialog.revert_button)
    assert dialog.asked[-1][0] == "恢复出厂内容"
    assert services.handouts().guide_content("教育").title == shipped_title
    assert _state_shown(dialog, "guide", "教育") == "出厂"
    assert f'title = "{NEW_TITLE}"' not in dialog.editor.toPlainText()
    dialog.worker.wait()


def test_a_broken_file_shows_why_and_saves_nothing(qtbot, services):  # noqa: ANN001
    dialog = _editor(qtbot, services)
    dialog.select("guide", "教育")
    dialog.editor.setPlainText('topic = "教育"\ntitle = ')
    _click(qtbot, dialog.save_button)
    assert not dialog.error.isHidden()
    assert "普法指南“教育”有误" in dialog.error.text()
    assert {e.state for e in services.content.entries()} == {"出厂"}
    # Publishing an unsaved broken text saves nothing either.
    _click(qtbot, dialog.publish_button)
    assert {e.state for e in services.content.entries()} == {"出厂"}
    assert not any(title == "发布内容" for title, _text in dialog.asked)
    _click(qtbot, dialog.preview_button)
    qtbot.waitUntil(lambda: "无法预览" in dialog.preview_note.text(), timeout=WAIT)
    # Another file: the unsaved edit is not dropped without asking.
    dialog.select("cases", "教育")
    assert dialog.asked[-1][0] == "放弃修改"
    dialog.worker.wait()


def test_cases_and_the_classification_guide_have_their_own_previews(qtbot, services):  # noqa: ANN001
    dialog = _editor(qtbot, services)
    dialog.select("cases", "教育")
    first_case = services.handouts().cases.for_topic("教育")[0]
    _click(qtbot, dialog.preview_button)
    qtbot.waitUntil(lambda: dialog.preview_pdf.pageCount() >= 1, timeout=WAIT)
    assert first_case.title in dialog.preview_html.toPlainText()
    assert first_case.title in dialog.preview_tabs.tabText(1)

    dialog.select("classification", "guide")
    _click(qtbot, dialog.preview_button)
    qtbot.waitUntil(lambda: "提示词" in dialog.preview_html.toPlainText(), timeout=WAIT)
    assert not dialog.preview_tabs.isTabEnabled(1)
    assert "不打印" in dialog.preview_note.text()
    dialog.worker.wait()


@pytest.fixture
def county(request, tmp_path):  # noqa: ANN001, ANN201
    """Another office's database: a fresh copy of the template."""
    target = tmp_path / "county.sqlite3"
    shutil.copyfile(request.getfixturevalue("template_db"), target)
    other = Services.open(f"sqlite:///{target.as_posix()}")
    log_in_as_admin(other)
    yield other
    other.close()


def test_a_pack_carries_the_content_to_another_office(qtbot, services, county, tmp_path):  # noqa: ANN001
    city = _editor(qtbot, services)
    city.select("guide", "教育")
    city.editor.setPlainText(_retitle(city.editor.toPlainText()))
    _click(qtbot, city.publish_button)  # saves the draft, then publishes it
    assert services.handouts().guide_content("教育").title == NEW_TITLE
    pack = tmp_path / "city.zip"
    city.export_to(pack)
    qtbot.waitUntil(lambda: "已导出" in city.pack_message.text(), timeout=WAIT)
    assert pack.is_file()

    other = _editor(qtbot, county)
    other.import_from(pack)
    qtbot.waitUntil(lambda: "已导入" in other.pack_message.text(), timeout=WAIT)
    title, question = other.asked[-1]
    assert title == "导入内容包" and "普法指南·教育：修改" in question
    assert county.handouts().guide_content("教育").title == NEW_TITLE
    assert _state_shown(other, "guide", "教育") == "本单位版本"

    # The same pack again changes nothing, and asks nothing.
    asked = len(other.asked)
    other.import_from(pack)
    qtbot.waitUntil(lambda: "无需导入" in other.pack_message.text(), timeout=WAIT)
    assert len(other.asked) == asked

    not_a_pack = tmp_path / "notes.zip"
    not_a_pack.write_bytes(b"not a zip at all")
    other.import_from(not_a_pack)
    qtbot.waitUntil(lambda: "不是有效的内容包" in other.pack_message.text(), timeout=WAIT)
    assert other.import_button.isEnabled()
    city.worker.wait()
    other.worker.wait()


def test_a_declined_pack_changes_nothing(qtbot, services, county, tmp_path):  # noqa: ANN001
    services.content.save_draft("guide", "教育", _retitle(services.content.text("guide", "教育")))
    services.content.publish("guide", "教育")
    pack = tmp_path / "city.zip"
    services.content.export_pack(pack)
    other = _with_answers(_editor(qtbot, county), answer=False)
    other.import_from(pack)
    qtbot.waitUntil(lambda: "未导入" in other.pack_message.text(), timeout=WAIT)
    assert {e.state for e in county.content.entries()} == {"出厂"}
    other.worker.wait()


# ---- law import ----

LAW_V1 = """中华人民共和国测试法

（2025年1月1日第十四届全国人民代表大会常务委员会第十三次会议通过）

第一条　为了检验法规文本的导入和版本比较，制定本法。
第二条　测试单位应当如实记录测试结果。
第三条　本法自2025年3月1日起施行。
"""
LAW_V2 = LAW_V1.replace("应当如实记录测试结果。", "应当如实、完整地记录测试结果，并保存三年。")


def _law_dialog(qtbot, services):  # noqa: ANN001, ANN202
    from ui.desk.law_import_dialog import LawImportDialog

    dialog = LawImportDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_law_is_imported_and_a_new_version_shows_what_changed(qtbot, services, tmp_path):  # noqa: ANN001
    first = tmp_path / "测试法.txt"
    first.write_text(LAW_V1, encoding="utf-8")
    dialog = _law_dialog(qtbot, services)
    dialog.load_file(first)
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=WAIT)
    # Read from the text: the short title without 中华人民共和国, the date from 自……起施行.
    assert dialog.short_title_edit.text() == "测试法"
    assert dialog.effective_edit.text() == "2025-03-01"
    assert "共 3 条" in dialog.import_status.text() and "还没有这部法律" in dialog.import_status.text()
    _click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: "已导入" in dialog.import_status.text(), timeout=WAIT)
    assert [v.article_count for v in services.laws.versions() if v.short_title == "测试法"] == [3]

    second = tmp_path / "测试法（修正）.txt"
    second.write_text(LAW_V2, encoding="utf-8")
    dialog.load_file(second)
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=WAIT)
    # The same date as the first import would replace it: the amended text gets its own date.
    assert "替换" in dialog.import_status.text()
    dialog.effective_edit.setText("2026-01-01")
    dialog.check()
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=WAIT)
    assert [label for label, _old, _new in dialog.checked.diff.changed] == ["第二条"]
    shown = dialog.import_view.toPlainText()
    assert "修改 1 条，新增 0 条，删除 0 条" in shown and "第二条" in shown and "并保存三年" in shown
    assert "第一条" not in shown  # unchanged articles are only counted
    _click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: "已导入" in dialog.import_status.text(), timeout=WAIT)
    assert len([v for v in services.laws.versions() if v.short_title == "测试法"]) == 2

    # 版本比较: the two stored versions.
    qtbot.waitUntil(lambda: dialog.law_combo.findData("测试法") >= 0, timeout=WAIT)
    dialog.tabs.setCurrentIndex(1)
    dialog.choose_versions("测试法")
    _click(qtbot, dialog.compare_button)
    qtbot.waitUntil(lambda: "修改 1 条" in dialog.compare_status.text(), timeout=WAIT)
    assert "第二条" in dialog.compare_view.toPlainText()
    assert "2025年3月1日施行版" in dialog.compare_view.toPlainText()
    dialog.worker.wait()


def test_a_text_with_a_numbering_gap_is_refused_with_the_reason(qtbot, services, tmp_path):  # noqa: ANN001
    broken = tmp_path / "缺条.txt"
    broken.write_text(LAW_V1.replace("第二条　测试单位应当如实记录测试结果。\n", ""), encoding="utf-8")
    dialog = _law_dialog(qtbot, services)
    dialog.load_file(broken)
    qtbot.waitUntil(lambda: "不能导入" in dialog.import_status.text(), timeout=WAIT)
    assert "条文编号不连续" in dialog.import_view.toPlainText()
    assert not dialog.import_button.isEnabled()
    dialog.effective_edit.setText("2025年3月1日")
    dialog.check()
    assert "日期格式应为" in dialog.effective_error.text()
    assert not [v for v in services.laws.versions() if v.short_title == "测试法"]
    dialog.worker.wait()


# ---- settings ----


def _settings_screen(qtbot, services):  # noqa: ANN001, ANN202
    from ui.desk.office_settings_screen import OfficeSettingsScreen

    screen = OfficeSettingsScreen(services)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_office_and_kiosk_settings_are_saved_together(qtbot, services):  # noqa: ANN001
    screen = _settings_screen(qtbot, services)
    screen.inputs["phone"].setText("0512-87654321")
    screen.inputs["idle_seconds"].setValue(120)
    screen.inputs["terminal_name"].setText("二楼触摸屏")
    assert screen.save()
    assert services.settings.office().phone == "0512-87654321"
    assert services.settings.office().office_name == "测试市信访局"  # the rest kept
    kiosk = services.settings.kiosk()
    assert (kiosk.idle_seconds, kiosk.terminal_name) == (120, "二楼触摸屏")


def test_one_wrong_field_saves_nothing_and_is_marked(qtbot, services):  # noqa: ANN001
    before_office, before_kiosk = services.settings.office(), services.settings.kiosk()
    screen = _settings_screen(qtbot, services)
    screen.inputs["phone"].setText("0512-87654321")
    screen.inputs["guide_base_url"].setText("xf.test.gov.cn/pufa")
    screen.inputs["idle_seconds"].setValue(300)
    screen.inputs["pin"].setText("246810")
    screen.inputs["pin_again"].setText("246810")
    assert not screen.save()
    assert "http://" in screen.errors["guide_base_url"].text()
    assert screen.tabs.currentIndex() == 0  # the tab with the problem is shown
    assert "都未保存" in screen.error.text()
    assert services.settings.office() == before_office
    assert services.settings.kiosk() == before_kiosk
    assert not services.settings.kiosk_pin_matches("246810")
    # Corrected, everything is saved at once.
    screen.inputs["guide_base_url"].setText("https://xf.test.gov.cn/pufa/")
    assert screen.save()
    assert services.settings.office().phone == "0512-87654321"
    assert services.settings.kiosk().idle_seconds == 300


def test_the_kiosk_pin_is_typed_twice(qtbot, services):  # noqa: ANN001
    screen = _settings_screen(qtbot, services)
    screen.inputs["pin"].setText("246810")
    screen.inputs["pin_again"].setText("246811")
    screen.inputs["idle_seconds"].setValue(200)
    assert not screen.save()
    assert "不一致" in screen.errors["pin_again"].text()
    assert screen.tabs.currentIndex() == 2
    assert services.settings.kiosk().idle_seconds != 200

    screen.inputs["pin"].setText("1234")
    screen.inputs["pin_again"].setText("1234")
    assert not screen.save()
    assert "6到12位数字" in screen.errors["pin"].text()

    screen.inputs["pin"].setText("246810")
    screen.inputs["pin_again"].setText("246810")
    assert screen.save()
    assert services.settings.kiosk_pin_matches("246810")
    assert services.settings.kiosk().idle_seconds == 200


def test_a_year_s_holidays_are_entered_as_on_the_command_line(qtbot, services):  # noqa: ANN001
    import datetime as dt

    screen = _settings_screen(qtbot, services)
    screen.edit_year(2031)
    screen.holidays_edit.setPlainText("2031-13-01")
    assert not screen.save()
    assert "2031年" in screen.holiday_error.text() and "YYYY-MM-DD" in screen.holiday_error.text()
    assert screen.tabs.currentIndex() == 3
    assert 2031 not in services.settings.holiday_schedules()

    screen.holidays_edit.setPlainText("2031-01-01,2031-10-01..2031-10-07")
    screen.workdays_edit.setPlainText("2031-09-28")
    assert screen.save()
    schedule = services.settings.holiday_schedules()[2031]
    assert len(schedule.holidays) == 8 and schedule.workdays == {dt.date(2031, 9, 28)}

    # Shown again as entered, runs of days as one range.
    again = _settings_screen(qtbot, services)
    again.edit_year(2031)
    assert "2031-10-01..2031-10-07" in again.holidays_edit.toPlainText()
    assert "放假8天，调休上班1天" in again.year_list.currentItem().text()
    # A day outside the year is the service's refusal, shown at the field all the same.
    again.workdays_edit.setPlainText("2032-01-04")
    assert not again.save()
    assert "不在2031年内" in again.holiday_error.text()
    assert services.settings.holiday_schedules()[2031].workdays == {dt.date(2031, 9, 28)}


def test_the_administrator_reaches_the_screens_from_the_settings_menu(qtbot, main_window):  # noqa: ANN001
    for action, opener in (
        (main_window.office_screen_action, main_window.open_office_screen),
        (main_window.content_action, main_window.open_content_editor),
        (main_window.law_import_action, main_window.open_law_import),
    ):
        assert action.isVisible() and action.isEnabled()
        dialog = opener()
        qtbot.waitUntil(dialog.isVisible, timeout=3000)
        dialog.close()
