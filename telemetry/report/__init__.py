"""``proprio report``: one player's progress as a self-contained HTML file (or a PDF).

``data`` gathers what the report says from the database, ``tables`` and ``plots`` shape it,
``html`` and ``pdf`` render it; this module picks the renderer from the file's suffix and
writes the file atomically (``telemetry.export.atomic``). Text from the database is shown
literally everywhere: escaped in HTML, never parsed as mathtext or TeX in plots and the PDF.
"""

from __future__ import annotations

import io
from pathlib import Path

from sqlite_utils import Database

from telemetry.export.atomic import Wrapper, atomic_output
from telemetry.report.data import PlayerReport, ReportError, build_player_report

REPORT_SUFFIXES = (".html", ".htm", ".pdf")


def _check_out(out_path: Path) -> None:
    if out_path.suffix.lower() not in REPORT_SUFFIXES:
        raise ReportError(f"cannot tell the report format from {out_path.name!r}",
                          remedy="End --out with .html (a web page) or .pdf.")
    if out_path.is_dir():
        raise ReportError(f"{out_path} is a folder", remedy="Pass --out with a file name, e.g. report.html.")
    if not out_path.parent.is_dir():
        raise ReportError(f"the folder {out_path.parent} does not exist", remedy="Create it or choose another --out.")


def render(report: PlayerReport, out_path: Path, *, wrap: Wrapper | None = None) -> Path:
    """Write the report as HTML or PDF (from the file's suffix), owner-readable only, whole or not at all.

    It goes to a fresh temporary file beside ``out_path`` (never through a planted link) that
    replaces ``out_path`` only once complete; ``wrap`` wraps that file (tests fail it like a full disk).
    """
    out_path = Path(out_path)
    _check_out(out_path)
    # Rendered in memory first (a report is a few hundred KB): a drawing error leaves no file behind,
    # and a full disk is an OSError of the final write, not an error inside matplotlib's PDF writer.
    if out_path.suffix.lower() == ".pdf":
        from telemetry.report.pdf import write_pdf

        buffer = io.BytesIO()
        write_pdf(report, buffer)
        data = buffer.getvalue()
    else:
        from telemetry.report.html import render_html

        data = render_html(report).encode("utf-8")
    try:
        with atomic_output(out_path, binary=True, wrap=wrap) as handle:
            handle.write(data)
    except OSError as exc:
        kept = "the earlier file is kept" if out_path.exists() else "nothing was written"
        raise ReportError(f"cannot write {out_path} ({exc.strerror or exc}); {kept}",
                          remedy="Choose a folder you can write to, with free space.") from None
    return out_path


def write_report(db: Database, player_id: str, out_path: Path, *, db_path: Path | None = None,
                 include_names: bool = False) -> Path:
    """Gather the player's sessions and write the report to ``out_path`` (.html or .pdf)."""
    _check_out(Path(out_path))
    report = build_player_report(db, player_id, db_path=db_path, include_names=include_names)
    return render(report, Path(out_path))
