"""The numpy signal arithmetic gives what scipy gives (scipy is imported here only, as the reference)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, signal, stats

from telemetry.measures import dsp, sway
from telemetry.measures.filters import CUTOFF_HZ, MIN_RATE_PER_CUTOFF, can_filter, lowpass

#: Relative agreement asked of every result (relative to the signal's largest value, or to the result).
REL = 1e-10
#: The shortest trace the low-pass filter accepts (filtfilt pads 9 samples at each end).
SHORTEST = 10

RATES_HZ = st.one_of(st.sampled_from([25.0, 30.0, 50.0, 60.0, 100.0, 120.0, 200.0, 250.0, 500.0, 1000.0, 2000.0]),
                     st.floats(25.0, 2000.0, allow_nan=False))
KINDS = ("constant", "zero", "step", "random walk", "noise", "sine", "offset noise", "impulse")


def make_signal(kind: str, size: int, seed: int, rate_hz: float) -> np.ndarray:
    """A test signal: constants, steps, random walks, white noise, a sine, noise on a large offset, an impulse."""
    rng = np.random.default_rng(seed)
    if kind == "constant":
        return np.full(size, rng.uniform(-100, 100))
    if kind == "zero":
        return np.zeros(size)
    if kind == "step":
        return np.where(np.arange(size) < rng.integers(0, size), rng.normal(), rng.normal(scale=10))
    if kind == "random walk":
        return np.cumsum(rng.normal(size=size))
    if kind == "noise":
        return rng.normal(size=size)
    if kind == "sine":
        return 3.0 * np.sin(2 * np.pi * rng.uniform(0.1, rate_hz / 2) * np.arange(size) / rate_hz + rng.uniform(0, 6))
    if kind == "offset noise":
        return 1e4 + 1e-3 * rng.normal(size=size)
    impulse = np.zeros(size)
    impulse[rng.integers(0, size)] = 1.0
    return impulse


def assert_close(ours: np.ndarray, reference: np.ndarray, scale: float) -> None:
    assert ours.shape == reference.shape and ours.dtype == np.float64
    error = float(np.max(np.abs(ours - reference))) if ours.size else 0.0
    assert error <= REL * scale, f"off by {error:.3g}, {error / scale:.3g} of {scale:.3g}"


# --- the Butterworth design ----------------------------------------------------------------------


@given(st.floats(1e-4, 0.999, allow_nan=False))
def test_the_design_is_scipys_butter(wn):
    b, a = dsp.butter_lowpass(wn)
    b_ref, a_ref = signal.butter(2, wn)
    assert_close(b, b_ref, float(np.max(np.abs(b_ref))))
    assert_close(a, a_ref, float(np.max(np.abs(a_ref))))


def test_the_design_has_unit_gain_at_dc_and_minus_3_db_at_the_cut_off():
    wn = 0.2
    b, a = dsp.butter_lowpass(wn)
    z = np.exp(1j * np.pi * np.array([0.0, wn]))
    gain = np.abs(np.polyval(b[::-1], 1 / z) / np.polyval(a[::-1], 1 / z))
    assert gain == pytest.approx([1.0, 1 / math.sqrt(2)], rel=1e-12)


@pytest.mark.parametrize("wn", [0.0, 1.0, -0.1, 1.5, math.nan, math.inf])
def test_a_cut_off_outside_zero_to_nyquist_is_refused(wn):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        dsp.butter_lowpass(wn)


# --- zero-phase filtering ------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(rate_hz=RATES_HZ, kind=st.sampled_from(KINDS), seed=st.integers(0, 2**32 - 1),
       size=st.one_of(st.integers(SHORTEST, 40), st.integers(SHORTEST, 3000), st.integers(3000, 40000)))
def test_filtfilt_is_scipys_filtfilt(rate_hz, kind, seed, size):
    x = make_signal(kind, size, seed, rate_hz)
    b, a = signal.butter(2, CUTOFF_HZ / (rate_hz / 2))
    assert_close(dsp.filtfilt(b, a, x), signal.filtfilt(b, a, x), float(np.max(np.abs(x), initial=1e-300)))


@pytest.mark.parametrize("rate_hz", [25.0, 120.0, 1000.0])
def test_lowpass_of_a_minute_at_the_shortest_and_longest_accepted_lengths_is_scipys(rate_hz):
    assert can_filter(SHORTEST, MIN_RATE_PER_CUTOFF * CUTOFF_HZ) and not can_filter(SHORTEST - 1, rate_hz)
    for size in (SHORTEST, SHORTEST + 1, int(60 * rate_hz)):
        x = make_signal("random walk", size, size, rate_hz)
        b, a = signal.butter(2, CUTOFF_HZ / (rate_hz / 2))
        assert_close(lowpass(x, rate_hz), signal.filtfilt(b, a, x), float(np.max(np.abs(x))))


def test_each_pass_keeps_the_impulse_response_until_what_is_left_is_below_rounding():
    """At 1 kHz (a 60 s trace is 60 000 samples) each pass is one FFT convolution with ~1 000 samples of response."""
    b, a = dsp.butter_lowpass(CUTOFF_HZ / 500.0)
    radius, angle = dsp._pole_pair(a)
    length = dsp._response_length(b, radius, angle, 10**9)
    assert 500 < length < 2000  # what the convolution carries: the response has decayed below 2**-60 there
    tail = dsp._all_pole_response(radius, angle, length + 5000)[length:]
    assert float(np.abs(np.convolve(b, tail)).sum()) < 2.0**-60


@pytest.mark.parametrize(("b", "a", "x", "message"), [
    ([1.0, 2.0], [1.0, 0.1, 0.2], np.zeros(20), "three coefficients"),
    ([1.0, 2.0, 1.0], [2.0, 0.1, 0.2], np.zeros(20), "a\\[0\\] == 1"),
    ([1.0, 2.0, 1.0], [1.0, -1.5, 0.56], np.zeros(20), "complex pair"),  # real poles 0.7 and 0.8
    ([1.0, 2.0, 1.0], [1.0, 0.0, 1.0], np.zeros(20), "complex pair"),  # on the unit circle
    ([1.0, 2.0, 1.0], [1.0, 0.1, 0.2], np.zeros(9), "longer than the padding"),
    ([1.0, 2.0, 1.0], [1.0, 0.1, 0.2], np.zeros((20, 2)), "one-dimensional"),
])
def test_filtfilt_refuses_what_it_does_not_compute(b, a, x, message):
    with pytest.raises(ValueError, match=message):
        dsp.filtfilt(b, a, x)


# --- Welch PSD -----------------------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(size=st.one_of(st.integers(1, 64), st.integers(64, 20001)), kind=st.sampled_from(KINDS),
       seed=st.integers(0, 2**32 - 1), rate_hz=st.floats(1.0, 2000.0, allow_nan=False))
def test_the_sway_welch_psd_is_scipys_welch(size, kind, seed, rate_hz):
    x = make_signal(kind, size, seed, max(rate_hz, 25.0))
    nperseg = math.ceil(size / 2)
    f_ref, p_ref = signal.welch(x, fs=rate_hz, window="hann", nperseg=nperseg, noverlap=nperseg // 2,
                                detrend="constant")
    freqs, power = sway.welch_psd(x, rate_hz)
    assert_close(freqs, f_ref, rate_hz)
    # Relative to the peak; for a trace with (almost) no power once each segment's mean is taken away (a
    # constant, 1e4 + 1e-3 noise), relative to what rounding the values themselves leaves of it.
    rounding = float(np.max(np.abs(x))) ** 2 * 1e-12 / rate_hz
    assert_close(power, p_ref, max(float(np.max(p_ref)), rounding, 1e-300))


@pytest.mark.parametrize("size", [6000, 6001])  # even and odd, as a 60 s BDS trial (and one sample more)
@pytest.mark.parametrize(("nperseg", "noverlap"), [(256, 128), (255, 0), (1000, 999), (3001, 1500)])
def test_welch_with_any_segment_and_overlap_is_scipys(size, nperseg, noverlap):
    x = make_signal("random walk", size, 7, 100.0)
    f_ref, p_ref = signal.welch(x, fs=100.0, window="hann", nperseg=nperseg, noverlap=noverlap)
    freqs, power = dsp.welch(x, 100.0, nperseg, noverlap)
    assert_close(freqs, f_ref, 100.0)
    assert_close(power, p_ref, float(np.max(p_ref)))


@pytest.mark.parametrize(("size", "nperseg", "noverlap"), [(0, 1, 0), (10, 11, 0), (10, 0, 0), (10, 5, 5)])
def test_welch_refuses_segments_that_do_not_fit(size, nperseg, noverlap):
    with pytest.raises(ValueError, match="welch needs|nperseg"):
        dsp.welch(np.zeros(size), 100.0, nperseg, noverlap)


@given(st.integers(2, 500), st.integers(0, 2**32 - 1))
def test_the_trapezoid_is_scipys(size, seed):
    rng = np.random.default_rng(seed)
    x, y = np.cumsum(rng.uniform(0.01, 1, size)), rng.normal(size=size)
    assert dsp.trapezoid(y, x) == pytest.approx(float(integrate.trapezoid(y, x)), rel=REL, abs=1e-300)


# --- the F quantile ------------------------------------------------------------------------------


@given(m=st.one_of(st.integers(1, 100), st.integers(1, 100_000), st.floats(0.5, 100_000.0, allow_nan=False)),
       p=st.one_of(st.sampled_from([0.5, 0.9, 0.95, 0.975, 0.99, 0.999]), st.floats(1e-6, 1 - 1e-6)))
def test_the_f_quantile_with_two_numerator_degrees_is_scipys(m, p):
    assert dsp.f2_quantile(p, m) == pytest.approx(float(stats.f.ppf(p, 2, m)), rel=REL)


@pytest.mark.parametrize("m", [1, 2, 3, 8, 10, 98, 1000, 5998, 100_000])
def test_the_95_percent_f_quantile_of_the_ellipse_is_scipys(m):
    assert dsp.f2_quantile(0.95, m) == pytest.approx(float(stats.f.ppf(0.95, 2, m)), rel=REL)


@pytest.mark.parametrize(("p", "m"), [(0.0, 5), (1.0, 5), (0.5, 0), (0.5, -1), (math.nan, 5), (0.5, math.inf)])
def test_the_f_quantile_refuses_what_has_none(p, m):
    with pytest.raises(ValueError, match="0 < p < 1"):
        dsp.f2_quantile(p, m)


@settings(deadline=None)
@given(size=st.integers(sway.MIN_SAMPLES, 3000), seed=st.integers(0, 2**32 - 1))
def test_the_ellipse_and_mean_power_frequency_are_what_scipy_gives(size, seed):
    """The two measures that used scipy, recomputed here with scipy's own functions."""
    rng = np.random.default_rng(seed)
    ml, ap = np.cumsum(rng.normal(size=size)), np.cumsum(rng.normal(size=size))
    x, y = ml - ml.mean(), ap - ap.mean()
    n = size
    area = (2 * math.pi * stats.f.ppf(0.95, 2, n - 2) * (n - 1) * (n + 1) / (n * (n - 2))
            * math.sqrt(max(np.linalg.det(np.cov(x, y)), 0.0)))
    assert sway.ellipse_area_95(ml, ap, 100.0) == pytest.approx(area, rel=REL)
    mpfs, weights = [], []
    for axis in (x, y):
        nperseg = math.ceil(n / 2)
        f, p = signal.welch(axis, fs=100.0, window="hann", nperseg=nperseg, noverlap=nperseg // 2)
        mpfs.append(integrate.trapezoid(f * p, f) / integrate.trapezoid(p, f))
        weights.append(p.sum())
    expected = (weights[0] * mpfs[0] + weights[1] * mpfs[1]) / (weights[0] + weights[1])
    assert sway.mean_power_frequency(ml, ap, 100.0) == pytest.approx(expected, rel=REL)
