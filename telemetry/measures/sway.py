"""Published sway measures of a centre-of-pressure or tilt trace, so scores mean what clinicians read.

Conventions used by every function here (and tested against the Balance Data Set of Santos &
Duarte 2016 and the code of Quijoux et al. 2021, see docs/metrics.md):

* ``ml`` is the medio-lateral and ``ap`` the antero-posterior coordinate, in any one unit
  (cm, mm, degrees, % of the limits of stability); results are in that unit.
* Each axis is first centred on its own mean: ``ml_i <- ml_i - mean(ml)``.
* ``N`` is the number of samples and the duration is ``T = N / rate_hz`` throughout (not
  ``(N - 1) / rate_hz``), as in the published BDS velocities.
* Root mean squares and mean distances divide by ``N``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from telemetry.measures.dsp import f2_quantile, trapezoid, welch
from telemetry.measures.errors import MeasureError

#: Fewest samples accepted: the 95 % ellipse needs n > 2 and a Welch segment of N/2 samples
#: needs a few samples to resolve any frequency at all.
MIN_SAMPLES = 10

#: Probability covered by the prediction ellipse.
ELLIPSE_PROBABILITY = 0.95


class SwayInputError(MeasureError):
    """A trace that no sway measure can be computed from (too short, non-finite, mismatched)."""


@dataclass(frozen=True)
class SwayMeasures:
    """Every sway measure of one trace, in the trace's unit (u): u, u/s, u^2, u^2/s or Hz."""

    path_length: float
    mean_velocity: float
    mean_velocity_ml: float
    mean_velocity_ap: float
    rms_ml: float
    rms_ap: float
    rms_radius: float
    mean_distance: float
    range_ml: float
    range_ap: float
    ellipse_area_95: float
    sway_area_per_second: float
    mean_frequency: float
    mean_power_frequency: float

    def as_dict(self) -> dict[str, float]:
        """The measures by name, in declaration order, ready for JSON."""
        return asdict(self)


def centred_trace(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Validate a trace and centre each axis on its mean, the first step of every measure."""
    ml_arr = _as_axis(ml, "ml")
    ap_arr = _as_axis(ap, "ap")
    if ml_arr.size != ap_arr.size:
        raise SwayInputError(
            f"the ml and ap axes differ in length ({ml_arr.size} and {ap_arr.size} samples)",
            "pass two columns of the same recording, one value per sample in each",
        )
    if ml_arr.size < MIN_SAMPLES:
        raise SwayInputError(
            f"the trace has {ml_arr.size} samples; sway measures need at least {MIN_SAMPLES}",
            "record a longer trial (published protocols use 30 to 60 s)",
        )
    if not _is_positive_rate(rate_hz):
        raise SwayInputError(
            f"the sampling rate must be a positive number of hertz, not {rate_hz!r}",
            "give the rate the device recorded at, e.g. 100",
        )
    return ml_arr - ml_arr.mean(), ap_arr - ap_arr.mean()


def _prepare(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """The centred trace and its rate as a Python float (a float32 rate would make float32 results)."""
    x, y = centred_trace(ml, ap, rate_hz)
    return x, y, float(rate_hz)


def _is_positive_rate(rate_hz: object) -> bool:
    """True for a finite real number of hertz above zero (not a string, not a bool)."""
    if not isinstance(rate_hz, numbers.Real) or isinstance(rate_hz, bool):
        return False
    value = float(rate_hz)
    return math.isfinite(value) and value > 0


def _as_axis(values: ArrayLike, name: str) -> NDArray[np.float64]:
    """One axis as a 1-D float array of finite numbers, or a typed error saying what is wrong."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SwayInputError(f"the {name} axis is not a sequence of numbers ({exc})") from None
    if arr.ndim != 1:
        raise SwayInputError(f"the {name} axis must be one-dimensional, not of shape {arr.shape}")
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        raise SwayInputError(
            f"the {name} axis has {bad.size} NaN or infinite value(s), the first at sample {bad[0]}",
            "remove or interpolate the missing samples before computing sway measures",
        )
    return arr


def _duration_s(n: int, rate_hz: float) -> float:
    """Trial duration T = N / rate_hz, the convention of the published BDS velocities."""
    return n / rate_hz


# Each kernel takes an already validated and centred trace (x = ML, y = AP) and its rate.


def _path_length(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """Sum over i of sqrt(dML_i^2 + dAP_i^2)."""
    return float(np.hypot(np.diff(x), np.diff(y)).sum())


def _mean_velocity(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """Path length / T."""
    return _path_length(x, y, rate_hz) / _duration_s(x.size, rate_hz)


def _mean_velocity_ml(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """Sum |dML_i| / T."""
    return float(np.abs(np.diff(x)).sum()) / _duration_s(x.size, rate_hz)


def _mean_velocity_ap(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """Sum |dAP_i| / T."""
    return float(np.abs(np.diff(y)).sum()) / _duration_s(y.size, rate_hz)


def _rms_ml(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """sqrt(sum ML_i^2 / N)."""
    return float(np.sqrt(np.mean(x * x)))


def _rms_ap(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """sqrt(sum AP_i^2 / N)."""
    return float(np.sqrt(np.mean(y * y)))


def _rms_radius(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """sqrt(sum (ML_i^2 + AP_i^2) / N)."""
    return float(np.sqrt(np.mean(x * x + y * y)))


def _mean_distance(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """Sum sqrt(ML_i^2 + AP_i^2) / N."""
    return float(np.hypot(x, y).mean())


def _range_ml(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """max(ML) - min(ML)."""
    return float(np.ptp(x))


def _range_ap(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """max(AP) - min(AP)."""
    return float(np.ptp(y))


def _ellipse_area_95(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """2 pi F(0.95; 2, n-2) (n-1)(n+1) / (n (n-2)) sqrt(det S), S with divisor n - 1."""
    n = x.size
    cov = np.cov(x, y, ddof=1)
    det = max(float(np.linalg.det(cov)), 0.0)  # rounding can make a degenerate det slightly negative
    f_crit = f2_quantile(ELLIPSE_PROBABILITY, n - 2)  # scipy.stats.f.ppf(0.95, 2, n - 2), in closed form
    return 2.0 * math.pi * f_crit * (n - 1) * (n + 1) / (n * (n - 2)) * math.sqrt(det)


def _sway_area_per_second(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """Sum |AP_{i+1} ML_i - AP_i ML_{i+1}| / (2T)."""
    swept = np.abs(y[1:] * x[:-1] - y[:-1] * x[1:]).sum()
    return float(swept) / (2.0 * _duration_s(x.size, rate_hz))


def _mean_frequency(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """Mean velocity / (2 pi mean distance)."""
    mdist = _mean_distance(x, y, rate_hz)
    _require_movement(mdist)
    return _mean_velocity(x, y, rate_hz) / (2.0 * math.pi * mdist)


def _mean_power_frequency(x: NDArray[np.float64], y: NDArray[np.float64], rate_hz: float) -> float:
    """(W_ml MPF_ml + W_ap MPF_ap) / (W_ml + W_ap) over the Welch PSD of each axis."""
    mpfs = []
    weights = []
    for axis in (x, y):
        freqs_hz, power = welch_psd(axis, rate_hz)
        area = trapezoid(power, freqs_hz)
        mpfs.append(float(trapezoid(freqs_hz * power, freqs_hz) / area) if area > 0 else 0.0)
        weights.append(float(power.sum()))
    total = weights[0] + weights[1]
    if not total > 0:
        _require_movement(_mean_distance(x, y, rate_hz))
        raise SwayInputError(
            f"the Welch spectrum of this {x.size}-sample trace has no power: its only movement falls in the "
            "last samples, which no Welch segment (N/2 samples, overlap N/4) covers",
            "use a longer trace that moves throughout",
        )
    return (weights[0] * mpfs[0] + weights[1] * mpfs[1]) / total


def _require_movement(amount: float) -> None:
    """Frequencies of a trace that never moves are 0/0: say so rather than return NaN."""
    if not amount > 0:
        raise SwayInputError(
            "the trace never moves (every sample is the same point), so its sway frequencies are undefined",
            "check that the columns hold the centre of pressure or tilt, and that the device was recording",
        )


def welch_psd(axis: ArrayLike, rate_hz: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Welch PSD as the BDS computed it: Hann window, segment ceil(N/2), overlap segment // 2, constant detrend.

    With N = 6000 this is a segment of N/2 = 3000 and an overlap of N/4 = 1500 samples (Santos &
    Duarte 2016, using Duarte's ``psd`` wrapper of ``scipy.signal.welch``). Computed by
    :func:`telemetry.measures.dsp.welch`, which gives scipy's ``welch`` to within rounding without
    importing scipy.
    """
    values = np.asarray(axis, dtype=np.float64)
    nperseg = math.ceil(values.size / 2)
    return welch(values, float(rate_hz), nperseg, nperseg // 2)


# Public one-measure functions: validate, centre, then apply the kernel.


def path_length(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Total excursion: sum_i sqrt(dML_i^2 + dAP_i^2) (Prieto et al. 1996, IEEE TBME 43:956)."""
    return _path_length(*_prepare(ml, ap, rate_hz))


def mean_velocity(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Mean velocity: path length / T, T = N / rate_hz (Prieto et al. 1996; Santos & Duarte 2016)."""
    return _mean_velocity(*_prepare(ml, ap, rate_hz))


def mean_velocity_ml(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Medio-lateral mean velocity: sum_i |dML_i| / T (Prieto et al. 1996)."""
    return _mean_velocity_ml(*_prepare(ml, ap, rate_hz))


def mean_velocity_ap(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Antero-posterior mean velocity: sum_i |dAP_i| / T (Prieto et al. 1996)."""
    return _mean_velocity_ap(*_prepare(ml, ap, rate_hz))


def rms_ml(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Medio-lateral RMS distance from the mean: sqrt(sum ML_i^2 / N) (Prieto et al. 1996)."""
    return _rms_ml(*_prepare(ml, ap, rate_hz))


def rms_ap(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Antero-posterior RMS distance from the mean: sqrt(sum AP_i^2 / N) (Prieto et al. 1996)."""
    return _rms_ap(*_prepare(ml, ap, rate_hz))


def rms_radius(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Resultant RMS distance: sqrt(sum (ML_i^2 + AP_i^2) / N) (Prieto et al. 1996, RDIST)."""
    return _rms_radius(*_prepare(ml, ap, rate_hz))


def mean_distance(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Mean resultant distance: sum sqrt(ML_i^2 + AP_i^2) / N (Prieto et al. 1996, MDIST)."""
    return _mean_distance(*_prepare(ml, ap, rate_hz))


def range_ml(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Medio-lateral range: max(ML) - min(ML) (Prieto et al. 1996)."""
    return _range_ml(*_prepare(ml, ap, rate_hz))


def range_ap(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Antero-posterior range: max(AP) - min(AP) (Prieto et al. 1996)."""
    return _range_ap(*_prepare(ml, ap, rate_hz))


def ellipse_area_95(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Area of the 95 % prediction ellipse (Schubert & Kirchner 2014, Gait Posture 39:518).

    ``A = 2 pi F(0.95; 2, n-2) (n-1)(n+1) / (n (n-2)) sqrt(det S)`` where ``S`` is the 2x2
    covariance matrix with divisor n - 1. The (n+1)/n factor makes it a *prediction* ellipse
    (it should hold 95 % of future samples), the definition the BDS publishes (Duarte's
    ``hyperellipsoid``); code that omits it gives N/(N+1) of this area.
    """
    return _ellipse_area_95(*_prepare(ml, ap, rate_hz))


def sway_area_per_second(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Area swept per second: sum_i |AP_{i+1} ML_i - AP_i ML_{i+1}| / (2T) (Prieto et al. 1996, AREA-SW)."""
    return _sway_area_per_second(*_prepare(ml, ap, rate_hz))


def mean_frequency(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Rotations per second of a circle of radius MDIST: MVELO / (2 pi MDIST) (Prieto et al. 1996, MFREQ)."""
    return _mean_frequency(*_prepare(ml, ap, rate_hz))


def mean_power_frequency(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> float:
    """Mean power frequency of both axes, power-weighted, as the BDS publishes it (Santos & Duarte 2016).

    Per axis ``MPF_a = integral f P_a(f) df / integral P_a(f) df`` (trapezoidal rule over the
    Welch PSD of :func:`welch_psd`, as Duarte's ``psd`` does); the two axes are combined as
    ``(W_ml MPF_ml + W_ap MPF_ap) / (W_ml + W_ap)`` with the total power ``W_a = sum_k P_a(f_k)``
    (a plain sum over the bins, not the trapezoid). This mix is what reproduces the published
    ``COPmfreq`` column to 1e-13; a trapezoid weight is off by up to 0.6 %, see docs/metrics.md.
    """
    return _mean_power_frequency(*_prepare(ml, ap, rate_hz))


_KERNELS = {
    "path_length": _path_length,
    "mean_velocity": _mean_velocity,
    "mean_velocity_ml": _mean_velocity_ml,
    "mean_velocity_ap": _mean_velocity_ap,
    "rms_ml": _rms_ml,
    "rms_ap": _rms_ap,
    "rms_radius": _rms_radius,
    "mean_distance": _mean_distance,
    "range_ml": _range_ml,
    "range_ap": _range_ap,
    "ellipse_area_95": _ellipse_area_95,
    "sway_area_per_second": _sway_area_per_second,
    "mean_frequency": _mean_frequency,
    "mean_power_frequency": _mean_power_frequency,
}

#: The measure names, in the order ``SwayMeasures`` and ``proprio analyze`` give them.
MEASURE_NAMES: tuple[str, ...] = tuple(_KERNELS)


def sway_measures(ml: ArrayLike, ap: ArrayLike, rate_hz: float) -> SwayMeasures:
    """Every published sway measure of one trace, validating and centring it only once."""
    x, y, rate = _prepare(ml, ap, rate_hz)
    return SwayMeasures(**{name: kernel(x, y, rate) for name, kernel in _KERNELS.items()})
