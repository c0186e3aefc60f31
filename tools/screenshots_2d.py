"""Save a 2D screenshot of every shipped level at an interesting moment: docs/images/levels/2d-<level>.png.

Run:  python tools/screenshots_2d.py [--out docs/images/levels] [--size 1280x720] [--levels a,b] [--moment trial]

Each level is played by the simulated player with a fixed seed (so the pictures are the same
from run to run) until a trial has been going for a while, with items on the field where the
level has them; that frame is drawn by the real 2D view (SDL's dummy driver, no window) and
saved. ``--moment feedback`` catches the second after a trial instead (the success burst or
the gentle miss), ``--moment intro`` the countdown.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.core.snapshot import Frame, Snapshot  # noqa: E402
from game.input import open_source  # noqa: E402
from game.level.loader import load_level, shipped_levels  # noqa: E402
from game.session import start_session, step_from  # noqa: E402
from game.views.pygame_view import PygameView  # noqa: E402
from tools.screenshot_moments import LONGEST_S, STEP_HZ, interesting, item_score  # noqa: E402


def capture(view: PygameView, path: Path, out: Path, moment: str, seed: int) -> Path:
    """Play ``path`` with the simulated player until an interesting moment and save that frame."""
    level = load_level(path).level
    session = start_session(level, seed)
    source = open_source("sim", seed)
    try:
        prev = snap = session.snapshot()
        best: tuple[tuple[int, int], Snapshot, Snapshot] | None = None  # the best trial frame, if none is ideal
        phase_steps = 0
        for _ in range(int(LONGEST_S * STEP_HZ)):
            if session.phase == "ended":
                break
            step_from(session, source)
            prev, snap = snap, session.snapshot()
            phase_steps = phase_steps + 1 if (snap.phase, snap.trial) == (prev.phase, prev.trial) else 0
            if interesting(snap, phase_steps, moment):
                best = None
                break
            if snap.phase == "trial" and phase_steps > STEP_HZ and (best is None or item_score(snap) > best[0]):
                best = (item_score(snap), prev, snap)
    finally:
        source.close()
    if best is not None:
        _, prev, snap = best
    view.draw_play(Frame(prev, snap, 1.0))
    view.present()
    target = out / f"2d-{path.name.removesuffix('.toml')}.png"
    view.screenshot(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "levels")
    parser.add_argument("--size", default="1280x720", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--levels", default="", help="comma-separated level names (default: every shipped level)")
    parser.add_argument("--moment", choices=("trial", "feedback", "intro"), default="trial")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size must look like 1280x720, not {args.size!r}")
    if width < 800 or height < 600:
        parser.error("--size must be at least 800x600")
    wanted = {name for name in args.levels.split(",") if name}
    paths = [p for p in shipped_levels() if not wanted or p.name.removesuffix(".toml") in wanted]
    if wanted and len(paths) != len(wanted):
        known = ", ".join(p.name.removesuffix(".toml") for p in shipped_levels())
        parser.error(f"unknown level in --levels; shipped levels: {known}")
    view = PygameView((width, height), sound=False)
    try:
        for path in paths:
            print(capture(view, path, args.out, args.moment, args.seed))
    finally:
        view.close()


if __name__ == "__main__":
    main()
