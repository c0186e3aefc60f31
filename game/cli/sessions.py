"""``proprio sessions``: list sessions with their status and key figures."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from game.cli.terminal import printable
from game.paths import default_db_path


def _local(iso: str | None) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M") if iso else "-"
    except ValueError:
        return "?"


def _text(rows: list[dict[str, Any]]) -> str:
    headers = ["id", "player", "level", "started (local)", "status", "played", "trials", "success", "difficulty",
               "device", "frame p99", "dropped"]
    lines = []
    for row in rows:
        played = row["duration_s"] if row["duration_s"] is not None else row["recorded_s"]
        played_text = "?" if played is None else f"{played:.1f} s"  # samples unreadable in a damaged file
        rate = row["success_rate"]
        lines.append([
            str(row["id"]), printable(row["player_id"]), printable(row["level"]), _local(row["started_at"]),
            printable(row["status"]),
            played_text,
            # a fixed assessment has trials but no winning or losing (game/assess)
            f"{row['trials'] or 0} (assessment)" if str(row["level"] or "").startswith("assessment:")
            else f"{row['trials'] or 0} ({row['successes'] or 0} won)",
            "-" if rate is None else f"{rate:.0%}",
            "-" if row["difficulty_reached"] is None else f"{row['difficulty_reached']:.2f}",
            printable(row["device"] or "-"),
            "-" if row["frame_p99_ms"] is None else f"{row['frame_p99_ms']:.1f} ms",
            f"{row['dropped_frames'] or 0} frames, {row['dropped_samples'] or 0} samples",
        ])
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
    right = {0, 5, 7, 8, 10}
    out = []
    for cells in [headers, *lines]:
        pairs = enumerate(zip(cells, widths, strict=True))
        out.append("  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in pairs).rstrip())
    return "\n".join(out)


def _adherence_lines(db: Any, player: str) -> list[str]:
    """The player's plan adherence as of today (a blank line, a title, the sentence, the weeks), or none."""
    from telemetry.measures.adherence import table_lines  # here: only a player with a plan needs them
    from telemetry.store.clinic import player_adherence

    kept = player_adherence(db, player, date.today())
    if kept is None:
        return []
    return ["", f"Adherence to the plan of {printable(player)}:", printable(kept.sentence()), *table_lines(kept)]


def _import_sqlite_utils_without_numpy() -> None:
    """Import sqlite-utils with numpy hidden: a third of this command's start-up spared.

    sqlite-utils imports numpy, when it is installed, for one thing only: the column types of numpy
    values it is asked to insert. Listing sessions inserts none, so this process goes without
    that; numpy itself stays importable (hidden only while sqlite-utils loads), and a process that
    already has either module loaded is left alone.
    """
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # import numpy raises ImportError meanwhile
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


@click.command()
@click.option("--player", metavar="ID", help="Only this player's sessions.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="A table for people, or a JSON array for programs.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Telemetry database (default: proprio.db in your user data folder).")
def sessions(player: str | None, fmt: str, db_path: Path | None) -> None:
    """List sessions with their status (running, completed, aborted, interrupted) and key figures.

    A session whose game process is gone is shown (and stored) as interrupted, never as
    running. "played" is the simulated time (for a running or interrupted session, as far
    as its samples reached the database); "dropped" counts frames over the 60 Hz budget and
    device samples discarded. With --player, a player who has a plan (proprio plan set) also gets
    their adherence week by week after the table, a week below 80 % saying so.

    \b
    Examples:
      proprio sessions
      proprio sessions --player kid-07 --format json --db /tmp/p.db
    """
    _import_sqlite_utils_without_numpy()
    from telemetry.store.database import open_for_reading, read_errors_reported  # here: --help needs neither
    from telemetry.store.queries import list_sessions

    opened = open_for_reading(db_path or default_db_path())
    problems: list[str] = []
    adherence_text: list[str] = []
    try:
        with read_errors_reported(opened.path):
            rows = list_sessions(opened.db, player, problems)
            if player is not None and fmt == "text":
                adherence_text = _adherence_lines(opened.db, player)
    finally:
        opened.close()
    for line in opened.warnings():
        click.echo(line, err=True)
    for problem in problems:
        click.echo(f"Warning: {problem}", err=True)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1, allow_nan=False))
    elif rows:
        click.echo(_text(rows))
    else:
        click.echo("No sessions yet." if player is None else f"No sessions yet for {printable(player)}.")
    for line in adherence_text:
        click.echo(line)
