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


PLAN_FILE = """\
# kid-07's home programme
schema_version = 1
sessions_per_week = 3
minutes_per_session = 12.5
weeks = 6
start = 2026-05-04
levels = ["garden-balance", "space-reach"]
prescribed_by = "PT"
notes = "Knee: no single-leg work yet.\\nCheck again in 2 weeks."
"""


def test_a_plan_file_is_read_and_the_plan_in_effect_writes_it_back_the_same(runner, tmp_path):
    db = str(tmp_path / "p.db")
    path = tmp_path / "plan.toml"
    path.write_text(PLAN_FILE, encoding="utf-8")
    code, out = run(runner, ["plan", "set", "--player", "kid-07", "--file", str(path), "--db", db])
    assert code == 0 and "3 sessions a week of 12.5 min for 6 weeks from 2026-05-04 (garden-balance,space-reach)" \
        in out, out
    code, written = run(runner, ["plan", "show", "--player", "kid-07", "--format", "toml", "--db", db])
    assert code == 0
    again = tmp_path / "again.toml"
    again.write_text(written, encoding="utf-8")
    code, _ = run(runner, ["plan", "set", "--player", "kid-08", "--file", str(again), "--db", db])
    assert code == 0
    plans = [json.loads(run(runner, ["plan", "show", "--player", p, "--format", "json", "--db", db])[1])["plan"]
             for p in ("kid-07", "kid-08")]
    keys = ("levels", "playlist", "sessions_per_week", "minutes_per_session", "start_date", "weeks", "set_by", "notes")
    assert [{k: p[k] for k in keys} for p in plans] == [{k: plans[0][k] for k in keys}] * 2
    assert plans[0]["notes"] == "Knee: no single-leg work yet.\nCheck again in 2 weeks."
    code, out = run(runner, ["plan", "set", "--player", "kid-09", "--file", str(path), "--weeks", "2",
                             "--playlist", "kids-adventure", "--db", db])  # options override the file
    assert code == 0 and "for 2 weeks" in out and "(playlist kids-adventure)" in out


@pytest.mark.parametrize(("change", "message"), [
    (("sessions_per_week = 3", "sesions_per_week = 3"),
     ":3:1: sesions_per_week: unknown key 'sesions_per_week'; did you mean 'sessions_per_week'?"),
    (("weeks = 6", "weeks = 0"), ":5:1: weeks: Input should be greater than or equal to 1"),
    (("weeks = 6", 'weeks = "six"'), ":5:1: weeks: Input should be a valid integer"),
    (('prescribed_by = "PT"', 'prescribed_by = "PT"\nplaylist = "kids-adventure"'),
     "give levels or one playlist, not both"),
    (("start = 2026-05-04", "start = 2026-05-04-"), ":6:"),  # TOML syntax, with its position
])
def test_a_broken_plan_file_says_what_and_where_and_stores_nothing(runner, tmp_path, change, message):
    db = str(tmp_path / "p.db")
    path = tmp_path / "plan.toml"
    path.write_text(PLAN_FILE.replace(*change), encoding="utf-8")
    code, out = run(runner, ["plan", "set", "--player", "kid-07", "--file", str(path), "--db", db])
    assert code == 1 and message in out, out
    assert not (tmp_path / "p.db").exists() or "No plan" in run(
        runner, ["plan", "show", "--player", "kid-07", "--db", db])[1]


@pytest.mark.parametrize(("args", "message"), [
    (["--level", "garden-balanse"], "no level named 'garden-balanse'"),
    (["--level", "kids-adventure"], "'kids-adventure' is a playlist, not a level"),
    (["--playlist", "kids-adventur"], "Did you mean 'kids-adventure'?"),
])
def test_a_level_or_playlist_that_does_not_exist_is_refused_with_the_nearest_name(runner, tmp_path, args, message):
    db = str(tmp_path / "p.db")
    code, out = run(runner, ["plan", "set", "--player", "kid-07", "--sessions-per-week", "3", "--minutes", "15",
                             "--weeks", "6", *args, "--db", db])
    assert code == 1 and message in out, out


def test_a_plan_without_its_numbers_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["plan", "set", "--player", "kid-07", "--minutes", "15", "--db",
                                 str(tmp_path / "p.db")])
    assert result.exit_code == 2 and "give --sessions-per-week, --weeks" in result.output


def test_a_plan_file_that_is_a_fifo_is_refused_without_waiting(runner, tmp_path):
    import os

    fifo = tmp_path / "plan.toml"
    os.mkfifo(fifo)  # reading it with open() would wait for a writer for ever
    code, out = run(runner, ["plan", "set", "--player", "kid-07", "--file", str(fifo), "--db", str(tmp_path / "p.db")])
    assert code == 1 and "a FIFO" in out and "not a plan file" in out, out
