"""Replay: same seed + same recording => the same events, through the real game and database."""

from __future__ import annotations

import csv
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from game.errors import DeviceError
from game.input.replay import ReplaySource, read_csv
from game.play import Game, PlayOptions

LEVEL = "space-reach"


def play(db_path, input_spec, seed=5, duration_s=20.0):
    options = PlayOptions(level=LEVEL, player="kid-07", input=input_spec, seed=seed, headless=True, fast=True,
                          duration_s=duration_s, db_path=db_path, sound=False)
    return Game(options).run()


def game_record(db_path, session_id=1):
    """What the game did: events (without the UI's) and trials, exactly as stored."""
    db = Database(db_path)
    events = [tuple(r.values()) for r in db.query(
        "select t_s, kind, challenge, trial, data from events where session_id = ? "
        "and kind not in ('device_pause', 'device_resume', 'difficulty_start') order by id", [session_id])]
    trials = [tuple(r.values()) for r in db.query(
        "select challenge, trial, outcome, started_t_s, duration_s, difficulty, params from trials "
        "where session_id = ? order by challenge, trial", [session_id])]
    return events, trials


def export_csv(db_path, path, session_id=1):
    db = Database(db_path)
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["session_id", "step", "t_s", "x", "y", "raw_x", "raw_y", "raw_unit"])
        for r in db.query("select * from samples where session_id = ? order by step", [session_id]):
            out.writerow([r["session_id"], r["step"], repr(r["t_s"]), repr(r["x"]), repr(r["y"]),
                          repr(r["raw_x"]), repr(r["raw_y"]), r["raw_unit"]])


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recorded")
    summary = play(folder / "original.db", "sim:0.7")
    assert summary.outcomes[0].trials >= 3  # something happened worth replaying
    export_csv(folder / "original.db", folder / "session.csv")
    return folder


def test_replaying_a_database_session_repeats_every_event(recorded, tmp_path):
    original = game_record(recorded / "original.db")
    summary = play(tmp_path / "replayed.db", f"replay:{recorded / 'original.db'}#1")
    assert summary.device == "replay:original.db#1"
    assert game_record(tmp_path / "replayed.db") == original
    row = Database(tmp_path / "replayed.db")["sessions"].get(1)
    assert row["dropped_samples"] == 0 and row["input_rate_hz"] == pytest.approx(120.0, rel=0.01)


def test_replaying_without_a_seed_uses_the_recorded_one(recorded, tmp_path):
    summary = play(tmp_path / "replayed.db", f"replay:{recorded / 'original.db'}#1", seed=None)
    assert summary.seed == 5
    assert game_record(tmp_path / "replayed.db") == game_record(recorded / "original.db")


def test_replaying_a_csv_export_repeats_every_event_and_another_seed_does_not(recorded, tmp_path):
    original = game_record(recorded / "original.db")
    play(tmp_path / "csv.db", f"replay:{recorded / 'session.csv'}")
    assert game_record(tmp_path / "csv.db") == original
    play(tmp_path / "other.db", f"replay:{recorded / 'session.csv'}", seed=6)
    assert game_record(tmp_path / "other.db") != original


def test_bad_rows_are_counted_and_skipped(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("t_s;x;y\n0.0;0.1;0.2\nnot;a;row\n0.5;nan;0\n0.25;0.3;0.3\n0.2;9;9\n\n0.3;1;1\n0.4\n")
    recording = read_csv(path)
    assert [p.t_s for p in recording.poses] == [0.0, 0.25, 0.3]
    assert recording.dropped == 4  # text, NaN, back in time, a truncated row
    source = ReplaySource(recording)
    assert source.poll(0.0).x == 0.1 and source.poll(0.26).x == 0.3 and source.poll(9.0).x == 1.0
    assert source.stats().dropped == 4
    assert source.status().ready and source.status().notice == "Replay finished"


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("time,a,b\n1,2,3\n", "no column t_s"),
    ("t_s,x,y\nx,y,z\n", "no usable samples"),
])
def test_unusable_recordings_say_why(tmp_path, text, message):
    path = tmp_path / "r.csv"
    path.write_text(text)
    with pytest.raises(DeviceError, match=message):
        read_csv(path)


def test_a_binary_file_or_a_missing_session_is_a_device_error(tmp_path, recorded):
    path = tmp_path / "r.csv"
    path.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(DeviceError, match="not a text recording"):
        read_csv(path)
    from telemetry.store.recordings import read_recording

    with pytest.raises(DeviceError, match="has no session 99"):
        read_recording(recorded / "original.db", 99)
    with pytest.raises(DeviceError, match="Proprio database"):
        read_recording(path, 1)


def test_a_proprio_export_replays_with_its_seed(recorded, tmp_path):
    from game.cli import main

    out = tmp_path / "export"
    main(["export", "--all", "--format", "csv", "--out", str(out), "--db", str(recorded / "original.db")])
    summary = play(tmp_path / "exported.db", f"replay:{out / 'samples.csv'}#1", seed=None)
    assert summary.seed == 5  # read from the export's sessions.csv
    assert game_record(tmp_path / "exported.db") == game_record(recorded / "original.db")


def test_a_table_of_several_sessions_needs_one_picked(tmp_path):
    path = tmp_path / "samples.csv"
    path.write_text("session_id,step,t_s,x,y\n1,0,0.0,0.1,0.1\n1,1,0.01,0.2,0.2\n2,0,0.0,0.5,0.5\n")
    with pytest.raises(DeviceError, match="holds 2 sessions") as info:
        read_csv(path)
    assert "#1" in str(info.value)
    assert [p.x for p in read_csv(path, 2).poses] == [0.5]
    with pytest.raises(DeviceError, match="no session 3"):
        read_csv(path, 3)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("t_sxy,;\t\n0123456789.-enaif ")), max_size=300))
def test_fuzz_any_text_is_a_recording_of_finite_increasing_samples_or_a_device_error(tmp_path, text):
    path = tmp_path / "fuzz.csv"
    path.write_text("t_s,x,y\n" + text)
    try:
        recording = read_csv(path)
    except DeviceError:
        return
    times = [p.t_s for p in recording.poses]
    assert times == sorted(set(times))
    assert all(math.isfinite(v) and -1.0 <= p.x <= 1.0 for p in recording.poses for v in (p.t_s, p.x, p.y))


def test_an_unclosed_quote_in_a_recording_is_named_with_its_line_not_a_traceback(tmp_path, capsys):
    from game.errors import DeviceError
    from game.input.replay import read_csv

    path = tmp_path / "quoted.csv"
    rows = "".join(f"{i / 100:.2f},0.1,0.0\n" for i in range(2, 20000))  # enough to pass csv's field limit
    path.write_text('t_s,x,y\n0.00,0.1,0.0\n0.01,"0.2,0.0\n' + rows)
    with pytest.raises(DeviceError) as info:
        read_csv(path)
    assert "from line 3" in info.value.message and "unclosed double quote" in (info.value.remedy or "")
