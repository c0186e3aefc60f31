"""matplotlib alone drawing what a played-session report draws: the baseline ``bench_report.py --played`` compares to.

Usage: python benchmarks/_bare_report_figures.py [--skip-docs] [--no-layout]

No Proprio code: numpy and matplotlib's object API (Agg), three figures of the sizes, panels and
texts of a report of one played Garden Balance session (``docs/reports.md``): the trends (2 x 2
panels by date, two-line titles, a two-line legend above), sway in degrees by date (1 x 2) and a
60 s sway path with its ellipse (6,000 points). Each is saved as a 110 dpi PNG into memory.

* as matplotlib's documentation writes it: constrained layout, ``savefig`` (which draws twice);
* ``--skip-docs``: matplotlib imported without its docstring tables (``telemetry.report.drawing``
  does the same, in one line, here repeated to keep this script free of Proprio code);
* ``--no-layout``: no layout engine, so one draw per figure (labels may overlap or be cut: a floor,
  not a usable report).

Run by ``bench_report.py --played`` as a child process, whose CPU is measured: the cheapest way
matplotlib can make these pictures on this machine is the floor under the report's fixed cost.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime

if "--skip-docs" in sys.argv:
    import matplotlib.artist

    matplotlib.artist.kwdoc = lambda artist: ""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

LAYOUT = None if "--no-layout" in sys.argv else "constrained"
WHEN = [datetime(2026, 12, 1, 0, 46)]


def save(figure: Figure) -> int:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return len(buffer.getvalue())


def trends(rows: int, columns: int, size: tuple[float, float]) -> Figure:
    figure = Figure(figsize=size, layout=LAYOUT)
    for number, ax in enumerate(figure.subplots(rows, columns, sharex=True).flat):
        ax.plot(WHEN, [60.0 + number], marker="o")
        ax.annotate("A", (WHEN[0], 60.0 + number), xytext=(5, 0), textcoords="offset points", fontweight="bold")
        ax.set_title(f"Measure {number} (unit)\nlower is better", loc="left", fontsize=10)
        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.set_xlabel("date of the session (local time)", fontsize=8, loc="left")
        ax.grid(True, color="#dddddd")
    figure.suptitle("Each line: its letter at its latest point, its own marker and dash style.\n"
                    "Filled = completed, hollow = aborted / interrupted", fontsize=9)
    return figure


def sway_path() -> Figure:
    rng = np.random.default_rng(1)
    figure = Figure(figsize=(5.2, 5.2), layout=LAYOUT)
    ax = figure.subplots()
    ax.plot(np.cumsum(rng.normal(0, 1, 6000)), np.cumsum(rng.normal(0, 1, 6000)), lw=0.6, color="#E69F00")
    angle = np.linspace(0, 2 * np.pi, 200)
    ax.plot(60 * np.cos(angle), 60 * np.sin(angle), "k--", label="95 % ellipse of all samples")
    ax.axhline(0, color="#888888", lw=0.6)
    ax.axvline(0, color="#888888", lw=0.6)
    ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize=7)
    ax.set_title("Garden Balance · simulated player, raw deg\nFirst balance session: #1, 6 balance trials, 52 s",
                 fontsize=10)
    ax.set_xlabel("left ← medio-lateral (% LOS) → right")
    ax.set_ylabel("back ← antero-posterior (% LOS) → forward")
    ax.grid(True, color="#eeeeee")
    return figure


if __name__ == "__main__":
    print(save(trends(2, 2, (10.0, 6.05))), save(trends(1, 2, (10.0, 3.4))), save(sway_path()))
