"""Figures are laid out once and drawn once when saved, to the same picture as matplotlib's own double draw."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import numpy as np
from matplotlib import image as mpimage
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from telemetry.measures.session import SessionMeasures
from telemetry.report import pdf, plots
from telemetry.report.data import PlayerReport, SessionReport

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _report() -> PlayerReport:
    """Two levels over four weeks: two lines and a legend on two panels."""
    sessions = []
    for number in range(1, 7):
        level = "garden-balance" if number % 2 else "space-reach"
        row = {"started_at": (START + timedelta(days=5 * number)).isoformat(), "level": level,
               "level_title": level.replace("-", " ").title(), "status": "completed" if number != 3 else "aborted",
               "success_rate": 0.1 * number, "difficulty_reached": 0.05 * number, "device": "sim:0.50",
               "trials": 4}
        sessions.append(SessionReport(number, row, SessionMeasures(number, 120.0, None), None))
    return PlayerReport("p1", "2026-04-01T00:00:00+00:00", "p.db", sessions,
                        levels=["garden-balance", "space-reach"])


def _count_draws(figure: Figure) -> list[int]:
    calls: list[int] = []
    draw = figure.draw

    def counted(renderer):
        calls.append(1)
        return draw(renderer)

    figure.draw = counted  # type: ignore[method-assign]
    return calls


def _pixels(png: bytes) -> np.ndarray:
    return mpimage.imread(io.BytesIO(png), format="png")


def test_a_picture_is_drawn_once_and_matches_the_constrained_layout_of_savefig():
    plain = plots.trend_figure(_report())
    assert isinstance(plain, Figure) and plain.get_layout_engine() is not None
    FigureCanvasAgg(plain)
    plain_draws = _count_draws(plain)
    buffer = io.BytesIO()
    with plots.literal_text():
        plain.savefig(buffer, format="png", dpi=plots.DPI)
    assert len(plain_draws) == 2  # matplotlib's way: a draw to lay out, then the real one

    figure = plots.trend_figure(_report())
    assert isinstance(figure, Figure)
    draws = _count_draws(figure)
    png = plots.png_bytes(figure)
    assert len(draws) == 1
    assert figure.get_layout_engine() is None
    assert [ax.get_position().bounds for ax in figure.axes] == [ax.get_position().bounds for ax in plain.axes]
    assert np.array_equal(_pixels(png), _pixels(buffer.getvalue()))


def _trend_page() -> Figure:
    pages: list[Figure] = []
    report = _report()
    pdf._figure_page(pages, lambda body: plots.trend_figure(report, into=body), "Trends over sessions", "A note.")
    return pages[0]


def test_a_pdf_page_is_drawn_once_with_the_layout_the_pdf_renderer_gives():
    plain = _trend_page()
    plain_draws = _count_draws(plain)
    with plots.literal_text(), PdfPages(io.BytesIO()) as document:
        document.savefig(plain)
    assert len(plain_draws) == 2

    page = _trend_page()
    draws = _count_draws(page)
    with plots.literal_text(), PdfPages(io.BytesIO()) as document:
        pdf._add_page(document, page)
    assert len(draws) == 1
    # The same to the last bits that matter (rounding differs by 1e-17 of the page: the figure's dpi at layout).
    assert len(page.axes) == len(plain.axes) == 2  # success rate and difficulty (no balance trials here)
    np.testing.assert_allclose([ax.get_position().bounds for ax in page.axes],
                               [ax.get_position().bounds for ax in plain.axes], rtol=0, atol=1e-12)
    np.testing.assert_allclose([s.bbox_relative.bounds for s in page.subfigs],
                               [s.bbox_relative.bounds for s in plain.subfigs], rtol=0, atol=1e-12)


def test_a_page_without_a_layout_engine_is_left_as_it_is():
    page = Figure(figsize=pdf.A4_PORTRAIT)
    ax = page.add_axes((0.1, 0.1, 0.8, 0.8))
    plots.lay_out_once(page)
    assert page.get_layout_engine() is None and ax.get_position().bounds == (0.1, 0.1, 0.8, 0.8)
