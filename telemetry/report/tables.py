"""The report's tables as plain text cells, shared by the HTML and the PDF renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telemetry.measures.proportion import wilson_interval
from telemetry.measures.session import REACH_UNITS, ReachTrial
from telemetry.report.data import DIRECTION_NAMES, REACH_SHOWN, SWAY_SHOWN, PlayerReport, SessionReport


@dataclass
class Table:
    """Headers, rows of text cells, how many leading columns are text, and optional per-row status."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    text_columns: int = 1
    statuses: list[str] = field(default_factory=list)
    subtitle: str = ""
    note: str = ""


def fmt(value: Any, decimals: int = 1, suffix: str = "") -> str:
    """A number for people: thousands separators, fixed decimals, '–' for none."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{decimals}f}{suffix}"
    return f"{value}{suffix}"


def pct(rate: float | None) -> str:
    """A 0-1 rate as a whole percentage."""
    return "–" if rate is None else f"{100 * rate:.0f} %"


def success_with_interval(successes: object, trials: object) -> str:
    """The realised success rate with its 95 % Wilson interval, e.g. "80 % (49-94 %)"; "–" without trials."""
    if not isinstance(successes, int) or not isinstance(trials, int) or trials <= 0 or not 0 <= successes <= trials:
        return "–"
    low, high = wilson_interval(successes, trials)
    return f"{100 * successes / trials:.0f} % ({100 * low:.0f}–{100 * high:.0f} %)"


def change(first: float | None, latest: float | None, decimals: int, unit: str, *, relative: bool = True) -> str:
    """Latest minus first with an arrow, and relative to the first value when that means something."""
    if first is None or latest is None:
        return "–"
    delta = latest - first
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
    relative_text = f" ({100 * delta / abs(first):+.0f} %)" if first and relative else ""
    return f"{arrow} {delta:+,.{decimals}f} {unit}{relative_text}".replace("  ", " ")


def _scaled(rate: float | None) -> float | None:
    return None if rate is None else 100 * rate


def comparison_tables(report: PlayerReport) -> list[Table]:
    """Per level: the first and the latest session with finished trials, side by side."""
    tables = []
    for level in report.levels:
        pair = report.first_and_latest(level)
        if pair is None:
            continue
        first, latest = pair
        count = len([s for s in report.by_level(level) if (s.row.get("trials") or 0) > 0])
        rows = [
            ["Success rate", pct(first.row.get("success_rate")), pct(latest.row.get("success_rate")),
             change(_scaled(first.row.get("success_rate")), _scaled(latest.row.get("success_rate")), 0,
                    "percentage points", relative=False)],
            ["Difficulty reached (0 easy – 1 hard)", fmt(first.row.get("difficulty_reached"), 2),
             fmt(latest.row.get("difficulty_reached"), 2),
             change(first.row.get("difficulty_reached"), latest.row.get("difficulty_reached"), 2, "")],
        ]
        for name, label, unit, decimals in SWAY_SHOWN:
            a, b = first.sway_figures().get(name), latest.sway_figures().get(name)
            if a is not None or b is not None:
                rows.append([f"{label} ({unit})", fmt(a, decimals), fmt(b, decimals), change(a, b, decimals, unit)])
        for key, label, unit, decimals in REACH_SHOWN:
            a, b = first.reach_figures().get(key), latest.reach_figures().get(key)
            if a is not None or b is not None:
                rows.append([f"{label} ({unit})", fmt(a, decimals), fmt(b, decimals), change(a, b, decimals, unit)])
        tables.append(Table(
            title=str(first.row.get("level_title") or level),
            subtitle=f"{level}, {count} session{'s' if count != 1 else ''} with trials",
            headers=["", f"First: #{first.number}, {first.date_label()}", f"Latest: #{latest.number}, "
                     f"{latest.date_label()}", "Change"],
            rows=rows,
            note="Only one session so far: the comparison starts with the next one." if first is latest else "",
        ))
    return tables


def sessions_table(report: PlayerReport) -> Table:
    """One row per session: status, time played, trials, success, difficulty, sway and reach figures."""
    headers = ["#", "Date (local)", "Level", "Status", "Played", "Trials (won)", "Success", "Difficulty",
               "Sway vel. (% LOS/s)", "Sway RMS (% LOS)", "Ellipse (% LOS²)", "MPF (Hz)", "Reach exc. (% LOS)",
               "Dir. control (%)"]
    rows, statuses = [], []
    for s in report.sessions:
        row = s.row
        sway, reach = s.sway_figures(), s.reach_figures()
        played = row.get("duration_s") if row.get("duration_s") is not None else row.get("recorded_s")
        rows.append([
            str(s.number), s.date_label(), str(row.get("level_title") or row["level"]), str(row["status"]),
            fmt(played, 0, " s"), f"{fmt(row.get('trials'))} ({fmt(row.get('successes'))})",
            success_with_interval(row.get("successes"), row.get("trials")), fmt(row.get("difficulty_reached"), 2),
            fmt(sway.get("mean_velocity"), 1), fmt(sway.get("rms_radius"), 1), fmt(sway.get("ellipse_area_95"), 0),
            fmt(sway.get("mean_power_frequency"), 2), fmt(reach.get("mean_excursion_pct_los"), 0),
            fmt(reach.get("directional_control_pct"), 0),
        ])
        statuses.append(str(row["status"]))
    return Table(
        "Sessions", headers, rows, text_columns=4, statuses=statuses,
        note="Played: simulated seconds (for an interrupted or running session, as far as its data reached the "
             "database). Success: the share of trials won, with its 95 % Wilson interval in brackets (the range "
             "the true rate lies in, given so few trials: a change inside it may be chance). Sway: mean over "
             "the session's balance trials. Reach exc.: largest excursion per direction, averaged over directions.",
    )


def directions_table(session: SessionReport) -> Table:
    """Per reach direction of one session: trials, target distance, excursions and the LOS measures."""
    polygon = session.measures.los_polygon()
    by_direction: dict[float, list[ReachTrial]] = {}
    for trial in session.measures.reach:
        by_direction.setdefault(float(trial.direction_deg) % 360.0, []).append(trial)
    rows = []
    for angle in sorted(by_direction):
        trials = by_direction[angle]
        scored = [t.measures for t in trials if t.measures]
        mean = {k: sum(m[k] for m in scored) / len(scored) for k in REACH_UNITS} if scored else {}
        rows.append([
            f"{angle:g}° {DIRECTION_NAMES.get(int(round(angle)), '')}".strip(),
            f"{len(trials)} ({sum(t.outcome == 'success' for t in trials)})",
            fmt(max(t.target_distance_pct for t in trials), 0), fmt(polygon.get(angle), 0),
            fmt(mean.get("max_excursion_pct"), 0), fmt(mean.get("endpoint_excursion_pct"), 0),
            fmt(mean.get("directional_control_pct"), 0), fmt(mean.get("reaction_time_s"), 2),
            fmt(mean.get("movement_velocity_per_s"), 0),
        ])
    problems = [t for t in session.measures.reach if t.problem]
    note = (
        "Largest excursion: how far the player moved toward the target from where they were when it appeared (the "
        "best trial in that direction), in % LOS; the polygon joins these. MXE: maximum excursion, EPE: endpoint "
        "excursion of the first movement (both as % of the start-to-target distance, so above 100 % means past the "
        "target), DCL: directional control, RT: reaction time, MVL: movement velocity; means over the direction's "
        "trials (definitions in docs/metrics.md)."
    )
    if problems:
        note += f" {len(problems)} trial(s) could not be scored: " + "; ".join(
            f"{t.direction_deg:g}°: {t.problem}" for t in problems[:5]) + "."
    return Table(
        f"Per direction, latest reach session (#{session.number}, {session.date_label()})",
        ["Direction", "Trials (won)", "Target (% LOS)", "Largest excursion (% LOS)", "MXE (% of target)",
         "EPE (% of target)", "DCL (%)", "RT (s)", "MVL (% LOS/s)"],
        rows, note=note,
    )


def _local_date(iso: str | None) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M") if iso else "?"
    except ValueError:
        return "?"


def device_table(report: PlayerReport) -> Table:
    """The input device, its measured rate and the calibration used; consecutive alike sessions share a row."""
    groups: list[tuple[list[SessionReport], list[str]]] = []
    for s in report.sessions:
        row, cal = s.row, s.calibration
        if cal is None:
            calibration, reach = "none stored: the device's default range", "–"
        elif cal.get("missing"):
            calibration, reach = f"#{cal['id']} (no longer in the database)", "–"
        else:
            measured = _local_date(cal.get("created_at"))
            calibration = f"#{cal['id']} ({cal.get('device_kind') or '?'}), measured {measured}"
            parts = ", ".join(f"{DIRECTION_NAMES.get(a, str(a))} {d:.1f}" for a, d in cal["reach"].items())
            reach = f"{parts} {cal.get('raw_unit') or ''}".strip() if parts else "–"
        rate = row.get("input_rate_hz")
        cells = [str(row.get("device") or "?"), "–" if rate is None else f"{rate:.0f} Hz", calibration, reach]
        if groups and groups[-1][1] == cells:
            groups[-1][0].append(s)
        else:
            groups.append(([s], cells))
    rows = []
    for sessions, cells in groups:
        first, last = sessions[0], sessions[-1]
        numbers = f"{first.number}" if first is last else f"{first.number}–{last.number}"
        dates = first.date_label() if first is last else f"{first.date_label()} to {last.date_label()}"
        rows.append([numbers, dates, *cells])
    return Table("Device and calibration", ["#", "Date (local)", "Device", "Input rate", "Calibration",
                                            "Calibrated reach (raw units, from centre)"], rows, text_columns=6,
                 note="Consecutive sessions with the same device and calibration share a row. Input rate: readings "
                      "per second the device delivered ('–': not measured, e.g. keyboard or simulated player).")
