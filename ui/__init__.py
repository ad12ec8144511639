"""Qt widgets of the staff desktop and the kiosk."""

from ui.shared.signal_emit import guard_signal_emit

# Before any widget emits: PySide6 6.12.0's emit takes a reference from True on every call (see the module).
guard_signal_emit()
