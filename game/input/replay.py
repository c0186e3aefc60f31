"""Replay a recorded session as input: same seed + same recording => the same game, step for step.

A recording is either a delimited-text export with a header naming at least ``t_s``, ``x`` and
``y`` (optionally ``raw_x``, ``raw_y``, ``raw_unit``; other columns are ignored; a ``proprio
export`` samples.csv holding several sessions is replayed as ``samples.csv#SESSION_ID``), or a
session in a Proprio database (``FILE.db#SESSION_ID``; ``#SESSION_ID`` alone: the --db database),
read by the telemetry store (``open_source``'s ``read_session``; this package never opens SQLite).
At simulation time ``t_s`` the source gives the last recorded sample at or before ``t_s``, so a
recording made at the simulation rate is replayed exactly. Rows that are not finite numbers
or go back in time are counted as dropped; the recorded values are used as they are (no
calibration: they were normalized when recorded).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.errors import DeviceError
from game.input.device import DeviceStatus, InputStats
from game.input.pose import Pose, clamp_unit
from game.input.source import DeviceDescription, PoseSource

_TIME_EPS_S = 1e-9


@dataclass(frozen=True, slots=True)
class Recording:
    """Samples read from a file, the rows dropped on the way, and the session's seed if known."""

    poses: tuple[Pose, ...]
    dropped: int
    seed: int | None = None
    level: str | None = None
    origin: str = ""


def is_sqlite(path: Path) -> bool:
    """Whether the file is an SQLite database (by its 16-byte header)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def read_csv(path: Path, session_id: int | None = None) -> Recording:
    """A delimited-text recording (comma, tab or semicolon; header row first).

    A ``proprio export`` samples table may hold several sessions (a ``session_id`` column):
    ``session_id`` picks one, and the seed is then read from the ``sessions.csv`` beside it.
    """
    lines = _text_lines(path)
    delimiter = next((d for d in ("\t", ",", ";") if d in lines[0]), ",")
    rows = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    index = _columns(path, next(rows))
    body = _one_session(path, [cells for cells in rows if any(c.strip() for c in cells)], index, session_id)
    poses, dropped = _poses_from_cells(body, index)
    if not poses:
        raise DeviceError(f"the recording {path} has no usable samples",
                          remedy="Check that t_s, x and y hold numbers.")
    origin = f"{path}#{session_id}" if session_id is not None else str(path)
    return Recording(tuple(poses), dropped, seed=_exported_seed(Path(path), session_id), origin=origin)


def _text_lines(path: Path) -> list[str]:
    """The recording's lines (UTF-8, a BOM allowed); a person-readable error when it cannot be read."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise DeviceError(f"cannot read the recording {path} ({exc.strerror or exc})",
                          remedy="Check the path; a recording is a CSV export or FILE.db#SESSION_ID.") from None
    except UnicodeDecodeError:
        raise DeviceError(f"{path} is not a text recording",
                          remedy="Pass a CSV export, or a database as FILE.db#SESSION_ID.") from None
    lines = text.splitlines()
    if not lines:
        raise DeviceError(f"the recording {path} is empty", remedy="Export a session with samples first.")
    return lines


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    """Column positions by lower-case name; t_s, x and y are required."""
    names = [name.strip().lower() for name in header]
    missing = [c for c in ("t_s", "x", "y") if c not in names]
    if missing:
        raise DeviceError(f"the recording {path} has no column {', '.join(missing)}",
                          remedy="A recording needs a header with t_s, x and y (raw_x, raw_y, raw_unit optional).")
    return {name: i for i, name in enumerate(names)}


def _one_session(path: Path, body: list[list[str]], index: dict[str, int], session_id: int | None) -> list[list[str]]:
    """The rows of the asked session (an export may hold several; then one must be named)."""
    if "session_id" not in index:
        if session_id is not None:
            raise DeviceError(f"the recording {path} has no session_id column",
                              remedy=f"Replay it whole: --input replay:{path}")
        return body
    column = index["session_id"]
    found = sorted({cells[column].strip() for cells in body if len(cells) > column}, key=lambda v: (len(v), v))
    if session_id is not None:
        body = [cells for cells in body if len(cells) > column and cells[column].strip() == str(session_id)]
        if not body:
            raise DeviceError(f"the recording {path} has no session {session_id}",
                              remedy=f"It holds sessions {', '.join(found[:10])}.")
    elif len(found) > 1:
        raise DeviceError(f"the recording {path} holds {len(found)} sessions",
                          remedy=f"Pick one, e.g. --input replay:{path}#{found[0]} "
                                 f"(sessions {', '.join(found[:10])}).")
    return body


def _poses_from_cells(body: list[list[str]], index: dict[str, int]) -> tuple[list[Pose], int]:
    """Rows to poses; a row that is not numbers, not finite or goes back in time is counted as dropped."""
    poses: list[Pose] = []
    dropped = 0
    for cells in body:
        try:
            t_s, x, y = (float(cells[index[c]]) for c in ("t_s", "x", "y"))
            raw_x = float(cells[index["raw_x"]]) if "raw_x" in index else x
            raw_y = float(cells[index["raw_y"]]) if "raw_y" in index else y
            unit = cells[index["raw_unit"]].strip() if "raw_unit" in index else "los"
        except (ValueError, IndexError):
            dropped += 1
            continue
        if not _usable(poses, t_s, x, y, raw_x, raw_y):
            dropped += 1
            continue
        poses.append(Pose(t_s, clamp_unit(x), clamp_unit(y), raw_x, raw_y, unit or "los"))
    return poses, dropped


def _exported_seed(samples_path: Path, session_id: int | None) -> int | None:
    """The seed of an exported session, from ``sessions.csv`` in the same export folder (if there)."""
    sessions = samples_path.with_name("sessions.csv")
    if session_id is None or not sessions.is_file():
        return None
    try:
        with open(sessions, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                if str(row.get("id", "")).strip() == str(session_id):
                    return int(row["seed"])
    except (OSError, ValueError, KeyError, TypeError, csv.Error):
        return None
    return None


def poses_from_rows(rows: Iterable[Sequence[Any]]) -> tuple[list[Pose], int]:
    """Stored ``(t_s, x, y, raw_x, raw_y, raw_unit)`` rows as poses, and how many rows were unusable."""
    poses: list[Pose] = []
    dropped = 0
    for t_s, x, y, raw_x, raw_y, unit in rows:
        values = (t_s, x, y, raw_x if raw_x is not None else x, raw_y if raw_y is not None else y)
        if not all(isinstance(v, (int, float)) for v in values) or not _usable(poses, *values):
            dropped += 1
            continue
        poses.append(Pose(float(t_s), clamp_unit(x), clamp_unit(y), float(values[3]), float(values[4]), unit or "los"))
    return poses, dropped


def _usable(poses: list[Pose], t_s: float, *values: float) -> bool:
    if not all(math.isfinite(v) for v in (t_s, *values)):
        return False
    return not poses or t_s > poses[-1].t_s


class ReplaySource(PoseSource):
    """Gives the recorded sample for each simulation time; holds the last one after the end."""

    device_kind = "replay"  # what `proprio calibrate` refuses (a recording cannot be calibrated)

    def __init__(self, recording: Recording) -> None:
        self.recording = recording
        self.name = f"replay:{Path(recording.origin.split('#')[0]).name}" + (
            f"#{recording.origin.split('#')[1]}" if "#" in recording.origin else "")
        self._index = 0
        self._used = 0

    def poll(self, t_s: float) -> Pose:
        """The last recorded sample at or before ``t_s`` (the first one before the recording starts)."""
        poses = self.recording.poses
        while self._index + 1 < len(poses) and poses[self._index + 1].t_s <= t_s + _TIME_EPS_S:
            self._index += 1
        self._used = max(self._used, self._index + 1)
        return poses[self._index]

    @property
    def recorded_seed(self) -> int | None:
        """The seed the session was played with, when the recording says (the replay plays with it)."""
        return self.recording.seed

    @property
    def description(self) -> DeviceDescription:
        """A recording: its samples are used as recorded, so no calibration is applied."""
        return DeviceDescription(self.name, self.device_kind, self.name, self.recording.poses[0].raw_unit, False)

    @property
    def finished(self) -> bool:
        """True once the last recorded sample has been given."""
        return self._index + 1 >= len(self.recording.poses)

    def status(self) -> DeviceStatus:
        """Always ready; says so once the recording has run out (the last sample is held)."""
        if self.finished and len(self.recording.poses) > 1:
            return DeviceStatus(True, "Replay finished", "ended")
        return DeviceStatus(True)

    def stats(self) -> InputStats:
        """Samples given so far; the rows dropped while reading count from the start."""
        poses = self.recording.poses
        span = poses[self._used - 1].t_s - poses[0].t_s if self._used > 1 else 0.0
        dropped = self.recording.dropped  # rows refused while reading: counted on the first level
        return InputStats(self._used, dropped, span, {"malformed": dropped})
