"""Reading telemetry back: which sessions a request means, session lists, one session's traces and measures."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from game.errors import ProprioError
from game.progress import PlayedSession
from telemetry.store.players import require_player
from telemetry.store.sessions import stale_sessions

if TYPE_CHECKING:
    from telemetry.measures.session import SessionMeasures, Trace


class SelectionError(ProprioError):
    """A request for sessions that names nothing, too much, or something the database lacks."""


@dataclass(frozen=True)
class Selection:
    """What to read: some players' sessions, some sessions, or everything."""

    players: tuple[str, ...] = ()
    sessions: tuple[int, ...] = ()
    everything: bool = False

    def describe(self) -> str:
        """The selection in the words of the command line (for manifests and messages)."""
        if self.everything:
            return "--all"
        return " ".join([*(f"--player {p}" for p in self.players), *(f"--session {s}" for s in self.sessions)])


@dataclass(frozen=True)
class Resolved:
    """A selection turned into ids: the sessions and the players they belong to."""

    session_ids: tuple[int, ...]
    player_ids: tuple[str, ...]
    everything: bool


def resolve(db: Database, selection: Selection) -> Resolved:
    """Check the selection against the database and list the session and player ids it covers."""
    modes = sum([bool(selection.players), bool(selection.sessions), selection.everything])
    if modes != 1:
        raise SelectionError(
            "say what to read: players, sessions or everything, exactly one of them",
            remedy="Pass --player ID (repeatable), --session ID (repeatable) or --all.",
        )
    if selection.everything:
        sessions = [row[0] for row in db.execute("select id from sessions order by id")]
        players = [row[0] for row in db.execute("select id from players order by id")]
        return Resolved(tuple(sessions), tuple(players), True)
    if selection.players:
        players = list(dict.fromkeys(selection.players))
        for player_id in players:
            require_player(db, player_id)
        sessions = [
            row[0]
            for row in db.execute(
                "select id from sessions where player_id in (select value from json_each(?)) order by id",
                [json.dumps(players)],
            )
        ]
        return Resolved(tuple(sessions), tuple(sorted(players)), False)
    sessions = sorted(set(selection.sessions))
    found = {
        row[0]: row[1]
        for row in db.execute(
            "select id, player_id from sessions where id in (select value from json_each(?))", [json.dumps(sessions)]
        )
    }
    missing = [s for s in sessions if s not in found]
    if missing:
        last = db.execute("select max(id) from sessions").fetchone()[0]
        raise SelectionError(
            f"no session {', '.join(map(str, missing))} in this database",
            remedy=f"Sessions are numbered 1 to {last}; see proprio sessions." if last else "It has no sessions yet.",
        )
    return Resolved(tuple(sessions), tuple(sorted(set(found.values()))), False)


#: The columns ``list_sessions`` reports, in order (besides the computed ``recorded_s`` and ``samples``).
SESSION_FIGURES = (
    "id", "player_id", "level", "level_title", "started_at", "ended_at", "status", "duration_s", "trials",
    "successes", "success_rate", "score", "max_score", "stars", "difficulty_reached", "device", "input_rate_hz",
    "calibration_id", "frame_p50_ms", "frame_p99_ms", "dropped_frames", "dropped_steps", "dropped_samples",
    "app_version",
)


def list_sessions(db: Database, player_id: str | None = None,
                  problems: list[str] | None = None) -> list[dict[str, Any]]:
    """Every session (of one player, if given) with its status and key figures, oldest first.

    ``recorded_s`` is the time of the last sample in the database (for a running session,
    how far it has got), ``samples`` the number of sample rows. A ``running`` session whose
    process is gone shows as ``interrupted`` even where the file cannot be written (read-only).
    Given a ``problems`` list, a damaged file is read as far as it allows: what cannot be read
    is left out (or None) and said there, instead of raising.
    """
    if player_id is not None:
        require_player(db, player_id)
    have = set(db.table("sessions").columns_dict)
    columns = ", ".join(f"[{c}]" if c in have else f"null as [{c}]" for c in SESSION_FIGURES)
    where, params = ("where player_id = ?", [player_id]) if player_id is not None else ("", [])
    rows: list[dict[str, Any]] = []
    try:
        for row in db.query(f"select {columns} from sessions {where} order by id", params):
            rows.append(row)
    except sqlite3.DatabaseError as exc:
        if problems is None or not rows:
            raise
        problems.append(f"sessions after {rows[-1]['id']} cannot be read ({exc})")
    try:
        stale = set(stale_sessions(db)) if any(row["status"] == "running" for row in rows) else set()
    except sqlite3.DatabaseError:
        stale = set()
    unreadable: list[int] = []
    for row in rows:
        if row["id"] in stale:
            row["status"] = "interrupted"
        try:
            last = db.execute(
                "select t_s from samples where session_id = ? order by step desc limit 1", [row["id"]]
            ).fetchone()
            row["recorded_s"] = last[0] if last else 0.0
            row["samples"] = db.execute("select count(*) from samples where session_id = ?",
                                        [row["id"]]).fetchone()[0]
        except sqlite3.DatabaseError:
            if problems is None:
                raise
            row["recorded_s"] = row["samples"] = None
            unreadable.append(row["id"])
    if unreadable and problems is not None:
        problems.append(f"the samples of session(s) {', '.join(map(str, unreadable))} cannot be counted")
    return rows


def session_trace(db: Database, session_id: int) -> Trace:
    """All samples of a session in step order (rows with a missing coordinate are left out)."""
    rows = db.execute(
        "select t_s, x, y from samples where session_id = ? and t_s is not null and x is not null "
        "and y is not null order by step",
        [session_id],
    ).fetchall()
    import numpy as np  # with the measures, only where a trace is read: `proprio sessions` starts without them

    from telemetry.measures.session import Trace

    data = np.array(rows, dtype=np.float64).reshape(-1, 3)
    return Trace(data[:, 0].copy(), data[:, 1].copy(), data[:, 2].copy())


def session_trials(db: Database, session_id: int) -> list[dict[str, Any]]:
    """The session's trials in the order played, each with its ``trial_start`` event data as ``start``."""
    starts: dict[tuple[int, int], dict[str, Any]] = {}
    for challenge, trial, data in db.execute(
        "select challenge, trial, data from events where session_id = ? and kind = 'trial_start' order by id",
        [session_id],
    ):
        try:
            parsed = json.loads(data) if data else {}
        except ValueError:
            parsed = {}
        starts[(challenge, trial)] = parsed if isinstance(parsed, dict) else {}
    trials = list(db.query("select * from trials where session_id = ? order by started_t_s, challenge, trial",
                           [session_id]))
    for row in trials:
        row["start"] = starts.get((row["challenge"], row["trial"]), {})
    return trials


def session_measures(db: Database, session_id: int, rate_hz: float | None = None) -> SessionMeasures:
    """Sway of the balance trials and measures of the reach trials of one session, read from the database.

    The rate is the session's simulation step rate (``sessions.step_hz``) unless given.
    """
    from telemetry.measures.session import DEFAULT_RATE_HZ, measure_session

    if rate_hz is None:
        row = db.execute("select step_hz from sessions where id = ?", [session_id]).fetchone()
        rate_hz = float(row[0]) if row and row[0] else DEFAULT_RATE_HZ
    return measure_session(session_id, session_trace(db, session_id), session_trials(db, session_id), rate_hz)


def local_day(started_at: str) -> date | None:
    """The local calendar day of a stored UTC timestamp (None when it cannot be read)."""
    try:
        moment = datetime.fromisoformat(started_at)
    except (TypeError, ValueError):
        return None
    return (moment.astimezone() if moment.tzinfo is not None else moment).date()


def progress_sessions(db: Database, player_id: str) -> list[PlayedSession]:
    """The player's sessions as ``game.progress`` reads them (oldest first); none for a player not stored yet.

    A row whose date or figures cannot be read is passed over: progress is a reward, and a damaged
    row must not stop the title screen.
    """
    if not db.table("sessions").exists():
        return []
    sessions: list[PlayedSession] = []
    try:
        rows = list(db.execute(
            "select id, level, started_at, status, trials, successes, stars, score, difficulty_reached, duration_s "
            "from sessions where player_id = ? order by id", [player_id]))
    except sqlite3.DatabaseError:
        return []
    for session_id, level, started_at, status, trials, successes, stars, score, difficulty, duration_s in rows:
        day = local_day(started_at)
        if day is None or not isinstance(level, str):
            continue
        try:
            sessions.append(PlayedSession(level, day, str(status), int(trials or 0), int(successes or 0),
                                          int(stars or 0), int(score or 0),
                                          None if difficulty is None else float(difficulty), int(session_id),
                                          float(duration_s or 0.0) / 60.0))
        except (TypeError, ValueError):
            continue
    return sessions
