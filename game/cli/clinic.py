"""``proprio plan``, ``checkin``, ``event`` and ``scale``: the clinic's records beside the telemetry.

A therapist prescribes a plan (levels, sessions a week, minutes each, weeks) and reads how well it
is kept (``plan show``: adherence week by week); check-ins hold pain before/after and effort (Borg
CR10); adverse events what went wrong and what was done; scales the clinical tests done outside
the game (Timed Up and Go, Mini-BESTest, Berg). Four click groups, listed in ``game.cli``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from game.cli.terminal import printable_lines
from game.errors import TelemetryError
from game.paths import default_db_path
from game.vocabulary import SCALES, SEVERITIES

if TYPE_CHECKING:
    from sqlite_utils import Database

_DB_OPTION = click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                          help="Telemetry database (default: proprio.db in your user data folder).")
_PLAYER = click.option("--player", required=True, metavar="ID", help="Pseudonymous player ID.")
_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)


def _write_db(db_path: Path | None) -> Database:
    from telemetry.store.database import open_db

    return open_db(Path(db_path or default_db_path()))


def _read(db_path: Path | None) -> Any:
    path = Path(db_path or default_db_path())
    if not path.exists():
        raise TelemetryError(f"no database at {path}", remedy="Check --db; the database is created by proprio play "
                             "or proprio plan set.")
    from telemetry.store.database import open_for_reading

    opened = open_for_reading(path)
    for line in opened.warnings():
        click.echo(printable_lines(line), err=True)
    return opened


def _player_rows(db_path: Path | None, player: str, query: Callable[[Any], list[dict[str, Any]]]
                 ) -> list[dict[str, Any]]:
    """``query(db)`` for a player who must exist, on a database opened for reading (problems said, not raised)."""
    from telemetry.store.database import read_errors_reported
    from telemetry.store.players import require_player

    opened = _read(db_path)
    try:
        with read_errors_reported(opened.path):
            require_player(opened.db, player)
            return query(opened.db)
    finally:
        opened.close()


def _list(rows: list[dict[str, Any]], fmt: str, columns: list[tuple[str, str]], empty: str) -> None:
    """The rows as JSON (``--format json``) or as a table with titled columns."""
    if fmt == "json":
        click.echo(json.dumps(rows))
    else:
        _echo_rows(rows, columns, empty)


def _echo_rows(rows: list[dict[str, Any]], columns: list[tuple[str, str]], empty: str) -> None:
    if not rows:
        click.echo(empty)
        return
    table = [[title for _, title in columns]]
    table += [["-" if row.get(key) is None else f"{row[key]:g}" if isinstance(row[key], float) else str(row[key])
               for key, _ in columns] for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(columns))]
    for r in table:
        click.echo(printable_lines("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()))


# --- plan ---------------------------------------------------------------------------------------------------


@click.group()
def plan() -> None:
    """The home programme a therapist prescribes, and how well it is kept.

    \b
    Example:
      proprio plan set --player kid-07 --sessions-per-week 3 --minutes 15 --weeks 6 --start 2026-05-04
      proprio plan show --player kid-07
    """


@plan.command("set")
@_PLAYER
@click.option("--file", "plan_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Read the plan from a plan file (TOML; options given as well override its values).")
@click.option("--sessions-per-week", type=int, metavar="N", help="Sessions a week (1 to 21).")
@click.option("--minutes", "minutes", type=float, metavar="MIN", help="Minutes of play per session.")
@click.option("--weeks", type=int, metavar="N", help="How many weeks the plan runs (1 to 104).")
@click.option("--start", "start", metavar="YYYY-MM-DD", help="The plan's first day (default: today).")
@click.option("--level", "levels", multiple=True, metavar="NAME", help="A prescribed level (repeatable; "
              "default: any level counts).")
@click.option("--playlist", metavar="NAME", help="Or the prescribed playlist (any level counts).")
@click.option("--by", "set_by", metavar="WHO", help="Who prescribed it (initials or role).")
@click.option("--notes", metavar="TEXT", help="Notes for the record.")
@_DB_OPTION
def plan_set(player: str, plan_file: Path | None, sessions_per_week: int | None, minutes: float | None,
             weeks: int | None, start: str | None, levels: tuple[str, ...], playlist: str | None,
             set_by: str | None, notes: str | None, db_path: Path | None) -> None:
    """Prescribe a plan; it replaces the one in effect (which stays in the history).

    Level and playlist names must be ones that ship (a typo is refused with the nearest name), or
    a level file's path.

    \b
    Example:
      proprio plan set --player kid-07 --sessions-per-week 3 --minutes 15 --weeks 6 \\
          --level garden-balance --level space-reach --by PT
      proprio plan set --player kid-07 --file kid-07-plan.toml
      proprio plan show --player kid-07 --format toml > kid-07-plan.toml

    \b
    A plan file:
      schema_version = 1
      sessions_per_week = 3
      minutes_per_session = 15
      weeks = 6
      start = 2026-05-04
      levels = ["garden-balance", "space-reach"]   # or: playlist = "kids-adventure"
      prescribed_by = "PT"
    """
    from game.plan_file import load_plan_file
    from telemetry.store.clinic import set_plan

    loaded = load_plan_file(plan_file) if plan_file is not None else None
    per_week = sessions_per_week if sessions_per_week is not None else loaded.sessions_per_week if loaded else None
    per_session = minutes if minutes is not None else loaded.minutes_per_session if loaded else None
    week_count = weeks if weeks is not None else loaded.weeks if loaded else None
    missing = [flag for flag, value in (("--sessions-per-week", per_week), ("--minutes", per_session),
                                        ("--weeks", week_count)) if value is None]
    if missing:
        raise click.UsageError(f"give {', '.join(missing)} (or a --file that has them)")
    assert per_week is not None and per_session is not None and week_count is not None
    if levels or playlist:  # options replace the file's choice of what to play
        chosen_levels, chosen_playlist = levels, playlist
    else:
        chosen_levels, chosen_playlist = (loaded.levels, loaded.playlist) if loaded else ((), None)
    first_day = start or (loaded.start.isoformat() if loaded and loaded.start else date.today().isoformat())
    db = _write_db(db_path)
    try:
        row = set_plan(db, player, sessions_per_week=per_week, minutes_per_session=per_session,
                       start_date=first_day, weeks=week_count, levels=[_prescribed_level(n) for n in chosen_levels],
                       playlist=_prescribed_playlist(chosen_playlist),
                       set_by=set_by or (loaded.prescribed_by if loaded else None),
                       notes=notes or (loaded.notes if loaded else None))
    finally:
        db.close()
    what = row["levels"] or (f"playlist {row['playlist']}" if row["playlist"] else "any level")
    click.echo(printable_lines(f"Plan of {player}: {row['sessions_per_week']} sessions a week of "
                               f"{row['minutes_per_session']:g} min for {row['weeks']} weeks from "
                               f"{row['start_date']} ({what})."))


def _prescribed_level(spec: str) -> str:
    """The name sessions of this level are stored under; a name that names no level is refused with the nearest."""
    from game.level.loader import PLAYLIST_SUFFIX, level_name, resolve_level

    path = resolve_level(spec)  # raises with "did you mean" for an unknown name
    if path.name.endswith(PLAYLIST_SUFFIX):
        raise TelemetryError(f"'{spec}' is a playlist, not a level", remedy=f"Prescribe it with --playlist {spec}.")
    return level_name(path)


def _prescribed_playlist(name: str | None) -> str | None:
    """A shipped playlist's name, or None; another name is refused with the nearest."""
    if name is None:
        return None
    import difflib

    from game.play.catalogue import shipped_playlists

    names = [p.name for p in shipped_playlists()]
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        raise TelemetryError(f"no playlist named '{name}'", remedy=(f"Did you mean '{close[0]}'? " if close else "")
                             + f"Playlists: {', '.join(names)}.")
    return name


@plan.command("show")
@_PLAYER
@click.option("--today", metavar="YYYY-MM-DD", help="Count as of this day (default: today).")
@click.option("--history", is_flag=True, help="Also list the earlier plans.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "toml"]), default="text", show_default=True,
              help="toml: the plan in effect as a plan file, for 'plan set --file'.")
@_DB_OPTION
def plan_show(player: str, today: str | None, history: bool, fmt: str, db_path: Path | None) -> None:
    """Show the plan in effect and its adherence, week by week.

    \b
    Example:
      proprio plan show --player kid-07 --format json
    """
    from telemetry.measures.adherence import table_lines
    from telemetry.store.clinic import current_plan, parse_day, plan_history, player_adherence
    from telemetry.store.database import read_errors_reported
    from telemetry.store.players import require_player

    day = parse_day(today, "day") if today else date.today()
    opened = _read(db_path)
    try:
        with read_errors_reported(opened.path):
            require_player(opened.db, player)
            row = current_plan(opened.db, player)
            kept = player_adherence(opened.db, player, day)
            earlier = plan_history(opened.db, player) if history else []
    finally:
        opened.close()
    if fmt == "toml":
        if row is None:
            raise TelemetryError(f"no plan for {player}", remedy=f"Prescribe one with: proprio plan set --player "
                                 f"{player} ...")
        from game.plan_file import plan_toml

        click.echo(plan_toml(row, player), nl=False)
        return
    if fmt == "json":
        weeks = [] if kept is None else [
            {"week": w.number, "start": w.start.isoformat(), "state": w.state, "sessions": w.sittings,
             "prescribed_sessions": w.prescribed_sittings, "minutes": round(w.minutes, 2),
             "prescribed_minutes": w.prescribed_minutes, "below_target": w.below_target} for w in kept.weeks]
        click.echo(json.dumps({
            "player": player, "plan": row, "today": day.isoformat(), "weeks": weeks,
            "sessions_pct": None if kept is None else kept.sittings_pct(),
            "minutes_pct": None if kept is None else kept.minutes_pct(),
            "sentence": None if kept is None else kept.sentence(), "history": earlier}))
        return
    if row is None or kept is None:
        click.echo(f"No plan for {player}. Prescribe one with: proprio plan set --player {player} ...")
        return
    what = row["levels"] or (f"playlist {row['playlist']}" if row["playlist"] else "any level")
    click.echo(printable_lines(f"Plan of {player} (set {row['created_at'][:10]}"
                               f"{' by ' + row['set_by'] if row['set_by'] else ''}; {what}):"))
    click.echo(printable_lines(kept.sentence()))
    for line in table_lines(kept):
        click.echo(line)
    for old in earlier[:-1]:
        click.echo(printable_lines(f"Earlier plan (set {old['created_at'][:10]}): {old['sessions_per_week']} a week "
                                   f"of {old['minutes_per_session']:g} min for {old['weeks']} weeks from "
                                   f"{old['start_date']}"))


# --- check-ins ----------------------------------------------------------------------------------------------


@click.group()
def checkin() -> None:
    """How a session felt: pain before and after (0-10) and effort (Borg CR10, 0-10).

    \b
    Example:
      proprio checkin add --player kid-07 --session 21 --pain-before 2 --pain-after 1 --effort 4
    """


@checkin.command("add")
@_PLAYER
@click.option("--session", "session_id", type=int, metavar="ID", help="The session it belongs to.")
@click.option("--at", metavar="WHEN", help="When it was asked (YYYY-MM-DD or YYYY-MM-DDTHH:MM; default: now).")
@click.option("--pain-before", type=int, metavar="0-10", help="Pain before the session (0 none, 10 worst).")
@click.option("--pain-after", type=int, metavar="0-10", help="Pain after the session.")
@click.option("--effort", type=int, metavar="0-10", help="Effort, Borg CR10 (0 nothing at all, 10 maximal).")
@click.option("--note", metavar="TEXT", help="What the player or carer said.")
@_DB_OPTION
def checkin_add(player: str, session_id: int | None, at: str | None, pain_before: int | None,
                pain_after: int | None, effort: int | None, note: str | None, db_path: Path | None) -> None:
    """Store a check-in."""
    from telemetry.store.clinic import add_checkin

    db = _write_db(db_path)
    try:
        row = add_checkin(db, player, session_id=session_id, at=at, pain_before=pain_before, pain_after=pain_after,
                          effort=effort, note=note)
    finally:
        db.close()
    click.echo(f"Stored check-in {row['id']} of {player}.")


@checkin.command("list")
@_PLAYER
@_FORMAT
@_DB_OPTION
def checkin_list(player: str, fmt: str, db_path: Path | None) -> None:
    """List a player's check-ins."""
    from telemetry.store.clinic import checkins

    rows = _player_rows(db_path, player, lambda db: checkins(db, player))
    _list(rows, fmt, [("at", "when"), ("session_id", "session"), ("pain_before", "pain before"),
                      ("pain_after", "pain after"), ("effort", "effort"), ("note", "note")],
          f"No check-ins for {player}.")


# --- adverse events -----------------------------------------------------------------------------------------


@click.group()
def event() -> None:
    """Adverse events: a fall, dizziness, pain; how severe, and what was done.

    \b
    Example:
      proprio event add --player kid-07 --what "dizzy after level 2" --severity mild --action "rested 5 min"
    """


@event.command("add")
@_PLAYER
@click.option("--what", required=True, metavar="TEXT", help="What happened.")
@click.option("--severity", required=True, type=click.Choice(SEVERITIES), help="How severe (serious: needed "
              "medical care).")
@click.option("--action", metavar="TEXT", help="What was done about it.")
@click.option("--session", "session_id", type=int, metavar="ID", help="The session during which it happened.")
@click.option("--at", metavar="WHEN", help="When (YYYY-MM-DD or YYYY-MM-DDTHH:MM; default: now).")
@click.option("--by", "recorded_by", metavar="WHO", help="Who recorded it.")
@_DB_OPTION
def event_add(player: str, what: str, severity: str, action: str | None, session_id: int | None, at: str | None,
              recorded_by: str | None, db_path: Path | None) -> None:
    """Record an adverse event."""
    from telemetry.store.clinic import add_event

    db = _write_db(db_path)
    try:
        row = add_event(db, player, what=what, severity=severity, action=action, session_id=session_id, at=at,
                        recorded_by=recorded_by)
    finally:
        db.close()
    click.echo(f"Stored adverse event {row['id']} of {player} ({severity}).")


@event.command("list")
@_PLAYER
@_FORMAT
@_DB_OPTION
def event_list(player: str, fmt: str, db_path: Path | None) -> None:
    """List a player's adverse events."""
    from telemetry.store.clinic import events

    rows = _player_rows(db_path, player, lambda db: events(db, player))
    _list(rows, fmt, [("at", "when"), ("severity", "severity"), ("what", "what"), ("action", "action"),
                      ("session_id", "session")], f"No adverse events recorded for {player}.")


# --- clinical scales ----------------------------------------------------------------------------------------


@click.group()
def scale() -> None:
    """Clinical tests done outside the game: Timed Up and Go (s), Mini-BESTest (0-28), Berg (0-56), FES-I (16-64).

    \b
    Example:
      proprio scale add --player kid-07 --scale berg --value 48 --date 2026-05-04 --assessor PT
    """


@scale.command("add")
@_PLAYER
@click.option("--scale", "which", required=True, type=click.Choice(list(SCALES)),
              help="tug_s (seconds), mini_bestest, berg, fes_i (Falls Efficacy Scale-International, 16-64), "
                   "or other (with --name and --unit).")
@click.option("--value", required=True, type=float, help="The result.")
@click.option("--date", "on", metavar="YYYY-MM-DD", help="The day of the test (default: today).")
@click.option("--name", metavar="TEXT", help="The test's name (--scale other).")
@click.option("--unit", metavar="UNIT", help="Its unit (--scale other).")
@click.option("--assessor", metavar="WHO", help="Who tested.")
@click.option("--note", metavar="TEXT", help="Remarks.")
@_DB_OPTION
def scale_add(player: str, which: str, value: float, on: str | None, name: str | None, unit: str | None,
              assessor: str | None, note: str | None, db_path: Path | None) -> None:
    """Store a clinical test result."""
    from telemetry.store.clinic import add_scale, scale_title

    db = _write_db(db_path)
    try:
        row = add_scale(db, player, scale=which, value=value, on=on or date.today().isoformat(), unit=unit,
                        name=name, assessor=assessor, note=note)
    finally:
        db.close()
    click.echo(printable_lines(f"Stored {scale_title(row)} {row['value']:g} {row['unit']} of {player} on "
                               f"{row['date']}."))


@scale.command("list")
@_PLAYER
@click.option("--scale", "which", type=click.Choice(list(SCALES)), help="Only this scale.")
@_FORMAT
@_DB_OPTION
def scale_list(player: str, which: str | None, fmt: str, db_path: Path | None) -> None:
    """List a player's clinical test results, oldest first."""
    from telemetry.store.clinic import scale_title, scales

    rows = _player_rows(db_path, player, lambda db: scales(db, player, which))
    if fmt != "json":
        for row in rows:
            row["test"] = scale_title(row)
    _list(rows, fmt, [("date", "date"), ("test", "test"), ("value", "value"), ("unit", "unit"),
                      ("assessor", "assessor")], f"No clinical test results for {player}.")
