"""``proprio report``: its fixed cost (start-up, imports) and its cost per session, beside Python's own start-up.

Usage: python benchmarks/bench_report.py [--sessions N] [--seconds S] [--repeats R] [--played] [--no-imports]
                                          [--game-root PATH] [--against PATH]

Two databases are recorded by the game's own recorder: one player with 1 session, and with N
sessions (each S seconds of 120 Hz sway, no trials: the report draws no plot). With ``--played``
each session is Garden Balance played headless by the simulated player instead (balance trials, so
the report draws its trends, sway in degrees and sway paths: matplotlib's cost is in the fixed
part). ``proprio report`` runs as a child process on each (HTML and PDF); CPU medians over the
repeats (the child's CPU, from ``RUSAGE_CHILDREN``; wall beside).
Per session = (N sessions - 1 session) / (N - 1); fixed = 1 session - per session. Baselines in the
same run: ``python -c pass`` and ``python -c "import game.cli"`` (the interpreter and the command
line), and what importing each heavy library costs on its own in a fresh interpreter. ``--against
PATH`` runs the same reports with another checkout (e.g. a copy of the code before a change) in
the same repeats, interleaved, so both sides meet the same load; the databases are recorded once,
by the checkout measured.

With ``--played`` a floor is measured in the same repeats: matplotlib alone drawing the same three
pictures (``_bare_report_figures.py``: no Proprio code, no database), as its documentation writes
it and with every shortcut (docstring tables skipped, no layout engine); the report's CPU is
printed as a ratio to it.

Goal (issue 15): the report starts in under a second of CPU, plus its per-session work.
"""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import add_game_root_option, footer, header, interleaved, use_game_root  # noqa: E402

GAME_ROOT = use_game_root()

import numpy as np  # noqa: E402

from game.input.pose import Pose  # noqa: E402
from game.session import SessionStep  # noqa: E402
from telemetry.store.recorder import Recorder  # noqa: E402

STEP_HZ = 120
PLAYER = "bench-1"
#: Each imported alone. The measures' signal arithmetic is numpy's (telemetry.measures.dsp): importing scipy.signal
#: for it cost ~1.2 s of CPU, scipy.stats ~1.1 s, more than the rest of a report of one played session.
IMPORTS = ("numpy", "telemetry.measures.dsp", "matplotlib.figure", "matplotlib.backends.backend_pdf", "sqlite_utils",
           "telemetry.measures", "telemetry.report", "telemetry.report.html", "telemetry.report.pdf")
#: The floor's variants (``_bare_report_figures.py``): its command-line flags and what the line says.
FLOOR_FLAGS = {"bare": (), "bare-docs": ("--skip-docs",), "floor": ("--skip-docs", "--no-layout")}
FLOOR_LABELS = {"bare": "as matplotlib's docs write it (constrained layout, savefig)",
                "bare-docs": "the same, docstring tables skipped (telemetry.report.drawing)",
                "floor": "floor: docstring tables skipped, no layout engine (one draw)"}


def record(path: Path, sessions: int, seconds: float) -> None:
    """``sessions`` completed sessions of one player, each ``seconds`` of 120 Hz sway, through the recorder."""
    recorder = Recorder(path)
    rng = np.random.default_rng(sessions)
    for _ in range(sessions):
        recording = recorder.begin({"player_id": PLAYER, "level": "still-pond", "device": "sim",
                                    "step_hz": STEP_HZ, "seed": 1}, [])
        steps = int(seconds * STEP_HZ)
        x = np.cumsum(rng.normal(0, 0.01, steps)).tolist()
        y = np.cumsum(rng.normal(0, 0.01, steps)).tolist()
        for step in range(steps):
            t = step / STEP_HZ
            recording.step(SessionStep(step, t, Pose(t, x[step], y[step], 10 * x[step], 10 * y[step], "deg"),
                                       [], [], []))
        recording.finish({"status": "completed", "duration_s": seconds, "trials": 0}, {})
    recorder.close()


def play(path: Path, sessions: int, seconds: float) -> None:
    """``sessions`` sessions of Garden Balance played headless by the simulated player (balance trials)."""
    import os

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from game.play import Game, PlayOptions

    for seed in range(1, sessions + 1):
        Game(PlayOptions(level="garden-balance", player=PLAYER, input="sim:0.5", headless=True, fast=True,
                         duration_s=seconds, seed=seed, db_path=path, sound=False)).run()


def python(*args: str, root: Path = GAME_ROOT) -> None:
    """Run Python on ``args`` in a child process, in ``root`` (first on its path: that checkout's game runs)."""
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL, cwd=root)


def report(db: Path, out: Path, root: Path = GAME_ROOT) -> None:
    python("-c", "import sys; from game.cli import main; main(sys.argv[1:])", "report", "--player", PLAYER,
           "--out", str(out), "--db", str(db), root=root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-imports", action="store_true", help="skip timing each library's import on its own")
    parser.add_argument("--played", action="store_true",
                        help="sessions of Garden Balance played by the simulated player (plots drawn), not bare sway")
    add_game_root_option(parser)
    parser.add_argument("--against", type=Path, default=None,
                        help="also run the reports with this checkout, interleaved in the same repeats")
    args = parser.parse_args(argv)
    against = None if args.against is None else args.against.resolve()
    if against is not None and not (against / "telemetry").is_dir():
        parser.error(f"--against {against}: no telemetry/ folder there (give a Proprio checkout)")
    kind = "played Garden Balance sessions" if args.played else "sessions"
    header(f"proprio report: 1 and {args.sessions} {kind} of {args.seconds:g} s; child-process CPU medians of "
           f"{max(3, args.repeats)} repeats", GAME_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        one, many = folder / "one.db", folder / "many.db"
        make = play if args.played else record
        if args.played:  # the game's settings and progress go to the temporary folder, not the user's
            import os

            os.environ["PROPRIO_DATA_DIR"] = str(folder / "data")
            os.environ["PROPRIO_CONFIG_DIR"] = str(folder / "config")
        make(one, 1, args.seconds)
        make(many, args.sessions, args.seconds)
        steps: dict[str, Callable[[], object]] = {
            "pass": lambda: python("-c", "pass"),
            "cli": lambda: python("-c", "import game.cli"),
            "html1": lambda: report(one, folder / "one.html"),
            "htmlN": lambda: report(many, folder / "many.html"),
            "pdf1": lambda: report(one, folder / "one.pdf"),
            "pdfN": lambda: report(many, folder / "many.pdf"),
        }
        if against is not None:
            for key, db, out in (("html1", one, "one.html"), ("htmlN", many, "many.html"), ("pdf1", one, "one.pdf"),
                                 ("pdfN", many, "many.pdf")):
                steps["against " + key] = functools.partial(report, db, folder / ("against-" + out), against)
        if args.played:  # matplotlib alone, the same three pictures: the floor under the report's fixed cost
            bare = str(Path(__file__).resolve().parent / "_bare_report_figures.py")
            for key, flags in FLOOR_FLAGS.items():
                steps[key] = functools.partial(python, bare, *flags)
        imports = () if args.no_imports else IMPORTS
        for name in imports:
            steps[name] = functools.partial(python, "-c", f"import {name}")
        t = interleaved(steps, args.repeats, warmup=True)
    n = args.sessions
    print(f"\n  {'':52s} {'CPU s':>7s} {'wall s':>7s}")
    for key, label in (("pass", "python -c pass (baseline)"), ("cli", "python -c 'import game.cli' (baseline)")):
        print(f"  {label:52s} {t[key].cpu_s:7.3f} {t[key].wall_s:7.3f}")
    sides = [("", GAME_ROOT)] + ([("against ", against)] if against is not None else [])
    for prefix, root in sides:
        if against is not None:
            print(f"  {'--against' if prefix else 'measured'}: {root}")
        for key, label in (("html1", "proprio report, HTML, 1 session"),
                           ("htmlN", f"proprio report, HTML, {n} sessions"),
                           ("pdf1", "proprio report, PDF, 1 session"), ("pdfN", f"proprio report, PDF, {n} sessions")):
            print(f"  {label:52s} {t[prefix + key].cpu_s:7.3f} {t[prefix + key].wall_s:7.3f}")
        for fmt in ("html", "pdf"):
            per = (t[f"{prefix}{fmt}N"].cpu_s - t[f"{prefix}{fmt}1"].cpu_s) / (n - 1)
            fixed = t[f"{prefix}{fmt}1"].cpu_s - per
            print(f"  {fmt.upper():4s}: fixed {fixed:6.3f} s CPU ({fixed - t['cli'].cpu_s:6.3f} s above the command "
                  f"line's start-up), per session {1e3 * per:7.1f} ms CPU")
    if args.played:
        print("\n  matplotlib alone drawing the same three pictures (benchmarks/_bare_report_figures.py, no Proprio "
              "code):")
        for key, label in FLOOR_LABELS.items():
            print(f"    {label:60s} {t[key].cpu_s:7.3f} {t[key].wall_s:7.3f}")
        floor = t["floor"].cpu_s
        for prefix, _root in sides:
            side = f" ({'--against' if prefix else 'measured'})" if against is not None else ""
            print(f"  report{side}, 1 played session, / the floor: HTML {t[prefix + 'html1'].cpu_s / floor:5.2f}x, "
                  f"PDF {t[prefix + 'pdf1'].cpu_s / floor:5.2f}x; the floor is {floor:.3f} s CPU, "
                  f"{'above' if floor >= 1 else 'below'} the 1 s goal")
    if imports:
        print("\n  importing on its own in a fresh interpreter (CPU s above python -c pass):")
    for name in imports:
        print(f"    {name:48s} {t[name].cpu_s - t['pass'].cpu_s:7.3f}")
    footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
