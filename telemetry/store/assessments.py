"""Assessments in the store: the assessment row and its trials written, and the results read back and measured.

An assessment is a session (its samples and readings are recorded like a level's) plus one row
in ``assessments`` and one per trial in ``assessment_trials`` (schema m009). The few rows are
written on the main connection with the same retries as a level's closing row; the measures are
computed from the stored traces by ``telemetry.measures.assessment`` whenever results are asked
for, so a later, better measure applies to old assessments too.
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlite_utils import Database

from telemetry.measures.assessment import ConditionResult, TrialTrace, physical_unit, summarise
from telemetry.measures.reference import (
    CHILD_NOTE,
    REFERENCE_TRIAL_S,
    SWAY_NAMES,
    ReferenceError,
    ReferenceRow,
    reference,
)
from telemetry.store.transactions import retry_write

#: Four-cell boards whose cell spacing gives the weight on each foot (``device_kind`` -> ML spacing, mm).
BOARD_SPACING_ML_MM = {"balance-board": 433.0}


def save_assessment(db: Database, path: Path, row: dict[str, Any]) -> None:
    """The ``assessments`` row of a session that has just begun (retried through a passing fault)."""
    retry_write(db, path, lambda d: d.table("assessments").insert(row), what="the assessment's row")


def save_trial(db: Database, path: Path, row: dict[str, Any]) -> None:
    """One ``assessment_trials`` row, written as the trial ends (retried through a passing fault)."""
    retry_write(db, path, lambda d: d.table("assessment_trials").insert(row, replace=True), what="the trial's row")


@dataclass(frozen=True)
class ReferenceComparison:
    """A figure beside the reference band of the player's age band and condition."""

    measure: str
    value: float
    row: ReferenceRow
    note: str | None = None  # e.g. the trial length differs from the reference's

    @property
    def band(self) -> str:
        return self.row.band(self.value)


@dataclass
class AssessmentResult:
    """One stored assessment, measured: per condition, mean ± SD; beside the reference when it applies."""

    session_id: int
    player_id: str
    protocol: str
    title: str
    kind: str
    started_at: str
    status: str
    age_band: str | None
    raw_unit: str | None
    physical_unit: str | None
    conditions: list[ConditionResult]
    references: dict[str, list[ReferenceComparison]] = field(default_factory=dict)  # per condition
    reference_note: str | None = None
    #: Trials set aside and played again (``trial_interrupted`` events: the question "End the assessment now?"
    #: was asked during them), by trial number, in the order it happened; none of them is measured.
    interrupted: list[int] = field(default_factory=list)


def _interrupted(db: Database, session_id: int) -> list[int]:
    """The trial numbers of the session's ``trial_interrupted`` events (a damaged event row is passed over)."""
    numbers: list[int] = []
    for (data,) in db.execute("select data from events where session_id = ? and kind = 'trial_interrupted' "
                              "order by t_s", [session_id]).fetchall():
        try:
            trial = json.loads(data).get("trial")
        except (TypeError, ValueError, AttributeError):
            continue
        if isinstance(trial, int) and not isinstance(trial, bool):
            numbers.append(trial)
    return numbers


def _trace(db: Database, session_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rows = db.execute("select t_s, x, y, device_t_s from samples where session_id = ? order by step",
                      [session_id]).fetchall()
    arr = np.array(rows, dtype=np.float64).reshape(-1, 4) if rows else np.zeros((0, 4))
    return arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3]


def _readings(db: Database, session_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not db.table("readings").exists():
        return np.zeros(0), np.zeros(0), np.zeros(0)
    rows = db.execute("select device_t_s, raw_x, raw_y from readings where session_id = ? order by seq",
                      [session_id]).fetchall()
    arr = np.array(rows, dtype=np.float64).reshape(-1, 3) if rows else np.zeros((0, 3))
    return arr[:, 0], arr[:, 1], arr[:, 2]


def _finite(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def _zero(db: Database, session_id: int) -> tuple[float, float]:
    """The raw reading of the level board (the calibration's zero) the session used; (0, 0) without one."""
    try:
        row = db.execute("select c.zero_x, c.zero_y from sessions s join calibrations c on c.id = s.calibration_id"
                         " where s.id = ?", [session_id]).fetchone()
    except sqlite3.DatabaseError:
        return (0.0, 0.0)
    if row is None or _finite(row[0]) is None or _finite(row[1]) is None:
        return (0.0, 0.0)
    return (float(row[0]), float(row[1]))


def _trial_traces(db: Database, session_id: int, raw_unit: str | None) -> list[TrialTrace]:
    t, x, y, device_t = _trace(db, session_id)
    zero_x, zero_y = _zero(db, session_id) if raw_unit == "deg" else (0.0, 0.0)  # tilt from level, not the sensor
    rt, rx, ry = _readings(db, session_id)
    unit = physical_unit(raw_unit)
    keep = np.isfinite(t) & np.isfinite(x) & np.isfinite(y)
    t, x, y, device_t = t[keep], x[keep], y[keep], device_t[keep]
    traces: list[TrialTrace] = []
    for row in db.query("select * from assessment_trials where session_id = ? order by trial", [session_id]):
        start, duration = float(row["started_t_s"]), float(row["duration_s"])
        physical = None
        if unit is not None and rt.size >= 2 and t.size >= 2 and np.all(np.isfinite(device_t)):
            # The trial's window on the device's clock: the device times of the samples at its two ends.
            lo, hi = np.interp([start, start + duration], t, device_t)
            inside = (rt >= lo) & (rt <= hi)
            if inside.sum() >= 2:
                scale = unit[1]
                physical = (rt[inside], (rx[inside] - zero_x) * scale, (ry[inside] - zero_y) * scale)
        target = None
        if row.get("target_x") is not None and row.get("target_y") is not None:
            target = (float(row["target_x"]), float(row["target_y"]))
        traces.append(TrialTrace(
            number=int(row["trial"]), condition=row["condition"], condition_title=row["condition_title"] or "",
            vision=row["vision"] or "open", surface=row["surface"] or "firm", stance=row["stance"] or "both",
            side=row["side"], started_t_s=start, duration_s=duration, planned_s=float(row["planned_s"] or duration),
            outcome=row["outcome"], los=(t, x, y), physical=physical,
            unit=unit[0] if physical is not None and unit is not None else None,
            direction_deg=_finite(row.get("direction_deg")), target=target,
            target_radius=_finite(row.get("target_radius")) or 0.1,
        ))
    return traces


def _references(result: AssessmentResult, planned_s: float) -> None:
    if result.kind not in ("quiet_stance", "weight_distribution"):
        return
    if result.physical_unit != "cm":
        given = ("tilt in degrees (results in degrees and in % of the limits of stability)"
                 if result.physical_unit == "deg" else
                 "no readings in physical units (results in % of the limits of stability only)")
        result.reference_note = ("no reference values: they are centre-of-pressure measures in cm; this device gave "
                                 + given)
        return
    if result.age_band is None:
        result.reference_note = ("no reference values: give the player's age (--age, or proprio players set ID --age)"
                                 " to compare with their age band")
        return
    if result.age_band == "child":
        result.reference_note = CHILD_NOTE
        return
    note = None
    if abs(planned_s - REFERENCE_TRIAL_S) > 1.0:
        note = (f"trials of {planned_s:g} s against the reference's 60 s: the ellipse area grows with trial length,"
                " so compare velocity and frequency first")
    for condition in result.conditions:
        if condition.stance != "both":
            continue
        comparisons: list[ReferenceComparison] = []
        for ref_name, ours in SWAY_NAMES.items():
            figure = condition.figures.get(ours)
            if figure is None:
                continue
            try:
                row = reference(result.age_band, condition.vision, condition.surface, ref_name)
            except ReferenceError:
                continue
            comparisons.append(ReferenceComparison(ours, figure.mean, row,
                                                   note if ours == "ellipse_area_95" else None))
        result.references[condition.condition] = comparisons


def assessment_result(db: Database, session_id: int) -> AssessmentResult:
    """One stored assessment, measured from its traces."""
    info = db.execute(
        "select a.player_id, a.protocol, a.protocol_title, a.protocol_kind, a.age_band, a.raw_unit, a.device_kind,"
        " s.started_at, s.status from assessments a join sessions s on s.id = a.session_id where a.session_id = ?",
        [session_id]).fetchone()
    if info is None:
        raise KeyError(session_id)
    player, protocol, title, kind, age, raw_unit, device_kind, started_at, status = info
    planned = db.execute("select max(planned_s) from assessment_trials where session_id = ?", [session_id]).fetchone()
    planned_s = float(planned[0]) if planned and planned[0] is not None else 0.0
    traces = _trial_traces(db, session_id, raw_unit)
    measured = any(trace.physical is not None for trace in traces)
    unit = physical_unit(raw_unit) if measured else None
    conditions = summarise(kind, traces, spacing_ml_mm=BOARD_SPACING_ML_MM.get(device_kind or ""))
    result = AssessmentResult(session_id, player, protocol, title or protocol, kind, started_at or "", status or "",
                              age, raw_unit, unit[0] if unit else None, conditions,
                              interrupted=_interrupted(db, session_id))
    _references(result, planned_s)
    return result


def player_assessments(db: Database, player_id: str | None = None, protocol: str | None = None) -> list[int]:
    """Session ids of stored assessments (oldest first), of one player and/or one protocol."""
    if not db.table("assessments").exists():
        return []
    where, args = [], []
    if player_id is not None:
        where.append("a.player_id = ?")
        args.append(player_id)
    if protocol is not None:
        where.append("a.protocol = ?")
        args.append(protocol)
    sql = ("select a.session_id from assessments a join sessions s on s.id = a.session_id"
           + (" where " + " and ".join(where) if where else "") + " order by s.started_at, a.session_id")
    return [int(row[0]) for row in db.execute(sql, args).fetchall()]


@dataclass(frozen=True)
class Change:
    """A figure's change between two assessments of the same protocol and condition, against its MDC."""

    condition: str
    measure: str
    before: float
    after: float
    mdc: float | None  # None: no MDC known for this figure (no physical unit, or not in the reference)

    @property
    def exceeds(self) -> bool | None:
        return None if self.mdc is None else abs(self.after - self.before) > self.mdc


def changes(before: AssessmentResult, after: AssessmentResult) -> list[Change]:
    """Per condition and headline figure, the change from ``before`` to ``after``, with the MDC95 where known.

    The MDC is the Balance Data Set's (within-session test-retest, mean of as many trials as
    were measured) for centre-of-pressure measures in cm; other figures have none yet and say so.
    """
    found: list[Change] = []
    old = {c.condition: c for c in before.conditions}
    for condition in after.conditions:
        previous = old.get(condition.condition)
        if previous is None:
            continue
        refs = {c.measure: c.row for c in after.references.get(condition.condition, [])}
        for name, figure in condition.figures.items():
            prior = previous.figures.get(name)
            if prior is None:
                continue
            row = refs.get(name)
            mdc = row.mdc(min(figure.n, prior.n)) if row is not None and before.physical_unit == "cm" else None
            found.append(Change(condition.condition, name, prior.mean, figure.mean, mdc))
    return found
