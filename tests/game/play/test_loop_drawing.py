"""A headless ``--fast`` run draws only what it keeps: nothing, or the ``--screenshot`` picture, the very same one."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from game.play import Game, PlayOptions
from game.play.clock import ManualClock
from game.play.loop import REPLAY_FRAMES, Loop, Screen, drawing_for


@pytest.mark.parametrize("headless, fast, screenshot, expected", [
    (False, False, False, "every"), (False, True, True, "every"),  # a window: someone watches
    (True, False, True, "every"),  # headless in real time: drawn as before
    (True, True, False, "none"), (True, True, True, "last"),
])
def test_what_a_run_draws(headless, fast, screenshot, expected):
    assert drawing_for(headless=headless, fast=fast, screenshot=screenshot) == expected


class CountingView:
    """A view that counts what it is asked to draw."""

    def __init__(self) -> None:
        self.drawn: list[str] = []
        self.presents = 0

    def poll(self):
        return [], frozenset()

    def pointer(self):
        return None

    def draw_message(self, title, lines):
        self.drawn.append(title)

    def present(self):
        self.presents += 1

    def play_sounds(self, events):
        self.drawn.append("sounds")


class Counter(Screen):
    """Busy for ``frames`` frames; each draw shows the frame number and plays a sound, as a level does."""

    def __init__(self, frames: int) -> None:
        self.frames, self.left, self.draws = frames, frames, 0

    @property
    def idle(self) -> bool:
        return False

    @property
    def done(self) -> bool:
        return self.left == 0

    def update(self, dt_s: float) -> None:
        self.left -= 1

    def draw(self, view) -> None:
        self.draws += 1
        view.draw_message(f"frame {self.frames - self.left}", [])
        view.play_sounds(["tick"])


def test_drawing_nothing_still_runs_every_frame_of_the_screen():
    view = CountingView()
    screen = Counter(300)
    frames = Loop(ManualClock(), view, drawing="none").run(screen)  # type: ignore[arg-type]
    assert len(frames) == 300 and screen.draws == 300  # the screen keeps its own per-frame bookkeeping
    assert view.drawn == [] and view.presents == 0  # and nothing reaches the view


@pytest.mark.parametrize("frames", [3, REPLAY_FRAMES + 50])
def test_drawing_the_last_frame_replays_only_the_end_of_the_screen(frames):
    view = CountingView()
    Loop(ManualClock(), view, drawing="last").run(Counter(frames))  # type: ignore[arg-type]
    kept = min(frames, REPLAY_FRAMES)
    assert view.drawn == [f"frame {n}" for n in range(frames - kept + 1, frames + 1)]  # in order, no sound
    assert view.presents == 1


def test_every_frame_is_drawn_as_before():
    view = CountingView()
    Loop(ManualClock(), view).run(Counter(5))  # type: ignore[arg-type]
    assert view.drawn == [name for n in range(1, 6) for name in (f"frame {n}", "sounds")] and view.presents == 5


def _play(tmp_path: Path, level: str, fast: bool, name: str, view: str = "2d") -> tuple[bytes, dict]:
    shot = tmp_path / f"{name}.png"
    options = PlayOptions(level=level, player="kid-07", input="sim:0.6", view=view, seed=4, headless=True, fast=fast,
                          duration_s=7.0, db_path=tmp_path / f"{name}.db", screenshot=shot)
    # Not --fast, with a clock that never waits: the same nominal frames, every one of them drawn.
    summary = Game(options, clock=None if fast else ManualClock()).run()
    return pygame.image.tostring(pygame.image.load(str(shot)), "RGB"), summary.figures()


@pytest.mark.parametrize("level", ["garden-balance", "figure-eight", "moon-maze"])
def test_a_fast_headless_screenshot_is_the_picture_drawing_every_frame_gives(tmp_path, level):
    every, played = _play(tmp_path, level, fast=False, name="every")
    last, fast = _play(tmp_path, level, fast=True, name="last")
    assert len(set(every[::3])) > 8  # a drawn scene (the marker's trail and all), not a blank surface
    assert last == every
    for key in ("frames", "duration_s", "trials", "successes", "score"):
        assert fast[key] == played[key]  # the same game, frame for frame


def test_the_3d_view_saves_the_same_picture_too(tmp_path):
    pytest.importorskip("panda3d")
    from game.views.p3d_app import ViewUnavailableError

    try:
        every, _ = _play(tmp_path, "space-reach", fast=False, name="every", view="3d")
    except ViewUnavailableError as exc:
        pytest.skip(f"this machine cannot make an offscreen OpenGL buffer: {exc.message}")
    last, _ = _play(tmp_path, "space-reach", fast=True, name="last", view="3d")
    assert len(set(every[::3])) > 8 and last == every
