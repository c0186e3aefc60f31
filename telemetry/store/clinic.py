"""The clinic's records beside the telemetry: the prescribed plan, check-ins, adverse events, clinical scales.

Every value is checked before it is written (``ClinicError`` says what is wrong and how to give it);
each write is one transaction. Free text is stored as typed but without control characters.
Readers return plain dicts, oldest first; a database made before migration m010 simply has none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from game.errors import ProprioError
from game.players import check_player_id
from game.vocabulary import SCALES as SCALES  # defined with the command line's names (light for `--help`)
from game.vocabulary import SEVERITIES as SEVERITIES
from telemetry.measures.adherence import Adherence, Plan, Played, adherence
from telemetry.store.sessions import ensure_player, utc_now
from telemetry.store.transactions import write_transaction

MAX_TEXT = 2000
MAX_NOTE = 20_000


class ClinicError(ProprioError):
    """A plan, check-in, event or scale that cannot be stored as given."""


def _text(value: str | None, what: str, *, limit: int = MAX_TEXT, multiline: bool = False,
          required: bool = False) -> str | None:
    if value is None or not value.strip():
        if required:
            raise ClinicError(f"the {what} is empty", remedy=f"Say the {what} in a few words.")
        return None
    text = value.strip()
    allowed = {"\n", "\r", "\t"} if multiline else set()
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Cs") and c not in allowed]
    if bad:
        raise ClinicError(f"the {what} holds a control character ({bad[0]!r})",
                          remedy="Type it again as plain text" + (" (line breaks are fine)." if multiline else "."))
    if len(text) > limit:
        raise ClinicError(f"the {what} is {len(text)} characters long; the most is {limit}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_day(value: str | date, what: str) -> date:
    """A date given as YYYY-MM-DD (or a date), or a ClinicError saying how to write it."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ClinicError(f"the {what} {value!r} is not a date", remedy="Write it as YYYY-MM-DD, e.g. 2026-05-04.") \
            from None


def _moment(value: str | None, what: str = "time") -> str:
    """An ISO 8601 time (a date alone means its midnight); now (UTC) when None."""
    if value is None:
        return utc_now()
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ClinicError(f"the {what} {value!r} is not a date or time",
                          remedy="Write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2026-05-04T16:30.") from None
    return parsed.isoformat()


def _whole(value: float | int | None, what: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and not value.is_integer():
        raise ClinicError(f"the {what} must be a whole number from {low} to {high}; got {value:g}")
    number = int(value)
    if not low <= number <= high:
        raise ClinicError(f"the {what} must be from {low} to {high}; got {number}")
    return number


def _has(db: Database, table: str) -> bool:
    return db.table(table).exists()


def _need(db: Database, table: str) -> None:
    if not _has(db, table):
        raise ClinicError(f"this database has no {table} table yet (made by an older Proprio)",
                          remedy="Open it once with a writing command of this version, e.g. proprio plan set.")


def _session_of(db: Database, player_id: str, session_id: int | None) -> int | None:
    if session_id is None:
        return None
    row = db.execute("select player_id from sessions where id = ?", [session_id]).fetchone()
    if row is None:
        raise ClinicError(f"no session {session_id} in this database", remedy="See proprio sessions --player "
                          f"{player_id} for the numbers.")
    if row[0] != player_id:
        raise ClinicError(f"session {session_id} is not {player_id}'s (it is {row[0]}'s)",
                          remedy=f"See proprio sessions --player {player_id} for the numbers.")
    return session_id


def setting(db: Database, key: str) -> str | None:
    """One of this database's clinic settings (``installation_uri``, ``deid_secret``), None if absent."""
    if not _has(db, "clinic_settings"):
        return None
    row = db.execute("select value from clinic_settings where key = ?", [key]).fetchone()
    return str(row[0]) if row and row[0] else None


# --- the plan ---------------------------------------------------------------------------------------------


def set_plan(db: Database, player_id: str, *, sessions_per_week: int, minutes_per_session: float,
             start_date: str | date, weeks: int, levels: Sequence[str] = (), playlist: str | None = None,
             set_by: str | None = None, notes: str | None = None) -> dict[str, Any]:
    """Store a new plan for the player (it replaces the one in effect; the old one stays as history)."""
    check_player_id(player_id)
    _need(db, "prescriptions")
    per_week = _whole(sessions_per_week, "number of sessions per week", 1, 21)
    week_count = _whole(weeks, "number of weeks", 1, 104)
    if not isinstance(minutes_per_session, (int, float)) or not 0 < minutes_per_session <= 180:
        raise ClinicError(f"minutes per session must be above 0 and at most 180; got {minutes_per_session}")
    names = [_text(level, "level name", limit=200) for level in levels]
    clean_levels = [n for n in names if n]
    if any("," in n for n in clean_levels):
        raise ClinicError("a level name holds a comma", remedy="Give each level with its own --level.")
    if clean_levels and playlist:
        raise ClinicError("both levels and a playlist were given", remedy="Prescribe levels or one playlist.")
    row = {
        "player_id": player_id, "levels": ",".join(clean_levels) or None,
        "playlist": _text(playlist, "playlist name", limit=200), "sessions_per_week": per_week,
        "minutes_per_session": float(minutes_per_session),
        "start_date": parse_day(start_date, "start date").isoformat(),
        "weeks": week_count, "set_by": _text(set_by, "prescriber", limit=200),
        "notes": _text(notes, "notes", limit=MAX_NOTE, multiline=True), "created_at": utc_now(),
    }
    with write_transaction(db):
        ensure_player(db, player_id)
        db.table("prescriptions").insert(row)
    plan = current_plan(db, player_id)
    assert plan is not None
    return plan


def current_plan(db: Database, player_id: str) -> dict[str, Any] | None:
    """The plan in effect (the latest stored), or None."""
    if not _has(db, "prescriptions"):
        return None
    rows = list(db.query("select * from prescriptions where player_id = ? order by created_at desc, id desc "
                         "limit 1", [player_id]))
    return rows[0] if rows else None


def plan_history(db: Database, player_id: str) -> list[dict[str, Any]]:
    """Every plan stored for the player, oldest first."""
    if not _has(db, "prescriptions"):
        return []
    return list(db.query("select * from prescriptions where player_id = ? order by created_at, id", [player_id]))


def as_plan(row: dict[str, Any]) -> Plan:
    """A stored prescription as the pure ``Plan`` the adherence is computed from."""
    levels = tuple(x for x in str(row.get("levels") or "").split(",") if x)
    return Plan(int(row["sessions_per_week"]), float(row["minutes_per_session"]),
                date.fromisoformat(str(row["start_date"])), int(row["weeks"]), levels)


def player_adherence(db: Database, player_id: str, today: date) -> Adherence | None:
    """The adherence to the player's plan in effect as of ``today`` (None without a plan)."""
    row = current_plan(db, player_id)
    if row is None:
        return None
    played = []
    for session in db.query("select started_at, level, duration_s from sessions where player_id = ? "
                            "order by started_at", [player_id]):
        try:
            started = datetime.fromisoformat(session["started_at"]).astimezone().replace(tzinfo=None)
        except (TypeError, ValueError):
            continue
        played.append(Played(started, str(session["level"]), float(session["duration_s"] or 0.0) / 60.0))
    return adherence(as_plan(row), played, today)


# --- check-ins, events, scales ------------------------------------------------------------------------------


def add_checkin(db: Database, player_id: str, *, session_id: int | None = None, at: str | None = None,
                pain_before: int | None = None, pain_after: int | None = None, effort: int | None = None,
                note: str | None = None) -> dict[str, Any]:
    """Store how a session felt: pain before/after (0-10) and effort (Borg CR10, 0-10); at least one of them."""
    check_player_id(player_id)
    _need(db, "checkins")
    values = {"pain_before": _whole(pain_before, "pain before", 0, 10),
              "pain_after": _whole(pain_after, "pain after", 0, 10),
              "effort": _whole(effort, "effort (Borg CR10)", 0, 10)}
    clean_note = _text(note, "note", limit=MAX_NOTE, multiline=True)
    if all(v is None for v in values.values()) and clean_note is None:
        raise ClinicError("nothing to store", remedy="Give --pain-before, --pain-after, --effort or --note.")
    with write_transaction(db):
        ensure_player(db, player_id)
        row = {"player_id": player_id, "session_id": _session_of(db, player_id, session_id), "at": _moment(at),
               **values, "note": clean_note, "created_at": utc_now()}
        row_id = db.table("checkins").insert(row).last_pk
    return {"id": row_id, **row}


def checkins(db: Database, player_id: str) -> list[dict[str, Any]]:
    """The player's check-ins, oldest first."""
    if not _has(db, "checkins"):
        return []
    return list(db.query("select * from checkins where player_id = ? order by at, id", [player_id]))


def add_event(db: Database, player_id: str, *, what: str, severity: str, at: str | None = None,
              action: str | None = None, session_id: int | None = None,
              recorded_by: str | None = None) -> dict[str, Any]:
    """Store an adverse event (a fall, dizziness, pain) with its severity and what was done."""
    check_player_id(player_id)
    _need(db, "adverse_events")
    if severity not in SEVERITIES:
        raise ClinicError(f"unknown severity {severity!r}", remedy=f"Use one of: {', '.join(SEVERITIES)}.")
    with write_transaction(db):
        ensure_player(db, player_id)
        row = {"player_id": player_id, "session_id": _session_of(db, player_id, session_id), "at": _moment(at),
               "what": _text(what, "description of what happened", required=True, multiline=True),
               "severity": severity, "action": _text(action, "action taken", multiline=True),
               "recorded_by": _text(recorded_by, "recorder", limit=200), "created_at": utc_now()}
        row_id = db.table("adverse_events").insert(row).last_pk
    return {"id": row_id, **row}


def events(db: Database, player_id: str) -> list[dict[str, Any]]:
    """The player's adverse events, oldest first."""
    if not _has(db, "adverse_events"):
        return []
    return list(db.query("select * from adverse_events where player_id = ? order by at, id", [player_id]))


#: Session statuses that are safety events, read from the sessions table (nothing extra is written
#: while playing): (kind, what happened).
SAFETY_STATUSES: dict[str, tuple[str, str]] = {
    "device_lost": ("device lost", "the device stayed silent past the device timeout; the session ended there"),
    "aborted": ("ended early", "ended before its planned end by the player or therapist (End level, Skip, "
                               "Switch, window closed or Ctrl-C)"),
}
#: A balance board that feels less than a child's weight is empty (``game/input/balance_board.py``):
#: the game pauses and logs ``device_pause`` with reason "empty". In play that is the player stepping
#: or falling off. A wobble board's IMU or a gamepad cannot tell it, so those are recorded by hand.
STEPPED_OFF = ("stepped off", "the balance board felt no weight during play (stepped or fell off); the game paused")


def safety_events(db: Database, player_id: str) -> list[dict[str, Any]]:
    """The player's safety events, oldest first: a session that ended as device_lost or aborted, and every
    time the player left the balance board during play.

    Derived at read time from the sessions and events tables, so each row says ``recorded_by``
    "proprio" and carries its session, level, when it happened (a session's end, its start if the end
    is unknown; the moment of stepping off) and the seconds played.
    """
    if not _has(db, "sessions"):
        return []
    marks = ", ".join("?" for _ in SAFETY_STATUSES)
    rows = db.query(f"select id, level, started_at, ended_at, status, duration_s from sessions where player_id = ? "
                    f"and status in ({marks}) order by started_at, id", [player_id, *SAFETY_STATUSES])
    found = [{"session_id": row["id"], "at": row["ended_at"] or row["started_at"],
              "kind": SAFETY_STATUSES[row["status"]][0], "what": SAFETY_STATUSES[row["status"]][1],
              "status": row["status"], "level": row["level"], "played_s": row["duration_s"],
              "recorded_by": "proprio"} for row in rows]
    if _has(db, "events"):
        off = db.query("select s.id, s.level, s.started_at, s.status, e.t_s from events e join sessions s "
                       "on s.id = e.session_id where s.player_id = ? and e.kind = 'device_pause' "
                       "and json_valid(e.data) and json_extract(e.data, '$.reason') = 'empty' "
                       "order by s.started_at, e.t_s", [player_id])
        found += [{"session_id": row["id"], "at": _plus_seconds(row["started_at"], row["t_s"]),
                   "kind": STEPPED_OFF[0], "what": f"{STEPPED_OFF[1]} at {row['t_s']:.1f} s",
                   "status": row["status"], "level": row["level"], "played_s": row["t_s"],
                   "recorded_by": "proprio"} for row in off]
    return sorted(found, key=lambda e: (str(e["at"]), e["session_id"]))


def _plus_seconds(started_at: str, t_s: float) -> str:
    """``started_at`` (ISO 8601) plus ``t_s`` seconds of play, to the millisecond; as stored if unreadable."""
    try:
        return (datetime.fromisoformat(started_at) + timedelta(seconds=t_s)).isoformat(timespec="milliseconds")
    except (TypeError, ValueError):
        return started_at


def add_scale(db: Database, player_id: str, *, scale: str, value: float, on: str | date,
              unit: str | None = None, name: str | None = None, assessor: str | None = None,
              note: str | None = None) -> dict[str, Any]:
    """Store a clinical test result (Timed Up and Go in seconds, Mini-BESTest, Berg, FES-I, or another named test)."""
    check_player_id(player_id)
    _need(db, "clinical_scales")
    if scale not in SCALES:
        raise ClinicError(f"unknown scale {scale!r}", remedy=f"Use one of: {', '.join(SCALES)}.")
    title, default_unit, low, high, whole = SCALES[scale]
    if not isinstance(value, (int, float)) or value != value or not low <= value <= high:
        raise ClinicError(f"a {title} result must be from {low:g} to {high:g}; got {value}")
    if whole and not float(value).is_integer():
        raise ClinicError(f"a {title} score is a whole number; got {value:g}")
    clean_name = _text(name, "test name", limit=200)
    clean_unit = _text(unit, "unit", limit=40)
    if scale == "other":
        if clean_name is None or clean_unit is None:
            raise ClinicError("another test needs its name and unit", remedy="Add --name and --unit, e.g. "
                              "--name 'Functional Reach' --unit cm.")
    else:
        if clean_unit is not None and clean_unit != default_unit:
            raise ClinicError(f"{title} is recorded in {default_unit}, not {clean_unit}",
                              remedy="Leave --unit out, or use --scale other for another unit.")
        clean_unit = default_unit
    day = parse_day(on, "test date")
    with write_transaction(db):
        ensure_player(db, player_id)
        row = {"player_id": player_id, "date": day.isoformat(), "scale": scale, "name": clean_name,
               "value": float(value), "unit": clean_unit, "assessor": _text(assessor, "assessor", limit=200),
               "note": _text(note, "note", limit=MAX_NOTE, multiline=True), "created_at": utc_now()}
        row_id = db.table("clinical_scales").insert(row).last_pk
    return {"id": row_id, **row}


def scales(db: Database, player_id: str, scale: str | None = None) -> list[dict[str, Any]]:
    """The player's clinical test results (of one scale, if given), oldest first."""
    if not _has(db, "clinical_scales"):
        return []
    if scale is not None and scale not in SCALES:
        raise ClinicError(f"unknown scale {scale!r}", remedy=f"Use one of: {', '.join(SCALES)}.")
    where, params = ("player_id = ? and scale = ?", [player_id, scale]) if scale else ("player_id = ?", [player_id])
    return list(db.query(f"select * from clinical_scales where {where} order by date, id", params))


def scale_title(row: dict[str, Any]) -> str:
    """A stored result's test name ("Berg Balance Scale", or the name given for another test)."""
    if row.get("scale") == "other":
        return str(row.get("name") or "other")
    return SCALES.get(str(row.get("scale")), (str(row.get("scale")),))[0]
