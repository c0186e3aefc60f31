"""Weighted up-down staircase: whole scripted sequences, reversal steps, graded scores and reason text."""

from __future__ import annotations

import pytest

from game.difficulty import WeightedStaircase, create_scaler

# Binary-exact settings (target 3/4, steps 1/2 .. 1/8) so the expected levels are exact floats:
# step 0.5 splits into 0.125 harder / 0.375 easier, then halves at each reversal down to 0.125.
EXACT = {"target": 0.75, "start": 0.5, "floor": 0.0, "ceiling": 1.0, "initial_step": 0.5, "min_step": 0.125}


def test_scripted_sequence_gives_exact_levels_and_reversal_steps() -> None:
    stair = WeightedStaircase(**EXACT)
    outcomes = [True, True, False, True, True, False, False, True]
    levels = [stair.record(o).new for o in outcomes]
    assert levels == [0.625, 0.75, 0.5625, 0.59375, 0.625, 0.53125, 0.4375, 0.46875]
    assert stair.reversal_levels == (0.75, 0.5625, 0.625, 0.4375)
    assert stair.reversal_steps == (0.25, 0.125, 0.125, 0.125)  # halved twice, then held at min_step
    assert (stair.step_harder, stair.step_easier) == (0.03125, 0.09375)


def test_decisions_chain_old_to_new_and_count_trials() -> None:
    stair = WeightedStaircase(**EXACT)
    decisions = [stair.record(o) for o in [True, False, True]]
    assert [d.trial for d in decisions] == [1, 2, 3]
    assert [d.old for d in decisions] == [0.5, 0.625, 0.4375]
    assert [d.new for d in decisions] == [0.625, 0.4375, 0.46875]
    assert [d.outcome for d in decisions] == [1.0, 0.0, 1.0]


def test_step_ratio_sets_the_target_for_any_target() -> None:
    for target in (0.6, 0.7071, 0.8, 0.85):
        stair = WeightedStaircase(target=target, start=0.5, floor=0.0, ceiling=1.0)
        ratio_target = stair.step_easier / (stair.step_easier + stair.step_harder)
        assert ratio_target == pytest.approx(target, abs=1e-12)


def test_ceiling_cuts_a_move_short_and_a_failure_there_reverses() -> None:
    stair = WeightedStaircase(**{**EXACT, "start": 0.9})
    first = stair.record(True)
    assert first.new == 1.0
    assert "harder by 0.1 to the ceiling 1" in first.reason
    second = stair.record(True)
    assert second.new == 1.0
    assert "already at the ceiling 1, stays" in second.reason
    third = stair.record(False)
    assert third.new == 0.8125  # reversal: step 0.25, easier 0.1875
    assert "reversal 1" in third.reason


def test_floor_cuts_a_move_short() -> None:
    stair = WeightedStaircase(**{**EXACT, "start": 0.2, "floor": 0.1})
    decision = stair.record(False)
    assert decision.new == 0.1
    assert "easier by 0.1 to the floor 0.1" in decision.reason


def test_graded_score_moves_by_the_expected_binary_move() -> None:
    stair = WeightedStaircase(**{**EXACT, "min_step": 0.5})  # no halving, to isolate the rule
    # s * 0.125 - (1 - s) * 0.375 for s = 0.5, 0.75 (the target: no move), 1.0
    assert stair.record(0.5).new == 0.375
    assert stair.record(0.75).new == 0.375
    assert stair.record(1.0).new == 0.5
    assert stair.record(0.0).new == 0.125


def test_score_at_target_is_no_move_and_no_reversal() -> None:
    stair = WeightedStaircase(**EXACT)
    stair.record(True)
    decision = stair.record(0.75)
    assert decision.new == decision.old == 0.625
    assert stair.reversal_levels == ()
    assert "stays at 0.625" in decision.reason


def test_score_equal_to_the_target_is_no_reversal_despite_rounding() -> None:
    stair = WeightedStaircase(target=0.6, start=0.5, floor=0.0, ceiling=1.0, initial_step=0.2, min_step=0.2)
    stair.record(False)
    decision = stair.record(0.6)  # 0.6 * 0.08 - 0.4 * 0.12 is 6.9e-18 in floating point, not 0
    assert decision.new == decision.old
    assert stair.reversal_levels == ()


def test_reason_text_reads_as_documented() -> None:
    stair = create_scaler(target=0.8, start=0.4, floor=0.0, ceiling=1.0, method="staircase")
    assert stair.record(True).reason == "success at 0.4: harder by 0.1 to 0.5 (weighted up-down, target 80 %)"
    assert stair.record(True).reason == (
        "2 successes in a row at 0.5: harder by 0.1 to 0.6 (weighted up-down, target 80 %)"
    )
    assert stair.record(False).reason == (
        "failure at 0.6: easier by 0.2 to 0.4; reversal 1, steps now 0.05 harder / 0.2 easier"
        " (weighted up-down, target 80 %)"
    )
    assert stair.record(0.5).reason == (  # 0.5 * 0.05 - 0.5 * 0.2 = -0.075
        "score 0.5 at 0.4: easier by 0.075 to 0.325, from 0.5 x 0.05 harder - 0.5 x 0.2 easier"
        " (weighted up-down, target 80 %)"
    )


def test_levels_rise_during_a_run_of_successes_and_fall_during_failures() -> None:
    stair = create_scaler(target=0.8, start=0.5, floor=0.0, ceiling=1.0, method="staircase")
    ups = [stair.record(True) for _ in range(3)]
    downs = [stair.record(False) for _ in range(3)]
    assert all(d.new > d.old for d in ups)
    assert all(d.new < d.old for d in downs)
