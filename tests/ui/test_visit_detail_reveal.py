"""The visit detail shows ID numbers masked; the whole number only on request, and the request is audited."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.conftest import valid_id


def test_full_id_only_on_request_and_audited(qtbot, services, make_input):  # noqa: ANN001
    from ui.desk.visit_detail import VisitDetailDialog

    saved = services.visits.register(make_input())
    dialog = VisitDetailDialog(
        services.visits.get_detail(saved.visit_id),
        reveal=lambda: services.visits.get_detail(saved.visit_id, reveal_id=True),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert valid_id() not in dialog.body.text() and "110105********" in dialog.body.text()
    assert dialog.reveal_button.isVisible() and not services.audit.browse(action="view_id")
    qtbot.mouseClick(dialog.reveal_button, Qt.MouseButton.LeftButton)
    assert valid_id() in dialog.body.text() and not dialog.reveal_button.isVisible()
    [entry] = services.audit.browse(action="view_id")
    assert entry.target == saved.visit_no
