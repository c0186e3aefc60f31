"""The clinic's records: plans, check-ins, adverse events and clinical scales; bad input is a clear error."""

from __future__ import annotations

from datetime import date

import pytest

from telemetry.store.clinic import (
    ClinicError,
    add_checkin,
    add_event,
    add_scale,
    checkins,
    current_plan,
    events,
    plan_history,
    player_adherence,
    safety_events,
    scales,
    set_plan,
    setting,
)
from telemetry.store.database import open_db
from telemetry.store.sessions import create_session


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "c.db")
    yield database
    database.close()


def test_a_new_plan_replaces_the_one_in_effect_and_keeps_the_history(db):
    first = set_plan(db, "kid-07", sessions_per_week=3, minutes_per_session=15, start_date="2026-05-04", weeks=6,
                     levels=["garden-balance"], set_by="PT")
    assert first["levels"] == "garden-balance" and first["start_date"] == "2026-05-04"
    set_plan(db, "kid-07", sessions_per_week=2, minutes_per_session=20, start_date=date(2026, 6, 15), weeks=4)
    assert current_plan(db, "kid-07")["sessions_per_week"] == 2
    assert [p["weeks"] for p in plan_history(db, "kid-07")] == [6, 4]


@pytest.mark.parametrize("changes, message", [
    ({"sessions_per_week": 0}, "from 1 to 21"),
    ({"sessions_per_week": 2.5}, "whole number"),
    ({"minutes_per_session": 0}, "above 0"),
    ({"minutes_per_session": 600}, "at most 180"),
    ({"weeks": 0}, "from 1 to 104"),
    ({"start_date": "04/05/2026"}, "not a date"),
    ({"levels": ["a,b"]}, "comma"),
    ({"levels": ["a"], "playlist": "kids"}, "both levels and a playlist"),
    ({"notes": "bad \x1b[2J"}, "control character"),
])
def test_a_plan_that_cannot_be_kept_is_refused_and_nothing_is_written(db, changes, message):
    values = {"sessions_per_week": 3, "minutes_per_session": 15, "start_date": "2026-05-04", "weeks": 6, **changes}
    with pytest.raises(ClinicError, match=message):
        set_plan(db, "kid-07", **values)
    assert current_plan(db, "kid-07") is None


def test_checkins_events_and_scales_are_stored_and_checked(db):
    session = create_session(db, {"player_id": "kid-07", "level": "x", "device": "sim"})
    other = create_session(db, {"player_id": "kid-08", "level": "x", "device": "sim"})
    add_checkin(db, "kid-07", session_id=session, pain_before=2, pain_after=1, effort=4, at="2026-05-04T16:00")
    with pytest.raises(ClinicError, match="from 0 to 10"):
        add_checkin(db, "kid-07", pain_after=11)
    with pytest.raises(ClinicError, match="not kid-07's"):
        add_checkin(db, "kid-07", session_id=other, effort=3)
    with pytest.raises(ClinicError, match="nothing to store"):
        add_checkin(db, "kid-07")
    with pytest.raises(ClinicError, match="not a date or time"):
        add_checkin(db, "kid-07", effort=3, at="yesterday")
    assert [(c["pain_before"], c["pain_after"], c["effort"]) for c in checkins(db, "kid-07")] == [(2, 1, 4)]
    add_event(db, "kid-07", what="dizzy", severity="mild", action="rested", session_id=session)
    with pytest.raises(ClinicError, match="unknown severity"):
        add_event(db, "kid-07", what="fell", severity="bad")
    with pytest.raises(ClinicError, match="empty"):
        add_event(db, "kid-07", what="  ", severity="mild")
    assert [e["what"] for e in events(db, "kid-07")] == ["dizzy"]
    add_scale(db, "kid-07", scale="berg", value=48, on="2026-05-04", assessor="PT")
    add_scale(db, "kid-07", scale="tug_s", value=9.4, on="2026-05-04")
    add_scale(db, "kid-07", scale="other", value=31.5, on="2026-05-05", name="Functional Reach", unit="cm")
    for kwargs, message in (({"scale": "berg", "value": 60}, "from 0 to 56"), ({"scale": "berg", "value": 47.5},
                            "whole number"), ({"scale": "mini_bestest", "value": 29}, "from 0 to 28"),
                            ({"scale": "tug_s", "value": 9, "unit": "min"}, "recorded in s"),
                            ({"scale": "other", "value": 3}, "name and unit"), ({"scale": "sppb", "value": 3},
                            "unknown scale")):
        with pytest.raises(ClinicError, match=message):
            add_scale(db, "kid-07", on="2026-05-04", **kwargs)
    assert [(s["scale"], s["value"], s["unit"]) for s in scales(db, "kid-07")] == [
        ("berg", 48.0, "score"), ("tug_s", 9.4, "s"), ("other", 31.5, "cm")]
    assert [s["value"] for s in scales(db, "kid-07", "berg")] == [48.0]


def test_adherence_reads_the_sessions_of_the_plan(db):
    set_plan(db, "kid-07", sessions_per_week=2, minutes_per_session=1, start_date="2026-05-04", weeks=2)
    for day in ("2026-05-05T15:00:00+00:00", "2026-05-07T15:00:00+00:00"):
        session = create_session(db, {"player_id": "kid-07", "level": "x", "device": "sim", "started_at": day})
        db["sessions"].update(session, {"duration_s": 90.0, "status": "completed"})
    kept = player_adherence(db, "kid-07", date(2026, 5, 20))
    assert kept is not None and kept.sittings_pct() == 50.0 and kept.weeks[0].minutes == pytest.approx(3.0)
    assert player_adherence(db, "nobody-1", date(2026, 5, 20)) is None


def test_each_database_gets_its_own_installation_uri_and_key(tmp_path):
    a, b = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db")
    assert setting(a, "installation_uri").startswith("urn:uuid:")
    assert setting(a, "installation_uri") != setting(b, "installation_uri")
    assert len(bytes.fromhex(setting(a, "deid_secret"))) == 32


def test_fes_i_scores_are_whole_numbers_from_16_to_64(db):
    add_scale(db, "kid-07", scale="fes_i", value=16, on="2026-05-04")
    add_scale(db, "kid-07", scale="fes_i", value=64, on="2026-05-05")
    for value, message in ((15, "from 16 to 64"), (65, "from 16 to 64"), (30.5, "whole number")):
        with pytest.raises(ClinicError, match=message):
            add_scale(db, "kid-07", scale="fes_i", value=value, on="2026-05-06")
    with pytest.raises(ClinicError, match="recorded in score"):
        add_scale(db, "kid-07", scale="fes_i", value=20, on="2026-05-06", unit="points")
    assert [(s["value"], s["unit"]) for s in scales(db, "kid-07", "fes_i")] == [(16.0, "score"), (64.0, "score")]


def test_safety_events_are_read_from_sessions_that_lost_the_device_or_ended_early(db):
    statuses = ["completed", "device_lost", "aborted", "interrupted", "completed_with_gaps"]
    ids = []
    for day, status in enumerate(statuses, start=4):
        session = create_session(db, {"player_id": "kid-07", "level": "garden-balance", "device": "sim",
                                      "started_at": f"2026-05-{day:02d}T15:00:00+00:00"})
        db["sessions"].update(session, {"status": status, "duration_s": 42.0,
                                        "ended_at": f"2026-05-{day:02d}T15:01:00+00:00"})
        ids.append(session)
    other = create_session(db, {"player_id": "kid-08", "level": "x", "device": "sim"})
    db["sessions"].update(other, {"status": "aborted"})
    found = safety_events(db, "kid-07")
    assert [(e["session_id"], e["kind"], e["status"]) for e in found] == [
        (ids[1], "device lost", "device_lost"), (ids[2], "ended early", "aborted")]
    assert found[0]["at"] == "2026-05-05T15:01:00+00:00" and found[0]["played_s"] == 42.0
    assert {e["recorded_by"] for e in found} == {"proprio"} and all(e["what"] for e in found)
    assert events(db, "kid-07") == []  # derived at read time: nothing is written to adverse_events
    assert [e["session_id"] for e in safety_events(db, "kid-08")] == [other]


def test_stepping_off_the_balance_board_during_play_is_a_safety_event(db):
    session = create_session(db, {"player_id": "kid-07", "level": "still-pond", "device": "balance-board",
                                  "started_at": "2026-05-04T15:00:00+00:00"})
    db["sessions"].update(session, {"status": "completed", "duration_s": 90.0,
                                    "ended_at": "2026-05-04T15:01:30+00:00"})
    db["events"].insert_all([
        {"session_id": session, "t_s": 12.25, "kind": "device_pause",
         "data": '{"reason": "empty", "notice": "Step on the board to play"}'},
        {"session_id": session, "t_s": 14.0, "kind": "device_resume", "data": "{}"},
        {"session_id": session, "t_s": 40.0, "kind": "device_pause", "data": '{"reason": "stale"}'},  # not a step
        {"session_id": session, "t_s": 41.0, "kind": "device_pause", "data": "not json"},  # a damaged row: skipped
    ])
    found = safety_events(db, "kid-07")
    assert [(e["kind"], e["at"], e["played_s"]) for e in found] == [
        ("stepped off", "2026-05-04T15:00:12.250+00:00", 12.25)]
    assert "12.2 s" in found[0]["what"] and found[0]["status"] == "completed"
    assert safety_events(db, "kid-08") == []
