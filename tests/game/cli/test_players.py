"""``proprio players``: names and notes from the command line."""

from __future__ import annotations

import json

from tests.cli import run_cli


def test_set_list_and_forget(tmp_path, capsys):
    db = ["--db", str(tmp_path / "p.db")]
    code, out, err = run_cli(["players", "set", "kid-07", "--name", "Sam", "--notes", "Right ankle", *db], capsys)
    assert code == 0 and out.strip() == "Stored for kid-07.", err
    code, out, _ = run_cli(["players", "list", *db], capsys)
    assert "kid-07" in out and "Sam" not in out
    code, out, _ = run_cli(["players", "list", "--include-names", *db], capsys)
    assert "(Sam)" in out
    code, out, _ = run_cli(["players", "list", "--include-names", "--format", "json", *db], capsys)
    assert json.loads(out)[0]["notes"] == "Right ankle"
    code, out, _ = run_cli(["players", "forget", "kid-07", *db], capsys)
    assert code == 0 and "Forgot the name and notes of kid-07." in out
    code, out, _ = run_cli(["players", "forget", "kid-07", *db], capsys)
    assert "had no name or notes stored" in out


def test_player_errors(tmp_path, capsys):
    db = ["--db", str(tmp_path / "p.db")]
    code, _, err = run_cli(["players", "set", "Jane Doe", "--name", "Jane", *db], capsys)
    assert code == 1 and "player ID 'Jane Doe' is not valid" in err
    code, _, err = run_cli(["players", "set", "kid-07", *db], capsys)
    assert code == 1 and "nothing to store" in err
    code, _, err = run_cli(["players", "forget", "ghost", *db], capsys)
    assert code == 1 and "no player 'ghost'" in err
    code, _, err = run_cli(["players", "list", "--db", str(tmp_path / "none.db")], capsys)
    assert code == 1 and "no Proprio database" in err
