"""The telemetry writer thread: the game loop hands it batches and never waits for SQLite."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from game.core.events import Event
from game.core.world import STEP_HZ
from game.errors import TelemetryError
from telemetry.store.database import open_db
from telemetry.store.sessions import closing_status
from telemetry.store.transactions import WriteFault, backoff_s, classify_write_error, write_transaction

#: A row: a tuple in its table's ``COLUMNS`` order (what the recorder makes), or a dict by column name
#: (tests, tools: a missing column is NULL, an unknown one an error).
Row = tuple[Any, ...] | dict[str, Any]

#: The columns the recorder fills, per table, in the order of its row tuples. Fixed once, so a batch
#: is one prepared ``executemany`` of tuples per table (the schema itself, and its migrations, stay in
#: schema.py with sqlite-utils; a test checks that these lists name every column the tables have).
COLUMNS: dict[str, tuple[str, ...]] = {
    "samples": ("session_id", "step", "t_s", "x", "y", "raw_x", "raw_y", "raw_unit", "device_t_s"),
    "events": ("session_id", "t_s", "kind", "challenge", "trial", "data"),
    "trials": ("session_id", "challenge", "trial", "kind", "outcome", "started_t_s", "duration_s", "difficulty",
               "params", "points", "progress"),
    "difficulty_changes": ("session_id", "t_s", "challenge", "kind", "trial", "old", "new", "reason",
                           "recent_success_rate"),
    "readings": ("session_id", "seq", "device_t_s", "raw_x", "raw_y", "raw_unit"),
}


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{column}"' for column in columns)
    return f'insert into "{table}" ({names}) values ({", ".join("?" * len(columns))})'


_INSERT = {table: _insert_sql(table, columns) for table, columns in COLUMNS.items()}


@dataclass
class Batch:
    """Rows gathered by the loop since the last hand-off, one list per table (see ``Row``)."""

    samples: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    trials: list[Row] = field(default_factory=list)
    difficulty_changes: list[Row] = field(default_factory=list)
    readings: list[Row] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.samples or self.events or self.trials or self.difficulty_changes or self.readings)


@dataclass
class _Finish:
    session_id: int
    fields: dict[str, Any]


@dataclass
class _SessionUpdate:
    session_id: int
    fields: dict[str, Any]


_STOP = object()
_TABLES = ("samples", "events", "trials", "difficulty_changes", "readings")

#: While the database refuses writes, the game keeps this much play in memory and retries (in order).
BUFFER_S = 60.0
DEVICE_HZ_BUDGET = 1000  # the readings budget is sized for a 1 kHz device (a faster one fills it sooner)
#: Rows kept waiting per table before the oldest are dropped (and counted as lost): 60 s of 120 Hz samples
#: and of a 1 kHz device's readings (about 14 MB of rows in memory: benchmarks/attack_telemetry.py --scenario memory);
#: events, trials and difficulty changes come a few per second, so their (generous) caps are never the limit.
MAX_HELD_ROWS = {"samples": int(BUFFER_S * STEP_HZ), "readings": int(BUFFER_S * DEVICE_HZ_BUDGET),
                 "events": 50_000, "trials": 10_000, "difficulty_changes": 10_000}


@dataclass(frozen=True)
class Losses:
    """Rows that never reached the database, per table, and the cause of the last write fault seen."""

    rows: dict[str, int]
    fault: WriteFault | None = None
    error: str | None = None  # a write that failed for good (not a passing fault), in words

    @property
    def lost_rows(self) -> int:
        """Every lost row, whatever its table."""
        return sum(self.rows.values())

    @property
    def lost_s(self) -> float:
        """Seconds of play whose samples were lost (one sample per 1/120 s step)."""
        return round(self.rows.get("samples", 0) / STEP_HZ, 3)

    @property
    def problem(self) -> str | None:
        """What went wrong with writing, for the session row (None: nothing ever failed)."""
        if self.error is not None:
            return self.error
        return self.fault.message if self.fault is not None else None


class TelemetryWriter:
    """Owns its own SQLite connection in a daemon thread; each batch is one transaction.

    A write that fails for a passing reason (disk full, a lock held by another program, a read-only
    or failing disk) is retried with back-off, in order: later batches wait in memory behind it, up
    to ``MAX_HELD_ROWS`` per table, beyond which the oldest waiting rows are dropped and counted.
    Nothing is swallowed: ``losses()`` says what was lost and why, ``problem()`` says it while it lasts.
    """

    def __init__(self, db_path: Path, *, busy_timeout_s: float | None = None,
                 max_held_rows: dict[str, int] | None = None, patient: bool = False) -> None:
        self.db_path = Path(db_path)
        # A run that does not keep real time (--fast, a test's ManualClock) makes play faster than SQLite
        # writes it: patient, submit() waits while half the budget is waiting instead of dropping rows.
        # A fault (full disk, lock) still drops past the budget, so a fast run never hangs on a bad disk.
        self.patient = patient
        self.busy_timeout_s = busy_timeout_s  # None: open_db's; a test passes a short one
        # None: unbounded, for a caller that submits everything and then waits (a benchmark, an import);
        # the game's recording passes MAX_HELD_ROWS so a long fault cannot eat the machine's memory.
        self.max_held_rows = dict.fromkeys(_TABLES, 1 << 62) | (max_held_rows or {})
        self._items: deque[object] = deque()
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="proprio-telemetry", daemon=True)
        self._ready = threading.Event()
        self._abandon = threading.Event()  # finish() gave up waiting: drop what is left, count it, stop
        self.error: BaseException | None = None  # the first write that failed for good (or the fault that cost rows)
        self.rows_written = 0
        self.batches_written = 0
        self.closed = False  # the closing row was written
        self._held = dict.fromkeys(_TABLES, 0)  # rows waiting (queued and in flight)
        self._lost = dict.fromkeys(_TABLES, 0)
        self._fault: WriteFault | None = None  # failing right now
        self._last_fault: WriteFault | None = None  # the last fault seen this session
        self._error_text: str | None = None
        self.faults = 0  # failed attempts so far

    def start(self) -> TelemetryWriter:
        """Start the thread and wait until its connection is open (or has failed)."""
        self._thread.start()
        self._ready.wait(timeout=10)
        if self.error is not None:
            raise self.error
        return self

    def submit(self, batch: Batch) -> None:
        """Hand a batch over; returns at once. Past the memory budget the oldest waiting rows are dropped."""
        if not batch:
            return
        with self._cond:
            while self.patient and self._fault is None and self._thread.is_alive() and any(
                    self._held[table] > self.max_held_rows[table] // 2 for table in _TABLES):
                self._cond.wait(timeout=0.2)  # the writer thread notifies as each batch is written
            self._items.append(batch)
            for table in _TABLES:
                self._held[table] += len(getattr(batch, table))
            self._shed()
            self._cond.notify_all()

    def update_session(self, session_id: int, fields: dict[str, Any]) -> None:
        """Change columns of a session row, in order with the batches."""
        self._put(_SessionUpdate(session_id, dict(fields)))

    def finish(self, session_id: int, fields: dict[str, Any], timeout_s: float = 30.0) -> None:
        """Write the session's closing fields after every batch, then stop the thread.

        The writer keeps retrying a fault for up to ``timeout_s``; then whatever still waits is dropped
        and counted, and ``closed`` stays False (the caller writes the closing row on its own connection).
        ``status`` becomes ``completed_with_gaps`` and ``lost_s``/``lost_rows``/``write_problem`` are
        filled when rows were lost.
        """
        self._put(_Finish(session_id, dict(fields)))
        self._put(_STOP)
        self._thread.join(timeout=timeout_s)
        if self._thread.is_alive():
            self._abandon.set()
            self._thread.join(timeout=(self.busy_timeout_s or 5.0) + 5.0)
        if self._thread.is_alive():  # stuck inside SQLite: count everything it still holds as lost
            with self._cond:
                for table in _TABLES:
                    self._lost[table] += self._held[table]
                    self._held[table] = 0

    @property
    def running(self) -> bool:
        """The thread is still at work (False once it has stopped, written or given up)."""
        return self._thread.is_alive()

    @property
    def gave_up(self) -> bool:
        """finish() stopped waiting for a failing database: what was still waiting is counted as lost."""
        return self._abandon.is_set()

    # -- what the game reads while it plays ------------------------------------------------------------
    def losses(self) -> Losses:
        """What has been lost so far (final after ``finish``)."""
        with self._cond:
            return Losses(dict(self._lost), self._last_fault, self._error_text)

    def held_s(self) -> float:
        """Seconds of play waiting in memory for the database."""
        with self._cond:
            return self._held["samples"] / STEP_HZ

    def problem(self) -> str | None:
        """A short notice while telemetry cannot keep up (None: all is well)."""
        with self._cond:
            fault, held_s, lost_s = self._fault, self._held["samples"] / STEP_HZ, self._lost["samples"] / STEP_HZ
        if fault is None:
            # Rows waiting without a failed write is lag, not a fault: a --fast or simulated run is far
            # ahead of real time. Whatever was dropped stays counted in losses() and on the session row.
            return None
        cause = fault.short
        lost = f", {lost_s:.1f} s lost" if lost_s > 0 else ""
        return f"Data not saved yet: {cause} ({held_s:.1f} s kept in memory{lost}); play goes on"

    def closing_fields(self, fields: dict[str, Any]) -> dict[str, Any]:
        """The closing fields with what was lost: the status says so, and how many seconds and rows."""
        losses = self.losses()
        return {**fields, "status": closing_status(str(fields.get("status")), losses.lost_rows),
                "lost_s": losses.lost_s, "lost_rows": losses.lost_rows, "write_problem": losses.problem}

    # -- the thread ---------------------------------------------------------------------------------------
    def _put(self, item: object) -> None:
        with self._cond:
            self._items.append(item)
            self._cond.notify()

    def _shed(self) -> None:
        """Drop the oldest waiting rows of a table over its budget (never the batch being written)."""
        for table in _TABLES:
            over = self._held[table] - self.max_held_rows[table]
            if over <= 0:
                continue
            for item in list(self._items):
                if over <= 0:
                    break
                if isinstance(item, Batch):
                    rows: list[Row] = getattr(item, table)
                    cut = min(over, len(rows))
                    if cut:
                        del rows[:cut]
                        over -= cut
                        self._held[table] -= cut
                        self._lost[table] += cut

    def _next(self) -> object:
        with self._cond:
            while not self._items:
                self._cond.wait()
            return self._items.popleft()

    def _run(self) -> None:
        try:
            db = open_db(self.db_path, migrate=False)
            if self.busy_timeout_s is not None:
                db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
        except BaseException as exc:  # reported by start()
            self.error = exc
            self._ready.set()
            return
        self._ready.set()
        while True:
            item = self._next()
            if item is _STOP or not self._write_with_retry(db, item):
                break
        db.close()

    def _write_with_retry(self, db: Database, item: object) -> bool:
        """Write one item, retrying a passing fault with back-off until it lands (True) or finish() gives up."""
        attempt = 0
        while True:
            if self._abandon.is_set():
                with self._cond:
                    rest = list(self._items)
                    self._items.clear()
                for dropped in (item, *rest):
                    self._drop(dropped)
                return False
            try:
                self._write(db, item)
            except Exception as exc:  # the game must not block on a full disk: keep it, retry, count losses
                fault = classify_write_error(exc, self.db_path)
                with self._cond:
                    self.faults += 1
                    self._last_fault = fault
                    self._fault = fault if fault.transient else None
                if not fault.transient:  # a bug or a damaged database: retrying cannot help
                    if self.error is None:
                        self.error = exc
                        self._error_text = fault.message
                    self._drop(item)
                    return True
                # Back-off: wait (the thread reads no clock) so a full disk is not hammered; finish() cuts it short.
                self._abandon.wait(backoff_s(attempt))
                attempt += 1
                continue
            with self._cond:
                self._fault = None
                if isinstance(item, Batch):
                    for table in _TABLES:
                        self._held[table] -= len(getattr(item, table))
                self._cond.notify_all()  # a patient submit() may be waiting for room
            return True

    def _drop(self, item: object) -> None:
        """Count a batch that will never be written as lost."""
        if isinstance(item, Batch):
            with self._cond:
                for table in _TABLES:
                    count = len(getattr(item, table))
                    self._held[table] -= count
                    self._lost[table] += count
            if self.error is None and self._last_fault is not None:
                self.error = TelemetryError(self._last_fault.message, remedy=self._last_fault.remedy)

    def _write(self, db: Database, item: object) -> None:
        if isinstance(item, Batch):
            # One prepared executemany of tuples per table, inside one transaction: no per-cell work in Python,
            # and SQLite runs each row with the GIL released, so the game's thread is never kept waiting long.
            conn = db.conn
            with write_transaction(db):
                for table in _TABLES:
                    rows = getattr(item, table)
                    if rows:
                        conn.executemany(_INSERT[table], _as_tuples(table, rows))
            self.rows_written += sum(len(getattr(item, table)) for table in _TABLES)
            self.batches_written += 1
        elif isinstance(item, _Finish):
            with write_transaction(db):
                db.table("sessions").update(item.session_id, self.closing_fields(item.fields))
            self.closed = True
        elif isinstance(item, _SessionUpdate):
            with write_transaction(db):
                db.table("sessions").update(item.session_id, item.fields)


def _as_tuples(table: str, rows: list[Row]) -> list[Row]:
    """The rows as tuples in ``COLUMNS[table]`` order: the recorder's rows as they are, dict rows converted."""
    if dict not in set(map(type, rows)):  # the recorder's tuples: no per-row work in Python
        return rows
    columns = COLUMNS[table]
    known = frozenset(columns)
    converted: list[Row] = []
    for row in rows:
        if isinstance(row, dict):
            unknown = row.keys() - known
            if unknown:
                raise TelemetryError(f"the {table} table has no column {', '.join(sorted(unknown))}",
                                     remedy="This is a bug in Proprio; please report it.")
            row = tuple(row.get(column) for column in columns)
        converted.append(row)
    return converted


def event_row(session_id: int, event: Event) -> tuple[Any, ...]:
    """An events-table row (``COLUMNS["events"]``) from a core Event."""
    return (session_id, event.t_s, event.kind, event.challenge, event.trial, json.dumps(event.data, sort_keys=True))
