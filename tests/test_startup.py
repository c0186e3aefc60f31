"""Start-up: ``proprio --help`` and every command's own help load no heavy library, and show their full help.

The guard is what a command imports (read from a fresh process's ``sys.modules``), never a
timing: benchmarks/bench_startup.py prints the times against ``sqlite-utils --help``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from game.cli import COMMANDS, cli

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("scipy", "matplotlib", "panda3d", "pygame", "numpy", "pydantic", "sqlite_utils", "imufusion", "pylsl",
         "telemetry.measures")
PROBE = """\
import sys
sys.argv = ["proprio", *sys.argv[1:]]
from game.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = {heavy!r}
print("LOADED:" + ",".join(name for name in heavy if name in sys.modules))
print("EXIT:" + str(code))
"""


def loaded_by(*args: str, watch: tuple[str, ...] = HEAVY) -> tuple[set[str], str, str]:
    """The modules of ``watch`` ``proprio ARGS`` loads in a fresh process, its exit code and its output."""
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=watch), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    lines = done.stdout.splitlines()
    loaded = next(line for line in lines if line.startswith("LOADED:"))[len("LOADED:"):]
    code = next(line for line in lines if line.startswith("EXIT:"))[len("EXIT:"):]
    return {name for name in loaded.split(",") if name}, code, done.stdout + done.stderr


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"], []])
def test_the_group_alone_loads_no_heavy_library(args):
    loaded, code, out = loaded_by(*args)
    assert loaded == set(), f"proprio {' '.join(args)} imported {sorted(loaded)}"
    assert code in ("0", "2", "None")  # `proprio` alone prints the usage (click's exit 2 or 0, by version)
    assert "Usage: proprio" in out or "proprio, version" in out


def test_the_probe_sees_what_a_command_loads():
    loaded, code, out = loaded_by("levels", "schema")  # the schema is read from the pydantic level models
    assert code in ("0", "None") and "pydantic" in loaded, out  # so the empty sets above are real findings
    runs = runs_in_one_process(["levels", "--help"], ["levels", "schema"], ["levels", "list", "--help"])
    assert [run["loaded"] for run in runs] == [[], ["pydantic"], []]  # and each run is told apart from the next


#: Runs several ``proprio ARGS`` in one process and prints, per run, its exit code and the modules of HEAVY it
#: was the first to load (a module stays loaded, so a later run that needs it too is not charged again).
RUNS_PROBE = """\
import json, sys
from game.cli import main
heavy = {heavy!r}
runs = []
for args in json.loads(sys.argv[1]):
    before = {{name for name in heavy if name in sys.modules}}
    try:
        main(args)
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    loaded = sorted(name for name in heavy if name in sys.modules and name not in before)
    runs.append({{"args": args, "code": code, "loaded": loaded}})
print("RUNS:" + json.dumps(runs))
"""


def runs_in_one_process(*runs: list[str]) -> list[dict[str, Any]]:
    """Each of ``runs`` as ``proprio ARGS``, in order, in one fresh process: its args, exit code and what it loaded."""
    done = subprocess.run([sys.executable, "-c", RUNS_PROBE.format(heavy=HEAVY), json.dumps(runs)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    line = next((line for line in done.stdout.splitlines() if line.startswith("RUNS:")), None)
    assert line is not None, done.stdout + done.stderr
    result: list[dict[str, Any]] = json.loads(line[len("RUNS:"):])
    return result


def _help_and_usage_error_runs(name: str) -> list[list[str]]:
    """``proprio NAME --help``, a usage error (an unknown option), and the same for each of its subcommands."""
    command = cli.get_command(click.Context(cli), name)
    paths = [[name]]
    if isinstance(command, click.Group):
        paths += [[name, sub] for sub in sorted(command.commands)]
    return [run for path in paths for run in ([*path, "--help"], [*path, "--no-such-option"])]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_commands_help_and_usage_errors_load_no_heavy_library(name):
    """``proprio CMD --help`` (and each subcommand's, and an unknown option) loads what click needs, no more.

    The decorators (options, choices, help) stay in the command's module, which imports light modules
    only; what the command runs is imported in its function (game/cli/__init__.py says the rule).
    """
    runs = runs_in_one_process(*_help_and_usage_error_runs(name))
    assert [run["code"] for run in runs] == [0 if run["args"][-1] == "--help" else 2 for run in runs], runs
    loaded = {" ".join(run["args"]): run["loaded"] for run in runs if run["loaded"]}
    assert loaded == {}, f"imported by: {loaded}"


#: What ``proprio sessions`` has no use for: besides the heavy libraries, importlib.metadata (sqlite-utils scans
#: every installed package's entry points for its plugins when a Database is made with plugins on) and numpy
#: (sqlite-utils imports it only for the column types of numpy values it inserts).
SESSIONS_NEEDS_NOT = ("scipy", "matplotlib", "panda3d", "pygame", "pydantic", "telemetry.measures",
                      "importlib.metadata", "numpy")


def test_sessions_reads_without_scanning_installed_packages(tmp_path):
    from telemetry.store.database import open_db

    db_path = tmp_path / "p.db"
    open_db(db_path).close()
    loaded, code, out = loaded_by("sessions", "--db", str(db_path), watch=SESSIONS_NEEDS_NOT)
    assert code in ("0", "None") and "No sessions yet." in out, out
    assert loaded == set(), f"proprio sessions --db imported {sorted(loaded)}"
    # The probe sees it when it is used: the version of an installed copy is read with importlib.metadata.
    loaded, code, out = loaded_by("--version", watch=SESSIONS_NEEDS_NOT)
    assert code in ("0", "None") and loaded == {"importlib.metadata"}, out


def test_the_version_is_the_installed_one():
    from game import __version__

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output == f"proprio, version {__version__}\n"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_shows_its_full_help(name):
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    result = CliRunner().invoke(cli, [name, "--help"], prog_name="proprio", terminal_width=100)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: proprio {name} ")
    with click.Context(command, info_name=name, parent=click.Context(cli, info_name="proprio"),
                       terminal_width=100) as ctx:
        assert result.output == command.get_help(ctx) + "\n"  # all of it: options, examples


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_listed_summary_is_the_commands_own(name):
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    listed = click.Command(name, help=COMMANDS[name][2])
    for width in (40, 60, 200):
        assert listed.get_short_help_str(width) == command.get_short_help_str(width)


def test_the_command_list_is_what_loading_every_command_would_print():
    eager = click.Group("proprio", help=cli.help, params=cli.params,
                        context_settings={"help_option_names": ["-h", "--help"]})
    for name in COMMANDS:
        command = cli.get_command(click.Context(cli), name)
        assert command is not None
        eager.add_command(command, name)
    assert sorted(cli.list_commands(click.Context(cli))) == sorted(eager.list_commands(click.Context(eager)))
    lazy_help = CliRunner().invoke(cli, ["--help"], prog_name="proprio").output
    eager_help = CliRunner().invoke(eager, ["--help"], prog_name="proprio").output
    assert lazy_help == eager_help and "simulate" in lazy_help


def test_every_command_module_is_listed():
    modules = {path.stem for path in (ROOT / "game" / "cli").glob("*.py")} - {"__init__", "terminal"}
    assert {module for module, _, _ in COMMANDS.values()} == modules
    for name, (module, attr, _) in COMMANDS.items():
        assert isinstance(cli.get_command(click.Context(cli), name), click.Command), f"game.cli.{module}.{attr}"


def test_an_unknown_command_is_one_clear_error():
    result = CliRunner().invoke(cli, ["simulte"], prog_name="proprio")
    assert result.exit_code == 2 and "No such command 'simulte'" in result.output


def test_the_commands_mapping_still_answers_as_an_eager_group_does():
    assert isinstance(cli.commands["limits"], click.Group)  # loaded when read
    assert cli.commands["limits"] is cli.get_command(click.Context(cli), "limits")
    with pytest.raises(KeyError):
        cli.commands["no-such-command"]


def test_sessions_lists_the_same_with_or_without_numpy_loaded_first(tmp_path):
    """sessions imports sqlite-utils with numpy hidden; a process that has numpy already gets the same listing."""
    from telemetry.store.database import open_db
    from telemetry.store.sessions import create_session

    db_path = tmp_path / "p.db"
    db = open_db(db_path)
    session = create_session(db, {"player_id": "kid-07", "level": "garden-balance", "device": "sim:0.60",
                                  "started_at": "2026-05-04T15:00:00+00:00"})
    db["sessions"].update(session, {"status": "completed", "duration_s": 61.5, "trials": 6, "successes": 5})
    db.close()
    plain = loaded_by("sessions", "--format", "json", "--db", str(db_path), watch=("numpy",))
    numpy_first = subprocess.run(
        [sys.executable, "-c", "import numpy\n" + PROBE.format(heavy=("numpy",)), "sessions",
         "--format", "json", "--db", str(db_path)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert plain[0] == set() and "LOADED:numpy" in numpy_first.stdout
    listing = [line for line in plain[2].splitlines() if not line.startswith(("LOADED:", "EXIT:"))]
    again = [line for line in numpy_first.stdout.splitlines() if not line.startswith(("LOADED:", "EXIT:"))]
    assert listing == again and '"successes": 5' in "\n".join(listing)


def _param(path: list[str], name: str) -> click.Parameter:
    """The parameter ``name`` of the command at ``path`` (``["scale", "add"]``), loaded as ``proprio`` loads it."""
    command: click.Command | None = cli.get_command(click.Context(cli), path[0])
    for sub in path[1:]:
        assert isinstance(command, click.Group)
        command = command.commands[sub]
    assert command is not None
    return next(param for param in command.params if param.name == name)


def _choices(path: list[str], name: str) -> list[str]:
    kind = _param(path, name).type
    assert isinstance(kind, click.Choice)
    return list(kind.choices)


def test_the_choices_a_command_offers_are_the_ones_the_library_takes():
    """The help lists names from game.vocabulary; they are the ones the scalers, models and database use."""
    from game.calibration_flow import HOLD_S
    from game.difficulty import DEFAULT_METHOD, METHODS
    from game.level.model import KINDS
    from game.limits import ALL_KINDS
    from game.vocabulary import DIFFICULTY_METHODS
    from telemetry.store.clinic import SCALES, SEVERITIES

    assert tuple(METHODS) == DIFFICULTY_METHODS  # the one list the scaler classes' names are spelled twice in
    assert _choices(["simulate"], "method") == sorted(METHODS) and _param(["simulate"], "method").default == \
        DEFAULT_METHOD
    assert _choices(["levels", "new"], "kind_") == list(KINDS)
    kind_help = _param(["limits", "set"], "kind")
    assert isinstance(kind_help, click.Option) and f"{', '.join((ALL_KINDS, *KINDS))}." in (kind_help.help or "")
    assert _choices(["event", "add"], "severity") == list(SEVERITIES)
    assert _choices(["scale", "add"], "which") == _choices(["scale", "list"], "which") == list(SCALES)
    assert _param(["calibrate"], "hold_s").default == HOLD_S
