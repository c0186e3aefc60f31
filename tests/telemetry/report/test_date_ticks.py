"""The report's date ticks, worked out once per date range, are matplotlib's own: same ticks, labels, offset, pixels."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import numpy as np
import pytest
from matplotlib import image as mpimage
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from telemetry.report import plots

START = datetime(2026, 3, 2, 9, 0)
#: Sessions minutes, days, months and years apart, and a single session (the locator widens its range).
SPANS = [timedelta(minutes=7), timedelta(days=3), timedelta(days=45), timedelta(days=400), timedelta(days=2000),
         timedelta(0)]


def _figure(span: timedelta, memoised: bool, panels: int = 4) -> Figure:
    """``panels`` panels sharing their date axis, each a line over the span, laid out as the report's are."""
    figure = Figure(figsize=(8, 1.6 * panels), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(panels, 1, sharex=True)
    days = date2num([START, START + span / 2, START + span])
    for index, ax in enumerate(axes):
        ax.plot(days, [index, index + 1, index + 3], "-o")
        if memoised:
            plots._date_ticks(ax, maxticks=8)
        else:
            locator = AutoDateLocator(minticks=3, maxticks=8)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.margins(x=0.08)
        ax.tick_params(labelbottom=True)  # every panel's labels drawn: each formats the ticks again
    return figure


def _drawn(figure: Figure) -> tuple[np.ndarray, list[list[float]], list[list[str]], list[str]]:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=60)
    pixels = mpimage.imread(io.BytesIO(buffer.getvalue()), format="png")
    axes = figure.axes
    ticks = [list(ax.get_xticks()) for ax in axes]
    labels = [[label.get_text() for label in ax.get_xticklabels()] for ax in axes]
    offsets = [ax.xaxis.get_offset_text().get_text() for ax in axes]
    return pixels, ticks, labels, offsets


@pytest.mark.parametrize("span", SPANS, ids=lambda s: str(s))
def test_the_remembered_ticks_draw_exactly_what_matplotlib_draws(span):
    plain_pixels, plain_ticks, plain_labels, plain_offsets = _drawn(_figure(span, memoised=False))
    pixels, ticks, labels, offsets = _drawn(_figure(span, memoised=True))
    assert ticks == plain_ticks and len(ticks[0]) >= 2
    assert labels == plain_labels and any(label for label in labels[0])
    assert offsets == plain_offsets
    assert np.array_equal(pixels, plain_pixels)


def test_a_shared_date_range_is_worked_out_once_and_a_new_range_again():
    figure = _figure(timedelta(days=45), memoised=True)
    _drawn(figure)
    locator = figure.axes[0].xaxis.get_major_locator()
    formatter = figure.axes[0].xaxis.get_major_formatter()
    assert isinstance(locator, plots._DateTicks) and isinstance(formatter, plots._DateLabels)
    assert len(locator._known) == 1 and len(formatter._known) == 1  # the four panels' many asks: one range
    figure.axes[0].set_xlim(date2num(START), date2num(START + timedelta(days=400)))
    _drawn(figure)
    assert len(locator._known) == 2
    assert figure.axes[0].xaxis.get_offset_text().get_text() == ""  # a year boundary inside: no offset
    assert "2027" in [label.get_text() for label in figure.axes[0].get_xticklabels()]
