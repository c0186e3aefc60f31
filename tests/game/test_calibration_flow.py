"""The calibration procedure, driven by scripted readings (no clock, no window)."""

from __future__ import annotations

import math

import pytest

from game.calibration_flow import LOS_ORDER, CalibrationFlow
from game.core.world import STEP_S

REACH_DEG = {0: 9.0, 45: 8.0, 90: 7.0, 135: 6.0, 180: 5.0, 225: 4.5, 270: 4.0, 315: 8.5}


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


def run(flow: CalibrationFlow, player: Player, limit_s: float = 120.0) -> float:
    t = 0.0
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


def test_limits_out_of_order_are_asked_for_again():
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
    while "order" not in (flow.message or "") and t < 60:
        flow.feed(t, *confused.reading(flow, t))
        t += STEP_S
    assert not flow.done and flow.index == 2 and "order" in flow.message
    run(flow, player)  # done properly the second time
    assert flow.done


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
