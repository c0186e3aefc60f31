"""The writer's batches are whole transactions that wait for a busy database instead of failing."""

from __future__ import annotations

import sqlite3
import threading

from telemetry.store.database import open_db
from telemetry.store.sessions import create_session
from telemetry.store.writer import Batch, TelemetryWriter


def _rows(session_id: int, start: int, count: int) -> list[dict]:
    return [{"session_id": session_id, "step": start + i, "t_s": (start + i) / 120, "x": 0.1, "y": -0.1,
             "raw_x": 1.2, "raw_y": -1.2, "raw_unit": "deg", "device_t_s": 0.0} for i in range(count)]


def test_a_batch_waits_for_another_writer_and_lands_whole(tmp_path):
    path = tmp_path / "t.db"
    db = open_db(path)
    session_id = create_session(db, {"player_id": "p1", "level": "test", "device": "sim"})
    writer = TelemetryWriter(path).start()
    writer.submit(Batch(samples=_rows(session_id, 0, 10)))
    blocker = sqlite3.connect(str(path), isolation_level=None)
    reader = sqlite3.connect(str(path))
    seen = []
    for round_ in range(20):  # another program writes now and then while the game's batches arrive
        blocker.execute("BEGIN IMMEDIATE")
        blocker.execute("update sessions set score = ? where id = ?", [round_, session_id])
        writer.submit(Batch(samples=_rows(session_id, 10 + 500 * round_, 500),
                            events=[{"session_id": session_id, "t_s": float(round_), "kind": "zone_enter",
                                     "challenge": 0, "trial": 1, "data": "{}"}]))
        threading.Event().wait(0.05)
        blocker.execute("COMMIT")
        seen.append(reader.execute("select count(*) from samples").fetchone()[0])
    writer.finish(session_id, {"status": "completed"})
    assert writer.error is None
    assert db["samples"].count == 10 + 20 * 500 and db["events"].count == 20
    # A reader only ever saw whole batches: 500 rows in several sqlite-utils chunks commit together.
    assert all((count - 10) % 500 == 0 for count in seen if count >= 10), seen


def test_a_write_transaction_is_all_or_nothing_and_finishes_a_transaction_left_open(tmp_path):
    import pytest

    from telemetry.store.transactions import write_transaction

    db = open_db(tmp_path / "t.db")
    with pytest.raises(ZeroDivisionError):
        with write_transaction(db):
            db["players"].insert_all([{"id": f"p{i}", "created_at": "x"} for i in range(300)])  # several chunks
            raise ZeroDivisionError  # an error in the middle of the transaction
    assert db["players"].count == 0
    db.conn.execute("insert into players (id, created_at) values ('left-open', 'x')")  # Python's implicit BEGIN
    assert db.conn.in_transaction
    with write_transaction(db):
        db["players"].insert({"id": "mine", "created_at": "x"})
    assert not db.conn.in_transaction
    other = sqlite3.connect(str(tmp_path / "t.db"))
    assert sorted(r[0] for r in other.execute("select id from players")) == ["left-open", "mine"]
