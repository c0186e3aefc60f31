"""``proprio report``: one player's progress as a self-contained HTML page or a PDF."""

from __future__ import annotations

from pathlib import Path

import click

from game.cli.terminal import printable
from game.paths import default_db_path


@click.command()
@click.option("--player", required=True, metavar="ID", help="The player to report on.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="FILE.html (one self-contained page) or FILE.pdf.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Telemetry database (default: proprio.db in your user data folder).")
@click.option("--include-names", is_flag=True, help="Show the player's display name and notes (default: the ID only).")
def report(player: str, out_path: Path, db_path: Path | None, include_names: bool) -> None:
    """Write a progress report: plan adherence, first versus latest, trends by date, sway paths, LOS polygon.

    Sessions keep their database numbers; only sessions of the same level and kind of device
    are compared, and each change is read as better, worse or no real change. The HTML file
    needs nothing else (plots are embedded, no web links) and prints well; a .pdf file holds
    the same tables and plots on A4 pages, each with the player's ID and "page N of M".
    Clinical tests and check-ins are drawn by date; balance sessions on a board in cm are
    shown against the reference band of the player's age group (from `proprio assess --age`),
    a wobble board in degrees against the player's own baseline. Measures are explained in
    the report and in docs/reports.md.

    \b
    Examples:
      proprio report --player kid-07 --out kid-07.html
      proprio report --player kid-07 --out kid-07.pdf --db /tmp/p.db
    """
    from telemetry.report import write_report
    from telemetry.store.database import open_for_reading, read_errors_reported

    db_path = db_path or default_db_path()
    opened = open_for_reading(db_path)
    for line in opened.warnings():
        click.echo(line, err=True)
    try:
        with read_errors_reported(opened.path):
            path = write_report(opened.db, player, out_path, db_path=db_path, include_names=include_names)
    finally:
        opened.close()
    click.echo(f"Wrote {printable(path)}")
