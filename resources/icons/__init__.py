"""Icons of the kiosk and the topic tiles (SVG)."""
