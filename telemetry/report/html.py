"""The progress report as one self-contained HTML file: inline CSS, PNG plots as data URIs, no URLs.

Every text from the database is HTML-escaped, and a Content-Security-Policy forbids scripts
and any network access, so a hostile level title or note can neither run nor call home.
"""

from __future__ import annotations

import base64
from html import escape
from typing import TYPE_CHECKING

from game import __version__
from telemetry.report.data import (
    Group,
    PlayerReport,
    clinic_panels,
    coverage_text,
    device_label,
    has_trends,
    physical_groups,
    reach_groups,
    sway_groups,
)
from telemetry.report.tables import (
    Table,
    adherence_table,
    clinic_tables,
    comparison_tables,
    device_table,
    directions_table,
    physical_table,
    sessions_table,
)

if TYPE_CHECKING:
    from types import ModuleType

    from matplotlib.figure import FigureBase

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a;
       max-width: 1100px; margin: 24px auto; padding: 0 20px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 2px solid #0072B2; }
h3 { font-size: 16px; margin: 18px 0 6px; } h3 small { font-weight: normal; color: #555; }
.meta { color: #444; margin: 0 0 16px; }
.box { background: #f3f7fb; border-left: 4px solid #0072B2; padding: 10px 16px; margin: 12px 0; }
.box ul { margin: 4px 0; padding-left: 20px; }
table { border-collapse: collapse; margin: 8px 0 4px; font-size: 13.5px; }
th, td { border: 1px solid #cfd6dd; padding: 4px 8px; text-align: right; vertical-align: top; }
th { background: #eef2f6; font-weight: 600; }
td.t, th.t { text-align: left; }
td.nw { white-space: nowrap; }
tr.muted td { color: #666; background: #fafafa; }
.status-completed { color: #006b4f; } .status-aborted, .status-interrupted { color: #b34700; }
.status-running { color: #0072B2; font-weight: 600; }
img { max-width: 100%; height: auto; display: block; margin: 8px 0; }
.note { color: #555; font-size: 13px; }
.notes { white-space: pre-wrap; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } img, table { break-inside: avoid; } }
"""

HOW_TO_READ = """<div class="box"><strong>How to read this report</strong><ul>
<li>Positions are in <strong>% of the player's limits of stability (LOS)</strong>, as calibrated for the device:
100 % is as far as the player could lean in that direction. Sessions without a stored calibration use the
device's default range (see <em>Device and calibration</em>).</li>
<li><strong>Sway</strong> is measured on the balance (hold) trials with the published measures (Prieto 1996;
95 % prediction ellipse, Schubert &amp; Kirchner 2014; mean power frequency, Santos &amp; Duarte 2016): each trial
on its own, then the mean over the session's trials. Smaller velocity, distance and area mean less sway. The
game's wind pushes the player during these trials, so compare sessions of the same level rather than with
quiet-standing norms.</li>
<li><strong>Reach</strong> trials are scored like a limits-of-stability test (NeuroCom/Biodex): the largest
excursion toward each target (the LOS polygon), directional control (100 % = a straight line to the target),
reaction time and movement velocity. Targets sit inside the LOS, so excursions reflect the targets the game
chose as much as the player's limits. If the player is already moving when a target appears, reaction time is
0 s and directional control is low: read the excursions first.</li>
<li><strong>Difficulty</strong> is the game's normalized setting (0 easiest, 1 hardest), adapted after every
trial; <em>success</em> is the share of trials won. Sessions that were aborted, interrupted or are still running
are greyed in the tables and drawn as hollow points.</li>
<li><strong>Sessions keep their numbers</strong> (#21 is session 21 in <em>proprio sessions</em> and every export);
trends are drawn by date. Sessions are compared only with sessions of the same level and the same kind of device and
raw unit: a simulated player in degrees and a balance board in millimetres rest on different sensors and
calibrations. The <em>Reading</em> column says better, worse or no real change (within the trial-to-trial
noise); the rule is under each table.</li></ul></div>"""


def _img(figure: FigureBase | None, alt: str) -> str:
    if figure is None:
        return ""
    from telemetry.report.plots import png_bytes

    data = base64.b64encode(png_bytes(figure)).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}">'


def _cell(index: int, table: Table, text: str, header: str) -> str:
    classes = []
    if index < table.text_columns:
        classes.append("t")
    if header == "#" or header.startswith("Date"):
        classes.append("nw")
    body = escape(text)
    if header == "Status":
        body = f'<span class="status-{escape(text)}">{body}</span>'
    return f'<td class="{" ".join(classes)}">{body}</td>' if classes else f"<td>{body}</td>"


def _table(table: Table, *, with_title: bool = True) -> str:
    parts = []
    if table.title and with_title:
        small = f" <small>({escape(table.subtitle)})</small>" if table.subtitle else ""
        parts.append(f"<h3>{escape(table.title)}{small}</h3>")
    head = "".join(f'<th class="t">{escape(h)}</th>' if i < table.text_columns else f"<th>{escape(h)}</th>"
                   for i, h in enumerate(table.headers))
    body = []
    for index, row in enumerate(table.rows):
        status = table.statuses[index] if table.statuses else "completed"
        cls = "" if status == "completed" else ' class="muted"'
        cells = "".join(_cell(i, table, c, table.headers[i]) for i, c in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    if table.note:
        parts.append(f"<p class='note'>{escape(table.note)}</p>")
    return "\n".join(parts)


def _group_words(report: PlayerReport, group: Group) -> str:
    level, device = group
    return f"{report.level_title(level)} · {device_label(*device)}"


def header_lines(report: PlayerReport) -> tuple[str, str]:
    """(title, one line of what the report covers), plain text."""
    sessions = report.sessions
    counts: dict[str, int] = {}
    for s in sessions:
        counts[s.row["status"]] = counts.get(s.row["status"], 0) + 1
    status_text = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    name = f" ({report.display_name})" if report.display_name else ""
    title = f"Progress report: player {report.player_id}{name}"
    meta = (f"{len(sessions)} session{'s' if len(sessions) != 1 else ''} ({status_text}) from "
            f"{sessions[0].date_label()} to {sessions[-1].date_label()} (local time) · database "
            f"{report.db_name or '?'} · made {report.generated_at[:16].replace('T', ' ')} UTC by Proprio "
            f"{__version__}")
    return title, meta


def render_html(report: PlayerReport) -> str:
    """The whole report as one HTML document (matplotlib is loaded only when there is something to draw)."""
    physical = physical_groups(report)
    drawn = has_trends(report) or bool(physical or clinic_panels(report) or sway_groups(report)
                                       or reach_groups(report))
    plots: ModuleType | None = None
    if drawn:
        from telemetry.report import plots
    title, meta = header_lines(report)
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>", f"<p class='meta'>{escape(meta)}</p>",
    ]
    if report.notes:
        parts.append(f"<div class='box'><strong>Notes</strong><div class='notes'>{escape(report.notes)}</div></div>")
    parts.append(HOW_TO_READ)
    plan = adherence_table(report)
    if plan is not None and report.adherence is not None:
        parts += ["<h2>Plan and adherence</h2>", f"<p>{escape(report.adherence.sentence())}</p>",
                  _table(plan, with_title=False)]
    clinic = clinic_tables(report)
    if clinic:
        parts.append("<h2>Check-ins, adverse and safety events, clinical tests</h2>")
        parts += [_table(t) for t in clinic]
        figure = plots.clinic_figure(report) if plots is not None else None
        if figure is not None:
            parts += ["<h3>Clinical tests and check-ins by date</h3>",
                      "<p class='note'>One panel per test and for the check-ins, each with its unit and which way "
                      "is better; every value is written beside its point. Pain before and after the session differ "
                      "by marker and dash style as well as colour.</p>",
                      _img(figure, "Clinical tests, pain and effort by date")]
    parts.append("<h2>First session compared with the latest</h2>")
    parts += [_table(t) for t in comparison_tables(report)] or ["<p>No session with finished trials yet.</p>"]
    parts.append("<h2>Trends over sessions</h2>")
    if plots is not None and has_trends(report):
        parts += ["<p class='note'>By date. One line per level and device; each has its own marker and dash style "
                  "and its letter beside its latest point, so the lines can be told apart without colour.</p>",
                  _img(plots.trend_figure(report), "Trends of success, difficulty and sway by date, one line per "
                                                   "level and device")]
    else:
        parts.append("<p>No trend to draw yet: no session has finished trials.</p>")
    if plots is not None and physical:
        parts += ["<h2>Sway in physical units</h2>",
                  "<p class='note'>Balance trials on a device that measures in centimetres (balance board, force "
                  "plate: against the reference values of the player's age group) or degrees (wobble board: against "
                  "the player's own baseline). The band is hatched; hollow points are sessions that did not "
                  "complete.</p>"]
        for measured in physical:
            parts += [_img(plots.physical_figure(report, measured), f"Sway in {measured.unit} by date: "
                           f"{_group_words(report, (measured.level, measured.group))}"),
                      _table(physical_table(measured))]
    parts += ["<h2>Sessions</h2>", _table(sessions_table(report), with_title=False)]
    balance_groups = sway_groups(report)
    if plots is not None and balance_groups:
        parts += ["<h2>Sway paths</h2>",
                  "<p class='note'>Per level and device: the position during every balance trial of the first and "
                  "the latest balance session (one line per trial), on the same scale, with the 95 % prediction "
                  "ellipse of all their samples.</p>"]
        for group in balance_groups:
            parts.append(_img(plots.sway_paths_figure(report, group), f"Sway paths: {_group_words(report, group)}"))
    groups = reach_groups(report)
    if plots is not None and groups:
        parts.append("<h2>Limits of stability (reach trials)</h2>")
        for group in groups:
            latest = [s for s in report.by_group(*group) if s.is_reach()][-1]
            parts += [f"<h3>{escape(_group_words(report, group))} <small>(coverage of the latest session: "
                      f"{escape(coverage_text(latest.measures.los_polygon()))})</small></h3>",
                      _img(plots.los_figure(report, group), f"LOS polygon: {_group_words(report, group)}"),
                      _table(directions_table(latest))]
    parts += ["<h2>Device and calibration</h2>", _table(device_table(report), with_title=False)]
    parts.append("</body></html>")
    return "\n".join(parts)
