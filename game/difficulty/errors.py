"""The one error the difficulty scaler raises, so callers can catch bad settings by type."""

from __future__ import annotations

from game.errors import ProprioError


class DifficultyConfigError(ProprioError, ValueError):
    """A scaler setting, outcome or saved state that is out of range or malformed.

    It is a ``ValueError`` too, so code that guards numeric input generically still catches it.
    """
