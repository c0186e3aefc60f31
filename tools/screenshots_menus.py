"""Save the title, results and sticker-book screens as a returning player sees them: docs/images/*.png.

Everything is real: a fresh SQLite file gets two earlier games (simulated players, headless), a
display name ("Sam") for kid-07, then the real game runs through its title screen, a level and
its results with a ``Pilot`` on the 2D view, saving each screen as it is drawn. Both sizes the
game promises to fit are saved: 1280x720 (title.png, results.png, collection.png) and 800x600
(title-800x600.png, ...).

With ``--plan``, a plan is prescribed for kid-07 too and the title's goal and the check-ins before
and after a game are saved (title-plan, checkin-before, checkin-after, checkin-effort, title-plan-after).

Run:  python tools/screenshots_menus.py [--out docs/images] [--day 2026-11-30] [--plan]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from game.actions import UiAction  # noqa: E402
from game.checkin import QUESTIONS  # noqa: E402
from game.play import Game, PlayOptions  # noqa: E402
from game.play.clock import ManualClock  # noqa: E402
from game.play.pilot import Pilot  # noqa: E402
from game.views.pygame_view import PygameView  # noqa: E402
from telemetry.store.clinic import set_plan  # noqa: E402
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


def shoot_plan(db_path: Path, out: Path, suffix: str, size: tuple[int, int], day: date) -> list[Path]:
    """With a prescribed plan: the title's goal, the check-in before the game, the two after it, the title again."""
    db = open_db(db_path)
    set_plan(db, "kid-07", sessions_per_week=3, minutes_per_session=15, start_date=day - timedelta(days=2), weeks=6,
             levels=["garden-balance", "still-pond"])
    db.close()
    saved: list[Path] = []
    view = PygameView(size, sound=False)
    pilot = Pilot(view)
    seen: dict[str, int | str] = {}

    def save(name: str) -> None:
        path = out / f"{name}{suffix}.png"
        view.screenshot(path)
        saved.append(path)

    def step(frame: int) -> None:  # runs before each poll: the previous frame is on screen
        script: dict[int, list[UiAction]] = {}
        last = pilot.drawn[-1] if pilot.drawn else None
        key = "" if last is None else f"{last.what}:{last.text}"
        if key != seen.get("now"):  # a new screen: count its frames from here
            seen["now"], seen["first"] = key, frame
        first = int(seen["first"])
        if frame == 3:
            save("title-plan")
            script[frame] = ["right", "confirm"]  # the plan's first level heads the game rows
        elif last is not None and last.what == "message" and frame == first + 2:
            ask = {QUESTIONS[k].ask: k for k in QUESTIONS}.get(last.text, "")
            moves: dict[str, list[UiAction]] = {"pain_before": ["right", "right"], "pain_after": ["right"],
                                                "effort": ["right"] * 5}
            script[frame] = moves.get(ask, [])
        elif last is not None and last.what == "message" and frame == first + 4:
            ask = {QUESTIONS[k].ask: k for k in QUESTIONS}.get(last.text, "")
            save({"pain_before": "checkin-before", "pain_after": "checkin-after"}.get(ask, "checkin-effort"))
            script[frame] = ["confirm"]
        elif last is not None and last.what == "results" and frame == first + 2:
            script[frame] = ["back"]
        elif last is not None and last.what == "title" and frame == first + 2 and len(saved) >= 4:
            save("title-plan-after")
            script[frame] = ["quit"]
        elif frame > 20000:
            script[frame] = ["quit"]
        pilot.script = script

    pilot.each_poll = step
    Game(PlayOptions(input="sim:0.95", player="kid-07", seed=4, db_path=db_path, sound=False), view=pilot,
         clock=ManualClock(), day=lambda: day).run()
    return [p for p in saved if p.exists()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    parser.add_argument("--day", type=date.fromisoformat, default=date.today(),
                        help="the day the weekly goal counts from (the games are stored as played today)")
    parser.add_argument("--plan", action="store_true",
                        help="also prescribe a plan: title-plan, checkin-before, checkin-after, checkin-effort, "
                             "title-plan-after")
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
            if args.plan:
                shutil.copyfile(db_path, copy)
                for path in shoot_plan(copy, args.out, suffix, size, args.day):
                    print(path)


if __name__ == "__main__":
    main()
