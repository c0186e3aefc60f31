"""``proprio export`` options of issue 13: --clinic-system (FHIR), --shift-dates and --shift-key-file."""

from __future__ import annotations

import json

import pytest

from game.play import Game, PlayOptions
from telemetry.export.deid import DateShift
from telemetry.export.tables import read_export_table
from telemetry.store.database import open_db
from tests.cli import run_cli
from tests.played import private_home


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-deid") / "p.db"
    with private_home(tmp_path_factory):
        Game(PlayOptions(level="garden-balance", player="kid-07", input="sim", headless=True, fast=True,
                         duration_s=5, seed=2, db_path=path, sound=False)).run()
    return path


def test_fhir_with_the_clinics_system(db_path, tmp_path, capsys):
    code, out, err = run_cli(["export", "--all", "--format", "fhir", "--out", str(tmp_path / "f"), "--db",
                              str(db_path), "--clinic-system", "https://clinic.example/patients"], capsys)
    assert code == 0, err
    bundle = json.loads((tmp_path / "f" / "fhir_bundle.json").read_text())
    assert bundle["type"] == "transaction"
    assert bundle["entry"][0]["resource"]["identifier"][0]["system"] == "https://clinic.example/patients"
    code, _, err = run_cli(["export", "--all", "--format", "fhir", "--out", str(tmp_path / "g"), "--db",
                            str(db_path), "--clinic-system", "clinic a"], capsys)
    assert code == 1 and err.startswith("Error: --clinic-system 'clinic a' is not an absolute URI")
    assert not (tmp_path / "g").exists()


def test_shifted_dates_with_the_clinics_key(db_path, tmp_path, capsys):
    key = tmp_path / "clinic.key"
    key.write_text("4f1c0b9e7d2a48e1a3b5c6d7e8f90123\n")
    code, out, err = run_cli(["export", "--all", "--out", str(tmp_path / "s"), "--db", str(db_path),
                              "--shift-dates", "--shift-key-file", str(key)], capsys)
    assert code == 0, err
    assert "de-identified, dates shifted, csv" in out
    stored = open_db(db_path).execute("select started_at from sessions").fetchone()[0]
    (session,) = read_export_table(tmp_path / "s", "sessions")
    days = DateShift(b"4f1c0b9e7d2a48e1a3b5c6d7e8f90123").days("kid-07")
    from datetime import datetime, timedelta

    assert datetime.fromisoformat(session["started_at"]) == datetime.fromisoformat(stored) + timedelta(days=days)


@pytest.mark.parametrize("extra, message", [
    (["--format", "fhir", "--shift-dates"], "--shift-dates is for csv/ndjson"),
    (["--shift-key-file", "k.key"], "without --shift-dates"),
    (["--shift-dates", "--shift-key-file", "missing.key"], "cannot read the key file"),
    (["--shift-dates", "--shift-key-file", "short.key"], "a date-shift key needs at least 16"),
    (["--shift-dates", "--include-names"], "de-identified exports"),
    (["--clinic-system", "https://c.example/p"], "--clinic-system is for FHIR exports"),
])
def test_option_mistakes_are_one_error_line(db_path, tmp_path, capsys, monkeypatch, extra, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "short.key").write_text("abc\n")
    code, out, err = run_cli(["export", "--all", "--out", str(tmp_path / "x"), "--db", str(db_path), *extra],
                             capsys)
    assert code == 1 and message in err and "Traceback" not in err
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())
