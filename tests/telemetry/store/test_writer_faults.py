"""Real write faults (a filesystem that fills, another connection holding the write lock) lose nothing silently."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from game.difficulty import FixedDifficulty
from telemetry.store.database import open_db
from telemetry.store.recorder import Recorder
from telemetry.store.sessions import create_session
from telemetry.store.transactions import classify_write_error
from telemetry.store.writer import MAX_HELD_ROWS, Batch, TelemetryWriter

BUSY_S = 0.02  # the writer's busy timeout in these tests: the lock below is held far longer
_pause = threading.Event()  # never set: a bounded wait between looks at another thread's progress


def _until(condition: Callable[[], bool], looks: int = 1500) -> bool:
    """True once ``condition`` holds (looking every 10 ms, at most ``looks`` times): the test cannot hang."""
    for _ in range(looks):
        if condition():
            return True
        _pause.wait(0.01)
    return condition()


def _batch(session_id: int, first_step: int, steps: int = 30, trial: int | None = None) -> Batch:
    batch = Batch(samples=[{"session_id": session_id, "step": s, "t_s": s / 120, "x": 0.1, "y": -0.1, "raw_x": 1.2,
                            "raw_y": -1.2, "raw_unit": "deg", "device_t_s": s / 120}
                           for s in range(first_step, first_step + steps)])
    if trial is not None:
        batch.trials.append({"session_id": session_id, "challenge": 0, "trial": trial, "kind": "hold",
                             "outcome": "success", "started_t_s": 0.0, "duration_s": 1.0, "difficulty": 0.5,
                             "params": "{}", "points": 10, "progress": 1.0})
    return batch


def _fill(folder: Path) -> Path:
    """Take every free byte of ``folder``'s filesystem (unbuffered writes until ENOSPC)."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 65536, 4096, 512):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB filesystem (tmpfs) that a test can fill; skipped where mounting is not allowed (not root)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True,
                             text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (root needed): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_is_retried_in_order_bounded_in_memory_and_the_loss_is_counted(small_disk: Path) -> None:
    path = small_disk / "t.db"
    db = open_db(path)
    session_id = create_session(db, {"player_id": "p1", "level": "test", "device": "sim"})
    held_samples = 240  # 2 s of play kept in memory (the game's budget is MAX_HELD_ROWS: 60 s)
    writer = TelemetryWriter(path, busy_timeout_s=BUSY_S, max_held_rows={"samples": held_samples}).start()
    writer.submit(_batch(session_id, 0, trial=1))
    assert _until(lambda: writer.batches_written == 1)
    filler = _fill(small_disk)
    step = 30
    while writer.problem() is None and step < 30 * 400:  # batches keep coming while the disk is full
        writer.submit(_batch(session_id, step))
        step += 30
        _pause.wait(0.005)
    assert writer.problem() is not None and "the disk is full" in str(writer.problem())
    full_from = step
    for k in range(40):  # 10 s more of play on a full disk: far over the 2 s the memory may hold
        writer.submit(_batch(session_id, step, trial=2 + k if k % 10 == 0 else None))
        step += 30
    assert writer.held_s() * 120 <= held_samples + 30  # bounded: the budget plus the batch being retried
    assert writer.losses().rows["samples"] > 0
    filler.unlink()  # space again: the writer's retry lands what it kept
    writer.submit(_batch(session_id, step))
    step += 30
    writer.finish(session_id, {"status": "completed", "trials": 5})
    assert writer.closed and writer.problem() is None
    losses = writer.losses()
    stored = [r[0] for r in db.execute("select step from samples where session_id = ? order by rowid", [session_id])]
    assert stored == sorted(stored), "batches landed out of order"
    assert len(stored) + losses.rows["samples"] == step, "every sample is either stored or counted as lost"
    assert stored[-1] == step - 1 and full_from - 30 in stored
    assert db.execute("select count(*) from trials").fetchone()[0] == 5  # small rows are not shed
    row = db["sessions"].get(session_id)
    assert row["status"] == "completed_with_gaps"
    assert row["lost_s"] == pytest.approx(losses.rows["samples"] / 120, abs=1e-3) and row["lost_s"] > 0
    assert row["lost_rows"] == losses.lost_rows and "is full" in row["write_problem"]
    assert losses.fault is not None and losses.fault.kind == "disk_full"


def test_a_lock_held_past_the_busy_timeout_loses_nothing_and_names_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    db = open_db(path)
    session_id = create_session(db, {"player_id": "p1", "level": "test", "device": "sim"})
    writer = TelemetryWriter(path, busy_timeout_s=BUSY_S, max_held_rows=MAX_HELD_ROWS).start()
    blocker = sqlite3.connect(str(path), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        writer.submit(_batch(session_id, 0, trial=1))
        assert _until(lambda: writer.faults >= 3), "the writer should keep retrying behind the lock"
        assert "another program has locked the database" in str(writer.problem())
        for k in range(1, 20):
            writer.submit(_batch(session_id, 30 * k, trial=1 + k if k % 5 == 0 else None))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    writer.finish(session_id, {"status": "completed", "trials": 4})
    assert writer.error is None and writer.closed
    assert [r[0] for r in db.execute("select step from samples order by rowid")] == list(range(600))
    assert db.execute("select count(*) from trials").fetchone()[0] == 4
    row = db["sessions"].get(session_id)
    assert row["status"] == "completed" and row["lost_s"] == 0 and row["lost_rows"] == 0
    assert "locked" in row["write_problem"]  # the clinician can still see that writing stalled


def test_a_lock_that_outlasts_the_level_loses_rows_but_the_progress_and_closing_row_are_saved(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    recorder = Recorder(path, finish_wait_s=0.2, writer_busy_timeout_s=BUSY_S)
    recording = recorder.begin({"player_id": "p1", "level": "test", "device": "sim"}, [])
    blocker = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")

    def release_when_the_writer_gives_up() -> None:
        # Only once its thread has stopped: released while a try is waiting for the lock, that try would
        # (rightly) land its batch, and the count of lost rows would depend on the timing.
        _until(lambda: recording.writer.gave_up and not recording.writer.running, looks=3000)
        blocker.execute("ROLLBACK")
        blocker.close()

    releaser = threading.Thread(target=release_when_the_writer_gives_up)
    releaser.start()
    for k in range(4):
        recording.writer.submit(_batch(recording.session_id, 30 * k, trial=k))
    assert _until(lambda: recording.problem() is not None)
    scaler = FixedDifficulty(target=0.7, start=0.4, floor=0.0, ceiling=1.0)
    losses = recording.finish({"status": "completed", "trials": 4}, {"hold": scaler})
    releaser.join(timeout=30)
    assert losses.rows["samples"] == 120 and losses.lost_s == 1.0
    row = recorder.db["sessions"].get(recording.session_id)
    assert row["status"] == "completed_with_gaps" and row["lost_s"] == 1.0 and row["trials"] == 4
    assert row["ended_at"] and "locked" in row["write_problem"]
    saved = recorder.stored_scalers("p1")
    assert saved["hold"].difficulty == pytest.approx(0.4)
    recorder.close()


def test_the_causes_are_named_not_guessed(tmp_path: Path) -> None:
    db_path = tmp_path / "t.db"

    def fault(message: str, code: int) -> str:
        exc = sqlite3.OperationalError(message)
        exc.sqlite_errorcode = code  # type: ignore[attr-defined]
        return classify_write_error(exc, db_path).kind

    assert fault("database or disk is full", 13) == "disk_full"
    assert fault("database is locked", 5) == "locked"
    assert fault("attempt to write a readonly database", 8) == "read_only"
    assert fault("disk I/O error", 10 | (3 << 8)) == "io_error"
    assert fault("no such column: x", 1) == "other"
    readonly = classify_write_error(sqlite3.OperationalError("attempt to write a readonly database"), db_path)
    assert "read-only" in readonly.message and "disk" not in readonly.short



def test_a_real_read_only_refusal_is_named_read_only(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    open_db(path).close()
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)  # SQLite itself refuses the write
    try:
        with pytest.raises(sqlite3.OperationalError) as refused:
            conn.execute("insert into players (id, created_at) values ('p', 'x')")
    finally:
        conn.close()
    fault = classify_write_error(refused.value, path)
    assert fault.kind == "read_only" and fault.transient and "permissions" in fault.remedy
