"""Run database and PDF work off the GUI thread on one serial worker; results come back as queued signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from shiboken6 import isValid

log = logging.getLogger(__name__)


class _TaskSignals(QObject):
    """Signals:
    finished(object): the job's return value.
    failed(object): the exception the job raised.
    """

    finished = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, job: Callable[[], Any], signals: _TaskSignals):
        super().__init__()
        self._job = job
        self._signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._job()
        except Exception as exc:  # handed to the GUI thread, which decides how to show it
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


class Worker(QObject):
    """One background thread for jobs that touch the database or build documents.

    A single thread keeps SQLite writes serial and results in the order jobs were queued. Callbacks
    run on the GUI thread; jobs must never touch widgets.

    Signals:
        busy_changed(bool): True while jobs are queued or running.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending: set[_TaskSignals] = set()

    def submit(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        signals = _TaskSignals()
        self._pending.add(signals)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)

        def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
            if not isValid(self):
                # The worker, and the screen that owned it, went while the job ran: nobody is left to tell.
                return
            self._pending.discard(signals)
            if not self._pending:
                self.busy_changed.emit(False)
            if callback is not None:
                callback(value)
            elif isinstance(value, Exception):
                raise value

        signals.finished.connect(lambda value: finish(on_done, value), Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(lambda exc: finish(on_error, exc), Qt.ConnectionType.QueuedConnection)
        self._pool.start(_Task(job, signals))

    def is_busy(self) -> bool:
        return bool(self._pending)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued jobs finished (for shutdown and tests); callbacks still need the event loop."""
        return self._pool.waitForDone(msecs)
