"""Clinician limits in a real SQLite file: set merges, load validates, clear removes."""

from __future__ import annotations

import pytest

from game.errors import ProprioError
from game.limits import ClinicianLimits, LimitsError
from telemetry.store.database import open_db
from telemetry.store.limits import clear_limits, load_limits, save_limits


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "p.db")
    yield database
    database.close()


def test_set_merges_with_what_is_stored_and_load_returns_every_row(db):
    save_limits(db, "kid-1", "all", target_success=0.75, max_session_s=1200.0)
    save_limits(db, "kid-1", "all", rest_every_s=300.0, rest_s=60.0)
    save_limits(db, "kid-1", "reach", ceiling=0.7, max_distance_los=0.6)
    limits = load_limits(db, "kid-1")
    assert limits.rows == (
        ClinicianLimits("all", target_success=0.75, max_session_s=1200.0, rest_every_s=300.0, rest_s=60.0),
        ClinicianLimits("reach", ceiling=0.7, max_distance_los=0.6),
    )
    assert db["players"].get("kid-1")["id"] == "kid-1"  # limits may be set before the first game
    assert db["clinician_limits"].get(("kid-1", "reach"))["updated_at"]
    assert load_limits(db, "kid-2").rows == ()


def test_a_refused_value_writes_nothing_and_the_message_names_what_is_already_stored(db):
    save_limits(db, "kid-1", "hold", floor=0.6)
    with pytest.raises(LimitsError) as info:
        save_limits(db, "kid-1", "hold", ceiling=0.4)
    assert info.value.message == "floor 0.6 is above ceiling 0.4"
    assert "(already stored for hold: floor 0.6)" in info.value.remedy
    with pytest.raises(LimitsError, match="floor 0.6 from clinician \\(hold\\) is above ceiling 0.5 from clinician"):
        save_limits(db, "kid-1", "all", ceiling=0.5)
    assert load_limits(db, "kid-1").rows == (ClinicianLimits("hold", floor=0.6),)


@pytest.mark.parametrize("args, message", [
    (("kid-1", "all"), "no limit given to set"),
    (("Jane Doe", "all", {"floor": 0.1}), "player ID 'Jane Doe' is not valid"),
    (("kid-1", "hod", {"floor": 0.1}), "unknown challenge kind 'hod'"),
])
def test_bad_requests_are_named(db, args, message):
    values = args[2] if len(args) > 2 else {}
    with pytest.raises(ProprioError) as info:
        save_limits(db, args[0], args[1], **values)
    assert info.value.message == message


def test_unknown_fields_are_refused(db):
    with pytest.raises(LimitsError, match="unknown limit 'speed'"):
        save_limits(db, "kid-1", "all", speed=2.0)


def test_a_row_edited_into_nonsense_is_reported_on_load_not_used(db):
    save_limits(db, "kid-1", "all", target_success=0.75)
    db.execute("update clinician_limits set target_success = 1.5")
    with pytest.raises(LimitsError) as info:
        load_limits(db, "kid-1")
    assert info.value.message == ("the stored limits of player 'kid-1' for kind 'all' are invalid: target success rate"
                                  " 1.5 is outside the open interval (0, 1)")


def test_clear_removes_one_kind_or_all(db):
    save_limits(db, "kid-1", "all", target_success=0.75)
    save_limits(db, "kid-1", "hold", floor=0.2)
    save_limits(db, "kid-2", "hold", floor=0.2)
    assert clear_limits(db, "kid-1", "hold") == 1
    assert [r.kind for r in load_limits(db, "kid-1").rows] == ["all"]
    assert clear_limits(db, "kid-1") == 1 and load_limits(db, "kid-1").rows == ()
    assert len(load_limits(db, "kid-2").rows) == 1
