"""A success rate with its uncertainty: the Wilson score interval of a binomial proportion.

Wilson (1927), J. Am. Stat. Assoc. 22:209-212; recommended over the Wald interval for small
samples and rates near 0 or 1 by Newcombe (1998), Stat. Med. 17:857-872 (his method 3). A
session of 10 trials with 8 successes reads "80 % (49-94 %)": the interval, not the point, says
how much the next session may differ by chance alone.
"""

from __future__ import annotations

import math
from statistics import NormalDist

from telemetry.measures.errors import MeasureError


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval (low, high) of ``successes`` out of ``trials`` at this two-sided confidence."""
    if isinstance(successes, bool) or isinstance(trials, bool) or not (
            isinstance(successes, int) and isinstance(trials, int)):
        raise MeasureError(f"successes and trials must be whole numbers, got {successes!r} and {trials!r}")
    if trials <= 0 or not 0 <= successes <= trials:
        raise MeasureError(f"{successes} successes out of {trials} trials is not a proportion",
                           remedy="trials must be at least 1 and successes between 0 and trials")
    if not 0.0 < confidence < 1.0:
        raise MeasureError(f"confidence {confidence!r} must be between 0 and 1, e.g. 0.95")
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    p = successes / trials
    denominator = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1.0 - p) / trials + z * z / (4 * trials * trials)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high
