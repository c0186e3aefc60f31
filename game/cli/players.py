"""``proprio players``: list players; keep a display name and notes apart from the telemetry."""

from __future__ import annotations

import json
from pathlib import Path

import click

from game.cli.terminal import printable, printable_lines
from game.paths import default_db_path

_DB_OPTION = click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                          help="Telemetry database (default: proprio.db in your user data folder).")


@click.group()
def players() -> None:
    """List players, and attach a display name or notes to a pseudonymous player ID.

    Names and notes are stored apart from the telemetry (table player_identities) and leave
    the database only with --include-names.

    \b
    Examples:
      proprio players list
      proprio players set kid-07 --name "Sam" --notes "Left ankle sprain, week 3"
      proprio players forget kid-07
    """


@players.command("list")
@click.option("--include-names", is_flag=True, help="Show display names and notes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_DB_OPTION
def list_command(include_names: bool, fmt: str, db_path: Path | None) -> None:
    """List the players with their number of sessions.

    \b
    Example:
      proprio players list --include-names --db /tmp/p.db
    """
    from telemetry.store.database import open_for_reading, read_errors_reported
    from telemetry.store.players import list_players

    opened = open_for_reading(db_path or default_db_path())
    for line in opened.warnings():
        click.echo(printable_lines(line), err=True)
    try:
        with read_errors_reported(opened.path):
            rows = list_players(opened.db, include_names=include_names)
    finally:
        opened.close()
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1))
        return
    if not rows:
        click.echo("No players yet.")
    for row in rows:
        last = (row["last_session_at"] or "-")[:16].replace("T", " ")
        line = f"{row['id']:<32} {row['sessions']:>4} sessions, last {last} UTC"
        if include_names and row.get("display_name"):
            line += f"  ({row['display_name']})"
        click.echo(printable(line))  # a stored display name may hold control characters


@players.command("set")
@click.argument("player_id", metavar="ID")
@click.option("--name", "display_name",
              help="Display name: the title and results screens greet the player with it (stored apart from the"
                   " telemetry; not exported by default).")
@click.option("--notes", help="Free-text notes (stored apart; not exported by default).")
@click.option("--age", "age_years", type=float, metavar="YEARS",
              help="The player's age: stored as its age band only (child under 18, young, older from 60; with the"
                   " name and notes); reports and assessments compare with that band's reference values.")
@_DB_OPTION
def set_command(player_id: str, display_name: str | None, notes: str | None, age_years: float | None,
                db_path: Path | None) -> None:
    """Store a display name, notes and/or age band for a player ID (creates the player if new).

    \b
    Example:
      proprio players set kid-07 --name "Sam" --notes "Prefers the space levels"
      proprio players set ann-02 --age 72
    """
    from telemetry.store.database import open_db
    from telemetry.store.players import set_identity

    db = open_db(db_path or default_db_path())
    try:
        stored = set_identity(db, player_id, display_name=display_name, notes=notes, age_years=age_years)
    finally:
        db.close()
    band = ""
    if age_years is not None and stored.get("age_band"):
        band = (" (age band: child; no reference values under 18, reports use the player's own baseline)"
                if stored["age_band"] == "child" else f" (reference age band: {stored['age_band']})")
    click.echo(f"Stored for {player_id}{band}.")


@players.command("forget")
@click.argument("player_id", metavar="ID")
@_DB_OPTION
def forget_command(player_id: str, db_path: Path | None) -> None:
    """Delete a player's display name, notes and age band; the pseudonymous telemetry stays.

    \b
    Example:
      proprio players forget kid-07
    """
    from telemetry.store.database import open_existing_db
    from telemetry.store.players import forget_identity

    db = open_existing_db(db_path or default_db_path())
    try:
        removed = forget_identity(db, player_id)
    finally:
        db.close()
    click.echo(f"Forgot the name and notes of {player_id}." if removed else f"{player_id} had no name or notes stored.")
