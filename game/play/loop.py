"""The one play loop: poll the view, hand actions to the current screen, update it, draw it, pace.

Every screen (title, level, pause, results, calibration, and later check-ins or assessments)
is a small state object run by ``Loop.run``, as arcade's views and Tuxemon's states are. The
loop is handed its clock, view and pose source, so a test can run the real flow with a
``ManualClock`` and a scripted view (``game.play.pilot``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from game.actions import UiAction
from game.input.source import PoseSource
from game.play.clock import Clock
from game.play.stop_signal import raise_if_stopped
from game.views.base import Direction, View

if TYPE_CHECKING:
    from game.calibration_flow import CalibrationPicture
    from game.core.events import Event
    from game.core.snapshot import Frame
    from game.menu import PauseMenu, ResultsView, TitleMenu

Drawing = Literal["every", "last", "none"]
"""Which frames the loop draws: ``every`` one (someone watches); only the ``last`` frame of each
screen (a headless ``--fast`` run that saves a ``--screenshot``: the one picture it keeps); or
``none`` (a headless ``--fast`` run: nobody sees anything, drawing would be most of the work)."""

REPLAY_FRAMES = 120
"""Frames drawn again before a ``last`` picture: more than any view carries from frame to frame
(the 2D marker trail keeps 40), so the picture is the very one drawing every frame gives."""


def drawing_for(*, headless: bool, fast: bool, screenshot: bool) -> Drawing:
    """What a run draws: everything, unless it is headless and fast (then only what it saves)."""
    if not (headless and fast):
        return "every"
    return "last" if screenshot else "none"


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
    drawing: Drawing = "every"
    _unseen: _UnseenView = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._unseen = _UnseenView(REPLAY_FRAMES if self.drawing == "last" else 0)

    def run(self, screen: Screen, frame_ms: list[float] | None = None) -> list[float]:
        """Run ``screen`` until it is done; return each drawn frame's work time in milliseconds.

        ``frame_ms``, when given, is filled as the frames go (so it holds them even when a
        screen ends the run with an exception).
        """
        frame_ms = [] if frame_ms is None else frame_ms
        self.clock.tick()  # time spent before this screen does not count
        while not screen.done:
            raise_if_stopped()  # SIGTERM / SIGHUP: end here, between frames, like Ctrl-C
            start = self.clock.now()
            actions, held = self.view.poll()
            if self.source is not None:
                actions = [*actions, *self.source.ui_actions()]  # a gamepad's buttons drive the menus too
            for action in actions:
                if action == "quit":
                    self._show_unseen()
                    raise QuitGame
                screen.handle(action)
                if screen.done:
                    self._show_unseen()
                    return frame_ms
            if screen.steers and self.source is not None:
                self.source.steer(held, self.view.pointer())
            screen.update(self.clock.tick())
            if self.drawing == "every":
                screen.draw(self.view)
                self.view.present()
            else:  # nobody sees these frames: the screen draws on nothing (its sounds and state go on as usual)
                self._unseen.next_frame()
                screen.draw(self._unseen)
                if screen.done:
                    self._show_unseen()
            frame_ms.append((self.clock.now() - start) * 1000.0)
            if not screen.done:
                self.clock.pace(start, screen.idle)
        return frame_ms

    def _show_unseen(self) -> None:
        """With ``last``: draw the screen's last frames for real (the picture a --screenshot keeps)."""
        if self.drawing == "last" and self._unseen.replay(self.view):
            self.view.present()


class _UnseenView:
    """A view nobody sees: it draws nothing and keeps the draw calls of the last ``keep`` frames to replay."""

    def __init__(self, keep: int) -> None:
        self._frames: deque[list[Callable[[View], None]]] = deque(maxlen=keep or 1)
        self._keep = keep

    def next_frame(self) -> None:
        if self._keep:
            self._frames.append([])

    def replay(self, view: View) -> bool:
        """Make ``view`` draw the kept frames in order (their sounds are long gone); False when none were kept."""
        calls = [call for frame in self._frames for call in frame]
        self._frames.clear()
        for call in calls:
            call(view)
        return bool(calls)

    def _keep_call(self, call: Callable[[View], None]) -> None:
        if self._keep and self._frames:
            self._frames[-1].append(call)

    def poll(self) -> tuple[list[UiAction], frozenset[Direction]]:
        return [], frozenset()

    def pointer(self) -> tuple[float, float] | None:
        return None

    def draw_play(self, frame: Frame, pause: PauseMenu | None = None, notice: str | None = None) -> None:
        self._keep_call(lambda view: view.draw_play(frame, pause, notice))

    def draw_title(self, menu: TitleMenu) -> None:
        self._keep_call(lambda view: view.draw_title(menu))

    def draw_results(self, results: ResultsView) -> None:
        self._keep_call(lambda view: view.draw_results(results))

    def draw_message(self, title: str, lines: list[str]) -> None:
        self._keep_call(lambda view: view.draw_message(title, list(lines)))

    def draw_calibration(self, picture: CalibrationPicture) -> None:
        self._keep_call(lambda view: view.draw_calibration(picture))

    def present(self) -> None:
        pass

    def screenshot(self, path: Path) -> None:
        pass

    def play_sounds(self, events: list[Event] | list[str]) -> None:
        pass

    def close(self) -> None:
        pass
