"""The calibration procedure, driven by scripted readings (no clock, no window)."""

from __future__ import annotations

import math

import pytest

from game.calibration_flow import KEYS_LEAN, KEYS_PROBLEM, LOS_ORDER, CalibrationFlow
from game.core.world import STEP_S
from tests.game.calibration_person import REACH_DEG, Person


class Player:
    """Stands on a board whose sensor is mounted turned by ``mount_deg``; leans where the flow asks."""

    def __init__(self, mount_deg: float = 0.0, level=(0.3, -0.2), rest=(1.0, 0.5), wobble=0.2) -> None:
        self.mount = math.radians(mount_deg)
        self.level, self.rest, self.wobble = level, rest, wobble
        self.on_board = False

    def reading(self, flow: CalibrationFlow, t_s: float) -> tuple[float, float]:
        step = flow.step
        if step.key == "zero":
            x, y = self.level
        elif step.key == "centre" or flow.returning:
            self.on_board = True
            x, y = self.rest
        else:
            d = step.direction_deg
            reach = REACH_DEG[d]
            bx, by = reach * math.cos(math.radians(d)), reach * math.sin(math.radians(d))
            c, s = math.cos(self.mount), math.sin(self.mount)
            x, y = self.rest[0] + c * bx - s * by, self.rest[1] + s * bx + c * by
        w = self.wobble * math.sin(7.0 * t_s)
        return x + w, y - w


def run(flow: CalibrationFlow, player, limit_s: float = 120.0, t: float = 0.0) -> float:
    while not flow.done and t < limit_s:
        flow.feed(t, *player.reading(flow, t))
        t += STEP_S
    return t


def test_a_whole_calibration_from_holding_still():
    flow = CalibrationFlow("deg", hold_s=1.0)
    player = Player()
    took_s = run(flow, player)
    assert flow.done and flow.message == "Calibration complete"
    cal = flow.calibration()
    assert cal.zero == pytest.approx((0.3, -0.2), abs=0.05)
    assert cal.centre == pytest.approx((1.0, 0.5), abs=0.05)
    for name, reach in cal.reach().items():
        assert reach > 3.5, name
    assert took_s < 10 * 1.0 + 10  # ten holds of 1 s, plus the moves between them


def test_the_result_maps_every_lean_to_its_direction_even_with_a_turned_sensor():
    flow = CalibrationFlow("deg", hold_s=0.5)
    run(flow, Player(mount_deg=90.0))
    cal = flow.calibration()
    rest = (1.0, 0.5)
    for d, reach in REACH_DEG.items():
        bx, by = reach * math.cos(math.radians(d)) / 2, reach * math.sin(math.radians(d)) / 2
        sensor = (rest[0] - by, rest[1] + bx)  # the same lean, half way, as the turned sensor reports it
        x, y = cal.normalize(*sensor)
        assert (x, y) == pytest.approx((0.5 * math.cos(math.radians(d)), 0.5 * math.sin(math.radians(d))), abs=0.03)


def test_a_lean_too_small_is_not_recorded_and_the_player_is_told():
    flow = CalibrationFlow("deg", hold_s=0.5)
    t = 0.0
    for _ in range(200):
        flow.feed(t, 0.0, 0.0)
        t += STEP_S
    assert flow.step.key == "los"  # zero and centre done at rest
    for _ in range(300):
        flow.feed(t, 0.0, 1.0)  # forward by only 1 degree
        t += STEP_S
    assert flow.step.direction_deg == LOS_ORDER[0] and flow.message == "Lean further toward the arrow"
    assert flow.progress(t) == 0.0


def test_moving_restarts_the_hold():
    flow = CalibrationFlow("deg", hold_s=1.0)
    t = 0.0
    for _ in range(100):  # 0.83 s still, then a jump
        flow.feed(t, 0.0, 0.0)
        t += STEP_S
    assert 0.7 < flow.progress(t) < 1.0
    flow.feed(t, 5.0, 5.0)
    assert flow.progress(t) == 0.0 and flow.index == 0


def test_between_leans_the_player_comes_back_to_the_middle():
    flow = CalibrationFlow("deg", hold_s=0.3)
    player = Player(wobble=0.0)
    t = 0.0
    while flow.index < 3:  # zero, centre, forward
        flow.feed(t, *player.reading(flow, t))
        t += STEP_S
    assert flow.returning and flow.target() == (0.0, 0.0)
    for _ in range(200):  # staying leaned forward does not record forward-right
        flow.feed(t, 1.0, 7.5)
        t += STEP_S
    assert flow.index == 3 and flow.message == "Come back to the middle"


def test_enter_confirms_and_backspace_redoes():
    flow = CalibrationFlow("deg", hold_s=5.0)
    t = 0.0
    assert not flow.confirm()  # nothing read yet
    for _ in range(60):
        flow.feed(t, 0.5, 0.5)
        t += STEP_S
    assert flow.confirm() and flow.index == 1
    assert flow.recorded["zero"] == pytest.approx((0.5, 0.5))
    flow.back()
    assert flow.index == 0 and "zero" not in flow.recorded


def test_limits_out_of_order_stop_with_a_problem_and_enter_measures_them_again():
    flow = CalibrationFlow("deg", hold_s=0.3)
    player = Player(wobble=0.0)

    class Confused(Player):
        def reading(self, flow, t_s):
            if flow.step.key == "los" and not flow.returning and flow.step.direction_deg in (45, 0):
                swapped = 0 if flow.step.direction_deg == 45 else 45  # leans right when asked forward-right
                reach = REACH_DEG[swapped]
                return (1.0 + reach * math.cos(math.radians(swapped)), 0.5 + reach * math.sin(math.radians(swapped)))
            return super().reading(flow, t_s)

    confused = Confused(wobble=0.0)
    t = 0.0
    while flow.problem is None and t < 60:
        flow.feed(t, *confused.reading(flow, t))
        t += STEP_S
    assert not flow.done and flow.problem is not None and "order" in flow.message
    assert flow.keys() == KEYS_PROBLEM and flow.picture(t).keys == KEYS_PROBLEM
    for _ in range(600):  # nothing is asked again by itself: the flow waits for a decision
        flow.feed(t, *confused.reading(flow, t))
        t += STEP_S
    assert flow.problem is not None and flow.attempts == 1 and flow.index == len(flow.steps) - 1
    assert flow.retry() and flow.index == 2 and flow.problem is None and "los:90" not in flow.recorded
    run(flow, player, limit_s=t + 60, t=t)  # done properly the second time
    assert flow.done and flow.attempts == 2 and flow.calibration().skipped == ()


def test_a_balance_board_is_zeroed_empty_and_waits_for_the_player():
    flow = CalibrationFlow("mm", hold_s=0.5, zero_when_empty=True)
    t = 0.0
    flow.feed(t, 3.0, 4.0, present=True)
    assert flow.message == "Step off the board" and flow.index == 0
    while flow.index == 0:
        flow.feed(t, 0.0, 0.0, present=False)
        t += STEP_S
    assert flow.recorded["zero"] == (0.0, 0.0)
    for _ in range(200):  # the centre is not taken from an empty board
        flow.feed(t, 0.0, 0.0, present=False)
        t += STEP_S
    assert flow.index == 1 and flow.message == "Step on the board"


def test_an_imu_centre_waits_until_someone_steps_on():
    flow = CalibrationFlow("deg", hold_s=0.3, centre_needs_movement=True)
    t = 0.0
    for _ in range(300):
        flow.feed(t, 0.2, 0.2)
        t += STEP_S
    assert flow.index == 1 and "Step on the board" in flow.message
    for _ in range(10):
        flow.feed(t, 5.0, 2.0)  # stepping on tilts the board
        t += STEP_S
    for _ in range(100):
        flow.feed(t, 1.0, 0.5)
        t += STEP_S
    assert flow.index == 2 and flow.recorded["centre"] == pytest.approx((1.0, 0.5))


def test_non_finite_readings_are_ignored():
    flow = CalibrationFlow("deg", hold_s=0.5)
    flow.feed(0.0, math.nan, 0.0)
    assert flow.live is None and flow.progress(0.0) == 0.0


# -- recorded-style readings: an IMU board under a person -----------------------------------------------




def lean_from(cal, direction):
    """A recorded limit as a lean from the recorded centre, along its direction (raw deg)."""
    p = cal.los[(0, 45, 90, 135, 180, 225, 270, 315).index(direction)]
    angle = math.radians(direction)
    return (p[0] - cal.centre[0]) * math.cos(angle) + (p[1] - cal.centre[1]) * math.sin(angle)


@pytest.mark.parametrize("stance", [(0.0, 2.5), (2.5, 0.0), (1.0, 1.0), (-1.8, -1.8)])
def test_the_centre_is_the_relaxed_stance_once_standing_not_the_empty_board(stance):
    flow = CalibrationFlow("deg", hold_s=2.0, centre_needs_movement=True)
    run(flow, Person(stance=stance), limit_s=200.0)
    assert flow.done, flow.message
    cal = flow.calibration()
    assert cal.zero == pytest.approx((0.0, 0.0), abs=0.1)
    assert cal.centre == pytest.approx(stance, abs=0.5)  # sway of +-0.45 deg, averaged over 2 s


@pytest.mark.parametrize("stance", [(0.0, 2.5), (2.5, 0.0), (1.0, 1.0)])
def test_each_limit_is_the_held_lean_from_the_centre_not_the_stance_nor_the_overshoot(stance):
    # the person stands relaxed for 2.5 s before each lean (longer than the hold), then overshoots by 16 %
    flow = CalibrationFlow("deg", hold_s=2.0, centre_needs_movement=True)
    run(flow, Person(stance=stance, react_s=2.5), limit_s=300.0)
    assert flow.done, flow.message
    cal = flow.calibration()
    for direction, reach in REACH_DEG.items():
        assert lean_from(cal, direction) == pytest.approx(reach, abs=0.7), direction


def test_a_slow_lean_is_recorded_where_it_ends_not_on_the_way():
    flow = CalibrationFlow("deg", hold_s=2.0, centre_needs_movement=True)
    slow = Person(lean_damping=(1.2, 1.0), sway_deg=0.1)  # about 4 s to get to each limit, no overshoot
    run(flow, slow, limit_s=400.0)
    assert flow.done, flow.message
    cal = flow.calibration()
    for direction, reach in REACH_DEG.items():
        assert lean_from(cal, direction) >= 0.85 * reach, direction


def test_a_held_lean_asks_the_player_back_and_the_limit_is_kept_on_the_way_back():
    flow = CalibrationFlow("deg", hold_s=2.0, centre_needs_movement=True)
    person = Person(stance=(0.0, 2.5), sway_deg=0.0, noise_deg=0.02)
    t = 0.0
    while not flow.held and t < 60:
        flow.feed(t, *person.reading(flow, t))
        t += STEP_S
    assert flow.step.direction_deg == 90 and flow.returning and flow.target() == (0.0, 0.0)
    assert flow.progress(t) == 1.0 and "come back" in flow.message and flow.picture(t).arrow_deg is None
    while flow.index == 2 and t < 60:
        flow.feed(t, *person.reading(flow, t))
        t += STEP_S
    assert lean_from_point(flow.recorded["los:90"], flow.recorded["centre"], 90) == pytest.approx(7.0, abs=0.4)


def lean_from_point(point, centre, direction):
    angle = math.radians(direction)
    return (point[0] - centre[0]) * math.cos(angle) + (point[1] - centre[1]) * math.sin(angle)


def test_a_lean_the_wrong_way_does_not_count_for_the_asked_direction():
    flow = CalibrationFlow("deg", hold_s=0.5)
    player = Player(wobble=0.0)
    t = 0.0
    while flow.step.direction_deg != 0:  # zero, centre, forward, forward-right
        flow.feed(t, *player.reading(flow, t))
        t += STEP_S
    while flow.returning:
        flow.feed(t, 1.0, 0.5)
        t += STEP_S
    for _ in range(400):  # asked right, leans forward 7 degrees and holds
        flow.feed(t, 1.0, 7.5)
        t += STEP_S
    assert flow.step.direction_deg == 0 and not flow.held and flow.message == "Lean further toward the arrow"


def test_a_direction_the_player_cannot_lean_toward_can_be_skipped_and_says_so():
    flow = CalibrationFlow("deg", hold_s=1.0, centre_needs_movement=True)
    person = Person(reach={**REACH_DEG, 270: 1.0})  # cannot lean back more than 1 degree
    t = 0.0
    while flow.step.direction_deg != 270 and t < 120:
        flow.feed(t, *person.reading(flow, t))
        t += STEP_S
    for _ in range(1200):
        flow.feed(t, *person.reading(flow, t))
        t += STEP_S
    assert flow.step.direction_deg == 270 and flow.message == "Lean further toward the arrow"
    assert flow.picture(t).keys == KEYS_LEAN and "S: skip" in KEYS_LEAN
    assert flow.skip()
    run(flow, person, limit_s=t + 120, t=t)
    cal = flow.calibration()
    assert cal.skipped == (270,) and cal.reach()["back"] == pytest.approx(10.0)
    assert "back" in cal.skipped_text and "default" in cal.skipped_text and "back" in flow.message


def test_after_a_problem_s_keeps_default_limits_around_the_measured_centre():
    flow = CalibrationFlow("deg", hold_s=1.0, centre_needs_movement=True)
    confused = Person(stance=(1.0, 1.0), lean_to={45: 0, 0: 45})
    t = run(flow, confused, limit_s=200.0)
    while flow.problem is None and t < 200:
        flow.feed(t, *confused.reading(flow, t))
        t += STEP_S
    assert flow.problem is not None and not flow.done
    assert not flow.confirm()  # Enter does not record anything more: retry() or skip() decides
    assert flow.skip() and flow.done
    cal = flow.calibration()
    assert cal.centre == pytest.approx((1.0, 1.0), abs=0.5)
    assert set(cal.skipped) == set(LOS_ORDER) and all(r == pytest.approx(10.0) for r in cal.reach().values())


def test_backspace_after_a_problem_redoes_the_last_lean():
    flow = CalibrationFlow("deg", hold_s=0.5, centre_needs_movement=True)
    confused = Person(lean_to={45: 0, 0: 45})
    run(flow, confused, limit_s=200.0)
    assert flow.problem is not None
    flow.back()
    assert flow.problem is None and flow.index == len(flow.steps) - 1 and "los:135" not in flow.recorded
    assert "los:90" in flow.recorded
