"""Write transactions that wait for a busy database and commit all or nothing, and the ids they insert."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from sqlite_utils import Database
from sqlite_utils.db import Table

from game.errors import TelemetryError

T = TypeVar("T")


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One write transaction whose lock is taken up front (BEGIN IMMEDIATE).

    sqlite-utils commits each chunk of an ``insert_all`` on its own unless a transaction is
    already open; inside this one they become savepoints, so the whole block commits or
    none of it. IMMEDIATE takes the write lock at BEGIN, where the busy timeout applies: a
    deferred transaction that has read cannot wait for the lock later (SQLite answers
    SQLITE_BUSY at once) and its rows would be lost to a moment's contention.
    """
    if db.conn.in_transaction:  # a transaction left open (Python's implicit BEGIN): finish it with ours
        with db.conn:
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def inserted_id(table: Table) -> int:
    """The integer id of the row ``table.insert`` just wrote (sqlite-utils types ``last_pk`` loosely as Any).

    Our ids are ``INTEGER PRIMARY KEY`` columns, which SQLite makes the rowid itself.
    """
    if table.last_rowid is None:
        raise TelemetryError(f"an insert into {table.name} gave no row id",
                             remedy="This is a bug in Proprio; please report it.")
    return table.last_rowid


FaultKind = Literal["disk_full", "locked", "read_only", "io_error", "other"]

# SQLite primary result codes (the low byte of sqlite3.Error.sqlite_errorcode).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 5, 6, 8, 10, 13, 14
_TRANSIENT: frozenset[FaultKind] = frozenset({"disk_full", "locked", "read_only", "io_error"})
FIRST_RETRY_S = 0.05  # back-off: the first wait after a failed write, doubling up to MAX_RETRY_S
MAX_RETRY_S = 2.0
SAVE_RETRY_BUDGET_S = 10.0  # how long a write on the main connection (closing row, scalers) keeps retrying


@dataclass(frozen=True)
class WriteFault:
    """Why a write failed, in words for the player (``short``) and the clinician (``message``, ``remedy``)."""

    kind: FaultKind
    short: str
    message: str
    remedy: str

    @property
    def transient(self) -> bool:
        """A fault that may clear by itself (space freed, lock released, permissions fixed): worth retrying."""
        return self.kind in _TRANSIENT


def _free_bytes(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path.parent if not path.is_dir() else path).free
    except OSError:
        return None


def classify_write_error(exc: BaseException, path: Path) -> WriteFault:
    """Name the real cause of a failed write: disk full, locked by another program, read-only, I/O error."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary == _SQLITE_FULL or "disk is full" in text:
        free = _free_bytes(path)
        if free is not None and free > 1_000_000:
            return WriteFault("disk_full", "the database cannot grow",
                              f"the database {path} cannot grow although its disk has {free / 1e6:.0f} MB free "
                              f"(SQLite: {exc})",
                              "A size limit (max_page_count) or a disk quota stops it; lift it or pass another --db.")
        return WriteFault("disk_full", "the disk is full",
                          f"the disk holding {path} is full ({(free or 0) / 1e6:.1f} MB free; SQLite: {exc})",
                          "Free space on that disk, or play with --db on another disk.")
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return WriteFault("locked", "another program has locked the database",
                          f"another program holds the database {path} locked for writing (SQLite: {exc})",
                          "Close the program that has it open (a database browser, a backup tool, a second "
                          "proprio writing to the same --db).")
    if primary == _SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return WriteFault("read_only", "the database has become read-only",
                          f"the database {path} has become read-only (SQLite: {exc})",
                          "Check the permissions of the file and its folder, and whether the disk was remounted "
                          "read-only.")
    if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or "i/o error" in text:
        return WriteFault("io_error", "the disk reports errors",
                          f"the disk holding {path} reported an error on writing (SQLite: {exc})",
                          "Check the disk (its cable, its network share, the system log) or pass another --db.")
    return WriteFault("other", "telemetry could not be written",
                      f"telemetry could not be written to {path} ({type(exc).__name__}: {exc})",
                      "This is a bug in Proprio or a damaged database; please report it.")


def backoff_s(attempt: int) -> float:
    """The wait before retry number ``attempt`` (0-based): 0.05 s doubling, at most 2 s."""
    return min(MAX_RETRY_S, FIRST_RETRY_S * float(2 ** min(attempt, 16)))


def retry_write(db: Database, path: Path, write: Callable[[Database], T], *,
                budget_s: float = SAVE_RETRY_BUDGET_S, what: str = "telemetry") -> T:
    """Run ``write`` in one write transaction, retrying a transient fault with back-off for about ``budget_s``.

    Used on the main connection for the few rows that must land whatever happened during the level
    (the closing row, the difficulty progress). The budget counts the back-off waits and, for a locked
    database, the busy timeout each try spent, so no clock is read. Raises ``TelemetryError`` naming the cause.
    """
    waited_s = 0.0
    attempt = 0
    pause = threading.Event()  # never set: wait() is a bounded back-off, not a clock read
    busy_s = float(db.execute("PRAGMA busy_timeout").fetchone()[0]) / 1000  # what each locked try spends waiting
    while True:
        try:
            with write_transaction(db):
                return write(db)
        except sqlite3.Error as exc:
            fault = classify_write_error(exc, path)
            waited_s += busy_s if fault.kind == "locked" else 0.0
            if not fault.transient or waited_s >= budget_s:
                raise TelemetryError(f"{what} could not be saved: {fault.message}", remedy=fault.remedy) from exc
        delay = backoff_s(attempt)
        pause.wait(delay)
        waited_s += delay
        attempt += 1
