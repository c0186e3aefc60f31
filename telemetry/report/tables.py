"""The report's tables as plain text cells, shared by the HTML and the PDF renderers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telemetry.measures.adherence import LOW_ADHERENCE_PCT
from telemetry.measures.proportion import wilson_interval
from telemetry.measures.session import REACH_UNITS, ReachTrial
from telemetry.report.data import (
    DIRECTION_NAMES,
    PHYSICAL_SHOWN,
    REACH_SHOWN,
    SCALE_READINGS,
    SWAY_SHOWN,
    PhysicalGroup,
    PlayerReport,
    SessionReport,
    device_label,
)


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


#: Which way each compared figure is better: "lower" (less sway, a quicker reaction), "higher", or None
#: (no agreed direction: the mean power frequency of sway).
BETTER: dict[str, str | None] = {
    "success_rate": "higher", "difficulty_reached": "higher",
    "mean_velocity": "lower", "rms_radius": "lower", "ellipse_area_95": "lower", "mean_power_frequency": None,
    "mean_excursion_pct_los": "higher", "directional_control_pct": "higher", "reaction_time_s": "lower",
    "movement_velocity_per_s": "higher",
}

#: Minimal detectable changes (MDC95) in the report's units, when one is known for the measure as the game
#: records it. None is published for these game measures in % LOS, so the noise rule below is used instead;
#: a clinic that measured its own can add it here (key: the measure's name).
MDC: dict[str, float] = {}

#: z for a two-sided 95 % rule.
Z95 = 1.96

NOISE_RULE = (
    "Reading: 'better' or 'worse' only when the change is larger than the noise. For sway and reach measures the "
    "noise is the trial-to-trial spread: a change counts when it exceeds 1.96 × the combined standard error of the "
    "two sessions' trial means (about 95 % confidence); with fewer than 2 trials in a session it cannot be told. "
    "For the success rate, when the 95 % Newcombe interval of the difference excludes zero. Difficulty reached is "
    "one value per session, so it has no noise estimate. Lower sway, a shorter reaction time and a larger "
    "excursion, straighter movement, higher success and a harder difficulty are better; the mean power "
    "frequency has no agreed better direction and is not rated."
)


def change(first: float | None, latest: float | None, decimals: int, unit: str, *, relative: bool = True) -> str:
    """Latest minus first as a signed number (a minus sign, never a colour or an arrow alone), relative to the
    first value when that means something."""
    if first is None or latest is None:
        return "–"
    delta = latest - first
    if delta == 0:
        return f"no change (0 {unit})".replace(" )", ")")
    relative_text = f" ({100 * delta / abs(first):+.0f} %)" if first and relative else ""
    return f"{delta:+,.{decimals}f} {unit}{relative_text}".replace("  ", " ").replace("-", "−")


def _spread(values: list[float]) -> tuple[float, int] | None:
    """(squared standard error of the mean, n), or None with fewer than two values."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    return variance / n, n


def verdict(key: str, first: float | None, latest: float | None, first_values: list[float] | None = None,
            latest_values: list[float] | None = None) -> str:
    """better / worse / no real change / cannot tell, by the measure's better direction and the noise rule."""
    if first is None or latest is None:
        return "–"
    delta = latest - first
    direction = BETTER.get(key)
    if key in MDC:
        real: bool | None = abs(delta) >= MDC[key]
        why = f"MDC {MDC[key]:g}"
    elif first_values is None or latest_values is None:
        real, why = delta != 0, "no noise estimate"
    else:
        a, b = _spread(first_values), _spread(latest_values)
        if a is None or b is None:
            return "cannot tell (fewer than 2 trials)"
        real, why = abs(delta) > Z95 * math.sqrt(a[0] + b[0]), ""
    if not real:
        return "no real change (within noise)" if why != "no noise estimate" else "no change"
    if direction is None:
        word = "higher" if delta > 0 else "lower"
        return f"{word} (not rated)"
    better = (delta > 0) == (direction == "higher")
    word = "better" if better else "worse"
    return f"{word} ({why})" if why else word


def success_verdict(first: dict[str, Any], latest: dict[str, Any]) -> str:
    """The success rate's reading: real when the 95 % Newcombe (1998, method 10) interval of the difference
    excludes zero."""
    k1, n1, k2, n2 = first.get("successes"), first.get("trials"), latest.get("successes"), latest.get("trials")
    if not all(isinstance(v, int) for v in (k1, n1, k2, n2)) or not n1 or not n2:
        return "–"
    assert isinstance(k1, int) and isinstance(n1, int) and isinstance(k2, int) and isinstance(n2, int)
    if not (0 <= k1 <= n1 and 0 <= k2 <= n2):
        return "–"
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1)
    l2, u2 = wilson_interval(k2, n2)
    delta = p2 - p1
    low = delta - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = delta + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    if low <= 0 <= high:
        return "no real change (within noise)"
    return "better" if delta > 0 else "worse"


def _scaled(rate: float | None) -> float | None:
    return None if rate is None else 100 * rate


def comparison_tables(report: PlayerReport) -> list[Table]:
    """Per level and device group: the first and the latest session with finished trials, side by side.

    Sessions played with different kinds of device or raw units are never compared (their % LOS rests
    on different calibrations and sensors): each group gets its own table, and the note says so.
    """
    tables = []
    for level in report.levels:
        played = [s for s in report.by_level(level) if (s.row.get("trials") or 0) > 0]
        groups = list(dict.fromkeys(s.group for s in played))
        for group in groups:
            pair = report.first_and_latest(level, group)
            if pair is None:
                continue
            first, latest = pair
            tables.append(_comparison(report, level, group, first, latest, groups))
    return tables


def _comparison(report: PlayerReport, level: str, group: tuple[str, str], first: SessionReport,
                latest: SessionReport, groups: list[tuple[str, str]]) -> Table:
    count = len([s for s in report.by_group(level, group) if (s.row.get("trials") or 0) > 0])
    rows = [
        ["Success rate", pct(first.row.get("success_rate")), pct(latest.row.get("success_rate")),
         change(_scaled(first.row.get("success_rate")), _scaled(latest.row.get("success_rate")), 0,
                "percentage points", relative=False), success_verdict(first.row, latest.row)],
        ["Difficulty reached (0 easy – 1 hard)", fmt(first.row.get("difficulty_reached"), 2),
         fmt(latest.row.get("difficulty_reached"), 2),
         change(first.row.get("difficulty_reached"), latest.row.get("difficulty_reached"), 2, ""),
         verdict("difficulty_reached", first.row.get("difficulty_reached"), latest.row.get("difficulty_reached"))],
    ]
    for name, label, unit, decimals in SWAY_SHOWN:
        a, b = first.sway_figures().get(name), latest.sway_figures().get(name)
        if a is not None or b is not None:
            rows.append([f"{label} ({unit})", fmt(a, decimals), fmt(b, decimals), change(a, b, decimals, unit),
                         verdict(name, a, b, first.sway_trial_values(name), latest.sway_trial_values(name))])
    for key, label, unit, decimals in REACH_SHOWN:
        a, b = first.reach_figures().get(key), latest.reach_figures().get(key)
        if a is not None or b is not None:
            rows.append([f"{label} ({unit})", fmt(a, decimals), fmt(b, decimals), change(a, b, decimals, unit),
                         verdict(key, a, b, first.reach_trial_values(key), latest.reach_trial_values(key))])
    notes = []
    if first is latest:
        notes.append("Only one session so far with this device: the comparison starts with the next one.")
    others = [device_label(*g) for g in groups if g != group]
    if others:
        notes.append(f"This level was also played with {'; '.join(others)}. Sessions of different devices or raw "
                     "units are not compared with each other: their positions rest on different sensors and "
                     "calibrations, so a difference between them says nothing about the player.")
    notes.append(NOISE_RULE)
    return Table(
        title=report.level_title(level),
        subtitle=f"{level}, {device_label(*group)}, {count} session{'s' if count != 1 else ''} with trials",
        headers=["", f"First: #{first.number}, {first.date_label()}", f"Latest: #{latest.number}, "
                 f"{latest.date_label()}", "Change", "Reading"],
        rows=rows,
        note=" ".join(notes),
    )


def sessions_table(report: PlayerReport) -> Table:
    """One row per session: status, time played, trials, success, difficulty, sway and reach figures."""
    headers = ["#", "Date (local)", "Level", "Device (raw unit)", "Status", "Played", "Trials (won)", "Success",
               "Difficulty", "Sway vel. (% LOS/s)", "Sway RMS (% LOS)", "Ellipse (% LOS²)", "MPF (Hz)",
               "Reach exc. (% LOS)", "Dir. control (%)"]
    rows, statuses = [], []
    for s in report.sessions:
        row = s.row
        sway, reach = s.sway_figures(), s.reach_figures()
        played = row.get("duration_s") if row.get("duration_s") is not None else row.get("recorded_s")
        rows.append([
            str(s.number), s.date_label(), str(row.get("level_title") or row["level"]),
            f"{s.kind} ({s.raw_unit})", str(row["status"]),
            fmt(played, 0, " s"), f"{fmt(row.get('trials'))} ({fmt(row.get('successes'))})",
            success_with_interval(row.get("successes"), row.get("trials")), fmt(row.get("difficulty_reached"), 2),
            fmt(sway.get("mean_velocity"), 1), fmt(sway.get("rms_radius"), 1), fmt(sway.get("ellipse_area_95"), 0),
            fmt(sway.get("mean_power_frequency"), 2), fmt(reach.get("mean_excursion_pct_los"), 0),
            fmt(reach.get("directional_control_pct"), 0),
        ])
        statuses.append(str(row["status"]))
    return Table(
        "Sessions", headers, rows, text_columns=5, statuses=statuses,
        note="#: the session's number in the database, as in proprio sessions and every export. "
             "Played: simulated seconds (for an interrupted or running session, as far as its data reached the "
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


def adherence_table(report: PlayerReport) -> Table | None:
    """The prescribed plan week by week: sessions and minutes done against the prescribed (None without a plan)."""
    kept = report.adherence
    if kept is None:
        return None
    rows = [[str(w.number), w.start.isoformat(), f"{w.sittings} of {w.prescribed_sittings}",
             f"{w.sittings_pct:.0f} %", f"{w.minutes:.0f} of {w.prescribed_minutes:.0f}", f"{w.minutes_pct:.0f} %",
             w.state, w.flag or "–"] for w in kept.weeks]
    plan = report.plan or {}
    what = plan.get("levels") or (f"playlist {plan['playlist']}" if plan.get("playlist") else "any level")
    by = f", set by {plan['set_by']}" if plan.get("set_by") and report.include_names else ""
    return Table(
        "Plan and adherence", ["Week", "From", "Sessions", "Sessions %", "Minutes", "Minutes %", "State", "Flag"],
        rows,
        text_columns=2, subtitle=f"prescribed {str(plan.get('created_at', ''))[:10]}{by}; counts {what}",
        note="A session here is a sitting: level sessions played less than 30 minutes apart count as one. Minutes "
             "are minutes of play. Each week is capped at 100 %, so extra sessions do not make up for a missed "
             "week; the totals cover the weeks already over. A week that is over with sessions or minutes "
             f"below {LOW_ADHERENCE_PCT:.0f} % of the prescribed says \"below {LOW_ADHERENCE_PCT:.0f} %\" in Flag.",
    )


def checkins_table(report: PlayerReport) -> Table | None:
    """Pain before/after (0-10) and effort (Borg CR10) per check-in (notes only with names)."""
    if not report.checkins:
        return None
    rows = [[_local_date(row.get("at")), "–" if row.get("session_id") is None else f"#{row['session_id']}",
             fmt(row.get("pain_before")), fmt(row.get("pain_after")), fmt(row.get("effort")),
             str(row.get("note") or "") if report.include_names else ("(notes: --include-names)"
                                                                       if row.get("note") else "")]
            for row in report.checkins]
    return Table("Check-ins", ["When (local)", "Session", "Pain before (0-10)", "Pain after (0-10)",
                               "Effort (Borg CR10)", "Note"], rows, text_columns=2,
                 note="Pain: 0 no pain, 10 worst imaginable. Effort: Borg CR10, 0 nothing at all, 10 maximal.")


def events_table(report: PlayerReport) -> Table | None:
    """Adverse events: when, severity (in words), what happened and what was done."""
    if not report.events:
        return None
    rows = [[_local_date(row.get("at")), str(row.get("severity")), str(row.get("what") or ""),
             str(row.get("action") or "–"), "–" if row.get("session_id") is None else f"#{row['session_id']}"]
            for row in report.events]
    return Table("Adverse events", ["When (local)", "Severity", "What happened", "Action taken", "Session"], rows,
                 text_columns=5, note="Severity: mild, moderate, severe, or serious (needed medical care).")


def safety_table(report: PlayerReport) -> Table | None:
    """Safety events read from the sessions: every session that ended as device lost or ended early."""
    if not report.safety:
        return None
    rows = [[_local_date(row.get("at")), str(row.get("kind")), f"#{row['session_id']}", str(row.get("level") or ""),
             fmt(row.get("played_s"), 0, " s"), str(row.get("what") or "")] for row in report.safety]
    return Table("Safety events (from the sessions)", ["When (local)", "Kind", "Session", "Level", "Played",
                                                       "What happened"], rows, text_columns=4,
                 note="Recorded by Proprio itself: device lost (the device stayed silent past the timeout) and "
                      "ended early (stopped before its planned end). Stepping off the board cannot be detected "
                      "with today's devices: record it as an adverse event (proprio event add).")


def scales_table(report: PlayerReport) -> Table | None:
    """Clinical tests done outside the game, oldest first."""
    if not report.scales:
        return None
    from telemetry.store.clinic import scale_title

    rows = []
    first: dict[tuple[str, str], float] = {}
    for row in report.scales:
        decimals = 1 if row.get("scale") in ("tug_s", "other") else 0
        value = row.get("value")
        key = (str(row.get("scale")), scale_title(row))
        since = "–"
        if isinstance(value, (int, float)):
            if key in first:
                delta = float(value) - first[key]
                since = "no change" if delta == 0 else f"{delta:+.{decimals}f}".replace("-", "−")
            else:
                first[key] = float(value)
                since = "first"
        better = SCALE_READINGS.get(key[0], (None, None))[0]
        rows.append([str(row.get("date")), key[1], fmt(value, decimals), str(row.get("unit") or ""),
                     f"{better} is better" if better else "–", since,
                     str(row.get("assessor") or "") if report.include_names else ""])
    return Table("Clinical tests", ["Date", "Test", "Result", "Unit", "Better", "Change from first", "Assessor"],
                 rows, text_columns=2,
                 note="Timed Up and Go: seconds, lower is better. Mini-BESTest (0-28) and Berg Balance Scale (0-56): "
                      "higher is better. FES-I (16-64): concern about falling, lower is better. Assessors are shown "
                      "with --include-names.")


def physical_table(group: PhysicalGroup) -> Table:
    """Per session of one level and device: sway in cm or degrees, where it sits against the band, and whether
    its change from the first session is larger than the noise (the MDC95, or 2 SD of the own baseline)."""
    kind = next(iter(group.bands.values())).kind if group.bands else ""
    headers = ["#", "Date (local)", "Trials"]
    for name, label, _suffix, _ in PHYSICAL_SHOWN:
        headers += [f"{label} ({group.unit_of(name)})", f"vs {kind} band" if kind else "Band"]
    baseline = kind == "own baseline"  # changes from the baseline's mean, else from the first session
    headers.append("Change from the baseline mean" if baseline else "Change from the first session")
    rows, statuses = [], []
    first = group.sessions[0].physical
    for session in group.sessions:
        sway = session.physical
        assert sway is not None
        cells = [str(session.number), session.date_label(), str(sway.count)]
        changes = []
        for name, label, _suffix, decimals in PHYSICAL_SHOWN:
            value = sway.mean(name)
            band = group.bands.get(name)
            cells.append(fmt(value, decimals))
            cells.append("–" if value is None or band is None else band.place(value).split()[0])
            start = band.centre if band is not None and band.centre is not None else (
                first.mean(name) if first is not None else None)
            if (session is group.sessions[0] and not baseline) or value is None or start is None:
                continue
            delta = value - start
            shown = f"{label.split()[-1]} {delta:+.{decimals}f}".replace("-", "−")
            if band is None or band.mdc is None:
                changes.append(shown)
            elif abs(delta) > band.mdc:
                changes.append(f"{shown}: {'better' if delta < 0 else 'worse'}")
            else:
                changes.append(f"{shown}: no real change")
        cells.append("; ".join(changes) if changes else ("first session" if session is group.sessions[0] else "–"))
        rows.append(cells)
        statuses.append(str(session.row["status"]))
    bands, thresholds = [], []
    for name, label, _suffix, decimals in PHYSICAL_SHOWN:
        band = group.bands.get(name)
        if band is None:
            continue
        bands.append(f"{label.lower()}: {band.low:.{decimals + 1}f}-{band.high:.{decimals + 1}f} "
                     f"{group.unit_of(name)} ({band.label})")
        if band.mdc is not None:
            thresholds.append(f"{label.lower()} {band.mdc:.{decimals + 1}f} {group.unit_of(name)}")
    source = ("the device's own readings" if all(s.physical and s.physical.native for s in group.sessions)
              else "the device's raw values at each 120 Hz step")
    note = [f"Sway of the balance trials in {group.unit} ({source}, resampled and low-pass filtered as in an "
            "assessment), mean over the session's trials; lower is better."]
    why = group.why_no_band
    note.append("Bands: " + "; ".join(bands) + "." if bands else why[:1].upper() + why[1:] + ".")
    if thresholds:
        mdc_label = next(iter(group.bands.values())).mdc_label
        note.append(f"A change from the {'baseline mean' if baseline else 'first session'} is called better or "
                    f"worse only when it is larger than "
                    f"{'; '.join(thresholds)} ({mdc_label}); otherwise 'no real change'.")
    note += group.notes
    return Table("Sway in physical units", headers, rows, text_columns=2, statuses=statuses,
                 subtitle=f"{group.level}, {device_label(*group.group)}", note=" ".join(note))


def clinic_tables(report: PlayerReport) -> list[Table]:
    """The clinic's records in the report's order: check-ins, adverse events, safety events, clinical tests (those
    that have rows)."""
    found = (checkins_table(report), events_table(report), safety_table(report), scales_table(report))
    return [table for table in found if table is not None]
