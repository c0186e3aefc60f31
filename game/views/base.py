"""The ``View`` protocol: what the runner asks of any view (2D pygame, 3D/VR panda3d)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from game.core.events import Event
from game.core.snapshot import Frame
from game.menu import PauseMenu, ResultsView, TitleMenu


class View(Protocol):
    """Draws what it is given and reports UI actions; owns no game rule."""

    def poll(self) -> tuple[list[str], frozenset[str]]:
        """UI actions since the last call and the held directions.

        Actions: "quit" (window closed), "pause" (Space), "back" (Esc), "confirm" (Enter),
        "up"/"down"/"left"/"right"/"tab" (menu moves), "backspace", "text:<char>",
        and "recentre" (re-zero the device / VR view). Held directions are a subset of
        {"left", "right", "up", "down"} (arrows or WASD).
        """
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
