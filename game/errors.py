"""Typed errors that carry what a person needs to fix the problem."""

from __future__ import annotations


class ProprioError(Exception):
    """Base of every error the CLI turns into an ``Error: ...`` line instead of a traceback."""

    def __init__(self, message: str, remedy: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.remedy = remedy

    def __str__(self) -> str:
        if self.remedy:
            return f"{self.message}\n  {self.remedy}"
        return self.message


class FileProblemsError(ProprioError):
    """A file that cannot be loaded; ``problems`` lists every error found, each with its position."""

    def __init__(self, message: str, problems: list[str] | None = None, remedy: str | None = None) -> None:
        super().__init__(message, remedy)
        self.problems = list(problems or [])

    def __str__(self) -> str:
        lines = [self.message, *("  " + p for p in self.problems)]
        if self.remedy:
            lines.append("  " + self.remedy)
        return "\n".join(lines)


class LevelError(FileProblemsError):
    """A level or playlist file that cannot be loaded; ``problems`` lists every error found."""


class InputSpecError(ProprioError):
    """An ``--input`` value that names no known device or is malformed."""


class DeviceError(ProprioError):
    """A device that cannot be opened or has gone away."""


class TelemetryError(ProprioError):
    """A database that cannot be created, opened or written."""
