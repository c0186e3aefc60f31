"""Drive the real game from a script, headless: the tests' way in (textual's ``Pilot``, for Proprio).

``Pilot`` wraps any ``View`` (a real ``PygameView`` on SDL's dummy driver, an offscreen
``Panda3dView``) and, frame by frame, adds scripted actions and held directions to what the
view reports. It also keeps a log of what each screen drew, so a test can read what the
player was shown without patching any method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.actions import UiAction
from game.calibration_flow import CalibrationPicture
from game.core.events import Event
from game.core.snapshot import Frame
from game.menu import PauseMenu, ResultsView, TitleMenu
from game.views.base import Direction, View


@dataclass(frozen=True)
class Drawn:
    """One drawing call: which screen, at which polled frame, and the words it showed."""

    frame: int
    what: str  # "play", "title", "results", "message", "calibration"
    text: str  # notice, menu message, title: whatever a test wants to read


@dataclass
class Pilot:
    """A ``View`` that plays a script of actions on top of a real view."""

    view: View
    script: Mapping[int, Iterable[UiAction]] = field(default_factory=dict)
    """Actions to add at each polled frame (1 = the first poll)."""
    held: Mapping[int, frozenset[Direction]] = field(default_factory=dict)
    """Directions held from a frame on (until the next entry)."""
    each_poll: Callable[[int], None] | None = None
    """Called with the frame number before each poll (to post real key events, edit a file, ...)."""
    drawn: list[Drawn] = field(default_factory=list)
    frame: int = 0
    last_title: TitleMenu | None = None  # the last title screen drawn (its menu, as it was then)
    last_results: ResultsView | None = None  # the last results screen drawn
    last_pause: PauseMenu | None = None  # the last pause menu drawn over play
    sounds: list[tuple[int, str]] = field(default_factory=list)  # (frame, event kind or name) of every sound asked
    _holding: frozenset[Direction] = frozenset()

    def poll(self) -> tuple[list[UiAction], frozenset[Direction]]:
        self.frame += 1
        if self.each_poll is not None:
            self.each_poll(self.frame)
        actions, held = self.view.poll()
        actions = list(actions) + list(self.script.get(self.frame, ()))
        self._holding = self.held.get(self.frame, self._holding)
        return actions, frozenset(held) | self._holding

    def pointer(self) -> tuple[float, float] | None:
        return self.view.pointer()

    def draw_play(self, frame: Frame, pause: PauseMenu | None = None, notice: str | None = None) -> None:
        self.drawn.append(Drawn(self.frame, "play", notice or ("paused" if pause else "")))
        if pause is not None:
            self.last_pause = pause
        self.view.draw_play(frame, pause, notice)

    def draw_title(self, menu: TitleMenu) -> None:
        self.drawn.append(Drawn(self.frame, "title", menu.message))
        self.last_title = menu
        self.view.draw_title(menu)

    def draw_results(self, results: ResultsView) -> None:
        self.drawn.append(Drawn(self.frame, "results", results.level_title))
        self.last_results = results
        self.view.draw_results(results)

    def draw_message(self, title: str, lines: list[str]) -> None:
        self.drawn.append(Drawn(self.frame, "message", title))
        self.view.draw_message(title, lines)

    def draw_calibration(self, picture: CalibrationPicture) -> None:
        self.drawn.append(Drawn(self.frame, "calibration", picture.header))
        self.view.draw_calibration(picture)

    def present(self) -> None:
        self.view.present()

    def screenshot(self, path: Path) -> None:
        self.view.screenshot(path)

    def play_sounds(self, events: list[Event] | list[str]) -> None:
        self.sounds.extend((self.frame, e if isinstance(e, str) else e.kind) for e in events)
        self.view.play_sounds(events)

    def close(self) -> None:
        self.view.close()

    def texts(self, what: str) -> list[str]:
        """Every text drawn by one kind of screen, in order."""
        return [d.text for d in self.drawn if d.what == what]

    def __getattr__(self, name: str) -> Any:  # e.g. a test reading the real view's pixels
        return getattr(self.view, name)
