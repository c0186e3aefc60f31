"""Save the title, results and sticker-book screens as a returning player sees them: docs/images/*.png.

Everything is real: a fresh SQLite file gets two earlier games (simulated players, headless), a
display name ("Sam") for kid-07, then the real game runs through its title screen, a level and
its results with a ``Pilot`` on the 2D view, saving each screen as it is drawn. Both sizes the
game promises to fit are saved: 1280x720 (title.png, results.png, collection.png) and 800x600
(title-800x600.png, ...).

Run:  python tools/screenshots_menus.py [--out docs/images] [--day 2026-11-30]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from game.actions import UiAction  # noqa: E402
from game.play import Game, PlayOptions  # noqa: E402
from game.play.clock import ManualClock  # noqa: E402
from game.play.pilot import Pilot  # noqa: E402
from game.views.pygame_view import PygameView  # noqa: E402
from telemetry.store.database import open_db  # noqa: E402
from telemetry.store.players import set_identity  # noqa: E402

SIZES = {"": (1280, 720), "-800x600": (800, 600)}


def earlier_games(db_path: Path) -> None:
    """Two games kid-07 played before: a weak try of Garden Balance and a good Space Reach."""
    for level, skill in (("garden-balance", 0.2), ("space-reach", 0.9)):
        Game(PlayOptions(level=level, input=f"sim:{skill}", player="kid-07", headless=True, fast=True, seed=4,
                         db_path=db_path, sound=False)).run()
    db = open_db(db_path)
    set_identity(db, "kid-07", display_name="Sam")
    db.close()


def shoot(db_path: Path, out: Path, suffix: str, size: tuple[int, int], day: date) -> list[Path]:
    """Title, then Garden Balance played well, its results, the title again and the sticker book."""
    saved: list[Path] = []
    view = PygameView(size, sound=False)
    pilot = Pilot(view)
    state = {"results_at": 0, "book_at": 0}

    def save(name: str) -> None:
        path = out / f"{name}{suffix}.png"
        view.screenshot(path)
        saved.append(path)

    def step(frame: int) -> None:  # runs before each poll: the previous frame is on screen
        script: dict[int, list[UiAction]] = {}
        if frame == 3:
            save("title-before")
            script[frame] = ["right", "confirm"]  # the level named on the command line is the first game row
        elif pilot.last_results is not None and not state["results_at"]:
            state["results_at"] = frame
        elif state["results_at"] and frame == state["results_at"] + 2:
            save("results")
            script[frame] = ["back"]  # to the title
        elif state["results_at"] and frame == state["results_at"] + 5:
            save("title")
            script[frame] = ["up", "up", "confirm"]  # the row above "Calibrate": the sticker book
            state["book_at"] = frame
        elif state["book_at"] and frame == state["book_at"] + 2:
            save("collection")
            script[frame] = ["quit"]
        pilot.script = script

    pilot.each_poll = step
    Game(PlayOptions(level="garden-balance", input="sim:0.95", player="kid-07", seed=4, db_path=db_path,
                     sound=False), view=pilot, clock=ManualClock(), day=lambda: day).run()
    (out / f"title-before{suffix}.png").unlink(missing_ok=True)  # only a check that the title came first
    return [p for p in saved if p.exists()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    parser.add_argument("--day", type=date.fromisoformat, default=date.today(),
                        help="the day the weekly goal counts from (the games are stored as played today)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PROPRIO_CONFIG_DIR"] = tmp  # the remembered players stay in here, not in your settings
        db_path = Path(tmp) / "shots.db"
        earlier_games(db_path)
        for suffix, size in SIZES.items():
            copy = Path(tmp) / f"shots-{size[0]}x{size[1]}.db"  # each size starts from the same two earlier games
            shutil.copyfile(db_path, copy)
            for path in shoot(copy, args.out, suffix, size, args.day):
                print(path)


if __name__ == "__main__":
    main()
