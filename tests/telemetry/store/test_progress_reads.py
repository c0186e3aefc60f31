"""The title screen's reads: a player's sessions for progress (local days) and the stored display names."""

from __future__ import annotations

from datetime import date, datetime

from telemetry.store.database import open_db
from telemetry.store.players import display_names, set_identity
from telemetry.store.queries import local_day, progress_sessions
from telemetry.store.sessions import create_session


def _session(db, player: str, level: str, started_at: str, **closing) -> int:
    session_id = create_session(db, {"player_id": player, "level": level, "started_at": started_at})
    db.table("sessions").update(session_id, {"status": "completed", "trials": 6, "successes": 4, "stars": 2,
                                             "score": 500, "difficulty_reached": 0.4, **closing})
    return session_id


def test_a_players_sessions_are_read_with_their_local_day_and_figures(tmp_path):
    db = open_db(tmp_path / "p.db")
    first = _session(db, "kid-07", "garden-balance", "2026-11-23T09:00:00.000+00:00")
    _session(db, "kid-07", "space-reach", "2026-11-24T09:00:00.000+00:00", status="aborted", stars=None)
    _session(db, "kid-08", "garden-balance", "2026-11-24T09:00:00.000+00:00")
    sessions = progress_sessions(db, "kid-07")
    assert [s.level for s in sessions] == ["garden-balance", "space-reach"]
    assert sessions[0].session_id == first and sessions[0].stars == 2 and sessions[0].score == 500
    assert sessions[0].day == datetime.fromisoformat("2026-11-23T09:00:00+00:00").astimezone().date()
    assert sessions[1].status == "aborted" and sessions[1].stars == 0  # a missing figure reads as nothing won
    assert progress_sessions(db, "nobody") == []


def test_a_row_whose_date_cannot_be_read_is_passed_over_not_fatal(tmp_path):
    db = open_db(tmp_path / "p.db")
    _session(db, "kid-07", "garden-balance", "not a date")
    _session(db, "kid-07", "garden-balance", "2026-11-23T09:00:00.000+00:00")
    assert len(progress_sessions(db, "kid-07")) == 1
    assert local_day("2026-11-23") == date(2026, 11, 23) and local_day("") is None


def test_display_names_are_read_for_the_greeting(tmp_path):
    db = open_db(tmp_path / "p.db")
    assert display_names(db) == {}
    set_identity(db, "kid-07", display_name="Sam")
    set_identity(db, "kid-08", notes="no name, only notes")
    assert display_names(db) == {"kid-07": "Sam"}
