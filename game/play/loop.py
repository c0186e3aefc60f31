"""The one play loop: poll the view, hand actions to the current screen, update it, draw it, pace.

Every screen (title, level, pause, results, calibration, and later check-ins or assessments)
is a small state object run by ``Loop.run``, as arcade's views and Tuxemon's states are. The
loop is handed its clock, view and pose source, so a test can run the real flow with a
``ManualClock`` and a scripted view (``game.play.pilot``).
"""

from __future__ import annotations

from dataclasses import dataclass

from game.actions import UiAction
from game.input.source import PoseSource
from game.play.clock import Clock
from game.views.base import View


class QuitGame(Exception):
    """The player closed the window or chose Quit game: the whole run ends."""


class Screen:
    """A state of the game the loop runs: it takes actions, moves on with time, and draws itself.

    ``done`` ends the screen; whatever it decided is in its own attributes. ``idle`` tells the
    loop nothing simulates now (a menu, a device being waited for), so even ``--fast`` sleeps.
    ``steers`` says the screen reads the pose source (the loop then feeds it the held keys and
    the pointer each frame).
    """

    steers: bool = False

    @property
    def idle(self) -> bool:
        """True when nothing simulates (a menu): even ``--fast`` then waits out the frame."""
        return True

    @property
    def done(self) -> bool:
        """True once the screen has decided (the loop then returns)."""
        return False

    def handle(self, action: UiAction) -> None:
        """One UI action (see ``game.actions``)."""

    def update(self, dt_s: float) -> None:
        """Move on by one frame of ``dt_s`` seconds."""

    def draw(self, view: View) -> None:
        """Draw the screen (and play its sounds); decides nothing."""


@dataclass
class Loop:
    """Runs screens on one clock, one view and one pose source."""

    clock: Clock
    view: View
    source: PoseSource | None = None

    def run(self, screen: Screen, frame_ms: list[float] | None = None) -> list[float]:
        """Run ``screen`` until it is done; return each drawn frame's work time in milliseconds.

        ``frame_ms``, when given, is filled as the frames go (so it holds them even when a
        screen ends the run with an exception).
        """
        frame_ms = [] if frame_ms is None else frame_ms
        self.clock.tick()  # time spent before this screen does not count
        while not screen.done:
            start = self.clock.now()
            actions, held = self.view.poll()
            if self.source is not None:
                actions = [*actions, *self.source.ui_actions()]  # a gamepad's buttons drive the menus too
            for action in actions:
                if action == "quit":
                    raise QuitGame
                screen.handle(action)
                if screen.done:
                    return frame_ms
            if screen.steers and self.source is not None:
                self.source.steer(held, self.view.pointer())
            screen.update(self.clock.tick())
            screen.draw(self.view)
            self.view.present()
            frame_ms.append((self.clock.now() - start) * 1000.0)
            if not screen.done:
                self.clock.pace(start, screen.idle)
        return frame_ms
