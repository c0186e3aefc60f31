"""Sway measures: analytic answers on synthetic traces, invariants, and every input error."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from telemetry import measures
from telemetry.measures import MEASURE_NAMES, SwayInputError, SwayMeasures, sway_measures
from telemetry.measures.errors import MeasureError

RATE_HZ = 100.0
N = 6000  # 60 s at 100 Hz, as the BDS trials
T_S = np.arange(N) / RATE_HZ
F_HZ = 0.5  # 30 whole periods in 60 s; a Welch bin (segments of 30 s have 1/30 Hz bins)


def circle(radius: float = 2.0, f_hz: float = F_HZ) -> tuple[np.ndarray, np.ndarray]:
    """ML = R cos, AP = R sin: whole revolutions, so the mean is the centre."""
    phase = 2 * np.pi * f_hz * T_S
    return radius * np.cos(phase), radius * np.sin(phase)


# --- analytic answers -------------------------------------------------------------------------


def test_sine_on_one_axis_has_textbook_rms_range_and_velocity():
    amplitude = 3.0
    ml = amplitude * np.sin(2 * np.pi * F_HZ * T_S)
    ap = np.zeros(N)
    m = sway_measures(ml, ap, RATE_HZ)
    assert m.rms_ml == pytest.approx(amplitude / math.sqrt(2), rel=1e-12)
    assert m.rms_ap == 0.0
    assert m.rms_radius == pytest.approx(amplitude / math.sqrt(2), rel=1e-12)
    assert m.range_ml == pytest.approx(2 * amplitude, rel=1e-12)  # samples hit both peaks
    assert m.range_ap == 0.0
    # Total variation: 4A per period over 30 periods, minus the last 0.01 s never sampled.
    path = amplitude * (4 * 30 - math.sin(math.pi * 0.01))
    assert m.path_length == pytest.approx(path, rel=1e-12)
    assert m.mean_velocity_ml == pytest.approx(path / 60.0, rel=1e-12)
    assert m.mean_velocity == pytest.approx(path / 60.0, rel=1e-12)
    assert m.mean_velocity_ap == 0.0
    assert m.ellipse_area_95 == pytest.approx(0.0, abs=1e-12)  # a line has no area
    assert m.sway_area_per_second == pytest.approx(0.0, abs=1e-12)
    assert m.mean_power_frequency == pytest.approx(F_HZ, rel=1e-9)


def test_circle_has_analytic_distances_path_area_and_frequencies():
    radius = 2.0
    ml, ap = circle(radius)
    m = sway_measures(ml, ap, RATE_HZ)
    step_rad = 2 * math.pi * F_HZ / RATE_HZ
    chord = 2 * radius * math.sin(step_rad / 2)
    duration_s = N / RATE_HZ
    assert m.rms_ml == pytest.approx(radius / math.sqrt(2), rel=1e-12)
    assert m.rms_ap == pytest.approx(radius / math.sqrt(2), rel=1e-12)
    assert m.rms_radius == pytest.approx(radius, rel=1e-12)
    assert m.mean_distance == pytest.approx(radius, rel=1e-12)
    assert m.range_ml == pytest.approx(2 * radius, rel=1e-12)
    assert m.range_ap == pytest.approx(2 * radius, rel=1e-12)
    assert m.path_length == pytest.approx((N - 1) * chord, rel=1e-12)
    assert m.mean_velocity == pytest.approx((N - 1) * chord / duration_s, rel=1e-12)
    # cos and sin each vary by 4R per turn; the last unsampled step is (1 - cos) and sin of one step.
    assert m.mean_velocity_ml == pytest.approx(radius * (120 - (1 - math.cos(step_rad))) / duration_s, rel=1e-12)
    assert m.mean_velocity_ap == pytest.approx(radius * (120 - math.sin(step_rad)) / duration_s, rel=1e-12)
    # Each step sweeps a triangle of area R^2 sin(step) / 2.
    assert m.sway_area_per_second == pytest.approx((N - 1) * radius**2 * math.sin(step_rad) / (2 * duration_s),
                                                   rel=1e-12)
    # Covariance (n-1) = R^2/2 * n/(n-1) on the diagonal, so A = pi F R^2 (n+1)/(n-2).
    f_crit = stats.f.ppf(0.95, 2, N - 2)
    assert m.ellipse_area_95 == pytest.approx(math.pi * f_crit * radius**2 * (N + 1) / (N - 2), rel=1e-12)
    assert m.mean_frequency == pytest.approx(m.mean_velocity / (2 * math.pi * radius), rel=1e-12)
    # ...which for a sampled circle is F_HZ times the chord/arc and (N-1)/N ratios.
    assert m.mean_frequency == pytest.approx(F_HZ * (N - 1) / N * chord / (radius * step_rad), rel=1e-12)
    assert m.mean_power_frequency == pytest.approx(F_HZ, rel=1e-9)


def test_ellipse_of_large_gaussian_sample_holds_95_percent_of_new_points():
    rng = np.random.default_rng(7)
    cov = np.array([[4.0, 1.5], [1.5, 1.0]])
    ml, ap = rng.multivariate_normal([0, 0], cov, size=200_000).T
    area = measures.ellipse_area_95(ml, ap, RATE_HZ)
    # For a known Gaussian the 95 % region is pi chi2(0.95; 2) sqrt(det cov).
    assert area == pytest.approx(math.pi * stats.chi2.ppf(0.95, 2) * math.sqrt(np.linalg.det(cov)), rel=0.01)


def test_mean_power_frequency_weights_each_axis_by_its_power():
    a_ml, f_ml = 1.0, 0.5
    a_ap, f_ap = 3.0, 2.0  # both whole periods per 30 s segment and Welch bins
    ml = a_ml * np.sin(2 * np.pi * f_ml * T_S)
    ap = a_ap * np.sin(2 * np.pi * f_ap * T_S)
    expected = (a_ml**2 * f_ml + a_ap**2 * f_ap) / (a_ml**2 + a_ap**2)
    assert measures.mean_power_frequency(ml, ap, RATE_HZ) == pytest.approx(expected, rel=1e-9)


def test_welch_segments_are_half_the_trace_with_quarter_overlap():
    freqs_hz, power = measures.welch_psd(np.sin(2 * np.pi * F_HZ * T_S), RATE_HZ)
    assert freqs_hz[1] - freqs_hz[0] == pytest.approx(RATE_HZ / (N / 2))  # segment N/2
    assert freqs_hz[np.argmax(power)] == pytest.approx(F_HZ)


def test_duration_is_n_over_rate_not_n_minus_one():
    ml = np.array([0.0, 1.0] * 5)
    ap = np.zeros(10)
    # path 9 over T = 10 samples / 10 Hz = 1 s
    assert measures.mean_velocity(ml, ap, 10.0) == pytest.approx(9.0)
    assert measures.mean_velocity_ml(ml, ap, 10.0) == pytest.approx(9.0)


def test_single_measure_functions_agree_with_sway_measures():
    rng = np.random.default_rng(3)
    ml = np.cumsum(rng.normal(size=500))
    ap = np.cumsum(rng.normal(size=500))
    together = sway_measures(ml, ap, 50.0).as_dict()
    assert tuple(together) == MEASURE_NAMES
    for name in MEASURE_NAMES:
        assert getattr(measures, name)(ml, ap, 50.0) == pytest.approx(together[name], rel=1e-12), name


def test_measures_are_frozen_and_named_as_published():
    m = sway_measures(*circle(), RATE_HZ)
    assert isinstance(m, SwayMeasures)
    assert all(type(value) is float for value in m.as_dict().values())  # plain floats, ready for JSON
    with pytest.raises(AttributeError):
        m.path_length = 0.0  # type: ignore[misc]
    assert MEASURE_NAMES == (
        "path_length", "mean_velocity", "mean_velocity_ml", "mean_velocity_ap", "rms_ml", "rms_ap",
        "rms_radius", "mean_distance", "range_ml", "range_ap", "ellipse_area_95", "sway_area_per_second",
        "mean_frequency", "mean_power_frequency",
    )


# --- invariants (hypothesis) ------------------------------------------------------------------

LENGTH = {"path_length", "rms_ml", "rms_ap", "rms_radius", "mean_distance", "range_ml", "range_ap"}
SPEED = {"mean_velocity", "mean_velocity_ml", "mean_velocity_ap"}
AREA = {"ellipse_area_95"}
AREA_RATE = {"sway_area_per_second"}
FREQUENCY = {"mean_frequency", "mean_power_frequency"}
assert LENGTH | SPEED | AREA | AREA_RATE | FREQUENCY == set(MEASURE_NAMES)

coordinate = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


@st.composite
def traces(draw):
    """Two axes of equal length, each spanning at least 1 unit within the first Welch segment."""
    n = draw(st.integers(10, 120))
    ml = draw(arrays(np.float64, n, elements=coordinate))
    ap = draw(arrays(np.float64, n, elements=coordinate))
    first_welch_segment = slice(0, math.ceil(n / 2))
    assume(np.ptp(ml[first_welch_segment]) > 1.0 and np.ptp(ap[first_welch_segment]) > 1.0)
    return ml, ap


def _close(name: str, a: float, b: float, scale: float, rate_hz: float = RATE_HZ) -> bool:
    """Equal to 1e-6 relative, or within the rounding of data of size ``scale`` sampled at ``rate_hz``.

    The ellipse gets sqrt(rounding): near-collinear traces have det(S) ~ 0, and the square root
    turns a det rounding error of eps * scale^4 into sqrt(eps) * scale^2 of area.
    """
    if name in AREA:
        abs_tol = 1e-6 * scale**2
    else:
        size = scale**2 if name in AREA_RATE else 1.0 if name in FREQUENCY else scale
        abs_tol = 1e-9 * size * (rate_hz if name in SPEED | AREA_RATE | FREQUENCY else 1.0)
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=abs_tol)


def _scale(ml: np.ndarray, ap: np.ndarray) -> float:
    """Size of a trace: its larger range."""
    return float(max(np.ptp(ml), np.ptp(ap)))


@settings(max_examples=60, deadline=None)
@given(traces(), st.floats(-1e3, 1e3), st.floats(-1e3, 1e3))
def test_translation_changes_no_measure(trace, dx, dy):
    ml, ap = trace
    before = sway_measures(ml, ap, RATE_HZ).as_dict()
    after = sway_measures(ml + dx, ap + dy, RATE_HZ).as_dict()
    for name in MEASURE_NAMES:
        assert _close(name, after[name], before[name], _scale(ml, ap)), name


@settings(max_examples=60, deadline=None)
@given(traces(), st.floats(0.01, 100))
def test_scaling_the_trace_scales_lengths_and_areas_not_frequencies(trace, factor):
    ml, ap = trace
    before = sway_measures(ml, ap, RATE_HZ).as_dict()
    after = sway_measures(ml * factor, ap * factor, RATE_HZ).as_dict()
    for name in MEASURE_NAMES:
        power = 2 if name in AREA | AREA_RATE else 0 if name in FREQUENCY else 1
        assert _close(name, after[name], before[name] * factor**power, _scale(ml, ap) * factor), name


@settings(max_examples=60, deadline=None)
@given(traces(), st.floats(1.0, 1000.0), st.floats(0.1, 10.0))
def test_faster_sampling_of_the_same_samples_scales_time_based_measures(trace, rate_hz, factor):
    ml, ap = trace
    before = sway_measures(ml, ap, rate_hz).as_dict()
    after = sway_measures(ml, ap, rate_hz * factor).as_dict()
    for name in MEASURE_NAMES:
        per_time = name in SPEED | AREA_RATE | FREQUENCY
        expected = before[name] * (factor if per_time else 1)
        assert _close(name, after[name], expected, _scale(ml, ap), rate_hz * factor), name


@settings(max_examples=40, deadline=None)
@given(traces(), st.floats(0, 2 * math.pi))
def test_rotation_keeps_the_direction_free_measures(trace, angle):
    ml, ap = trace
    c, s = math.cos(angle), math.sin(angle)
    before = sway_measures(ml, ap, RATE_HZ).as_dict()
    after = sway_measures(c * ml - s * ap, s * ml + c * ap, RATE_HZ).as_dict()
    for name in ("path_length", "mean_velocity", "rms_radius", "mean_distance", "ellipse_area_95",
                 "sway_area_per_second", "mean_frequency"):
        assert _close(name, after[name], before[name], _scale(ml, ap)), name


@settings(max_examples=40, deadline=None)
@given(traces())
def test_measures_are_finite_and_ordered(trace):
    m = sway_measures(*trace, RATE_HZ)
    values = m.as_dict()
    assert all(math.isfinite(v) and v >= 0 for v in values.values())
    assert m.mean_distance <= m.rms_radius * (1 + 1e-12)  # mean <= quadratic mean
    assert max(m.rms_ml, m.rms_ap) <= m.rms_radius * (1 + 1e-12)
    assert m.mean_velocity <= (m.mean_velocity_ml + m.mean_velocity_ap) * (1 + 1e-12)  # triangle inequality
    assert 0 <= m.mean_power_frequency <= RATE_HZ / 2


# --- bad input ----------------------------------------------------------------------------------


def test_too_few_samples_is_a_typed_error_with_a_remedy():
    with pytest.raises(SwayInputError, match="need at least 10") as info:
        sway_measures([0.0, 1.0, 2.0], [0.0, 1.0, 0.0], RATE_HZ)
    assert info.value.remedy
    assert isinstance(info.value, MeasureError)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("axis", ["ml", "ap"])
def test_non_finite_samples_are_refused_naming_axis_and_sample(bad, axis):
    ml, ap = circle()
    ml, ap = ml[:100].copy(), ap[:100].copy()
    (ml if axis == "ml" else ap)[42] = bad
    with pytest.raises(SwayInputError, match=rf"{axis} axis has 1 NaN or infinite value\(s\), the first at sample 42"):
        sway_measures(ml, ap, RATE_HZ)


def test_mismatched_lengths_are_refused():
    with pytest.raises(SwayInputError, match="differ in length \\(20 and 19 samples\\)"):
        sway_measures(np.arange(20.0), np.arange(19.0), RATE_HZ)


@pytest.mark.parametrize("rate_hz", [0.0, -100.0, math.nan, math.inf, "fast", "100", None, True])
def test_non_positive_or_non_numeric_rate_is_refused(rate_hz):
    with pytest.raises(SwayInputError, match="sampling rate must be a positive number"):
        sway_measures(*circle(), rate_hz)  # type: ignore[arg-type]


def test_numpy_and_integer_rates_are_accepted():
    ml, ap = circle()
    assert sway_measures(ml, ap, np.float32(100.0)) == sway_measures(ml, ap, 100)


def test_two_dimensional_or_non_numeric_axes_are_refused():
    with pytest.raises(SwayInputError, match="one-dimensional"):
        sway_measures(np.zeros((10, 2)), np.zeros((10, 2)), RATE_HZ)
    with pytest.raises(SwayInputError, match="not a sequence of numbers"):
        sway_measures(["a"] * 10, [0.0] * 10, RATE_HZ)


def test_a_trace_that_never_moves_has_no_frequency():
    with pytest.raises(SwayInputError, match="never moves"):
        sway_measures(np.full(50, 3.0), np.full(50, -1.0), RATE_HZ)
    with pytest.raises(SwayInputError, match="never moves"):
        measures.mean_frequency(np.full(50, 3.0), np.full(50, -1.0), RATE_HZ)
    with pytest.raises(SwayInputError, match="never moves"):
        measures.mean_power_frequency(np.full(50, 3.0), np.full(50, -1.0), RATE_HZ)
    # ...while the position measures of such a trace are simply zero.
    assert measures.path_length(np.full(50, 3.0), np.full(50, -1.0), RATE_HZ) == 0.0


def test_movement_only_where_no_welch_segment_reaches_is_named():
    ml = np.zeros(27)
    ml[21] = 2.0  # segments of 14 samples every 7 cover samples 0 to 20 only
    with pytest.raises(SwayInputError, match="no Welch segment"):
        measures.mean_power_frequency(ml, ml, RATE_HZ)
