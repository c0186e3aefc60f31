"""Opening the telemetry database: created owner-only, WAL, migrated, checked writable."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from game.errors import TelemetryError
from telemetry.store.schema import migrations
from telemetry.store.sessions import mark_interrupted

BUSY_TIMEOUT_MS = 5000


def _prepare_file(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TelemetryError(
            f"cannot create the folder for the database {path} ({exc.strerror or exc})",
            remedy="Pass --db with a path in a folder you can write to.",
        ) from None
    if path.is_dir():
        raise TelemetryError(f"{path} is a folder, not a database file", remedy="Pass --db PATH/proprio.db.")
    if not path.exists():
        try:
            # Owner read/write only: the file holds health-related data.
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        except FileExistsError:
            pass
        except OSError as exc:
            raise TelemetryError(
                f"cannot create the database {path} ({exc.strerror or exc})",
                remedy="Pass --db with a path in a folder you can write to.",
            ) from None
    elif not os.access(path, os.W_OK):
        raise TelemetryError(f"the database {path} is not writable",
                             remedy="Check its permissions or pass another --db.")


def open_db(path: Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database, in WAL mode with the schema up to date.

    With ``migrate`` (every command; the writer thread passes False) it also marks the
    ``running`` sessions whose process is gone as ``interrupted``, so no command ever shows
    a dead session as running.
    """
    path = Path(path)
    _prepare_file(path)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=True)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if migrate:
            migrations.apply(db)
            mark_interrupted(db)
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise TelemetryError(
                f"cannot use {path} as a Proprio database ({exc})",
                remedy="Is it another program's file? Pass --db with a new path.",
            ) from None
        raise TelemetryError(
            f"the database {path} stayed busy for {BUSY_TIMEOUT_MS // 1000} s ({exc})",
            remedy="Another program holds it locked; close it (or wait) and try again.",
        ) from None
    except sqlite3.DatabaseError as exc:
        raise TelemetryError(
            f"cannot use {path} as a Proprio database ({exc})",
            remedy="Is it another program's file? Pass --db with a new path.",
        ) from None
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            try:
                os.chmod(side, 0o600)
            except OSError:
                pass
    return db


def _holds_proprio_tables(path: Path) -> bool:
    """False for an SQLite file with tables but none of ours (never migrate someone else's file)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return True  # not SQLite at all: open_db says so in its own words
    return not names or bool({"_sqlite_migrations", "sessions"} & names)


def open_existing_db(path: Path) -> Database:
    """Open a database that must already exist (what reading commands use: no new empty files)."""
    path = Path(path)
    if not path.exists():
        raise TelemetryError(
            f"no Proprio database at {path}",
            remedy="Play a session first (proprio play), or pass --db with the database's path.",
        )
    if path.is_file() and path.stat().st_size and not _holds_proprio_tables(path):
        raise TelemetryError(
            f"{path} is an SQLite database of another program (it has no Proprio tables)",
            remedy="Pass --db with the path of a database proprio play wrote.",
        )
    return open_db(path)
