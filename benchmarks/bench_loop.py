"""Frame cost of Proprio's 2D view on every shipped level, beside a bare pygame loop measured in the same run.

Run: python benchmarks/bench_loop.py [--seconds 20] [--repeats 3] [--levels a,b] [--game-root PATH]

For each shipped level (levels/*.toml, playlists left out) a headless --fast session with the
simulated player is played through the real loop at 1280x720 (SDL dummy driver). The view is
wrapped so that each frame's drawing is timed: from the first draw call of a frame to the end of
``present()`` (draw + present, what the view costs; simulation and telemetry are left out). Printed:

* the bare loop: clear a 1280x720 window and flip it (the baseline the target is a ratio to);
* per level: draw+present p50 and p99 (wall), the same frame's CPU time (this thread's),
  and the ratios to the bare loop's p50 and p99 (target: at most 3x, p99 included);
* the whole loop (simulation + telemetry hand-off + drawing) p50/p99 and how many times faster
  than real time a --fast --headless session runs (the first level, as before);
* the load average before and after, because this machine is shared.

Medians over repeats; the bare loop is re-measured in every repeat so ratios compare like with like.
``--game-root`` measures another checkout (for example ``git archive <commit> | tar -x -C /tmp/old``)
with this same harness, for a before/after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"

BUDGET_MS = 1000 / 60
SIZE = (1280, 720)


def _load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:  # not on every system
        return "n/a"


def pct(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.array(values), q)) if values else float("nan")


def bare_loop(frames: int) -> tuple[list[float], list[float]]:
    """The baseline: clear a 1280x720 window and flip it, nothing else (wall and CPU ms per frame)."""
    import pygame

    pygame.display.init()
    screen = pygame.display.set_mode(SIZE)
    wall, cpu = [], []
    for i in range(frames):
        start, start_cpu = time.perf_counter(), time.thread_time()
        pygame.event.pump()
        screen.fill((14, 38, 30) if i % 2 else (8, 12, 38))
        pygame.display.flip()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    pygame.display.quit()
    return wall, cpu


class TimedView:
    """Wraps a real view: times each frame from its first ``draw_*`` call to the end of ``present()``."""

    def __init__(self, view: Any) -> None:
        self._view = view
        self._start: tuple[float, float] | None = None
        self.wall_ms: list[float] = []
        self.cpu_ms: list[float] = []

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._view, name)
        if name.startswith("draw_") and callable(attr):
            def timed(*args: Any, **kwargs: Any) -> Any:
                if self._start is None:
                    self._start = (time.perf_counter(), time.thread_time())
                return attr(*args, **kwargs)
            return timed
        return attr

    def present(self) -> None:
        self._view.present()
        if self._start is not None:
            self.wall_ms.append((time.perf_counter() - self._start[0]) * 1000)
            self.cpu_ms.append((time.thread_time() - self._start[1]) * 1000)
            self._start = None


def play_level(level: str, seconds: float, seed: int) -> tuple[TimedView, list[float], float]:
    """One headless --fast sim session of ``level``: the timed view, whole-frame times and wall seconds."""
    from game.play import Game, PlayOptions
    from game.views.pygame_view import PygameView

    with tempfile.TemporaryDirectory() as folder:
        options = PlayOptions(level=level, input="sim", headless=True, fast=True, seed=seed, duration_s=seconds,
                              db_path=Path(folder) / "bench.db", sound=False)
        view = TimedView(PygameView(SIZE, sound=False))
        runner = Game(options, view=view)  # type: ignore[arg-type]
        start = time.perf_counter()
        summary = runner.run()
        wall = time.perf_counter() - start
    return view, list(summary.frame_ms), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="simulated seconds per level")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--levels", default="", help="comma-separated level names (default: every shipped level)")
    parser.add_argument("--game-root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the checkout to measure (default: this one)")
    args = parser.parse_args()
    root = args.game_root.resolve()
    if not (root / "game" / "views" / "pygame_view.py").is_file():
        parser.error(f"{root} is not a Proprio checkout (no game/views/pygame_view.py)")
    sys.path.insert(0, str(root))
    os.chdir(root)
    names = [n for n in args.levels.split(",") if n] or sorted(
        p.stem for p in (root / "levels").glob("*.toml") if not p.name.endswith(".playlist.toml"))
    frames = int(args.seconds * 60)
    load_before = _load_average()
    bare: list[dict[str, float]] = []
    per_level: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    whole: list[dict[str, float]] = []
    for repeat in range(args.repeats):
        wall, cpu = bare_loop(frames)
        bare.append({"p50": pct(wall, 50), "p99": pct(wall, 99), "cpu50": pct(cpu, 50), "cpu99": pct(cpu, 99)})
        for index, name in enumerate(names):
            view, frame_ms, seconds = play_level(name, args.seconds, seed=repeat)
            per_level[name].append({"p50": pct(view.wall_ms, 50), "p99": pct(view.wall_ms, 99),
                                    "cpu50": pct(view.cpu_ms, 50), "cpu99": pct(view.cpu_ms, 99)})
            if index == 0:
                whole.append({"p50": pct(frame_ms, 50), "p99": pct(frame_ms, 99), "speed": args.seconds / seconds})

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    b50, b99, c50, c99 = med(bare, "p50"), med(bare, "p99"), med(bare, "cpu50"), med(bare, "cpu99")
    print(f"checkout {root}")
    print(f"{SIZE[0]}x{SIZE[1]} headless, {args.seconds:g} s per level ({frames} frames at a nominal 60 Hz), "
          f"{args.repeats} repeats, medians; load average before {load_before}")
    print(f"  bare pygame fill+flip        p50 {b50:6.3f} ms  p99 {b99:6.3f} ms  "
          f"cpu p50 {c50:6.3f} ms  cpu p99 {c99:6.3f} ms")
    print(f"  {'level (draw + present)':24} {'p50 ms':>7} {'p99 ms':>7} {'cpu50':>7} {'cpu99':>7} "
          f"{'p50/bare':>9} {'p99/bare':>9} {'cpu50/bare':>11} {'cpu99/bare':>11}")
    worst_wall = worst_cpu = 0.0
    for name in names:
        rows = per_level[name]
        p50, p99, q50, q99 = med(rows, "p50"), med(rows, "p99"), med(rows, "cpu50"), med(rows, "cpu99")
        worst_wall = max(worst_wall, p50 / b50, p99 / b99)
        worst_cpu = max(worst_cpu, q50 / c50, q99 / c99)
        print(f"  {name:24} {p50:7.3f} {p99:7.3f} {q50:7.3f} {q99:7.3f} "
              f"{p50 / b50:8.1f}x {p99 / b99:8.1f}x {q50 / c50:10.1f}x {q99 / c99:10.1f}x")
    print(f"  worst ratio to the bare loop: wall {worst_wall:.1f}x, cpu {worst_cpu:.1f}x (target: at most 3x)")
    print(f"  whole loop on {names[0]} (simulation + telemetry + drawing): p50 {med(whole, 'p50'):.3f} ms, "
          f"p99 {med(whole, 'p99'):.3f} ms, {med(whole, 'p99') / BUDGET_MS:.0%} of a 60 Hz frame at p99; "
          f"--fast runs {med(whole, 'speed'):.1f}x real time")
    print(f"  load average after {_load_average()}")


if __name__ == "__main__":
    main()
