"""Start-up cost of the ``proprio`` command, beside ``sqlite-utils --help`` and a bare Python measured in the same run.

Run: python benchmarks/bench_startup.py [--repeats 5] [--game-root PATH] [--before-root PATH]

Each command is run as a fresh process (``python -m game ...``, which is what the ``proprio``
script runs) and timed from the outside: wall time, and the CPU time (user + system) the
child used, read from ``os.wait4``. Printed per command: the median and the spread over the
repeats, and the ratio of the median CPU time to the two baselines measured in this same run:

* ``python -c pass``: the floor any Python command pays;
* ``sqlite-utils --help``: a comparable click command-line tool (the target: ``proprio --help``,
  ``--version`` and every command's own ``proprio CMD --help`` at most half of it, ``proprio
  sessions`` and ``proprio levels check`` at most one).

Every command listed in ``game.cli.COMMANDS`` of the measured checkout has its ``--help`` timed.
Then which heavy libraries each process loaded (scipy, matplotlib, numpy, pydantic, sqlite_utils,
pygame, panda3d, imufusion, pylsl...). The load average is printed before and after, because this
machine is shared. ``--game-root`` measures another checkout (for example one made with
``git archive HEAD | tar -x -C /tmp/before``) with this same harness; ``--before-root`` adds that
checkout's ``sessions``, ``levels check`` and every command's ``--help`` to the same interleaved
runs, and prints each ``--help`` before beside after, so a change is compared with what it
replaced under the same load (this machine is shared).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("scipy", "matplotlib", "numpy", "pydantic", "sqlite_utils", "pygame", "panda3d", "imufusion", "pylsl",
         "tqdm", "fhir")
WRAPPER = """\
import atexit, runpy, sys
heavy = {heavy!r}
def _report():
    loaded = sorted(name for name in heavy if name in sys.modules)
    sys.stderr.write("HEAVY:" + ",".join(loaded) + "\\n")
atexit.register(_report)
sys.argv = ["proprio", *sys.argv[1:]]
runpy.run_module("game", run_name="__main__", alter_sys=True)
"""


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:  # not on every system
        return "n/a"


def run_once(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system of the child) and the exit status of one run."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, child.returncode


def heavy_modules(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """The heavy libraries one ``proprio ARGS`` run loads (read from its sys.modules at exit)."""
    code = WRAPPER.format(heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)
    for line in done.stderr.splitlines():
        if line.startswith("HEAVY:"):
            return line[len("HEAVY:"):].replace(",", ", ") or "none"
    return f"? (exit {done.returncode}: {done.stderr.strip()[-200:]})"


def command_names(cwd: Path, env: dict[str, str]) -> list[str]:
    """The commands ``game.cli.COMMANDS`` of the checkout at ``cwd`` lists (each one's ``--help`` is timed)."""
    done = subprocess.run([sys.executable, "-c", "from game.cli import COMMANDS; print(' '.join(sorted(COMMANDS)))"],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"could not list the commands of {cwd}: {done.stderr.strip()[-300:]}")
    return done.stdout.split()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of each command (median; default 5)")
    parser.add_argument("--game-root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the checkout to measure (default: this one)")
    parser.add_argument("--before-root", type=Path,
                        help="another checkout whose sessions, levels check and commands' --help run beside (e.g. "
                             "the code before a change)")
    args = parser.parse_args(argv)
    root = args.game_root.resolve()
    before = args.before_root.resolve() if args.before_root else None
    for checkout in (root, before):
        if checkout is not None and not (checkout / "game" / "__main__.py").is_file():
            parser.error(f"{checkout} is not a Proprio checkout (no game/__main__.py)")
    sqlite_utils = Path(sys.executable).parent / "sqlite-utils"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(root), "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
               "PYGAME_HIDE_SUPPORT_PROMPT": "1", "XDG_DATA_HOME": tmp, "XDG_CONFIG_HOME": tmp}
        db = Path(tmp) / "p.db"
        made = subprocess.run([sys.executable, "-m", "game", "play", "still-pond", "--headless", "--input", "sim",
                               "--fast", "--duration", "2", "--seed", "1", "--player", "kid-07", "--db", str(db)],
                              cwd=root, env=env, capture_output=True, text=True, check=False)
        if made.returncode != 0:
            sys.exit(f"could not make the sessions database: {made.stderr.strip()}")
        proprio = [sys.executable, "-m", "game"]
        commands: list[tuple[str, list[str]]] = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("sqlite-utils --help", [str(sqlite_utils), "--help"]),
            ("proprio --help", [*proprio, "--help"]),
            ("proprio --version", [*proprio, "--version"]),
            ("proprio sessions", [*proprio, "sessions", "--db", str(db)]),
            ("proprio levels check levels/", [*proprio, "levels", "check", str(root / "levels")]),
        ]
        names = command_names(root, env)
        commands += [(f"proprio {name} --help", [*proprio, name, "--help"]) for name in names]
        where = {label: (root, env) for label, _ in commands}
        before_names: list[str] = []
        if before is not None:
            before_env = {**env, "PYTHONPATH": str(before)}
            before_names = command_names(before, before_env)
            for label, command in (("before: proprio sessions", [*proprio, "sessions", "--db", str(db)]),
                                   ("before: proprio levels check", [*proprio, "levels", "check",
                                                                     str(before / "levels")]),
                                   *((f"before: proprio {name} --help", [*proprio, name, "--help"])
                                     for name in before_names)):
                commands.append((label, command))
                where[label] = (before, before_env)
        print(f"Start-up of {root} (python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)),"
              f" {args.repeats} runs each, medians; load average before: {load_average()}")
        walls: dict[str, list[float]] = {label: [] for label, _ in commands}
        cpus: dict[str, list[float]] = {label: [] for label, _ in commands}
        failed: dict[str, int] = {}
        for label, command in commands:  # one warm-up each (file cache, .pyc)
            run_once(command, *where[label])
        for _ in range(args.repeats):  # interleaved, so a burst of load hits every command alike
            for label, command in commands:
                wall, cpu, code = run_once(command, *where[label])
                walls[label].append(wall)
                cpus[label].append(cpu)
                if code != 0:
                    failed[label] = code
        cpu_median = {label: statistics.median(values) for label, values in cpus.items()}
        base_py, base_su = cpu_median["python -c pass"], cpu_median["sqlite-utils --help"]
        print(f"\n{'command':32s} {'CPU s':>7s} {'(min-max)':>13s} {'wall s':>7s}  {'x python':>8s}"
              f"  {'x sqlite-utils --help':>21s}")
        for label, _ in commands:
            cpu, wall = cpu_median[label], statistics.median(walls[label])
            spread = f"({min(cpus[label]):.2f}-{max(cpus[label]):.2f})"
            note = f"  exit {failed[label]}" if label in failed else ""
            print(f"{label:32s} {cpu:7.3f} {spread:>13s} {wall:7.3f}  {cpu / base_py:8.1f}"
                  f"  {cpu / base_su:21.2f}{note}")
        print("\nTargets (CPU): --help, --version and every command's --help <= 0.5 x sqlite-utils --help;"
              " sessions and levels check <= 1 x.")
        print(f"\nEach command's --help, CPU s median (x sqlite-utils --help {base_su:.3f} s, same run):")
        print(f"  {'command':12s} {'now':>13s}" + (f"  {'before':>13s}  {'now / before':>12s}" if before else ""))
        over = []
        for name in names:
            now = cpu_median[f"proprio {name} --help"]
            if now > 0.5 * base_su:
                over.append(name)
            line = f"  {name:12s} {now:6.3f} ({now / base_su:4.2f}x)"
            if name in before_names:
                was = cpu_median[f"before: proprio {name} --help"]
                line += f"  {was:6.3f} ({was / base_su:4.2f}x)  {now / was:12.2f}"
            print(line)
        print(f"  over 0.5 x: {', '.join(over) or 'none'}")
        print("\nHeavy libraries loaded:")
        for label, extra in (("proprio --help", ["--help"]), ("proprio --version", ["--version"]),
                             ("proprio sessions", ["sessions", "--db", str(db)]),
                             ("proprio levels check", ["levels", "check", str(root / "levels")]),
                             *((f"proprio {name} --help", [name, "--help"]) for name in names)):
            print(f"  {label:26s} {heavy_modules(extra, root, env)}")
    print(f"\nLoad average after: {load_average()}")


if __name__ == "__main__":
    main()
