"""Opening the telemetry database: checked (ours, not newer, intact) before anything writes, then WAL and migrated.

Every Proprio database carries SQLite's ``PRAGMA application_id`` = ``APPLICATION_ID`` ("PROP")
and ``PRAGMA user_version`` = its schema version (the number of migrations applied). Before a
command writes, ``open_db`` refuses another program's file, a newer schema and a file that fails
``PRAGMA quick_check``; reading commands use ``open_for_reading``, which reads a read-only or
damaged file as far as it allows and never writes into it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlite_utils import Database

from game.errors import TelemetryError
from telemetry.store.schema import migrations
from telemetry.store.sessions import mark_interrupted

BUSY_TIMEOUT_MS = 5000

#: ``PRAGMA application_id`` of every Proprio database: "PROP" in ASCII, 0x50524F50 = 1347571536.
APPLICATION_ID = 0x50524F50

#: At most this many problems are asked of ``PRAGMA quick_check`` (and quoted in messages).
QUICK_CHECK_PROBLEMS = 10

_MIGRATION_SET = migrations.name


class ForeignDatabaseError(TelemetryError):
    """A file that is not a Proprio database (another program's, or no SQLite at all): never written into."""


class NewerSchemaError(TelemetryError):
    """A database written by a later Proprio: this version does not know its schema and leaves it alone."""


class SchemaMismatchError(ForeignDatabaseError):
    """Our file, but a table or column the game writes is missing (changed by hand): read, never written."""


class ReadOnlyDatabaseError(TelemetryError):
    """A database (or its folder) this process may not write: reading commands still read it."""


class DamagedDatabaseError(TelemetryError):
    """A database that fails SQLite's integrity check: never written into; ``problems`` says what is wrong."""

    def __init__(self, message: str, remedy: str | None = None, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message, remedy)
        self.problems = problems


def recover_remedy(path: Path) -> str:
    """How to get a damaged database's data back (a backup, or SQLite's own .recover)."""
    return (f'Restore it from a backup, or save what SQLite can still read: sqlite3 "{path}" ".recover" '
            f'| sqlite3 recovered.db, then pass --db recovered.db.')


def _database(conn: sqlite3.Connection | None = None) -> Database:
    """sqlite-utils' ``Database`` over ``conn`` (None: a scratch one in memory), without sqlite-utils plugins.

    Loading plugins scans every installed package's entry points (``importlib.metadata``, about
    12 ms of CPU, 4 % of ``proprio sessions``), and a plugin's ``prepare_connection`` hook has no
    business with the clinic's database.
    """
    return Database(conn, memory=conn is None, execute_plugins=False)


def known_migrations() -> tuple[str, ...]:
    """The names of the migrations this version knows, in order (read at run time: the list grows)."""
    return tuple(m.name for m in migrations.pending(_database()))


def schema_version() -> int:
    """The schema version this Proprio writes into ``PRAGMA user_version``: its number of migrations."""
    return len(known_migrations())


@cache
def _expected_columns() -> dict[str, frozenset[str]]:
    """Every table and column the migrations create (what the game writes into), from a scratch database."""
    scratch = _database()
    migrations.apply(scratch)
    return {name: frozenset(scratch.table(name).columns_dict) for name in scratch.table_names()
            if not name.startswith("sqlite_")}


@dataclass(frozen=True)
class DatabaseCheck:
    """What a file turned out to be: ``new`` (no tables), ``proprio`` (marked) or ``legacy`` (ours, unmarked)."""

    kind: str
    version: int
    problems: tuple[str, ...]


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc)
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _quick_check(conn: sqlite3.Connection) -> tuple[str, ...]:
    """SQLite's quick integrity check (structure, not index contents): its problems, none when intact."""
    try:
        rows = [str(row[0]) for row in conn.execute(f"PRAGMA quick_check({QUICK_CHECK_PROBLEMS})")]
    except sqlite3.OperationalError as exc:
        if not _is_damage(exc):
            raise
        return (str(exc),)
    except sqlite3.DatabaseError as exc:
        return (str(exc),)
    return tuple(row for row in rows if row != "ok")


def inspect_database(conn: sqlite3.Connection, path: Path, *, quick_check: bool = True) -> DatabaseCheck:
    """Tell ours from another program's file and a newer schema, and (optionally) check it is intact.

    Reads only. Raises ``ForeignDatabaseError`` or ``NewerSchemaError``; damage is returned in
    ``problems`` (the caller decides whether to refuse or to read on), except when not even the
    list of tables can be read (``DamagedDatabaseError``).
    """
    try:
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        names = {str(row[0]) for row in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise ForeignDatabaseError(
                f"cannot use {path} as a Proprio database: it is not an SQLite database ({exc})",
                remedy="Pass --db with a new path (proprio creates it). If it was a Proprio database, its first "
                       "page is damaged: restore it from a backup.",
            ) from None
        if not _is_damage(exc):
            raise
        raise DamagedDatabaseError(f"{path} is damaged: SQLite cannot read its list of tables ({exc})",
                                   remedy=recover_remedy(path), problems=(str(exc),)) from None
    names = {name for name in names if not name.startswith("sqlite_")}
    if application_id not in (0, APPLICATION_ID):
        raise ForeignDatabaseError(
            f"{path} is an SQLite database of another program (its application_id is {application_id:#010x}, "
            f"Proprio's is {APPLICATION_ID:#010x})",
            remedy="Pass --db with a new path (proprio creates it) or the path of a database proprio wrote.",
        )
    applied = _applied_migrations(conn, names)
    if application_id == 0 and names and not (applied and "sessions" in names):
        shown = ", ".join(sorted(names)[:5]) + (", ..." if len(names) > 5 else "")
        raise ForeignDatabaseError(
            f"{path} is an SQLite database of another program (it has tables ({shown}) but no Proprio mark "
            "and no Proprio migrations)",
            remedy="Pass --db with a new path (proprio creates it) or the path of a database proprio wrote.",
        )
    known = known_migrations()
    unknown = [name for name in applied if name not in known]
    if user_version > len(known) or unknown:
        version = max(user_version, len(applied))
        raise NewerSchemaError(
            f"{path} was written by a newer Proprio (schema version {version}"
            + (f", migrations {', '.join(unknown[:3])}" if unknown else "")
            + f"); this version knows schema versions up to {len(known)}",
            remedy="Upgrade Proprio (pip install --upgrade proprio), or pass --db with another database.",
        )
    kind = "new" if not names else "proprio" if application_id == APPLICATION_ID else "legacy"
    return DatabaseCheck(kind, len(applied), _quick_check(conn) if quick_check else ())


def _applied_migrations(conn: sqlite3.Connection, names: set[str]) -> list[str]:
    if "_sqlite_migrations" not in names:
        return []
    try:
        rows = conn.execute("select name from _sqlite_migrations where migration_set = ? order by rowid",
                            [_MIGRATION_SET]).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such column" in str(exc):  # someone else's table of that name
            return []
        raise
    return [str(row[0]) for row in rows]


def _check_columns(db: Database, path: Path) -> None:
    """Refuse, before the game starts, a schema the game could not write into (a table or column missing)."""
    missing: list[str] = []
    for table, columns in _expected_columns().items():
        have = set(db.table(table).columns_dict)
        missing += [f"{table}.{c}" for c in sorted(columns - have)] if have else [table]
    if missing:
        raise SchemaMismatchError(
            f"{path} lacks tables or columns the game writes ({', '.join(missing[:5])}"
            + (", ..." if len(missing) > 5 else "") + "); its schema was changed by hand or by another program",
            remedy="Pass --db with a new path to play; proprio sessions and export still read this file.",
        )


def _mark(db: Database) -> None:
    """Stamp the file as Proprio's, at this schema version (earlier versions left both at 0)."""
    version = schema_version()
    application_id, user_version = (int(db.execute(f"PRAGMA {p}").fetchone()[0])
                                    for p in ("application_id", "user_version"))
    if application_id != APPLICATION_ID:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    if user_version != version:
        db.execute(f"PRAGMA user_version = {version}")


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
        raise ReadOnlyDatabaseError(f"the database {path} is not writable",
                                    remedy="Check its permissions or pass another --db.")
    elif not os.access(path.parent, os.W_OK | os.X_OK):
        raise ReadOnlyDatabaseError(
            f"the folder of the database {path} is not writable (SQLite keeps its -wal and -shm files beside it)",
            remedy="Check the folder's permissions, or copy the database to a folder you can write to.",
        )


def _refuse_damage(path: Path, problems: tuple[str, ...]) -> None:
    if problems:
        raise DamagedDatabaseError(
            f"{path} is damaged, so nothing is written to it (SQLite's quick check: {'; '.join(problems[:3])})",
            remedy=recover_remedy(path), problems=problems,
        )


def open_db(path: Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database, checked, in WAL mode with the schema up to date and marked.

    With ``migrate`` (every command; the writer thread, opening a file its recorder has just
    checked, passes False) it first refuses another program's file, a newer schema and a
    damaged file (``PRAGMA quick_check``), and afterwards marks the ``running`` sessions whose
    process is gone as ``interrupted``, so no command ever shows a dead session as running.
    """
    path = Path(path)
    _prepare_file(path)
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=True)
        db = _database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if migrate:
            _refuse_damage(path, inspect_database(conn, path).problems)
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if migrate:
            migrations.apply(db)
            _check_columns(db, path)
            _mark(db)
            mark_interrupted(db)
    except TelemetryError:
        if conn is not None:
            conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise _opening_error(path, exc) from None
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            try:
                os.chmod(side, 0o600)
            except OSError:
                pass
    return db


def _opening_error(path: Path, exc: sqlite3.DatabaseError) -> TelemetryError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return TelemetryError(
            f"the database {path} stayed busy for {BUSY_TIMEOUT_MS // 1000} s ({exc})",
            remedy="Another program holds it locked; close it (or wait) and try again.",
        )
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(f"the database {path} cannot be written ({exc})",
                                     remedy="Check its permissions and its folder's, or pass another --db.")
    if _is_damage(exc):
        return DamagedDatabaseError(f"{path} is damaged ({exc})", remedy=recover_remedy(path), problems=(text,))
    return TelemetryError(f"cannot use {path} as a Proprio database ({exc})",
                          remedy="Is it another program's file? Pass --db with a new path.")


def open_existing_db(path: Path) -> Database:
    """Open for writing a database that must already exist (no new empty files), checked like ``open_db``."""
    path = Path(path)
    if not path.exists():
        raise TelemetryError(
            f"no Proprio database at {path}",
            remedy="Play a session first (proprio play), or pass --db with the database's path.",
        )
    return open_db(path)


@dataclass
class ReadableDatabase:
    """A database opened for reading: writable and migrated when it can be, else read as it is."""

    db: Database
    path: Path
    read_only: bool = False
    immutable: bool = False
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def warnings(self) -> list[str]:
        """What a person should know before trusting what is read (for stderr; empty when all is well)."""
        lines = [f"Warning: {note}" for note in self.notes]
        if self.problems:
            lines.append(f"Warning: {self.path} is damaged (SQLite's quick check: {'; '.join(self.problems[:3])}); "
                         "showing what can still be read, writing nothing.")
            lines.append(f"  {recover_remedy(self.path)}")
        if self.immutable and Path(f"{self.path}-wal").exists() and Path(f"{self.path}-wal").stat().st_size:
            lines.append(f"Warning: {self.path} is read-only and its folder too: the latest rows, still in "
                         f"{self.path.name}-wal, are not shown.")
        return lines

    def close(self) -> None:
        """Close the connection."""
        self.db.close()


def _connect_read_only(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A connection that cannot write: ``mode=ro``, or ``immutable`` when SQLite cannot even open its -shm file."""
    if not os.access(path, os.R_OK):
        raise TelemetryError(f"the database {path} is not readable by this user",
                             remedy="It is created owner-only: run as the user who played, or pass another --db.")
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.OperationalError as exc:
        raise _opening_error(path, exc) from None
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn, False
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise _opening_error(path, exc) from None
    except sqlite3.DatabaseError:
        return conn, False  # inspect_database says what is wrong, in its own words
    return sqlite3.connect(f"{uri}?immutable=1", uri=True), True


def open_for_reading(path: Path) -> ReadableDatabase:
    """Open a database that must exist for reading, as far as it allows, never writing into a damaged one.

    A healthy writable file is opened as ``open_db`` does (migrated, marked, dead sessions
    marked interrupted). A read-only or damaged one is read as it is, through a connection that
    cannot write; another program's file and a newer schema are refused as for writing.
    """
    path = Path(path)
    if not path.exists():
        raise TelemetryError(
            f"no Proprio database at {path}",
            remedy="Play a session first (proprio play), or pass --db with the database's path.",
        )
    if path.is_dir():
        raise TelemetryError(f"{path} is a folder, not a database file", remedy="Pass --db PATH/proprio.db.")
    read_only = False
    notes: tuple[str, ...] = ()
    try:
        return ReadableDatabase(open_db(path), path)
    except ReadOnlyDatabaseError:
        read_only = True
    except DamagedDatabaseError:
        pass
    except SchemaMismatchError as exc:
        notes = (f"{exc.message}; reading it as it is.",)
    conn, immutable = _connect_read_only(path)
    try:
        conn.execute("PRAGMA query_only = ON")
        check = inspect_database(conn, path)
    except TelemetryError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _opening_error(path, exc) from None
    return ReadableDatabase(_database(conn), path, read_only=read_only or immutable, immutable=immutable,
                            problems=check.problems, notes=notes)


@contextmanager
def read_errors_reported(path: Path) -> Iterator[None]:
    """Turn an SQLite error met while reading into one ``Error:`` line (damage: with the recovery steps)."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc):
            raise DamagedDatabaseError(f"{path} is damaged; reading stopped at: {exc}",
                                       remedy=recover_remedy(path), problems=(str(exc),)) from None
        raise TelemetryError(
            f"cannot read {path} ({exc})",
            remedy="If it is read-only and from an earlier Proprio, copy it to a folder you can write to, so "
                   "proprio can bring its schema up to date.",
        ) from None
