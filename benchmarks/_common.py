"""What every benchmark prints, so figures from a busy machine can still be compared.

* CPU time beside wall time: ``time.process_time`` counts every thread of this process (a writer
  thread included) and ``resource.getrusage(RUSAGE_CHILDREN)`` adds finished child processes (the
  ``sqlite3`` shell of a baseline). CPU time barely moves when other programs share the cores;
  wall time does. Ratios are taken on CPU time.
* The load average at the start and at the end of the run (``os.getloadavg``).
* Medians over repeats, after one warm-up run.

``--game-root PATH`` (handled by :func:`use_game_root` before the project is imported) measures
another checkout of the game, for example the code before a change, with the same benchmark.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BDS_DIR = REPO.parent / "shared" / "data" / "bds"  # Santos & Duarte's Balance Data Set, beside the project


def add_bds_argument(parser: object) -> None:
    """The optional positional folder of Balance Data Set trials (``BDS_DIR`` by default)."""
    parser.add_argument("bds_dir", nargs="?", type=Path, default=BDS_DIR)  # type: ignore[attr-defined]


def bds_trials(folder: Path) -> list[Path]:
    """The trial files of ``folder`` (not ``BDSinfoCOP.txt``); empty, with a line on stderr, if there are none."""
    files = sorted(folder.glob("BDS[0-9]*.txt"))
    if not files:
        print(f"no BDS*.txt trials in {folder}", file=sys.stderr)
    return files


def use_game_root(argv: list[str] | None = None) -> Path:
    """Put the game to measure first on ``sys.path``: ``--game-root PATH`` if given, else this checkout.

    Call it before importing ``game`` or ``telemetry``; the option is left in ``argv`` for argparse
    (add it with :func:`add_game_root_option`).
    """
    args = sys.argv[1:] if argv is None else argv
    root = REPO
    for i, arg in enumerate(args):
        if arg == "--game-root" and i + 1 < len(args):
            root = Path(args[i + 1]).resolve()
        elif arg.startswith("--game-root="):
            root = Path(arg.split("=", 1)[1]).resolve()
    if not (root / "telemetry").is_dir():
        raise SystemExit(f"--game-root {root}: no telemetry/ folder there (give a Proprio checkout)")
    sys.path.insert(0, str(root))
    return root


def add_game_root_option(parser: object) -> None:
    """Add ``--game-root`` to an argparse parser (already applied by :func:`use_game_root`)."""
    parser.add_argument("--game-root", type=Path, default=REPO,  # type: ignore[attr-defined]
                        help="measure the game in this checkout (default: this one)")


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, and the number of cores."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def header(title: str, game_root: Path | None = None) -> None:
    """The first lines of a benchmark's output: what ran, where, and how busy the machine was."""
    print(title)
    where = f"; game at {game_root}" if game_root is not None and game_root != REPO else ""
    print(f"Python {platform.python_version()} on {platform.machine()}; {load_average()} at the start{where}")


def footer() -> None:
    """The last line: the load average at the end (a figure from a busy run says so)."""
    print(f"({load_average()} at the end)")


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Timing:
    """Median wall and CPU seconds of one step over its repeats."""

    wall_s: float
    cpu_s: float
    repeats: int

    def per(self, count: float) -> Timing:
        """The same timing divided by ``count`` (per trial, per row)."""
        return Timing(self.wall_s / count, self.cpu_s / count, self.repeats)

    def ratio(self, baseline: Timing) -> float:
        """This step's CPU time over the baseline's."""
        return self.cpu_s / baseline.cpu_s if baseline.cpu_s > 0 else float("nan")

    def wall_ratio(self, baseline: Timing) -> float:
        """This step's wall time over the baseline's."""
        return self.wall_s / baseline.wall_s if baseline.wall_s > 0 else float("nan")

    def ms(self) -> str:
        """``cpu 12.3 ms  wall 12.9 ms``."""
        return f"cpu {1e3 * self.cpu_s:9.3f} ms  wall {1e3 * self.wall_s:9.3f} ms"

    def s(self) -> str:
        """``cpu 1.23 s  wall 1.29 s``."""
        return f"cpu {self.cpu_s:7.3f} s  wall {self.wall_s:7.3f} s"


def once(step: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``step`` (CPU includes child processes it waited for)."""
    cpu0, child0, wall0 = time.process_time(), _children_cpu_s(), time.perf_counter()
    step()
    wall = time.perf_counter() - wall0
    return wall, (time.process_time() - cpu0) + (_children_cpu_s() - child0)


def measure(step: Callable[[], object], repeats: int = 3, warmup: bool = True) -> Timing:
    """Median wall and CPU seconds of ``step`` over ``repeats`` runs (at least 3), after a warm-up run."""
    repeats = max(3, repeats)
    if warmup:
        step()
    runs = [once(step) for _ in range(repeats)]
    return Timing(statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs), repeats)


def interleaved(steps: dict[str, Callable[[], object]], repeats: int = 3, warmup: bool = True) -> dict[str, Timing]:
    """Like :func:`measure` for several steps, run in turn in each repeat, so a burst of load hits them alike."""
    repeats = max(3, repeats)
    if warmup:
        for step in steps.values():
            step()
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            runs[name].append(once(step))
    return {name: Timing(statistics.median(w for w, _ in r), statistics.median(c for _, c in r), repeats)
            for name, r in runs.items()}


def run_reported(main: Callable[[], int | None], title: str | None = None) -> int | None:
    """Run a benchmark's ``main`` between a header and a footer, with the whole run's CPU and wall time.

    For the benchmarks whose own figures are counts or wall-clock latencies: the load average
    and the CPU time say how busy the machine was while they were taken.
    """
    header(title or (sys.modules["__main__"].__doc__ or "benchmark").strip().splitlines()[0])
    cpu0, child0, wall0 = time.process_time(), _children_cpu_s(), time.perf_counter()
    try:
        return main()
    finally:
        wall = time.perf_counter() - wall0
        cpu = (time.process_time() - cpu0) + (_children_cpu_s() - child0)
        print(f"(the whole run: cpu {cpu:.2f} s, wall {wall:.2f} s)")
        footer()
