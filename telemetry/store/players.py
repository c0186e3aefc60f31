"""Players: pseudonymous IDs in telemetry, display names and notes kept apart in ``player_identities``.

Every telemetry row names a player only by a pseudonymous code (``kid-07``). A clinician may
attach a display name and free-text notes to that code; they live in their own table, which
no export, report or FHIR bundle reads unless asked to (``--include-names``), and which
``forget_identity`` empties without touching the telemetry.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from game.errors import ProprioError
from game.players import check_player_id
from telemetry.store.sessions import ensure_player, utc_now
from telemetry.store.transactions import write_transaction

if TYPE_CHECKING:
    from telemetry.measures.reference import AgeBand

MAX_NAME_CHARS = 120
MAX_NOTES_CHARS = 20_000


class PlayerNotFoundError(ProprioError):
    """A player ID this database has never seen."""


class IdentityError(ProprioError):
    """A display name or notes that cannot be stored as given."""


def known_player_ids(db: Database) -> list[str]:
    """Every player ID in the database, sorted."""
    return [row[0] for row in db.execute("select id from players order by id")]


def require_player(db: Database, player_id: str) -> None:
    """Raise ``PlayerNotFoundError`` listing the known IDs unless the player exists (a bad ID: its own error)."""
    check_player_id(player_id)  # "kid-07\n" is not valid, rather than "not found"
    if db.execute("select 1 from players where id = ?", [player_id]).fetchone():
        return
    known = known_player_ids(db)
    listed = ", ".join(known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20 else "")
    raise PlayerNotFoundError(
        f"no player {player_id!r} in this database",
        remedy=f"Known players: {listed}." if known else "This database has no players yet: play a session first.",
    )


def _clean(text: str, what: str, limit: int, *, multiline: bool) -> str:
    text = text.strip()
    allowed = {"\n", "\r", "\t"} if multiline else set()
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Cs") and c not in allowed]
    if bad:
        raise IdentityError(
            f"the {what} holds a control character ({bad[0]!r})",
            remedy="Type it again as plain text" + (" (line breaks are fine)." if multiline else " on one line."),
        )
    if len(text) > limit:
        raise IdentityError(f"the {what} is {len(text)} characters long; the most is {limit}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def set_identity(
    db: Database, player_id: str, *, display_name: str | None = None, notes: str | None = None,
    age_years: float | None = None,
) -> dict[str, Any]:
    """Store (or change) a player's display name, notes and/or reference age band; creates the player if new.

    ``age_years`` is stored as its band only (``child`` under 18, ``young``, ``older`` from 60: the BDS
    boundary), the band an assessment records with ``--age``: it picks the reference values of reports and
    assessments (none for a child: the reference subjects are adults).
    """
    check_player_id(player_id)
    if display_name is None and notes is None and age_years is None:
        raise IdentityError("nothing to store", remedy="Give --name, --notes and/or --age.")
    fields: dict[str, Any] = {"player_id": player_id, "updated_at": utc_now()}
    if age_years is not None:
        from telemetry.measures.reference import ReferenceError, age_band

        try:
            fields["age_band"] = age_band(age_years)
        except ReferenceError as exc:
            raise IdentityError(f"--age {age_years:g}: {exc.message}",
                                remedy="Give the player's age in whole years, e.g. --age 72.") from None
    if display_name is not None:
        fields["display_name"] = _clean(display_name, "display name", MAX_NAME_CHARS, multiline=False) or None
    if notes is not None:
        fields["notes"] = _clean(notes, "notes", MAX_NOTES_CHARS, multiline=True) or None
    with write_transaction(db):
        ensure_player(db, player_id)
        db.table("player_identities").upsert(fields, pk="player_id")
    return identity(db, player_id) or {}


def identity(db: Database, player_id: str) -> dict[str, Any] | None:
    """The player's display name and notes, or None when none were stored."""
    rows = list(db.query("select * from player_identities where player_id = ?", [player_id]))
    return rows[0] if rows else None


def display_names(db: Database) -> dict[str, str]:
    """Every stored display name by player ID (what the title screen greets with); empty when none or unreadable."""
    if not db.table("player_identities").exists():
        return {}
    try:
        rows = db.execute("select player_id, display_name from player_identities where display_name is not null")
        return {str(pid): str(name) for pid, name in rows if name}
    except sqlite3.DatabaseError:
        return {}


def stored_age_band(db: Database, player_id: str) -> AgeBand | None:
    """The reference age band stored for the player (``proprio players set --age``), or None."""
    try:
        found = db.execute("select age_band from player_identities where player_id = ?", [player_id]).fetchone()
    except sqlite3.DatabaseError:  # a database from before m011, or one that cannot be read: no band
        return None
    band = found[0] if found is not None else None
    return "child" if band == "child" else "young" if band == "young" else "older" if band == "older" else None


def forget_identity(db: Database, player_id: str) -> bool:
    """Delete the player's display name, notes and age band (telemetry stays, pseudonymous); True if any existed."""
    require_player(db, player_id)
    with write_transaction(db):
        cursor = db.execute("delete from player_identities where player_id = ?", [player_id])
    return cursor.rowcount > 0


def list_players(db: Database, *, include_names: bool = False) -> list[dict[str, Any]]:
    """Each player with their number of sessions and first and last session; names only if asked."""
    rows = db.query(
        "select p.id, p.created_at, count(s.id) as sessions, min(s.started_at) as first_session_at, "
        "max(s.started_at) as last_session_at, i.display_name, i.notes "
        "from players p left join sessions s on s.player_id = p.id "
        "left join player_identities i on i.player_id = p.id group by p.id order by p.id"
    )
    result = []
    for row in rows:
        if not include_names:
            row.pop("display_name")
            row.pop("notes")
        result.append(row)
    return result
