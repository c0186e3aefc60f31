"""The named low-pass filter and even grid, and an assessment's summary per condition (mean ± SD, problems)."""

from __future__ import annotations

import numpy as np
import pytest

from telemetry.measures.assessment import TrialTrace, stance_measures, summarise
from telemetry.measures.filters import FilterError, can_filter, filter_label, lowpass, uniform


def test_the_filter_keeps_sway_and_removes_noise_without_lag():
    rate = 120.0
    t = np.arange(0, 20, 1 / rate)
    sway = 3.0 * np.sin(2 * np.pi * 0.5 * t)
    noise = np.random.default_rng(0).normal(0, 0.5, t.size)
    out = lowpass(sway + noise, rate)
    inner = slice(120, -120)  # away from the ends
    residual = out[inner] - sway[inner]
    assert np.sqrt(np.mean(residual**2)) < 0.3  # the 0.5 Hz sway passes, with what noise lies below 10 Hz
    lags = range(-12, 13)  # +-0.1 s
    clean = lowpass(sway, rate)
    best = max(lags, key=lambda k: float(np.dot(np.roll(clean, k)[inner], sway[inner])))
    assert best == 0 and np.max(np.abs(clean[inner] - sway[inner])) < 1e-3  # zero lag, no loss: forward and back
    velocity_raw = np.abs(np.diff(sway + noise)).sum() / 20
    velocity = np.abs(np.diff(out)).sum() / 20
    assert velocity < 0.5 * velocity_raw  # the noise's share of the path is gone
    assert filter_label(10.0) == "4th-order zero-lag Butterworth low-pass, 10 Hz"
    assert filter_label(None) == "not filtered"


def test_too_slow_or_too_short_traces_are_refused_with_a_reason():
    assert not can_filter(100, 20.0) and not can_filter(9, 100.0) and can_filter(10, 25.0)
    with pytest.raises(FilterError, match="needs at least 10 samples"):
        lowpass(np.zeros(5), 100.0)
    with pytest.raises(FilterError, match="finite"):
        lowpass(np.array([0.0, np.nan] * 20), 100.0)


def test_the_even_grid_bridges_a_dropped_sample():
    t = np.array([0.0, 0.01, 0.02, 0.04, 0.05])  # 0.03 was dropped
    grid, (x,), rate = uniform(t, t * 10)
    assert rate == pytest.approx(100.0)
    assert grid == pytest.approx([0.0, 0.01, 0.02, 0.03, 0.04, 0.05])
    assert x == pytest.approx(grid * 10)
    with pytest.raises(FilterError, match="increase strictly"):
        uniform(np.array([0.0, 0.0, 0.1]), np.zeros(3))


def _trial(number: int, condition: str, seconds: float, amplitude: float) -> TrialTrace:
    t = np.arange(0, seconds, 1 / 120)
    x = amplitude * np.sin(2 * np.pi * 0.4 * t)
    y = amplitude * np.cos(2 * np.pi * 0.3 * t)
    return TrialTrace(number, condition, condition.title(), "open", "firm", "both", None, 0.0, seconds, seconds,
                      "completed", (t, x, y))


def test_a_condition_is_the_mean_and_sd_of_its_trials_and_a_bad_trial_is_listed_not_fatal():
    trials = [_trial(1, "a", 10.0, 0.02), _trial(2, "a", 10.0, 0.04), _trial(3, "b", 0.05, 0.02),
              _trial(4, "b", 10.0, 0.03)]
    a, b = summarise("quiet_stance", trials)
    each = [stance_measures(*(arr if i == 0 else 100 * arr for i, arr in enumerate(t.los)), "% LOS")
            .values["mean_velocity"] for t in trials[:2]]
    velocity = a.figures["mean_velocity_los"]
    assert velocity.mean == pytest.approx(np.mean(each)) and velocity.sd == pytest.approx(np.std(each, ddof=1))
    assert velocity.n == 2 and velocity.unit == "% LOS/s" and "±" in velocity.text()
    assert b.trials == 2 and b.figures["mean_velocity_los"].n == 1 and b.figures["mean_velocity_los"].sd is None
    assert len(b.problems) == 1 and b.problems[0].startswith("trial 3: ")
