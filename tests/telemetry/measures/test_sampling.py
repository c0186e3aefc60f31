"""Sampling rate from a time column: 1 / median interval, refusing irregular timing."""

from __future__ import annotations

import numpy as np
import pytest

from telemetry.measures.sampling import MAX_INTERVAL_DEVIATION, IrregularSamplingError, rate_from_times_hz


def test_regular_times_give_the_reciprocal_of_the_interval():
    assert rate_from_times_hz(np.arange(1, 6001) * 0.01) == pytest.approx(100.0, rel=1e-12)
    assert rate_from_times_hz([0.0, 0.5, 1.0]) == 2.0


def test_float_noise_and_small_jitter_are_accepted():
    t_s = np.array([float(f"{i / 100:.3f}") for i in range(1, 6001)])  # as the BDS files print them
    assert rate_from_times_hz(t_s) == pytest.approx(100.0, rel=1e-12)
    jitter = np.arange(200) * 0.01 + np.tile([0.0, 0.00004], 100)  # intervals 0.4 % off
    assert rate_from_times_hz(jitter) == pytest.approx(100.0, rel=0.01)


def test_millisecond_time_stamps_at_120_hz_are_refused_rather_than_misread():
    t_s = np.round(np.arange(600) / 120.0, 3)  # intervals of 8 and 9 ms: 1 / median would say 125 Hz
    with pytest.raises(IrregularSamplingError, match="is 0.009 s against a median of 0.008 s"):
        rate_from_times_hz(t_s)


def test_one_dropped_sample_is_irregular():
    t_s = np.delete(np.arange(100) * 0.01, 50)
    with pytest.raises(IrregularSamplingError, match=r"between samples 50 and 51 is 0.02 s against a median of 0.01 s"):
        rate_from_times_hz(t_s, source="f.txt: column 'Time[s]'")


def test_tolerance_is_documented_and_adjustable():
    t_s = np.array([0.0, 1.0, 2.0, 3.05, 4.05])  # one interval 5 % long
    assert MAX_INTERVAL_DEVIATION == 0.01
    with pytest.raises(IrregularSamplingError, match="5 % off; at most 1 % is accepted"):
        rate_from_times_hz(t_s)
    assert rate_from_times_hz(t_s, tolerance=0.1) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("t_s", "message"),
    [
        ([0.0, 0.1, 0.1, 0.2], "does not increase between samples 2 and 3"),
        ([0.3, 0.2, 0.1], "does not increase between samples 1 and 2"),
        ([0.0], "at least two time stamps"),
        ([0.0, np.nan, 0.2], "NaN or infinite"),
    ],
)
def test_unusable_time_columns(t_s, message):
    with pytest.raises(IrregularSamplingError, match=message) as info:
        rate_from_times_hz(t_s)
    assert str(info.value)
