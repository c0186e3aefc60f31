"""``proprio limits``: a clinician's per-player limits (target, floor, ceiling, distance, session, rests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from game.cli.terminal import printable_lines
from game.errors import TelemetryError
from game.paths import default_db_path
from game.vocabulary import ALL_KINDS, KINDS

if TYPE_CHECKING:
    from sqlite_utils import Database

    from game.limits import PlayerLimits

_DB_OPTION = click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                          help="Telemetry database (default: proprio.db in your user data folder).")


def _open_existing(db_path: Path | None) -> Database:
    from telemetry.store.database import open_db

    path = Path(db_path or default_db_path())
    if not path.exists():
        raise TelemetryError(f"no database at {path}",
                             remedy="Check --db; the database is created by proprio play or proprio limits set.")
    return open_db(path)


def _target_band(text: str | None) -> tuple[float | None, float | None]:
    """'0.7..0.85' as (0.7, 0.85); None as (None, None); anything else a LimitsError with the form."""
    if text is None:
        return None, None
    from game.limits import LimitsError

    low, sep, high = text.partition("..")
    try:
        if not sep:
            raise ValueError(text)
        return float(low), float(high)
    except ValueError:
        raise LimitsError(f"target band {text!r} is not LOW..HIGH",
                          remedy="write it as two rates joined by '..', e.g. --target-band 0.7..0.85") from None


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 60.0


@click.group()
def limits() -> None:
    """A clinician's limits for one player: the scaler can never leave them.

    Per challenge kind (or --kind all): the target success rate, the floor and ceiling of the
    normalized difficulty (0 easy, 1 hard), and the maximum distance from the centre as a
    fraction of the player's limits of stability (LOS). For the whole session (--kind all): a
    maximum session length and rest breaks. Combined with a level's own limits, the stricter wins.

    \b
    Example:
      proprio limits set --player kid-07 --kind reach --ceiling 0.7 --max-distance 0.6
    """


@limits.command("set")
@click.option("--player", required=True, metavar="ID", help="Pseudonymous player ID.")
@click.option("--kind", required=True, metavar="KIND", help=f"Challenge kind: {', '.join((ALL_KINDS, *KINDS))}.")
@click.option("--target", type=float, help="Target success rate, between 0 and 1 (e.g. 0.75).")
@click.option("--target-band", metavar="LOW..HIGH",
              help="A target band instead of one rate (e.g. 0.7..0.85); replaces a stored --target.")
@click.option("--floor", type=float, help="Easiest normalized difficulty allowed, 0 to 1.")
@click.option("--ceiling", type=float, help="Hardest normalized difficulty allowed, 0 to 1.")
@click.option("--max-distance", type=float, metavar="LOS",
              help="Farthest target from the centre, fraction of the player's limits of stability (0 to 1].")
@click.option("--max-session-min", type=float, metavar="MIN",
              help="Play time after which the session ends (--kind all).")
@click.option("--rest-every-min", type=float, metavar="MIN", help="A rest break after this much play (--kind all).")
@click.option("--rest-s", type=float, metavar="SECONDS", help="Length of each rest break (with --rest-every-min).")
@_DB_OPTION
def set_limits(player: str, kind: str, target: float | None, target_band: str | None, floor: float | None,
               ceiling: float | None,
               max_distance: float | None, max_session_min: float | None, rest_every_min: float | None,
               rest_s: float | None, db_path: Path | None) -> None:
    """Set some of a player's limits; the ones not given keep their stored values.

    \b
    Examples:
      proprio limits set --player kid-07 --kind all --target 0.75 --max-session-min 20
      proprio limits set --player kid-07 --kind all --rest-every-min 5 --rest-s 60
      proprio limits set --player kid-07 --kind reach --ceiling 0.7 --max-distance 0.6
      proprio limits set --player kid-07 --kind all --target-band 0.7..0.85
    """
    from game.limits import LimitsError
    from telemetry.store.database import open_db
    from telemetry.store.limits import save_limits

    low, high = _target_band(target_band)
    if target is not None and low is not None:
        raise LimitsError("--target and --target-band were both given",
                          remedy="give one target rate or one target band")
    db = open_db(Path(db_path or default_db_path()))
    try:
        row = save_limits(db, player, kind, target_success=target, target_low=low, target_high=high,
                          floor=floor, ceiling=ceiling,
                          max_distance_los=max_distance, max_session_s=_minutes(max_session_min),
                          rest_every_s=_minutes(rest_every_min), rest_s=rest_s)
    finally:
        db.close()
    set_now = ", ".join(f"{k} {v:g}" for k, v in row.as_dict().items() if k != "kind" and v is not None)
    click.echo(f"Limits of {player} for {'all kinds' if kind == ALL_KINDS else kind}: {set_now}")


@limits.command("show")
@click.option("--player", required=True, metavar="ID", help="Pseudonymous player ID.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_DB_OPTION
def show_limits(player: str, fmt: str, db_path: Path | None) -> None:
    """Show a player's limits: the stored rows and what they mean for each challenge kind.

    \b
    Example:
      proprio limits show --player kid-07 --format json
    """
    from telemetry.store.database import open_for_reading, read_errors_reported
    from telemetry.store.limits import load_limits

    path = Path(db_path or default_db_path())
    if not path.exists():
        raise TelemetryError(f"no database at {path}",
                             remedy="Check --db; the database is created by proprio play or proprio limits set.")
    opened = open_for_reading(path)  # a read-only or damaged file is still shown, as far as it can be read
    for line in opened.warnings():
        click.echo(printable_lines(line), err=True)
    try:
        with read_errors_reported(path):
            player_limits = load_limits(opened.db, player)
    finally:
        opened.close()
    if fmt == "json":
        click.echo(json.dumps(_as_json(player_limits)))
        return
    click.echo(printable_lines(_as_text(player_limits)))


@limits.command("clear")
@click.option("--player", required=True, metavar="ID", help="Pseudonymous player ID.")
@click.option("--kind", metavar="KIND", help="Only this kind (default: every limit of the player).")
@_DB_OPTION
def clear(player: str, kind: str | None, db_path: Path | None) -> None:
    """Remove a player's limits (the levels' own limits apply again).

    \b
    Example:
      proprio limits clear --player kid-07 --kind reach
    """
    from telemetry.store.limits import clear_limits

    db = _open_existing(db_path)
    try:
        removed = clear_limits(db, player, kind)
    finally:
        db.close()
    click.echo(f"Removed {removed} limit row(s) of {player}.")


def _as_json(player_limits: PlayerLimits) -> dict[str, Any]:
    from telemetry.store.limits import limits_rows

    session = player_limits.session
    effective: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        merged = player_limits.for_kind(kind)
        effective[kind] = {"target_success": merged.target_success, "target_low": merged.target_low,
                           "target_high": merged.target_high, "floor": merged.floor, "ceiling": merged.ceiling,
                           "max_distance_los": merged.max_distance_los, "sources": merged.sources}
    return {
        "player": player_limits.player_id,
        "rows": limits_rows(player_limits),
        "per_kind": effective,
        "session": {"max_session_s": session.max_session_s, "rest_every_s": session.rest_every_s,
                    "rest_s": session.rest_s},
    }


def _as_text(player_limits: PlayerLimits) -> str:
    if not player_limits.rows:
        return f"No limits set for {player_limits.player_id}: each level's own limits apply."
    lines = [f"Limits of {player_limits.player_id} (a level's own limits apply too; the stricter wins):"]
    header = ("kind", "target", "floor", "ceiling", "max distance", "max session", "rest break")
    table = [header]
    for row in player_limits.rows:
        every = row.rest_every_s
        rest = "-" if row.rest_s is None or every is None else f"{row.rest_s:g} s every {every / 60:g} min"
        table.append((
            row.kind,
            _target_text(row.target_success, row.target_low, row.target_high),
            "-" if row.floor is None else f"{row.floor:g}",
            "-" if row.ceiling is None else f"{row.ceiling:g}",
            "-" if row.max_distance_los is None else f"{row.max_distance_los:g} LOS",
            "-" if row.max_session_s is None else f"{row.max_session_s / 60:g} min",
            rest,
        ))
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines += ["  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in table]
    lines.append("In effect per kind (the 'all' row merged with the kind's own):")
    for kind in KINDS:
        merged = player_limits.for_kind(kind)
        if not merged.sources:
            continue
        parts = []
        if merged.target_success is not None or merged.target_low is not None:
            parts.append(f"target {_target_text(merged.target_success, merged.target_low, merged.target_high)}")
        if merged.floor is not None or merged.ceiling is not None:
            parts.append(f"band [{merged.floor or 0:g}, {1 if merged.ceiling is None else merged.ceiling:g}]")
        if merged.max_distance_los is not None:
            parts.append(f"targets within {merged.max_distance_los:g} LOS")
        lines.append(f"  {kind}: {', '.join(parts)}")
    return "\n".join(lines)



def _target_text(rate: float | None, low: float | None, high: float | None) -> str:
    """'75 %', '70-85 %', both ('75 % in 70-85 %') or '-'."""
    band = None if low is None or high is None else f"{low * 100:g}-{high * 100:g} %"
    if rate is None:
        return band or "-"
    return f"{rate * 100:g} %" + (f" in {band}" if band else "")
