"""The one low-pass filter the measures use, named so a clinician knows what was done to the signal.

**4th-order zero-lag Butterworth low-pass at 10 Hz**: a 2nd-order Butterworth run forward and
backward, which cancels the phase lag and doubles the order (``dsp.butter_lowpass`` and
``dsp.filtfilt``: what ``scipy.signal.butter`` and ``scipy.signal.filtfilt`` compute, to within
rounding, in numpy alone, because importing scipy.signal costs a report more CPU than its work).
That is how the posturography literature treats centre-of-pressure signals before computing
velocities (Prieto et al. 1996 low-pass filtered at 5 Hz; Duarte & Freitas 2010, Rev Bras
Fisioter 14:183, and the Balance Data Set, Santos & Duarte 2016, use a 4th-order zero-lag
Butterworth at 10 Hz). Standing sway and voluntary leaning hold almost all their power below
2-3 Hz, so 10 Hz keeps the movement and removes the sensor and quantisation noise that a
velocity (a derivative) would otherwise multiply: on 120 Hz step samples of a wobble board the
unfiltered mean velocity was two to three times the filtered one.

Filtering needs evenly spaced samples: ``uniform`` puts a trace on an even grid (linear
interpolation, which also bridges a dropped sample) before ``lowpass`` is applied.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from telemetry.measures.dsp import butter_lowpass, filtfilt
from telemetry.measures.errors import MeasureError

#: Cut-off of the default low-pass filter, Hz.
CUTOFF_HZ = 10.0
#: Order of the Butterworth design; run forward and backward it acts as twice this order.
DESIGN_ORDER = 2
#: A sampling rate below this multiple of the cut-off is not filtered (the cut-off would sit at or
#: past the Nyquist frequency, where a 10 Hz filter has nothing left to remove).
MIN_RATE_PER_CUTOFF = 2.5
#: What the filter is called wherever a result says how it was computed.
FILTER_NAME = "4th-order zero-lag Butterworth low-pass"


class FilterError(MeasureError):
    """A trace the low-pass filter cannot be applied to (too short, too slow, not finite)."""


def filter_label(cutoff_hz: float | None) -> str:
    """The words that say how a signal was filtered, e.g. '4th-order zero-lag Butterworth low-pass, 10 Hz'."""
    return "not filtered" if cutoff_hz is None else f"{FILTER_NAME}, {cutoff_hz:g} Hz"


def can_filter(n_samples: int, rate_hz: float, cutoff_hz: float = CUTOFF_HZ) -> bool:
    """True when ``lowpass`` accepts a trace of this length and rate."""
    return (math.isfinite(rate_hz) and math.isfinite(cutoff_hz) and cutoff_hz > 0
            and rate_hz >= MIN_RATE_PER_CUTOFF * cutoff_hz and n_samples > _padlen())


def _padlen() -> int:
    return 3 * (DESIGN_ORDER + 1)  # filtfilt's default padding for a 2nd-order section


def lowpass(values: ArrayLike, rate_hz: float, cutoff_hz: float = CUTOFF_HZ) -> NDArray[np.float64]:
    """The signal through the 4th-order zero-lag Butterworth low-pass (evenly sampled at ``rate_hz``)."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or not np.all(np.isfinite(arr)):
        raise FilterError("the filter needs one finite number per sample", "drop or interpolate missing samples")
    if not can_filter(arr.size, rate_hz, cutoff_hz):
        raise FilterError(
            f"a {cutoff_hz:g} Hz low-pass needs at least {_padlen() + 1} samples at"
            f" {MIN_RATE_PER_CUTOFF * cutoff_hz:g} Hz or more (got {arr.size} samples at {rate_hz:g} Hz)",
            "record longer or faster, or compute the measure without filtering",
        )
    b, a = butter_lowpass(cutoff_hz / (rate_hz / 2.0))
    return filtfilt(b, a, arr)


def uniform(t_s: ArrayLike, *columns: ArrayLike) -> tuple[NDArray[np.float64], list[NDArray[np.float64]], float]:
    """Resample columns onto an even time grid at the median interval: (grid, columns, rate_hz).

    Time must increase strictly. A dropped sample (a longer interval) is bridged by linear
    interpolation; the grid starts at the first time stamp and does not pass the last.
    """
    t = np.asarray(t_s, dtype=np.float64)
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0) or not np.all(np.isfinite(t)):
        raise FilterError("time must be finite and increase strictly from sample to sample")
    step = float(np.median(np.diff(t)))
    count = int(math.floor((t[-1] - t[0]) / step + 1e-9)) + 1
    grid = t[0] + np.arange(count) * step
    resampled = [np.interp(grid, t, np.asarray(c, dtype=np.float64)) for c in columns]
    return grid, resampled, 1.0 / step
