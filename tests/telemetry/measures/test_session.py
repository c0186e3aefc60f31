"""A session's measures from plain data: a trace's arrays and its trial rows, no database."""

from __future__ import annotations

import numpy as np
import pytest

from telemetry.measures.filters import lowpass
from telemetry.measures.los import reach_measures
from telemetry.measures.session import Trace, measure_session
from telemetry.measures.sway import sway_measures

RATE_HZ = 100.0


def _trial(trial: int, kind: str, start_s: float, duration_s: float, **start: float) -> dict[str, object]:
    return {"challenge": 0, "trial": trial, "kind": kind, "outcome": "success", "started_t_s": start_s,
            "duration_s": duration_s, "start": start}


def test_a_trace_window_holds_both_ends():
    t = np.arange(10) / RATE_HZ
    part = Trace(t, t * 2, t * 3).window(0.02, 0.05)
    assert part.t_s.tolist() == pytest.approx([0.02, 0.03, 0.04, 0.05])
    assert part.x.tolist() == pytest.approx([0.04, 0.06, 0.08, 0.10])


def test_hold_trials_give_mean_sway_and_reach_trials_their_measures_in_percent_of_los():
    t = np.arange(0, 12 * RATE_HZ) / RATE_HZ
    x = 0.04 * np.sin(2 * np.pi * 0.4 * t)
    y = 0.02 * np.cos(2 * np.pi * 0.9 * t)
    reach_start_s = 9.0
    progress = np.clip((t - 9.3) / 0.6, 0, 1)
    x = np.where(t >= reach_start_s, 0.0, x)
    y = np.where(t >= reach_start_s, 0.4 * progress, y)
    trials = [
        _trial(1, "hold", 1.0, 3.0),
        _trial(2, "hold", 4.5, 4.0),
        _trial(3, "reach", reach_start_s, 2.5, target_x=0.0, target_y=0.5, direction_deg=90.0),
        _trial(4, "collect", 0.0, 1.0),  # neither sway nor reach
    ]
    measures = measure_session(7, Trace(t, x, y), trials, RATE_HZ)
    assert measures.session_id == 7 and measures.rate_hz == RATE_HZ
    windows = [(t >= 1.0 - 1e-9) & (t <= 4.0 + 1e-9), (t >= 4.5 - 1e-9) & (t <= 8.5 + 1e-9)]
    # Each trial's trace is low-pass filtered (10 Hz zero-lag Butterworth) before its measures.
    per_trial = [sway_measures(lowpass(100 * x[w], RATE_HZ), lowpass(100 * y[w], RATE_HZ), RATE_HZ).as_dict()
                 for w in windows]
    assert measures.sway is not None and measures.sway.trials_used == 2
    assert measures.sway.filter == "4th-order zero-lag Butterworth low-pass, 10 Hz"
    for name, value in measures.sway.measures.items():
        assert value == pytest.approx((per_trial[0][name] + per_trial[1][name]) / 2, rel=1e-12), name
    (reach,) = measures.reach
    window = (t >= reach_start_s - 0.5 - 1e-9) & (t <= reach_start_s + 2.5 + 1e-9)  # with the 0.5 s baseline
    assert reach.measures == reach_measures(t[window], 100 * x[window], 100 * y[window], cue_t_s=reach_start_s,
                                            target_xy=(0.0, 50.0)).as_dict()
    # 0.4 of a 0.5 target distance; the 10 Hz filter rounds the sharp stop with a small overshoot (< 0.5 %)
    assert reach.measures["max_excursion_pct"] == pytest.approx(80.0, abs=0.5)
    assert reach.measures["reaction_time_s"] == pytest.approx(0.3, abs=0.02)  # the reach starts at 9.3 s
    assert measures.los_polygon() == {90.0: pytest.approx(40.0, abs=0.25)}
