"""Display names and notes: stored apart, validated, forgettable; telemetry untouched."""

from __future__ import annotations

import pytest

from game.players import PlayerIdError
from telemetry.store.database import open_db
from telemetry.store.players import (
    IdentityError,
    PlayerNotFoundError,
    forget_identity,
    identity,
    list_players,
    require_player,
    set_identity,
)
from telemetry.store.sessions import create_session


def test_names_and_notes_live_apart_and_can_be_forgotten(tmp_path):
    db = open_db(tmp_path / "p.db")
    session_id = create_session(db, {"player_id": "kid-07", "level": "x", "device": "sim"})
    set_identity(db, "kid-07", display_name="  Sam Smith ", notes="Line one\r\nline two")
    assert identity(db, "kid-07")["display_name"] == "Sam Smith"
    assert identity(db, "kid-07")["notes"] == "Line one\nline two"
    set_identity(db, "kid-07", notes="changed")  # the name stays when only notes change
    assert identity(db, "kid-07")["display_name"] == "Sam Smith" and identity(db, "kid-07")["notes"] == "changed"
    assert "display_name" not in list_players(db)[0]
    assert list_players(db, include_names=True)[0]["display_name"] == "Sam Smith"
    assert list_players(db)[0]["sessions"] == 1
    assert forget_identity(db, "kid-07") is True
    assert identity(db, "kid-07") is None and forget_identity(db, "kid-07") is False
    assert db["sessions"].get(session_id)["player_id"] == "kid-07"  # telemetry stays


def test_a_new_player_can_be_named_before_their_first_session(tmp_path):
    db = open_db(tmp_path / "p.db")
    set_identity(db, "new-1", display_name="Alex")
    require_player(db, "new-1")
    assert [p["id"] for p in list_players(db)] == ["new-1"]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"display_name": "Sam\x00Smith"}, IdentityError, "control character"),
    ({"display_name": "Sam\nSmith"}, IdentityError, "control character"),
    ({"display_name": "x" * 121}, IdentityError, "the most is 120"),
    ({"notes": "y" * 20_001}, IdentityError, "the most is 20000"),
    ({}, IdentityError, "nothing to store"),
])
def test_bad_names_and_notes_are_refused_with_a_reason(tmp_path, kwargs, error, message):
    db = open_db(tmp_path / "p.db")
    with pytest.raises(error, match=message):
        set_identity(db, "kid-07", **kwargs)
    assert db["player_identities"].count == 0


def test_a_name_is_not_an_id(tmp_path):
    db = open_db(tmp_path / "p.db")
    with pytest.raises(PlayerIdError):
        set_identity(db, "Jane Doe", display_name="Jane Doe")
    with pytest.raises(PlayerNotFoundError, match="no player 'ghost'"):
        forget_identity(db, "ghost")
