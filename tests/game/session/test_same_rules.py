"""`proprio simulate` and a headless `proprio play` meet the same session: limits, rest breaks, trials."""

from __future__ import annotations

import json

from sqlite_utils import Database

from tests.cli import run_cli as run

LIMITS = ["--max-session-min", "1", "--rest-every-min", "0.5", "--rest-s", "5"]


def test_a_60_s_limit_and_a_rest_every_30_s_are_identical_in_simulate_and_in_play(tmp_path, capsys):
    db = tmp_path / "p.db"
    code, out, err = run(["simulate", "still-pond", "--players", "1", "--skill", "0.6", "--seed", "5",
                          *LIMITS, "--format", "json"], capsys)
    assert code == 0, err
    simulated = json.loads(out)["players"][0]
    code, _, err = run(["limits", "set", "--player", "sim-06", "--kind", "all", *LIMITS, "--db", str(db)], capsys)
    assert code == 0, err
    code, out, err = run(["play", "still-pond", "--input", "sim:0.6", "--seed", "5", "--headless", "--fast",
                          "--player", "sim-06", "--db", str(db), "--format", "json"], capsys)
    assert code == 0, err
    played = Database(db)
    sitting = [{"t_s": round(r["t_s"], 6), "kind": r["kind"]} for r in played.query(
        "select t_s, kind from events where kind in ('rest_start', 'rest_end', 'session_limit', 'trial_interrupted')"
        " order by id")]
    kinds = [e["kind"] for e in sitting]
    assert kinds.count("rest_start") >= 1 and kinds.count("rest_end") >= 1 and kinds[-1] == "session_limit"
    assert [{"t_s": e["t_s"], "kind": e["kind"]} for e in simulated["sitting_events"]] == sitting
    assert sitting[-1]["t_s"] == 60.0
    assert 30.0 <= sitting[0]["t_s"] < 60.0  # the first rest comes after 30 s of play, between trials
    # The very same game: each trial's difficulty and outcome, in order.
    trials = list(played.query("select difficulty, outcome from trials order by rowid"))
    path = simulated["kinds"]["hold"]
    assert path["path"] == [round(t["difficulty"], 4) for t in trials]
    assert path["outcomes"] == [int(t["outcome"] == "success") for t in trials]
    assert played["sessions"].get(1)["duration_s"] == 60.0 and json.loads(out)["status"] == "completed"


def test_simulate_without_limits_records_no_sitting_event(capsys):
    code, out, err = run(["simulate", "garden-balance", "--players", "2", "--seed", "1", "--format", "json"], capsys)
    assert code == 0, err
    assert all(p["sitting_events"] == [] for p in json.loads(out)["players"])
