"""Clinician limits in the database (table clinician_limits): load a player's, set, clear."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlite_utils import Database

from game.limits import ALL_KINDS, ClinicianLimits, LimitsError, PlayerLimits, check_kind
from game.players import check_player_id
from telemetry.store.sessions import ensure_player, utc_now

TABLE = "clinician_limits"
_FIELDS = tuple(f.name for f in fields(ClinicianLimits) if f.name != "kind")


def load_limits(db: Database, player_id: str) -> PlayerLimits:
    """Every limit set for the player (no rows: the levels' own limits apply)."""
    check_player_id(player_id)
    if not db.table(TABLE).exists():
        return PlayerLimits(player_id)
    rows = []
    for row in db.query(f"select * from {TABLE} where player_id = ? order by kind", [player_id]):
        try:
            rows.append(ClinicianLimits(kind=row["kind"], **{name: row[name] for name in _FIELDS}))
        except LimitsError as exc:
            raise LimitsError(
                f"the stored limits of player {player_id!r} for kind {row['kind']!r} are invalid: {exc.message}",
                remedy=f"set them again: proprio limits set --player {player_id} --kind {row['kind']} ...",
            ) from None
    rows.sort(key=lambda r: (r.kind != ALL_KINDS, r.kind))
    return PlayerLimits(player_id, tuple(rows))


def save_limits(db: Database, player_id: str, kind: str, **values: float | None) -> ClinicianLimits:
    """Set some limits of one player and kind, keeping the ones not given; validated before writing."""
    check_player_id(player_id)
    check_kind(kind)
    unknown = sorted(set(values) - set(_FIELDS))
    if unknown:
        raise LimitsError(f"unknown limit {unknown[0]!r}", remedy=f"limits: {', '.join(_FIELDS)}")
    given = {name: value for name, value in values.items() if value is not None}
    if not given:
        raise LimitsError("no limit given to set", remedy="give at least one of --target, --target-band, --floor,"
                          " --ceiling, --max-distance, --max-session-min, --rest-every-min with --rest-s")
    current = load_limits(db, player_id)
    stored = current.row(kind)
    try:
        row = (stored or ClinicianLimits(kind=kind)).merged(**given)
    except LimitsError as exc:
        if stored is None or stored.empty:
            raise
        kept = ", ".join(f"{k} {v:g}" for k, v in stored.as_dict().items() if k != "kind" and v is not None)
        raise LimitsError(exc.message, remedy=f"{exc.remedy} (already stored for {kind}: {kept})") from None
    current.with_row(row)  # refuses a floor above a ceiling across the kind's row and the 'all' row
    with db.conn:
        ensure_player(db, player_id)
        db.table(TABLE).upsert({"player_id": player_id, **row.as_dict(), "updated_at": utc_now()},
                               pk=("player_id", "kind"))
    return row


def clear_limits(db: Database, player_id: str, kind: str | None = None) -> int:
    """Remove the player's limits for one kind (or every kind); returns the rows removed."""
    check_player_id(player_id)
    if kind is not None:
        check_kind(kind)
    if not db.table(TABLE).exists():
        return 0
    where, args = "player_id = ?", [player_id]
    if kind is not None:
        where, args = where + " and kind = ?", args + [kind]
    with db.conn:
        return db.execute(f"delete from {TABLE} where {where}", args).rowcount


def limits_rows(limits: PlayerLimits) -> list[dict[str, Any]]:
    """The player's rows as plain dicts (what ``proprio limits show --format json`` prints)."""
    return [row.as_dict() for row in limits.rows]
