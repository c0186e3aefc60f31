"""``proprio plan / checkin / event / scale`` from the command line (the group is added here as the lead
wires it into ``game.cli``)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from game.cli import cli
from game.cli.clinic import checkin, event, plan, scale
from game.cli.terminal import printable_lines
from game.errors import ProprioError


@pytest.fixture(scope="module")
def runner():
    for group in (plan, checkin, event, scale):
        if group.name not in cli.commands:
            cli.add_command(group)
    return CliRunner()


def run(runner, args):
    result = runner.invoke(cli, args, standalone_mode=False, catch_exceptions=True)
    if isinstance(result.exception, ProprioError):
        return 1, result.output + f"Error: {printable_lines(result.exception)}"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_a_plan_is_set_and_shown_with_its_adherence(runner, tmp_path):
    db = str(tmp_path / "p.db")
    code, out = run(runner, ["plan", "set", "--player", "kid-07", "--sessions-per-week", "3", "--minutes", "15",
                             "--weeks", "6", "--start", "2026-05-04", "--level", "garden-balance", "--by", "PT",
                             "--db", db])
    assert code == 0 and "3 sessions a week of 15 min for 6 weeks from 2026-05-04 (garden-balance)" in out
    code, out = run(runner, ["plan", "show", "--player", "kid-07", "--today", "2026-05-20", "--db", db])
    assert code == 0 and "In the 2 weeks so far: 0 of 6 sessions done (0 %)" in out and "in progress" in out
    code, out = run(runner, ["plan", "show", "--player", "kid-07", "--today", "2026-05-20", "--format", "json",
                             "--db", db])
    data = json.loads(out)
    assert data["sessions_pct"] == 0.0 and [w["state"] for w in data["weeks"]][:3] == ["over", "over",
                                                                                    "in progress"]


def test_checkins_events_and_scales_round_trip_and_bad_values_are_one_error_line(runner, tmp_path):
    db = str(tmp_path / "p.db")
    assert run(runner, ["checkin", "add", "--player", "kid-07", "--pain-before", "2", "--effort", "4",
                        "--db", db])[0] == 0
    code, out = run(runner, ["checkin", "add", "--player", "kid-07", "--pain-after", "12", "--db", db])
    assert code == 1 and "Error: the pain after must be from 0 to 10; got 12" in out
    assert run(runner, ["event", "add", "--player", "kid-07", "--what", "dizzy", "--severity", "mild",
                        "--db", db])[0] == 0
    assert run(runner, ["scale", "add", "--player", "kid-07", "--scale", "berg", "--value", "48", "--date",
                        "2026-05-04", "--db", db])[0] == 0
    code, out = run(runner, ["scale", "add", "--player", "kid-07", "--scale", "berg", "--value", "80", "--db", db])
    assert code == 1 and "from 0 to 56" in out
    code, out = run(runner, ["scale", "list", "--player", "kid-07", "--db", db])
    assert "Berg Balance Scale  48" in out
    code, out = run(runner, ["checkin", "list", "--player", "kid-07", "--format", "json", "--db", db])
    assert [(c["pain_before"], c["effort"]) for c in json.loads(out)] == [(2, 4)]
    code, out = run(runner, ["event", "list", "--player", "kid-07", "--db", db])
    assert "mild" in out and "dizzy" in out


def test_fes_i_is_a_scale_with_its_range_checked(runner, tmp_path):
    db = str(tmp_path / "p.db")
    code, out = run(runner, ["scale", "add", "--player", "kid-07", "--scale", "fes_i", "--value", "23", "--date",
                             "2026-05-04", "--db", db])
    assert code == 0 and "Stored Falls Efficacy Scale-International (FES-I) 23 score of kid-07 on 2026-05-04." in out
    for bad, message in (("15", "from 16 to 64"), ("65", "from 16 to 64"), ("23.5", "whole number")):
        code, out = run(runner, ["scale", "add", "--player", "kid-07", "--scale", "fes_i", "--value", bad, "--db", db])
        assert code == 1 and message in out, bad
    code, out = run(runner, ["scale", "list", "--player", "kid-07", "--scale", "fes_i", "--format", "json",
                             "--db", db])
    assert [(r["scale"], r["value"]) for r in json.loads(out)] == [("fes_i", 23.0)]
