"""Clinician limits in real play: the runner, a real SQLite file, the pygame view on the dummy driver."""

from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from game.cli import main
from game.play import Game, PlayOptions
from game.play.pilot import Pilot
from game.views.factory import open_view
from telemetry.store.database import open_db
from telemetry.store.limits import save_limits


def _limits(db_path, kind, **values) -> None:
    db = open_db(db_path)
    save_limits(db, "kid-7", kind, **values)
    db.close()


def _run(db_path, level, view=None, **options) -> object:
    settings = {"input": "sim:0.95", "headless": True, "fast": True, "seed": 3, "player": "kid-7", **options}
    return Game(PlayOptions(level=level, db_path=db_path, **settings), view=view).run()


def _events(db, kind):
    rows = db.query("select * from events where kind = ? order by id", [kind])
    return [dict(r, data=json.loads(r["data"])) for r in rows]


def test_the_clinicians_ceiling_and_max_distance_hold_in_real_play(tmp_path):
    db_path = tmp_path / "p.db"
    _limits(db_path, "all", target_success=0.7)
    _limits(db_path, "reach", ceiling=0.9, max_distance_los=0.6)
    summary = _run(db_path, "space-reach", duration_s=60)
    assert summary.status == "completed"
    db = Database(db_path)
    trials = list(db.query("select difficulty, params from trials"))
    assert len(trials) >= 8
    for trial in trials:
        assert trial["difficulty"] <= 0.375 + 1e-12  # (0.6 - 0.45) / (0.85 - 0.45): the distance knob's crossing
        assert json.loads(trial["params"])["distance"] <= 0.6
    assert max(t["difficulty"] for t in trials) == pytest.approx(0.375)  # a skilled player reaches the cap
    start = _events(db, "difficulty_start")[0]
    assert start["challenge"] == 0 and start["data"]["ceiling"] == pytest.approx(0.375)
    assert start["data"]["target"] == 0.7
    assert "keeps targets within the clinician (reach) maximum distance 0.6 LOS" in start["data"]["reason"]
    assert "target 70 % from the clinician (all kinds)" in start["data"]["reason"]
    changes = list(db.query("select * from difficulty_changes order by id"))
    assert len(changes) == len(trials)
    assert all(c["reason"] and 0.0 <= c["recent_success_rate"] <= 1.0 for c in changes)
    assert any("to the ceiling 0.375" in c["reason"] or "already at the ceiling 0.375" in c["reason"] for c in changes)


def test_the_max_session_length_ends_the_session_and_the_plan_with_a_recorded_reason(tmp_path):
    db_path = tmp_path / "p.db"
    _limits(db_path, "all", max_session_s=20.0)
    summary = _run(db_path, None)  # the default plan: two levels, stopped after 20 s of play
    sessions = list(Database(db_path).query("select status, duration_s, level from sessions"))
    assert sessions == [{"status": "completed", "duration_s": pytest.approx(20.0, abs=1e-6), "level": "garden-balance"}]
    assert summary.status == "completed" and [(o.status, o.time_up) for o in summary.outcomes] == [("completed", True)]
    limit = _events(Database(db_path), "session_limit")
    assert len(limit) == 1 and limit[0]["t_s"] == pytest.approx(20.0)
    assert limit[0]["data"] == {"reason": "the clinician's maximum session length of 0.333333 min (20 s) of play was"
                                " reached", "max_session_s": 20.0, "played_s": pytest.approx(20.0)}


def test_rest_breaks_freeze_play_between_trials_and_show_a_countdown(tmp_path):
    db_path = tmp_path / "p.db"
    _limits(db_path, "all", rest_every_s=10.0, rest_s=2.0)
    pilot = Pilot(open_view("2d", headless=True, sound=False))
    _run(db_path, "garden-balance", view=pilot, duration_s=25)
    notices = pilot.texts("play")
    db = Database(db_path)
    starts, ends = _events(db, "rest_start"), _events(db, "rest_end")
    assert len(starts) == len(ends) == 2
    assert starts[0]["t_s"] >= 10.0 and starts[1]["t_s"] - ends[0]["t_s"] >= 10.0 - 1e-9
    # the simulation is frozen while resting
    assert all(e["t_s"] == s["t_s"] for s, e in zip(starts, ends, strict=True))
    assert "clinician rest break: 2 s after every 0.166667 min (10 s) of play" == starts[0]["data"]["reason"]
    opened = [r["t_s"] for r in db.query("select t_s from events where kind = 'trial_start' order by id")]
    closed = [r["t_s"] for r in
              db.query("select t_s from events where kind in ('trial_success', 'trial_fail') order by id")]
    for rest in starts:  # never in the middle of a trial: after one ends, before the next starts
        # strict=False: the last trial may still be open when the session ends (one more start than end)
        assert not any(a <= rest["t_s"] <= b for a, b in zip(opened, closed, strict=False))
        assert any(b < rest["t_s"] for b in closed)
    steps = [r[0] for r in db.execute("select step from samples order by step")]
    assert steps == list(range(len(steps))) and db["sessions"].get(1)["duration_s"] == pytest.approx(25.0, abs=1e-6)
    shown = [n for n in notices if n]
    assert shown[0] == "Rest break: relax for 2 s. The game goes on by itself."
    assert "Rest break: relax for 1 s. The game goes on by itself." in shown
    assert len(shown) == pytest.approx(2 * 2 * 60, abs=4)  # two rests of 2 s at 60 frames a second (--fast)


def test_the_scaler_resumes_its_history_across_sessions_until_the_band_changes(tmp_path):
    db_path = tmp_path / "p.db"
    _run(db_path, "garden-balance", duration_s=40)
    _run(db_path, "garden-balance", duration_s=40)
    db = Database(db_path)
    first_trials = db.execute("select count(*) from trials where session_id = 1").fetchone()[0]
    starts = _events(db, "difficulty_start")
    assert [s["data"]["source"] for s in starts] == ["new", "restored"]
    assert starts[1]["data"]["trials_before"] == first_trials
    stored = json.loads(db["difficulty_state"].get(("kid-7", "hold"))["state"])
    assert stored["trials"] == db["trials"].count  # every trial of both sessions in one history
    last_of_first = db.execute("select new from difficulty_changes where session_id = 1 order by id desc").fetchone()[0]
    assert f"continues at {last_of_first:.3f}" in starts[1]["data"]["reason"]  # then widened for the new day
    assert abs(starts[1]["data"]["difficulty"] - last_of_first) <= 0.1

    _limits(db_path, "hold", ceiling=0.3)  # the band changes: a new scaler at the stored difficulty, capped
    _run(db_path, "garden-balance", duration_s=20)
    third = _events(Database(db_path), "difficulty_start")[-1]["data"]
    # the default (Bayesian) scaler keeps its history under the clinician's new band (issue 14), capped by it
    assert third["source"] == "restored" and third["ceiling"] == 0.3 and third["difficulty"] <= 0.3
    assert "earlier trials kept under the new limits (stored with target 80 %, band [0, 1])" in third["reason"]
    total = Database(db_path)["trials"].count
    assert json.loads(Database(db_path)["difficulty_state"].get(("kid-7", "hold"))["state"])["trials"] == total


def test_a_level_the_max_distance_rules_out_is_refused_before_it_starts(tmp_path, capsys):
    db_path = tmp_path / "p.db"
    _limits(db_path, "reach", max_distance_los=0.3)
    with pytest.raises(SystemExit) as exit_info:
        main(["play", "space-reach", "--headless", "--fast", "--input", "sim", "--player", "kid-7",
              "--db", str(db_path)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1 and "Traceback" not in err
    assert err.startswith("Error: challenge 1 'Planet hop' (reach) places targets at least 0.45 LOS from the centre")
    assert Database(db_path)["sessions"].count == 0
