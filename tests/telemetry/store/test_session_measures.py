"""Measures of a stored session: sway of the hold trials, reach measures and the LOS polygon."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from telemetry.measures.filters import lowpass
from telemetry.measures.los import reach_measures
from telemetry.measures.session import measure_session
from telemetry.measures.sway import sway_measures
from telemetry.store.database import open_db
from telemetry.store.queries import session_measures, session_trace, session_trials
from telemetry.store.sessions import create_session

RATE_HZ = 120.0


def _db(tmp_path):
    db = open_db(tmp_path / "m.db")
    session_id = create_session(db, {"player_id": "p1", "level": "test", "device": "sim", "step_hz": RATE_HZ})
    return db, session_id


def _samples(db, session_id, t, x, y):
    db["samples"].insert_all([{"session_id": session_id, "step": i, "t_s": float(t[i]), "x": float(x[i]),
                               "y": float(y[i])} for i in range(t.size)])


def _trial(db, session_id, trial, kind, start_s, duration_s, outcome="success", **start):
    db["trials"].insert({"session_id": session_id, "challenge": 0, "trial": trial, "kind": kind, "outcome": outcome,
                         "started_t_s": start_s, "duration_s": duration_s, "difficulty": 0.5})
    db["events"].insert({"session_id": session_id, "t_s": start_s, "kind": "trial_start", "challenge": 0,
                         "trial": trial, "data": json.dumps(start)})


def test_sway_is_the_mean_of_each_hold_trials_measures_in_percent_of_los(tmp_path):
    db, session_id = _db(tmp_path)
    t = np.arange(0, 20 * RATE_HZ) / RATE_HZ
    x = 0.05 * np.sin(2 * np.pi * 0.3 * t) + 0.01 * np.sin(2 * np.pi * 1.7 * t)
    y = 0.03 * np.cos(2 * np.pi * 0.5 * t)
    _samples(db, session_id, t, x, y)
    _trial(db, session_id, 1, "hold", 1.0, 5.0)
    _trial(db, session_id, 2, "hold", 8.0, 7.5, outcome="fail")
    _trial(db, session_id, 3, "reach", 16.0, 2.0, target_x=0.0, target_y=0.5, direction_deg=90)  # not sway
    measures = session_measures(db, session_id)
    windows = [(t >= 1.0 - 1e-9) & (t <= 6.0 + 1e-9), (t >= 8.0 - 1e-9) & (t <= 15.5 + 1e-9)]
    # Each trial's trace is low-pass filtered (10 Hz zero-lag Butterworth) before its measures.
    per_trial = [sway_measures(lowpass(100 * x[w], RATE_HZ), lowpass(100 * y[w], RATE_HZ), RATE_HZ).as_dict()
                 for w in windows]
    assert measures.sway.trials_used == 2 and measures.sway.trials_skipped == 0
    assert measures.sway.seconds == pytest.approx((601 + 901) / RATE_HZ)
    for name, value in measures.sway.measures.items():
        assert value == pytest.approx((per_trial[0][name] + per_trial[1][name]) / 2, rel=1e-12), name
    assert len(measures.sway_paths) == 2


def test_a_straight_reach_scores_its_reaction_time_excursion_and_full_directional_control(tmp_path):
    db, session_id = _db(tmp_path)
    t = np.arange(0, 4 * RATE_HZ) / RATE_HZ
    cue_s, move_s, distance = 1.0, 0.4, 0.6
    progress = np.clip((t - (cue_s + move_s)) / 0.8, 0, 1)
    smooth = progress ** 3 * (10 - 15 * progress + 6 * progress ** 2)  # minimum jerk, 0 -> 1
    angle = math.radians(135)
    x, y = distance * smooth * math.cos(angle), distance * smooth * math.sin(angle)
    _samples(db, session_id, t, x, y)
    _trial(db, session_id, 1, "reach", cue_s, 2.5, target_x=0.5 * math.cos(angle), target_y=0.5 * math.sin(angle),
           direction_deg=135)
    measures = session_measures(db, session_id)
    assert measures.sway is None
    (trial,) = measures.reach
    assert trial.problem is None and trial.direction_deg == 135
    window = (t >= cue_s - 0.5 - 1e-9) & (t <= cue_s + 2.5 + 1e-9)  # with the onset detector's 0.5 s baseline
    target = (50 * math.cos(angle), 50 * math.sin(angle))
    assert trial.measures == reach_measures(t[window], 100 * x[window], 100 * y[window], cue_t_s=cue_s,
                                            target_xy=target).as_dict()
    assert move_s < trial.measures["reaction_time_s"] < move_s + 0.1  # onset: speed above 5 % LOS/s
    assert trial.measures["directional_control_pct"] == pytest.approx(100.0)
    # 0.6 of a 0.5 target distance (the 10 Hz low-pass rounds the stop: within 0.1 %)
    assert trial.measures["max_excursion_pct"] == pytest.approx(120.0, abs=0.1)
    assert trial.target_distance_pct == pytest.approx(50.0)
    assert measures.los_polygon() == {135.0: pytest.approx(60.0, abs=0.05)}
    assert measures.reach_means()["max_excursion_pct"] == pytest.approx(120.0, abs=0.1)


def test_trials_that_cannot_be_scored_are_reported_not_fatal(tmp_path):
    db, session_id = _db(tmp_path)
    t = np.arange(0, 3 * RATE_HZ) / RATE_HZ
    _samples(db, session_id, t, np.zeros_like(t), np.zeros_like(t))  # the player never moves
    _trial(db, session_id, 1, "reach", 0.5, 2.0, outcome="fail", target_x=0.4, target_y=0.0, direction_deg=0)
    _trial(db, session_id, 2, "hold", 0.5, 0.02)  # two samples: too short for sway
    _trial(db, session_id, 3, "reach", 3.5, 5.0, target_x=0.4, target_y=0.0)  # its samples were never stored
    measures = session_measures(db, session_id)
    first, lost = measures.reach
    assert first.measures is None and "never moves" in first.problem
    assert lost.problem == "no samples recorded"
    assert measures.los_polygon() == {} and measures.reach_means() == {}
    assert measures.sway.trials_used == 0 and measures.sway.trials_skipped == 1 and measures.sway.measures == {}


def test_the_stored_session_is_measured_at_its_own_step_rate_by_the_pure_function(tmp_path):
    db = open_db(tmp_path / "r.db")
    session_id = create_session(db, {"player_id": "p1", "level": "test", "device": "sim", "step_hz": 60.0})
    t = np.arange(0, 6 * 60.0) / 60.0
    _samples(db, session_id, t, 0.05 * np.sin(2 * np.pi * 0.3 * t), 0.02 * np.cos(2 * np.pi * 0.7 * t))
    _trial(db, session_id, 1, "hold", 0.5, 5.0)
    stored = session_measures(db, session_id)
    pure = measure_session(session_id, session_trace(db, session_id), session_trials(db, session_id), 60.0)
    assert stored.rate_hz == 60.0 and stored.sway is not None
    assert stored.sway == pure.sway
    assert session_measures(db, session_id, rate_hz=120.0).sway.seconds == pytest.approx(stored.sway.seconds / 2)
