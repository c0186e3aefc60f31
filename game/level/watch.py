"""Watching a level file while its author edits it (``proprio play LEVEL --watch``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from game.errors import LevelError
from game.level.loader import LoadedLevel, load_level, read_level_bytes


class LevelWatcher:
    """Notices when the file's text changes; loads the new version or keeps its problems."""

    def __init__(self, path: Path, current_sha256: str) -> None:
        self.path = Path(path)
        self._sha256 = current_sha256
        self._stamp = self._stat()
        self.problems: list[str] = []  # why the newest version does not load (empty when it does)

    def _stat(self) -> tuple[int, int] | None:
        try:
            info = self.path.stat()
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def poll(self) -> LoadedLevel | None:
        """A newly valid version of the level, or None (unchanged, or changed but invalid)."""
        stamp = self._stat()
        if stamp == self._stamp:
            return None
        self._stamp = stamp
        try:
            text = read_level_bytes(self.path)  # a FIFO, a device or a huge file: refused, never waited on
        except LevelError as exc:
            self.problems = exc.problems or [exc.message]
            return None
        digest = hashlib.sha256(text).hexdigest()
        if digest == self._sha256 and not self.problems:
            return None
        try:
            loaded = load_level(self.path)
        except LevelError as exc:
            self._sha256 = digest
            self.problems = exc.problems or [exc.message]
            return None
        except Exception as exc:  # an author's edit must never end the game: it is a notice
            self._sha256 = digest
            self.problems = [f"{self.path}: cannot load this version ({type(exc).__name__}: {exc})"[:300]]
            return None
        self._sha256 = loaded.sha256
        self.problems = []
        return loaded

    def notice(self) -> str | None:
        """One line for the screen while the newest version is invalid."""
        if not self.problems:
            return None
        first = self.problems[0].split(": ", 1)[-1] if ": " in self.problems[0] else self.problems[0]
        more = f" (+{len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return f"Level not reloaded: {first}{more}"[:90]
