"""Data folder (see resources/__init__.py)."""
