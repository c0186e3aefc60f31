"""Reference values and minimal detectable change of quiet-standing COP measures (Balance Data Set).

``reference_bds.csv`` beside this module is made by ``tools/make_reference.py`` from the
information table of the Balance Data Set (Santos DA, Duarte M, 2016, PeerJ 4:e2648,
https://doi.org/10.7717/peerj.2648; CC BY 4.0): 1,930 trials of 60 s by 163 adults on a force
plate. Per age band (``young`` 18-59, ``older`` 60+), condition (eyes ``open``/``closed``,
surface ``firm``/``foam``) and measure it holds mean, SD, percentiles (5, 25, 50, 75, 95),
the test-retest ICC(1,1), the SEM and the MDC95 (of one trial and of the mean of three);
``reference_bds_subjects.csv`` (made by the same tool) holds each subject's mean of its trials per
band, condition and measure, for a percentile rank (:func:`percentile_rank`, :func:`rank_trial`, and
:func:`rank_trial_any_length` for a trace in mm or m, converted to cm first). See
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
SUBJECTS_FILE = "reference_bds_subjects.csv"
CITATION = ("Santos DA, Duarte M (2016). A public data set of human balance evaluations. PeerJ 4:e2648 "
            "(CC BY 4.0); reference table derived by Proprio")
AdultBand = Literal["young", "older"]
"""The reference table's age bands (the Balance Data Set's AgeGroup)."""
AGE_BANDS: tuple[AdultBand, ...] = ("young", "older")
AgeBand = Literal["child", "young", "older"]
"""A player's band: ``child`` (under 18) has no reference values, as the data set's subjects are adults."""
OLDER_FROM_YEARS = 60  # the BDS AgeGroup boundary: Young < 60 <= Old
#: Our measure names in the table -> the sway measure (``sway_measures``) each one is.
SWAY_NAMES = {"cop_velocity_cm_s": "mean_velocity", "ellipse_area_cm2": "ellipse_area_95",
              "mean_power_frequency_hz": "mean_power_frequency"}
REFERENCE_TRIAL_S = 60.0
REFERENCE_UNIT = "cm"
ADULT_FROM_YEARS = 18  # the youngest BDS subject


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


def adult_band(age_years: float) -> AdultBand:
    """The reference table's band nearest an age in years (the BDS boundary, 60; under 18 too: ``young``)."""
    if not 0 < age_years < 130:
        raise ReferenceError(f"an age of {age_years!r} years is not plausible", "give the player's age in years")
    return "older" if age_years >= OLDER_FROM_YEARS else "young"


def age_band(age_years: float) -> AgeBand:
    """A player's age band: ``child`` under 18 (no reference: the data set's subjects are 18-85), else the
    reference band (the BDS boundary, 60). What assessments and players store, never the age."""
    band = adult_band(age_years)
    return "child" if age_years < ADULT_FROM_YEARS else band


#: Said wherever a child's measures would have met the adults' reference.
CHILD_NOTE = (f"no reference values for players under {ADULT_FROM_YEARS}: the Balance Data Set's subjects are "
              f"adults ({ADULT_FROM_YEARS}-85), and children sway more")


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


def _read_csv(name: str) -> list[dict[str, str]]:
    """The rows of a shipped CSV beside this module, without its ``#`` header comment."""
    text = resources.files("telemetry.measures").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@cache
def subject_means(age: str, vision: str, surface: str, measure: str) -> tuple[float, ...]:
    """Each reference subject's mean of its trials in that band, condition and measure, ascending."""
    reference(age, vision, surface, measure)  # a ReferenceError naming what exists, for an unknown row
    try:
        means = sorted(float(raw["subject_mean"]) for raw in _read_csv(SUBJECTS_FILE)
                       if (raw["age_band"], raw["vision"], raw["surface"], raw["measure"])
                       == (age, vision, surface, measure))
    except (KeyError, ValueError, TypeError) as exc:
        raise ReferenceError(f"the shipped {SUBJECTS_FILE} is damaged ({exc})",
                             "reinstall Proprio or run tools/make_reference.py") from None
    if not means:
        raise ReferenceError(f"the shipped {SUBJECTS_FILE} has no subjects for {age}, eyes {vision}, "
                             f"{surface} surface, {measure}", "reinstall Proprio or run tools/make_reference.py")
    return tuple(means)


def percentile_rank(value: float, group: tuple[float, ...] | list[float]) -> float:
    """Percentile rank of ``value`` in ``group``: 100 x (number below + half the number equal) / n.

    The mid-rank definition: 0 below every member, 100 above every member, 50 at the median of
    an odd group, and a value equal to members gets the middle of their ranks.
    """
    if not group:
        raise ReferenceError("a percentile rank needs a reference group of at least one value",
                             "report this: the shipped reference table has an empty group")
    below = sum(1 for x in group if x < value)
    equal = sum(1 for x in group if x == value)
    return 100.0 * (below + 0.5 * equal) / len(group)


def rank_trial(measures: dict[str, float], *, unit: str | None, age_years: float | None, vision: str | None,
               surface: str | None, duration_s: float) -> dict[str, object]:
    """The reference block of one trial: the group used and the trial's percentile rank per measure.

    ``measures`` holds sway measures by name (``mean_velocity``, ``ellipse_area_95``,
    ``mean_power_frequency``, in ``unit`` and seconds). Without a unit of cm, or without the age
    or the condition, there are no ranks and ``reason`` says why; ``notes`` say what to keep in
    mind (not 60 s: the area is not comparable; under 18: adults' reference).
    """
    block: dict[str, object] = {"source": CITATION}
    missing = [name for name, given in (("--age", age_years), ("--vision", vision), ("--surface", surface))
               if given is None]
    if missing:
        block.update(group=None, measures=None,
                     reason=f"no percentile rank: give {', '.join(missing)} to compare with the Balance Data Set "
                            f"(healthy adults, 60 s quiet stance on a force plate)")
        return block
    assert age_years is not None and vision is not None and surface is not None
    band = adult_band(age_years)  # under 18: the young adults, with the note below
    block["group"] = {"age_band": band, "ages": "60 and over" if band == "older" else "18-59",
                      "vision": vision, "surface": surface}
    if unit is None or unit.casefold() != REFERENCE_UNIT:
        said = "carry no unit in their names" if unit is None else f"are in {unit}"
        block.update(measures=None,
                     reason=f"no percentile rank: the file's COP columns {said}, and the reference is in "
                            f"{REFERENCE_UNIT} (name both columns with their length unit, [cm] or [mm], e.g. "
                            f"COPx[cm]; proprio analyze converts mm)")
        return block
    notes: list[str] = []
    if age_years < ADULT_FROM_YEARS:
        notes.append(f"the reference subjects are adults ({ADULT_FROM_YEARS}-85): for an age of {age_years:g} "
                     "the ranks are only a rough guide")
    if abs(duration_s - REFERENCE_TRIAL_S) > 0.05 * REFERENCE_TRIAL_S:
        notes.append(f"the trial lasted {duration_s:.1f} s, the reference trials {REFERENCE_TRIAL_S:g} s: the "
                     "ellipse area grows with trial length, so its rank is not comparable")
    notes.append("the rank places one trial among subjects' means of three trials, whose spread is a little "
                 "narrower: extreme ranks come a little more often than 1 in 20 by chance alone")
    ranked: dict[str, object] = {}
    for table_name, sway_name in SWAY_NAMES.items():
        if sway_name not in measures:
            continue
        row = reference(band, vision, surface, table_name)
        group = subject_means(band, vision, surface, table_name)
        value = float(measures[sway_name])
        ranked[sway_name] = {"reference_measure": table_name, "unit": row.unit, "n_subjects": len(group),
                             "percentile_rank": round(percentile_rank(value, group), 1),
                             "band_among_trials": row.band(value)}
    block.update(measures=ranked, notes=notes)
    return block


#: Length units a COP column may be named in, and how many cm one of them is (the reference is in cm).
CM_PER_UNIT = {"mm": 0.1, "cm": 1.0, "m": 100.0}
#: The power of length in each ranked sway measure: velocity is length/s, the area length², the frequency none.
LENGTH_POWER = {"mean_velocity": 1, "ellipse_area_95": 2, "mean_power_frequency": 0}
_SQUARED = {"mm": "mm²", "cm": "cm²", "m": "m²"}


def rank_trial_any_length(measures: dict[str, float], *, unit: str | None, age_years: float | None,
                          vision: str | None, surface: str | None, duration_s: float) -> dict[str, object]:
    """:func:`rank_trial` for COP columns in any length unit their names give (``mm``, ``cm``, ``m``).

    A trace in mm (a force plate's usual unit, ``COPx[mm]``) or m has its ranked measures converted
    to the reference's units first (mm/s -> cm/s divides by 10, mm² -> cm² by 100; the frequency
    stays in Hz); the block then says so: ``converted_from`` names the file's unit, a note gives the
    factors, and each ranked measure carries the ``value`` it was ranked with, in the reference unit.
    Any other unit (degrees, % LOS, none, two different units) gets no rank and the reason, as before.
    """
    given = unit.strip().casefold() if unit is not None else None
    factor = CM_PER_UNIT.get(given) if given is not None else None
    if factor is None or given == REFERENCE_UNIT:
        return rank_trial(measures, unit=unit, age_years=age_years, vision=vision, surface=surface,
                          duration_s=duration_s)
    assert given is not None
    converted = {name: float(measures[name]) * factor ** power for name, power in LENGTH_POWER.items()
                 if name in measures}
    block = rank_trial(converted, unit=REFERENCE_UNIT, age_years=age_years, vision=vision, surface=surface,
                       duration_s=duration_s)
    if block.get("measures") is None:
        return block  # no age or condition: nothing was ranked, so nothing was converted
    ranked = block["measures"]
    assert isinstance(ranked, dict)
    for name, entry in ranked.items():
        entry["value"] = round(converted[name], 10)
    block["converted_from"] = given
    notes = block.get("notes")
    assert isinstance(notes, list)
    notes.insert(0, f"converted from {given}: the file's COP columns are in {given}, so mean_velocity "
                    f"({given}/s -> cm/s, x {factor:g}) and ellipse_area_95 ({_SQUARED[given]} -> cm², "
                    f"x {factor ** 2:g}) were converted before ranking (each rank's value); the measures outside "
                    f"this block stay in {given}")
    return block
