"""The one base of every measures error, so the measures stand alone without the game's error classes."""

from __future__ import annotations


class MeasureError(ValueError):
    """Input a published measure cannot be computed from; ``remedy`` says what a person can do about it.

    It mirrors ``game.errors.ProprioError`` (same ``message``, ``remedy`` and ``__str__``) without
    importing the game, and is a ``ValueError`` because every such error is about a bad value.
    """

    def __init__(self, message: str, remedy: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.remedy = remedy

    def __str__(self) -> str:
        if self.remedy:
            return f"{self.message}\n  {self.remedy}"
        return self.message
