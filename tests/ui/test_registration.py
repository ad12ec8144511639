"""Driving the real window: fill the form, save, find, repeat-visit notice, errors at the field."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reception.visits import VisitQuery
from tests.conftest import valid_id


def fill(qtbot, form, *, name="赵建国", id_number=None, phone="13912345678", summary="包工头跑了，工钱没给"):  # noqa: ANN001
    form.name_edit.setText(name)
    form.id_edit.setText(id_number if id_number is not None else valid_id(birth="19700505"))
    form.phone_edit.setText(phone)
    form.officer_edit.setText("刘接待")
    form.summary_edit.setPlainText(summary)


def save_and_wait(qtbot, form):  # noqa: ANN001, ANN201
    with qtbot.waitSignal(form.saved, timeout=5000) as blocker:
        qtbot.keyClick(form.name_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return blocker.args[0]


def test_register_then_find_in_list(qtbot, main_window, visit_service):
    form = main_window.form
    fill(qtbot, form)
    saved = save_and_wait(qtbot, form)
    assert "已保存" in form.status_label.text()
    assert form.name_edit.text() == ""  # ready for the next person
    assert visit_service.get_detail(saved.visit_id).name == "赵建国"

    panel = main_window.visit_list
    for query in ("赵建国", valid_id(birth="19700505"), "13912345678", "工钱"):
        panel.search_edit.setText(query)
        panel.run_search()
        assert panel.model.rowCount() == 1, query
        assert panel.model.row_at(0).visit_id == saved.visit_id
        shown_id = panel.model.index(0, 3).data()
        assert "*" in shown_id and valid_id(birth="19700505") not in shown_id
    dialog = main_window.open_visit(saved.visit_id)
    qtbot.addWidget(dialog)
    assert valid_id(birth="19700505") not in dialog.body.text()  # masked until asked for
    qtbot.mouseClick(dialog.reveal_button, Qt.MouseButton.LeftButton)
    assert valid_id(birth="19700505") in dialog.body.text()


def test_repeat_visit_notice_on_second_visit(qtbot, main_window):
    form = main_window.form
    fill(qtbot, form)
    form.explanation_edit.setPlainText("已告知向劳动保障监察投诉或申请劳动仲裁")
    save_and_wait(qtbot, form)

    with qtbot.waitSignal(form.repeat_lookup_done, timeout=5000) as blocker:
        form.id_edit.setText(valid_id(birth="19700505"))
    assert blocker.args[0].count == 1
    notice = form.repeat_notice
    assert "此前已来访 1 次" in notice.headline.text()
    assert "劳动仲裁" in notice.details.text()


def test_invalid_input_shows_error_at_field_and_saves_nothing(qtbot, main_window, visit_service):
    form = main_window.form
    fill(qtbot, form, id_number="110105197005051231", phone="12345")
    form.summary_edit.setPlainText("")
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "校验位" in form.error_text("id_number")
    assert "联系电话" in form.error_text("phone") or "手机号" in form.error_text("phone")
    assert form.error_text("summary") == "请填写诉求摘要"
    assert form.id_edit.property("invalid") is True
    assert "未保存" in form.status_label.text()
    main_window.worker.wait()
    assert visit_service.list_page(VisitQuery())[0] == []
    form.id_edit.setFocus()
    qtbot.keyClick(form.id_edit, Qt.Key.Key_Backspace)
    assert form.error_text("id_number") == ""


def test_keyboard_only_registration(qtbot, main_window, visit_service):
    form = main_window.form
    form.officer_edit.setText("刘接待")
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert form.name_edit.hasFocus() or main_window.focusWidget() is form.name_edit
    # QTest can only type ASCII keys; Chinese arrives as committed input-method text.
    form.name_edit.insert("钱多多")
    for _ in range(13):  # Tab through person, visit and the hidden representatives to the summary
        qtbot.keyClick(main_window.focusWidget(), Qt.Key.Key_Tab)
        if form.summary_edit.hasFocus():
            break
    assert form.summary_edit.hasFocus()
    form.summary_edit.insertPlainText("小区噪音扰民")
    with qtbot.waitSignal(form.saved, timeout=5000):
        qtbot.keyClick(form.summary_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # A name without an ID number is not anonymous; saving without a classification was asked about.
    assert not visit_service.list_page(VisitQuery(text="钱多多"))[0][0].is_anonymous
    assert form.asked == ["尚未分类"]
    assert "待分类" in form.status_label.text()


def test_group_visit_shows_representatives(qtbot, main_window):
    form = main_window.form
    assert form.reps_box.isHidden()
    form.headcount_spin.setValue(12)
    assert not form.reps_box.isHidden()


def test_list_fetches_pages_not_everything(qtbot, main_window, visit_service, make_input):
    import datetime as dt

    for i in range(230):
        visit_service.register(
            make_input(id_number="", name=f"批量{i}", visited_at=dt.datetime(2026, 1, 1, 8) + dt.timedelta(minutes=i))
        )
    model = main_window.visit_list.model
    model.refresh()
    assert model.rowCount() == 200
    assert model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 230
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert model.row_at(0).name == "批量0"


def test_enter_moves_to_the_next_field_and_only_ctrl_enter_saves(qtbot, main_window, visit_service):
    form = main_window.form
    fill(qtbot, form)
    form.id_edit.setFocus()
    qtbot.keyClick(form.id_edit, Qt.Key.Key_Return)  # what an ID-card reader sends after the number
    assert form.phone_edit.hasFocus()
    assert form.error_text("id_number") == "" and "未保存" not in form.status_label.text()
    main_window.worker.wait()
    assert visit_service.list_page(VisitQuery())[0] == []


def test_the_visit_time_is_the_moment_of_saving_unless_the_officer_set_it(qtbot, main_window, visit_service):
    import datetime as dt

    from PySide6.QtCore import QDateTime

    form = main_window.form
    # The form has been open a while: its clock shows an earlier minute.
    form._setting_time = True
    form.visited_at_edit.setDateTime(QDateTime.currentDateTime().addSecs(-3 * 3600))
    form._setting_time = False
    fill(qtbot, form)
    form.set_classification("申诉求决", "劳动就业", "仲裁")
    before = dt.datetime.now().replace(second=0, microsecond=0)
    saved = save_and_wait(qtbot, form)
    stamped = visit_service.get_detail(saved.visit_id).visited_at
    assert before <= stamped <= dt.datetime.now()
    # An officer who enters the time of an earlier visit keeps it.
    fill(qtbot, form, id_number=valid_id(birth="19800101"), phone="13900000001")
    form.set_classification("申诉求决", "劳动就业", "仲裁")
    form.visited_at_edit.setDateTime(QDateTime(2026, 11, 2, 8, 30, 0))
    saved = save_and_wait(qtbot, form)
    assert visit_service.get_detail(saved.visit_id).visited_at == dt.datetime(2026, 11, 2, 8, 30)


def test_unsaved_input_is_not_discarded_without_asking(qtbot, main_window):
    form = main_window.form
    form.summary_edit.setPlainText("还没保存的诉求")
    form.answer = False
    main_window.new_registration()
    assert form.summary_edit.toPlainText() == "还没保存的诉求" and form.asked == ["放弃未保存的登记？"]
    assert not main_window.close()  # Ctrl+Q asks too, and a "no" keeps the window
    assert form.asked[-1] == "退出前确认"
    form.answer = True
    main_window.new_registration()
    assert form.summary_edit.toPlainText() == "" and form.status_label.text() == ""


def test_an_unclassified_save_can_be_declined(qtbot, main_window, visit_service):
    form = main_window.form
    fill(qtbot, form)
    form.answer = False
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    main_window.worker.wait()
    assert form.asked == ["尚未分类"] and visit_service.list_page(VisitQuery())[0] == []
    assert form.summary_edit.toPlainText()  # nothing lost


def test_gender_is_filled_from_the_id_number(qtbot, main_window):
    form = main_window.form
    form.id_edit.setText(valid_id(birth="19700505"))
    assert form.gender_combo.currentText() in ("男", "女")
    from reception.validation import normalize_id_number

    assert form.gender_combo.currentText() == normalize_id_number(valid_id(birth="19700505")).gender


def test_a_read_only_database_is_explained_and_the_form_kept(qtbot, main_window, services, db_url):  # noqa: ANN001
    from reception.visits import VisitService

    # The same file opened read-only, as on a share whose permissions changed under the desk.
    read_only = services.database.__class__(db_url.replace("sqlite:///", "sqlite:///file:") + "?mode=ro&uri=true")
    form = main_window.form
    form._visits = VisitService(read_only, access=services.access, cipher=services.cipher)
    fill(qtbot, form)
    form.set_classification("申诉求决", "劳动就业", "仲裁")
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "保存失败" in form.status_label.text(), timeout=5000)
    assert "只读" in form.status_label.text() or "无法写入" in form.status_label.text()
    assert form.name_edit.text() == "赵建国"  # nothing lost


def come_back(qtbot, form, first_summary="包工头跑了，工钱没给"):  # noqa: ANN001, ANN201
    """Registers a visit, then fills the form for the same person again: the join list offers its matter."""
    fill(qtbot, form, summary=first_summary)
    first = save_and_wait(qtbot, form)
    fill(qtbot, form, summary="上次反映的工钱还是没给")
    with qtbot.waitSignal(form.repeat_lookup_done, timeout=5000):
        form.id_edit.setText(valid_id(birth="19700506"))
        form.id_edit.setText(valid_id(birth="19700505"))
    combo = form.repeat_notice.matter_combo
    assert combo.isVisible() and combo.count() == 2
    return first, combo


def test_a_second_visit_joins_the_earlier_matter_from_the_notice(qtbot, main_window, visit_service):  # noqa: ANN001
    form = main_window.form
    first, combo = come_back(qtbot, form)
    combo.setCurrentIndex(1)
    second = save_and_wait(qtbot, form)
    assert second.matter_id == first.matter_id
    assert visit_service.get_detail(second.visit_id).matter_id == first.matter_id


def test_a_suggestion_never_shows_one_hundred_percent(qtbot):
    from PySide6.QtWidgets import QPushButton

    from reception.matching.engine import Scored
    from ui.desk.match_panel import MatchPanel

    buttons = [QPushButton(), QPushButton()]
    MatchPanel._fill(buttons, [Scored("劳动就业", 0.996, ()), Scored("社会保障", 0.42, ())], 0.08)
    assert [b.text() for b in buttons] == ["劳动就业 99%", "社会保障 42%"]


def test_an_earlier_matter_s_long_summary_does_not_widen_the_side_column(qtbot, main_window):  # noqa: ANN001
    main_window.resize(1366, 698)
    main_window.show()
    qtbot.waitExposed(main_window)
    long_summary = "在小区门口的工地干了八个月保洁和杂工，包工头跑了，三个月工资一共一万二没拿到，劳动监察说在查。"
    _first, combo = come_back(qtbot, main_window.form, long_summary)
    qtbot.wait(50)
    side = main_window.side_panel
    # Wider than its scroll area, the column would hide the matches' right edge behind a scroll bar.
    assert side.minimumSizeHint().width() <= side.parentWidget().width()
    view = combo.view()
    # The open list still shows the earlier matter whole.
    assert view.minimumWidth() >= view.sizeHintForColumn(0)


def test_the_desk_lists_the_matcher_s_first_five_first(qtbot, services, tmp_path):  # noqa: ANN001
    """The five statutes the matcher composes (a situation's article among them) are what the quality
    figures measure and what the officer sees first; three more follow in score order."""
    from reception.matching import Matcher
    from ui.desk.match_panel import MatchPanel
    from ui.shared.ops import Worker

    matcher = Matcher(services.laws, cache_dir=tmp_path / "cache")
    panel = MatchPanel(Worker())
    qtbot.addWidget(panel)
    panel.set_matcher(matcher)
    text = "小区旁边的化工厂经常冒黑烟，环保部门来检查过好几次，一直不说查出了什么，请求把检查结果向社会公布，让附近居民放心。"
    panel.update_text(text)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=20000)
    shown = [panel.statutes.item(row).text().split("　")[0] for row in range(panel.statutes.count())]
    composed = [f"《{s.law}》{s.article}" for s in matcher.match(text, top=5).statutes]
    assert shown[:5] == composed[:5]
    assert "《政府信息公开条例》第二十条" in shown[:5]
    assert len(shown) == 8
