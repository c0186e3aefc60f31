from __future__ import annotations

import pytest

from game.core.stepper import FixedStepper

STEP = 1 / 120


def test_whole_steps_and_the_remainder_carry_over():
    stepper = FixedStepper(STEP)
    assert stepper.advance(1 / 60) == (2, pytest.approx(0.0, abs=1e-6))
    steps, alpha = stepper.advance(0.0125)  # 1.5 steps
    assert steps == 1
    assert alpha == pytest.approx(0.5)
    steps, alpha = stepper.advance(0.0125)  # 0.5 left over + 1.5 = 2 steps
    assert steps == 2
    assert alpha == pytest.approx(0.0, abs=1e-6)


def test_total_steps_do_not_depend_on_the_frame_rate():
    for fps in (30, 59.94, 60, 144, 240):
        stepper = FixedStepper(STEP)
        total = sum(stepper.advance(1 / fps)[0] for _ in range(int(round(fps * 10))))
        assert abs(total - 1200) <= 1, fps


def test_a_stall_is_capped_and_counted():
    stepper = FixedStepper(STEP, max_steps_per_frame=12)
    steps, alpha = stepper.advance(1.0)  # a one-second hitch
    assert steps == 12
    assert alpha == 0.0
    assert stepper.dropped_steps == 120 - 12


def test_negative_time_is_refused():
    with pytest.raises(ValueError):
        FixedStepper(STEP).advance(-0.01)
