"""What a progress report says about one player, gathered from the database (no drawing here)."""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from game.errors import ProprioError
from telemetry.measures.adherence import Adherence
from telemetry.measures.session import SessionMeasures
from telemetry.measures.sway import SwayInputError, sway_measures
from telemetry.store.clinic import checkins, current_plan, events, player_adherence, safety_events, scales
from telemetry.store.players import identity, require_player
from telemetry.store.queries import list_sessions, session_measures
from telemetry.store.sessions import utc_now

#: The ``level`` of a fixed assessment's session (game/assess) starts with this.
ASSESSMENT_PREFIX = "assessment:"

#: Sway measures the report shows (name, label, unit, decimals); all are in the SessionMeasures.
SWAY_SHOWN = (
    ("mean_velocity", "Sway mean velocity", "% LOS/s", 1),
    ("rms_radius", "Sway RMS distance", "% LOS", 1),
    ("ellipse_area_95", "95 % ellipse area", "% LOS²", 0),
    ("mean_power_frequency", "Mean power frequency", "Hz", 2),
)

#: Reach figures the report shows (key, label, unit, decimals); see ``SessionReport.reach_figures``.
REACH_SHOWN = (
    ("mean_excursion_pct_los", "Reach excursion (mean over directions)", "% LOS", 0),
    ("directional_control_pct", "Directional control", "%", 0),
    ("reaction_time_s", "Reaction time", "s", 2),
    ("movement_velocity_per_s", "Movement velocity", "% LOS/s", 0),
)

#: What each device kind is called in the report (the part of the device name before ":", joined up).
DEVICE_KIND_NAMES = {
    "sim": "simulated player", "imu": "wobble-board IMU", "balance-board": "balance board",
    "gamepad": "gamepad", "keyboard": "keyboard/mouse", "lsl": "LSL stream", "replay": "replay of a recording",
}
_KIND_OF_PREFIX = {"imu-udp": "imu", "imu-serial": "imu", "serial": "imu", "udp": "imu"}

DIRECTION_NAMES = {
    0: "right", 45: "forward-right", 90: "forward", 135: "forward-left",
    180: "left", 225: "back-left", 270: "back", 315: "back-right",
}


#: Sway measures shown in physical units (name, label, unit suffix after the length unit, decimals).
PHYSICAL_SHOWN = (
    ("mean_velocity", "Sway mean velocity", "/s", 2),
    ("ellipse_area_95", "95 % ellipse area", "²", 1),
)
#: How many of a wobble board's first sessions make the player's own baseline.
BASELINE_SESSIONS = 3

#: Clinical tests: which way is better and the axis range of their plot (the test's whole range when it has one).
SCALE_READINGS: dict[str, tuple[str | None, tuple[float, float] | None]] = {
    "tug_s": ("lower", None), "mini_bestest": ("higher", (0.0, 28.0)), "berg": ("higher", (0.0, 56.0)),
    "fes_i": ("lower", (16.0, 64.0)),
}


#: Group (level, device) of a line on the trend panels.
Group = tuple[str, tuple[str, str]]


class ReportError(ProprioError):
    """A report that cannot be made (no sessions, an output path that cannot be written)."""


def device_kind(device: str | None, calibration: dict[str, Any] | None = None) -> str:
    """The kind of device a session used: "sim", "imu", "balance-board", "lsl:STREAM", ...

    A stored calibration names its kind; otherwise the device name's prefix does
    ("imu-udp:10.0.0.5:9000" is an "imu"). An LSL stream keeps its stream name (a force plate
    and an IMU may both stream over LSL), never the host it came from.
    """
    name = str(device or "?")
    prefix, _, rest = name.partition(":")
    if prefix == "lsl":
        return "lsl:" + rest.partition(":")[0] if rest else "lsl"
    if calibration and not calibration.get("missing") and calibration.get("device_kind"):
        return str(calibration["device_kind"])
    return _KIND_OF_PREFIX.get(prefix, prefix)


def device_label(kind: str, unit: str) -> str:
    """e.g. "simulated player, raw deg"; what the report calls a device group."""
    base, _, stream = kind.partition(":")
    name = DEVICE_KIND_NAMES.get(base, base)
    if stream:
        name += f" {stream}"
    return f"{name}, raw {unit}"


@dataclass(frozen=True)
class PhysicalSway:
    """Sway of a session's balance trials in the device's physical unit (cm of COP, degrees of tilt).

    Computed like an assessment's (``telemetry.measures.assessment.stance_measures``: the trial's raw
    readings resampled to a uniform grid and low-pass filtered), one value per trial.
    """

    unit: str  # "cm" or "deg"
    trials: dict[str, list[float]]  # measure name -> one value per measured balance trial
    trial_s: float  # mean length of a measured trial, seconds
    native: bool  # True: the device's own readings (table readings); False: the 120 Hz step samples

    def mean(self, name: str) -> float | None:
        """The session's figure: the mean over its trials (None when no trial gave it)."""
        values = self.trials.get(name) or []
        return sum(values) / len(values) if values else None

    @property
    def count(self) -> int:
        """How many balance trials were measured."""
        return max((len(v) for v in self.trials.values()), default=0)


@dataclass
class SessionReport:
    """One session: its row of key figures, its measures, and the calibration it used.

    ``number`` is the session's id in the database: the number ``proprio sessions``, every export
    and the FHIR bundle show for it (not a count that would differ from them).
    """

    number: int
    row: dict[str, Any]
    measures: SessionMeasures
    calibration: dict[str, Any] | None
    raw_unit: str = "?"  # the unit of the device's raw readings: "deg", "mm", "stick" ("?" unknown)
    physical: PhysicalSway | None = None  # sway of the balance trials in cm or degrees, when the device gives them

    @property
    def kind(self) -> str:
        """The device kind (see ``device_kind``)."""
        return device_kind(self.row.get("device"), self.calibration)

    @property
    def group(self) -> tuple[str, str]:
        """(device kind, raw unit): only sessions of the same group are compared with each other."""
        return self.kind, self.raw_unit

    @property
    def group_label(self) -> str:
        """The device group in words."""
        return device_label(*self.group)

    def sway_trial_values(self, name: str) -> list[float]:
        """One sway measure per balance trial (to tell a real change from trial-to-trial noise)."""
        cache: dict[str, list[float]] | None = self.__dict__.get("_sway_trials")
        if cache is None:
            cache = {}
            for x, y in self.measures.sway_paths:
                try:
                    values = sway_measures(x, y, self.measures.rate_hz).as_dict()
                except SwayInputError:
                    continue
                for key, value in values.items():
                    cache.setdefault(key, []).append(float(value))
            self.__dict__["_sway_trials"] = cache
        return list(cache.get(name, []))

    def reach_trial_values(self, key: str) -> list[float]:
        """One reach figure per scored reach trial ("mean_excursion_pct_los": the excursion in % LOS)."""
        if key == "mean_excursion_pct_los":
            return [t.excursion_pct_los for t in self.measures.reach if t.excursion_pct_los is not None]
        return [float(t.measures[key]) for t in self.measures.reach if t.measures and key in t.measures]

    @property
    def started_local(self) -> datetime | None:
        """The start time in the computer's local time zone."""
        try:
            return datetime.fromisoformat(self.row["started_at"]).astimezone()
        except (TypeError, ValueError):
            return None

    def date_label(self) -> str:
        """e.g. 2026-05-09 14:03 (local time)."""
        local = self.started_local
        return local.strftime("%Y-%m-%d %H:%M") if local else "?"

    def sway_figures(self) -> dict[str, float]:
        """The shown sway measures (empty when the session had no balance trial)."""
        sway = self.measures.sway
        return {name: sway.measures[name] for name, *_ in SWAY_SHOWN} if sway and sway.measures else {}

    def reach_figures(self) -> dict[str, float]:
        """Mean reach measures plus the mean excursion over directions (empty without reach trials)."""
        means = self.measures.reach_means()
        if not means:
            return {}
        polygon = self.measures.los_polygon()
        figures = {k: means[k] for k in ("directional_control_pct", "reaction_time_s", "movement_velocity_per_s")}
        figures["mean_excursion_pct_los"] = sum(polygon.values()) / len(polygon)
        return figures

    def is_balance(self) -> bool:
        """True when sway could be measured (the session had scored balance trials)."""
        return bool(self.sway_figures())

    def is_reach(self) -> bool:
        """True when the session had scored reach trials."""
        return bool(self.reach_figures())


@dataclass
class PlayerReport:
    """Everything the report shows, for the HTML and the PDF renderers alike."""

    player_id: str
    generated_at: str
    db_name: str
    sessions: list[SessionReport]
    display_name: str | None = None
    notes: str | None = None
    levels: list[str] = field(default_factory=list)
    plan: dict[str, Any] | None = None  # the prescription in effect (telemetry.store.clinic)
    adherence: Adherence | None = None
    checkins: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    safety: list[dict[str, Any]] = field(default_factory=list)  # sessions ended as device_lost or aborted
    scales: list[dict[str, Any]] = field(default_factory=list)
    include_names: bool = False
    age_band: str | None = None  # "child", "young" or "older": stored for the player, else from the latest assessment
    age_source: str = ""  # where age_band came from, in words

    def by_level(self, level: str) -> list[SessionReport]:
        """The sessions of one level, oldest first."""
        return [s for s in self.sessions if s.row["level"] == level]

    def groups(self) -> list[tuple[str, tuple[str, str]]]:
        """Every (level, device group) played, in order of first appearance: the lines of the trends."""
        return list(dict.fromkeys((s.row["level"], s.group) for s in self.sessions))

    def by_group(self, level: str, group: tuple[str, str]) -> list[SessionReport]:
        """The sessions of one level played with one device group, oldest first."""
        return [s for s in self.sessions if s.row["level"] == level and s.group == group]

    def level_title(self, level: str) -> str:
        """The level's title as stored with its first session (its name when none)."""
        sessions = self.by_level(level)
        return str(sessions[0].row.get("level_title") or level) if sessions else level

    def first_and_latest(self, level: str, group: tuple[str, str] | None = None
                         ) -> tuple[SessionReport, SessionReport] | None:
        """The first and the latest session with finished trials of a level (and device group; default: the
        group of the level's latest such session), None without any: sessions of different devices are
        never paired."""
        played = [s for s in self.by_level(level) if (s.row.get("trials") or 0) > 0]
        if not played:
            return None
        group = group or played[-1].group
        played = [s for s in played if s.group == group]
        return (played[0], played[-1]) if played else None

    def balance_sessions(self) -> list[SessionReport]:
        """Sessions with sway measures, oldest first."""
        return [s for s in self.sessions if s.is_balance()]

    def reach_sessions(self) -> list[SessionReport]:
        """Sessions with reach measures, oldest first."""
        return [s for s in self.sessions if s.is_reach()]


def calibration_summary(db: Database, calibration_id: int | None) -> dict[str, Any] | None:
    """A calibration row with its reach per direction (raw units from the centre), or None."""
    if calibration_id is None or not db.table("calibrations").exists():
        return None
    rows = list(db.query("select * from calibrations where id = ?", [calibration_id]))
    if not rows:
        return {"id": calibration_id, "missing": True}
    row = rows[0]
    reach: dict[int, float] = {}
    try:
        points = json.loads(row.get("los") or "{}")
        cx, cy = float(row.get("centre_x") or 0.0), float(row.get("centre_y") or 0.0)
        for key, point in points.items():
            reach[int(float(key))] = math.hypot(float(point[0]) - cx, float(point[1]) - cy)
    except (TypeError, ValueError, IndexError, AttributeError):
        reach = {}
    row["reach"] = dict(sorted(reach.items()))
    return row


def session_raw_unit(db: Database, row: dict[str, Any]) -> str:
    """The unit of a session's raw readings (from its first sample that has one, else its calibration)."""
    try:
        found = db.execute("select raw_unit from samples where session_id = ? and raw_unit is not null "
                           "and raw_unit != '' limit 1", [row["id"]]).fetchone()
    except sqlite3.DatabaseError:
        found = None
    if found and found[0]:
        return str(found[0])
    calibration = calibration_summary(db, row.get("calibration_id"))
    if calibration and calibration.get("raw_unit"):
        return str(calibration["raw_unit"])
    return "?"


def physical_sway(db: Database, session: SessionReport) -> PhysicalSway | None:
    """Sway of the session's balance trials in cm (balance board, force plate) or degrees (wobble board), or None.

    Read from the device's own readings (``readings``, on the device's clock) when the session stored
    them, else from the raw value held at each 120 Hz step; trials too short to measure are skipped.
    """
    from telemetry.measures.assessment import physical_unit
    from telemetry.measures.filters import can_filter, lowpass, uniform
    from telemetry.measures.sway import MIN_SAMPLES, ellipse_area_95, mean_velocity

    unit = physical_unit(session.raw_unit)
    if unit is None or not session.is_balance():
        return None
    name, scale = unit
    import numpy as np

    try:
        trials = [(float(t), float(d)) for t, d in db.execute(
            "select started_t_s, duration_s from trials where session_id = ? and kind = 'hold' and "
            "started_t_s is not null and duration_s > 0 order by started_t_s", [session.number])]
        rows = db.execute("select t_s, raw_x, raw_y, device_t_s from samples where session_id = ? and "
                          "raw_x is not null and raw_y is not null order by step", [session.number]).fetchall()
        readings = (db.execute("select device_t_s, raw_x, raw_y from readings where session_id = ? order by seq",
                               [session.number]).fetchall() if db.table("readings").exists() else [])
    except sqlite3.DatabaseError:
        return None
    steps = np.array(rows, dtype=np.float64).reshape(-1, 4)  # a missing device time (None) becomes NaN
    native = np.array(readings, dtype=np.float64).reshape(-1, 3)
    use_native = native.shape[0] >= 2 and steps.shape[0] >= 2 and bool(np.all(np.isfinite(steps[:, 3])))
    values: dict[str, list[float]] = {}
    lengths: list[float] = []
    for start, duration in trials:
        if use_native:
            lo, hi = np.interp([start, start + duration], steps[:, 0], steps[:, 3])
            part = native[(native[:, 0] >= lo) & (native[:, 0] <= hi)]
        else:
            part = steps[(steps[:, 0] >= start) & (steps[:, 0] <= start + duration), :3]
        # As an assessment's stance_measures does (the same grid and filter), for the two measures shown only.
        try:
            grid, (ml, ap), rate_hz = uniform(part[:, 0], part[:, 1] * scale, part[:, 2] * scale)
            if grid.size < MIN_SAMPLES:
                continue
            if can_filter(grid.size, rate_hz):
                ml, ap = lowpass(ml, rate_hz), lowpass(ap, rate_hz)
            measured = {"mean_velocity": mean_velocity(ml, ap, rate_hz),
                        "ellipse_area_95": ellipse_area_95(ml, ap, rate_hz)}
        except ValueError:  # a MeasureError (too short, not finite, time not increasing) or a malformed trace
            continue
        lengths.append(grid.size / rate_hz)
        for key, *_ in PHYSICAL_SHOWN:
            if math.isfinite(measured[key]):
                values.setdefault(key, []).append(float(measured[key]))
    if not values:
        return None
    return PhysicalSway(name, values, sum(lengths) / len(lengths), use_native)


def player_age_band(db: Database, player_id: str) -> tuple[str | None, str]:
    """The player's reference age band, and where it came from: the band stored for the player (``proprio players
    set --age``: the clinician's word on the player now), else that of the latest assessment given an age
    (``proprio assess run --age``). Only the band is ever stored, never the age.
    """
    from telemetry.store.players import stored_age_band

    stored = stored_age_band(db, player_id)
    if stored is not None:
        return stored, "the age band stored for the player (proprio players set --age)"
    try:
        if not db.table("assessments").exists():
            return None, ""
        found = db.execute(
            "select a.age_band, a.session_id, s.started_at from assessments a join sessions s on s.id = a.session_id "
            "where a.player_id = ? and a.age_band in ('child', 'young', 'older') "
            "order by s.started_at desc, a.session_id desc limit 1", [player_id]).fetchone()
    except sqlite3.DatabaseError:
        return None, ""
    if found is None:
        return None, ""
    return str(found[0]), f"the age given with assessment #{found[1]} ({str(found[2] or '')[:10]})"


def build_player_report(db: Database, player_id: str, *, db_path: Path | None = None,
                        include_names: bool = False, today: date | None = None) -> PlayerReport:
    """Gather one player's sessions, measures and calibrations for a report."""
    require_player(db, player_id)
    every = list_sessions(db, player_id)
    # Fixed assessments (game/assess) are not training: their results are read with `proprio assess results`.
    rows = [row for row in every if not str(row.get("level") or "").startswith(ASSESSMENT_PREFIX)]
    if not rows:
        if every:
            raise ReportError(f"player {player_id!r} has only assessments in this database, no training sessions",
                              remedy="Read them with: proprio assess results --player " + player_id)
        raise ReportError(f"player {player_id!r} has no sessions in this database yet",
                          remedy="Play a session first: proprio play --player " + player_id)
    sessions = [
        SessionReport(int(row["id"]), row, session_measures(db, row["id"]),
                      calibration_summary(db, row.get("calibration_id")), session_raw_unit(db, row))
        for row in rows
    ]
    for session in sessions:
        session.physical = physical_sway(db, session)
    report = PlayerReport(player_id, utc_now(), Path(db_path).name if db_path else "", sessions)
    report.levels = list(dict.fromkeys(s.row["level"] for s in sessions))
    report.include_names = include_names
    report.age_band, report.age_source = player_age_band(db, player_id)
    try:
        report.plan = current_plan(db, player_id)
        report.adherence = player_adherence(db, player_id, today or date.today())
        report.checkins, report.events = checkins(db, player_id), events(db, player_id)
        report.safety = safety_events(db, player_id)
        report.scales = scales(db, player_id)
    except sqlite3.DatabaseError:  # a damaged file: the report says what the sessions say
        pass
    if include_names:
        who = identity(db, player_id) or {}
        report.display_name, report.notes = who.get("display_name"), who.get("notes")
    return report


@dataclass(frozen=True)
class Band:
    """What a physical sway measure is compared with: the reference group's 5th-95th percentile (cm) or the
    player's own baseline (degrees), with the change that counts as real."""

    low: float
    high: float
    label: str  # e.g. "reference: young adults (18-59), eyes open, firm, 5th-95th percentile"
    kind: str  # "reference" or "own baseline"
    mdc: float | None  # the change that is more than measurement noise (None: none known)
    mdc_label: str = ""
    centre: float | None = None  # an own baseline's mean: changes are measured from it (else from the first session)

    def place(self, value: float) -> str:
        """Where a value sits against the band, in words."""
        if value < self.low:
            return f"below the {self.kind} band"
        if value > self.high:
            return f"above the {self.kind} band"
        return f"within the {self.kind} band"


@dataclass
class PhysicalGroup:
    """The sessions of one level and device group whose sway was measured in cm or degrees, with their bands."""

    level: str
    group: tuple[str, str]
    unit: str
    sessions: list[SessionReport]
    bands: dict[str, Band]  # measure name -> band (missing: none)
    why_no_band: str = ""  # said when there is no band
    notes: list[str] = field(default_factory=list)

    def unit_of(self, name: str) -> str:
        """e.g. "cm/s", "cm²", "deg/s"."""
        suffix = next(s for n, _, s, _ in PHYSICAL_SHOWN if n == name)
        return f"{self.unit}{suffix}"


def _reference_bands(report: PlayerReport, sessions: list[SessionReport]) -> tuple[dict[str, Band], str, list[str]]:
    from telemetry.measures.reference import REFERENCE_TRIAL_S, SWAY_NAMES, ReferenceError, reference

    if report.age_band is None:
        return {}, ("no reference: age unknown (the reference values are by age group; store the player's age "
                    "band: proprio players set ID --age YEARS)"), []
    ages = "60 and over" if report.age_band == "older" else "18-59"
    trials = min((s.physical.count for s in sessions if s.physical is not None), default=1)
    bands: dict[str, Band] = {}
    for table_name, ours in SWAY_NAMES.items():
        if ours not in {n for n, *_ in PHYSICAL_SHOWN}:
            continue
        try:
            row = reference(report.age_band, "open", "firm", table_name)
        except ReferenceError:
            continue
        bands[ours] = Band(row.p5, row.p95, f"reference: {report.age_band} adults ({ages}), eyes open, firm, "
                                            f"5th-95th percentile of {row.n_trials} trials by {row.n_subjects} "
                                            "people", "reference",
                           row.mdc(trials), f"MDC95 of a mean of {trials} trial{'s' if trials != 1 else ''}")
    notes = [f"Age group from {report.age_source}.",
             "The reference is healthy adults standing still for 60 s with eyes open on a firm force plate "
             "(Balance Data Set, Santos & Duarte 2016, CC BY 4.0). Training trials are eyes open on a firm surface "
             "but the game's wind pushes the player, so a session above the band may reflect the game as much as "
             "the player."]
    lengths = [s.physical.trial_s for s in sessions if s.physical is not None]
    if lengths and abs(sum(lengths) / len(lengths) - REFERENCE_TRIAL_S) > 0.05 * REFERENCE_TRIAL_S:
        notes.append(f"Balance trials here last {sum(lengths) / len(lengths):.0f} s against the reference's 60 s: "
                     "the ellipse area grows with trial length, so read the velocity first.")
    return bands, "", notes


def _baseline_bands(sessions: list[SessionReport], why_own: str = "") -> tuple[dict[str, Band], str, list[str]]:
    """The player's own baseline: for tilt in degrees (no published reference), or a child's sway in cm
    (``why_own`` says so: the reference subjects are adults)."""
    baseline = [s for s in sessions if s.physical is not None][:BASELINE_SESSIONS]
    numbers = ", ".join(f"#{s.number}" for s in baseline)
    if len(baseline) < 2:
        return {}, (f"no own baseline yet: it is the mean ± 2 SD of the first {BASELINE_SESSIONS} sessions with this "
                    "device, and needs at least 2"), []
    bands: dict[str, Band] = {}
    for name, *_ in PHYSICAL_SHOWN:
        means = [m for s in baseline if s.physical is not None and (m := s.physical.mean(name)) is not None]
        if len(means) < 2:
            continue
        mean = sum(means) / len(means)
        sd = math.sqrt(sum((m - mean) ** 2 for m in means) / (len(means) - 1))
        # Sway cannot go below zero: the band stops there.
        bands[name] = Band(max(0.0, mean - 2 * sd), mean + 2 * sd, f"own baseline: mean ± 2 SD of sessions {numbers}",
                           "own baseline", 2 * sd, "2 SD of the baseline sessions", centre=mean)
    reason = why_own or ("A wobble board's tilt in degrees has no published reference values: each session is "
                         "compared with the player's own baseline")
    notes = [f"{reason} (the mean ± 2 SD of sessions {numbers}). A change from the baseline's mean "
             "larger than 2 SD is beyond the player's session-to-session spread."]
    return bands, "", notes


def physical_groups(report: PlayerReport) -> list[PhysicalGroup]:
    """Per level and device group with sway in cm or degrees: its sessions and the band each measure is read
    against (the Balance Data Set reference for cm, the player's own baseline for degrees)."""
    found: list[PhysicalGroup] = []
    for level, group in report.groups():
        sessions = [s for s in report.by_group(level, group) if s.physical is not None]
        if not sessions:
            continue
        unit = sessions[0].physical.unit if sessions[0].physical is not None else "?"
        if unit == "cm" and report.age_band != "child":
            bands, why, notes = _reference_bands(report, sessions)
        else:
            bands, why, notes = _baseline_bands(sessions, "" if unit != "cm" else (
                f"The player is under 18 ({report.age_source}), and the published reference values are adults': "
                "each session is compared with the player's own baseline instead"))
        found.append(PhysicalGroup(level, group, unit, sessions, bands, why, notes))
    return found


@dataclass
class ClinicPanel:
    """One panel of the check-in and clinical-test trends: lines of (local time, value) by date."""

    title: str
    unit: str
    better: str | None  # "lower", "higher", or None (not known)
    limits: tuple[float, float] | None
    lines: list[tuple[str, list[tuple[datetime, float]]]]


def _local(iso: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return None
    return (moment.astimezone() if moment.tzinfo is not None else moment).replace(tzinfo=None)


def clinic_panels(report: PlayerReport) -> list[ClinicPanel]:
    """Each clinical test's results by date, then pain before/after and effort from the check-ins."""
    from telemetry.store.clinic import SCALES, scale_title

    panels: dict[tuple[str, str], ClinicPanel] = {}
    for row in report.scales:
        when, value = _local(row.get("date")), row.get("value")
        if when is None or not isinstance(value, (int, float)):
            continue
        scale = str(row.get("scale"))
        unit = str(row.get("unit") or SCALES.get(scale, ("", ""))[1] or "")
        key = (scale if scale != "other" else f"other:{row.get('name')}", unit)
        if key not in panels:
            better, limits = SCALE_READINGS.get(scale, (None, None))
            panels[key] = ClinicPanel(scale_title(row), unit, better, limits, [(scale_title(row), [])])
        panels[key].lines[0][1].append((when, float(value)))
    result = list(panels.values())
    pain: list[tuple[str, list[tuple[datetime, float]]]] = [("before the session", []), ("after the session", [])]
    effort: list[tuple[datetime, float]] = []
    for row in report.checkins:
        when = _local(row.get("at"))
        if when is None:
            continue
        for (_, points), column in zip(pain, ("pain_before", "pain_after"), strict=True):
            if isinstance(row.get(column), (int, float)):
                points.append((when, float(row[column])))
        if isinstance(row.get("effort"), (int, float)):
            effort.append((when, float(row["effort"])))
    if any(points for _, points in pain):
        result.append(ClinicPanel("Pain, numeric rating", "0-10", "lower", (0.0, 10.0),
                                  [line for line in pain if line[1]]))
    if effort:
        result.append(ClinicPanel("Perceived effort, Borg CR10", "0-10", None, (0.0, 10.0),
                                  [("effort", effort)]))
    return result


def sway_groups(report: PlayerReport) -> list[Group]:
    """Every (level, device group) with balance sessions: one sway-paths figure each."""
    return list(dict.fromkeys((s.row["level"], s.group) for s in report.balance_sessions()))


def reach_groups(report: PlayerReport) -> list[Group]:
    """Every (level, device group) with reach sessions: one LOS figure each."""
    return list(dict.fromkeys((s.row["level"], s.group) for s in report.reach_sessions()))


def coverage(polygon: dict[float, float]) -> tuple[int, list[str]]:
    """How many of the eight standard directions a LOS polygon covers (a measured direction within 22.5 degrees
    of it), and the names of the others."""

    def near(a: float, b: float) -> bool:
        return abs((a - b + 180.0) % 360.0 - 180.0) <= 22.5

    missing = [name for angle, name in DIRECTION_NAMES.items() if not any(near(angle, a) for a in polygon)]
    return len(DIRECTION_NAMES) - len(missing), missing


def coverage_text(polygon: dict[float, float]) -> str:
    """e.g. "8 of 8 directions" or "5 of 8 directions (none toward back, back-left, back-right)"."""
    count, missing = coverage(polygon)
    text = f"{count} of {len(DIRECTION_NAMES)} directions"
    return text + (f" (none toward {', '.join(missing)})" if missing else "")


def has_trends(report: PlayerReport) -> bool:
    """True when the trend panels have a point to draw (a session with a success rate, difficulty or measures)."""
    return any(s.row.get("success_rate") is not None or s.row.get("difficulty_reached") is not None
               or s.is_balance() or s.is_reach() for s in report.sessions if s.started_local is not None)
