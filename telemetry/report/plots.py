"""The report's figures, drawn with matplotlib's object API (no pyplot, no display, any thread).

Level titles and other text from the database are drawn literally: every text is made with
``parse_math=False`` and ``usetex=False`` (the ``text.parse_math`` and ``text.usetex`` rcParams
inside ``literal_text``), so ``$x$``, ``$$`` or ``\\frac`` in a title is shown as typed, never
parsed as mathtext (which garbles "$5 and $10" and raises on "$$").
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal

import telemetry.report.drawing  # noqa: F401  (before matplotlib: its docstring tables are not built)

# isort: split
import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure, FigureBase
from matplotlib.text import Text

from telemetry.measures.dsp import f2_quantile
from telemetry.report.data import (
    DIRECTION_NAMES,
    PHYSICAL_SHOWN,
    REACH_SHOWN,
    SWAY_SHOWN,
    ClinicPanel,
    PhysicalGroup,
    PlayerReport,
    SessionReport,
    clinic_panels,
    device_label,
)
from telemetry.report.data import Group as Group  # re-exported: the figures' groups and coverage live in data
from telemetry.report.data import coverage as coverage
from telemetry.report.data import coverage_text as coverage_text
from telemetry.report.data import reach_groups as reach_groups
from telemetry.report.data import sway_groups as sway_groups

# Okabe-Ito: distinguishable with every common colour-vision deficiency (as the game's palette).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
FIRST_COLOUR, LATEST_COLOUR = "#E69F00", "#0072B2"
DPI = 110

#: A session's value on one trend panel (None: not measured in that session).
ValueOf = Callable[[SessionReport], float | None]
#: A panel's y range: fixed, from zero, up to just above 100, or automatic.
YLimits = tuple[float, float] | Literal["zero", "top100"] | None


@contextmanager
def literal_text() -> Iterator[None]:
    """Texts created inside are drawn as typed (``$`` and ``\\`` included), whatever the user's matplotlibrc."""
    # No mathtext, no TeX, no mathtext tick labels, for every text created inside.
    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False,
                                "axes.formatter.use_mathtext": False}):
        yield


def make_literal(figure: FigureBase) -> FigureBase:
    """Turn mathtext and TeX off on every text already in the figure (titles, legends, labels)."""
    for text in figure.findobj(Text):
        assert isinstance(text, Text)
        text.set_parse_math(False)
        text.set_usetex(False)
    return figure


def _literal(build: Callable[..., FigureBase | None]) -> Callable[..., FigureBase | None]:
    """Build a figure under ``literal_text`` and make every text in it literal."""

    @functools.wraps(build)
    def literal_build(report: PlayerReport, *args: Any, **kwargs: Any) -> FigureBase | None:
        with literal_text():
            figure = build(report, *args, **kwargs)
        return None if figure is None else make_literal(figure)

    return literal_build


def _canvas(into: FigureBase | None, size: tuple[float, float]) -> FigureBase:
    """A new figure of ``size`` inches (laid out by constrained layout), or the (sub)figure given to draw into."""
    return into if into is not None else Figure(figsize=size, layout="constrained")


def png_bytes(figure: FigureBase) -> bytes:
    """The figure as PNG bytes (texts literal, tick labels included)."""
    assert isinstance(figure, Figure), "draw a standalone figure (into=None) to make a picture"
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    with literal_text():
        figure.set_dpi(DPI)  # laid out at the picture's resolution, as savefig would
        lay_out_once(figure)
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def lay_out_once(figure: Figure) -> None:
    """Lay the figure out now, with the renderer of its canvas (Agg for PNG, PDF for a page), then switch its
    layout engine off, so that saving it draws it once.

    ``savefig`` on a figure with a layout engine draws it twice: a whole draw with rendering turned off,
    only to lay it out, then the real one, where every text is measured again for the new renderer (a
    sixth of a report's drawing CPU). The engine's ``execute`` here is the very call that first draw
    makes before drawing anything, with the same renderer, so the picture is the same to the pixel
    (tests/telemetry/report/test_layout_once.py compares PNGs and PDF pages with savefig's own).
    """
    engine = figure.get_layout_engine()
    if engine is None:
        return
    if figure.axes:  # as Figure.draw: no axes, nothing to lay out
        engine.execute(figure)
    # None, not "none": "none" leaves a placeholder engine, for which savefig still draws twice; the rc
    # settings that would turn None into an engine again (a user's matplotlibrc) are off meanwhile.
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        figure.set_layout_engine(None)


#: Per line: a marker and a dash style as well as a colour, so lines are told apart without colour.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DASHES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 3)), (0, (4, 2, 1, 2)))


def line_styles(report: PlayerReport) -> dict[Group, tuple[str, str, str | tuple[int, tuple[int, ...]], str]]:
    """Per (level, device group): (colour, marker, dash style, short tag "A", "B", ...) in order of first play."""
    styles: dict[Group, tuple[str, str, str | tuple[int, tuple[int, ...]], str]] = {}
    for i, group in enumerate(report.groups()):
        tag = chr(ord("A") + i) if i < 26 else f"#{i + 1}"
        styles[group] = (PALETTE[i % len(PALETTE)], MARKERS[i % len(MARKERS)], DASHES[i % len(DASHES)], tag)
    return styles


def line_label(report: PlayerReport, group: Group) -> str:
    """What a line is, in words: "A: Garden Balance · simulated player, raw deg"."""
    level, device = group
    return f"{line_styles(report)[group][3]}: {report.level_title(level)} · {device_label(*device)}"


def _when(session: SessionReport) -> datetime | None:
    local = session.started_local
    return local.replace(tzinfo=None) if local else None


def _day_number(when: datetime) -> float:
    """matplotlib's date number (days since 1970-01-01) of a naive local time."""
    return float(date2num(when))  # type: ignore[no-untyped-call]


def _panel(ax: Axes, report: PlayerReport, title: str, unit: str, value_of: ValueOf, *,
           ylim: YLimits = None, better: str | None = None) -> list[float]:
    """Draw one trend panel; returns the day numbers of the points drawn."""
    drawn: list[float] = []
    styles = line_styles(report)
    for group, (colour, marker, dash, tag) in styles.items():
        points = [(_day_number(when), v, s.row["status"]) for s in report.by_group(*group)
                  if (v := value_of(s)) is not None and (when := _when(s)) is not None]
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        drawn += xs
        ax.plot(xs, ys, color=colour, lw=1.6, linestyle=dash, marker=marker, ms=6, mfc=colour,
                label=line_label(report, group))
        other = [(n, v) for n, v, status in points if status != "completed"]
        if other:  # aborted, interrupted or running: hollow markers over the filled ones
            ax.plot(*zip(*other, strict=True), linestyle="none", marker=marker, mfc="white", mec=colour, mew=1.6,
                    ms=6)
        ax.annotate(tag, (xs[-1], ys[-1]), xytext=(6, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=9, fontweight="bold", color="#1a1a1a")  # the line's direct label
    ax.set_title((f"{title} ({unit})" if unit else title) + f"\n{better_words(better)}", fontsize=10, loc="left")
    ax.grid(True, color="#dddddd", lw=0.6)
    if ylim == "zero":
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 1e-9) * 1.05)
    elif ylim == "top100":
        ax.set_ylim(top=105)
    elif ylim is not None:
        ax.set_ylim(*ylim)
    return drawn


def _sway_figure(name: str) -> ValueOf:
    """A session's sway measure ``name`` (None without balance trials)."""
    return lambda s: s.sway_figures().get(name)


def _reach_figure(key: str) -> ValueOf:
    """A session's reach figure ``key`` (None without reach trials)."""
    return lambda s: s.reach_figures().get(key)


@_literal
def trend_figure(report: PlayerReport, into: FigureBase | None = None) -> FigureBase | None:
    """Per-session trends by date: success, difficulty, sway and reach figures, one line per level and device."""
    # (title, unit, value, y range, which way is better: as telemetry.report.tables.BETTER says)
    panels: list[tuple[str, str, ValueOf, YLimits, str]] = [
        ("Success rate", "%", lambda s: None if s.row.get("success_rate") is None else 100 * s.row["success_rate"],
         (-5, 105), "higher"),
        ("Difficulty reached", "0 easy - 1 hard", lambda s: s.row.get("difficulty_reached"), (-0.05, 1.05),
         "higher"),
    ]
    # Measures that cannot go below zero start their axis at zero, so noise does not look like a trend.
    if report.balance_sessions():
        for name, label, unit, _ in (SWAY_SHOWN[0], SWAY_SHOWN[2]):
            panels.append((label, unit, _sway_figure(name), "zero", "lower"))
    if report.reach_sessions():
        key, label, unit, _ = REACH_SHOWN[0]
        panels.append((label, unit, _reach_figure(key), "zero", "higher"))
        key, label, unit, _ = REACH_SHOWN[1]
        panels.append((label + ", 100 = straight", unit, _reach_figure(key), "top100", "higher"))
    rows = math.ceil(len(panels) / 2)
    figure = _canvas(into, (10, 2.6 * rows + 0.6 + 0.25 * len(report.groups())))
    axes = figure.subplots(rows, 2, squeeze=False, sharex=True).ravel()  # one date range for every panel
    days: list[float] = []
    for ax, (title, unit, value_of, ylim, better) in zip(axes, panels, strict=False):  # may leave a spare axis
        days += _panel(ax, report, title, unit, value_of, ylim=ylim, better=better)
    for ax in axes:  # the shared date range: every point drawn on any panel
        _date_axis(ax, days, shortest=SESSIONS_SHORTEST_DAYS, alone=ONE_DATE_DAYS, maxticks=8)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    for ax in axes[: len(panels)][-2:]:  # the lowest panel of each column (above a spare one, too)
        # Left, and as small as the physical figure's: clear of the date offset at the right on an A4 page
        ax.set_xlabel("date of the session (local time)", fontsize=8.5, loc="left")
        ax.tick_params(labelbottom=True)
    unique: dict[str, Any] = {}
    for ax in axes[: len(panels)]:
        handles, labels = ax.get_legend_handles_labels()
        for handle, label in zip(handles, labels, strict=True):
            unique.setdefault(label, handle)
    if unique:
        figure.legend(list(unique.values()), list(unique.keys()), loc="outside upper center",
                      ncols=1 if len(unique) > 2 else len(unique), frameon=False, fontsize=9, title_fontsize=9,
                      title="Each line: its letter at its latest point, its own marker and dash style.\n"
                            "Filled = completed, hollow = aborted / interrupted")  # two lines: within the page
    return figure


def _ellipse_points(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The 95 % prediction ellipse of the points (Schubert & Kirchner 2014), for drawing."""
    n = x.size
    if n < 10:
        return None
    cov = np.cov(x, y, ddof=1)
    scale = 2 * f2_quantile(0.95, n - 2) * (n - 1) * (n + 1) / (n * (n - 2))
    values, vectors = np.linalg.eigh(cov)
    if np.any(values <= 0):
        return None
    theta = np.linspace(0, 2 * np.pi, 200)
    circle = np.vstack([np.cos(theta), np.sin(theta)])
    points = vectors @ (np.sqrt(values * scale)[:, None] * circle)
    return points[0] + x.mean(), points[1] + y.mean()


def _axes_cross(ax: Axes, limit: float) -> None:
    ax.axhline(0, color="#999999", lw=0.6)
    ax.axvline(0, color="#999999", lw=0.6)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.grid(True, color="#eeeeee", lw=0.5)


@_literal
def sway_paths_figure(report: PlayerReport, group: Group | None = None,
                      into: FigureBase | None = None) -> FigureBase | None:
    """The balance-trial paths of the first and the latest balance session of one level and device group
    (default: the first group), on the same scale."""
    groups = sway_groups(report)
    if not groups:
        return None
    level, device = group or groups[0]
    balance = [s for s in report.by_group(level, device) if s.is_balance()]
    if not balance:
        return None
    chosen: list[SessionReport] = [balance[0]] if len(balance) == 1 else [balance[0], balance[-1]]
    ellipses = [_ellipse_points(np.concatenate([x for x, _ in s.measures.sway_paths]),
                                np.concatenate([y for _, y in s.measures.sway_paths])) for s in chosen]
    extent = max(
        max(float(np.max(np.abs(np.concatenate([x, y])))) for x, y in s.measures.sway_paths) for s in chosen
    )
    for points in ellipses:  # the ellipses are drawn whole, never cut by the axes
        if points is not None:
            extent = max(extent, float(np.max(np.abs(np.concatenate(points)))))
    limit = max(10.0, math.ceil(extent * 1.1 / 10) * 10)
    figure = _canvas(into, (10 if len(chosen) == 2 else 5.2, 5.2))
    axes = figure.subplots(1, len(chosen), squeeze=False).ravel()
    colours_and_names = zip((FIRST_COLOUR, LATEST_COLOUR), ("First", "Latest"), strict=True)
    for ax, session, ellipse, (colour, which) in zip(axes, chosen, ellipses, colours_and_names,
                                                     strict=False):  # one or two sessions
        for x, y in session.measures.sway_paths:
            ax.plot(x, y, "-", color=colour, lw=0.5, alpha=0.75)
        if ellipse is not None:
            ax.plot(*ellipse, "--", color="#000000", lw=1.2, label="95 % ellipse of all samples")
            ax.legend(loc="lower right", fontsize=8, frameon=False)
        _axes_cross(ax, limit)
        sway = session.measures.sway
        counted = f"{sway.trials_used} balance trials, {sway.seconds:.0f} s" if sway is not None else ""
        ax.set_title(f"{which} balance session: #{session.number},\n{session.date_label()}, {counted}",
                     fontsize=9.5)  # short lines: a title wider than its panel would run off the page
        ax.set_xlabel("left  ←  medio-lateral (% LOS)  →  right")
        ax.set_ylabel("back  ←  antero-posterior (% LOS)  →  forward")
    figure.suptitle(f"{report.level_title(level)} · {device_label(*device)}", fontsize=10.5)
    return figure


def _polygon_segments(points: dict[float, float]) -> list[tuple[list[float], list[float]]]:
    """The polygon's outline, joined only between neighbouring measured directions (at most 45 degrees apart):
    a direction with no trial is left open, never bridged as if the player could not reach there."""
    angles = sorted(points)
    if not angles:
        return []
    segments: list[tuple[list[float], list[float]]] = []
    xs: list[float] = []
    ys: list[float] = []
    closed = len(angles) > 2 and (angles[0] + 360 - angles[-1]) <= 45.0 + 1e-6
    for i, angle in enumerate(angles):
        if xs and angle - angles[i - 1] > 45.0 + 1e-6:
            segments.append((xs, ys))
            xs, ys = [], []
        xs.append(points[angle] * math.cos(math.radians(angle)))
        ys.append(points[angle] * math.sin(math.radians(angle)))
    segments.append((xs, ys))
    if closed:
        first_x, first_y = segments[0]
        if len(segments) == 1:
            segments[0] = (first_x + first_x[:1], first_y + first_y[:1])
        else:  # the last run continues into the first across 0 degrees
            last_x, last_y = segments.pop()
            segments[0] = (last_x + first_x, last_y + first_y)
    return segments


@_literal
def los_figure(report: PlayerReport, group: Group | None = None,
               into: FigureBase | None = None) -> FigureBase | None:
    """The LOS polygon (largest excursion per direction) of the first and the latest reach session of one level
    and device group (default: the first), with the directions each covered."""
    groups = reach_groups(report)
    if not groups:
        return None
    level, device = group or groups[0]
    reach = [s for s in report.by_group(level, device) if s.is_reach()]
    if not reach:
        return None
    chosen = [("First", reach[0], FIRST_COLOUR, "--", "s")]
    if len(reach) > 1:
        chosen.append(("Latest", reach[-1], LATEST_COLOUR, "-", "o"))
    figure = _canvas(into, (6.4, 6.6))
    ax = figure.subplots()
    theta = np.linspace(0, 2 * np.pi, 361)
    for radius, style in ((100, "-"), (50, ":")):
        ax.plot(radius * np.cos(theta), radius * np.sin(theta), style, color="#888888", lw=0.9)
    ax.text(0, 101, "100 % LOS (calibrated limit)", ha="center", va="bottom", fontsize=8, color="#555555")
    for which, session, colour, style, marker in chosen:
        polygon = session.measures.los_polygon()
        label = f"{which}: session #{session.number}, {session.date_label()}, {coverage_text(polygon)}"
        for index, (xs, ys) in enumerate(_polygon_segments(polygon)):
            ax.plot(xs, ys, style, color=colour, lw=2, marker=marker, ms=5, label=label if index == 0 else None)
        targets: dict[float, float] = {}
        for trial in session.measures.reach:
            key = float(trial.direction_deg) % 360.0
            targets[key] = max(targets.get(key, 0.0), trial.target_distance_pct)
        tx = [d * math.cos(math.radians(a)) for a, d in targets.items()]
        ty = [d * math.sin(math.radians(a)) for a, d in targets.items()]
        ax.plot(tx, ty, "x", color=colour, ms=6, mew=1.5, alpha=0.8)
    ax.plot([], [], "x", color="#555555", label="targets (farthest per direction)")
    for angle, name in DIRECTION_NAMES.items():
        ax.text(118 * math.cos(math.radians(angle)), 118 * math.sin(math.radians(angle)), name,
                ha="center", va="center", fontsize=8, color="#333333")
    _axes_cross(ax, 135)
    ax.set_xlabel("medio-lateral (% LOS)")
    ax.set_ylabel("antero-posterior (% LOS)")
    ax.set_title(f"{report.level_title(level)} · {device_label(*device)}\nLargest excursion per direction; a "
                 "direction without trials is left open", fontsize=10)
    figure.legend(loc="outside lower center", fontsize=8, frameon=False)
    return figure


def better_words(better: str | None) -> str:
    """e.g. "lower is better"; "no agreed better direction" when none is known."""
    return f"{better} is better" if better else "no agreed better direction"


#: The date axis of sessions: one date alone is shown on an axis of 3 days (matplotlib would span four
#: years around it); sessions minutes apart on one of at least 10 minutes, so they are told apart by
#: their time of day, with the date alone as the axis' offset (never a date and time that would run
#: into the axis label: tests/telemetry/report/test_trend_dates.py).
ONE_DATE_DAYS = 3.0
SESSIONS_SHORTEST_DAYS = 10 / (24 * 60)


def _date_axis(ax: Axes, days: list[float], *, shortest: float = 7.0, alone: float = 7.0, maxticks: int = 7) -> None:
    """Dates on the x axis, at least ``shortest`` days wide (``alone`` days around a single date), so one or
    a few close points do not give odd ticks (the clinical tests' default: a week)."""
    if days:
        low, high = min(days), max(days)
        width = alone if high == low else shortest
        if high - low < width:
            middle = (low + high) / 2
            low, high = middle - width / 2, middle + width / 2
        pad = 0.06 * (high - low)
        ax.set_xlim(low - pad, high + pad)
    _date_ticks(ax, maxticks=maxticks)


class _DateTicks(AutoDateLocator):
    """``AutoDateLocator`` that works out the ticks of a date range once, the same ticks, far fewer times.

    Drawing a figure under constrained layout asks an axis for its ticks a dozen times (layout,
    tight boxes, the real drawing), and, for axes sharing their x axis, every sibling again for
    each axis' label position: 88 calls for the four panels of a one-level trend figure, each
    walking a dateutil rrule, a tenth to a fifth of the figure's CPU. The ticks depend on nothing
    but the view range, so they are kept per range and the figure is drawn exactly as before
    (tests/telemetry/report/test_date_ticks.py compares ticks, labels and pixels with matplotlib's).
    """

    def __init__(self, maxticks: int) -> None:
        super().__init__(minticks=3, maxticks=maxticks)  # type: ignore[no-untyped-call]
        self._known: dict[tuple[float, float], np.ndarray] = {}

    def __call__(self) -> Any:
        assert self.axis is not None, "a locator draws ticks once it is set on an axis"
        low, high = self.axis.get_view_interval()
        key = (float(low), float(high))
        if key not in self._known:
            self._known[key] = np.asarray(super().__call__())  # type: ignore[no-untyped-call]
        return self._known[key].copy()


class _DateLabels(ConciseDateFormatter):
    """``ConciseDateFormatter`` that formats a set of tick dates once (see ``_DateTicks``), with the same offset."""

    def __init__(self, locator: AutoDateLocator) -> None:
        super().__init__(locator)  # type: ignore[no-untyped-call]
        self._known: dict[tuple[object, ...], tuple[list[str], str]] = {}
        self._shown_offset = ""

    def format_ticks(self, values: Any) -> list[str]:
        axis = self._locator.axis
        inverted = bool(axis.get_inverted()) if axis is not None else False  # the offset names the first date then
        key = (inverted, *(float(v) for v in values))
        if key not in self._known:
            labels = list(super().format_ticks(values))  # type: ignore[no-untyped-call]
            self._known[key] = (labels, str(super().get_offset()))  # type: ignore[no-untyped-call]
        labels, self._shown_offset = self._known[key]
        return list(labels)

    def get_offset(self) -> str:
        """The offset (e.g. the year) of the ticks formatted last."""
        return self._shown_offset


def _date_ticks(ax: Axes, maxticks: int) -> None:
    """Dates on the x axis: 3 to ``maxticks`` ticks at round dates, labelled as concisely as they allow."""
    locator = _DateTicks(maxticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(_DateLabels(locator))


@_literal
def clinic_figure(report: PlayerReport, into: FigureBase | None = None) -> FigureBase | None:
    """Clinical tests and check-ins by date, a panel each, with their unit and which way is better (None: none)."""
    panels = clinic_panels(report)
    if not panels:
        return None
    columns = 1 if len(panels) == 1 else 2
    rows = math.ceil(len(panels) / columns)
    figure = _canvas(into, (10 if columns == 2 else 6, 2.7 * rows + 0.3))
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    days = [_day_number(when) for panel in panels for _, points in panel.lines for when, _ in points]
    for ax, panel in zip(axes, panels, strict=False):
        _clinic_panel(ax, panel)
        _date_axis(ax, days)  # one date range for every panel: a test and a check-in line up
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    return figure


def _clinic_panel(ax: Axes, panel: ClinicPanel) -> None:
    for index, (label, points) in enumerate(panel.lines):
        xs = [_day_number(when) for when, _ in points]
        ys = [value for _, value in points]
        ax.plot(xs, ys, color=PALETTE[index], linestyle=DASHES[index], marker=MARKERS[index], ms=6, lw=1.6,
                label=label)
        if len(points) <= 12 and len(panel.lines) == 1:  # values beside the points (two lines: the table has them)
            for x, y in zip(xs, ys, strict=True):
                ax.annotate(f"{y:g}", (x, y), xytext=(0, 7 if index == 0 else -8), textcoords="offset points",
                            ha="center", va="bottom" if index == 0 else "top", fontsize=7.5, color="#333333")
    unit = f" ({panel.unit})" if panel.unit else ""
    ax.set_title(f"{panel.title}{unit}\n{better_words(panel.better)}", fontsize=9.5, loc="left")
    if panel.limits is not None:
        low, high = panel.limits
        ax.set_ylim(low - 0.12 * (high - low), high + 0.12 * (high - low))  # room for the value labels
    else:
        top = max((v for _, points in panel.lines for _, v in points), default=1.0)
        ax.set_ylim(0, top * 1.25 if top > 0 else 1.0)
    ax.grid(True, color="#dddddd", lw=0.6)
    if len(panel.lines) > 1:
        ax.legend(loc="best", fontsize=8, frameon=True, framealpha=0.85)


@_literal
def physical_figure(report: PlayerReport, group: PhysicalGroup, into: FigureBase | None = None) -> FigureBase | None:
    """One level and device's sway in cm or degrees by date, over the reference band or the player's own baseline."""
    if not group.sessions:
        return None
    figure = _canvas(into, (10, 3.4))
    axes = figure.subplots(1, len(PHYSICAL_SHOWN), squeeze=False).ravel()
    days = [d for s in group.sessions if (w := _when(s)) is not None for d in [_day_number(w)]]
    for ax, (name, label, _suffix, _) in zip(axes, PHYSICAL_SHOWN, strict=True):
        points = [(_day_number(w), v, s.row["status"]) for s in group.sessions
                  if s.physical is not None and (v := s.physical.mean(name)) is not None and (w := _when(s))]
        band = group.bands.get(name)
        if band is not None:
            # Hatched as well as tinted, so the band shows on a black-and-white print.
            ax.axhspan(band.low, band.high, facecolor=(0.34, 0.71, 0.91, 0.18), edgecolor=(0.0, 0.45, 0.70, 0.45),
                       hatch="///", lw=0, label=band.label.split(":")[0] + " band")
            for edge in (band.low, band.high):
                ax.axhline(edge, color="#0072B2", lw=0.8, linestyle=":")
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], "-o", color="#000000", lw=1.4, ms=5,
                    label="session mean")
            hollow = [(x, v) for x, v, status in points if status != "completed"]
            if hollow:
                ax.plot(*zip(*hollow, strict=True), linestyle="none", marker="o", mfc="white", mec="#000000", ms=5)
        top = max([p[1] for p in points] + ([band.high] if band else []) + [1e-9])
        ax.set_ylim(0, top * 1.2)
        ax.set_title(f"{label} ({group.unit_of(name)})\nlower is better", fontsize=9.5, loc="left")
        ax.grid(True, color="#dddddd", lw=0.6)
        _date_axis(ax, days, shortest=SESSIONS_SHORTEST_DAYS, alone=ONE_DATE_DAYS)
        ax.set_xlabel("date of the session (local time)", fontsize=8.5, loc="left")
        ax.legend(loc="lower left", fontsize=7.5, frameon=True, framealpha=0.85)
    return figure
