"""The Wilson interval: published values, the edges, and that it always holds the observed rate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telemetry.measures import MeasureError, wilson_interval


@pytest.mark.parametrize("successes, trials, low, high", [
    (8, 10, 0.4902, 0.9433),  # Newcombe (1998), table I style values, recomputed to 4 decimals
    (0, 10, 0.0, 0.2775),
    (10, 10, 0.7225, 1.0),
    (1, 29, 0.0061, 0.1718),
    (81, 263, 0.2553, 0.3662),  # Newcombe (1998) example 81/263: 0.2553 to 0.3662
])
def test_known_intervals(successes, trials, low, high):
    got = wilson_interval(successes, trials)
    assert got == pytest.approx((low, high), abs=5e-4)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_the_interval_lies_in_0_1_and_holds_the_observed_rate(pair):
    successes, trials = pair
    low, high = wilson_interval(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0
    wider_low, wider_high = wilson_interval(successes, trials, confidence=0.99)
    assert wider_low <= low and high <= wider_high


@pytest.mark.parametrize("successes, trials", [(1, 0), (-1, 5), (6, 5), (True, 5), (1.5, 5)])
def test_what_is_not_a_proportion_is_said(successes, trials):
    with pytest.raises(MeasureError):
        wilson_interval(successes, trials)
