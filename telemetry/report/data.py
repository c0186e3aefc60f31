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
    report = PlayerReport(player_id, utc_now(), Path(db_path).name if db_path else "", sessions)
    report.levels = list(dict.fromkeys(s.row["level"] for s in sessions))
    report.include_names = include_names
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
