"""The progress report as a PDF (matplotlib's PdfPages): the same tables and plots as the HTML, on A4 pages.

Every page is A4 portrait (210 x 297 mm, plots are laid out again at that size) and carries the
player's ID and "page N of M": pages are gathered first, then numbered and written. Every text
is drawn literally (``parse_math=False``, ``usetex=False``): see ``plots.literal_text``.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from typing import IO

import telemetry.report.drawing  # noqa: F401  (before matplotlib: its docstring tables are not built)

# isort: split
from matplotlib.backends.backend_pdf import FigureCanvasPdf, PdfPages
from matplotlib.figure import Figure, FigureBase
from matplotlib.patches import Rectangle

from telemetry.report.data import PlayerReport, has_trends, physical_groups
from telemetry.report.html import header_lines
from telemetry.report.plots import (
    clinic_figure,
    coverage_text,
    lay_out_once,
    literal_text,
    los_figure,
    make_literal,
    physical_figure,
    reach_groups,
    sway_groups,
    sway_paths_figure,
    trend_figure,
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

A4_PORTRAIT = (210 / 25.4, 297 / 25.4)  # inches
ROWS_PER_PAGE = 30
HEADER_BG, MUTED = "#eef2f6", "#666666"

HOW_TO_READ = [
    "Positions are in % of the player's limits of stability (LOS), as calibrated for the device: 100 % is as far "
    "as the player could lean in that direction. Sessions without a stored calibration use the device's default "
    "range (see Device and calibration).",
    "Sway is measured on the balance (hold) trials with the published measures (Prieto 1996; 95 % prediction "
    "ellipse, Schubert & Kirchner 2014; mean power frequency, Santos & Duarte 2016): each trial on its own, then "
    "the mean over the session's trials. Smaller velocity, distance and area mean less sway. The game's wind "
    "pushes the player during these trials, so compare sessions of the same level rather than with "
    "quiet-standing norms.",
    "Reach trials are scored like a limits-of-stability test (NeuroCom/Biodex): the largest excursion toward each "
    "target (the LOS polygon), directional control (100 % = a straight line to the target), reaction time and "
    "movement velocity. Targets sit inside the LOS, so excursions reflect the targets the game chose as much as "
    "the player's limits. If the player is already moving when a target appears, reaction time is 0 s and "
    "directional control is low: read the excursions first.",
    "Difficulty is the game's normalized setting (0 easiest, 1 hardest), adapted after every trial; success is "
    "the share of trials won. Sessions that were aborted, interrupted or are still running are greyed in the "
    "tables and drawn as hollow points.",
    "Sessions keep their numbers (#21 is session 21 in proprio sessions and every export); trends are drawn by "
    "date. Sessions are compared only with sessions of the same level and the same kind of device and raw unit: a "
    "simulated player in degrees and a balance board in millimetres rest on different sensors and calibrations. "
    "The Reading column says better, worse or no real change (within the trial-to-trial noise); the rule is under "
    "each table.",
]


#: Where finished pages go: straight into the PDF, or a list numbered before writing.
Sink = PdfPages | list[Figure]


class _Page:
    """A page filled from the top with text blocks and tables; coordinates in inches from the bottom left."""

    def __init__(self, pdf: Sink, size: tuple[float, float] = A4_PORTRAIT, margin_in: float = 0.7,
                 constrained: bool = False) -> None:
        self.pdf, self.size, self.margin = pdf, size, margin_in
        # Constrained layout lays out only a plot added in a grid cell (figure_above); the page's own axes,
        # added with add_axes, stays where it is.
        self.figure = Figure(figsize=size, layout="constrained" if constrained else None)
        self.ax = self.figure.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, size[0])
        self.ax.set_ylim(0, size[1])
        self.ax.axis("off")
        self.y = size[1] - margin_in

    @property
    def width(self) -> float:
        """Inches between the margins."""
        return self.size[0] - 2 * self.margin

    def room(self) -> float:
        """Inches left above the bottom margin."""
        return self.y - self.margin

    def text(self, text: str, size: float = 9, *, weight: str = "normal", colour: str = "#1a1a1a",
             gap_in: float = 0.06) -> None:
        """A paragraph, wrapped to the page width."""
        lines = textwrap.wrap(text, _chars(self.width, size)) or [""]
        self.ax.text(self.margin, self.y, "\n".join(lines), fontsize=size, fontweight=weight, color=colour,
                     va="top", ha="left", linespacing=LINE_SPACING, parse_math=False, usetex=False)
        self.y -= len(lines) * _line_in(size) + gap_in

    def plot_above(self, draw: Callable[[FigureBase], FigureBase | None], height_in: float) -> bool:
        """Draw a figure into the next ``height_in`` inches of a page made with ``constrained=True``."""
        top = self.size[1] - self.y
        grid = self.figure.add_gridspec(3, 3, height_ratios=(top, height_in, max(self.y - height_in, 0.01)),
                                        width_ratios=(PLOT_SIDE_IN, self.size[0] - 2 * PLOT_SIDE_IN, PLOT_SIDE_IN))
        if draw(self.figure.add_subfigure(grid[1, 1])) is None:
            return False
        self.y -= height_in + 0.15
        return True

    def table_height(self, table: Table, rows: list[list[str]], font: float = 7.5) -> float:
        """Inches the rows (and the header) take when drawn with ``table``."""
        font, _, cells = self._layout(table, rows, font)
        return sum(max(len(c) for c in row) * _line_in(font) + 2 * PAD_IN for row in cells) + 0.12

    def _layout(self, table: Table, rows: list[list[str]], font: float
                ) -> tuple[float, list[float], list[list[list[str]]]]:
        """(font, column widths, wrapped lines of the header and each row): the font shrinks (to 5 pt at the
        least) until every column's longest word fits between the margins."""
        dates = [i for i, h in enumerate(table.headers) if h.startswith("Date")]
        rows = [[c.replace(" ", NBSP) if i in dates else c for i, c in enumerate(row)] for row in rows]
        while True:
            widths = _column_widths(table.headers, rows, self.width, font)
            if sum(widths) <= self.width + 1e-6 or font <= 5.0:
                break
            font = max(5.0, font - 0.25)
        header = [textwrap.wrap(h, _chars(w - 2 * PAD_IN, font * BOLD_EM / CHAR_EM)) or [""]
                  for h, w in zip(table.headers, widths, strict=True)]
        body = [[textwrap.wrap(c, _chars(w - 2 * PAD_IN, font)) or [""] for c, w in zip(row, widths, strict=True)]
                for row in rows]
        return font, widths, [header, *body]

    def table(self, table: Table, rows: list[list[str]], statuses: list[str], font: float = 7.5) -> None:
        """Draw rows of a table, wrapping cells to the column widths (callers split long tables)."""
        font, widths, cells_of_rows = self._layout(table, rows, font)
        line = _line_in(font)
        for index, cells in enumerate(cells_of_rows):
            height = max(len(c) for c in cells) * line + 2 * PAD_IN
            x = self.margin
            muted = index > 0 and statuses and statuses[index - 1] != "completed"
            for column, (lines, w) in enumerate(zip(cells, widths, strict=True)):
                fill = HEADER_BG if index == 0 else ("#fafafa" if muted else "white")
                # add_artist, not add_patch: the page's limits are fixed, so no data limits to work out per cell
                self.ax.add_artist(Rectangle((x, self.y - height), w, height, facecolor=fill, edgecolor="#cfd6dd",
                                             linewidth=0.5))
                left = column < table.text_columns
                self.ax.text(x + PAD_IN if left else x + w - PAD_IN, self.y - PAD_IN, "\n".join(lines),
                             fontsize=font, va="top", ha="left" if left else "right", linespacing=LINE_SPACING,
                             fontweight="bold" if index == 0 else "normal", color=MUTED if muted else "#1a1a1a",
                             parse_math=False, usetex=False)
                x += w
            self.y -= height
        self.y -= 0.12

    def finish(self) -> None:
        """Add the page to the PDF (or to the list of pages)."""
        if isinstance(self.pdf, list):
            self.pdf.append(self.figure)
        else:
            _add_page(self.pdf, self.figure)


LINE_SPACING = 1.3
PLOT_SIDE_IN = 0.55  # white space left and right of a plot (its labels are inside its own box)
NBSP = "\u00a0"  # textwrap never breaks at it: dates stay on one line
PAD_IN = 0.04
CHAR_EM = 0.6  # a generous average character width of DejaVu Sans (digits are 0.64), in font sizes
BOLD_EM = 0.7  # the same for DejaVu Sans Bold


def _chars(width_in: float, font: float) -> int:
    return max(4, int(width_in * 72 / (font * CHAR_EM) + 1e-6))  # a column sized for n characters holds n


def _line_in(font: float) -> float:
    return font * LINE_SPACING / 72


def _column_widths(headers: list[str], rows: list[list[str]], available_in: float, font: float) -> list[float]:
    """Widths that fit the page: every column at least its longest word, the rest shared by need."""
    char_in, bold_in = font * CHAR_EM / 72, font * BOLD_EM / 72
    widths = []
    for index, header in enumerate(headers):
        cells = [row[index] for row in rows]
        natural = max([len(header) * bold_in, *(len(c) * char_in for c in cells)])
        longest = max([len(w) * bold_in for w in header.split(" ")]
                      + [len(w) * char_in for c in cells for w in c.split(" ")])
        widths.append((natural + 2 * PAD_IN, longest + 2 * PAD_IN))
    if sum(n for n, _ in widths) <= available_in:
        return [n for n, _ in widths]
    spare = max(available_in - sum(m for _, m in widths), 0.0)
    total = sum(n - m for n, m in widths) or 1.0
    return [m + spare * (n - m) / total for n, m in widths]


def _add_page(pdf: PdfPages, figure: Figure) -> None:
    """Append one figure as a page, its texts literal (``PdfPages.savefig`` is untyped: typed here once)."""
    savefig: Callable[[Figure], None] = pdf.savefig
    make_literal(figure)
    FigureCanvasPdf(figure)  # laid out with the PDF renderer, as savefig would: see plots.lay_out_once
    lay_out_once(figure)
    savefig(figure)


def _table_pages(pages: list[Figure], table: Table, title: str | None = None, font: float = 7.0) -> None:
    for start in range(0, max(len(table.rows), 1), ROWS_PER_PAGE):
        page = _Page(pages)
        page.text(title or table.title, 13, weight="bold", gap_in=0.12)
        rows = table.rows[start : start + ROWS_PER_PAGE]
        statuses = table.statuses[start : start + ROWS_PER_PAGE] if table.statuses else []
        page.table(table, rows, statuses, font=font)
        if table.note and start + ROWS_PER_PAGE >= len(table.rows):
            page.text(table.note, 7.5, colour="#555555")
        page.finish()


def _flow_table(pages: list[Figure], page: _Page, table: Table, title: str | None = None, font: float = 7.0,
                start_page: bool = False) -> _Page:
    """Draw a table below what ``page`` holds, continuing on new pages as needed; returns the page to go on with.

    A table's title is never left alone at the foot of a page: it moves with the table's first rows.
    """
    title = title or table.title + (f" ({table.subtitle})" if table.subtitle else "")
    note_in = (len(textwrap.wrap(table.note, _chars(page.width, 7.5))) * _line_in(7.5) + 0.1) if table.note else 0.0
    title_in = len(textwrap.wrap(title, _chars(page.width, 11))) * _line_in(11) + 0.1
    if start_page:
        page.finish()
        page = _Page(pages)
    start, total = 0, len(table.rows)
    while True:
        room = page.room() - title_in
        count = total - start
        while count > 0 and page.table_height(table, table.rows[start:start + count], font) + (
                note_in if start + count == total else 0.0) > room:
            count -= 1
        fresh = page.y >= page.size[1] - page.margin - 0.5  # nothing but the header stamp above
        if count == 0 and total > start and not fresh:
            page.finish()
            page = _Page(pages)
            continue
        count = max(count, 1) if total > start else 0  # a row taller than a page still goes somewhere
        page.text(title if start == 0 else f"{title} (continued)", 11, weight="bold", gap_in=0.1)
        statuses = table.statuses[start:start + count] if table.statuses else []
        page.table(table, table.rows[start:start + count], statuses, font=font)
        start += count
        if start >= total:
            if table.note:
                page.text(table.note, 7.5, colour="#555555")
            page.y -= 0.15
            return page
        page.finish()
        page = _Page(pages)


def _figure_table_page(pages: list[Figure], draw: Callable[[FigureBase], FigureBase | None], title: str,
                       note: str, table: Table, height_in: float) -> None:
    """A figure of ``height_in`` inches with its table below it on the same A4 page (the table goes on as needed)."""
    page = _Page(pages, constrained=True)
    page.text(title, 13, weight="bold", gap_in=0.08)
    page.text(note, 9, colour="#333333", gap_in=0.1)
    if not page.plot_above(draw, height_in):
        return
    _flow_table(pages, page, table).finish()


def _figure_page(pages: list[Figure], draw: Callable[[FigureBase], FigureBase | None], title: str,
                 note: str = "") -> None:
    """An A4 page: the title and note at the top, the figure drawn into the space between them and the footer."""
    width, height = A4_PORTRAIT
    lines = textwrap.wrap(note, _chars(width - 1.4, 9)) if note else []
    top_in = 0.7 + 0.3 + len(lines) * _line_in(9) + 0.2
    page = Figure(figsize=A4_PORTRAIT, layout="constrained")
    grid = page.add_gridspec(3, 3, height_ratios=(top_in, height - top_in - 0.7, 0.7),
                             width_ratios=(PLOT_SIDE_IN, width - 2 * PLOT_SIDE_IN, PLOT_SIDE_IN))
    body = page.add_subfigure(grid[1, 1])
    if draw(body) is None:
        return
    page.text(0.7 / width, 1 - 0.7 / height, title, fontsize=13, fontweight="bold", va="top", ha="left",
              parse_math=False, usetex=False)
    if lines:
        page.text(0.7 / width, 1 - 1.0 / height, "\n".join(lines), fontsize=9, va="top", ha="left",
                  linespacing=LINE_SPACING, color="#333333", parse_math=False, usetex=False)
    pages.append(page)


def _stamp(pages: list[Figure], report: PlayerReport) -> None:
    """Every page: the player's ID and the report's date at the top, "page N of M" at the bottom."""
    total = len(pages)
    made = report.generated_at[:10]
    for number, figure in enumerate(pages, start=1):
        width, height = figure.get_size_inches()
        figure.text(1 - 0.7 / width, 1 - 0.35 / height, f"Player {report.player_id} · Proprio progress report "
                    f"· made {made}", fontsize=7.5, color="#444444", ha="right", va="top", parse_math=False,
                    usetex=False)
        figure.text(0.5, 0.35 / height, f"Player {report.player_id} · page {number} of {total}", fontsize=8,
                    color="#444444", ha="center", va="bottom", parse_math=False, usetex=False)


def write_pdf(report: PlayerReport, handle: IO[bytes]) -> None:
    """Write the report as a multi-page PDF to an open binary file, every text literal (no mathtext, no TeX)."""
    created = datetime.now(UTC)
    with literal_text():
        pages = report_pages(report)
        with PdfPages(handle, metadata={"Title": header_lines(report)[0], "Creator": "Proprio",
                                        "CreationDate": created}) as pdf:
            for figure in pages:
                _add_page(pdf, figure)


def report_pages(report: PlayerReport) -> list[Figure]:
    """Every page of the PDF as an A4 figure, numbered and stamped with the player's ID (texts literal)."""
    with literal_text():
        return _report_pages(report)


def _report_pages(report: PlayerReport) -> list[Figure]:
    title, meta = header_lines(report)
    pages: list[Figure] = []
    page = _Page(pages)
    page.text(title, 16, weight="bold", gap_in=0.08)
    page.text(meta, 8, colour="#444444", gap_in=0.18)
    if report.notes:
        page.text("Notes", 10, weight="bold")
        for paragraph in report.notes.splitlines() or [""]:
            page.text(paragraph, 8.5, gap_in=0.02)
        page.y -= 0.12
    page.text("How to read this report", 10, weight="bold")
    for item in HOW_TO_READ:
        page.text("• " + item, 8, gap_in=0.05)
    page.y -= 0.15
    plan = adherence_table(report)
    if plan is not None and report.adherence is not None:
        page.text("Plan and adherence", 12, weight="bold", gap_in=0.1)
        page.text(report.adherence.sentence(), 8.5)
        if page.room() < (len(plan.rows) + 3) * (_line_in(8) + 2 * PAD_IN) + 0.5:
            page.finish()
            page = _Page(pages)
        page.table(plan, plan.rows, [], font=7.5)
        page.text(plan.note, 7, colour="#555555")
        page.y -= 0.1
    tables = comparison_tables(report)
    heading_in = _line_in(12) + 0.1
    for index, table in enumerate(tables):
        note_lines = len(textwrap.wrap(table.note, _chars(page.width, 7))) if table.note else 0
        need = (page.table_height(table, table.rows, 7.5) + _line_in(10) * 2 + note_lines * _line_in(7) + 0.2
                + (heading_in if index == 0 else 0.0))
        if page.room() < need:
            page.finish()
            page = _Page(pages)
        if index == 0:  # the section's heading stays with its first table
            page.text("First session compared with the latest", 12, weight="bold", gap_in=0.1)
        page.text(f"{table.title} ({table.subtitle})", 10, weight="bold")
        page.table(table, table.rows, [], font=7.5)
        if table.note:
            page.text(table.note, 7, colour="#555555")
    if not tables:
        page.text("First session compared with the latest", 12, weight="bold", gap_in=0.1)
        page.text("No session with finished trials yet.", 9)
    if not has_trends(report):  # no empty plot: say so on the first part's page
        page.text("Trends over sessions", 12, weight="bold", gap_in=0.1)
        page.text("No trend to draw yet: no session has finished trials.", 9)
    page.finish()
    if has_trends(report):
        _figure_page(pages, functools.partial(trend_figure, report), "Trends over sessions",
                     "By date. One line per level and device; each has its own marker and dash style and its letter "
                     "beside its latest point.")
    for measured in physical_groups(report):
        _figure_table_page(pages, functools.partial(physical_figure, report, measured),
                           f"Sway in physical units ({measured.unit})",
                           "Balance trials on a device that measures in centimetres (against the reference values "
                           "of the player's age group) or degrees (against the player's own baseline); the band is "
                           "hatched, hollow points are sessions that did not complete.", physical_table(measured), 3.6)
    _table_pages(pages, sessions_table(report), font=6.5)
    for group in sway_groups(report):
        _figure_page(pages, functools.partial(sway_paths_figure, report, group), "Sway paths",
                     "Every balance trial of the first and the latest balance session of this level and device (one "
                     "line per trial), on the same scale, with the 95 % prediction ellipse of all their samples.")
    for group in reach_groups(report):
        latest = [s for s in report.by_group(*group) if s.is_reach()][-1]
        _figure_page(pages, functools.partial(los_figure, report, group),
                     "Limits of stability (reach trials)",
                     f"Coverage of the latest session: {coverage_text(latest.measures.los_polygon())}.")
        _table_pages(pages, directions_table(latest))
    page = _flow_table(pages, _Page(pages), device_table(report))
    for clinic in clinic_tables(report):
        page = _flow_table(pages, page, clinic)
    page.finish()
    _figure_page(pages, functools.partial(clinic_figure, report), "Clinical tests and check-ins by date",
                 "One panel per test and for the check-ins, each with its unit and which way is better; every value "
                 "is written beside its point.")
    _stamp(pages, report)
    return pages
