"""Measures of fixed assessment trials (quiet stance, single leg, weight distribution, limits of stability).

Pure, like the rest of the wing: it is handed arrays (times and positions) and returns numbers
with their units. A stance trial is measured twice when the device allows:

* in **physical units** from the device's own readings at its own rate (the ``readings``
  table): centimetres of centre of pressure for a balance board or force plate (raw ``mm``),
  degrees of tilt for a wobble board (raw ``deg``); this is what reference values and other
  clinics' numbers are in;
* in **% of the player's limits of stability** from the game's 120 Hz samples, which every
  device has (keyboard and simulated player included).

Each trace is put on an even grid (``filters.uniform``, bridging a dropped reading) and
low-pass filtered (``filters.lowpass``: 4th-order zero-lag Butterworth, 10 Hz) before any
measure; what was done is named in ``StanceMeasures.filter``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from telemetry.measures.errors import MeasureError
from telemetry.measures.filters import CUTOFF_HZ, can_filter, filter_label, lowpass, uniform
from telemetry.measures.los import reach_measures
from telemetry.measures.stability import DEGREE_ZONES, LOS_ZONES, stability_figures
from telemetry.measures.sway import MIN_SAMPLES, sway_measures

#: Raw units of a device -> (the physical unit measures are reported in, the factor to get there).
PHYSICAL_UNITS = {"mm": ("cm", 0.1), "cm": ("cm", 1.0), "deg": ("deg", 1.0)}
LOS_UNIT = "% LOS"
#: The sway measures an assessment reports (a subset of ``MEASURE_NAMES``, the ones clinics use).
STANCE_SWAY = ("mean_velocity", "mean_velocity_ml", "mean_velocity_ap", "path_length", "rms_ml", "rms_ap",
               "range_ml", "range_ap", "ellipse_area_95", "mean_power_frequency")


class AssessmentInputError(MeasureError):
    """A trial that no assessment measure can be computed from."""


@dataclass(frozen=True)
class StanceMeasures:
    """The measures of one stance trial in one unit: ``values`` by name (unit of each in ``units``)."""

    unit: str
    rate_hz: float
    seconds: float
    filter: str
    values: dict[str, float] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


def physical_unit(raw_unit: str | None) -> tuple[str, float] | None:
    """(unit, scale) of a device's raw unit with physical meaning, or None (keys, sticks: no physical unit)."""
    return PHYSICAL_UNITS.get(raw_unit or "")


def _units(unit: str) -> dict[str, str]:
    per_s = f"{unit}/s"
    units = {"mean_velocity": per_s, "mean_velocity_ml": per_s, "mean_velocity_ap": per_s, "path_length": unit,
             "rms_ml": unit, "rms_ap": unit, "range_ml": unit, "range_ap": unit,
             "ellipse_area_95": f"{unit}²" if unit != LOS_UNIT else "% LOS²", "mean_power_frequency": "Hz",
             "stability_index": unit, "stability_index_ap": unit, "stability_index_ml": unit,
             "mean_ml": unit, "mean_ap": unit}
    return units


def stance_measures(t_s: ArrayLike, ml: ArrayLike, ap: ArrayLike, unit: str, *,
                    centre: tuple[float, float] | None = None, cutoff_hz: float | None = CUTOFF_HZ) -> StanceMeasures:
    """Sway, stability indexes, % time in zones and quadrants, and the mean position of one stance trial.

    ``unit`` is the unit of ``ml`` and ``ap`` (``cm``, ``deg`` or ``% LOS``); it picks the zone
    rings (5-degree Biodex rings for ``deg``, quarters of the limits for ``% LOS``; none for
    ``cm``, where rings would depend on the foot size). ``centre`` is where the stability index
    and zones are measured from: 0 for degrees and % LOS (level platform, calibrated centre),
    the trial's own mean position when not given for centimetres.
    """
    try:
        t = np.asarray(t_s, dtype=np.float64)
        grid, (gml, gap), rate_hz = uniform(t, ml, ap)
    except (TypeError, ValueError) as exc:
        raise AssessmentInputError(f"the trial cannot be read as one time and two positions per sample ({exc})",
                                   "check the recording") from None
    if grid.size < MIN_SAMPLES:
        raise AssessmentInputError(f"the trial has {grid.size} samples; at least {MIN_SAMPLES} are needed",
                                   "record the whole trial")
    label = filter_label(None)
    if cutoff_hz is not None and can_filter(grid.size, rate_hz, cutoff_hz):
        gml, gap = lowpass(gml, rate_hz, cutoff_hz), lowpass(gap, rate_hz, cutoff_hz)
        label = filter_label(cutoff_hz)
    elif cutoff_hz is not None:
        label = f"not filtered ({rate_hz:.0f} Hz is too slow or the trial too short for a {cutoff_hz:g} Hz low-pass)"
    sway = sway_measures(gml, gap, rate_hz).as_dict()
    values = {name: sway[name] for name in STANCE_SWAY}
    if centre is None:
        centre = (float(gml.mean()), float(gap.mean())) if unit == "cm" else (0.0, 0.0)
    edges = DEGREE_ZONES if unit == "deg" else LOS_ZONES if unit == LOS_UNIT else None
    figures = stability_figures(gml, gap, edges or LOS_ZONES, centre)
    values.update(stability_index=figures.overall_index, stability_index_ap=figures.ap_index,
                  stability_index_ml=figures.ml_index, mean_ml=float(gml.mean()), mean_ap=float(gap.mean()))
    units = _units(unit)
    if edges is not None:
        for name, pct in figures.zones_pct.items():
            values[f"zone_{name}_pct"] = pct
            units[f"zone_{name}_pct"] = "% of time"
    for name, pct in figures.quadrants_pct.items():
        values[f"quadrant_{name}_pct"] = pct
        units[f"quadrant_{name}_pct"] = "% of time"
    return StanceMeasures(unit, rate_hz, grid.size / rate_hz, label, values, units)


def right_load_pct(mean_ml_mm: float, sensor_spacing_ml_mm: float) -> float:
    """% of body weight on the right foot from the mean medio-lateral COP of a four-cell board.

    With load cells ``sensor_spacing_ml_mm`` apart (433 mm on a Wii Balance Board), the COP is
    ``spacing / 2 x (right - left) / total``, so the right share is ``50 + 100 x COP / spacing``.
    """
    if not sensor_spacing_ml_mm > 0:
        raise AssessmentInputError("the sensor spacing must be a positive number of mm")
    return float(np.clip(50.0 + 100.0 * mean_ml_mm / sensor_spacing_ml_mm, 0.0, 100.0))


def mean_sd(values: list[float]) -> tuple[float, float | None]:
    """Mean and sample SD (n - 1) of a condition's trials; SD None for a single trial."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.size == 0:
        raise AssessmentInputError("no trial to summarise")
    return float(arr.mean()), (float(arr.std(ddof=1)) if arr.size > 1 else None)


# --- one assessment: its trials, measured and summarised per condition ------------------------------------------

#: Seconds before a limits-of-stability cue kept as the onset detector's baseline (``los.BASELINE_S``).
LOS_BASELINE_S = 0.5


@dataclass(frozen=True)
class TrialTrace:
    """One stored trial with its trace: % LOS samples always, the device's readings when it has physical units.

    ``los`` is (t_s, x, y) in fractions of the limits of stability, from ``LOS_BASELINE_S`` before
    the trial's start for limits of stability; ``physical`` is (t_s, ml, ap) already in ``unit``.
    """

    number: int
    condition: str
    condition_title: str
    vision: str
    surface: str
    stance: str
    side: str | None
    started_t_s: float
    duration_s: float
    planned_s: float
    outcome: str
    los: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]
    physical: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]] | None = None
    unit: str | None = None
    direction_deg: float | None = None
    target: tuple[float, float] | None = None  # fraction of LOS
    target_radius: float = 0.1  # fraction of LOS


@dataclass(frozen=True)
class Figure:
    """One measure of a condition: mean and SD over its trials, with its unit."""

    name: str
    unit: str
    mean: float
    sd: float | None
    n: int

    def text(self, digits: int = 2) -> str:
        """``1.23 ± 0.04 cm/s`` (no ± for a single trial)."""
        sd = f" ± {self.sd:.{digits}f}" if self.sd is not None else ""
        return f"{self.mean:.{digits}f}{sd} {self.unit}"


@dataclass(frozen=True)
class ConditionResult:
    """A condition's figures over its trials; ``problems`` lists trials that could not be measured, and why."""

    condition: str
    title: str
    vision: str
    surface: str
    stance: str
    side: str | None
    trials: int
    completed: int
    figures: dict[str, Figure]
    filter: str
    problems: list[str] = field(default_factory=list)
    per_direction: dict[float, dict[str, float]] = field(default_factory=dict)


#: Figures shown first for each kind (the rest are in ``figures`` too), by name.
HEADLINES = {
    "quiet_stance": ("mean_velocity", "ellipse_area_95", "rms_ml", "rms_ap", "mean_power_frequency",
                     "stability_index"),
    "single_leg": ("time_held_s", "mean_velocity", "ellipse_area_95", "stability_index"),
    "weight_distribution": ("right_load_pct", "mean_ml", "mean_velocity"),
    "limits_of_stability": ("reaction_time_s", "movement_velocity_per_s", "endpoint_excursion_pct",
                            "max_excursion_pct", "directional_control_pct", "overall_score_pct",
                            "time_to_complete_s", "targets_reached"),
}


def _stance_values(trial: TrialTrace, kind: str, spacing_ml_mm: float | None) -> tuple[dict[str, tuple[float, str]],
                                                                                       str]:
    values: dict[str, tuple[float, str]] = {}
    t, x, y = trial.los
    window = (t >= trial.started_t_s - 1e-6) & (t <= trial.started_t_s + trial.duration_s + 1e-6)
    los = stance_measures(t[window], 100.0 * x[window], 100.0 * y[window], LOS_UNIT)
    label = los.filter
    for name, value in los.values.items():
        values[f"{name}_los"] = (value, los.units[name])
    if trial.physical is not None and trial.unit is not None:
        pt, ml, ap = trial.physical
        phys = stance_measures(pt, ml, ap, trial.unit)
        label = phys.filter
        for name, value in phys.values.items():
            values[name] = (value, phys.units[name])
        if kind == "weight_distribution" and spacing_ml_mm is not None and trial.unit == "cm":
            right = right_load_pct(10.0 * phys.values["mean_ml"], spacing_ml_mm)
            values["right_load_pct"] = (right, "% of body weight")
    if kind == "single_leg":
        values["time_held_s"] = (trial.duration_s, "s")
    return values, label


def _los_values(trial: TrialTrace) -> dict[str, tuple[float, str]]:
    assert trial.target is not None
    t, x, y = trial.los
    window = (t >= trial.started_t_s - LOS_BASELINE_S - 1e-6) & (t <= trial.started_t_s + trial.duration_s + 1e-6)
    tx, px, py = t[window], 100.0 * x[window], 100.0 * y[window]
    target = (100.0 * trial.target[0], 100.0 * trial.target[1])
    cue = max(trial.started_t_s, float(tx[0])) if tx.size else trial.started_t_s
    measures = reach_measures(tx, px, py, cue_t_s=cue, target_xy=target).as_dict()
    units = {"reaction_time_s": "s", "movement_velocity_per_s": "% LOS/s", "endpoint_excursion_pct": "%",
             "max_excursion_pct": "%", "directional_control_pct": "%"}
    values = {name: (value, units[name]) for name, value in measures.items()}
    inside = (np.hypot(px - target[0], py - target[1]) <= 100.0 * trial.target_radius) & (tx >= cue)
    if inside.any():
        values["time_to_target_s"] = (float(tx[int(np.argmax(inside))] - cue), "s")
    return values


def summarise(kind: str, trials: list[TrialTrace], *, spacing_ml_mm: float | None = None) -> list[ConditionResult]:
    """Each condition's figures (mean ± SD over its trials), in the order the conditions were played.

    Only trials with a trace count; a trial that cannot be measured is listed in ``problems``
    with the reason. Limits of stability adds, per condition, the overall score (mean directional
    control over its directions), the time to complete (the sum of the times to reach each target,
    when every target was reached) and the number of targets reached.
    """
    order: list[str] = []
    grouped: dict[str, list[TrialTrace]] = {}
    for trial in trials:
        if trial.condition not in grouped:
            order.append(trial.condition)
        grouped.setdefault(trial.condition, []).append(trial)
    results: list[ConditionResult] = []
    for condition in order:
        group = grouped[condition]
        collected: dict[str, list[float]] = {}
        units: dict[str, str] = {}
        problems: list[str] = []
        per_direction: dict[float, dict[str, float]] = {}
        label = "not measured"
        for trial in group:
            try:
                if kind == "limits_of_stability":
                    values = _los_values(trial)
                    label = "4th-order zero-lag Butterworth low-pass, 10 Hz"
                    if trial.direction_deg is not None:
                        per_direction[trial.direction_deg] = {k: v for k, (v, _) in values.items()}
                else:
                    values, label = _stance_values(trial, kind, spacing_ml_mm)
            except MeasureError as exc:
                problems.append(f"trial {trial.number}: {exc.message}")
                continue
            for name, (value, unit) in values.items():
                collected.setdefault(name, []).append(value)
                units[name] = unit
        figures = {name: Figure(name, units[name], *mean_sd(vals), len(vals)) for name, vals in collected.items()}
        if kind == "limits_of_stability" and "directional_control_pct" in collected:
            overall = collected["directional_control_pct"]
            figures["overall_score_pct"] = Figure("overall_score_pct", "%", *mean_sd(overall), len(overall))
            reached = collected.get("time_to_target_s", [])
            figures["targets_reached"] = Figure("targets_reached", f"of {len(group)}", float(len(reached)), None,
                                                len(group))
            if len(reached) == len(group):
                figures["time_to_complete_s"] = Figure("time_to_complete_s", "s", float(sum(reached)), None,
                                                       len(reached))
        first = group[0]
        results.append(ConditionResult(
            condition, first.condition_title, first.vision, first.surface, first.stance, first.side, len(group),
            sum(1 for t in group if t.outcome == "completed"), figures, label, problems, per_direction))
    return results
