"""Reach measures on recorded-style trials: 120 Hz steps with sway, sensor noise, a bias and a dropout.

Issue 13 found a reaction time of 0.00 s in all 112 reach trials and directional control from
-372 % to +28 %: the detectors ran on raw step samples, where noise alone exceeds any onset
threshold, and directional control had no floor. These trials are built like real ones (a
minimum-jerk reach after a known reaction time, on top of postural sway and sensor noise), so a
detector that times the noise, or a score outside its range, fails here.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from telemetry.measures import reach_measures
from telemetry.measures.los import ReachTraceError

RATE_HZ = 120.0
CUE_S = 1.0
REACTION_S = 0.45
MOVE_S = 1.0
TARGET = (0.0, 100.0)  # % of the limits of stability, straight ahead


def _sway(rng: np.random.Generator, n: int, sd: float) -> np.ndarray:
    """Postural sway: white noise low-passed at 1 Hz, scaled to ``sd``."""
    b, a = signal.butter(2, 1.0 / (RATE_HZ / 2))
    sway = signal.lfilter(b, a, rng.normal(size=n + 240))[240:]
    return sd * sway / sway.std()


def recorded_reach(seed: int, *, sway_sd: float = 2.0, noise_sd: float = 0.6, reach_pct: float = 80.0,
                   bias: tuple[float, float] = (0.0, 0.0), sideways_pct: float = 0.0, total_s: float = 4.0):
    """(t, x, y) of a reach at 120 Hz: sway and sensor noise throughout, the reach at CUE_S + REACTION_S."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(total_s * RATE_HZ)) / RATE_HZ
    tau = np.clip((t - CUE_S - REACTION_S) / MOVE_S, 0.0, 1.0)
    shape = 10 * tau**3 - 15 * tau**4 + 6 * tau**5  # minimum jerk (Flash & Hogan 1985)
    x = bias[0] + sideways_pct * shape + _sway(rng, t.size, sway_sd) + rng.normal(0, noise_sd, t.size)
    y = bias[1] + reach_pct * shape + _sway(rng, t.size, sway_sd) + rng.normal(0, noise_sd, t.size)
    return t, x, y


@pytest.mark.parametrize("seed", range(8))
def test_reaction_time_is_found_through_sway_and_noise(seed):
    t, x, y = recorded_reach(seed)
    m = reach_measures(t, x, y, cue_t_s=CUE_S, target_xy=TARGET)
    # The onset is where the speed last rested before the reach's velocity toward the target crossed the
    # threshold. A threshold detector can only lag the true start (by up to 0.2 s in this much sway and
    # noise), and must never answer the cue itself (the 0.00 s of issue 13).
    assert REACTION_S - 0.05 <= m.reaction_time_s <= REACTION_S + 0.2
    assert 70.0 < m.endpoint_excursion_pct < 90.0
    assert m.max_excursion_pct == pytest.approx(80.0, abs=8.0)
    assert 50.0 < m.directional_control_pct <= 100.0
    # The peak of a minimum-jerk reach of 80 % in 1 s is 150 %/s; 5-95 % of the path averages about 100 %/s.
    assert 70.0 < m.movement_velocity_per_s < 140.0


@pytest.mark.parametrize("seed", range(30))
def test_directional_control_stays_in_its_range_however_wobbly_the_reach(seed):
    rng = np.random.default_rng(1000 + seed)
    t, x, y = recorded_reach(seed, sway_sd=float(rng.uniform(1, 8)), noise_sd=float(rng.uniform(0.2, 3)),
                             reach_pct=float(rng.uniform(20, 90)), sideways_pct=float(rng.uniform(-60, 60)))
    try:
        m = reach_measures(t, x, y, cue_t_s=CUE_S, target_xy=TARGET)
    except ReachTraceError as refused:  # a reach drowned in sway is refused with a reason, never scored out of range
        assert refused.message and refused.remedy
        return
    assert 0.0 <= m.directional_control_pct <= 100.0
    assert m.reaction_time_s >= 0.0


def test_a_reach_that_goes_mostly_sideways_scores_zero_not_a_negative_percentage():
    t, x, y = recorded_reach(3, reach_pct=15.0, sideways_pct=70.0)
    m = reach_measures(t, x, y, cue_t_s=CUE_S, target_xy=TARGET)
    assert m.directional_control_pct == 0.0


def test_a_constant_bias_changes_nothing():
    t, x, y = recorded_reach(5)
    plain = reach_measures(t, x, y, cue_t_s=CUE_S, target_xy=TARGET)
    shifted = reach_measures(t, x + 12.0, y - 7.0, cue_t_s=CUE_S, target_xy=(12.0, 93.0))
    for name, value in plain.as_dict().items():
        assert getattr(shifted, name) == pytest.approx(value, rel=1e-6, abs=1e-9), name


def test_a_dropout_is_bridged_and_the_reaction_time_kept():
    t, x, y = recorded_reach(6)
    whole = reach_measures(t, x, y, cue_t_s=CUE_S, target_xy=TARGET)
    keep = np.ones(t.size, dtype=bool)
    keep[int(1.7 * RATE_HZ): int(1.95 * RATE_HZ)] = False  # a quarter of a second lost mid-reach
    gapped = reach_measures(t[keep], x[keep], y[keep], cue_t_s=CUE_S, target_xy=TARGET)
    assert gapped.reaction_time_s == pytest.approx(whole.reaction_time_s, abs=1.5 / RATE_HZ)
    assert gapped.max_excursion_pct == pytest.approx(whole.max_excursion_pct, abs=3.0)
    assert 0.0 <= gapped.directional_control_pct <= 100.0


def test_heavy_sway_before_the_cue_raises_the_threshold_instead_of_timing_the_sway():
    # Sway of 6 % LOS (filtered speed well above the 10 %/s floor) before and after the cue.
    t, x, y = recorded_reach(7, sway_sd=6.0)
    m = reach_measures(t, x, y, cue_t_s=CUE_S, target_xy=TARGET)
    assert m.reaction_time_s > 0.3  # not the first sample after the cue
