"""``proprio play`` end to end: real SQLite files, real pygame (dummy video driver)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pygame
import pytest
from sqlite_utils import Database

from game.play import Game, PlayOptions
from game.session.session import WARM_UP_STEP
from tests.cli import run_cli

HEADLESS = ["play", "--headless", "--input", "sim", "--fast", "--seed", "7"]


def _ctrl_c_as_in_a_terminal() -> None:
    """In the child before it starts: Ctrl-C does what it does in a terminal, even if this test run ignores it.

    A shell that starts a job in the background without job control starts it with SIGINT ignored, and a
    child inherits that: Python then installs no KeyboardInterrupt handler, and the Ctrl-C below would do
    nothing (seen when CI was rehearsed as a background job).
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_a_headless_session_plays_logs_and_summarizes(tmp_path, capsys):
    db_path, shot = tmp_path / "p.db", tmp_path / "shot.png"
    code, out, err = run_cli(HEADLESS + ["--duration", "30", "--db", str(db_path), "--screenshot", str(shot)], capsys)
    assert code == 0, err
    for label in ("duration", "trials", "success rate", "frame time", "dropped frames", "database"):
        assert label in out
    db = Database(db_path)
    session = db["sessions"].get(1)
    assert session["status"] == "completed"
    assert session["duration_s"] == pytest.approx(30.0, abs=1 / 120)
    assert session["device"] == "sim:0.60" and session["level"] == "garden-balance" and session["seed"] == 7
    assert session["frame_p50_ms"] > 0 and session["frames"] == 1800
    assert db["samples"].count == 3600  # one per 120 Hz step
    trials = list(db["trials"].rows)
    assert trials and session["trials"] == len(trials)
    assert session["successes"] == sum(t["outcome"] == "success" for t in trials)
    assert db["difficulty_changes"].count == len(trials)
    assert all(row["reason"] for row in db["difficulty_changes"].rows)
    kinds = {row["kind"] for row in db["events"].rows}
    assert {"level_start", "trial_start", "trial_success"} <= kinds
    sample = next(db["samples"].rows)
    assert sample["raw_unit"] == "deg" and {"t_s", "x", "y", "raw_x", "raw_y"} <= sample.keys()
    image = pygame.image.load(str(shot))
    assert image.get_size() == (1280, 720)
    colours = {tuple(image.get_at((x, y)))[:3] for x in range(0, 1280, 16) for y in range(0, 720, 16)}
    assert len(colours) > 8  # a drawn scene, not a blank surface


def test_the_whole_stack_is_deterministic_for_a_seed(tmp_path, capsys):
    def rows(name):
        db_path = tmp_path / f"{name}.db"
        code, _, err = run_cli(HEADLESS + ["space-reach", "--duration", "20", "--db", str(db_path)], capsys)
        assert code == 0, err
        db = Database(db_path)
        events = [(r["t_s"], r["kind"], r["data"]) for r in db.query("select * from events order by id")]
        samples = [(r["t_s"], r["x"], r["y"]) for r in db.query("select * from samples order by step")]
        return events, samples

    assert rows("a") == rows("b")


def test_json_summary(tmp_path, capsys):
    code, out, _ = run_cli(HEADLESS + ["--duration", "5", "--db", str(tmp_path / "p.db"), "--format", "json"], capsys)
    figures = json.loads(out)
    assert code == 0 and figures["status"] == "completed" and figures["duration_s"] == pytest.approx(5.0, abs=0.01)


def test_the_default_plan_moves_on_to_the_reach_level(tmp_path, capsys):
    code, out, _ = run_cli(HEADLESS + ["--input", "sim:0.9", "--duration", "200", "--db", str(tmp_path / "p.db")],
                           capsys)
    assert code == 0
    db = Database(tmp_path / "p.db")
    levels = [r["level"] for r in db.query("select level from sessions order by id")]
    assert levels == ["garden-balance", "space-reach"]
    assert {r["kind"] for r in db.query("select distinct kind from trials")} == {"hold", "reach"}


def test_difficulty_carries_over_to_the_next_session_of_the_player(tmp_path, capsys):
    db_path = tmp_path / "p.db"
    for _ in range(2):
        run_cli(HEADLESS + ["--input", "sim:0.95", "--duration", "40", "--db", str(db_path), "--player", "kid-7"],
                capsys)
    db = Database(db_path)
    first, second = [r[0] for r in db.execute("select id from sessions where level = 'garden-balance' order by id")]
    first_of_second = db.execute(
        "select difficulty from trials where session_id = ? order by started_t_s limit 1", [second]).fetchone()[0]
    stored_after_first = db.execute(
        "select new from difficulty_changes where session_id = ? order by id desc limit 1", [first]).fetchone()[0]
    start = json.loads(db.execute("select data from events where session_id = ? and kind = 'difficulty_start'"
                                  " order by id limit 1", [second]).fetchone()[0])
    # the scaler goes on where it was left (the Bayesian default first widens its belief for a new day, which
    # may move it a little, and says so)
    assert start["source"] == "restored" and f"continues at {stored_after_first:.3f}" in start["reason"]
    assert abs(start["difficulty"] - stored_after_first) <= 0.1
    # a returning player's first trial is a warm-up one step easier (never below the floor), and the log says so
    assert first_of_second == pytest.approx(max(0.0, start["difficulty"] - WARM_UP_STEP))
    assert start["warm_up"] == pytest.approx(first_of_second) and "warm-up" in start["warm_up_reason"]


@pytest.mark.parametrize("args, message", [
    (["--input", "wiimote"], "Valid choices: keyboard, sim[:SKILL]"),
    (["--view", "4d"], "Valid choices: 2d"),
    (["no-such-level"], "no level named 'no-such-level'"),
    (["--duration", "-3"], "--duration must be a positive"),
    (["--player", "Jane Doe"], "player ID 'Jane Doe' is not valid"),
])
def test_bad_options_are_named_before_anything_starts(tmp_path, capsys, args, message):
    code, out, err = run_cli(["play", "--headless", "--fast", "--db", str(tmp_path / "p.db")] + args, capsys)
    assert code == 1
    assert err.startswith("Error: ") and message in err
    assert "Traceback" not in err + out


def test_a_broken_level_prints_every_problem_and_does_not_start(tmp_path, capsys):
    level = tmp_path / "broken.toml"
    level.write_text('schema_version = 1\ntitle = "x"\n[[challenges]]\nkind = "hold"\ntrials = "many"\n')
    db_path = tmp_path / "p.db"
    code, _, err = run_cli(["play", str(level), "--headless", "--fast", "--db", str(db_path)], capsys)
    assert code == 1
    assert f"{level}:5:1: challenges[0].trials:" in err
    assert "challenges[0].title: required field is missing" in err
    assert not db_path.exists()  # nothing was started


def test_an_unwritable_database_is_reported_before_the_game(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, _, err = run_cli(["play", "--headless", "--fast", "--db", str(blocker / "p.db")], capsys)
    assert code == 1 and "Error: cannot create the folder for the database" in err


def test_ctrl_c_ends_the_session_as_aborted_and_keeps_the_data(tmp_path):
    db_path = tmp_path / "p.db"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "game", "play", "--headless", "--input", "sim", "--db", str(db_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until samples are flowing (real time, not --fast)
        time.sleep(0.5)
        if db_path.exists():
            try:
                if Database(db_path)["samples"].count > 120:
                    break
            except Exception:
                pass
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "Session aborted" in out
    db = Database(db_path)
    session = db["sessions"].get(1)
    assert session["status"] == "aborted"
    assert db["samples"].count >= 120 and session["ended_at"]


def test_closing_the_window_ends_the_session_as_aborted(tmp_path, monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    runner = Game(PlayOptions(input="sim", headless=True, fast=True, seed=1, db_path=tmp_path / "p.db"))
    from game.views.pygame_view import PygameView

    frames = {"n": 0}
    real_poll = PygameView.poll

    def poll(view):
        frames["n"] += 1
        if frames["n"] == 300:
            pygame.event.post(pygame.event.Event(pygame.QUIT))  # what the window manager sends
        return real_poll(view)

    monkeypatch.setattr(PygameView, "poll", poll)
    summary = runner.run()
    assert summary.status == "aborted"
    db = Database(tmp_path / "p.db")
    assert db["sessions"].get(1)["status"] == "aborted"
    assert db["samples"].count == 299 * 2  # every step before the close was kept
