from __future__ import annotations

import os
import sqlite3
import stat
import threading

import pytest

from game.errors import TelemetryError
from telemetry.store.database import open_db
from telemetry.store.sessions import create_session, mark_interrupted
from telemetry.store.writer import Batch, TelemetryWriter


def _session(db):
    return create_session(db, {"player_id": "p1", "level": "test", "device": "sim", "view": "2d", "seed": 1})


def test_a_new_database_is_owner_only_wal_and_migrated(tmp_path):
    path = tmp_path / "sub" / "t.db"
    db = open_db(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"players", "sessions", "samples", "events", "trials", "difficulty_changes"} <= set(db.table_names())
    db.close()
    open_db(path).close()  # migrations apply once; reopening is harmless


def test_the_writer_writes_batches_in_order_and_closes_the_session(tmp_path):
    path = tmp_path / "t.db"
    db = open_db(path)
    session_id = _session(db)
    writer = TelemetryWriter(path).start()
    for k in range(5):
        batch = Batch()
        batch.samples = [
            {"session_id": session_id, "step": k * 10 + i, "t_s": (k * 10 + i) / 120, "x": 0.1, "y": -0.1,
             "raw_x": 1.2, "raw_y": -1.2, "raw_unit": "deg", "device_t_s": 0.0}
            for i in range(10)
        ]
        batch.events = [{"session_id": session_id, "t_s": k, "kind": "zone_enter", "challenge": 0, "trial": 1,
                         "data": "{}"}]
        writer.submit(batch)
    writer.submit(Batch())  # empty batches are ignored
    writer.finish(session_id, {"status": "completed", "trials": 3})
    assert writer.error is None
    assert db["samples"].count == 50
    assert [r["step"] for r in db.query("select step from samples order by rowid")] == list(range(50))
    assert db["events"].count == 5
    row = db["sessions"].get(session_id)
    assert row["status"] == "completed" and row["trials"] == 3 and row["pid"] == os.getpid()


def test_submit_never_waits_for_the_database(tmp_path):
    """While another connection holds the write lock, submit() still returns at once."""
    path = tmp_path / "t.db"
    db = open_db(path)
    session_id = _session(db)
    writer = TelemetryWriter(path).start()
    blocker = sqlite3.connect(str(path))
    blocker.execute("BEGIN IMMEDIATE")
    done = threading.Event()

    def produce():
        for i in range(200):
            writer.submit(Batch(samples=[{"session_id": session_id, "step": i, "t_s": i / 120, "x": 0, "y": 0,
                                          "raw_x": 0, "raw_y": 0, "raw_unit": "deg", "device_t_s": 0}]))
        done.set()

    thread = threading.Thread(target=produce)
    thread.start()
    assert done.wait(timeout=2), "submit blocked behind the database lock"
    blocker.rollback()
    blocker.close()
    writer.finish(session_id, {"status": "completed"})
    assert db["samples"].count == 200


def test_a_write_error_is_kept_not_raised_in_the_loop(tmp_path):
    path = tmp_path / "t.db"
    db = open_db(path)
    session_id = _session(db)
    writer = TelemetryWriter(path).start()
    writer.submit(Batch(samples=[{"session_id": session_id, "step": 0, "no_such_column": 1}]))
    writer.submit(Batch(samples=[{"session_id": session_id, "step": 1, "t_s": 0.0, "x": 0, "y": 0,
                                  "raw_x": 0, "raw_y": 0, "raw_unit": "deg", "device_t_s": 0}]))
    writer.finish(session_id, {"status": "completed"})
    assert writer.error is not None
    assert db["samples"].count == 1  # the later good batch still landed


def test_unwritable_and_foreign_files_are_reported(tmp_path):
    with pytest.raises(TelemetryError, match="folder"):
        open_db(tmp_path)
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(TelemetryError, match="cannot use"):
        open_db(not_a_db)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(TelemetryError, match="cannot create"):
        open_db(blocker / "sub" / "t.db")


def test_a_running_session_of_a_dead_process_is_marked_interrupted(tmp_path):
    db = open_db(tmp_path / "t.db")
    session_id = _session(db)
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    db["sessions"].update(session_id, {"pid": int(dead.stdout)})
    live_id = _session(db)
    assert mark_interrupted(db) == 1
    assert db["sessions"].get(session_id)["status"] == "interrupted"
    assert db["sessions"].get(live_id)["status"] == "running"


def test_the_writers_column_lists_name_every_column_of_their_tables(tmp_path):
    """The hot path inserts fixed column lists: a column added by a migration must be added to them too."""
    from telemetry.store.writer import COLUMNS

    db = open_db(tmp_path / "t.db")
    for table, columns in COLUMNS.items():
        stored = [c.name for c in db.table(table).columns]
        assert len(set(columns)) == len(columns)
        assert set(columns) == set(stored) - {"id"}, table  # "id": the row id SQLite gives events and changes


def test_the_recorders_rows_land_in_the_right_columns(tmp_path):
    """Tuples in COLUMNS order, made by the recorder, read back column by column as the game made them."""
    from game.core.events import Event, TrialResult
    from game.input.pose import Pose, Reading
    from game.session import SessionStep
    from game.session.session import DifficultyChange
    from telemetry.store.recorder import Recorder

    recorder = Recorder(tmp_path / "t.db")
    recording = recorder.begin({"player_id": "p1", "level": "test", "device": "sim"}, [])
    result = TrialResult(2, "hold", 7, True, 1.5, 3.25, 0.4, {"radius": 0.2}, 120, 1.0)
    change = DifficultyChange(4.75, 2, "hold", 7, 0.4, 0.45, "staircase up", 0.8)
    recording.readings([Reading(0.001, 1.5, -2.5), Reading(0.002, 1.25, -2.75)], "mm")
    recording.step(SessionStep(5, 5 / 120, Pose(0.0415, 0.1, -0.2, 1.5, -2.5, "mm"),
                               [Event(4.75, "trial_end", 2, 7, {"success": True})], [result], [change]))
    recording.event(4.8, "pause")
    recording.finish({"status": "completed"}, {})
    db = recorder.db
    sid = recording.session_id
    samples = db.execute("select session_id, step, t_s, x, y, raw_x, raw_y, raw_unit, device_t_s from samples")
    assert samples.fetchall() == [(sid, 5, 5 / 120, 0.1, -0.2, 1.5, -2.5, "mm", 0.0415)]
    assert db.execute("select session_id, seq, device_t_s, raw_x, raw_y, raw_unit from readings order by seq") \
        .fetchall() == [(sid, 0, 0.001, 1.5, -2.5, "mm"), (sid, 1, 0.002, 1.25, -2.75, "mm")]
    assert db.execute("select session_id, t_s, kind, challenge, trial, data from events order by id").fetchall() \
        == [(sid, 4.75, "trial_end", 2, 7, '{"success": true}'), (sid, 4.8, "pause", -1, 0, "{}")]
    assert db.execute("select session_id, challenge, trial, kind, outcome, started_t_s, duration_s, difficulty, "
                      "params, points, progress from trials").fetchall() \
        == [(sid, 2, 7, "hold", "success", 1.5, 3.25, 0.4, '{"radius": 0.2}', 120, 1.0)]
    assert db.execute("select session_id, t_s, challenge, kind, trial, old, new, reason, recent_success_rate "
                      "from difficulty_changes").fetchall() \
        == [(sid, 4.75, 2, "hold", 7, 0.4, 0.45, "staircase up", 0.8)]
    recorder.close()


def test_dict_rows_still_work_and_a_missing_column_is_null(tmp_path):
    path = tmp_path / "t.db"
    db = open_db(path)
    session_id = _session(db)
    writer = TelemetryWriter(path).start()
    writer.submit(Batch(samples=[(session_id, 0, 0.0, 0.1, 0.2, 1.0, 2.0, "deg", 0.0),
                                 {"session_id": session_id, "step": 1, "t_s": 1 / 120, "x": 0.3, "y": 0.4}]))
    writer.finish(session_id, {"status": "completed"})
    assert writer.error is None
    assert db.execute("select step, x, raw_x, raw_unit from samples order by step").fetchall() == [
        (0, 0.1, 1.0, "deg"), (1, 0.3, None, None)]


def test_a_row_of_the_wrong_width_loses_only_its_batch_and_says_so(tmp_path):
    path = tmp_path / "t.db"
    db = open_db(path)
    session_id = _session(db)
    writer = TelemetryWriter(path).start()
    writer.submit(Batch(samples=[(session_id, 0, 0.0)]))  # three values for nine columns
    writer.submit(Batch(samples=[(session_id, 1, 0.0, 0.1, 0.2, 1.0, 2.0, "deg", 0.0)]))
    writer.finish(session_id, {"status": "completed"})
    assert writer.error is not None and writer.losses().rows["samples"] == 1
    assert [r[0] for r in db.execute("select step from samples")] == [1]
    row = db["sessions"].get(session_id)
    assert row["status"] == "completed_with_gaps" and row["lost_rows"] == 1


def test_a_patient_writer_waits_for_room_instead_of_dropping_rows(tmp_path):
    """Play faster than real time (--fast, a test's clock) hands over rows faster than SQLite writes them:
    a patient writer makes submit() wait while half its budget is waiting, so nothing is lost; the
    game's real-time writer keeps its budget and drops the oldest (what a long fault needs)."""
    from telemetry.store.recorder import Recorder

    results = {}
    for patient in (False, True):
        recorder = Recorder(tmp_path / f"p{patient}.db", max_held_rows={"samples": 60})
        recorder.patient = patient
        recording = recorder.begin({"player_id": "kid-07", "level": "x", "level_title": "X", "device": "sim",
                                    "view": "2d", "seed": 1, "step_hz": 120.0}, [])
        writer = recording.writer
        for batch in range(200):  # 200 batches of 30 samples handed over as fast as Python can
            writer.submit(Batch(samples=[(recording.session_id, batch * 30 + i, (batch * 30 + i) / 120, 0.1, 0.2,
                                          1.0, 2.0, "deg", 0.0) for i in range(30)]))
        recording.writer.finish(recording.session_id, {"status": "completed"})
        results[patient] = (writer.losses().rows["samples"],
                            recorder.db.execute("select count(*) from samples").fetchone()[0])
        recorder.close()
    assert results[True] == (0, 6000)  # every row kept
    assert results[False][0] > 0 and results[False][1] == 6000 - results[False][0]  # the budget dropped some


def test_a_pause_is_stored_while_the_game_is_paused(tmp_path):
    """A paused game runs no steps: the pause (and the steps before it) reach the database without waiting for more.

    Before, UI events waited for the next 30 steps, which a pause never brings: a game killed while paused
    lost its last steps and the pause itself.
    """
    import sqlite3
    import time

    from game.input.pose import Pose
    from game.session import SessionStep
    from telemetry.store.recorder import Recorder

    recorder = Recorder(tmp_path / "t.db")
    recording = recorder.begin({"player_id": "p1", "level": "test", "device": "sim"}, [])
    for step in range(7):  # fewer than a hand-off's 30 steps
        recording.step(SessionStep(step, step / 120, Pose(step / 120, 0.1, 0.0, 1.0, 0.0, "deg"), [], [], []))
    recording.event(7 / 120, "pause")
    rows: list[tuple[str, int]] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # the writer thread writes it; look from another connection, as a reader would
        with sqlite3.connect(tmp_path / "t.db") as other:
            rows = other.execute("select kind, (select count(*) from samples) from events").fetchall()
        if rows:
            break
        time.sleep(0.05)
    assert rows == [("pause", 7)]
    recording.finish({"status": "completed"}, {})
    recorder.close()
