"""Save a 3D screenshot of every shipped level at an interesting moment: docs/images/levels/3d-<level>.png.

Run:  python tools/screenshots_3d.py [--out docs/images/levels] [--levels a,b] [--moment trial] [--seed 7]

Each level is played by the simulated player with a fixed seed (the same pictures from run to
run) until a trial has been going for a while, with items on the board where the level has
them; the last second of frames before that moment is posed in the real 3D view (offscreen,
1280x720, so the pictures turn the way they move and the animation is mid-motion) and the
frame is saved. ``--moment feedback`` catches a quarter second after a success (the burst of
sparks), ``--moment intro`` the countdown. Needs OpenGL (Mesa's llvmpipe is enough).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import deque
from pathlib import Path

os.environ.setdefault("PROPRIO_MUSIC", "0")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.core.snapshot import Frame, Snapshot  # noqa: E402
from game.errors import ProprioError  # noqa: E402
from game.input import open_source  # noqa: E402
from game.level.loader import load_level, shipped_levels  # noqa: E402
from game.session import start_session, step_from  # noqa: E402
from game.views.panda3d_view import Panda3dView  # noqa: E402
from tools.screenshot_moments import LONGEST_S, STEP_HZ, interesting, item_score  # noqa: E402

LEAD_IN = 60  # steps posed before the shot (half a second at 120 Hz), drawn every other step


def capture(view: Panda3dView, path: Path, out: Path, moment: str, seed: int) -> Path:
    """Play ``path`` with the simulated player until an interesting moment and save that frame."""
    level = load_level(path).level
    session = start_session(level, seed)
    source = open_source("sim", seed)
    recent: deque[Snapshot] = deque(maxlen=LEAD_IN + 1)
    best: tuple[tuple[int, int], list[Snapshot]] | None = None
    try:
        snap = session.snapshot()
        recent.append(snap)
        phase_steps = 0
        for _ in range(int(LONGEST_S * STEP_HZ)):
            if session.phase == "ended":
                break
            step_from(session, source)
            prev, snap = snap, session.snapshot()
            recent.append(snap)
            phase_steps = phase_steps + 1 if (snap.phase, snap.trial) == (prev.phase, prev.trial) else 0
            if interesting(snap, phase_steps, moment):
                best = None
                break
            if snap.phase == "trial" and phase_steps > STEP_HZ and (best is None or item_score(snap) > best[0]):
                best = (item_score(snap), list(recent))
    finally:
        source.close()
    frames = best[1] if best is not None else list(recent)
    for before, after in zip(frames[:-2:2], frames[2::2], strict=False):  # the lead-in: turning, flapping
        view.scene.update(Frame(before, after, 1.0))
    view.draw_play(Frame(frames[-2] if len(frames) > 1 else frames[-1], frames[-1], 1.0))
    view.present()
    target = out / f"3d-{path.name.removesuffix('.toml')}.png"
    view.screenshot(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "levels")
    parser.add_argument("--levels", default="", help="comma-separated level names (default: every shipped level)")
    parser.add_argument("--moment", choices=("trial", "feedback", "intro"), default="trial")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    wanted = {name for name in args.levels.split(",") if name}
    paths = [p for p in shipped_levels() if not wanted or p.name.removesuffix(".toml") in wanted]
    if wanted and len(paths) != len(wanted):
        known = ", ".join(p.name.removesuffix(".toml") for p in shipped_levels())
        parser.error(f"unknown level in --levels; shipped levels: {known}")
    try:
        view = Panda3dView(offscreen=True, sound=False)
    except ProprioError as exc:
        raise SystemExit(f"Error: {exc}") from None
    failed = 0
    try:
        for path in paths:
            try:
                print(capture(view, path, args.out, args.moment, args.seed))
            except ProprioError as exc:  # a level that does not load: say which, take the others
                failed += 1
                print(f"{path.name}: skipped ({str(exc).splitlines()[0]})", file=sys.stderr)
    finally:
        view.close()
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
