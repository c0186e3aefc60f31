"""The trends' date axis reads sensibly for one session and for sessions minutes, days or months apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import date2num
from matplotlib.figure import Figure

from telemetry.measures.session import SessionMeasures
from telemetry.report import pdf, plots
from telemetry.report.data import PlayerReport, SessionReport

START = datetime(2026, 11, 30, 22, 8, 5, tzinfo=UTC)
#: The gaps between a player's sessions: one session alone, back-to-back one-minute sessions (the offset used
#: to read "2026-Nov-30 22:10", into the axis label), minutes, days and months apart.
CASES = {
    "one session": [],
    "a minute apart": [timedelta(seconds=70), timedelta(seconds=65)],
    "minutes apart": [timedelta(minutes=4), timedelta(minutes=9)],
    "days apart": [timedelta(days=1), timedelta(days=2)],
    "months apart": [timedelta(days=40), timedelta(days=75)],
}


def _report(gaps: list[timedelta]) -> PlayerReport:
    sessions = []
    when = START
    for number, gap in enumerate([timedelta(0), *gaps], start=1):
        when += gap
        row = {"started_at": when.isoformat(), "level": "garden-balance", "level_title": "Garden Balance",
               "status": "completed", "success_rate": 0.3 + 0.1 * number, "difficulty_reached": 0.1 * number,
               "device": "sim:0.50", "trials": 3}
        sessions.append(SessionReport(number, row, SessionMeasures(number, 120.0, None), None))
    return PlayerReport("p1", "2026-12-01T00:00:00+00:00", "p.db", sessions, levels=["garden-balance"])


def _session_days(report: PlayerReport) -> list[float]:
    return [float(date2num(s.started_local.replace(tzinfo=None))) for s in report.sessions if s.started_local]


def _standalone(report: PlayerReport) -> Figure:
    figure = plots.trend_figure(report)
    assert isinstance(figure, Figure)
    FigureCanvasAgg(figure)
    return figure


def _pdf_page(report: PlayerReport) -> Figure:
    pages: list[Figure] = []
    pdf._figure_page(pages, lambda body: plots.trend_figure(report, into=body), "Trends over sessions")
    assert len(pages) == 1
    FigureCanvasAgg(pages[0])
    return pages[0]


def test_one_session_is_shown_on_an_axis_of_a_few_days_not_years():
    report = _report(CASES["one session"])
    figure = _standalone(report)
    figure.canvas.draw()
    low, high = figure.axes[0].get_xlim()
    (day,) = _session_days(report)
    assert low < day < high
    assert high - low <= 4, f"the axis spans {high - low:.0f} days around a single session"
    labels = [label.get_text() for label in figure.axes[0].get_xticklabels() if label.get_text()]
    assert len(labels) >= 2 and not any(label.isdigit() and len(label) == 4 for label in labels), labels  # no years


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("make", [_standalone, _pdf_page], ids=["png", "pdf page"])
def test_the_date_offset_never_runs_into_the_axis_label_and_every_session_is_in_view(case, make):
    report = _report(CASES[case])
    figure = make(report)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    labelled = [ax for ax in figure.axes if ax.get_visible() and ax.get_xlabel()]
    assert len(labelled) == 2  # the lowest panel of each column
    days = _session_days(report)
    for ax in labelled:
        low, high = ax.get_xlim()
        assert all(low < day < high for day in days)
        if len(days) > 1:  # the sessions spread over most of the axis, not squeezed into a corner
            assert (max(days) - min(days)) / (high - low) >= 0.1
        offset = ax.xaxis.get_offset_text()
        label = ax.xaxis.get_label()
        if not offset.get_text():
            continue
        offset_box, label_box = offset.get_window_extent(renderer), label.get_window_extent(renderer)
        assert not offset_box.overlaps(label_box), (offset.get_text(), offset_box, label_box)
        if offset_box.y0 < label_box.y1 and label_box.y0 < offset_box.y1:  # side by side: a clear gap between
            gap_in = (offset_box.x0 - label_box.x1) / figure.dpi
            assert gap_in >= 0.1, f"{gap_in:.2f} inch between the axis label and {offset.get_text()!r}"
        assert ":" not in offset.get_text()  # the date alone: the ticks give the time of day
