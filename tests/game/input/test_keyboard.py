"""The keyboard's virtual board: held keys move it at a rising rate; it stays where it is left, on the field."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.core.world import STEP_S
from game.input.keyboard import (
    DIRECTIONS,
    NUDGE_RATE_PER_S,
    RAMP_S,
    TILT_RATE_PER_S,
    KeyboardSource,
    hold_needed,
    travel,
)


def hold(keys: KeyboardSource, held: set[str], seconds: float, start_step: int = 0) -> int:
    """Hold ``held`` for ``seconds`` of 120 Hz polls; returns the next step number."""
    keys.set_held(frozenset(held))
    steps = round(seconds / STEP_S)
    for i in range(start_step, start_step + steps):
        keys.poll(i * STEP_S)
    keys.set_held(frozenset())
    return start_step + steps


def where(keys: KeyboardSource, step: int) -> tuple[float, float]:
    pose = keys.poll(step * STEP_S)
    return (pose.x, pose.y)


def test_a_tap_nudges_a_little_and_a_longer_hold_moves_further():
    distances = []
    for seconds in (0.05, 0.1, 0.3, 0.6, 0.9):
        keys = KeyboardSource()
        keys.poll(0.0)
        step = hold(keys, {"right"}, seconds, 1)
        distances.append(where(keys, step)[0])
    assert distances == sorted(distances) and len(set(distances)) == 5
    assert 0.005 < distances[0] < 0.03  # a tap of 50 ms: a nudge of about 2 % of the field
    assert distances[-1] > 0.6  # most of the way to the edge in under a second


def test_release_leaves_the_board_where_it_is():
    keys = KeyboardSource()
    keys.poll(0.0)
    step = hold(keys, {"left", "up"}, 0.5, 1)
    here = where(keys, step)
    later = [where(keys, step + i) for i in range(1, 600)]  # five seconds with nothing held
    assert here[0] < -0.1 and here[1] > 0.1
    assert all(p == here for p in later)


def test_diagonals_move_at_the_same_speed_and_never_leave_the_field():
    straight, diagonal = KeyboardSource(), KeyboardSource()
    straight.poll(0.0)
    diagonal.poll(0.0)
    hold(straight, {"up"}, 0.3, 1)
    hold(diagonal, {"up", "right"}, 0.3, 1)
    assert math.hypot(*where(diagonal, 40)) == pytest.approx(where(straight, 40)[1])
    step = hold(diagonal, {"up", "right"}, 3.0, 41)
    x, y = where(diagonal, step)
    assert math.hypot(x, y) == pytest.approx(1.0) and x == pytest.approx(y)  # on the circle, not the square's corner


@given(st.lists(st.tuples(st.frozensets(st.sampled_from(DIRECTIONS)), st.integers(1, 200)), max_size=12))
def test_any_key_sequence_keeps_the_board_on_the_field(script):
    keys = KeyboardSource()
    step = 0
    for held, steps in script:
        keys.set_held(held)
        for _ in range(steps):
            pose = keys.poll(step * STEP_S)
            step += 1
            assert math.hypot(pose.x, pose.y) <= 1.0 + 1e-12


def test_opposite_keys_cancel():
    keys = KeyboardSource()
    keys.poll(0.0)
    step = hold(keys, {"left", "right"}, 0.5, 1)
    assert where(keys, step) == (0.0, 0.0)


def test_r_brings_the_board_back_to_level():
    keys = KeyboardSource()
    keys.poll(0.0)
    step = hold(keys, {"down"}, 0.6, 1)
    assert where(keys, step)[1] < -0.3
    assert keys.recentre() is True
    assert where(keys, step + 1) == (0.0, 0.0)


def test_each_level_or_screen_starts_with_the_board_level():
    keys = KeyboardSource()
    keys.poll(0.0)
    step = hold(keys, {"up"}, 0.5, 1)
    assert where(keys, step)[1] > 0.3
    assert (keys.poll(0.0).x, keys.poll(0.0).y) == (0.0, 0.0)  # the next level's time starts at 0 again


def test_the_travel_curve_and_its_inverse():
    assert travel(0.0) == 0.0
    assert travel(RAMP_S) == pytest.approx((NUDGE_RATE_PER_S + TILT_RATE_PER_S) / 2 * RAMP_S)
    assert travel(RAMP_S + 1.0) - travel(RAMP_S) == pytest.approx(TILT_RATE_PER_S)
    for distance in (0.01, 0.1, 0.5, 0.9):
        assert travel(hold_needed(distance)) == pytest.approx(distance, abs=1e-9)


def test_a_stall_between_polls_moves_the_board_no_further_than_a_quarter_second():
    keys = KeyboardSource()
    keys.set_held(frozenset({"right"}))
    keys.poll(0.0)
    assert keys.poll(30.0).x == pytest.approx(travel(0.25))


def test_a_drag_pulls_the_board_and_release_leaves_it_there():
    keys = KeyboardSource()
    keys.set_pointer((0.9, 0.9))  # outside the field: pulled toward the nearest point of the circle
    poses = [keys.poll(i * STEP_S) for i in range(121)]
    assert (poses[-1].x, poses[-1].y) == pytest.approx((math.sqrt(0.5), math.sqrt(0.5)))
    assert 0.0 < poses[1].x < 0.1  # quickly, but not in one jump
    keys.set_pointer(None)
    assert (keys.poll(2.0).x, keys.poll(3.0).y) == pytest.approx((math.sqrt(0.5), math.sqrt(0.5)))
    keys.set_pointer((float("nan"), 0.0))  # nonsense is ignored: nothing drags
    assert keys.poll(4.0).x == pytest.approx(math.sqrt(0.5))
