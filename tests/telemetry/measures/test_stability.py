"""Biodex-style stability indexes, zones and quadrants on traces whose answers are worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from telemetry.measures.stability import (
    DEGREE_ZONES,
    StabilityInputError,
    stability_figures,
    stability_indexes,
    time_in_quadrants_pct,
    time_in_zones_pct,
)


def test_stability_index_is_the_rms_distance_from_the_centre_not_from_the_mean():
    ml = np.array([3.0, 3.0, 3.0, 3.0])
    ap = np.array([4.0, -4.0, 4.0, -4.0])
    overall, ap_index, ml_index = stability_indexes(ml, ap)
    assert (overall, ap_index, ml_index) == pytest.approx((5.0, 4.0, 3.0))
    # A steady lean counts: a player leaning 3 to the right is not "perfectly stable".
    assert stability_indexes(np.full(10, 3.0), np.zeros(10)) == pytest.approx((3.0, 0.0, 3.0))
    # Measured from another centre (a calibrated stance), the same lean is zero.
    assert stability_indexes(np.full(10, 3.0), np.zeros(10), centre=(3.0, 0.0)) == pytest.approx((0.0, 0.0, 0.0))


def test_time_in_zones_counts_each_ring_and_what_lies_beyond():
    radius = np.array([0.0, 2.0, 5.0, 7.0, 12.0, 19.0, 25.0, 30.0])  # in degrees, along a diagonal
    angle = np.radians(30.0)
    zones = time_in_zones_pct(radius * np.cos(angle), radius * np.sin(angle), DEGREE_ZONES)
    # A: 0, 2, 5 (on the edge: inner)  B: 7  C: 12  D: 19  beyond: 25, 30
    assert zones == pytest.approx({"A": 37.5, "B": 12.5, "C": 12.5, "D": 12.5, "beyond": 25.0})
    assert sum(zones.values()) == pytest.approx(100.0)


def test_time_in_quadrants_follows_the_player_front_right_first():
    ml = np.array([1.0, -1.0, -1.0, 1.0, 1.0, 0.0])
    ap = np.array([1.0, 1.0, -1.0, -1.0, 0.0, 1.0])  # I, II, III, IV, I (on the x axis), II (straight ahead)
    assert time_in_quadrants_pct(ml, ap) == pytest.approx({"I": 100 / 3, "II": 100 / 3, "III": 100 / 6,
                                                            "IV": 100 / 6})


def test_figures_gather_everything_and_bad_input_is_refused():
    figures = stability_figures(np.array([10.0, -10.0]), np.array([0.0, 0.0]))
    assert figures.overall_index == pytest.approx(10.0)
    assert figures.zones_pct["A"] == 100.0 and figures.quadrants_pct["I"] == 50.0
    with pytest.raises(StabilityInputError, match="no samples"):
        stability_indexes([], [])
    with pytest.raises(StabilityInputError, match="NaN"):
        stability_indexes([0.0, float("nan")], [0.0, 0.0])
    with pytest.raises(StabilityInputError, match="increasing"):
        time_in_zones_pct([0.0], [0.0], (5.0, 4.0, 6.0, 7.0))
