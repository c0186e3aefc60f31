"""Stored text reaches the terminal without control characters; an interrupted export is re-run as is.

Issue 16, defect 7: escape codes in a level file name went through ``proprio sessions`` to the
terminal (a window title set, the screen cleared, a row overwritten by a carriage return).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.cli.terminal import printable
from telemetry.export import tables
from telemetry.store.database import open_db
from telemetry.store.sessions import create_session
from tests.cli import run_cli

#: Every character a terminal may act on (C0 but the line feed, DEL, C1, bidi overrides and isolates).
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EVIL_LEVEL = "evil\x1b]0;PWNED\x07\x1b[2J\rlevel"
EVIL_DEVICE = "pad\x1b[5m\x9b2J\u202egnp.exe"


def test_printable_shows_each_control_character_as_a_visible_escape():
    assert printable("kid-07") == "kid-07" and printable("Zoë 🦶 $5") == "Zoë 🦶 $5"
    assert printable(EVIL_LEVEL) == "evil\\x1b]0;PWNED\\x07\\x1b[2J\\rlevel"
    assert printable("a\tb\nc\x00d\x7fe\x9bf") == "a\\tb\\nc\\x00d\\x7fe\\x9bf"
    assert printable("right\u202eleft\u2066") == "right\\u202eleft\\u2066"
    assert printable("kid-07\n") != printable("kid-07")  # two names never print alike
    assert printable(None) == "None" and not CONTROL.search(printable("".join(map(chr, range(0x250)))))


def test_sessions_prints_no_control_character_from_the_database(tmp_path, capsys):
    path = tmp_path / "p.db"
    db = open_db(path)
    create_session(db, {"player_id": "kid-07", "level": EVIL_LEVEL, "level_title": "T\x1b[31mred",
                        "device": EVIL_DEVICE})
    db.close()
    code, out, err = run_cli(["sessions", "--db", str(path)], capsys)
    assert code == 0, err
    assert not CONTROL.search(out), repr(out)
    header, row = out.splitlines()
    assert "evil\\x1b]0;PWNED\\x07\\x1b[2J\\rlevel" in row and "pad\\x1b[5m\\x9b2J\\u202egnp.exe" in row
    assert row.index("kid-07") < row.index("evil") < row.index("pad")  # one line, columns in place
    code, out, _ = run_cli(["sessions", "--db", str(path), "--format", "json"], capsys)
    assert code == 0 and not CONTROL.search(out) and "\\u001b]0;PWNED" in out  # JSON escapes them itself


def test_an_interrupted_export_is_finished_by_running_the_same_command(tmp_path, capsys, monkeypatch):
    path = tmp_path / "p.db"
    db = open_db(path)
    session_id = create_session(db, {"player_id": "kid-07", "level": "garden-balance", "device": "sim"})
    db["sessions"].update(session_id, {"status": "completed"})
    db.close()
    real_write = tables._write_table
    calls = itertools.count()

    def interrupted(*args: Any, **kwargs: Any) -> int:
        if next(calls) == 1:
            raise KeyboardInterrupt
        return real_write(*args, **kwargs)

    monkeypatch.setattr(tables, "_write_table", interrupted)
    command = ["export", "--all", "--out", str(tmp_path / "out"), "--db", str(path), "--no-progress"]
    code, _, err = run_cli(command, capsys)
    assert code == 130 and "Aborted." in err
    monkeypatch.setattr(tables, "_write_table", real_write)
    code, out, err = run_cli(command, capsys)
    assert code == 0, err
    assert "it replaced an export that had stopped midway" in out
    code, _, err = run_cli(command, capsys)
    assert code == 1 and "already holds an export" in err and "--overwrite" in err


@pytest.mark.parametrize("command", ["report", "export"])
def test_paths_echoed_back_are_printable(tmp_path, capsys, command):
    path = tmp_path / "p.db"
    db = open_db(path)
    session_id = create_session(db, {"player_id": "kid-07", "level": "x", "device": "sim"})
    db["sessions"].update(session_id, {"status": "completed", "duration_s": 1.0})
    db.close()
    odd = tmp_path / "odd\x1b[2Jname"
    odd.mkdir()
    if command == "report":
        args = ["report", "--player", "kid-07", "--out", str(odd / "r.html"), "--db", str(path)]
    else:
        args = ["export", "--all", "--out", str(odd / "out"), "--db", str(path), "--no-progress"]
    code, out, err = run_cli(args, capsys)
    assert code == 0, err
    assert not CONTROL.search(out) and "odd\\x1b[2Jname" in out


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_text_reaches_the_terminal_with_a_control_character(text):
    shown = printable(text)
    assert not CONTROL.search(shown) and "\n" not in shown
    assert printable(shown) == shown  # safe text is left as it is


def test_levels_check_and_error_lines_never_pass_an_escape_code_to_the_terminal(tmp_path, capsys):
    from tests.cli import run_cli

    bad = tmp_path / "evil\x1b]0;PWNED\x07.toml"
    bad.write_text("schema_version = 1\ntitle = 'x'\n")
    code, out, err = run_cli(["levels", "check", str(bad)], capsys)
    assert code == 1 and "\x1b" not in out + err and "\x07" not in out + err and "\\x1b" in err
    code, out, err = run_cli(["play", str(tmp_path / "missing\x1b[2J.toml"), "--headless"], capsys)
    assert code == 1 and err.startswith("Error: ") and "\x1b" not in err and "\\x1b[2J" in err
