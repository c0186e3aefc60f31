"""The pure running order: instruction, countdown, trial, rest; stops and aborts keep what was done."""

from __future__ import annotations

import pytest

from game.assess.model import Protocol
from game.assess.runner import AssessmentRunner, FinishedTrial, PlannedTrial

STEP = 1.0 / 120.0


def protocol(**extra: object) -> Protocol:
    base: dict[str, object] = {
        "schema_version": 1, "title": "T", "kind": "single_leg", "trials": 2, "trial_s": 3.0, "get_ready_s": 1.0,
        "rest_s": 2.0, "conditions": [
            {"name": "left_leg", "title": "Left", "stance": "left", "instruction": "Stand on the left leg."},
            {"name": "right_leg", "title": "Right", "stance": "right", "instruction": "Stand on the right leg."}],
    }
    base.update(extra)
    return Protocol.model_validate(base)


def run_for(runner: AssessmentRunner, seconds: float) -> list[FinishedTrial | PlannedTrial]:
    changes: list[FinishedTrial | PlannedTrial] = []
    for _ in range(round(seconds / STEP)):
        changes.extend(runner.advance(STEP))
    return changes


def test_a_protocol_runs_in_its_fixed_order_with_instructions_before_each_condition():
    runner = AssessmentRunner(protocol())
    assert runner.phase == "instruction"
    assert run_for(runner, 10.0) == []  # nothing starts until the instruction is confirmed
    title, lines = runner.headline()
    assert title == "Left" and lines[0] == "Stand on the left leg."
    runner.confirm()
    changes = run_for(runner, 1.0 + 3.0 + 2.0 + 1.0 + 3.0)  # countdown, trial, rest, countdown, trial
    started = [c for c in changes if isinstance(c, PlannedTrial)]
    ended = [c for c in changes if isinstance(c, FinishedTrial)]
    assert [t.number for t in started] == [1, 2] and [t.planned.repeat for t in ended] == [1, 2]
    assert all(t.outcome == "completed" and t.duration_s == pytest.approx(3.0) for t in ended)
    assert ended[1].started_t_s == pytest.approx(10.0 + 1.0 + 3.0 + 2.0 + 1.0)
    run_for(runner, 2.0)  # the rest after the left leg's last trial
    assert runner.phase == "instruction" and runner.current is not None
    assert runner.current.condition.name == "right_leg"  # a new condition: its own instruction first


def test_an_interrupted_trial_is_not_kept_and_is_played_again_from_its_countdown():
    runner = AssessmentRunner(protocol())
    assert runner.interrupt() is None and runner.phase == "instruction"  # nothing runs: nothing to set aside
    runner.confirm()
    run_for(runner, 1.0 + 1.5)
    assert runner.phase == "trial"
    cut = runner.interrupt()
    assert cut is not None
    planned, ran_s = cut
    assert planned.number == 1 and ran_s == pytest.approx(1.5, abs=STEP)
    assert runner.finished == [] and runner.phase == "get_ready" and runner.current == planned
    assert runner.interrupt() is None  # a countdown is not a trial
    changes = run_for(runner, 1.0 + 3.0)  # its countdown again, then the whole trial
    started = [c for c in changes if isinstance(c, PlannedTrial)]
    ended = [c for c in changes if isinstance(c, FinishedTrial)]
    assert [t.number for t in started] == [1] and [t.planned.number for t in ended] == [1]
    assert ended[0].outcome == "completed" and ended[0].duration_s == pytest.approx(3.0)
    assert ended[0].started_t_s == pytest.approx(1.0 + 1.5 + 1.0, abs=STEP)
    assert [t.planned.number for t in runner.finished] == [1]  # one row for trial 1, the whole one


def test_a_stopped_trial_keeps_its_time_held_and_the_assessment_goes_on():
    runner = AssessmentRunner(protocol())
    runner.confirm()
    run_for(runner, 1.0 + 1.25)
    assert runner.phase == "trial"
    stopped = runner.stop_trial()
    assert stopped is not None and stopped.outcome == "stopped"
    assert stopped.duration_s == pytest.approx(1.25, abs=STEP)
    assert runner.phase == "rest" and runner.stop_trial() is None
    runner.skip_rest()
    run_for(runner, STEP)
    assert runner.phase == "get_ready"


def test_abort_keeps_the_running_trial_as_aborted_and_ends():
    runner = AssessmentRunner(protocol())
    runner.confirm()
    run_for(runner, 2.0)
    ended = runner.abort()
    assert ended is not None and ended.outcome == "aborted" and runner.done
    assert run_for(runner, 5.0) == []
    assert runner.headline()[0] == "T: finished"


def test_the_whole_protocol_finishes_and_without_rests_goes_straight_on():
    runner = AssessmentRunner(protocol(rest_s=0.0, trials=1))
    runner.confirm()
    run_for(runner, 4.0)
    assert runner.phase == "instruction"  # straight to the right leg's instruction
    runner.confirm()
    run_for(runner, 4.0)
    assert runner.done and [t.planned.condition.side for t in runner.finished] == ["left", "right"]
