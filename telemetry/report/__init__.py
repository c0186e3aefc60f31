"""``proprio report``: one player's progress as a self-contained HTML file (or a PDF).

``data`` gathers what the report says from the database, ``tables`` and ``plots`` shape it,
``html`` and ``pdf`` render it; this module picks the renderer from the file's suffix.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

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


def render(report: PlayerReport, out_path: Path) -> Path:
    """Write the report as HTML or PDF (from the file's suffix), owner-readable only."""
    out_path = Path(out_path)
    _check_out(out_path)
    part = out_path.with_name(out_path.name + ".part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        if out_path.suffix.lower() == ".pdf":
            from telemetry.report.pdf import write_pdf

            with os.fdopen(fd, "wb") as handle:
                write_pdf(report, handle)
        else:
            from telemetry.report.html import render_html

            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(render_html(report))
        os.replace(part, out_path)
    except OSError as exc:
        raise ReportError(f"cannot write {out_path} ({exc.strerror or exc})",
                          remedy="Choose a folder you can write to, with free space.") from None
    return out_path


def write_report(db: Database, player_id: str, out_path: Path, *, db_path: Path | None = None,
                 include_names: bool = False) -> Path:
    """Gather the player's sessions and write the report to ``out_path`` (.html or .pdf)."""
    _check_out(Path(out_path))
    report = build_player_report(db, player_id, db_path=db_path, include_names=include_names)
    return render(report, Path(out_path))
