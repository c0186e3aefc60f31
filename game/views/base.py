"""The ``View`` protocol: what the play loop asks of any view (2D pygame, 3D/VR panda3d).

A view draws what it is given and reports what the person did as game-specific names
(``UiAction``, held ``Direction``s, a pointer in field units): no pygame or panda3d event
leaves a view, so ``game/input`` and the loop never import a window library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol, TypeAlias

from game.calibration_flow import CalibrationPicture
from game.core.events import Event
from game.core.snapshot import Frame
from game.menu import PauseMenu, ResultsView, TitleMenu

UiAction: TypeAlias = str
"""One thing the person asked for, by name. The fixed names are ``UI_ACTIONS``:

"quit" (the window was closed), "pause" (Space), "back" (Esc), "confirm" (Enter),
"up"/"down"/"left"/"right" (menu moves), "tab", "backspace", "recentre" (R: re-zero the
device, turn the VR view). A printable key typed is ``"text:<char>"`` (``TEXT_PREFIX``),
e.g. "text:k" while a player code is typed.
"""

UI_ACTIONS: tuple[UiAction, ...] = (
    "quit", "pause", "back", "confirm", "up", "down", "left", "right", "tab", "backspace", "recentre",
)
TEXT_PREFIX = "text:"

Direction = Literal["left", "right", "up", "down"]
"""A direction held down (arrows or WASD); the held set tilts the keyboard's virtual board."""

DIRECTIONS: tuple[Direction, ...] = ("left", "right", "up", "down")


def is_ui_action(name: str) -> bool:
    """True for a fixed action name or a typed character ("text:" and exactly one character)."""
    return name in UI_ACTIONS or (name.startswith(TEXT_PREFIX) and len(name) == len(TEXT_PREFIX) + 1)


class View(Protocol):
    """Draws what it is given and reports UI actions; owns no game rule."""

    def poll(self) -> tuple[list[UiAction], frozenset[Direction]]:
        """UI actions since the last call (see ``UiAction``) and the directions held now."""
        ...

    def pointer(self) -> tuple[float, float] | None:
        """Where the left mouse button (or a touch) is held on the playing field, in LOS units
        (x right, y forward; the field's rim is 1), or None when nothing is held or it cannot be mapped."""
        ...

    def draw_play(self, frame: Frame, pause: PauseMenu | None = None, notice: str | None = None) -> None:
        """Draw one gameplay frame (with the pause menu over it when open)."""
        ...

    def draw_title(self, menu: TitleMenu) -> None:
        """Draw the title screen."""
        ...

    def draw_results(self, results: ResultsView) -> None:
        """Draw the results screen."""
        ...

    def draw_message(self, title: str, lines: list[str]) -> None:
        """Draw a plain message screen."""
        ...

    def draw_calibration(self, picture: CalibrationPicture) -> None:
        """Draw one moment of the calibration: step, instruction, recorded limits, live reading, hold."""
        ...

    def present(self) -> None:
        """Show what was drawn (flip / render a frame)."""
        ...

    def screenshot(self, path: Path) -> None:
        """Save the last drawn frame as PNG."""
        ...

    def play_sounds(self, events: list[Event] | list[str]) -> None:
        """Play the sound of each event (or event-kind name)."""
        ...

    def close(self) -> None:
        """Release the window and audio."""
        ...
