"""Widgets and start-up code that the staff desk and the kiosk share."""
