"""The published balance measures of one played session, in % of the player's limits of stability.

Pure: it is handed the session's trace as arrays and its trial rows as plain data (the store
reads both from SQLite, see ``telemetry.store.queries.session_measures``), so a researcher can
score any recording laid out the same way.

Telemetry stores positions as fractions of the limits of stability (LOS); clinicians read %
LOS, so every trace is multiplied by 100 before the measures of ``telemetry.measures`` are
computed (lengths in % LOS, velocities in % LOS/s, areas in % LOS²).

* **Sway** is measured on the balance (``hold``) trials: each trial's trace, from its start
  to its end, gets every sway measure; the session's figure is the mean over its trials
  (the usual way to summarize repeated posturography trials). Each trace is low-pass filtered
  first (4th-order zero-lag Butterworth, 10 Hz, ``filters``): the 120 Hz step samples repeat
  each device reading until the next, and unfiltered their velocity is mostly that staircase
  (issue 13: 209 % LOS/s raw, 81 % LOS/s filtered). Trials too short or motionless for a
  measure are counted as skipped.
* **Reach** trials (``reach``, ``limits_of_stability``) get the five NeuroCom/Biodex
  measures, the cue being the trial's start (the half second before it, when recorded, is the
  baseline of the onset detector); the session's figures are means over trials. Positions
  are low-pass filtered first (4th-order zero-lag Butterworth, 10 Hz: see ``filters``).
  The LOS polygon is, per direction, the largest excursion toward that direction's target
  (maximum excursion x start-to-target distance, in % LOS).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from telemetry.measures.filters import CUTOFF_HZ, can_filter, filter_label, lowpass
from telemetry.measures.los import BASELINE_S, ReachTraceError, reach_measures
from telemetry.measures.sway import MEASURE_NAMES, SwayInputError, sway_measures

SWAY_KINDS = ("hold",)
REACH_KINDS = ("reach", "limits_of_stability")
PCT = 100.0  # fraction of LOS -> % LOS
DEFAULT_RATE_HZ = 120.0

#: Units of the sway measures of a trace in % LOS.
SWAY_UNITS = {
    "path_length": "% LOS", "mean_velocity": "% LOS/s", "mean_velocity_ml": "% LOS/s",
    "mean_velocity_ap": "% LOS/s", "rms_ml": "% LOS", "rms_ap": "% LOS", "rms_radius": "% LOS",
    "mean_distance": "% LOS", "range_ml": "% LOS", "range_ap": "% LOS", "ellipse_area_95": "% LOS²",
    "sway_area_per_second": "% LOS²/s", "mean_frequency": "Hz", "mean_power_frequency": "Hz",
}

#: Units of the reach measures when positions are in % LOS.
REACH_UNITS = {
    "reaction_time_s": "s", "movement_velocity_per_s": "% LOS/s", "endpoint_excursion_pct": "% of target distance",
    "max_excursion_pct": "% of target distance", "directional_control_pct": "%",
}


#: One sway path: the ML and AP coordinates of one balance trial, in % LOS.
SwayPath = tuple[NDArray[np.float64], NDArray[np.float64]]


@dataclass(frozen=True)
class Trace:
    """One session's samples as arrays: time (s) and normalized position (fraction of LOS)."""

    t_s: NDArray[np.float64]
    x: NDArray[np.float64]
    y: NDArray[np.float64]

    def window(self, start_s: float, end_s: float) -> Trace:
        """The samples from ``start_s`` to ``end_s`` inclusive (half a microsecond of slack for rounding)."""
        lo = int(np.searchsorted(self.t_s, start_s - 5e-7, side="left"))
        hi = int(np.searchsorted(self.t_s, end_s + 5e-7, side="right"))
        return Trace(self.t_s[lo:hi], self.x[lo:hi], self.y[lo:hi])


@dataclass(frozen=True)
class SwaySummary:
    """Sway of a session's balance trials: the mean of each measure over the trials it could be computed on."""

    trials_used: int
    trials_skipped: int
    seconds: float
    measures: dict[str, float]
    filter: str = "not filtered"  # how the traces were filtered before measuring (filters.filter_label)


@dataclass(frozen=True)
class ReachTrial:
    """One reach trial's measures (None with ``problem`` when the trace could not be scored)."""

    challenge: int
    trial: int
    kind: str
    outcome: str
    direction_deg: float
    target_distance_pct: float
    measures: dict[str, float] | None
    excursion_pct_los: float | None
    problem: str | None = None


@dataclass(frozen=True)
class SessionMeasures:
    """Everything a report or a FHIR bundle needs to say about one session's movement."""

    session_id: int
    rate_hz: float
    sway: SwaySummary | None
    reach: list[ReachTrial] = field(default_factory=list)
    sway_paths: list[SwayPath] = field(default_factory=list, repr=False)

    def reach_means(self) -> dict[str, float]:
        """Each reach measure's mean over the scored trials (empty without any)."""
        scored = [t.measures for t in self.reach if t.measures]
        if not scored:
            return {}
        return {name: float(np.mean([m[name] for m in scored])) for name in REACH_UNITS}

    def los_polygon(self) -> dict[float, float]:
        """Per direction (degrees counter-clockwise from right), the largest excursion in % LOS."""
        polygon: dict[float, float] = {}
        for trial in self.reach:
            if trial.excursion_pct_los is None:
                continue
            key = float(trial.direction_deg) % 360.0
            polygon[key] = max(polygon.get(key, -math.inf), trial.excursion_pct_los)
        return dict(sorted(polygon.items()))


def _sway(
    trace: Trace, trials: Sequence[Mapping[str, Any]], rate_hz: float
) -> tuple[SwaySummary | None, list[SwayPath]]:
    rows: list[dict[str, float]] = []
    paths: list[SwayPath] = []
    label = filter_label(None)
    skipped = 0
    seconds = 0.0
    for trial in trials:
        if trial["kind"] not in SWAY_KINDS or trial["started_t_s"] is None or trial["duration_s"] is None:
            continue
        part = trace.window(trial["started_t_s"], trial["started_t_s"] + trial["duration_s"])
        x, y = part.x * PCT, part.y * PCT
        if can_filter(x.size, rate_hz):  # the step samples hold each reading until the next: filter first
            x, y = lowpass(x, rate_hz), lowpass(y, rate_hz)
            label = filter_label(CUTOFF_HZ)
        if x.size:
            paths.append((x, y))
        try:
            rows.append(sway_measures(x, y, rate_hz).as_dict())
        except SwayInputError:
            skipped += 1
            continue
        seconds += x.size / rate_hz
    if not rows and not skipped:
        return None, paths
    measures = {name: float(np.mean([r[name] for r in rows])) for name in MEASURE_NAMES} if rows else {}
    return SwaySummary(len(rows), skipped, seconds, measures, label), paths


def _reach(trace: Trace, trials: Sequence[Mapping[str, Any]]) -> list[ReachTrial]:
    result: list[ReachTrial] = []
    for trial in trials:
        start = trial["start"]
        if trial["kind"] not in REACH_KINDS or "target_x" not in start or "target_y" not in start:
            continue
        try:
            target = (float(start["target_x"]) * PCT, float(start["target_y"]) * PCT)
            direction = float(start.get("direction_deg", math.degrees(math.atan2(target[1], target[0]))))
        except (TypeError, ValueError):
            continue
        # From BASELINE_S before the cue: the sway there sets the onset threshold (see los.py).
        part = trace.window(trial["started_t_s"] - BASELINE_S, trial["started_t_s"] + (trial["duration_s"] or 0.0))
        base = dict(challenge=trial["challenge"], trial=trial["trial"], kind=trial["kind"], outcome=trial["outcome"],
                    direction_deg=direction, target_distance_pct=float(np.hypot(*target)))
        if part.t_s.size < 2:
            result.append(ReachTrial(**base, measures=None, excursion_pct_los=None, problem="no samples recorded"))
            continue
        x, y = part.x * PCT, part.y * PCT
        cue = max(float(trial["started_t_s"]), float(part.t_s[0]))
        try:
            measures = reach_measures(part.t_s, x, y, cue_t_s=cue, target_xy=target).as_dict()
        except ReachTraceError as exc:
            result.append(ReachTrial(**base, measures=None, excursion_pct_los=None, problem=exc.message))
            continue
        start_xy = np.array([np.interp(cue, part.t_s, x), np.interp(cue, part.t_s, y)])
        reach_distance = float(np.hypot(*(np.array(target) - start_xy)))
        excursion = measures["max_excursion_pct"] / 100.0 * reach_distance
        result.append(ReachTrial(**base, measures=measures, excursion_pct_los=excursion))
    return result


def measure_session(
    session_id: int, trace: Trace, trials: Sequence[Mapping[str, Any]], rate_hz: float = DEFAULT_RATE_HZ
) -> SessionMeasures:
    """Sway of the balance trials and measures of the reach trials of one session, from plain data.

    ``trials`` are the session's trial rows in the order played, each a mapping with ``kind``,
    ``challenge``, ``trial``, ``outcome``, ``started_t_s``, ``duration_s`` and ``start`` (the
    ``trial_start`` event's data: ``target_x``, ``target_y`` and optionally ``direction_deg``).
    """
    sway, paths = _sway(trace, trials, rate_hz)
    return SessionMeasures(session_id, rate_hz, sway, _reach(trace, trials), paths)
