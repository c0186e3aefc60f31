"""Exports: round trips, spreadsheet safety, de-identification, selections, snapshots while a game writes."""

from __future__ import annotations

import csv
import json
import socket
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from game.play import Game, PlayOptions
from telemetry.export.tables import TABLES, ExportError, export_tables, read_export_table
from telemetry.store.database import open_db
from telemetry.store.players import PlayerNotFoundError, set_identity
from telemetry.store.queries import Selection, SelectionError
from telemetry.store.schema import DICTIONARY_FILE, data_dictionary
from telemetry.store.sessions import create_session
from telemetry.store.writer import Batch, TelemetryWriter
from tests.played import private_home

HOSTILE_ID = "=HYPERLINK(\"http://evil.example\",\"x\")"
HOSTILE_TITLE = "+cmd|' /C calc'!A0"
HOSTILE_DATA = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE_NOTES = "-2+3 and\t=1+1"


def play(db_path: Path, level: str, player: str, seed: int, duration_s: float = 20.0) -> None:
    """Play one level headless and fast with the simulated player (the real game writes the rows)."""
    summary = Game(PlayOptions(level=level, player=player, input="sim:0.5", headless=True, fast=True,
                                 duration_s=duration_s, seed=seed, db_path=db_path, sound=False)).run()
    assert summary.status == "completed"


@pytest.fixture(scope="module")
def game_db(tmp_path_factory) -> Path:
    """Two players' real sessions, plus rows holding formula injections and a display name."""
    path = tmp_path_factory.mktemp("export") / "p.db"
    with private_home(tmp_path_factory):
        play(path, "garden-balance", "kid-07", 1)
        play(path, "space-reach", "kid-07", 2)
        play(path, "garden-balance", "adult-3", 3, duration_s=8.0)
    db = open_db(path)
    session_id = create_session(db, {"player_id": HOSTILE_ID, "level": "evil", "level_title": HOSTILE_TITLE,
                                     "level_path": "/home/jane.doe/levels/evil.toml", "device": "keyboard"})
    db["samples"].insert_all([{"session_id": session_id, "step": i, "t_s": i / 120, "x": -0.25, "y": -1e-7,
                               "raw_x": -3.0, "raw_y": 2.5, "raw_unit": "-deg", "device_t_s": i / 120}
                              for i in range(30)])
    db["events"].insert({"session_id": session_id, "t_s": 0.1, "kind": "trial_start", "challenge": 0, "trial": 1,
                         "data": HOSTILE_DATA})
    db["sessions"].update(session_id, {"status": "aborted", "duration_s": 0.25})
    set_identity(db, "kid-07", display_name="Jane Doe", notes=HOSTILE_NOTES)
    db["player_identities"].insert({"player_id": HOSTILE_ID, "display_name": "@Robert'); DROP TABLE players;--",
                                    "notes": "=1+1", "updated_at": "x"})  # a row another tool wrote
    db["devices"].insert({"id": "keyboard", "kind": "keyboard", "first_seen_at": "x", "last_seen_at": "x",
                          "info": "{}"})
    db["calibrations"].insert({"player_id": "kid-07", "device_kind": "imu", "device": "imu:board-1",
                               "created_at": "2026-01-01T00:00:00+00:00", "raw_unit": "deg", "zero_x": 0.0,
                               "zero_y": 0.0, "centre_x": 0.5, "centre_y": -0.5, "los": "{}",
                               "notes": "Calibrated at Jane Doe's home"})
    db.close()
    return path


def _expected(db, table: str, include_names: bool) -> list[dict]:
    rows = [dict(r) for r in db[table].rows]
    if table == "sessions" and not include_names:
        for row in rows:
            for column in ("hostname", "pid", "process_token"):
                row.pop(column)
            row["level_path"] = row["level_path"].replace("\\", "/").rsplit("/", 1)[-1] if row["level_path"] else None
    if table == "calibrations" and not include_names:
        for row in rows:
            row.pop("notes")
    if table == "players" and include_names:
        names = {r["player_id"]: r for r in db["player_identities"].rows}
        for row in rows:
            row["display_name"] = names.get(row["id"], {}).get("display_name")
            row["notes"] = names.get(row["id"], {}).get("notes")
            row["age_band"] = names.get(row["id"], {}).get("age_band")
    return rows


def _canonical(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
@pytest.mark.parametrize("include_names", [False, True])
def test_every_table_reads_back_exactly(game_db, tmp_path, fmt, include_names):
    db = open_db(game_db)
    result = export_tables(db, Selection(everything=True), tmp_path / "out", fmt=fmt, include_names=include_names)
    assert [p.name for p in result.files] == [f"{t}.{fmt}" for t in TABLES] + ["manifest.json", DICTIONARY_FILE]
    assert (tmp_path / "out" / DICTIONARY_FILE).read_text(encoding="utf-8") == data_dictionary()
    assert result.rows["samples"] == db["samples"].count > 1000
    for table in TABLES:
        back = read_export_table(tmp_path / "out", table)
        expected = _expected(db, table, include_names)
        if fmt == "csv":  # CSV cannot tell an empty text from a null
            expected = [{k: (None if v == "" else v) for k, v in row.items()} for row in expected]
        assert _canonical(back) == _canonical(expected), table


def test_samples_carry_time_position_and_raw_readings_in_order(game_db, tmp_path):
    db = open_db(game_db)
    export_tables(db, Selection(players=("kid-07",)), tmp_path, fmt="csv")
    with open(tmp_path / "samples.csv", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader)[:8] == ["session_id", "step", "t_s", "x", "y", "raw_x", "raw_y", "raw_unit"]
        steps = [(int(r[0]), int(r[1])) for r in reader]
    assert steps == sorted(steps)


def test_csv_cells_cannot_run_as_formulas_but_numbers_stay_numbers(game_db, tmp_path):
    db = open_db(game_db)
    export_tables(db, Selection(everything=True), tmp_path, fmt="csv", include_names=True)
    cells = {}
    for table in TABLES:
        with open(tmp_path / f"{table}.csv", encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            cells[table] = [dict(zip(header, row, strict=True)) for row in reader]
    for table, rows in cells.items():
        for row in rows:
            for column, cell in row.items():
                if cell[:1] in ("=", "+", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠"):
                    pytest.fail(f"{table}.{column} starts with a formula character: {cell!r}")
                if cell.startswith("-"):
                    float(cell)  # only numbers may start with a minus
    evil = [s for s in cells["sessions"] if s["level"] == "evil"][0]
    assert evil["player_id"] == "'" + HOSTILE_ID and evil["level_title"] == "'" + HOSTILE_TITLE
    assert [e["data"] for e in cells["events"] if e["data"].startswith("'")] == ["'" + HOSTILE_DATA]
    named = {p["id"]: p for p in cells["players"]}
    assert named["'" + HOSTILE_ID]["display_name"].startswith("'@") and named["kid-07"]["notes"] == "'" + HOSTILE_NOTES
    evil_samples = [s for s in cells["samples"] if s["session_id"] == evil["id"]]
    assert evil_samples[0]["x"] == "-0.25" and evil_samples[0]["y"] == "-1e-7"  # numbers, untouched (shortest exact)
    assert evil_samples[0]["raw_unit"] == "'-deg"  # text that starts with '-' is neutralized


def test_an_export_is_de_identified_unless_names_are_asked_for(game_db, tmp_path):
    db = open_db(game_db)
    export_tables(db, Selection(everything=True), tmp_path / "plain", fmt="ndjson")
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "plain").glob("*.ndjson"))
    for secret in ("Jane Doe", "Robert", "-2+3 and", "jane.doe", socket.gethostname(), "Calibrated at"):
        assert secret not in text
    assert "kid-07" in text and "evil.toml" in text
    manifest = json.loads((tmp_path / "plain" / "manifest.json").read_text())
    assert manifest["identifying_fields_included"] is False
    export_tables(db, Selection(everything=True), tmp_path / "named", fmt="ndjson", include_names=True)
    players = (tmp_path / "named" / "players.ndjson").read_text(encoding="utf-8")
    assert "Jane Doe" in players
    assert socket.gethostname() in (tmp_path / "named" / "sessions.ndjson").read_text(encoding="utf-8")


def test_a_player_export_holds_only_that_players_rows(game_db, tmp_path):
    db = open_db(game_db)
    result = export_tables(db, Selection(players=("adult-3",)), tmp_path, fmt="ndjson")
    sessions = read_export_table(tmp_path, "sessions")
    assert {s["player_id"] for s in sessions} == {"adult-3"} and len(sessions) == 1
    assert {s["session_id"] for s in read_export_table(tmp_path, "samples")} == {sessions[0]["id"]}
    assert result.rows["samples"] == db["samples"].count_where("session_id = ?", [sessions[0]["id"]])
    assert [p["id"] for p in read_export_table(tmp_path, "players")] == ["adult-3"]
    assert read_export_table(tmp_path, "calibrations") == []  # kid-07's calibration stays behind


def test_a_session_export_brings_its_player_and_device(game_db, tmp_path):
    db = open_db(game_db)
    evil = db.execute("select id from sessions where level = 'evil'").fetchone()[0]
    export_tables(db, Selection(sessions=(evil,)), tmp_path, fmt="ndjson")
    assert [p["id"] for p in read_export_table(tmp_path, "players")] == [HOSTILE_ID]
    assert [d["id"] for d in read_export_table(tmp_path, "devices")] == ["keyboard"]
    assert len(read_export_table(tmp_path, "samples")) == 30


def test_bad_selections_are_named(game_db, tmp_path):
    db = open_db(game_db)
    with pytest.raises(PlayerNotFoundError, match="no player 'nobody'") as info:
        export_tables(db, Selection(players=("nobody",)), tmp_path / "a")
    assert "kid-07" in info.value.remedy
    with pytest.raises(SelectionError, match="no session 999"):
        export_tables(db, Selection(sessions=(999,)), tmp_path / "b")
    for selection in (Selection(), Selection(players=("kid-07",), everything=True)):
        with pytest.raises(SelectionError, match="exactly one"):
            export_tables(db, selection, tmp_path / "c")
    with pytest.raises(ExportError, match="unknown export format"):
        export_tables(db, Selection(everything=True), tmp_path / "d", fmt="xlsx")
    assert not any((tmp_path / name).exists() for name in "abcd")  # nothing written for a bad request


def test_an_earlier_export_is_never_overwritten_by_accident(game_db, tmp_path):
    db = open_db(game_db)
    export_tables(db, Selection(players=("adult-3",)), tmp_path, fmt="csv")
    before = (tmp_path / "samples.csv").read_bytes()
    with pytest.raises(ExportError, match="already holds an export"):
        export_tables(db, Selection(players=("kid-07",)), tmp_path, fmt="csv")
    assert (tmp_path / "samples.csv").read_bytes() == before
    export_tables(db, Selection(players=("kid-07",)), tmp_path, fmt="csv", overwrite=True)
    assert (tmp_path / "samples.csv").read_bytes() != before
    assert not list(tmp_path.glob("*.part"))
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    a_file = tmp_path / "samples.csv"
    with pytest.raises(ExportError, match="is a file, not a folder"):
        export_tables(db, Selection(players=("kid-07",)), a_file, fmt="csv")


def test_the_progress_bar_goes_to_stderr_only_when_asked(game_db, tmp_path, capsys):
    db = open_db(game_db)
    export_tables(db, Selection(everything=True), tmp_path / "quiet", fmt="csv")
    assert capsys.readouterr().err == ""
    export_tables(db, Selection(everything=True), tmp_path / "bar", fmt="csv", progress=True)
    captured = capsys.readouterr()
    assert "export" in captured.err and "rows" in captured.err and captured.out == ""


def test_export_while_a_writer_is_writing_gives_a_consistent_snapshot(tmp_path):
    path = tmp_path / "live.db"
    db = open_db(path)
    session_id = create_session(db, {"player_id": "live-1", "level": "test", "device": "sim", "seed": 1})
    writer = TelemetryWriter(path).start()
    batch_rows, stop = 120, threading.Event()

    def produce():
        step = 0
        while not stop.is_set():
            writer.submit(Batch(samples=[
                {"session_id": session_id, "step": step + i, "t_s": (step + i) / 120, "x": 0.1, "y": -0.1,
                 "raw_x": 1.2, "raw_y": -1.2, "raw_unit": "deg", "device_t_s": 0.0} for i in range(batch_rows)]))
            step += batch_rows
            stop.wait(0.002)

    producer = threading.Thread(target=produce)
    producer.start()
    try:
        counts = []
        for attempt in range(4):
            while db["samples"].count <= (attempt + 1) * 2000:
                stop.wait(0.01)
            out = tmp_path / f"out{attempt}"
            result = export_tables(open_db(path), Selection(players=("live-1",)), out, fmt="csv")
            steps = [row["step"] for row in read_export_table(out, "samples")]
            assert steps == list(range(len(steps)))  # no gap: whole transactions only
            assert len(steps) % batch_rows == 0 and len(steps) == result.rows["samples"]
            assert read_export_table(out, "sessions")[0]["status"] == "running"
            counts.append(len(steps))
        assert counts == sorted(counts) and counts[-1] > counts[0]
    finally:
        stop.set()
        producer.join()
        writer.finish(session_id, {"status": "completed"})
    assert writer.error is None
    assert sqlite3.connect(path).execute("pragma integrity_check").fetchone()[0] == "ok"


def test_a_sessions_device_is_found_by_its_id_or_by_the_name_it_was_opened_under(tmp_path):
    db = open_db(tmp_path / "d.db")
    session_id = create_session(db, {"player_id": "kid-1", "level": "x", "device": "imu-udp:127.0.0.1:9"})
    db["devices"].insert_all([
        {"id": "udp:127.0.0.1:9", "kind": "imu", "info": json.dumps({"name": "imu-udp:127.0.0.1:9"})},
        {"id": "udp:127.0.0.1:10", "kind": "imu", "info": "not json"},
        {"id": "pad-2", "kind": "gamepad", "info": None},
    ], pk="id")
    export_tables(db, Selection(sessions=(session_id,)), tmp_path / "out", fmt="ndjson")
    # only the session's device, its id a keyed pseudonym in a de-identified export (issue 13)
    assert [d["id"].partition("~")[0] for d in read_export_table(tmp_path / "out", "devices")] == ["udp"]


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_every_float_and_hostile_text_reads_back_exactly_from_a_large_export(tmp_path, fmt):
    """Random doubles of every magnitude (and the awkward ones) come back bit for bit; text comes back as stored."""
    import random
    import struct

    rng = random.Random(15)
    awkward = [0.1, 1 / 3, -0.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e16, 123456789.0, 1e-7]
    floats = awkward + [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(12_000)]
    floats = [f for f in floats if f == f and abs(f) != float("inf")] + [float("inf"), float("-inf")]
    units = ["deg", "=cmd|' /C calc'!A0", "-1", "a,b", 'say "hi"', "two\r\nlines", "", None, "\x00=x", "＝1+1"]
    path = tmp_path / "f.db"
    db = open_db(path)
    session_id = create_session(db, {"player_id": "p1", "level": "test", "device": "sim"})
    rows = [(session_id, i, f, f, -f, f, f, units[i % len(units)], f) for i, f in enumerate(floats)]
    writer = TelemetryWriter(path).start()
    for start in range(0, len(rows), 5000):
        writer.submit(Batch(samples=rows[start:start + 5000]))
    writer.finish(session_id, {"status": "completed"})
    assert writer.error is None
    export_tables(db, Selection(sessions=(session_id,)), tmp_path / "out", fmt=fmt)
    back = read_export_table(tmp_path / "out", "samples")
    # What SQLite holds (it stores -0.0 as 0, so the database, not the list above, is the reference).
    stored = db.execute("select t_s, y, device_t_s, raw_unit from samples order by step").fetchall()
    assert len(back) == len(stored) == len(rows)
    for values, read in zip(stored, back, strict=True):
        for value, column in zip(values[:3], ("t_s", "y", "device_t_s"), strict=True):
            if abs(value) == float("inf") and fmt == "ndjson":
                assert read[column] is None  # JSON has no infinity
            else:
                assert struct.pack("<d", read[column]) == struct.pack("<d", value)  # bit for bit
        unit = values[3]
        assert read["raw_unit"] == (unit if unit != "" or fmt == "ndjson" else None)  # CSV: empty text reads as null
