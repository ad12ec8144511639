"""The background worker's results reach the screen that asked, and only while it is there."""

from __future__ import annotations

import threading


def test_a_result_is_dropped_when_the_worker_is_gone_before_the_job_ends(qtbot):  # noqa: ANN001
    """A screen closed while its job runs (a match on a slow machine, a test's widget torn down) must not have
    the result called back into deleted objects: that raised 'Signal source has been deleted' in the next
    test's event loop."""
    from shiboken6 import isValid

    from ui.shared.ops import Worker

    release = threading.Event()
    started = threading.Event()
    received = []
    worker = Worker()

    def job() -> str:
        started.set()
        release.wait(10)
        return "done"

    worker.submit(job, received.append)
    assert started.wait(10)
    # The worker goes while the job still runs; deleting it waits for the job, whose result comes after.
    threading.Timer(0.3, release.set).start()
    worker.deleteLater()
    qtbot.waitUntil(lambda: not isValid(worker), timeout=5000)
    qtbot.wait(200)
    assert received == []


def test_a_result_reaches_its_callback_and_the_worker_is_idle_after(qtbot):  # noqa: ANN001
    from ui.shared.ops import Worker

    worker = Worker()
    received = []
    busy = []
    worker.busy_changed.connect(busy.append)
    worker.submit(lambda: 6 * 7, received.append)
    qtbot.waitUntil(lambda: received == [42], timeout=5000)
    assert busy == [True, False] and not worker.is_busy()
