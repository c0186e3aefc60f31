"""The commands meet damaged, foreign, newer and read-only databases with one clear line, never a traceback."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.errors import TelemetryError
from telemetry.store.database import open_for_reading, schema_version
from telemetry.store.schema import data_dictionary
from tests.cli import run_cli
from tests.telemetry.store.test_database_checks import _damage, _quick_check, _real_db, _sha, _tables, _unprivileged

PLAY = ["play", "--headless", "--input", "sim", "--fast", "--duration", "1", "--player", "kid-07"]


def _error_lines(err: str) -> list[str]:
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("Error:")]


@pytest.fixture
def damaged(tmp_path) -> Path:
    path = _damage(_real_db(tmp_path / "damaged.db"))
    assert _quick_check(path) != ["ok"]
    return path


def test_play_refuses_a_damaged_database_before_the_game_starts(damaged, capsys):
    before = _sha(damaged)
    code, out, err = run_cli([*PLAY, "--db", str(damaged)], capsys)
    assert code == 1 and out == ""
    (line,) = _error_lines(err)
    assert "is damaged, so nothing is written" in line
    assert '".recover" | sqlite3 recovered.db' in err and "backup" in err
    assert _sha(damaged) == before


def test_sessions_lists_what_a_damaged_database_still_holds(damaged, capsys):
    code, out, err = run_cli(["sessions", "--db", str(damaged)], capsys)
    assert code == 0
    assert err.startswith("Warning:") and "is damaged" in err and ".recover" in err
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["1", "2", "3"]


@pytest.mark.parametrize("command", [
    ["export", "--all", "--format", "csv"],
    ["report", "--player", "kid-07"],
])
def test_export_and_report_stop_on_damage_with_one_error_line(damaged, tmp_path, capsys, command):
    out_path = tmp_path / ("out" if command[0] == "export" else "kid.html")
    before = _sha(damaged)
    code, _, err = run_cli([*command, "--out", str(out_path), "--db", str(damaged)], capsys)
    assert code == 1
    (line,) = _error_lines(err)
    assert "is damaged; reading stopped at: database disk image is malformed" in line
    assert _sha(damaged) == before


def test_play_refuses_another_programs_file_and_adds_no_table(tmp_path, capsys):
    path = tmp_path / "invoices.db"
    conn = sqlite3.connect(path)
    conn.execute("create table invoices (id integer primary key, total real)")
    conn.commit()
    conn.close()
    for command in (PLAY, ["sessions"]):
        code, _, err = run_cli([*command, "--db", str(path)], capsys)
        assert code == 1
        (line,) = _error_lines(err)
        assert "SQLite database of another program" in line
    assert _tables(path) == ["invoices"]


def test_play_refuses_a_newer_schema(tmp_path, capsys):
    path = _real_db(tmp_path / "p.db", sessions=1, samples=10)
    conn = sqlite3.connect(path)
    conn.execute(f"pragma user_version = {schema_version() + 5}")
    conn.close()
    before = _sha(path)
    code, _, err = run_cli([*PLAY, "--db", str(path)], capsys)
    assert code == 1
    (line,) = _error_lines(err)
    assert "written by a newer Proprio" in line and "Upgrade Proprio" in err
    assert _sha(path) == before


@pytest.fixture
def read_only_db() -> Iterator[tuple[Path, Path]]:
    """A 0444 database in a 0555 folder, and a folder anyone may write the outputs into."""
    folder = Path(tempfile.mkdtemp(prefix="proprio-ro-"))
    outputs = Path(tempfile.mkdtemp(prefix="proprio-ro-out-"))
    os.chmod(outputs, 0o777)
    path = _real_db(folder / "ro.db", sessions=2, samples=240)
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    yield path, outputs
    os.chmod(folder, 0o755)
    shutil.rmtree(folder)
    shutil.rmtree(outputs)


def _cli(args: list[str]) -> tuple[int, str, str]:
    """``proprio ARGS`` in this process, output captured (run through ``_unprivileged``)."""
    from game.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_sessions_and_export_read_a_read_only_database(read_only_db):
    path, outputs = read_only_db
    before = _sha(path)
    # As root the child (uid 65534) cannot import from the root-only stdlib: load the lazy imports here.
    data_dictionary()
    "".encode("utf-8-sig")
    code, out, err = _unprivileged(lambda: _cli(["sessions", "--db", str(path)]))
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["1", "2"]
    export_dir = outputs / "export"
    code, out, err = _unprivileged(lambda: _cli(["export", "--all", "--out", str(export_dir), "--db", str(path)]))
    assert code == 0, err
    assert "Exported 2 sessions of 1 player" in out
    assert len((export_dir / "samples.csv").read_text().splitlines()) == 1 + 2 * 240
    assert _sha(path) == before


def test_play_refuses_a_schema_it_cannot_write_into_before_the_game_starts(tmp_path, capsys):
    path = _real_db(tmp_path / "p.db", sessions=1, samples=10)
    conn = sqlite3.connect(path)
    conn.execute("alter table trials drop column points")
    conn.close()
    code, out, err = run_cli([*PLAY, "--db", str(path)], capsys)
    assert code == 1 and out == ""
    (line,) = _error_lines(err)
    assert "trials.points" in line
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*) from sessions").fetchone()[0] == 1  # no session was started
    conn.close()
    code, out, err = run_cli(["sessions", "--db", str(path)], capsys)  # still readable
    assert code == 0 and out.splitlines()[1].split()[:2] == ["1", "kid-07"]
    assert err.startswith("Warning:") and "trials.points" in err


def test_players_list_reads_a_damaged_database_with_a_warning(damaged, capsys):
    code, out, err = run_cli(["players", "list", "--db", str(damaged)], capsys)
    assert code == 0 and out.startswith("kid-07") and "3 sessions" in out
    assert err.startswith("Warning:") and "is damaged" in err


def test_a_database_this_user_may_not_read_is_one_error_line(read_only_db):
    path, _ = read_only_db
    os.chmod(path, 0o400)  # the owner (root) only
    code, _, err = _unprivileged(lambda: _cli(["sessions", "--db", str(path)]))
    assert code == 2  # click's own check of --db
    (line,) = _error_lines(err)
    assert "is not readable" in line

    def library() -> str:
        try:
            open_for_reading(path)
        except TelemetryError as exc:
            return str(exc)
        return "opened"

    assert "is not readable by this user" in _unprivileged(library)
