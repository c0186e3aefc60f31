"""What a progress report says about one player, gathered from the database (no drawing here)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from game.errors import ProprioError
from telemetry.measures.session import SessionMeasures
from telemetry.store.players import identity, require_player
from telemetry.store.queries import list_sessions, session_measures
from telemetry.store.sessions import utc_now

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

DIRECTION_NAMES = {
    0: "right", 45: "forward-right", 90: "forward", 135: "forward-left",
    180: "left", 225: "back-left", 270: "back", 315: "back-right",
}


class ReportError(ProprioError):
    """A report that cannot be made (no sessions, an output path that cannot be written)."""


@dataclass
class SessionReport:
    """One session: its row of key figures, its measures, and the calibration it used."""

    number: int  # 1 = the player's first session in this database
    row: dict[str, Any]
    measures: SessionMeasures
    calibration: dict[str, Any] | None

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

    def by_level(self, level: str) -> list[SessionReport]:
        """The sessions of one level, oldest first."""
        return [s for s in self.sessions if s.row["level"] == level]

    def first_and_latest(self, level: str) -> tuple[SessionReport, SessionReport] | None:
        """The first and the latest session of a level with finished trials (None with fewer than one)."""
        played = [s for s in self.by_level(level) if (s.row.get("trials") or 0) > 0]
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


def build_player_report(db: Database, player_id: str, *, db_path: Path | None = None,
                        include_names: bool = False) -> PlayerReport:
    """Gather one player's sessions, measures and calibrations for a report."""
    require_player(db, player_id)
    rows = list_sessions(db, player_id)
    if not rows:
        raise ReportError(f"player {player_id!r} has no sessions in this database yet",
                          remedy="Play a session first: proprio play --player " + player_id)
    sessions = [
        SessionReport(i + 1, row, session_measures(db, row["id"]), calibration_summary(db, row.get("calibration_id")))
        for i, row in enumerate(rows)
    ]
    report = PlayerReport(player_id, utc_now(), Path(db_path).name if db_path else "", sessions)
    report.levels = list(dict.fromkeys(s.row["level"] for s in sessions))
    if include_names:
        who = identity(db, player_id) or {}
        report.display_name, report.notes = who.get("display_name"), who.get("notes")
    return report
