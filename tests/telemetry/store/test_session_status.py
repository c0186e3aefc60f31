"""Telling a running session from an interrupted one: dead pids, zombies, reused pids, other hosts."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.errors import TelemetryError
from telemetry.store.database import open_db, open_existing_db
from telemetry.store.sessions import create_session, mark_interrupted, process_alive, process_token, stale_sessions

HAS_PROC = Path("/proc/self/stat").exists()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _session(db, **fields) -> int:
    return create_session(db, {"player_id": "p1", "level": "test", "device": "sim:0.60", "view": "2d", "seed": 1,
                               **fields})


def test_this_process_is_alive_and_a_finished_one_is_not():
    assert process_alive(os.getpid(), process_token(os.getpid()))
    assert not process_alive(_dead_pid())
    assert not process_alive(0) and not process_alive(-5)


@pytest.mark.skipif(not HAS_PROC, reason="needs /proc (Linux) to see zombies and process start times")
def test_a_zombie_and_a_reused_pid_count_as_gone():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        for _ in range(200):  # until it has exited but is not reaped yet
            state = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "Z":
                break
            time.sleep(0.02)
        assert state == "Z"
        assert not process_alive(child.pid)
    finally:
        child.wait()
    # Our own pid, but recorded with another process's start time: the pid was reused.
    token = process_token(os.getpid())
    assert token is not None
    assert not process_alive(os.getpid(), token + "0")


def test_mark_interrupted_fills_in_what_the_dead_session_never_wrote(tmp_path):
    db = open_db(tmp_path / "t.db")
    session_id = _session(db)
    db["sessions"].update(session_id, {"pid": _dead_pid(), "process_token": None})
    db["samples"].insert_all([{"session_id": session_id, "step": i, "t_s": i / 120, "x": 0.0, "y": 0.0}
                              for i in range(241)])
    db["trials"].insert_all([
        {"session_id": session_id, "challenge": 0, "trial": 1, "kind": "hold", "outcome": "success",
         "started_t_s": 0.0, "duration_s": 1.0, "difficulty": 0.2, "points": 100},
        {"session_id": session_id, "challenge": 0, "trial": 2, "kind": "hold", "outcome": "fail",
         "started_t_s": 1.0, "duration_s": 0.9, "difficulty": 0.4, "points": 5},
    ])
    db["difficulty_changes"].insert_all([
        {"session_id": session_id, "t_s": 1.0, "challenge": 0, "kind": "hold", "trial": 1, "old": 0.2, "new": 0.4},
        {"session_id": session_id, "t_s": 1.9, "challenge": 0, "kind": "hold", "trial": 2, "old": 0.4, "new": 0.3},
    ])
    assert mark_interrupted(db) == 1
    row = db["sessions"].get(session_id)
    assert row["status"] == "interrupted" and row["ended_at"] is None
    assert row["duration_s"] == pytest.approx(2.0)
    assert (row["trials"], row["successes"], row["success_rate"], row["score"]) == (2, 1, 0.5, 105)
    assert row["difficulty_reached"] == pytest.approx(0.3)  # the last decision, not the highest trial
    assert mark_interrupted(db) == 0  # once only


def test_sessions_of_live_processes_and_other_hosts_stay_running(tmp_path):
    db = open_db(tmp_path / "t.db")
    live = _session(db)
    elsewhere = _session(db)
    db["sessions"].update(elsewhere, {"hostname": socket.gethostname() + "-other", "pid": _dead_pid()})
    assert stale_sessions(db) == []
    assert mark_interrupted(db) == 0
    assert {r["status"] for r in db["sessions"].rows} == {"running"}
    assert db["sessions"].get(live)["process_token"] == process_token(os.getpid())


def test_opening_the_database_marks_dead_sessions_interrupted(tmp_path):
    path = tmp_path / "t.db"
    db = open_db(path)
    session_id = _session(db)
    db["sessions"].update(session_id, {"pid": _dead_pid()})
    db.close()
    raw = sqlite3.connect(path)
    assert raw.execute("select status from sessions").fetchone()[0] == "running"
    raw.close()
    reopened = open_existing_db(path)
    assert reopened["sessions"].get(session_id)["status"] == "interrupted"


def test_reading_commands_never_create_or_migrate_a_foreign_file(tmp_path):
    with pytest.raises(TelemetryError, match="no Proprio database at"):
        open_existing_db(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("create table invoices (id integer primary key, total real)")
    conn.commit()
    conn.close()
    with pytest.raises(TelemetryError, match="another program"):
        open_existing_db(foreign)
    conn = sqlite3.connect(foreign)
    assert [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")] == ["invoices"]
    conn.close()


def test_migrations_add_the_identity_table_and_process_token(tmp_path):
    db = open_db(tmp_path / "t.db")
    names = [r["name"] for r in db.query("select name from _sqlite_migrations order by id")]
    assert names[:4] == ["m001_core_tables", "m002_devices_calibrations_limits", "m003_player_identities",
                         "m004_session_process_token_and_indexes"]
    assert set(db["player_identities"].columns_dict) == {"player_id", "display_name", "notes", "updated_at",
                                                         "age_band"}  # m011: the band only, never the age
    assert "process_token" in db["sessions"].columns_dict
