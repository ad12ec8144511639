"""Keep PySide6 6.12.0's `Signal.emit()` from wearing away `True`.

In PySide6 6.12.0 `SignalInstance.emit()` returns `True` without owning a reference to it, so every emit of
a signal declared in Python takes one reference from `True`. On Python 3.11, where `True` is an ordinary
object, its count reaches zero after some tens of thousands of emits (the registration form emits once per
keystroke) and the interpreter aborts: "Fatal Python error: bool_dealloc". The test suite hit it at exit.
6.11.3 does not do this; a later release may fix it, so the fault is measured, not assumed from a version.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBE_EMITS = 8


class _Probe(QObject):
    pinged = Signal()


def emit_steals_a_reference() -> bool:
    """Whether an emit leaves `True` with fewer references than before, measured on a signal of our own."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBE_EMITS):
        probe.pinged.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:
        # The probe's own emits took references too: give them back.
        for _ in range(lost):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return lost >= _PROBE_EMITS - 2


def guard_signal_emit() -> bool:
    """Wrap `SignalInstance.emit` so that it owns the bool it returns, where this PySide6 needs it.

    Idempotent; returns whether the wrapper is in place.
    """
    if getattr(SignalInstance.emit, "_owns_its_result", False):
        return True
    if not emit_steals_a_reference():
        return False
    emit = SignalInstance.emit

    def emit_owning_its_result(self: SignalInstance, *args: object) -> object:
        result = emit(self, *args)
        if isinstance(result, bool):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
        return result

    emit_owning_its_result._owns_its_result = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit_owning_its_result
    return True
