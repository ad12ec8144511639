"""Qt widgets of the staff desktop (and later the kiosk)."""
