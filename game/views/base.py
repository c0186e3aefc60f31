"""The ``View`` protocol: what the play loop asks of any view (2D pygame, 3D/VR panda3d).

A view draws what it is given and reports what the person did as game-specific names
(``UiAction``, held ``Direction``s, a pointer in field units): no pygame or panda3d event
leaves a view, so ``game/input`` and the loop never import a window library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol

from game.actions import ACTIONS, TEXT_PREFIX, UiAction, is_ui_action
from game.calibration_flow import CalibrationPicture
from game.core.events import Event
from game.core.snapshot import Frame
from game.menu import PauseMenu, ResultsView, TitleMenu

UI_ACTIONS = ACTIONS  # the fixed names (game.actions.Action); a typed key is game.actions.typed(char)

Direction = Literal["left", "right", "up", "down"]
"""A direction held down (arrows or WASD); the held set tilts the keyboard's virtual board."""

DIRECTIONS: tuple[Direction, ...] = ("left", "right", "up", "down")

__all__ = ["DIRECTIONS", "TEXT_PREFIX", "UI_ACTIONS", "Direction", "UiAction", "View", "is_ui_action"]


class View(Protocol):
    """Draws what it is given and reports UI actions; owns no game rule."""

    def poll(self) -> tuple[list[UiAction], frozenset[Direction]]:
        """UI actions since the last call (see ``UiAction``) and the directions held now.

        A closed window reports ``quit`` (the run ends, the level's data kept); a window hidden,
        minimised or losing the keyboard focus reports ``focus_lost`` (a level pauses).
        """
        ...

    def pointer(self) -> tuple[float, float] | None:
        """Where the left mouse button (or a touch) is held on the playing field, in LOS units
        (x right, y forward; the field's rim is 1), or None when nothing is held or it cannot be mapped."""
        ...

    def draw_play(self, frame: Frame, pause: PauseMenu | None = None, notice: str | None = None) -> None:
        """Draw one gameplay frame (with the pause menu over it when open)."""
        ...

    def draw_title(self, menu: TitleMenu) -> None:
        """Draw the title screen (greeting, week, players, games with stars, stickers; or its sticker book page;
        with the "Leave Proprio?" prompt when ``menu.confirm`` is open)."""
        ...

    def draw_results(self, results: ResultsView) -> None:
        """Draw the results screen (``results.heading``, stars, score, new bests, new stickers, the week)."""
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
