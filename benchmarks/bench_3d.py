"""Frame time of the 3D view at 1280x720 offscreen, split into simulation, scene update and render.

Run: python benchmarks/bench_3d.py [--frames 600] [--repeats 3] [--levels garden-balance,space-reach,moon-maze]

Prints, per level and for the VR preview (stereo pair), p50/p99 of:
* simulation: two 120 Hz steps per 60 Hz frame (sim player, session, snapshot);
* scene update: ``draw_play`` (pose the board, targets, items, HUD);
* render: ``present`` (one task-manager step: events, cull, draw, here on Mesa llvmpipe);
beside an empty panda3d scene (clear and render only) measured in the same run, and the
share of a 90 Hz VR frame (11.1 ms) that the Python side (simulation + scene update) uses.
Every frame ends with glFinish (prc ``gl-finish``) so render times include the drawing. On
this machine the GPU is the CPU (llvmpipe), so "render" is far slower than on any headset's
PC; the Python share is what carries over. Medians over repeats: read the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from panda3d.core import loadPrcFileData  # noqa: E402

from game.core.snapshot import Frame  # noqa: E402
from game.input import open_source  # noqa: E402
from game.level.loader import load_plan  # noqa: E402
from game.session import Session, scalers_for  # noqa: E402
from game.views.p3d_app import close_showbase, open_showbase  # noqa: E402
from game.views.panda3d_view import Panda3dView  # noqa: E402

# Wait for the GL driver to finish each frame, or "render" would time only the hand-off of
# commands (llvmpipe renders in its own threads).
loadPrcFileData("bench_3d", "gl-finish #t")

VR_BUDGET_MS = 1000 / 90
STEPS_PER_FRAME = 2  # 120 Hz simulation under a 60 Hz frame


def pct(values: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    a = np.array(values)
    return float(np.percentile(a, 50)), float(np.percentile(a, 99))


def empty_scene(frames: int) -> list[float]:
    """The baseline: an empty panda3d scene, offscreen 1280x720, one task-manager step a frame."""
    base = open_showbase(offscreen=True, size=(1280, 720))
    try:
        for _ in range(30):
            base.taskMgr.step()
        times = []
        for _ in range(frames):
            t0 = time.perf_counter()
            base.taskMgr.step()
            times.append((time.perf_counter() - t0) * 1000)
        return times
    finally:
        close_showbase(base)


def play(level: str, frames: int, mode: str = "3d", seed: int = 3) -> dict[str, list[float]]:
    """A sim player on ``level``: per frame, time the simulation, the scene update and the render."""
    loaded = load_plan(level)[0]
    session = Session(loaded.level, seed, scalers_for(loaded.level, {}))
    source = open_source("sim:0.7", seed)
    view = Panda3dView(offscreen=True, sound=False, mode=mode)
    out: dict[str, list[float]] = {"simulation": [], "scene update": [], "render": []}
    try:
        prev = curr = session.snapshot()
        for i in range(frames + 30):
            t0 = time.perf_counter()
            for _ in range(STEPS_PER_FRAME):
                source.observe(curr)
                session.advance(source.poll(session.t_s))
                prev, curr = curr, session.snapshot()
            t1 = time.perf_counter()
            view.draw_play(Frame(prev, curr, 0.5))
            t2 = time.perf_counter()
            view.present()
            t3 = time.perf_counter()
            if i >= 30:  # skip the first frames (driver warm-up)
                out["simulation"].append((t1 - t0) * 1000)
                out["scene update"].append((t2 - t1) * 1000)
                out["render"].append((t3 - t2) * 1000)
            if session.finished:
                session = Session(loaded.level, seed + i, scalers_for(loaded.level, {}))
                prev = curr = session.snapshot()
    finally:
        view.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--levels", default="garden-balance,space-reach,moon-maze,asteroid-dodge")
    args = parser.parse_args()
    levels = [name for name in args.levels.split(",") if name]

    rows: dict[str, dict[str, list[tuple[float, float]]]] = {}
    baseline: list[tuple[float, float]] = []
    for _ in range(args.repeats):
        baseline.append(pct(empty_scene(args.frames)))
        for level in levels:
            for label, figures in play(level, args.frames).items():
                rows.setdefault(level, {}).setdefault(label, []).append(pct(figures))
        for label, figures in play(levels[0], args.frames, mode="vr-preview").items():
            rows.setdefault(f"{levels[0]} (VR preview, stereo)", {}).setdefault(label, []).append(pct(figures))

    def med(pairs):
        return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)

    b50, b99 = med(baseline)
    print(f"3D view, 1280x720 offscreen (Mesa llvmpipe), {args.frames} frames x {args.repeats} repeats, medians")
    print(f"  empty panda3d scene      render p50 {b50:6.2f} ms  p99 {b99:6.2f} ms   (baseline)")
    for name, parts in rows.items():
        print(f"  {name}")
        total50 = 0.0
        for label in ("simulation", "scene update", "render"):
            p50, p99 = med(parts[label])
            total50 += p50
            ratio = f"   {p50 / b50:5.1f}x empty" if label == "render" and b50 > 0 else ""
            print(f"    {label:<14} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms{ratio}")
        py50 = med(parts["simulation"])[0] + med(parts["scene update"])[0]
        py99 = med(parts["simulation"])[1] + med(parts["scene update"])[1]
        print(f"    frame total    p50 {total50:6.2f} ms")
        print(f"    Python side (simulation + scene update): p50 {py50:.2f} ms = {py50 / VR_BUDGET_MS:.0%}"
              f" of the 11.1 ms VR frame, p99 {py99:.2f} ms = {py99 / VR_BUDGET_MS:.0%}")


if __name__ == "__main__":
    main()
