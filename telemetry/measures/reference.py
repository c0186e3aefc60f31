"""Reference values and minimal detectable change of quiet-standing COP measures (Balance Data Set).

``reference_bds.csv`` beside this module is made by ``tools/make_reference.py`` from the
information table of the Balance Data Set (Santos DA, Duarte M, 2016, PeerJ 4:e2648,
https://doi.org/10.7717/peerj.2648; CC BY 4.0): 1,930 trials of 60 s by 163 adults on a force
plate. Per age band (``young`` 18-59, ``older`` 60+), condition (eyes ``open``/``closed``,
surface ``firm``/``foam``) and measure it holds mean, SD, percentiles (5, 25, 50, 75, 95),
the test-retest ICC(1,1), the SEM and the MDC95 (of one trial and of the mean of three). See
docs/metrics.md for how they were derived and what they may be compared with: centre-of-pressure
measures in cm of a 60 s bipedal stance, never tilt in degrees or % of the limits of stability.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from telemetry.measures.errors import MeasureError

REFERENCE_FILE = "reference_bds.csv"
CITATION = ("Santos DA, Duarte M (2016). A public data set of human balance evaluations. PeerJ 4:e2648 "
            "(CC BY 4.0); reference table derived by Proprio")
AgeBand = Literal["young", "older"]
AGE_BANDS: tuple[AgeBand, ...] = ("young", "older")
OLDER_FROM_YEARS = 60  # the BDS AgeGroup boundary: Young < 60 <= Old
#: Our measure names in the table -> the sway measure (``sway_measures``) each one is.
SWAY_NAMES = {"cop_velocity_cm_s": "mean_velocity", "ellipse_area_cm2": "ellipse_area_95",
              "mean_power_frequency_hz": "mean_power_frequency"}
REFERENCE_TRIAL_S = 60.0


class ReferenceError(MeasureError):
    """A reference row that does not exist (an unknown band, condition or measure) or a damaged table."""


@dataclass(frozen=True)
class ReferenceRow:
    """One age band, condition and measure of the reference table."""

    age_band: str
    vision: str
    surface: str
    measure: str
    unit: str
    n_subjects: int
    n_trials: int
    mean: float
    sd: float
    p5: float
    p25: float
    p50: float
    p75: float
    p95: float
    icc: float
    sem: float
    mdc95: float
    mdc95_mean3: float

    def band(self, value: float) -> str:
        """Where a value falls among the reference percentiles, in words."""
        if value < self.p5:
            return "below the 5th percentile"
        if value > self.p95:
            return "above the 95th percentile"
        if value < self.p25:
            return "5th-25th percentile"
        if value > self.p75:
            return "75th-95th percentile"
        return "25th-75th percentile (typical)"

    def mdc(self, trials: int) -> float:
        """MDC95 of the mean of ``trials`` trials (the SEM shrinks by sqrt(trials))."""
        return self.mdc95 / math.sqrt(max(1, trials))


def age_band(age_years: float) -> AgeBand:
    """The reference age band of an age in years (the BDS boundary, 60)."""
    if not 0 < age_years < 130:
        raise ReferenceError(f"an age of {age_years!r} years is not plausible", "give the player's age in years")
    return "older" if age_years >= OLDER_FROM_YEARS else "young"


@cache
def reference_table() -> tuple[ReferenceRow, ...]:
    """Every row of the shipped table (read once)."""
    text = resources.files("telemetry.measures").joinpath(REFERENCE_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows: list[ReferenceRow] = []
    try:
        for raw in csv.DictReader(io.StringIO("\n".join(lines))):
            rows.append(ReferenceRow(
                age_band=raw["age_band"], vision=raw["vision"], surface=raw["surface"], measure=raw["measure"],
                unit=raw["unit"], n_subjects=int(raw["n_subjects"]), n_trials=int(raw["n_trials"]),
                **{k: float(raw[k]) for k in ("mean", "sd", "p5", "p25", "p50", "p75", "p95", "icc", "sem",
                                               "mdc95", "mdc95_mean3")},
            ))
    except (KeyError, ValueError, TypeError) as exc:
        raise ReferenceError(f"the shipped {REFERENCE_FILE} is damaged ({exc})",
                             "reinstall Proprio or run tools/make_reference.py") from None
    return tuple(rows)


def reference(age: str, vision: str, surface: str, measure: str) -> ReferenceRow:
    """The row for an age band, condition and measure, or a ReferenceError naming what exists."""
    for row in reference_table():
        if (row.age_band, row.vision, row.surface, row.measure) == (age, vision, surface, measure):
            return row
    known = sorted({(r.age_band, r.vision, r.surface) for r in reference_table()})
    raise ReferenceError(f"no reference for {age}, eyes {vision}, {surface} surface, {measure}",
                         f"the table covers {', '.join('/'.join(k) for k in known)} and "
                         f"{', '.join(sorted(SWAY_NAMES))}")


def change_exceeds_mdc(before: float, after: float, row: ReferenceRow, trials: int) -> bool:
    """True when |after - before| is larger than the MDC95 of a mean of ``trials`` trials."""
    return abs(after - before) > row.mdc(trials)
