"""Write ``telemetry/measures/reference_bds.csv``: reference values and minimal detectable change from the BDS.

Run:  python tools/make_reference.py [BDS_DIR] [--out telemetry/measures/reference_bds.csv]
                                     [--subjects-out telemetry/measures/reference_bds_subjects.csv]

BDS_DIR (default ``../shared/data/bds``, else ``/work/shared/data/bds``) holds ``BDSinfoCOP.txt``,
the information table of the Balance Data Set (Santos DA, Duarte M, 2016, A public data set of
human balance evaluations, PeerJ 4:e2648, https://doi.org/10.7717/peerj.2648; CC BY 4.0): 1,930
quiet-standing trials of 60 s on a force plate by 163 adults, three per condition (eyes open or
closed, firm surface or foam), with the published centre-of-pressure (COP) results of each trial.
Only that table is read; no raw signal is copied into the project.

For each age band (``young``: AgeGroup Young, 18-59 years; ``older``: AgeGroup Old, 60 years and
over), condition and measure the table gets:

* ``n_subjects``, ``n_trials``; ``mean``, ``sd`` (n - 1) and the 5th, 25th, 50th, 75th and 95th
  percentiles (numpy's linear interpolation) over all trials;
* test-retest figures from the three repeats of each subject: a one-way random-effects analysis
  of variance with subjects as groups (unbalanced form, for the odd subject without three trials):
  ``MSW`` within subjects, ``MSB`` between, ``k0`` the effective trials per subject;
  ``icc = ICC(1,1) = (MSB - MSW) / (MSB + (k0 - 1) MSW)`` (Shrout & Fleiss 1979);
  ``sem = sqrt(MSW)`` (the within-subject SD, the standard error of measurement of one trial);
  ``mdc95 = 1.96 x sqrt(2) x sem`` (Weir 2005, J Strength Cond Res 19:231), the smallest change
  of one trial that exceeds measurement error with 95 % confidence; ``mdc95_mean3`` the same for
  the mean of three trials (``sem / sqrt(3)``), what an assessment of three trials reports.

The three repeats were taken in one visit, so these are within-session figures: a change between
two visits also carries day-to-day variation, and a between-day MDC would be larger.

Beside it, ``reference_bds_subjects.csv`` holds the distribution a percentile rank needs: per age
band, condition and measure, each subject's mean of its (three) trials in that condition, sorted,
one row each, without subject numbers or anything else about the person.
"""

from __future__ import annotations

import argparse
import csv
import math
from collections import defaultdict
from pathlib import Path

import numpy as np

MEASURES = {  # our name -> the BDS column
    "cop_velocity_cm_s": "COPvelo",
    "ellipse_area_cm2": "COParea",
    "mean_power_frequency_hz": "COPmfreq",
}
AGE_BANDS = {"Young": "young", "Old": "older"}
CONDITIONS = [("open", "firm"), ("closed", "firm"), ("open", "foam"), ("closed", "foam")]
COLUMNS = ["age_band", "vision", "surface", "measure", "unit", "n_subjects", "n_trials", "mean", "sd", "p5", "p25",
           "p50", "p75", "p95", "icc", "sem", "mdc95", "mdc95_mean3"]
UNITS = {"cop_velocity_cm_s": "cm/s", "ellipse_area_cm2": "cm2", "mean_power_frequency_hz": "Hz"}
HEADER = """\
# Reference values and minimal detectable change of quiet-standing centre-of-pressure measures.
# Derived by tools/make_reference.py from the Balance Data Set information table (BDSinfoCOP):
# Santos DA, Duarte M (2016). A public data set of human balance evaluations. PeerJ 4:e2648.
# https://doi.org/10.7717/peerj.2648 - data licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/);
# this table is a derived summary (percentiles, ICC, SEM, MDC) made by the Proprio project.
# Trials: 60 s bipedal quiet stance on a force plate, 100 Hz; foam = a foam pad on the plate.
# young = 18-59 years, older = 60 years and over. MDC from the three repeats of one visit (within session).
"""


def icc_sem(groups: list[list[float]]) -> tuple[float, float]:
    """(ICC(1,1), SEM = sqrt(MSW)) of a one-way random-effects ANOVA over subjects (unbalanced form)."""
    groups = [g for g in groups if g]
    n_subjects = len(groups)
    n_total = sum(len(g) for g in groups)
    grand = sum(sum(g) for g in groups) / n_total
    ss_within = sum(sum((x - sum(g) / len(g)) ** 2 for x in g) for g in groups)
    ss_between = sum(len(g) * (sum(g) / len(g) - grand) ** 2 for g in groups)
    ms_within = ss_within / (n_total - n_subjects)
    ms_between = ss_between / (n_subjects - 1)
    k0 = (n_total - sum(len(g) ** 2 for g in groups) / n_total) / (n_subjects - 1)
    icc = (ms_between - ms_within) / (ms_between + (k0 - 1) * ms_within)
    return icc, math.sqrt(ms_within)


def _groups(info_path: Path) -> list[tuple[str, str, str, str, dict[str, list[float]]]]:
    """(band, vision, surface, measure, finite trial values by subject) for every row of the tables."""
    with info_path.open(newline="", encoding="utf-8") as handle:
        trials = list(csv.DictReader(handle, delimiter="\t"))
    groups: list[tuple[str, str, str, str, dict[str, list[float]]]] = []
    for group, band in AGE_BANDS.items():
        for vision, surface in CONDITIONS:
            chosen = [t for t in trials if t["AgeGroup"] == group and t["Vision"].lower() == vision
                      and t["Surface"].lower() == surface]
            for measure, column in MEASURES.items():
                by_subject: dict[str, list[float]] = defaultdict(list)
                for trial in chosen:
                    value = float(trial[column])
                    if math.isfinite(value):
                        by_subject[trial["Subject"]].append(value)
                groups.append((band, vision, surface, measure, by_subject))
    return groups


def subject_rows(info_path: Path) -> list[dict[str, object]]:
    """Per age band, condition and measure, each subject's mean of its trials, in ascending order."""
    rows: list[dict[str, object]] = []
    for band, vision, surface, measure, by_subject in _groups(info_path):
        means = sorted(sum(values) / len(values) for values in by_subject.values() if values)
        rows.extend({"age_band": band, "vision": vision, "surface": surface, "measure": measure,
                     "subject_mean": mean} for mean in means)
    return rows


def reference_rows(info_path: Path) -> list[dict[str, object]]:
    """The table's rows, one per age band, condition and measure."""
    rows: list[dict[str, object]] = []
    for band, vision, surface, measure, by_subject in _groups(info_path):
        values = np.array([v for g in by_subject.values() for v in g])
        icc, sem = icc_sem(list(by_subject.values()))
        p5, p25, p50, p75, p95 = np.percentile(values, [5, 25, 50, 75, 95])
        mdc = 1.96 * math.sqrt(2.0) * sem
        rows.append({
            "age_band": band, "vision": vision, "surface": surface, "measure": measure,
            "unit": UNITS[measure], "n_subjects": len(by_subject), "n_trials": int(values.size),
            "mean": float(values.mean()), "sd": float(values.std(ddof=1)), "p5": float(p5), "p25": float(p25),
            "p50": float(p50), "p75": float(p75), "p95": float(p95), "icc": icc, "sem": sem,
            "mdc95": mdc, "mdc95_mean3": mdc / math.sqrt(3.0),
        })
    return rows


def write(rows: list[dict[str, object]], out: Path) -> None:
    """The header comment and the rows, numbers to 4 significant digits."""
    with out.open("w", newline="", encoding="utf-8") as handle:
        handle.write(HEADER)
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{v:.4g}" if isinstance(v, float) else v) for k, v in row.items()})


SUBJECT_COLUMNS = ["age_band", "vision", "surface", "measure", "subject_mean"]
SUBJECT_HEADER = """\
# Each subject's mean of its trials per condition: the distribution behind a percentile rank.
# Derived by tools/make_reference.py from the Balance Data Set information table (BDSinfoCOP):
# Santos DA, Duarte M (2016). A public data set of human balance evaluations. PeerJ 4:e2648.
# https://doi.org/10.7717/peerj.2648 - data licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/);
# this derived table (subject means, sorted, no subject numbers) is made by the Proprio project.
# Trials: 60 s bipedal quiet stance on a force plate, 100 Hz; foam = a foam pad on the plate.
# young = 18-59 years, older = 60 years and over. Units: cop_velocity_cm_s cm/s, ellipse_area_cm2 cm2,
# mean_power_frequency_hz Hz.
"""


def write_subjects(rows: list[dict[str, object]], out: Path) -> None:
    """The subject means' header comment and rows, numbers to 4 significant digits."""
    with out.open("w", newline="", encoding="utf-8") as handle:
        handle.write(SUBJECT_HEADER)
        writer = csv.DictWriter(handle, fieldnames=SUBJECT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{v:.4g}" if isinstance(v, float) else v) for k, v in row.items()})


def _default_dir() -> Path:
    here = Path(__file__).resolve().parents[1]
    for candidate in (here.parent / "shared" / "data" / "bds", Path("/work/shared/data/bds")):
        if candidate.is_dir():
            return candidate
    return here.parent / "shared" / "data" / "bds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bds_dir", nargs="?", type=Path, default=None, help="folder holding BDSinfoCOP.txt")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[1] / "telemetry" / "measures" / "reference_bds.csv")
    parser.add_argument("--subjects-out", type=Path,
                        default=Path(__file__).resolve().parents[1] / "telemetry" / "measures"
                        / "reference_bds_subjects.csv")
    args = parser.parse_args()
    info = (args.bds_dir or _default_dir()) / "BDSinfoCOP.txt"
    if not info.is_file():
        parser.error(f"{info} does not exist: pass the folder of the Balance Data Set")
    rows = reference_rows(info)
    write(rows, args.out)
    print(f"wrote {len(rows)} rows to {args.out}")
    subjects = subject_rows(info)
    write_subjects(subjects, args.subjects_out)
    print(f"wrote {len(subjects)} subject means to {args.subjects_out}")


if __name__ == "__main__":
    main()
