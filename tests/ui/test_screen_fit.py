"""Every window and dialog fits a 1366×768 screen at 100 % and 125 % scaling, buttons in view.

At 125 % a 1366×768 screen is 1093×614 logical pixels; less a 40-pixel task bar and a 30-pixel title bar,
a window has about 1093×550 to show itself in.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QAbstractButton, QWidget

from tests.conftest import valid_id

SIZES = {"100%": (1366, 698), "125%": (1093, 550)}


def _check_fits(window: QWidget, size: tuple[int, int], qtbot) -> None:  # noqa: ANN001
    width, height = size
    hint = window.minimumSizeHint()
    assert hint.width() <= width and hint.height() <= height, (type(window).__name__, hint)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    frame = window.rect()
    buttons = [b for b in window.findChildren(QAbstractButton) if b.isVisibleTo(window) and b.text()]
    assert buttons
    for button in buttons:
        if not button.isVisible():
            continue
        box = button.geometry()
        top_left = button.mapTo(window, box.topLeft() - button.pos())
        assert frame.contains(top_left) and top_left.y() + box.height() <= height, (button.text(), top_left)


@pytest.mark.parametrize("scale", SIZES)
def test_main_window_fits(qtbot, main_window, scale):  # noqa: ANN001
    _check_fits(main_window, SIZES[scale], qtbot)
    assert main_window.statusBar().geometry().bottom() <= SIZES[scale][1]


@pytest.mark.parametrize("scale", SIZES)
def test_detail_of_a_large_group_visit_fits(qtbot, services, make_input, scale):  # noqa: ANN001
    from reception.visits import RepresentativeInput
    from ui.desk.visit_detail import VisitDetailDialog

    reps = [RepresentativeInput(f"代表{i}", valid_id(birth=f"1970010{i}"), f"1390000000{i}") for i in range(1, 6)]
    saved = services.visits.register(
        make_input(
            headcount=40,
            representatives=reps,
            summary="村里四十户联名反映征地补偿款没有发放到户。" * 20,
            visited_at=dt.datetime(2026, 11, 20, 9, 30),
        )
    )
    dialog = VisitDetailDialog(services.visits.get_detail(saved.visit_id))
    qtbot.addWidget(dialog)
    _check_fits(dialog, SIZES[scale], qtbot)
    assert {b.text() for b in dialog.buttons.buttons()} >= {"出具告知书", "打印回执", "关闭"}


@pytest.mark.parametrize("scale", SIZES)
def test_settings_dialog_fits(qtbot, services, scale):  # noqa: ANN001
    from ui.desk.settings_dialog import OfficeSettingsDialog

    dialog = OfficeSettingsDialog(services.settings, first_start=True)
    qtbot.addWidget(dialog)
    _check_fits(dialog, SIZES[scale], qtbot)


@pytest.mark.parametrize("scale", SIZES)
def test_preview_and_law_status_dialogs_fit(qtbot, main_window, services, make_input, scale):  # noqa: ANN001
    from ui.desk.document_preview import DocumentPreviewDialog
    from ui.desk.law_status import MarkStatusDialog

    saved = services.visits.register(make_input(matter_type="申诉求决", topic="劳动就业", route="仲裁"))
    document = services.handouts().prepare_notice(saved.visit_id)
    preview = DocumentPreviewDialog(document, services.handouts(), main_window.worker, "刘接待")
    qtbot.addWidget(preview)
    _check_fits(preview, SIZES[scale], qtbot)
    # Staff see the font's name, not a file path of the machine.
    assert "/" not in preview.info.text() and "\\\\" not in preview.info.text()
    mark = MarkStatusDialog("村民委员会组织法")
    qtbot.addWidget(mark)
    _check_fits(mark, SIZES[scale], qtbot)
