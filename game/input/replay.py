"""Replay a recorded session as input: same seed + same recording => the same game, step for step.

A recording is either a delimited-text export with a header naming at least ``t_s``, ``x`` and
``y`` (optionally ``raw_x``, ``raw_y``, ``raw_unit``; other columns are ignored; a ``proprio
export`` samples.csv holding several sessions is replayed as ``samples.csv#SESSION_ID``), or a
session in a Proprio database (``FILE.db#SESSION_ID``; ``#SESSION_ID`` alone: the --db database),
read by the telemetry store (``open_source``'s ``read_session``; this package never opens SQLite).
At simulation time ``t_s`` the source gives the last recorded sample at or before ``t_s``, so a
recording made at the simulation rate is replayed exactly. Rows that are not finite numbers
or go back in time are counted as dropped; the recorded values are used as they are (no
calibration: they were normalized when recorded). A row whose time or values no recording holds
(a stamp of 1e308, a tilt of 400 deg) is dropped, and the rows kept are the longest run whose
times keep rising, so one stamp far ahead costs that row, not every row after it.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from game.errors import DeviceError
from game.input.device import MAX_DEVICE_T_S, MAX_RAW, DeviceStatus, InputStats, plausible_raw
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


_DELIMITER_NAMES = {"\t": "tab", ",": "comma", ";": "semicolon"}
MAX_RECORDING_BYTES = 2 * 1024**3  # a replay file this large is not a recording (over a day of 1 kHz samples)


def read_csv(path: Path, session_id: int | None = None) -> Recording:
    """A delimited-text recording (comma, tab or semicolon; header row first), read as a stream.

    A ``proprio export`` samples table may hold several sessions (a ``session_id`` column):
    ``session_id`` picks one, and the seed is then read from the ``sessions.csv`` beside it. Only
    the poses are kept in memory, never the file's text or rows.
    """
    with _open_recording(Path(path)) as handle:
        try:
            header = handle.readline(64 * 1024)  # a header longer than this is not a recording's
        except UnicodeDecodeError:
            raise DeviceError(f"{path} is not a text recording",
                              remedy="Pass a CSV export, or a database as FILE.db#SESSION_ID.") from None
        if not header.strip():
            raise DeviceError(f"the recording {path} is empty", remedy="Export a session with samples first.")
        delimiter = next((d for d in ("\t", ",", ";") if d in header), ",")
        index = _columns(path, next(csv.reader([header], delimiter=delimiter)))
        poses, dropped, found, matched = _stream_poses(path, handle, delimiter, index, session_id)
    if "session_id" in index:
        listed = sorted(found, key=lambda v: (len(v), v))
        if session_id is not None and not matched:
            raise DeviceError(f"the recording {path} has no session {session_id}",
                              remedy=f"It holds sessions {', '.join(listed[:10])}.")
        if session_id is None and len(found) > 1:
            raise DeviceError(f"the recording {path} holds {len(found)} sessions",
                              remedy=f"Pick one, e.g. --input replay:{path}#{listed[0]} "
                                     f"(sessions {', '.join(listed[:10])}).")
    elif session_id is not None:
        raise DeviceError(f"the recording {path} has no session_id column",
                          remedy=f"Replay it whole: --input replay:{path}")
    kept = _in_order(poses)
    if not kept:
        raise DeviceError(f"the recording {path} has no usable samples",
                          remedy="Check that t_s, x and y hold numbers.")
    origin = f"{path}#{session_id}" if session_id is not None else str(path)
    return Recording(tuple(kept), dropped + len(poses) - len(kept), seed=_exported_seed(Path(path), session_id),
                     origin=origin)


def _open_recording(path: Path) -> TextIO:
    """The recording opened for reading as text: a regular file of bounded size (never a FIFO or a device)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO would block an ordinary open
    except OSError as exc:
        raise DeviceError(f"cannot read the recording {path} ({exc.strerror or exc})",
                          remedy="Check the path; a recording is a CSV export or FILE.db#SESSION_ID.") from None
    info = os.fstat(fd)
    problem = None
    if not stat.S_ISREG(info.st_mode):
        problem = "is not a regular file (a folder, a pipe or a device)"
    elif info.st_size > MAX_RECORDING_BYTES:
        problem = (f"is {info.st_size / 1024**3:.1f} GiB, more than a recording can be"
                   f" ({MAX_RECORDING_BYTES // 1024**3} GiB)")
    if problem is not None:
        os.close(fd)
        raise DeviceError(f"the recording {path} {problem}", remedy="Pass a CSV export or FILE.db#SESSION_ID.")
    os.set_blocking(fd, True)
    return open(fd, encoding="utf-8-sig", newline="")


def _stream_poses(path: Path, handle: TextIO, delimiter: str, index: dict[str, int],
                  session_id: int | None) -> tuple[list[Pose], int, set[str], int]:
    """Parse the body row by row: (poses, rows dropped, the sessions seen, rows of the asked session)."""
    rows = csv.reader(handle, delimiter=delimiter)
    column = index.get("session_id")
    wanted = None if session_id is None else str(session_id)
    poses: list[Pose] = []
    found: set[str] = set()
    dropped = matched = 0
    record_line = 2  # where the record being read starts (what a person looks for); the header is line 1
    try:
        for cells in rows:
            record_line = rows.line_num + 2  # the next record starts after this one
            if not any(c.strip() for c in cells):
                continue
            if column is not None:
                session = cells[column].strip() if len(cells) > column else ""
                found.add(session)
                if wanted is not None and session != wanted:
                    continue
                matched += 1
            pose = _pose_from_cells(cells, index)
            if pose is None:
                dropped += 1
            else:
                poses.append(pose)
    except csv.Error as exc:  # an unterminated quote swallows the rest of the file into one field
        raise DeviceError(f"the recording {path} cannot be read as {_DELIMITER_NAMES[delimiter]}-separated text"
                          f" from line {record_line} ({exc})",
                          remedy="Look for an unclosed double quote (\") on that line.") from None
    except UnicodeDecodeError:
        raise DeviceError(f"{path} is not a text recording (not UTF-8 near line {record_line})",
                          remedy="Pass a CSV export, or a database as FILE.db#SESSION_ID.") from None
    return poses, dropped, found, matched


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    """Column positions by lower-case name; t_s, x and y are required."""
    names = [name.strip().lower() for name in header]
    missing = [c for c in ("t_s", "x", "y") if c not in names]
    if missing:
        raise DeviceError(f"the recording {path} has no column {', '.join(missing)}",
                          remedy="A recording needs a header with t_s, x and y (raw_x, raw_y, raw_unit optional).")
    return {name: i for i, name in enumerate(names)}


def _pose_from_cells(cells: list[str], index: dict[str, int]) -> Pose | None:
    """One row as a pose, or None when it is not numbers or not plausible."""
    try:
        t_s, x, y = (float(cells[index[c]]) for c in ("t_s", "x", "y"))
        raw_x = float(cells[index["raw_x"]]) if "raw_x" in index else x
        raw_y = float(cells[index["raw_y"]]) if "raw_y" in index else y
        unit = (cells[index["raw_unit"]].strip() if "raw_unit" in index else "") or "los"
    except (ValueError, IndexError):
        return None
    if not _usable(t_s, x, y, raw_x, raw_y, unit):
        return None
    return Pose(t_s, clamp_unit(x), clamp_unit(y), raw_x, raw_y, unit)


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
        if not all(isinstance(v, (int, float)) for v in values) or not _usable(*values, unit or "los"):
            dropped += 1
            continue
        poses.append(Pose(float(t_s), clamp_unit(x), clamp_unit(y), float(values[3]), float(values[4]), unit or "los"))
    kept = _in_order(poses)
    return kept, dropped + len(poses) - len(kept)


def _usable(t_s: float, x: float, y: float, raw_x: float, raw_y: float, raw_unit: str) -> bool:
    """Whether a row can be a recorded sample: a finite time no device clock exceeds, plausible values."""
    if not -MAX_DEVICE_T_S <= t_s <= MAX_DEVICE_T_S:  # NaN fails too
        return False
    return -MAX_RAW <= x <= MAX_RAW and -MAX_RAW <= y <= MAX_RAW and plausible_raw(raw_unit, raw_x, raw_y)


def _in_order(poses: list[Pose]) -> list[Pose]:
    """The longest run of poses whose times keep rising: a lone stamp far ahead costs itself, not what follows.

    Built from the end (patience sorting on reversed time), so of two equally long runs the one with the
    earlier rows is kept: a straggler is dropped, as a device's late sample is.
    """
    if all(a.t_s < b.t_s for a, b in itertools.pairwise(poses)):
        return poses
    tails: list[float] = []  # tails[k]: minus the latest first time of a rising run of k + 1 poses from here on
    starts: list[int] = []  # starts[k]: the index of that run's first pose
    after = [-1] * len(poses)  # the pose after each one in its best run
    for i in range(len(poses) - 1, -1, -1):
        key = -poses[i].t_s
        k = bisect.bisect_left(tails, key)
        if k == len(tails):
            tails.append(key)
            starts.append(i)
        else:
            tails[k], starts[k] = key, i
        after[i] = starts[k - 1] if k > 0 else -1
    kept: list[Pose] = []
    i = starts[-1]
    while i >= 0:
        kept.append(poses[i])
        i = after[i]
    return kept


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
