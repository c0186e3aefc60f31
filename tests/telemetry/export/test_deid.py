"""Issue 13: de-identification that holds, on hostile values: no serial, host, address or port leaves in an
export without --include-names, and dates shift by a keyed per-player offset that keeps intervals."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.play import Game, PlayOptions
from telemetry.export.deid import (
    DateShift,
    DateShiftError,
    device_id,
    device_info,
    device_name,
    read_key_file,
    scrub,
)
from telemetry.export.tables import ExportError, export_tables, read_export_table
from telemetry.store.calibrations import record_device
from telemetry.store.clinic import add_checkin, add_event, add_scale, set_plan
from telemetry.store.database import open_db
from telemetry.store.queries import Selection
from tests.cli import run_cli
from tests.played import private_home

KEY = b"clinic-kept-key-0123456789abcdef"
# Strings, not bare numbers: a port or a serial's digits can occur inside any float of the samples.
LEAKS = ("192.168.1.20", "lab-pc-3", "clinic.local", "AMTI", "SN-004217", "A50285BI", "fe80", "pt.jones",
         "10.0.0.7", ":9000")


@pytest.mark.parametrize("name, kept", [
    ("imu-udp:192.168.1.20:9000", "imu-udp"),
    ("udp:0.0.0.0:9000", "udp"),
    ("lsl:ForcePlate:AMTI-SN-004217", "lsl:ForcePlate"),  # the source id is the plate's serial number
    ("lsl:ForcePlate:lab-pc-3.clinic.local", "lsl:ForcePlate"),  # no source id: the streaming computer's name
    ("lsl:IMU SN 12345", "lsl:IMU [removed]"),  # a serial in the stream's name itself
    ("imu-serial:/dev/serial/by-id/usb-FTDI_FT232R_A50285BI-if00@115200", "imu-serial"),
    ("balance-board:Nintendo RVL-WBC-01 0017AB1234CD", "balance-board"),
    ("replay:jane-doe-visit.jsonl", "replay"),
    ("sim:0.50", "sim:0.50"),
    ("keyboard", "keyboard"),
    ("gamepad:Xbox Wireless Controller", "gamepad:Xbox Wireless Controller"),
    ("Wobble board 10.0.0.7", "Wobble board [removed]"),
])
def test_a_device_name_keeps_what_it_is_and_drops_where_and_which_unit(name, kept):
    assert device_name(name) == kept


@pytest.mark.parametrize("text", [
    "streamed from 10.0.0.7:5005", "host lab-pc-3.clinic.local said hi", "mac 00:1A:2B:3C:4D:5E",
    "ipv6 fe80::1ff:fe23:4567:890a here", "[2001:db8::1]:9000", "S/N: AMTI-004217", "serial no. 77AB1290",
    "mail pt.jones@clinic.example", "localhost:8080",
])
def test_free_text_loses_addresses_hosts_and_serials(text):
    cleaned = scrub(text)
    assert "[removed]" in cleaned
    for leak in ("10.0.0.7", "5005", "lab-pc-3", "00:1A", "fe80", "2001", "9000", "004217", "77AB1290", "jones",
                 "localhost", "8080"):
        assert leak not in cleaned, (text, cleaned)


@pytest.mark.parametrize("text", ["45 % LOS at 10:00:00", "2026-05-09T10:00:00+00:00", "Garden Balance v1.2",
                                  "raw mm", "felt dizzy after level 2, rested 5 min"])
def test_ordinary_text_is_left_alone(text):
    assert scrub(text) == text


def test_device_info_and_ids_keep_no_location():
    info = json.loads(device_info(json.dumps({"name": "imu-udp:192.168.1.20:9000", "raw_unit": "deg",
                                              "host": "lab-pc-3", "port": 9000})))
    assert info == {"name": "imu-udp", "raw_unit": "deg"}
    first, again = device_id("udp:192.168.1.20:9000", KEY), device_id("udp:192.168.1.20:9000", KEY)
    assert first == again and first.startswith("udp~") and "192" not in first
    assert device_id("udp:192.168.1.21:9000", KEY) != first  # two devices stay two devices
    assert device_id("udp:192.168.1.20:9000", KEY[::-1]) != first  # and cannot be matched without the key


@given(st.text(min_size=1, max_size=12), st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)),
       st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)))
def test_a_date_shift_keeps_intervals_and_is_the_same_for_the_same_player(player, a, b):
    shift = DateShift(KEY)
    days = shift.days(player)
    assert days != 0 and -365 <= days <= 365
    moved_a = datetime.fromisoformat(shift.shift(player, a.isoformat()))
    moved_b = datetime.fromisoformat(shift.shift(player, b.isoformat()))
    assert moved_b - moved_a == b - a
    assert shift.shift(player, a.isoformat()) == DateShift(KEY).shift(player, a.isoformat())


def test_date_shift_keys_and_stamps_that_cannot_be_used():
    with pytest.raises(DateShiftError, match="at least 16"):
        DateShift(b"short")
    with pytest.raises(DateShiftError, match="at least 16") as info:
        read_key_file(b"  tiny \n")
    assert "secrets.token_hex" in info.value.remedy
    assert read_key_file(KEY + b"\n") == KEY
    shift = DateShift(KEY)
    assert shift.shift("kid-07", "not a date") is None  # never leaks the unshifted text
    assert shift.shift("kid-07", None) is None and shift.shift(None, "2026-05-04") is None
    assert DateShift(KEY).days("kid-07") != DateShift(KEY[::-1]).days("kid-07") or \
        DateShift(KEY).days("kid-08") != DateShift(KEY[::-1]).days("kid-08")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("deid") / "p.db"
    with private_home(tmp_path_factory):
        Game(PlayOptions(level="garden-balance", player="kid-07", input="sim:0.5", headless=True, fast=True,
                         duration_s=10, seed=2, db_path=path, sound=False)).run()
    db = open_db(path)
    db.execute("update sessions set device = 'lsl:ForcePlate:lab-pc-3.clinic.local'")
    db.conn.commit()
    record_device(db, "lsl:ForcePlate:AMTI-SN-004217", "lsl", {"name": "lsl:ForcePlate:lab-pc-3.clinic.local",
                                                                "raw_unit": "mm"})
    record_device(db, "serial:/dev/serial/by-id/usb-FTDI_FT232R_A50285BI-if00", "imu",
                  {"name": "imu-serial:/dev/serial/by-id/usb-FTDI_FT232R_A50285BI-if00@115200", "raw_unit": "deg"})
    db.execute("update devices set info = replace(info, '}', ', \"host\": \"lab-pc-3\"}')")
    db.conn.commit()
    set_plan(db, "kid-07", sessions_per_week=3, minutes_per_session=15, start_date="2026-05-04", weeks=6,
             set_by="pt.jones", notes="Seen at lab-pc-3.clinic.local")
    add_event(db, "kid-07", what="Board 10.0.0.7 disconnected, child stumbled", severity="mild",
              action="Replugged S/N AMTI-004217", recorded_by="pt.jones", at="2026-05-06T16:00")
    add_scale(db, "kid-07", scale="tug_s", value=9.4, on="2026-05-04", assessor="pt.jones", note="Used a cane")
    add_checkin(db, "kid-07", pain_before=2, note="Knee sore after school")
    db.close()
    return path


@pytest.mark.parametrize("free_text", [False, True])
@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_a_de_identified_export_of_hostile_values_leaks_nothing(hostile_db, tmp_path, fmt, free_text):
    out = tmp_path / fmt
    export_tables(open_db(hostile_db), Selection(everything=True), out, fmt=fmt, include_free_text=free_text)
    for path in out.iterdir():
        if path.name == "data_dictionary.md":
            continue
        text = path.read_text(encoding="utf-8-sig")
        for leak in LEAKS:
            assert leak not in text, (path.name, leak)
    devices = read_export_table(out, "devices")
    assert sorted(json.loads(d["info"])["name"] for d in devices) == ["imu-serial", "lsl:ForcePlate"]
    assert [s["device"] for s in read_export_table(out, "sessions")] == ["lsl:ForcePlate"]
    (event,) = read_export_table(out, "adverse_events")
    assert event["severity"] == "mild" and "recorded_by" not in event
    if free_text:  # asked for: scrubbed of addresses and serial numbers
        assert event["what"] == "Board [removed] disconnected, child stumbled"
        assert event["action"] == "Replugged [removed]"
    else:  # issue 13: the clinic's free text stays out by default
        assert "what" not in event and "action" not in event
    (checkin,) = read_export_table(out, "checkins")
    (scale,) = read_export_table(out, "clinical_scales")
    (plan,) = read_export_table(out, "prescriptions")
    assert checkin["pain_before"] == 2 and "note" not in checkin and "note" not in scale and "notes" not in plan
    for text in ("Knee sore", "Used a cane", "Seen at"):  # notes: nothing scrubs them, so never without names
        assert all(text not in path.read_text(encoding="utf-8-sig") for path in out.iterdir())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["deidentification"]["dates_shifted"] is False
    assert manifest["free_text_included"] is free_text
    assert ("scrubbed" in manifest["deidentification"]["free_text"]) is free_text


def test_free_text_with_names_needs_its_own_flag(hostile_db, tmp_path):
    db = open_db(hostile_db)
    export_tables(db, Selection(everything=True), tmp_path / "n", include_names=True)
    (event,) = read_export_table(tmp_path / "n", "adverse_events")
    assert event["recorded_by"] == "pt.jones" and "what" not in event and "action" not in event
    assert "note" not in read_export_table(tmp_path / "n", "checkins")[0]
    assert "notes" not in read_export_table(tmp_path / "n", "prescriptions")[0]
    export_tables(db, Selection(everything=True), tmp_path / "t", include_names=True, include_free_text=True)
    (event,) = read_export_table(tmp_path / "t", "adverse_events")
    assert event["what"] == "Board 10.0.0.7 disconnected, child stumbled"  # as typed: the clinic asked for it
    assert event["action"] == "Replugged S/N AMTI-004217"
    assert read_export_table(tmp_path / "t", "checkins")[0]["note"] == "Knee sore after school"
    assert read_export_table(tmp_path / "t", "prescriptions")[0]["notes"] == "Seen at lab-pc-3.clinic.local"
    assert read_export_table(tmp_path / "t", "clinical_scales")[0]["note"] == "Used a cane"
    assert json.loads((tmp_path / "t" / "manifest.json").read_text())["free_text_included"] is True


def test_the_command_leaves_free_text_out_unless_asked(hostile_db, tmp_path, capsys):
    code, out, _ = run_cli(["export", "--all", "--out", str(tmp_path / "a"), "--db", str(hostile_db)], capsys)
    assert code == 0 and "free text" not in out
    assert "what" not in read_export_table(tmp_path / "a", "adverse_events")[0]
    code, out, _ = run_cli(["export", "--all", "--format", "ndjson", "--out", str(tmp_path / "b"), "--db",
                            str(hostile_db), "--include-free-text"], capsys)
    assert code == 0 and "(de-identified, with free text, ndjson)" in out
    assert read_export_table(tmp_path / "b", "adverse_events")[0]["what"].startswith("Board [removed]")
    code, _, err = run_cli(["export", "--all", "--format", "fhir", "--out", str(tmp_path / "c"), "--db",
                            str(hostile_db), "--include-free-text"], capsys)
    assert code != 0 and "--include-free-text is for csv/ndjson" in err
    code, out, _ = run_cli(["export", "--help"], capsys)
    assert code == 0 and "--include-free-text" in out and "adverse-event" in out


def test_names_bring_back_the_clinic_record(hostile_db, tmp_path):
    export_tables(open_db(hostile_db), Selection(everything=True), tmp_path / "n", include_names=True)
    assert read_export_table(tmp_path / "n", "prescriptions")[0]["set_by"] == "pt.jones"
    assert "lab-pc-3" in (tmp_path / "n" / "sessions.csv").read_text(encoding="utf-8-sig")


def test_shifted_dates_keep_intervals_and_the_same_key_shifts_the_same_way(hostile_db, tmp_path):
    db = open_db(hostile_db)
    export_tables(db, Selection(everything=True), tmp_path / "a", shift_dates=True, shift_key=KEY)
    export_tables(db, Selection(everything=True), tmp_path / "b", shift_dates=True, shift_key=KEY)
    export_tables(db, Selection(everything=True), tmp_path / "c", shift_dates=True)  # the stored key
    days = DateShift(KEY).days("kid-07")
    (plan,) = read_export_table(tmp_path / "a", "prescriptions")
    assert plan["start_date"] == (datetime(2026, 5, 4) + __import__("datetime").timedelta(days=days)).date().isoformat()
    (event,) = read_export_table(tmp_path / "a", "adverse_events")
    (scale,) = read_export_table(tmp_path / "a", "clinical_scales")
    gap = datetime.fromisoformat(event["at"]).date() - datetime.fromisoformat(scale["date"]).date()
    assert gap.days == 2  # 2026-05-04 to 2026-05-06, kept
    assert read_export_table(tmp_path / "a", "sessions") == read_export_table(tmp_path / "b", "sessions")
    original = db.execute("select started_at from sessions").fetchone()[0]
    assert read_export_table(tmp_path / "a", "sessions")[0]["started_at"] != original
    assert all(d["first_seen_at"] is None for d in read_export_table(tmp_path / "a", "devices"))
    assert json.loads((tmp_path / "c" / "manifest.json").read_text())["deidentification"]["dates_shifted"]
    with pytest.raises(ExportError, match="de-identified exports"):
        export_tables(db, Selection(everything=True), tmp_path / "d", shift_dates=True, include_names=True)
