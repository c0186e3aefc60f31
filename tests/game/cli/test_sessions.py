"""``proprio sessions``, and crash safety: kill -9 a real game, then every command says interrupted."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from telemetry.export.tables import read_export_table
from tests.cli import run_cli


def _play(db_path: Path, capsys, *extra: str) -> None:
    code, _, err = run_cli(["play", "--headless", "--input", "sim", "--fast", "--duration", "6", "--seed", "3",
                            "--db", str(db_path), *extra], capsys)
    assert code == 0, err


def test_sessions_lists_status_and_key_figures(tmp_path, capsys):
    db_path = tmp_path / "p.db"
    _play(db_path, capsys, "--player", "kid-07")
    _play(db_path, capsys, "space-reach", "--player", "adult-1")
    code, out, err = run_cli(["sessions", "--db", str(db_path)], capsys)
    assert code == 0, err
    header, first, second = out.splitlines()
    assert header.split()[:5] == ["id", "player", "level", "started", "(local)"]
    assert "kid-07" in first and "garden-balance" in first and "completed" in first and "6.0 s" in first
    assert "adult-1" in second and "space-reach" in second
    code, out, _ = run_cli(["sessions", "--player", "adult-1", "--format", "json", "--db", str(db_path)], capsys)
    (row,) = json.loads(out)
    assert row["player_id"] == "adult-1" and row["status"] == "completed"
    assert row["duration_s"] == pytest.approx(6.0, abs=0.01) and row["samples"] == 720
    for key in ("trials", "successes", "success_rate", "difficulty_reached", "device", "frame_p99_ms",
                "dropped_frames", "dropped_samples", "recorded_s", "started_at"):
        assert key in row


def test_sessions_errors_are_one_clear_line(tmp_path, capsys):
    code, out, err = run_cli(["sessions", "--db", str(tmp_path / "none.db")], capsys)
    assert code == 1 and err.startswith("Error: no Proprio database at") and "Traceback" not in err + out
    assert not (tmp_path / "none.db").exists()
    _play(tmp_path / "p.db", capsys, "--player", "kid-07")
    code, _, err = run_cli(["sessions", "--player", "kid-7", "--db", str(tmp_path / "p.db")], capsys)
    assert code == 1 and "no player 'kid-7'" in err and "Known players: kid-07" in err
    code, _, err = run_cli(["sessions", "--format", "xml", "--db", str(tmp_path / "p.db")], capsys)
    assert code == 2 and "Invalid value for '--format'" in err


def test_help_ends_with_an_example(capsys):
    for command in ("sessions", "export", "report", "players"):
        code, out, _ = run_cli([command, "--help"], capsys)
        assert code == 0
        lines = [line.strip() for line in out.splitlines() if line.strip()]
        examples = lines.index(next(line for line in lines if line.startswith("Example")))
        assert lines[examples + 1].startswith(f"proprio {command}"), command


def _wait_for_samples(db_path: Path, proc: subprocess.Popen, count: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            found = conn.execute("select count(*) from samples").fetchone()[0]
            conn.close()
            if found >= count:
                return
        except sqlite3.Error:
            pass
    pytest.fail(f"the game did not write {count} samples (exit code {proc.poll()})")


def test_kill_9_keeps_the_database_intact_loses_under_a_second_and_shows_interrupted(tmp_path, capsys):
    db_path = tmp_path / "p.db"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    proc = subprocess.Popen(  # real time (no --fast): the hand-off every 0.25 s is what bounds the loss
        [sys.executable, "-m", "game", "play", "--headless", "--input", "sim", "--player", "kid-07",
         "--db", str(db_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )
    try:
        _wait_for_samples(db_path, proc, 240)
        # While it runs: the session is running, and a clinician can export it.
        code, out, err = run_cli(["sessions", "--format", "json", "--db", str(db_path)], capsys)
        assert code == 0 and json.loads(out)[0]["status"] == "running", err
        code, _, err = run_cli(["export", "--all", "--format", "csv", "--out", str(tmp_path / "live"),
                                "--db", str(db_path)], capsys)
        assert code == 0, err
        steps = [r["step"] for r in read_export_table(tmp_path / "live", "samples")]
        assert steps == list(range(len(steps))) and len(steps) >= 240
        time.sleep(1.5)
    finally:
        proc.send_signal(signal.SIGKILL)
        killed_at = datetime.now(UTC)
        proc.wait(timeout=30)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    raw = sqlite3.connect(db_path)
    assert raw.execute("pragma integrity_check").fetchone()[0] == "ok"
    started_at, status = raw.execute("select started_at, status from sessions where id = 1").fetchone()
    last_t_s, count = raw.execute("select max(t_s), count(*) from samples where session_id = 1").fetchone()
    raw.close()
    assert status == "running"  # nothing has looked at it yet
    ran_s = (killed_at - datetime.fromisoformat(started_at)).total_seconds()
    assert count == round(last_t_s * 120) + 1  # no hole in the samples
    assert ran_s - last_t_s <= 1.0, f"lost {ran_s - last_t_s:.3f} s of samples"
    # From now on every command shows it as interrupted.
    code, out, err = run_cli(["sessions", "--db", str(db_path)], capsys)
    assert code == 0 and "interrupted" in out and "running" not in out, err
    code, out, _ = run_cli(["sessions", "--format", "json", "--db", str(db_path)], capsys)
    (row,) = json.loads(out)
    assert row["status"] == "interrupted" and row["duration_s"] == pytest.approx(last_t_s)
    code, _, err = run_cli(["export", "--all", "--format", "ndjson", "--out", str(tmp_path / "after"),
                            "--db", str(db_path)], capsys)
    assert code == 0, err
    assert read_export_table(tmp_path / "after", "sessions")[0]["status"] == "interrupted"
    assert len(read_export_table(tmp_path / "after", "samples")) == count


def test_sessions_of_a_player_with_a_plan_end_with_the_adherence_and_flag_low_weeks(tmp_path, capsys):
    from telemetry.store.clinic import set_plan
    from telemetry.store.database import open_db
    from telemetry.store.sessions import create_session

    db_path = tmp_path / "p.db"
    db = open_db(db_path)
    try:
        start = date.today() - timedelta(days=14)  # weeks 1 and 2 are over, week 3 is in progress
        set_plan(db, "kid-07", sessions_per_week=2, minutes_per_session=1, start_date=start, weeks=3)
        for day in (1, 2):  # week 1: two sittings of 1.5 min, as prescribed; week 2: none
            started = datetime.combine(start + timedelta(days=day), datetime.min.time().replace(hour=15))
            session = create_session(db, {"player_id": "kid-07", "level": "x", "device": "sim",
                                          "started_at": started.astimezone(UTC).isoformat()})
            db["sessions"].update(session, {"duration_s": 90.0, "status": "completed"})
        create_session(db, {"player_id": "kid-08", "level": "x", "device": "sim"})
    finally:
        db.close()
    code, out, err = run_cli(["sessions", "--player", "kid-07", "--db", str(db_path)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    title = lines.index("Adherence to the plan of kid-07:")
    assert title == 4 and lines[3] == ""  # the header, two sessions, a blank line
    assert "In the 2 weeks so far: 2 of 4 sessions done (50 %)" in lines[title + 1]
    assert "Below 80 % of the prescribed sessions or minutes in week 2." in lines[title + 1]
    week1, week2, week3 = lines[title + 3:]
    assert week1.split()[0] == "1" and "below" not in week1
    assert week2.split()[0] == "2" and week2.endswith("below 80 %") and "0 of 2" in week2
    assert week3.split()[0] == "3" and week3.endswith("in progress")
    code, out, _ = run_cli(["sessions", "--player", "kid-08", "--db", str(db_path)], capsys)
    assert "Adherence" not in out and len(out.splitlines()) == 2  # no plan: the table alone
    code, out, _ = run_cli(["sessions", "--player", "kid-07", "--format", "json", "--db", str(db_path)], capsys)
    assert len(json.loads(out)) == 2  # JSON stays the array of sessions
