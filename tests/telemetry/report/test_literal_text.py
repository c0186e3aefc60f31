"""Titles, names and notes render literally in the HTML, the PDF and the plots; reports are written atomically.

Issue 16, defects 3 and 7: ``$...$`` used to go through matplotlib's mathtext (a traceback for
``$$``, "Mum paid 5and10" for two dollars) and reports were written through a planted ``.part`` link.
"""

from __future__ import annotations

import errno
import html
import io
import itertools
import os
import stat
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.text import Text

from game.play import Game, PlayOptions
from telemetry.export import atomic
from telemetry.report import render, write_report
from telemetry.report.data import ReportError, build_player_report
from telemetry.report.pdf import _Page
from telemetry.report.plots import literal_text, png_bytes, trend_figure
from telemetry.store.database import open_db
from telemetry.store.players import set_identity
from tests.played import private_home
from tests.telemetry.report.pdftext import pdf_text_runs

TITLES = ["$x$", "Mum paid $5 and $10 for the brace", "$$", "\\frac{1}{2}", "$\\frac$ bad", "one $ alone",
          "\\$ escaped"]


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> Path:
    """One real 20 s session of kid-07 (garden-balance), long enough for finished trials."""
    path = tmp_path_factory.mktemp("literal") / "p.db"
    with private_home(tmp_path_factory):
        Game(PlayOptions(level="garden-balance", player="kid-07", input="sim:0.5", headless=True, fast=True,
                         duration_s=20, seed=1, db_path=path, sound=False)).run()
    return path


def titled(played: Path, title: str) -> Path:
    """The played database with ``title`` as the level title, in the display name and in the notes."""
    db = open_db(played)
    db.execute("update sessions set level_title = ?", [title])
    db.conn.commit()
    set_identity(db, "kid-07", display_name=f"Sam {title}", notes=f"Notes: {title}")
    db.close()
    return played


@pytest.mark.parametrize("title", TITLES)
def test_the_html_shows_titles_and_notes_as_typed(played, tmp_path, title):
    db_path = titled(played, title)
    out = write_report(open_db(db_path), "kid-07", tmp_path / "r.html", include_names=True)
    page = out.read_text(encoding="utf-8")
    assert html.escape(f"Notes: {title}") in page and html.escape(f"Sam {title}") in page
    assert f">{html.escape(title)}<" in page  # the sessions table's level cell
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


@pytest.mark.parametrize("title", TITLES)
def test_the_pdf_shows_titles_and_notes_as_typed(played, tmp_path, title):
    db_path = titled(played, title)
    out = write_report(open_db(db_path), "kid-07", tmp_path / "r.pdf", include_names=True)
    runs = pdf_text_runs(out.read_bytes())
    assert f"Notes: {title}" in runs
    shown = " ".join(runs)  # a long line wraps: its pieces are consecutive runs
    assert "Progress report: player kid-07 (Sam " + title + ")" in shown
    assert f" {title} (garden-balance, simulated player, raw deg, 1 session with trials) " in shown  # table title
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


def _literal_extent(text: Text, renderer: Any) -> tuple[float, float]:
    """The size the same string takes drawn as plain text, beside the figure's own text."""
    twin = text.figure.text(0, 0, text.get_text(), fontproperties=text.get_fontproperties(), parse_math=False)
    box = twin.get_window_extent(renderer)
    twin.remove()
    return box.width, box.height


@pytest.mark.parametrize("title", TITLES)
def test_plot_titles_are_drawn_as_typed(played, title):
    report = build_player_report(open_db(titled(played, title)), "kid-07")
    figure = trend_figure(report)
    assert figure is not None
    png_bytes(figure)  # mathtext raised a ValueError here for "$$" and "$\frac$"
    renderer = FigureCanvasAgg(figure).get_renderer()
    shown = [t for t in figure.findobj(Text) if isinstance(t, Text) and title in t.get_text()]
    assert shown, "the level title is in the legend"
    for text in shown:
        assert text.get_parse_math() is False and text.get_usetex() is False
        box = text.get_window_extent(renderer)
        assert (box.width, box.height) == pytest.approx(_literal_extent(text, renderer))


class FullDisk:
    """A file wrapper that writes ``room`` bytes, then fails like a full disk (ENOSPC)."""

    def __init__(self, handle: IO[Any], room: int = 4096) -> None:
        self.handle, self.room = handle, room

    def write(self, data: Any) -> int:
        if len(data) > self.room:
            self.handle.write(data[: self.room])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return int(self.handle.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


@pytest.mark.parametrize("suffix", ["html", "pdf"])
def test_a_report_never_writes_through_a_planted_link_and_a_full_disk_keeps_the_earlier_one(
        played, tmp_path, monkeypatch, suffix):
    counter = itertools.count()
    monkeypatch.setattr(atomic, "_token", lambda: "planted" if next(counter) % 2 == 0 else f"free{next(counter)}")
    victim = tmp_path / "victim.txt"
    victim.write_text("the victim's own text\n")
    victim.chmod(0o644)
    out = tmp_path / f"r.{suffix}"
    links = [atomic.temp_name(out, "planted"), out.with_name(out.name + ".part")]
    for link in links:
        link.symlink_to(victim)
    report = build_player_report(open_db(titled(played, "$x$")), "kid-07")
    render(report, out)
    assert victim.read_text() == "the victim's own text\n" and stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and all(link.is_symlink() for link in links)
    earlier = out.read_bytes()
    with pytest.raises(ReportError, match="No space left on device.*earlier file is kept"):
        render(report, out, wrap=FullDisk)
    assert out.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir() if not p.is_symlink()) == sorted([out.name, "victim.txt"])


MATH_ALPHABET = "abcxyzAZ019$\\{}^_()[]%#&~'\"-+=*/.,:;!?<>|@`"


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=MATH_ALPHABET, min_size=1, max_size=40))
@example("-+(\\x(")  # its content stream's last compressed byte is 0x0D: the reader once cut it off
def test_any_text_of_mathtext_characters_reads_back_from_the_pdf_exactly(text):
    buffer = io.BytesIO()
    with literal_text(), PdfPages(buffer) as pdf:
        page = _Page(pdf)
        page.text(text, 9)
        page.finish()
    assert text in pdf_text_runs(buffer.getvalue())
