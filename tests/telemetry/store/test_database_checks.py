"""Databases are checked before they are trusted: the mark, other programs' files, newer schemas, damage, read-only.

Every scenario uses a real SQLite file. Running as root, chmod does not stop writes, so the
read-only tests run their reads in a forked child that has dropped to uid/gid 65534.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from telemetry.store.database import (
    APPLICATION_ID,
    DamagedDatabaseError,
    ForeignDatabaseError,
    NewerSchemaError,
    ReadOnlyDatabaseError,
    known_migrations,
    open_db,
    open_existing_db,
    open_for_reading,
    read_errors_reported,
    schema_version,
)
from telemetry.store.queries import list_sessions
from telemetry.store.schema import migrations
from telemetry.store.sessions import create_session

NOBODY = 65534


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pragmas(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("pragma application_id").fetchone()[0], conn.execute("pragma user_version").fetchone()[0]
    finally:
        conn.close()


def _tables(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in conn.execute("select name from sqlite_master where type = 'table'"))
    finally:
        conn.close()


def _real_db(path: Path, sessions: int = 3, samples: int = 6000) -> Path:
    """A Proprio database with finished sessions of kid-07, big enough that its middle pages hold samples."""
    db = open_db(path)
    for _ in range(sessions):
        session_id = create_session(db, {"player_id": "kid-07", "level": "garden", "device": "sim", "step_hz": 120.0})
        db["samples"].insert_all(
            ({"session_id": session_id, "step": i, "t_s": i / 120, "x": 0.1, "y": 0.2, "raw_x": 1.0, "raw_y": 2.0,
              "raw_unit": "deg", "device_t_s": i / 120} for i in range(samples)),
            batch_size=1000,
        )
        db["sessions"].update(session_id, {"status": "completed", "duration_s": samples / 120})
    db.close()  # the last connection checkpoints the WAL into the file
    return path


def _damage(path: Path) -> Path:
    """Overwrite one 4 KiB page in the middle of the file with seeded random bytes."""
    size = path.stat().st_size
    offset = (size // 2) // 4096 * 4096
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(random.Random(16).randbytes(4096))
    return path


def _quick_check(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("pragma quick_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()


# -- the mark ---------------------------------------------------------------------------------------


def test_a_new_database_carries_the_proprio_mark_and_its_schema_version(tmp_path):
    path = tmp_path / "p.db"
    open_db(path).close()
    applied = Database(path).execute(
        "select count(*) from _sqlite_migrations where migration_set = 'proprio'").fetchone()[0]
    assert schema_version() == len(known_migrations()) == applied > 0
    assert _pragmas(path) == (APPLICATION_ID, applied)
    assert APPLICATION_ID == int.from_bytes(b"PROP", "big")


def test_a_database_of_an_earlier_version_is_recognised_and_marked_on_first_open(tmp_path):
    path = tmp_path / "old.db"
    earlier = Database(path)  # what earlier versions did: migrations, no mark
    migrations.apply(earlier, stop_before=known_migrations()[-1])
    earlier["players"].insert({"id": "kid-07", "created_at": "2026-01-01T00:00:00+00:00"})
    earlier.close()
    assert _pragmas(path) == (0, 0)
    db = open_existing_db(path)
    assert db["players"].get("kid-07")["id"] == "kid-07"
    db.close()
    assert _pragmas(path) == (APPLICATION_ID, schema_version())


# -- other programs' files and newer schemas ---------------------------------------------------------


@pytest.mark.parametrize("ddl", [
    "create table invoices (id integer primary key, total real)",
    "create table sessions (id integer primary key, customer text)",  # a table name we use too
    "create table _sqlite_migrations (migration_set text, name text, applied_at text); "
    "create table sessions (id integer primary key)",  # someone else's sqlite-utils migrations
])
def test_another_programs_file_is_refused_and_left_untouched(tmp_path, ddl):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.executescript(ddl)
    conn.close()
    before, tables = _sha(path), _tables(path)
    for opener in (open_db, open_existing_db, open_for_reading):
        with pytest.raises(ForeignDatabaseError, match="another program") as caught:
            opener(path)
        assert "Pass --db with a new path" in str(caught.value)
    assert _sha(path) == before and _tables(path) == tables


def test_a_file_marked_by_another_program_is_refused_even_when_empty(tmp_path):
    path = tmp_path / "geo.gpkg"
    conn = sqlite3.connect(path)
    conn.execute("pragma application_id = 1196444487")  # GeoPackage's "GPKG"
    conn.close()
    with pytest.raises(ForeignDatabaseError, match="application_id is 0x47504b47"):
        open_db(path)
    assert _tables(path) == []


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(ForeignDatabaseError, match="not an SQLite database"):
        open_for_reading(path)
    assert path.read_bytes().startswith(b"these are my notes")


def test_a_newer_schema_is_refused_before_anything_is_written(tmp_path):
    path = _real_db(tmp_path / "p.db", sessions=1, samples=10)
    conn = sqlite3.connect(path)
    conn.execute(f"pragma user_version = {schema_version() + 1}")
    conn.close()
    before = _sha(path)
    for opener in (open_db, open_for_reading):
        with pytest.raises(NewerSchemaError, match=f"schema version {schema_version() + 1}") as caught:
            opener(path)
        assert "Upgrade Proprio" in str(caught.value)
    assert _sha(path) == before


def test_an_unmarked_database_with_a_migration_this_version_lacks_counts_as_newer(tmp_path):
    path = tmp_path / "p.db"
    earlier = Database(path)
    migrations.apply(earlier)
    earlier["_sqlite_migrations"].insert({"migration_set": "proprio", "name": "m999_from_the_future",
                                          "applied_at": "2030-01-01"})
    earlier.close()
    with pytest.raises(NewerSchemaError, match="m999_from_the_future"):
        open_db(path)
    assert _pragmas(path) == (0, 0)


def test_a_schema_the_game_cannot_write_into_is_refused_at_open(tmp_path):
    path = _real_db(tmp_path / "p.db", sessions=1, samples=10)
    conn = sqlite3.connect(path)
    conn.execute("alter table samples drop column device_t_s")
    conn.close()
    with pytest.raises(ForeignDatabaseError, match=r"samples\.device_t_s"):
        open_db(path)


# -- damage ------------------------------------------------------------------------------------------


@pytest.fixture
def damaged(tmp_path) -> Path:
    path = _damage(_real_db(tmp_path / "damaged.db"))
    assert _quick_check(path) != ["ok"]  # the damage is real
    return path


def test_a_damaged_file_is_never_written_and_the_error_says_how_to_recover(damaged):
    before = _sha(damaged)
    for opener in (open_db, open_existing_db):
        with pytest.raises(DamagedDatabaseError, match="is damaged, so nothing is written") as caught:
            opener(damaged)
        assert caught.value.problems
        assert '".recover" | sqlite3 recovered.db' in str(caught.value) and "backup" in str(caught.value)
    assert _sha(damaged) == before
    assert not Path(f"{damaged}-wal").exists()


def test_a_damaged_file_is_read_as_far_as_it_allows(damaged):
    before = _sha(damaged)
    opened = open_for_reading(damaged)
    try:
        assert opened.problems and any("damaged" in line for line in opened.warnings())
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):
            opened.db.execute("delete from sessions")
        problems: list[str] = []
        rows = list_sessions(opened.db, None, problems)
        assert [r["id"] for r in rows] == [1, 2, 3]
        with pytest.raises(DamagedDatabaseError, match="reading stopped at"), read_errors_reported(damaged):
            opened.db.execute("select sum(x) from samples").fetchall()
    finally:
        opened.close()
    assert _sha(damaged) == before


def _shell_can_recover() -> bool:
    """True when a sqlite3 shell is installed whose library has the sqlite_dbpage table ``.recover`` reads."""
    if shutil.which("sqlite3") is None:
        return False
    probe = subprocess.run(["sqlite3", ":memory:", "select count(*) from sqlite_dbpage"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _shell_can_recover(),
                    reason="no sqlite3 shell with .recover (its library needs SQLITE_ENABLE_DBPAGE_VTAB)")
def test_the_recovery_the_error_suggests_gives_a_usable_database(damaged, tmp_path):
    recovered = tmp_path / "recovered.db"
    dump = subprocess.run(["sqlite3", str(damaged), ".recover"], capture_output=True, check=True)
    subprocess.run(["sqlite3", str(recovered)], input=dump.stdout, capture_output=True, check=True)
    db = open_db(recovered)  # passes the checks: ours, intact
    assert [r["id"] for r in list_sessions(db)] == [1, 2, 3]
    db.close()
    assert _pragmas(recovered)[0] == APPLICATION_ID


# -- read-only ---------------------------------------------------------------------------------------


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder uid 65534 can reach (pytest's tmp_path is root-only when tests run as root)."""
    folder = Path(tempfile.mkdtemp(prefix="proprio-ro-"))
    os.chmod(folder, 0o755)
    yield folder
    for sub in [folder, *folder.rglob("*")]:
        if sub.is_dir():
            os.chmod(sub, 0o755)
    shutil.rmtree(folder)


def _unprivileged(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` where file modes bind: here unless root, else in a forked child as uid/gid 65534."""
    if os.geteuid() != 0:
        return fn()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, run, send the JSON result (or the error) back
        try:
            os.close(read_fd)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            try:
                reply = {"ok": fn()}
            except BaseException as exc:
                reply = {"error": f"{type(exc).__name__}: {exc}"}
            os.write(write_fd, json.dumps(reply).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    reply = json.loads(text)
    if "error" in reply:
        raise AssertionError(f"as uid {NOBODY}: {reply['error']}")
    return reply["ok"]


def _read_only_copy(shared_dir: Path, folder_too: bool) -> Path:
    path = _real_db(shared_dir / "ro.db", sessions=2, samples=50)
    os.chmod(path, 0o444)
    if folder_too:
        os.chmod(shared_dir, 0o555)
    return path


@pytest.mark.parametrize("folder_too", [False, True], ids=["file-0444", "file-0444-folder-0555"])
def test_a_read_only_database_is_listed_without_a_write(shared_dir, folder_too):
    path = _read_only_copy(shared_dir, folder_too)
    before = _sha(path)

    def read() -> dict[str, Any]:
        try:
            open_db(path)
            refused = ""
        except ReadOnlyDatabaseError as exc:
            refused = str(exc)
        opened = open_for_reading(path)
        try:
            rows = list_sessions(opened.db)
            return {"refused": refused, "read_only": opened.read_only, "immutable": opened.immutable,
                    "problems": list(opened.problems),
                    "rows": [(r["id"], r["status"], r["samples"]) for r in rows]}
        finally:
            opened.close()

    result = _unprivileged(read)
    assert "not writable" in result["refused"]
    assert result["read_only"] and result["problems"] == []
    if folder_too:
        assert result["immutable"]  # no -shm can be made beside it: read as an immutable file
    assert result["rows"] == [[1, "completed", 50], [2, "completed", 50]]
    assert _sha(path) == before
    assert not Path(f"{path}-wal").exists()


def test_a_read_only_database_still_shows_a_dead_session_as_interrupted(shared_dir):
    path = _real_db(shared_dir / "ro.db", sessions=1, samples=10)
    conn = sqlite3.connect(path)
    conn.execute("update sessions set status = 'running', pid = 2147483000 where id = 1")  # no such process
    conn.commit()
    conn.close()
    os.chmod(path, 0o444)

    def read() -> list[str]:
        opened = open_for_reading(path)
        try:
            return [r["status"] for r in list_sessions(opened.db)]
        finally:
            opened.close()

    assert _unprivileged(read) == ["interrupted"]
    stored = sqlite3.connect(path)
    assert stored.execute("select status from sessions").fetchone()[0] == "running"  # nothing written
    stored.close()


def test_rows_it_cannot_see_in_a_locked_away_wal_file_are_warned_about(shared_dir):
    path = _real_db(shared_dir / "ro.db", sessions=1, samples=10)
    writer = sqlite3.connect(path)  # stays open: the next session's row stays in ro.db-wal
    try:
        writer.execute("pragma wal_autocheckpoint = 0")
        writer.execute("insert into sessions (id, player_id, level, started_at, status) "
                       "values (2, 'kid-07', 'garden', '2026-01-01', 'completed')")
        writer.commit()
        assert Path(f"{path}-wal").stat().st_size > 0
        os.chmod(path, 0o444)
        for side in ("-wal", "-shm"):  # e.g. another user's game is writing: its side files are closed to us
            os.chmod(f"{path}{side}", 0o000)
        os.chmod(shared_dir, 0o555)

        def read() -> dict[str, Any]:
            opened = open_for_reading(path)
            try:
                return {"ids": [r["id"] for r in list_sessions(opened.db)], "warnings": opened.warnings()}
            finally:
                opened.close()

        result = _unprivileged(read)
    finally:
        writer.close()
    assert result["ids"] == [1]
    (warning,) = result["warnings"]
    assert "latest rows, still in ro.db-wal, are not shown" in warning
