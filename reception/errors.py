"""Two kinds of error: ones the user can act on (shown kindly) and bugs (logged, crash dialog)."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; its message is plain Chinese meant for the screen."""


class ValidationError(UserError):
    """Input that cannot be saved. Carries one message per offending field.

    Args:
        errors: mapping of field name (as in the service's input dataclass) to a Chinese message.
    """

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()))


class NotFoundError(UserError):
    """A record that was asked for does not exist."""
