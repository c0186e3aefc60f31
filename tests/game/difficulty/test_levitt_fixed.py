"""Levitt's 1-up/2-down staircase and the fixed baseline: scripted sequences and reasons."""

from __future__ import annotations

import math

from game.difficulty import FixedDifficulty, LevittStaircase, create_scaler
from game.difficulty.levitt import LEVITT_RATE

EXACT = {"target": 0.8, "start": 0.5, "floor": 0.0, "ceiling": 1.0, "initial_step": 0.25, "min_step": 0.0625}


def test_scripted_sequence_steps_after_two_successes_and_any_failure() -> None:
    stair = LevittStaircase(**EXACT)
    outcomes = [True, True, True, False, True, True, False, False, True, True]
    levels = [stair.record(o).new for o in outcomes]
    assert levels == [0.5, 0.75, 0.75, 0.625, 0.625, 0.6875, 0.625, 0.5625, 0.5625, 0.625]
    assert stair.reversal_levels == (0.75, 0.625, 0.6875, 0.5625)
    assert stair.reversal_steps == (0.125, 0.0625, 0.0625, 0.0625)


def test_a_failure_resets_the_success_count() -> None:
    stair = LevittStaircase(**EXACT)
    levels = [stair.record(o).new for o in [True, False, True]]
    assert levels == [0.5, 0.25, 0.25]  # the success after the failure is the first of a new pair


def test_graded_scores_count_as_success_from_one_half() -> None:
    stair = LevittStaircase(**EXACT)
    assert [stair.record(s).new for s in (0.5, 0.9)] == [0.5, 0.75]
    decision = stair.record(0.49)
    assert decision.new == 0.625
    assert "counts as a failure" in decision.reason


def test_levitt_rate_and_reason_say_the_target_is_not_used() -> None:
    assert math.isclose(LEVITT_RATE, 0.5**0.5)
    stair = create_scaler(target=0.8, start=0.5, floor=0.0, ceiling=1.0, method="levitt")
    reason = stair.record(True).reason
    assert reason == (
        "success at 0.5, 1 more in a row to step harder: stays at 0.5"
        " (1-up/2-down, converges on 70.7 %; target 80 % not used)"
    )
    assert stair.record(True).reason.startswith("2 successes in a row at 0.5: harder by 0.1 to 0.6")


def test_fixed_never_moves() -> None:
    fixed = FixedDifficulty(target=0.8, start=0.3, floor=0.0, ceiling=1.0)
    decisions = [fixed.record(o) for o in [True, False, 0.2, True, False]]
    assert [d.new for d in decisions] == [0.3] * 5
    assert decisions[1].reason == "failure at 0.3: stays (fixed difficulty, not adaptive)"
