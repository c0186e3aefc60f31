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
from typing import Literal

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from telemetry.report.data import DIRECTION_NAMES, REACH_SHOWN, SWAY_SHOWN, PlayerReport, SessionReport

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


def make_literal(figure: Figure) -> Figure:
    """Turn mathtext and TeX off on every text already in the figure (titles, legends, labels)."""
    for text in figure.findobj(Text):
        assert isinstance(text, Text)
        text.set_parse_math(False)
        text.set_usetex(False)
    return figure


def _literal(build: Callable[[PlayerReport], Figure | None]) -> Callable[[PlayerReport], Figure | None]:
    """Build a figure under ``literal_text`` and make every text in it literal."""

    @functools.wraps(build)
    def literal_build(report: PlayerReport) -> Figure | None:
        with literal_text():
            figure = build(report)
        return None if figure is None else make_literal(figure)

    return literal_build


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG bytes (texts literal, tick labels included)."""
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    with literal_text():
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _level_colours(report: PlayerReport) -> dict[str, str]:
    return {level: PALETTE[i % len(PALETTE)] for i, level in enumerate(report.levels)}


def _panel(ax: Axes, report: PlayerReport, colours: dict[str, str], title: str, unit: str, value_of: ValueOf, *,
           ylim: YLimits = None) -> bool:
    drawn = False
    for level in report.levels:
        points = [(s.number, v, s.row["status"]) for s in report.by_level(level) if (v := value_of(s)) is not None]
        if not points:
            continue
        drawn = True
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        label = report.by_level(level)[0].row.get("level_title") or level
        ax.plot(xs, ys, "-", color=colours[level], lw=1.6, label=label)
        finished = [(n, v) for n, v, status in points if status == "completed"]
        other = [(n, v) for n, v, status in points if status != "completed"]
        if finished:
            ax.plot(*zip(*finished, strict=True), "o", color=colours[level], ms=6)
        if other:  # aborted, interrupted or running: hollow markers
            ax.plot(*zip(*other, strict=True), "o", mfc="white", mec=colours[level], mew=1.6, ms=6)
    ax.set_title(f"{title} ({unit})" if unit else title, fontsize=10, loc="left")
    ax.grid(True, color="#dddddd", lw=0.6)
    if ylim == "zero":
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 1e-9) * 1.05)
    elif ylim == "top100":
        ax.set_ylim(top=105)
    elif ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlim(0.5, len(report.sessions) + 0.5)
    ax.xaxis.set_major_locator(_session_ticks(len(report.sessions)))
    return drawn


def _session_ticks(count: int) -> MaxNLocator:
    """At most ~12 integer session numbers on the x axis."""
    return MaxNLocator(nbins=min(12, max(count, 1)), integer=True)


def _sway_figure(name: str) -> ValueOf:
    """A session's sway measure ``name`` (None without balance trials)."""
    return lambda s: s.sway_figures().get(name)


def _reach_figure(key: str) -> ValueOf:
    """A session's reach figure ``key`` (None without reach trials)."""
    return lambda s: s.reach_figures().get(key)


@_literal
def trend_figure(report: PlayerReport) -> Figure | None:
    """Per-session trends: success, difficulty, sway and reach figures, one line per level."""
    colours = _level_colours(report)
    panels: list[tuple[str, str, ValueOf, YLimits]] = [
        ("Success rate", "%", lambda s: None if s.row.get("success_rate") is None else 100 * s.row["success_rate"],
         (-5, 105)),
        ("Difficulty reached", "0 easy - 1 hard", lambda s: s.row.get("difficulty_reached"), (-0.05, 1.05)),
    ]
    # Measures that cannot go below zero start their axis at zero, so noise does not look like a trend.
    if report.balance_sessions():
        for name, label, unit, _ in (SWAY_SHOWN[0], SWAY_SHOWN[2]):
            panels.append((label, unit, _sway_figure(name), "zero"))
    if report.reach_sessions():
        key, label, unit, _ = REACH_SHOWN[0]
        panels.append((label, unit, _reach_figure(key), "zero"))
        key, label, unit, _ = REACH_SHOWN[1]
        panels.append((label + ", 100 = straight", unit, _reach_figure(key), "top100"))
    rows = math.ceil(len(panels) / 2)
    figure = Figure(figsize=(10, 2.6 * rows + 0.6), layout="constrained")
    axes = figure.subplots(rows, 2, squeeze=False).ravel()
    for ax, (title, unit, value_of, ylim) in zip(axes, panels, strict=False):  # an odd count leaves a spare axis
        _panel(ax, report, colours, title, unit, value_of, ylim=ylim)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    for ax in axes[: len(panels)][-2:]:
        ax.set_xlabel("session number (see the sessions table)")
    handles, labels = axes[0].get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    if unique:
        figure.legend(unique.values(), unique.keys(), loc="outside upper center", ncols=min(4, len(unique)),
                      frameon=False, title="filled = completed, hollow = aborted / interrupted")
    return figure


def _ellipse_points(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The 95 % prediction ellipse of the points (Schubert & Kirchner 2014), for drawing."""
    from scipy.stats import f as f_dist

    n = x.size
    if n < 10:
        return None
    cov = np.cov(x, y, ddof=1)
    scale = 2 * f_dist.ppf(0.95, 2, n - 2) * (n - 1) * (n + 1) / (n * (n - 2))
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
def sway_paths_figure(report: PlayerReport) -> Figure | None:
    """The balance-trial paths of the first and the latest balance session, on the same scale."""
    balance = report.balance_sessions()
    if not balance:
        return None
    chosen: list[SessionReport] = [balance[0]] if len(balance) == 1 else [balance[0], balance[-1]]
    extent = max(
        max(float(np.max(np.abs(np.concatenate([x, y])))) for x, y in s.measures.sway_paths) for s in chosen
    )
    limit = max(10.0, math.ceil(extent * 1.1 / 10) * 10)
    figure = Figure(figsize=(10 if len(chosen) == 2 else 5.2, 5.2), layout="constrained")
    axes = figure.subplots(1, len(chosen), squeeze=False).ravel()
    colours_and_names = zip((FIRST_COLOUR, LATEST_COLOUR), ("First", "Latest"), strict=True)
    for ax, session, (colour, which) in zip(axes, chosen, colours_and_names, strict=False):  # one or two sessions
        for x, y in session.measures.sway_paths:
            ax.plot(x, y, "-", color=colour, lw=0.5, alpha=0.75)
        every_x = np.concatenate([x for x, _ in session.measures.sway_paths])
        every_y = np.concatenate([y for _, y in session.measures.sway_paths])
        ellipse = _ellipse_points(every_x, every_y)
        if ellipse is not None:
            ax.plot(*ellipse, "--", color="#000000", lw=1.2, label="95 % ellipse of all samples")
            ax.legend(loc="lower right", fontsize=8, frameon=False)
        _axes_cross(ax, limit)
        sway = session.measures.sway
        counted = f"{sway.trials_used} balance trials, {sway.seconds:.0f} s" if sway is not None else ""
        ax.set_title(f"{which} balance session: #{session.number}, {session.date_label()}\n{counted}", fontsize=10)
        ax.set_xlabel("left  ←  medio-lateral (% LOS)  →  right")
        ax.set_ylabel("back  ←  antero-posterior (% LOS)  →  forward")
    return figure


def _polygon(points: dict[float, float]) -> tuple[list[float], list[float]]:
    angles = sorted(points)
    xs = [points[a] * math.cos(math.radians(a)) for a in angles]
    ys = [points[a] * math.sin(math.radians(a)) for a in angles]
    return xs + xs[:1], ys + ys[:1]


@_literal
def los_figure(report: PlayerReport) -> Figure | None:
    """The LOS polygon (largest excursion per direction) of the first and the latest reach session."""
    reach = report.reach_sessions()
    if not reach:
        return None
    chosen = [("First", reach[0], FIRST_COLOUR, "--")]
    if len(reach) > 1:
        chosen.append(("Latest", reach[-1], LATEST_COLOUR, "-"))
    figure = Figure(figsize=(6.4, 6.2), layout="constrained")
    ax = figure.subplots()
    theta = np.linspace(0, 2 * np.pi, 361)
    for radius, style in ((100, "-"), (50, ":")):
        ax.plot(radius * np.cos(theta), radius * np.sin(theta), style, color="#888888", lw=0.9)
    ax.text(0, 101, "100 % LOS (calibrated limit)", ha="center", va="bottom", fontsize=8, color="#555555")
    for which, session, colour, style in chosen:
        polygon = session.measures.los_polygon()
        xs, ys = _polygon(polygon)
        ax.plot(xs, ys, style, color=colour, lw=2, marker="o", ms=4,
                label=f"{which}: session #{session.number}, {session.date_label()}")
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
    ax.set_title("Limits of stability reached: largest excursion per direction", fontsize=10)
    figure.legend(loc="outside lower center", fontsize=8, frameon=False)
    return figure
