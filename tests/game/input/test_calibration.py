from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.input.calibration import DIRECTIONS_DEG, Calibration, CalibrationError, validate


def measured(reach: dict[int, float], centre=(0.0, 0.0), rotate_deg=0.0, mirror=False, unit="deg") -> Calibration:
    """A calibration whose LOS in direction d is reach[d] raw units away, as a mounted sensor reports it."""
    points = []
    for d in DIRECTIONS_DEG:
        angle = math.radians(d + rotate_deg)
        x, y = reach[d] * math.cos(angle), reach[d] * math.sin(angle)
        if mirror:
            x = -x
        points.append((centre[0] + x, centre[1] + y))
    return Calibration(unit, (0.0, 0.0), centre, tuple(points))


ASYMMETRIC = {0: 12.0, 45: 9.0, 90: 8.0, 135: 7.0, 180: 6.0, 225: 5.0, 270: 4.0, 315: 10.0}


def test_each_measured_limit_maps_to_one_in_its_direction_and_the_centre_to_zero():
    cal = measured(ASYMMETRIC, centre=(1.5, -0.5))
    assert cal.normalize(1.5, -0.5) == pytest.approx((0.0, 0.0))
    for d, point in zip(DIRECTIONS_DEG, cal.los, strict=True):
        x, y = cal.unclamped(*point)
        assert (x, y) == pytest.approx((math.cos(math.radians(d)), math.sin(math.radians(d))), abs=1e-9)


def test_the_same_effort_means_the_same_number_on_an_asymmetric_player():
    cal = measured(ASYMMETRIC)
    assert cal.normalize(6.0, 0.0) == pytest.approx((0.5, 0.0))  # half the right limit (12)
    assert cal.normalize(-3.0, 0.0) == pytest.approx((-0.5, 0.0))  # half the left limit (6)
    assert cal.normalize(0.0, -2.0) == pytest.approx((0.0, -0.5))  # half the back limit (4)


def test_past_the_limit_is_clamped_but_unclamped_says_how_far():
    cal = measured(ASYMMETRIC)
    assert cal.normalize(24.0, 0.0) == (1.0, 0.0)
    assert cal.unclamped(24.0, 0.0) == pytest.approx((2.0, 0.0))


@pytest.mark.parametrize("rotate_deg, mirror", [(30.0, False), (90.0, False), (0.0, True), (-60.0, True)])
def test_a_rotated_or_mirrored_sensor_needs_no_setting(rotate_deg, mirror):
    cal = validate(measured(ASYMMETRIC, rotate_deg=rotate_deg, mirror=mirror))
    forward = cal.los[DIRECTIONS_DEG.index(90)]
    assert cal.normalize(forward[0] / 2, forward[1] / 2) == pytest.approx((0.0, 0.5), abs=1e-9)


def test_recentring_moves_the_limits_with_the_centre():
    cal = measured(ASYMMETRIC)
    moved = cal.recentred(2.0, 1.0)
    assert moved.centre == (2.0, 1.0)
    assert moved.normalize(2.0, 1.0) == pytest.approx((0.0, 0.0))
    assert moved.normalize(2.0 + 6.0, 1.0) == pytest.approx((0.5, 0.0))
    assert moved.zero == cal.zero


def test_the_default_calibration_is_an_ellipse_of_typical_reach():
    cal = Calibration.default_for("mm")
    assert cal.default
    assert cal.normalize(50.0, 0.0) == pytest.approx((0.5, 0.0))
    assert cal.normalize(0.0, -80.0) == pytest.approx((0.0, -1.0))


def test_a_row_round_trips_and_a_damaged_row_is_a_calibration_error():
    cal = measured(ASYMMETRIC, centre=(0.25, 0.5))
    row = {**cal.to_row(), "id": 7}
    back = Calibration.from_row(row)
    assert back.id == 7 and back.los == cal.los and back.centre == cal.centre
    with pytest.raises(CalibrationError, match="calibrate"):
        Calibration.from_row({**row, "los": "{not json"})
    with pytest.raises(CalibrationError):
        Calibration.from_row({**row, "los": json.dumps({"0": [1, 2]})})
    with pytest.raises(CalibrationError):
        Calibration.from_row({**row, "centre_x": None})


def test_validate_names_what_to_redo():
    tiny = {d: 0.5 for d in DIRECTIONS_DEG}
    with pytest.raises(CalibrationError, match="too small"):
        validate(measured(tiny))
    swapped = measured(ASYMMETRIC)
    los = list(swapped.los)
    los[1], los[2] = los[2], los[1]  # forward-right and forward recorded the wrong way round
    with pytest.raises(CalibrationError, match="order|same way"):
        validate(Calibration("deg", (0, 0), (0, 0), tuple(los)))


def test_non_finite_values_are_refused():
    with pytest.raises(CalibrationError):
        Calibration("deg", (math.nan, 0.0), (0.0, 0.0), measured(ASYMMETRIC).los)
    with pytest.raises(CalibrationError):
        Calibration("deg", (0.0, 0.0), (0.0, 0.0), measured(ASYMMETRIC).los[:7])


reaches = st.fixed_dictionaries({d: st.floats(2.0, 40.0) for d in DIRECTIONS_DEG})


@settings(max_examples=200, deadline=None)
@given(reaches, st.floats(-180, 180), st.booleans(), st.floats(-20, 20), st.floats(-20, 20),
       st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.integers(0, 7), st.floats(0.0, 360.0))
def test_property_a_valid_calibration_maps_rays_linearly_and_stays_in_bounds(
        reach, rotate, mirror, cx, cy, t, share, sector, angle):
    cal = validate(measured(reach, (cx, cy), rotate, mirror))
    # Along the ray to any measured limit, the output grows linearly from 0 to that direction's unit vector.
    for d, point in zip(DIRECTIONS_DEG, cal.los, strict=True):
        x, y = cal.unclamped(cx + t * (point[0] - cx), cy + t * (point[1] - cy))
        assert x == pytest.approx(t * math.cos(math.radians(d)), abs=1e-7)
        assert y == pytest.approx(t * math.sin(math.radians(d)), abs=1e-7)
    # A reading inside the polygon of the limits maps inside the unit circle.
    (x0, y0), (x1, y1) = cal.los[sector], cal.los[(sector + 1) % 8]
    inside = (cx + t * (share * (x0 - cx) + (1 - share) * (x1 - cx)),
              cy + t * (share * (y0 - cy) + (1 - share) * (y1 - cy)))
    assert math.hypot(*cal.unclamped(*inside)) <= 1.0 + 1e-9
    # Any reading at all maps inside [-1, 1] on both axes.
    x, y = cal.normalize(cx + 100 * math.cos(math.radians(angle)), cy + 100 * math.sin(math.radians(angle)))
    assert -1.0 <= x <= 1.0 and -1.0 <= y <= 1.0
