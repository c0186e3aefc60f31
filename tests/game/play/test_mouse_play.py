"""The whole game by mouse (or touch) through the real flow, and a mouse masher that never leaves it.

The real ``Game`` runs on a ``ManualClock`` with a ``Pilot`` around a real ``PygameView`` on SDL's
dummy driver. Before each poll the test posts real pygame mouse events at the places the view
says it drew its items (``menu_items`` of the last frame drawn): nothing is patched, and no UI
action is scripted except the window's close button at the very end.
"""

from __future__ import annotations

import random

import pygame
from sqlite_utils import Database

from game.checkin import QUESTIONS
from game.menu import CLOSE_DELAY_S
from game.play import Game, PlayOptions
from game.play.clock import ManualClock
from game.play.pilot import Pilot
from game.views.factory import open_view
from telemetry.store.clinic import set_plan
from telemetry.store.recorder import Recorder

COUNTDOWN = round(CLOSE_DELAY_S * 60)
MASHER_SEED = 1  # one seed: two minutes of frames drawn for real take ~20 s of CPU (a mutant that lets a
# countdown finish under the clicks fails at frame ~750)


def _pilot() -> Pilot:
    pilot = Pilot(open_view("2d", headless=True, sound=False))
    pygame.event.clear()
    return pilot


def _items(pilot: Pilot) -> dict[tuple[str, int], pygame.Rect]:
    return {(name, index): rect for rect, name, index in pilot.view.menu_items}  # type: ignore[attr-defined]


def _click(pos: tuple[int, int]) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False))
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=pos, button=1, touch=False))


def _prescribe(db_path, player: str = "kid-07") -> None:
    recorder = Recorder(db_path)
    set_plan(recorder.db, player, sessions_per_week=3, minutes_per_session=10, start_date="2026-11-01", weeks=6)
    recorder.close()


def test_a_session_from_the_title_to_the_end_with_the_mouse_only(tmp_path):
    """A game, the check-in, the pause corner, End level (asked, counted down), results, the check-in after, title."""
    db_path = tmp_path / "p.db"
    _prescribe(db_path)
    pilot = _pilot()
    done: list[str] = []  # the steps taken, in order
    waited = {"countdown": 0}

    def mouse(frame: int) -> None:
        items = _items(pilot)
        last = pilot.drawn[-1] if pilot.drawn else None
        if last is None or frame % 5:  # a click every few frames, as a hand would
            return
        step = len(done)
        if step == 0 and last.what == "title":
            _click(items[("level", 0)].center)  # the plan's game, first on the list
            done.append("play")
        elif step == 1 and last.what == "message" and last.text == QUESTIONS["pain_before"].ask:
            _click(items[("scale", 2)].center)
            done.append("pain before: 2")
        elif step == 2 and last.what == "play" and frame > 60:
            _click(items[("play", 0)].center)
            done.append("pause")
        elif step == 3 and ("pause", 1) in items:
            _click(items[("pause", 1)].center)  # End level
            done.append("end level")
        elif step == 4 and ("confirm", 1) in items:
            _click(items[("confirm", 1)].center)  # "Yes, end the level": a countdown
            done.append("yes")
        elif step == 5:
            waited["countdown"] += 5  # hands off: the level ends by itself after the countdown
            if last.what == "results":
                done.append("results")
        elif step == 6 and last.what == "results":
            _click(items[("results", len([k for k in items if k[0] == "results"]) - 1)].center)  # to the title
            done.append("title")
        elif step == 7 and last.what == "message" and last.text == QUESTIONS["pain_after"].ask:
            _click(items[("face", 1)].center)
            done.append("pain after: face 1")
        elif step == 8 and last.what == "message" and last.text == QUESTIONS["effort"].ask:
            _click(items[("scale", 6)].center)
            done.append("effort: 6")
        elif step == 9 and last.what == "title":
            pygame.event.post(pygame.event.Event(pygame.QUIT))
            done.append("closed")
        elif frame > 3000:
            pygame.event.post(pygame.event.Event(pygame.QUIT))

    pilot.each_poll = mouse
    summary = Game(PlayOptions(input="keyboard", seed=3, db_path=db_path, sound=False, player="kid-07"),
                   view=pilot, clock=ManualClock()).run()
    assert done[-1] == "closed", done
    assert [o.ended_by for o in summary.outcomes] == ["end"]  # the level ended only through the confirmed prompt
    assert COUNTDOWN - 5 <= waited["countdown"] <= COUNTDOWN + 10
    rows = list(Database(db_path).query("select pain_before, pain_after, effort from checkins"))
    assert rows == [{"pain_before": 2, "pain_after": 2, "effort": 6}]  # the second face stands for 2


def test_a_mouse_masher_never_ends_a_level_or_quits(tmp_path):
    """Two minutes of a child hitting the mouse: a click every 0.05 to 0.6 s (any button), half of them on whatever
    is drawn (the buttons a child aims at), half anywhere, the pointer flying about. Levels start and the pause
    menu's prompts open and even count down, but the next click always stays: nothing is ended or left."""
    rng = random.Random(MASHER_SEED)
    db_path = tmp_path / "p.db"
    _prescribe(db_path)
    pilot = _pilot()
    mash_frames = 2 * 60 * 60
    seen = {"countdowns": 0, "prompts": 0}
    last_confirm: list[object] = [None, None]  # the prompt last seen open, and the one last seen counting down
    gap = {"frames": 0}

    def mash(frame: int) -> None:
        if frame > mash_frames:
            if frame == mash_frames + 1:
                pygame.event.post(pygame.event.Event(pygame.QUIT))  # the window's close button ends the test
            return
        pause = pilot.last_pause
        confirm = pause.confirm if pause is not None else None
        if confirm is not None and confirm is not last_confirm[0]:
            seen["prompts"] += 1
            last_confirm[0] = confirm
        if confirm is not None and confirm.closing_s is not None and confirm is not last_confirm[1]:
            seen["countdowns"] += 1
            last_confirm[1] = confirm
        w, h = pilot.view.screen.get_size()  # type: ignore[attr-defined]
        for _ in range(rng.choice([0, 0, 1, 2])):
            pos = (rng.randrange(w), rng.randrange(h))
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0),
                                                 touch=False))
        gap["frames"] -= 1
        if gap["frames"] > 0:
            return
        gap["frames"] = rng.randint(3, 36)  # the next click in 0.05 to 0.6 s: a child hitting the button
        items = pilot.view.menu_items  # type: ignore[attr-defined]
        if items and rng.random() < 0.5:
            rect = rng.choice(items)[0]
            pos = (rng.randrange(rect.left, rect.right), rng.randrange(rect.top, rect.bottom))
        else:
            pos = (rng.randrange(w), rng.randrange(h))
        button = rng.choice([1, 1, 1, 1, 2, 3])
        for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            pygame.event.post(pygame.event.Event(kind, pos=pos, button=button, touch=rng.random() < 0.3))

    pilot.each_poll = mash
    summary = Game(PlayOptions(input="keyboard", seed=MASHER_SEED, db_path=db_path, sound=False, player="kid-07"),
                   view=pilot, clock=ManualClock()).run()
    assert pilot.frame == mash_frames + 1  # only the window's close button ended the run
    assert summary.status == "aborted"
    assert not [o for o in summary.outcomes if o.ended_by is not None], [o.ended_by for o in summary.outcomes]
    assert summary.outcomes, "the masher got into a game"
    assert seen["prompts"] >= 20 and seen["countdowns"] >= 10, seen  # it did reach "yes": the test could fail
    db = Database(db_path)
    assert all(row["ended_at"] for row in db["sessions"].rows)  # every level it started was closed and kept
