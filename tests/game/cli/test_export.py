"""``proprio export`` from the command line: formats, selections, privacy flags and error lines."""

from __future__ import annotations

import json

import pytest

from game.play import Game, PlayOptions
from telemetry.export.tables import read_export_table
from telemetry.store.database import open_db
from telemetry.store.players import set_identity
from tests.cli import run_cli
from tests.played import private_home


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-export") / "p.db"
    with private_home(tmp_path_factory):
        for player, level in (("kid-07", "garden-balance"), ("adult-1", "space-reach")):
            Game(PlayOptions(level=level, player=player, input="sim", headless=True, fast=True, duration_s=5,
                               seed=2, db_path=path, sound=False)).run()
    db = open_db(path)
    set_identity(db, "kid-07", display_name="Sam Smith")
    db.close()
    return path


def test_csv_export_of_one_player(db_path, tmp_path, capsys):
    out_dir = tmp_path / "out"
    code, out, err = run_cli(["export", "--player", "kid-07", "--out", str(out_dir), "--db", str(db_path)], capsys)
    assert code == 0, err
    assert out.startswith("Exported 1 session of 1 player (de-identified, csv) to")
    assert "samples.csv" in out and "600 rows" in out
    assert err == ""  # no progress bar when stderr is not a terminal
    assert {r["player_id"] for r in read_export_table(out_dir, "sessions")} == {"kid-07"}
    assert (out_dir / "data_dictionary.md").read_text(encoding="utf-8").startswith("# Telemetry: the data dictionary")
    assert "Sam Smith" not in "".join(p.read_text(encoding="utf-8-sig") for p in out_dir.glob("*.csv"))


def test_ndjson_with_names_and_a_progress_bar(db_path, tmp_path, capsys):
    code, out, err = run_cli(["export", "--all", "--format", "ndjson", "--include-names", "--progress",
                              "--out", str(tmp_path / "o"), "--db", str(db_path)], capsys)
    assert code == 0
    assert "(with names, ndjson)" in out and "rows" in err
    players = {p["id"]: p for p in read_export_table(tmp_path / "o", "players")}
    assert players["kid-07"]["display_name"] == "Sam Smith"


def test_fhir_export(db_path, tmp_path, capsys):
    code, out, err = run_cli(["export", "--session", "2", "--format", "fhir", "--out", str(tmp_path / "f"),
                              "--db", str(db_path)], capsys)
    assert code == 0, err
    bundle = json.loads((tmp_path / "f" / "fhir_bundle.json").read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle" and "fhir_bundle.json" in out


@pytest.mark.parametrize("args, code, message", [
    (["--out", "X"], 1, "exactly one of them"),
    (["--all", "--player", "kid-07", "--out", "X"], 1, "exactly one of them"),
    (["--player", "nobody", "--out", "X"], 1, "no player 'nobody'"),
    (["--session", "77", "--out", "X"], 1, "no session 77"),
    (["--session", "two", "--out", "X"], 2, "'two' is not a valid integer"),
    (["--all", "--format", "xlsx", "--out", "X"], 2, "Invalid value for '--format'"),
    (["--all"], 2, "Missing option '--out'"),
])
def test_bad_requests_are_one_clear_message(db_path, tmp_path, capsys, args, code, message):
    args = [str(tmp_path / "x") if a == "X" else a for a in args]
    got, out, err = run_cli(["export", *args, "--db", str(db_path)], capsys)
    assert got == code and message in err and "Traceback" not in out + err
    if code == 1:
        assert err.startswith("Error: ")
    assert not (tmp_path / "x").exists()


def test_a_second_export_into_the_same_folder_needs_overwrite(db_path, tmp_path, capsys):
    args = ["export", "--all", "--out", str(tmp_path / "o"), "--db", str(db_path)]
    assert run_cli(args, capsys)[0] == 0
    code, _, err = run_cli(args, capsys)
    assert code == 1 and "already holds an export" in err and "--overwrite" in err
    assert run_cli(args + ["--overwrite"], capsys)[0] == 0
