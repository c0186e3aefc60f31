"""The sampling rate of a recording from its time column, refusing timing too irregular to trust."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from telemetry.measures.errors import MeasureError

#: Largest accepted deviation of any sample interval from the median interval, as a fraction of
#: the median. If every interval is within 1 % of the median, so is the mean interval, so the
#: rate is right to 1 %. A dropped sample (an interval 100 % long) is refused, and so are time
#: stamps rounded more coarsely than 1 % of the interval (milliseconds at 60 or 120 Hz, where
#: 1 / median would be 2 % or 4 % wrong): give the rate instead for those.
MAX_INTERVAL_DEVIATION = 0.01


class IrregularSamplingError(MeasureError):
    """A time column that does not describe uniform sampling, so no single rate applies."""


def rate_from_times_hz(t_s: ArrayLike, tolerance: float = MAX_INTERVAL_DEVIATION, source: str = "time column") -> float:
    """Sampling rate as 1 / median interval, after checking every interval is within ``tolerance`` of it."""
    t = np.asarray(t_s, dtype=np.float64)
    if t.ndim != 1 or t.size < 2:
        raise IrregularSamplingError(f"{source}: needs at least two time stamps to give a rate")
    if not np.all(np.isfinite(t)):
        raise IrregularSamplingError(f"{source}: holds NaN or infinite time stamps")
    intervals_s = np.diff(t)
    if np.any(intervals_s <= 0):
        first = int(np.argmax(intervals_s <= 0))
        raise IrregularSamplingError(
            f"{source}: time does not increase between samples {first + 1} and {first + 2} "
            f"({t[first]!r} then {t[first + 1]!r})",
            "sort the rows by time and remove duplicates, or give --rate instead",
        )
    median_s = float(np.median(intervals_s))
    deviation = np.abs(intervals_s - median_s) / median_s
    worst = int(np.argmax(deviation))
    if deviation[worst] > tolerance:
        raise IrregularSamplingError(
            f"{source}: sampling is irregular; the interval between samples {worst + 1} and {worst + 2} "
            f"is {intervals_s[worst]:.6g} s against a median of {median_s:.6g} s "
            f"({100 * deviation[worst]:.0f} % off; at most {100 * tolerance:.0f} % is accepted)",
            "resample the recording to a constant rate, or give --rate if the time column is wrong",
        )
    return 1.0 / median_s
