"""Limits-of-stability / reach measures on piecewise-linear trials whose answers are worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from telemetry import measures
from telemetry.measures import NoMovementError, ReachMeasures, ReachTraceError, reach_measures
from telemetry.measures.errors import MeasureError

RATE_HZ = 100.0
T_S = np.arange(400) / RATE_HZ  # 4 s
CUE_S = 1.0
TARGET = (0.0, 100.0)  # straight ahead, 100 % of the limits of stability


def path(waypoints: list[tuple[float, float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """x, y sampled at T_S along straight legs between (t_s, x, y) waypoints, held before and after."""
    times, xs, ys = (np.array(column) for column in zip(*waypoints, strict=True))
    return np.interp(T_S, times, xs), np.interp(T_S, times, ys)


def test_straight_reach_with_a_correction_scores_as_worked_by_hand():
    # Still until 1.25 s; forward at 50 %/s to 80 % (1.25 -> 2.85 s); pause; on to 95 % (3.2 -> 3.5 s).
    x, y = path([(0.0, 0, 0), (1.25, 0, 0), (2.85, 0, 80), (3.2, 0, 80), (3.5, 0, 95), (4.0, 0, 95)])
    m = reach_measures(T_S, x, y, cue_t_s=CUE_S, filter_hz=None, target_xy=TARGET)
    assert m.reaction_time_s == pytest.approx(0.25)  # onset 1.25 s - cue 1.0 s
    assert m.movement_velocity_per_s == pytest.approx(50.0)  # 72 % in (2.77 - 1.33) s
    assert m.endpoint_excursion_pct == pytest.approx(80.0)  # the primary movement stopped at 80 %
    assert m.max_excursion_pct == pytest.approx(95.0)  # the correction got to 95 %
    assert m.directional_control_pct == pytest.approx(100.0)  # a straight line


def test_diagonal_reach_loses_directional_control_to_its_sideways_part():
    # Toward (3, 4)/5 at 50 %/s for 1 s: 30 sideways, 40 forward; on 40, off 30 -> 25 %.
    x, y = path([(0.0, 0, 0), (1.5, 0, 0), (2.5, 30, 40), (4.0, 30, 40)])
    m = reach_measures(T_S, x, y, cue_t_s=CUE_S, filter_hz=None, target_xy=TARGET)
    assert m.reaction_time_s == pytest.approx(0.5)
    assert m.movement_velocity_per_s == pytest.approx(50.0)  # speed along the straight path
    assert m.endpoint_excursion_pct == pytest.approx(40.0)  # only the forward part counts
    assert m.directional_control_pct == pytest.approx(25.0)


def test_an_l_shaped_reach_scores_the_same_direction_control_as_the_diagonal():
    # 30 sideways then 40 forward without stopping (constant speed 50 %/s).
    x, y = path([(0.0, 0, 0), (1.5, 0, 0), (2.1, 30, 0), (2.9, 30, 40), (4.0, 30, 40)])
    m = reach_measures(T_S, x, y, cue_t_s=CUE_S, filter_hz=None, target_xy=TARGET)
    assert m.directional_control_pct == pytest.approx(25.0)
    assert m.endpoint_excursion_pct == pytest.approx(40.0)


def test_backward_movement_counts_against_directional_control():
    # Forward 40, back 10, forward 30 at a constant 50 %/s, stopping at 60: on 70, off 10.
    x, y = path([(0.0, 0, 0), (1.2, 0, 0), (2.0, 0, 40), (2.2, 0, 30), (2.8, 0, 60), (4.0, 0, 60)])
    m = reach_measures(T_S, x, y, cue_t_s=CUE_S, filter_hz=None, target_xy=TARGET)
    assert m.directional_control_pct == pytest.approx(100 * (70 - 10) / 70)
    assert m.endpoint_excursion_pct == pytest.approx(60.0)
    assert m.max_excursion_pct == pytest.approx(60.0)
    assert m.reaction_time_s == pytest.approx(0.2)


def test_movement_before_the_cue_is_not_a_reaction():
    # A fidget before the cue (to 10 % and back), still at the cue, then the reach at 1.4 s.
    x, y = path([(0.0, 0, 0), (0.2, 0, 10), (0.4, 0, 0), (1.4, 0, 0), (2.4, 0, 50), (4.0, 0, 50)])
    m = reach_measures(T_S, x, y, cue_t_s=CUE_S, filter_hz=None, target_xy=TARGET)
    assert m.reaction_time_s == pytest.approx(0.4)
    assert m.endpoint_excursion_pct == pytest.approx(50.0)


def test_slow_sway_below_the_onset_threshold_is_not_movement():
    # 5 %/s drift (below the default 10 % of 100 per s) until 2 s, then a 50 %/s reach.
    x, y = path([(0.0, 0, 0), (1.0, 0, 0), (2.0, 0, 5), (3.0, 0, 55), (4.0, 0, 55)])
    m = reach_measures(T_S, x, y, cue_t_s=CUE_S, filter_hz=None, target_xy=TARGET)
    assert m.reaction_time_s == pytest.approx(1.0)
    # With a threshold of 2 %/s the drift itself is the onset, and it ends at 55 % without a stop.
    slow = reach_measures(T_S, x, y, cue_t_s=CUE_S, filter_hz=None, target_xy=TARGET, onset_speed_per_s=2.0)
    assert slow.reaction_time_s == pytest.approx(0.0)
    assert slow.endpoint_excursion_pct == pytest.approx(55.0)


def test_start_away_from_the_origin_and_fraction_units_give_the_same_percentages():
    x, y = path([(0.0, 0, 0), (1.25, 0, 0), (2.85, 0, 80), (3.2, 0, 80), (3.5, 0, 95), (4.0, 0, 95)])
    base = reach_measures(T_S, x, y, cue_t_s=CUE_S, filter_hz=None, target_xy=TARGET)
    shifted = reach_measures(T_S, x + 10, y - 5, cue_t_s=CUE_S, filter_hz=None, target_xy=(10.0, 95.0))
    fraction = reach_measures(T_S, x / 100, y / 100, cue_t_s=CUE_S, filter_hz=None, target_xy=(0.0, 1.0))
    for other in (shifted, fraction):
        assert other.reaction_time_s == pytest.approx(base.reaction_time_s)
        assert other.endpoint_excursion_pct == pytest.approx(base.endpoint_excursion_pct)
        assert other.max_excursion_pct == pytest.approx(base.max_excursion_pct)
        assert other.directional_control_pct == pytest.approx(base.directional_control_pct)
    assert fraction.movement_velocity_per_s == pytest.approx(0.5)  # fraction of LOS per s


def test_sideways_and_diagonal_targets_use_their_own_direction():
    # Reach to the right target (100, 0) at 50 %/s to 70 %.
    x, y = path([(0.0, 0, 0), (1.1, 0, 0), (2.5, 70, 0), (4.0, 70, 0)])
    right = reach_measures(T_S, x, y, cue_t_s=CUE_S, filter_hz=None, target_xy=(100.0, 0.0))
    assert right.endpoint_excursion_pct == pytest.approx(70.0)
    assert right.directional_control_pct == pytest.approx(100.0)
    # The same movement scored against the forward-right target at 45 degrees.
    diagonal = reach_measures(T_S, x, y, cue_t_s=CUE_S, filter_hz=None, target_xy=(100 / np.sqrt(2), 100 / np.sqrt(2)))
    assert diagonal.endpoint_excursion_pct == pytest.approx(70.0 / np.sqrt(2))
    assert diagonal.directional_control_pct == pytest.approx(0.0)  # along and across are equal


def test_single_measure_functions_agree_with_reach_measures():
    x, y = path([(0.0, 0, 0), (1.5, 0, 0), (2.1, 30, 0), (2.9, 30, 40), (4.0, 30, 40)])
    kwargs = {"cue_t_s": CUE_S, "target_xy": TARGET, "filter_hz": None}
    together = reach_measures(T_S, x, y, **kwargs)
    assert isinstance(together, ReachMeasures)
    assert together.as_dict() == {
        "reaction_time_s": measures.reaction_time_s(T_S, x, y, **kwargs),
        "movement_velocity_per_s": measures.movement_velocity(T_S, x, y, **kwargs),
        "endpoint_excursion_pct": measures.endpoint_excursion_pct(T_S, x, y, **kwargs),
        "max_excursion_pct": measures.max_excursion_pct(T_S, x, y, **kwargs),
        "directional_control_pct": measures.directional_control_pct(T_S, x, y, **kwargs),
    }


# --- errors -------------------------------------------------------------------------------------


def test_a_player_who_never_moves_raises_no_movement():
    still = np.zeros_like(T_S)
    with pytest.raises(NoMovementError, match="never moves toward the target faster than 10 units/s after") as info:
        reach_measures(T_S, still, still, cue_t_s=CUE_S, filter_hz=None, target_xy=TARGET)
    assert isinstance(info.value, ReachTraceError) and isinstance(info.value, MeasureError)
    assert info.value.remedy


def test_moving_only_away_from_the_target_has_no_directional_control():
    x, y = path([(0.0, 0, 0), (1.5, 0, 0), (2.5, 0, -40), (4.0, 0, -40)])
    with pytest.raises(NoMovementError, match="never moves toward the target"):
        reach_measures(T_S, x, y, cue_t_s=CUE_S, filter_hz=None, target_xy=TARGET)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": np.zeros(399)}, "differ in length"),
        ({"t_s": T_S[::-1]}, "increase strictly"),
        ({"t_s": np.zeros(400)}, "increase strictly"),
        ({"cue_t_s": 5.0}, "outside the recording"),
        ({"cue_t_s": -0.5}, "outside the recording"),
        ({"target_xy": (0.0, 0.0)}, "no direction to reach in"),
        ({"target_xy": (0.0, float("nan"))}, "finite \\(x, y\\) pair"),
        ({"target_xy": (1.0, 2.0, 3.0)}, "finite \\(x, y\\) pair"),
        ({"target_xy": ("left", "up")}, "finite \\(x, y\\) pair"),
        ({"onset_speed_per_s": -1.0}, "must be positive"),
        ({"y": np.full(400, np.nan)}, "y holds NaN"),
        ({"x": np.zeros((400, 2))}, "one-dimensional"),
        ({"x": ["a"] * 400}, "not a sequence of numbers"),
        ({"t_s": np.zeros(1), "x": np.zeros(1), "y": np.zeros(1), "cue_t_s": 0.0}, "at least two samples"),
    ],
)
def test_bad_trials_are_typed_errors(kwargs, message):
    x, y = path([(0.0, 0, 0), (1.25, 0, 0), (2.85, 0, 80), (4.0, 0, 80)])
    args = {"t_s": T_S, "x": x, "y": y, "cue_t_s": CUE_S, "target_xy": TARGET, **kwargs}
    with pytest.raises(ReachTraceError, match=message):
        reach_measures(args.pop("t_s"), args.pop("x"), args.pop("y"), **args)
