"""The one recorder: session steps and UI events become rows, and what the store keeps between sessions.

The play loop talks to telemetry only through a ``Recorder`` (one per run) and the
``LevelRecording`` it begins for each level: rows are batched and handed to the writer
thread every ``HANDOFF_STEPS`` fixed steps (so a crash loses at most a quarter of a second),
the player's stored scalers, limits and calibration are loaded here, and the scalers are
saved here when a level closes. Nothing else in the game spells the schema.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from game.core.events import Event, UiEventKind
from game.difficulty import DifficultyScaler
from game.errors import TelemetryError
from game.input.calibration import Calibration, CalibrationError
from game.input.pose import Reading
from game.input.replay import Recording
from game.input.source import DeviceDescription
from game.limits import PlayerLimits
from game.session import ScalerStart, SessionStep, StoredScaler
from telemetry.store.calibrations import latest_calibration, record_device, save_calibration
from telemetry.store.database import open_db
from telemetry.store.limits import load_limits
from telemetry.store.recordings import read_recording
from telemetry.store.sessions import create_session, mark_interrupted, previous_result, utc_now
from telemetry.store.transactions import SAVE_RETRY_BUDGET_S, classify_write_error, retry_write
from telemetry.store.writer import MAX_HELD_ROWS, Batch, Losses, TelemetryWriter, event_row

HANDOFF_STEPS = 30  # fixed steps between hand-offs to the writer thread (0.25 s at 120 Hz)
FINISH_WAIT_S = 30.0  # at a level's close, how long the writer keeps retrying a failing database


class Recorder:
    """A run's telemetry: one database, opened (and migrated, and crash-checked) before anything plays."""

    def __init__(self, db_path: Path, *, finish_wait_s: float = FINISH_WAIT_S,
                 save_budget_s: float = SAVE_RETRY_BUDGET_S, writer_busy_timeout_s: float | None = None,
                 max_held_rows: dict[str, int] | None = None) -> None:
        self.path = Path(db_path)
        self.db: Database = open_db(self.path)  # an unwritable --db is reported before the game starts
        mark_interrupted(self.db)
        self.finish_wait_s = finish_wait_s  # how long a level's close waits for a failing database to come back
        self.save_budget_s = save_budget_s  # how long the closing row and the scalers retry on the main connection
        self.writer_busy_timeout_s = writer_busy_timeout_s  # None: the database's own (tests pass a short one)
        self.max_held_rows = {**MAX_HELD_ROWS, **(max_held_rows or {})}  # the memory budget while the disk refuses
        self.current: LevelRecording | None = None  # the level being recorded (what a test or a monitor looks at)
        self.patient = False  # True when play runs faster than real time: its writers wait instead of dropping

    # -- what the store keeps between sessions ---------------------------------------------------
    def limits(self, player_id: str) -> PlayerLimits:
        """The clinician's limits for this player."""
        return load_limits(self.db, player_id)

    def stored_scalers(self, player_id: str) -> dict[str, StoredScaler]:
        """Per challenge kind, the player's saved scaler (difficulty and whole state)."""
        if not self.db.table("difficulty_state").exists():
            return {}
        rows = self.db.query("select kind, difficulty, state from difficulty_state where player_id = ?", [player_id])
        return {row["kind"]: StoredScaler(row["difficulty"], row["state"]) for row in rows}

    def save_scalers(self, player_id: str, scalers: Mapping[str, DifficultyScaler]) -> None:
        """Keep each kind's scaler for the player's next session (retried through a passing fault).

        Raises ``TelemetryError`` naming the cause when the database still refuses after the retries.
        """
        rows = [{"player_id": player_id, "kind": kind, "difficulty": scaler.difficulty, "updated_at": utc_now(),
                 "state": json.dumps(scaler.state())} for kind, scaler in scalers.items()]

        def write(db: Database) -> None:
            for row in rows:
                db.table("difficulty_state").upsert(row, pk=("player_id", "kind"))

        retry_write(self.db, self.path, write, budget_s=self.save_budget_s, what="the difficulty progress")

    def close_session(self, session_id: int, fields: dict[str, Any]) -> None:
        """Write a session's closing row on the main connection (when the writer thread could not)."""
        retry_write(self.db, self.path, lambda db: db.table("sessions").update(session_id, fields),
                    budget_s=self.save_budget_s, what="the session's closing row")

    def calibration(self, player_id: str, device: DeviceDescription) -> Calibration | None:
        """The player's newest usable calibration for this device (or its kind); notes the device as used.

        The caller gives it to the device: the store never drives hardware. A damaged row or one
        in another unit is passed over (the device keeps its default mapping).
        """
        if not device.needs_calibration:
            return None
        record_device(self.db, device.device_id, device.kind, {"name": device.name, "raw_unit": device.raw_unit})
        row = latest_calibration(self.db, player_id, device.kind, device.device_id)
        if row is None:
            return None
        try:
            calibration = Calibration.from_row(row)
        except (CalibrationError, ValueError):
            return None
        return calibration if calibration.raw_unit == device.raw_unit else None

    def save_calibration(self, player_id: str, device: DeviceDescription, calibration: Calibration,
                         notes: str = "") -> int:
        """Store a new calibration for the player on this device; return its id."""
        record_device(self.db, device.device_id, device.kind, {"name": device.name, "raw_unit": calibration.raw_unit})
        return save_calibration(self.db, player_id, device.kind, device.device_id, calibration.to_row(), notes)

    def previous_result(self, player_id: str, level: str, before_session: int) -> dict[str, Any] | None:
        """The player's last finished session of this level (what the results screen compares with)."""
        return previous_result(self.db, player_id, level, before_session)

    @staticmethod
    def recording(db_path: Path, session_id: int) -> Recording:
        """A stored session's samples, for ``--input replay:`` (any Proprio database, opened read-only)."""
        return read_recording(db_path, session_id)

    # -- one level ---------------------------------------------------------------------------------
    def begin(self, fields: dict[str, Any], starts: list[ScalerStart]) -> LevelRecording:
        """Create the session row and its writer thread; log how each scaler started."""
        try:
            session_id = create_session(self.db, fields)
        except sqlite3.Error as exc:
            fault = classify_write_error(exc, self.path)
            raise TelemetryError(f"the session could not be started: {fault.message}", remedy=fault.remedy) from exc
        writer = TelemetryWriter(self.path, busy_timeout_s=self.writer_busy_timeout_s,
                                 max_held_rows=self.max_held_rows, patient=self.patient).start()
        recording = LevelRecording(self, session_id, str(fields["player_id"]), writer)
        self.current = recording
        for start in starts:
            recording.event(0.0, "difficulty_start", start.event_data(), challenge=start.challenge)
        recording.flush()
        return recording

    def close(self) -> None:
        """Close the database."""
        self.db.close()


class LevelRecording:
    """One level's rows on their way to the writer thread."""

    def __init__(self, recorder: Recorder, session_id: int, player_id: str, writer: TelemetryWriter) -> None:
        self.recorder = recorder
        self.session_id = session_id
        self.player_id = player_id
        self.writer = writer
        self.pending = Batch()
        self._steps = 0
        self.readings_kept = 0  # device readings recorded so far (their seq numbers)

    def step(self, step: SessionStep) -> None:
        """The rows of one session step (a sample only when the world moved); hands over every 30 steps."""
        # Rows are tuples in the writer's COLUMNS order, made here once: the writer thread hands them to one
        # prepared executemany per table without touching a cell (tests/telemetry/store pins the order).
        session_id = self.session_id
        pose = step.pose
        if pose is not None:
            self.pending.samples.append((session_id, step.step, step.t_s, pose.x, pose.y, pose.raw_x, pose.raw_y,
                                         pose.raw_unit, pose.t_s))
        if step.events:
            self.pending.events.extend(event_row(session_id, event) for event in step.events)
        for result in step.results:
            self.pending.trials.append((
                session_id, result.challenge, result.trial, result.kind, "success" if result.success else "fail",
                result.started_t_s, result.duration_s, result.difficulty, json.dumps(result.params, sort_keys=True),
                result.points, result.progress,
            ))
        for change in step.changes:
            self.pending.difficulty_changes.append((
                session_id, change.t_s, change.challenge, change.kind, change.trial, change.old, change.new,
                change.reason, change.recent_success_rate,
            ))
        self._steps += 1
        if self._steps % HANDOFF_STEPS == 0:
            self.flush()

    def readings(self, readings: list[Reading], raw_unit: str) -> None:
        """Every device reading since the last call, at the device's own rate (the readings table)."""
        first, session_id = self.readings_kept, self.session_id
        self.pending.readings.extend(
            (session_id, seq, r.t_s, r.raw_x, r.raw_y, raw_unit) for seq, r in enumerate(readings, start=first))
        self.readings_kept += len(readings)

    def event(self, t_s: float, kind: UiEventKind, data: dict[str, Any] | None = None, challenge: int = -1) -> None:
        """A UI event (pause, resume, recentre, device_pause, level_reloaded, ...) at simulation time ``t_s``.

        Handed to the writer at once with what is pending, not with the next 30 steps: a paused game runs
        no steps, so its pause (and the trial before it) would otherwise wait in memory for as long as the
        pause lasts, and a process killed then would lose them. UI events are rare (a few a session).
        """
        self.pending.events.append(event_row(self.session_id, Event(t_s, kind, challenge, 0, data or {})))
        self.flush()

    def flush(self) -> None:
        """Hand the pending rows to the writer thread now."""
        self.writer.submit(self.pending)
        self.pending = Batch()

    def problem(self) -> str | None:
        """A short notice while telemetry cannot keep up (disk full, database locked, ...); None when all is well."""
        return self.writer.problem()

    def losses(self) -> Losses:
        """What has not reached the database so far, and why."""
        return self.writer.losses()

    def finish(self, closing: dict[str, Any], scalers: Mapping[str, DifficultyScaler]) -> Losses:
        """Write every pending row and the closing row, and keep the scalers for next time, whatever happened.

        The writer retries a failing database for up to ``Recorder.finish_wait_s``; what it still holds then
        is counted as lost, and the closing row says so (``completed_with_gaps``, ``lost_s``, ``lost_rows``,
        ``write_problem``). The closing row (if the writer could not write it) and the scalers are then
        written on the main connection with their own retries. Returns what was lost; raises
        ``TelemetryError`` naming the cause only when the closing row or the scalers could not be saved.
        """
        self.flush()
        fields = {"ended_at": utc_now(), **closing}
        self.writer.finish(self.session_id, fields, timeout_s=self.recorder.finish_wait_s)
        failures: list[TelemetryError] = []
        if not self.writer.closed:
            try:
                self.recorder.close_session(self.session_id, self.writer.closing_fields(fields))
            except TelemetryError as exc:
                failures.append(exc)
        try:
            self.recorder.save_scalers(self.player_id, scalers)
        except TelemetryError as exc:
            failures.append(exc)
        if failures:
            raise TelemetryError("; ".join(f.message for f in failures),
                                 remedy=failures[0].remedy or "Check the database's disk and permissions.")
        return self.writer.losses()
