"""The telemetry writer thread: the game loop hands it batches and never waits for SQLite."""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from game.core.events import Event
from telemetry.store.database import open_db
from telemetry.store.transactions import write_transaction


@dataclass
class Batch:
    """Rows gathered by the loop since the last hand-off, one list per table."""

    samples: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    trials: list[dict[str, Any]] = field(default_factory=list)
    difficulty_changes: list[dict[str, Any]] = field(default_factory=list)
    readings: list[dict[str, Any]] = field(default_factory=list)

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


class TelemetryWriter:
    """Owns its own SQLite connection in a daemon thread; each batch is one transaction."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="proprio-telemetry", daemon=True)
        self._ready = threading.Event()
        self.error: BaseException | None = None
        self.rows_written = 0
        self.batches_written = 0

    def start(self) -> TelemetryWriter:
        """Start the thread and wait until its connection is open (or has failed)."""
        self._thread.start()
        self._ready.wait(timeout=10)
        if self.error is not None:
            raise self.error
        return self

    def submit(self, batch: Batch) -> None:
        """Hand a batch over; returns at once (an unbounded queue: the loop never blocks)."""
        if batch:
            self._queue.put(batch)

    def update_session(self, session_id: int, fields: dict[str, Any]) -> None:
        """Change columns of a session row, in order with the batches."""
        self._queue.put(_SessionUpdate(session_id, dict(fields)))

    def finish(self, session_id: int, fields: dict[str, Any], timeout_s: float = 30.0) -> None:
        """Write the session's closing fields after every batch, then stop the thread."""
        self._queue.put(_Finish(session_id, dict(fields)))
        self._queue.put(_STOP)
        self._thread.join(timeout=timeout_s)

    def _run(self) -> None:
        try:
            db = open_db(self.db_path, migrate=False)
        except BaseException as exc:  # reported by start()
            self.error = exc
            self._ready.set()
            return
        self._ready.set()
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            try:
                self._write(db, item)
            except Exception as exc:  # keep draining: the game must not block on a full disk
                if self.error is None:
                    self.error = exc
        db.close()

    def _write(self, db: Database, item: object) -> None:
        if isinstance(item, Batch):
            with write_transaction(db):
                for table in ("samples", "events", "trials", "difficulty_changes", "readings"):
                    rows = getattr(item, table)
                    if rows:
                        db.table(table).insert_all(rows, batch_size=1000)
                        self.rows_written += len(rows)
            self.batches_written += 1
        elif isinstance(item, (_SessionUpdate, _Finish)):
            with write_transaction(db):
                db.table("sessions").update(item.session_id, item.fields)


def event_row(session_id: int, event: Event) -> dict[str, Any]:
    """An events-table row from a core Event."""
    return {
        "session_id": session_id,
        "t_s": event.t_s,
        "kind": event.kind,
        "challenge": event.challenge,
        "trial": event.trial,
        "data": json.dumps(event.data, sort_keys=True),
    }
