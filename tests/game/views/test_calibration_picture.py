"""``CalibrationFlow.picture``: everything a view draws of a calibration step, from scripted readings."""

from __future__ import annotations

import dataclasses

import pytest

from game.calibration_flow import KEYS_HINT, LOS_ORDER, CalibrationFlow, CalibrationPicture


def hold(flow: CalibrationFlow, t_s: float, point: tuple[float, float], seconds: float) -> float:
    """Feed one steady reading for ``seconds`` at 120 Hz; return the time after it."""
    for _ in range(int(seconds * 120)):
        flow.feed(t_s, *point)
        t_s += 1 / 120
    return t_s


def test_the_first_step_shows_words_an_empty_map_and_no_arrow():
    picture = CalibrationFlow("deg", hold_s=0.5).picture(0.0, None)
    assert picture.header == "Calibration - step 1 of 10: Zero"
    assert picture.instruction.startswith("Keep the board level")
    assert picture.message is None and picture.notice is None
    assert picture.points == () and picture.zero is None and picture.live is None
    assert picture.arrow_deg is None and picture.hold == 0.0
    assert picture.origin == (0.0, 0.0)
    assert picture.span == 15.0 and picture.scale_text == "15 deg"  # 1.5 x the typical 10 degree reach
    assert picture.keys == KEYS_HINT and picture.live_text is None


def test_a_lean_step_shows_its_arrow_the_recorded_points_and_the_hold():
    flow = CalibrationFlow("deg", hold_s=0.5)
    t = hold(flow, 0.0, (0.0, 0.0), 0.6)  # zero
    t = hold(flow, t, (5.0, 0.0), 0.6)  # centre, right of the zero
    half_held = hold(flow, t, (5.0, 14.0), 0.25)
    picture = flow.picture(half_held, "No data from the board for 2 s")
    assert picture.header == "Calibration - step 3 of 10: Lean forward"
    assert picture.arrow_deg == 90  # forward is asked for first
    assert picture.origin == (5.0, 0.0) and picture.zero == (0.0, 0.0)
    assert picture.notice == "No data from the board for 2 s"
    assert picture.live == (5.0, 14.0) and picture.live_text == "+5.0, +14.0 deg"
    assert 0.3 < picture.hold < 0.7
    t = hold(flow, half_held, (5.0, 14.0), 0.4)  # held long enough: recorded
    t = hold(flow, t, (5.0, 5.0), 0.1)  # on the way back (not yet in the middle): the furthest hold is recorded
    picture = flow.picture(t, None)
    assert picture.points == ((5.0, 14.0),)
    assert picture.span == 17.0  # the recorded lean (14 from the centre) x 1.2, to two figures
    assert picture.arrow_deg is None and picture.message == "Come back to the middle"
    assert picture.hold == 0.0


def test_points_are_placed_in_drawing_units_and_pinned_past_the_rim():
    picture = CalibrationPicture(
        header="", instruction="", message=None, notice=None, raw_unit="mm", span=100.0, origin=(10.0, -20.0),
        points=(), zero=None, arrow_deg=None, live=None, hold=0.0, keys="",
    )
    assert picture.placed((10.0, -20.0)) == (0.0, 0.0)
    assert picture.placed((60.0, -20.0)) == pytest.approx((0.5, 0.0))
    assert picture.placed((10.0, 80.0)) == pytest.approx((0.0, 1.0))  # y forward stays y forward
    far = picture.placed((10.0 - 500.0, -20.0))
    assert far == pytest.approx((-1.1, 0.0))  # far outside: on the rim's edge, same direction
    assert not picture.closed
    eight = dataclasses.replace(picture, points=tuple((float(d), 0.0) for d in LOS_ORDER))
    assert eight.closed


def test_the_picture_is_frozen():
    picture = CalibrationFlow("mm", hold_s=0.5, zero_when_empty=True).picture(0.0, None)
    assert picture.instruction.startswith("Step off the board")
    with pytest.raises(dataclasses.FrozenInstanceError):
        picture.header = "changed"  # type: ignore[misc]
