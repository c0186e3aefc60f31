"""Every bad setting or outcome raises DifficultyConfigError naming the value and the allowed range."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.difficulty import (
    METHODS,
    DifficultyConfigError,
    LevittStaircase,
    QuestScaler,
    WeightedStaircase,
    create_scaler,
)
from game.errors import ProprioError

GOOD = {"target": 0.8, "start": 0.5, "floor": 0.0, "ceiling": 1.0}
ALL_METHODS = sorted(METHODS)


def test_error_is_a_proprio_error_and_a_value_error_with_a_remedy() -> None:
    with pytest.raises(DifficultyConfigError) as info:
        create_scaler(**{**GOOD, "target": 1.5})
    assert isinstance(info.value, ProprioError)
    assert isinstance(info.value, ValueError)
    assert info.value.remedy
    assert info.value.remedy in str(info.value)


@pytest.mark.parametrize("method", ALL_METHODS)
@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("target", 0.0, "target success rate 0.0 is outside the open interval (0, 1)"),
        ("target", 1.0, "target success rate 1.0 is outside the open interval (0, 1)"),
        ("target", -0.2, "target success rate -0.2 is outside the open interval (0, 1)"),
        ("target", 80, "target success rate 80.0 is outside the open interval (0, 1)"),
        ("target", math.nan, "target must be a finite number, got nan"),
        ("target", math.inf, "target must be a finite number, got inf"),
        ("target", "0.8", "target must be a number, got '0.8' (str)"),
        ("target", None, "target must be a number, got None (NoneType)"),
        ("target", True, "target must be a number, got True (bool)"),
        ("floor", -0.1, "floor -0.1 is outside the normalized difficulty range [0, 1]"),
        ("ceiling", 1.1, "ceiling 1.1 is outside the normalized difficulty range [0, 1]"),
        ("floor", math.nan, "floor must be a finite number, got nan"),
        ("ceiling", -math.inf, "ceiling must be a finite number, got -inf"),
        ("start", 1.2, "start 1.2 is outside [floor, ceiling] = [0.0, 1.0]"),
        ("start", math.nan, "start must be a finite number, got nan"),
    ],
)
def test_bad_settings_are_refused_at_construction(method: str, field: str, value: object, fragment: str) -> None:
    with pytest.raises(DifficultyConfigError) as info:
        create_scaler(**{**GOOD, field: value}, method=method)
    assert fragment in str(info.value)


@pytest.mark.parametrize("method", ALL_METHODS)
def test_floor_above_ceiling_is_refused(method: str) -> None:
    with pytest.raises(DifficultyConfigError, match=r"floor 0\.6 is above ceiling 0\.4"):
        create_scaler(target=0.8, start=0.5, floor=0.6, ceiling=0.4, method=method)


@pytest.mark.parametrize("method", ALL_METHODS)
def test_start_outside_a_narrow_range_is_refused_not_clamped(method: str) -> None:
    with pytest.raises(DifficultyConfigError, match=r"start 0\.1 is outside \[floor, ceiling\] = \[0\.2, 0\.6\]"):
        create_scaler(target=0.8, start=0.1, floor=0.2, ceiling=0.6, method=method)


@pytest.mark.parametrize("method", ALL_METHODS)
def test_floor_equal_to_ceiling_locks_the_difficulty(method: str) -> None:
    scaler = create_scaler(target=0.8, start=0.35, floor=0.35, ceiling=0.35, method=method)
    decisions = [scaler.record(o) for o in [True, True, True, False, False, 0.5]]
    assert [d.new for d in decisions] == [0.35] * 6
    if method != "fixed":
        assert "locked (floor = ceiling)" in decisions[0].reason


@pytest.mark.parametrize("method", ALL_METHODS)
@pytest.mark.parametrize(
    ("outcome", "fragment"),
    [
        (math.nan, "outcome score nan is outside [0, 1]"),
        (-0.1, "outcome score -0.1 is outside [0, 1]"),
        (1.5, "outcome score 1.5 is outside [0, 1]"),
        (2, "outcome score 2.0 is outside [0, 1]"),
        (math.inf, "outcome score inf is outside [0, 1]"),
        ("yes", "outcome must be a bool or a score in [0, 1], got 'yes' (str)"),
        (None, "outcome must be a bool or a score in [0, 1], got None (NoneType)"),
        ([1], "outcome must be a bool or a score in [0, 1], got [1] (list)"),
    ],
)
def test_bad_outcomes_are_refused_and_leave_the_scaler_unchanged(method: str, outcome: object, fragment: str) -> None:
    scaler = create_scaler(**GOOD, method=method)
    scaler.record(True)
    before = scaler.state()
    with pytest.raises(DifficultyConfigError) as info:
        scaler.record(outcome)  # type: ignore[arg-type]
    assert fragment in str(info.value)
    assert scaler.state() == before


@pytest.mark.parametrize("method", ALL_METHODS)
@pytest.mark.parametrize("outcome", [True, False, 0, 1, 0.0, 1.0, 0.3, np.float64(0.7), np.bool_(True), np.int64(1)])
def test_good_outcomes_of_every_numeric_kind_are_accepted(method: str, outcome: object) -> None:
    decision = create_scaler(**GOOD, method=method).record(outcome)  # type: ignore[arg-type]
    assert decision.outcome == float(outcome)  # type: ignore[arg-type]
    assert type(decision.outcome) is float


def test_unknown_method_suggests_the_closest_name() -> None:
    with pytest.raises(DifficultyConfigError) as info:
        create_scaler(**GOOD, method="stair")
    assert "unknown difficulty method 'stair'" in str(info.value)
    assert "did you mean 'staircase'?" in str(info.value)


def test_arguments_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        create_scaler(0.8, 0.5, 0.0, 1.0)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (
            lambda: WeightedStaircase(**GOOD, initial_step=0.1, min_step=0.2),
            "min_step 0.2 is larger than initial_step 0.1",
        ),
        (lambda: WeightedStaircase(**GOOD, initial_step=0.0), "initial_step 0.0 is outside (0, 1.0]"),
        (lambda: WeightedStaircase(**GOOD, min_step=math.nan), "min_step must be a finite number, got nan"),
        (lambda: LevittStaircase(**GOOD, initial_step=2.0), "initial_step 2.0 is outside (0, 1.0]"),
        (lambda: QuestScaler(**GOOD, lapse=0.0), "lapse 0.0 is outside (0, 0.4)\n"),
        (
            lambda: QuestScaler(**{**GOOD, "target": 0.99}, lapse=0.04),
            "lapse 0.04 is outside (0, 0.02); with target 0.99 a larger lapse makes the target unreachable",
        ),
        (lambda: QuestScaler(**GOOD, hazard=1.0), "hazard 1.0 is outside [0, 1)"),
        (lambda: QuestScaler(**GOOD, prior_sd=-1.0), "prior_sd -1.0 is outside (0, inf)"),
        (lambda: QuestScaler(**GOOD, min_spread=0.3, max_spread=0.1), "min_spread 0.3 is larger than max_spread 0.1"),
        (lambda: QuestScaler(**GOOD, n_thresholds=1), "n_thresholds must be an integer >= 2, got 1 (int)"),
        (lambda: QuestScaler(**GOOD, n_spreads=2.5), "n_spreads must be an integer >= 1, got 2.5 (float)"),
    ],
)
def test_bad_method_parameters_are_refused(build, fragment: str) -> None:  # noqa: ANN001
    with pytest.raises(DifficultyConfigError) as info:
        build()
    assert fragment in str(info.value)
