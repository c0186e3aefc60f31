"""``proprio simulate``: simulated players through the pure session, the printed paths, the plot, bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.difficulty import DEFAULT_METHOD
from game.level.loader import LoadedLevel, load_plan
from game.limits import ClinicianLimits, PlayerLimits
from game.session.session import WARM_UP_STEP
from game.simulate import SimulateError, parse_skill_range, simulate, spread_skills, worker_count
from tests.cli import run_cli as run
from tests.game.helpers import REACH, level, with_changes


def _plan(lvl) -> list[LoadedLevel]:
    return [LoadedLevel(lvl, path=None, name="test", sha256="")]  # type: ignore[arg-type]


QUICK_REACH = level(with_changes(REACH, timeout_s=3.0, repeats=2), intro_s=0.5)


def _ctrl_c_as_in_a_terminal() -> None:
    """In the child before it starts: Ctrl-C does what it does in a terminal, even if this test run ignores it.

    A shell that starts a job in the background without job control starts it with SIGINT ignored, and a
    child inherits that: Python then installs no KeyboardInterrupt handler, and the Ctrl-C below would do
    nothing (seen when CI was rehearsed as a background job).
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# -- the skill range parser -----------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("0.2..0.9", (0.2, 0.9)), ("0..1", (0.0, 1.0)), (".5..1", (0.5, 1.0)), ("0.6", (0.6, 0.6)),
    (" 0.3 .. 0.4 ", (0.3, 0.4)), ("0.5..0.5", (0.5, 0.5)),
])
def test_skill_ranges_parse(text, expected):
    assert parse_skill_range(text) == expected


@pytest.mark.parametrize("text, message", [
    ("0.2-0.9", "skill range '0.2-0.9' is not LOW..HIGH: '0.2-0.9' is not a number"),
    ("0.2..0.5..0.9", "skill range '0.2..0.5..0.9' is not LOW..HIGH"),
    ("low..high", "skill range 'low..high' is not LOW..HIGH: 'low' is not a number"),
    ("0.2..", "skill range '0.2..' is not LOW..HIGH: '' is not a number"),
    ("0.2..1.5", "skill 1.5 in '0.2..1.5' is outside [0, 1]"),
    ("-0.1..0.5", "skill -0.1 in '-0.1..0.5' is outside [0, 1]"),
    ("nan..0.5", "skill nan in 'nan..0.5' is outside [0, 1]"),
    ("0.9..0.2", "skill range '0.9..0.2' runs backwards (0.9 > 0.2)"),
])
def test_bad_skill_ranges_are_named(text, message):
    with pytest.raises(SimulateError) as info:
        parse_skill_range(text)
    assert info.value.message == message and info.value.remedy


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_any_valid_range_round_trips(a, b):
    low, high = min(a, b), max(a, b)
    assert parse_skill_range(f"{low!r}..{high!r}") == (low, high)


@given(st.text(max_size=20))
def test_any_text_parses_or_raises_a_simulate_error(text):
    try:
        low, high = parse_skill_range(text)
    except SimulateError:
        return
    assert 0.0 <= low <= high <= 1.0


def test_skills_spread_evenly_and_one_player_takes_the_middle():
    assert spread_skills(3, 0.2, 0.8) == pytest.approx([0.2, 0.5, 0.8])
    assert spread_skills(1, 0.2, 0.8) == [0.5]
    for bad in (0, -1, 1001, 2.5, True):
        with pytest.raises(SimulateError, match="players must be a whole number from 1 to 1000"):
            spread_skills(bad, 0.2, 0.8)


# -- the simulation -----------------------------------------------------------------------------------
def test_paths_hold_every_trial_and_the_next_difficulty_and_runs_are_reproducible():
    first = simulate(_plan(QUICK_REACH), players=2, skill_low=0.3, skill_high=0.9, seed=4)
    assert first.as_dict() == simulate(_plan(QUICK_REACH), players=2, skill_low=0.3, skill_high=0.9, seed=4).as_dict()
    for player in first.players:
        path = player.paths["reach"]
        assert path.trials == 8 == len(path.difficulties)
        assert path.difficulties[0] == 0.0  # the level's start
        assert path.next_difficulty is not None and player.play_s > 0
        late = path.outcomes[4:]
        assert path.last_half_success_rate == sum(late) / 4
    assert [r.skill for r in first.players] == [0.3, 0.9]
    assert first.as_dict() != simulate(_plan(QUICK_REACH), players=2, skill_low=0.3, skill_high=0.9, seed=5).as_dict()


def test_scalers_carry_over_between_plays_as_in_proprio_play():
    sim = simulate(_plan(QUICK_REACH), players=1, skill_low=0.8, skill_high=0.8, seed=1, sessions=3)
    path = sim.players[0].paths["reach"]
    assert path.trials == 24
    one = simulate(_plan(QUICK_REACH), players=1, skill_low=0.8, skill_high=0.8, seed=1).players[0].paths["reach"]
    assert path.difficulties[:8] == one.difficulties
    # the second play starts where the first left off, warmed up a step easier (a returning player, issue 12)
    assert one.next_difficulty is not None
    # (a Bayesian scaler also widens its belief for the new session, which may move it a little first)
    assert path.floor <= path.difficulties[8] <= one.next_difficulty - WARM_UP_STEP + 1e-9
    assert path.difficulties[8] >= one.next_difficulty - WARM_UP_STEP - 0.1  # near where it left off, not reset


def test_skilled_players_end_harder_than_beginners_on_a_real_level():
    sim = simulate(load_plan("garden-balance"), players=2, skill_low=0.1, skill_high=1.0, seed=2, sessions=3)
    weak, strong = (run.paths["hold"] for run in sim.players)
    assert strong.next_difficulty > weak.next_difficulty + 0.2
    assert strong.trials == weak.trials == 18


def test_clinician_limits_apply_to_the_simulated_players():
    limits = PlayerLimits("simulated", (ClinicianLimits("all", max_distance_los=0.6, target_success=0.7),))
    sim = simulate(_plan(QUICK_REACH), players=2, skill_low=0.9, skill_high=1.0, seed=1, sessions=2, limits=limits)
    knob = QUICK_REACH.challenges[0].knobs.distance
    for player in sim.players:
        path = player.paths["reach"]
        assert path.ceiling == pytest.approx(0.25) and path.target == 0.7
        assert all(knob.at(d) <= 0.6 for d in path.difficulties)
        assert max(path.difficulties) == pytest.approx(0.25)


def test_bad_counts_and_methods_are_refused():
    with pytest.raises(SimulateError, match="sessions must be a whole number from 1 to 200, got 0"):
        simulate(_plan(QUICK_REACH), players=1, skill_low=0.5, skill_high=0.5, seed=1, sessions=0)
    with pytest.raises(SimulateError, match="unknown difficulty method 'stair'"):
        simulate(_plan(QUICK_REACH), players=1, skill_low=0.5, skill_high=0.5, seed=1, method="stair")


# -- the command --------------------------------------------------------------------------------------
def test_the_command_prints_one_line_per_player_and_kind(capsys):
    code, out, err = run(["simulate", "garden-balance", "--players", "3", "--skill", "0.2..0.9", "--seed", "1"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ("Simulated garden-balance (Garden Balance): 3 player(s), skill 0.2..0.9, seed 1,"
                        f" 1 play(s) each, method {DEFAULT_METHOD}")
    assert lines[1].split()[:6] == ["player", "skill", "kind", "trials", "success", "last"]
    rows = [line.split() for line in lines[2:5]]
    assert [r[:4] for r in rows] == [["1", "0.20", "hold", "6"], ["2", "0.55", "hold", "6"], ["3", "0.90", "hold", "6"]]
    for r in rows:
        path = r[8:]  # after 'NN%  NN% of 3'
        assert path[0] == "0.20" and path[-2] == "->" and len(path) == 8
    assert lines[5] == "hold: target 80%, difficulty band [0, 1] (0 easiest, 1 hardest)"


def test_json_output_and_the_plot(tmp_path, capsys):
    png = tmp_path / "paths.png"
    code, out, err = run(["simulate", "space-reach", "--players", "4", "--skill", "0.3..1", "--seed", "2",
                          "--sessions", "2", "--format", "json", "--plot", str(png), "--max-distance", "0.7"], capsys)
    assert code == 0, err
    result = json.loads(out)
    assert result["level"] == "space-reach" and result["sessions"] == 2 and len(result["players"]) == 4
    reach = result["players"][0]["kinds"]["reach"]
    assert reach["trials"] == 16 and len(reach["path"]) == 16 and reach["ceiling"] == pytest.approx(0.625)
    assert all(d <= 0.625 for p in result["players"] for d in p["kinds"]["reach"]["path"])
    image = pygame.image.load(str(png))
    width, height = image.get_size()
    assert width > 600 and height > 250
    colours = {tuple(image.get_at((x, y)))[:3] for x in range(0, width, 7) for y in range(0, height, 7)}
    assert len(colours) > 12  # lines in several colours, not a blank figure


@pytest.mark.parametrize("args, message", [
    (["garden-balance", "--skill", "0.2-0.9"], "Error: skill range '0.2-0.9' is not LOW..HIGH"),
    (["garden-balance", "--skill", "0.2..1.3"], "Error: skill 1.3 in '0.2..1.3' is outside [0, 1]"),
    (["garden-balance", "--players", "0"], "Error: players must be a whole number from 1 to 1000, got 0"),
    (["garden-balance", "--sessions", "0"], "Error: sessions must be a whole number from 1 to 200, got 0"),
    (["no-such-level"], "Error: no level named 'no-such-level'"),
    (["garden-balance", "--plot", "paths.gif"], "Error: plot file paths.gif must end in .png, .svg, .pdf"),
    (["garden-balance", "--plot", "/no/such/folder/p.png"], "Error: cannot write the plot /no/such/folder/p.png"),
    (["garden-balance", "--target", "1.5"], "Error: target success rate 1.5 is outside the open interval (0, 1)"),
    (["space-reach", "--max-distance", "0.3"], "Error: challenge 1 'Planet hop' (reach) places targets at least 0.45"),
])
def test_bad_input_is_one_clear_error(capsys, args, message):
    code, out, err = run(["simulate", *args], capsys)
    assert code == 1 and err.startswith(message), err
    assert "Traceback" not in err + out


def test_help_ends_with_an_example(capsys):
    from game.cli import cli

    command = cli.get_command(None, "simulate")  # type: ignore[arg-type]  # a lazy group needs no context
    help_text = command.help.strip().splitlines()
    assert help_text[-1].strip().startswith("proprio simulate")


def test_no_database_is_touched(capsys):
    from game.paths import default_db_path

    code, _, _ = run(["simulate", "garden-balance", "--players", "1"], capsys)
    assert code == 0 and not default_db_path().exists()


# -- every core ---------------------------------------------------------------------------------------
def test_players_in_worker_processes_give_the_very_same_result_in_the_same_order():
    plan = load_plan("space-reach")
    kwargs = {"players": 8, "skill_low": 0.2, "skill_high": 0.9, "seed": 5, "sessions": 2, "method": "staircase"}
    one = simulate(plan, jobs=1, **kwargs)
    assert worker_count(2, 8) == 2  # so the second run really uses two worker processes
    two = simulate(plan, jobs=2, **kwargs)
    assert two.as_dict() == one.as_dict()
    assert [run.player for run in two.players] == list(range(1, 9))
    assert len({json.dumps(run.as_dict()["kinds"]) for run in two.players}) == 8  # eight different players


def test_clinician_limits_reach_the_worker_processes():
    limits = PlayerLimits("p", (ClinicianLimits("all", ceiling=0.3, max_session_s=20.0),))
    kwargs = {"players": 8, "skill_low": 0.8, "skill_high": 0.95, "seed": 2, "limits": limits}
    one = simulate(load_plan("garden-balance"), jobs=1, **kwargs)
    two = simulate(load_plan("garden-balance"), jobs=2, **kwargs)
    assert two.as_dict() == one.as_dict()
    assert all(d <= 0.3 for run in two.players for path in run.paths.values() for d in path.difficulties)
    assert all(event["kind"] == "session_limit" for run in two.players for event in run.sitting_events)
    assert all(run.sitting_events for run in two.players)


@pytest.mark.parametrize("jobs, players, expected", [
    (1, 100, 1),  # one process when asked
    (8, 3, 1),  # few players: starting processes would cost more than it saves
    (8, 8, 2),  # at least four players a process
    (4, 100, 4),
])
def test_worker_count(jobs, players, expected):
    assert worker_count(jobs, players) == expected


def test_the_default_uses_every_core_this_process_may_use():
    from game.simulate import default_jobs

    assert worker_count(None, 10_000) == default_jobs() >= 1


@pytest.mark.parametrize("jobs", ["0", "-2", "257", "two"])
def test_a_bad_jobs_count_is_one_clear_error(capsys, jobs):
    code, out, err = run(["simulate", "garden-balance", "--players", "2", "--jobs", jobs], capsys)
    assert code in (1, 2) and ("Error" in err) and "jobs" in err, err
    assert "Traceback" not in err + out


def test_the_command_with_jobs_prints_what_one_process_prints(capsys):
    args = ["simulate", "space-reach", "--players", "8", "--seed", "4", "--format", "json"]
    code, alone, err = run([*args, "--jobs", "1"], capsys)
    assert code == 0, err
    code, shared, err = run([*args, "--jobs", "2"], capsys)
    assert code == 0, err
    assert json.loads(shared) == json.loads(alone)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads a process's children from /proc (Linux)")
def _ignores_ctrl_c(pid: str) -> bool:
    """True once pool worker ``pid`` ignores SIGINT (past its start-up; SigIgn in /proc is a hex mask).

    Only workers count (their command line runs ``spawn_main``), not multiprocessing's resource
    tracker, which ignores SIGINT from its start.
    """
    try:
        if b"spawn_main" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return False
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = next((line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:")), "0")
    return bool(int(mask, 16) & (1 << (signal.SIGINT - 1)))


def test_ctrl_c_stops_every_worker_with_one_line_and_no_traceback():
    child = subprocess.Popen([sys.executable, "-m", "game", "simulate", "garden-balance", "--players", "200",
                              "--sessions", "5", "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True, cwd=Path(__file__).resolve().parents[2],
                             preexec_fn=_ctrl_c_as_in_a_terminal)
    children = Path(f"/proc/{child.pid}/task/{child.pid}/children")
    try:
        for _ in range(1200):  # until both workers run and leave Ctrl-C to the parent (or the command has failed)
            if child.poll() is not None or sum(_ignores_ctrl_c(pid) for pid in children.read_text().split()) >= 2:
                break
            time.sleep(0.05)
        assert child.poll() is None, child.communicate()
        os.killpg(child.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
    assert child.returncode == 130 and err.strip().endswith("Aborted."), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    with pytest.raises(ProcessLookupError):  # no worker is left behind
        for _ in range(200):
            os.killpg(child.pid, 0)
            time.sleep(0.05)
