"""Frame time of Proprio's 2D loop beside a bare pygame loop, and the --fast speed-up.

Run: python benchmarks/bench_loop.py [--seconds 30] [--repeats 3]

Prints, for a 1280x720 headless (SDL dummy driver) session:
* frame time p50/p99 of a bare pygame fill-and-flip loop (the baseline);
* frame time p50/p99 of Proprio's loop (simulation + telemetry hand-off + drawing), and
  the ratio to the baseline; the share of a 60 Hz frame (16.7 ms) that p99 uses;
* how many times faster than real time a --fast --headless --input sim session runs.
Medians over repeats: this machine is noisy, read the ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from game.play import Game, PlayOptions  # noqa: E402

BUDGET_MS = 1000 / 60


def bare_loop(frames: int) -> list[float]:
    """The baseline: clear a 1280x720 window and flip it, nothing else."""
    pygame.display.init()
    screen = pygame.display.set_mode((1280, 720))
    times = []
    for i in range(frames):
        start = time.perf_counter()
        pygame.event.pump()
        screen.fill((14, 38, 30) if i % 2 else (8, 12, 38))
        pygame.display.flip()
        times.append((time.perf_counter() - start) * 1000)
    pygame.display.quit()
    return times


def proprio_session(seconds: float, seed: int) -> tuple[list[float], float]:
    """One headless --fast sim session: per-frame work times and the wall time it took."""
    with tempfile.TemporaryDirectory() as folder:
        options = PlayOptions(input="sim", headless=True, fast=True, seed=seed, duration_s=seconds,
                              db_path=Path(folder) / "bench.db")
        runner = Game(options)
        start = time.perf_counter()
        summary = runner.run()
        wall = time.perf_counter() - start
    return summary.frame_ms, wall


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="simulated seconds per session")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    frames = int(args.seconds * 60)
    rows = []
    for repeat in range(args.repeats):
        bare = bare_loop(frames)
        ours, wall = proprio_session(args.seconds, seed=repeat)
        rows.append({
            "bare_p50": pct(bare, 50), "bare_p99": pct(bare, 99),
            "ours_p50": pct(ours, 50), "ours_p99": pct(ours, 99),
            "speedup": args.seconds / wall,
        })
    med = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
    print(f"1280x720 headless, {args.seconds:.0f} s sessions ({frames} frames at a nominal 60 Hz), "
          f"{args.repeats} repeats, medians:")
    print(f"  bare pygame fill+flip   p50 {med['bare_p50']:.3f} ms   p99 {med['bare_p99']:.3f} ms")
    print(f"  proprio 2D loop         p50 {med['ours_p50']:.3f} ms   p99 {med['ours_p99']:.3f} ms")
    print(f"  ratio proprio / bare    p50 {med['ours_p50'] / med['bare_p50']:.1f}x   "
          f"p99 {med['ours_p99'] / med['bare_p99']:.1f}x")
    print(f"  60 Hz budget used       p50 {med['ours_p50'] / BUDGET_MS:.0%}   p99 {med['ours_p99'] / BUDGET_MS:.0%} "
          f"of {BUDGET_MS:.1f} ms")
    print(f"  --fast session speed    {med['speedup']:.1f}x real time "
          f"(per repeat: {', '.join(format(r['speedup'], '.1f') for r in rows)})")


if __name__ == "__main__":
    main()
