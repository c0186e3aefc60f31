"""``proprio limits set/show/clear`` end to end on a real SQLite file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from game.cli import cli
from tests.cli import run_cli as run


def test_set_then_show_as_text_and_json(tmp_path, capsys):
    db = str(tmp_path / "p.db")
    code, out, err = run(["limits", "set", "--player", "kid-07", "--kind", "all", "--target", "0.75",
                          "--max-session-min", "20", "--rest-every-min", "5", "--rest-s", "60", "--db", db], capsys)
    assert code == 0, err
    assert out.strip() == ("Limits of kid-07 for all kinds: target_success 0.75, max_session_s 1200,"
                           " rest_every_s 300, rest_s 60")
    code, _, err = run(["limits", "set", "--player", "kid-07", "--kind", "reach", "--ceiling", "0.7",
                        "--max-distance", "0.6", "--db", db], capsys)
    assert code == 0, err
    code, out, _ = run(["limits", "show", "--player", "kid-07", "--db", db], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split() == ["kind", "target", "floor", "ceiling", "max", "distance", "max", "session", "rest",
                                "break"]
    assert lines[2].split() == ["all", "75", "%", "-", "-", "-", "20", "min", "60", "s", "every", "5", "min"]
    assert lines[3].split() == ["reach", "-", "-", "0.7", "0.6", "LOS", "-", "-"]
    assert "  reach: target 75 %, band [0, 0.7], targets within 0.6 LOS" in lines
    code, out, _ = run(["limits", "show", "--player", "kid-07", "--format", "json", "--db", db], capsys)
    shown = json.loads(out)
    assert shown["session"] == {"max_session_s": 1200.0, "rest_every_s": 300.0, "rest_s": 60.0}
    assert shown["per_kind"]["reach"]["ceiling"] == 0.7 and shown["per_kind"]["hold"]["target_success"] == 0.75
    assert [r["kind"] for r in shown["rows"]] == ["all", "reach"]


def test_show_without_limits_and_clear(tmp_path, capsys):
    db = str(tmp_path / "p.db")
    run(["limits", "set", "--player", "kid-07", "--kind", "hold", "--floor", "0.2", "--db", db], capsys)
    code, out, _ = run(["limits", "show", "--player", "kid-08", "--db", db], capsys)
    assert code == 0 and out.strip() == "No limits set for kid-08: each level's own limits apply."
    code, out, _ = run(["limits", "clear", "--player", "kid-07", "--db", db], capsys)
    assert code == 0 and out.strip() == "Removed 1 limit row(s) of kid-07."
    _, out, _ = run(["limits", "show", "--player", "kid-07", "--db", db], capsys)
    assert out.startswith("No limits set for kid-07")


@pytest.mark.parametrize("args, message", [
    (["--kind", "all", "--target", "1.2"], "Error: target success rate 1.2 is outside the open interval (0, 1)"),
    (["--kind", "all", "--target", "nan"], "Error: target success rate must be a finite number, got nan"),
    (["--kind", "hold", "--floor", "0.8", "--ceiling", "0.2"], "Error: floor 0.8 is above ceiling 0.2"),
    (["--kind", "hold", "--floor", "-1"], "Error: floor -1.0 is outside the normalized difficulty range [0, 1]"),
    (["--kind", "reach", "--max-distance", "1.5"], "Error: maximum distance 1.5 LOS is outside (0, 1]"),
    (["--kind", "all", "--max-session-min", "0"], "Error: maximum session length 0 min (0 s) is outside (0, 240] min"),
    (["--kind", "all", "--rest-s", "60"], "Error: rest breaks need both how often (rest_every_s) and how long"),
    (["--kind", "hold", "--max-session-min", "10"], "Error: maximum session length (s) cannot be set for kind 'hold'"),
    (["--kind", "reech", "--target", "0.7"], "Error: unknown challenge kind 'reech'\n  did you mean 'reach'?"),
    (["--kind", "all"], "Error: no limit given to set"),
])
def test_bad_input_is_one_clear_error_and_writes_nothing(tmp_path, capsys, args, message):
    db = tmp_path / "p.db"
    code, out, err = run(["limits", "set", "--player", "kid-07", *args, "--db", str(db)], capsys)
    assert code == 1 and err.startswith(message) and "Traceback" not in err + out
    _, out, _ = run(["limits", "show", "--player", "kid-07", "--db", str(db)], capsys)
    assert out.startswith("No limits set")


def test_show_needs_an_existing_database_and_a_valid_player(tmp_path, capsys):
    code, _, err = run(["limits", "show", "--player", "kid-07", "--db", str(tmp_path / "none.db")], capsys)
    assert code == 1 and err.startswith(f"Error: no database at {tmp_path / 'none.db'}")
    assert not (tmp_path / "none.db").exists()
    code, _, err = run(["limits", "show", "--player", "Jane Doe", "--db", str(tmp_path / "none.db")], capsys)
    assert code == 1 and "Error: " in err


def test_every_limits_command_has_help_ending_with_an_example():
    group = cli.commands["limits"]
    for command in (group, *group.commands.values()):
        assert "Example" in command.help and command.help.strip().splitlines()[-1].strip().startswith("proprio limits")
    result = CliRunner().invoke(cli, ["limits", "set", "--help"])
    assert result.exit_code == 0 and "proprio limits set --player kid-07 --kind reach" in result.output


def test_a_target_band_is_set_stored_shown_and_replaced_by_a_rate(tmp_path, capsys):
    db = str(tmp_path / "p.db")
    code, out, err = run(["limits", "set", "--player", "kid-07", "--kind", "all", "--target-band", "0.7..0.85",
                          "--db", db], capsys)
    assert code == 0, err
    assert out.strip() == "Limits of kid-07 for all kinds: target_low 0.7, target_high 0.85"
    code, out, _ = run(["limits", "show", "--player", "kid-07", "--db", db], capsys)
    assert out.splitlines()[2].split() == ["all", "70-85", "%", "-", "-", "-", "-", "-"]
    assert "  hold: target 70-85 %" in out.splitlines()
    code, out, _ = run(["limits", "show", "--player", "kid-07", "--format", "json", "--db", db], capsys)
    hold = json.loads(out)["per_kind"]["hold"]
    assert (hold["target_success"], hold["target_low"], hold["target_high"]) == (None, 0.7, 0.85)
    code, out, _ = run(["limits", "set", "--player", "kid-07", "--kind", "all", "--target", "0.75", "--db", db],
                       capsys)
    assert out.strip() == "Limits of kid-07 for all kinds: target_success 0.75"


@pytest.mark.parametrize("args, message", [
    (["--target-band", "0.7-0.85"], "Error: target band '0.7-0.85' is not LOW..HIGH"),
    (["--target-band", "0.85..0.7"], "Error: target band 0.85..0.7 is not 0 < low < high < 1"),
    (["--target-band", "0.7..0.85", "--target", "0.8"], "Error: --target and --target-band were both given"),
])
def test_bad_target_bands_are_refused(tmp_path, capsys, args, message):
    code, _, err = run(["limits", "set", "--player", "kid-07", "--kind", "all", *args, "--db",
                        str(tmp_path / "p.db")], capsys)
    assert code != 0 and err.splitlines()[0] == message
