"""The title and results screens: menus that wait for a choice."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from game.actions import UiAction, item_of
from game.menu import ResultsView, TitleChoice, TitleMenu
from game.play.loop import Screen
from game.views.base import View

ResultsChoice = Literal["next", "title"]


class TitleScreen(Screen):
    """Pick a player and a level; Enter (or Space) starts; Esc asks "Leave Proprio?" (see ``game.menu.Confirm``)."""

    def __init__(self, menu: TitleMenu) -> None:
        self.menu = menu
        self.choice: TitleChoice | None = None

    @property
    def done(self) -> bool:
        return self.choice is not None

    def handle(self, action: UiAction) -> None:
        choice = self.menu.handle("confirm" if action == "pause" and self.menu.confirm is None else action)
        if choice is not None:
            self.choice = choice

    def update(self, dt_s: float) -> None:
        choice = self.menu.update(dt_s)  # a confirmed "Leave Proprio?" counts down here
        if choice is not None:
            self.choice = choice

    def draw(self, view: View) -> None:
        view.draw_title(self.menu)


class ResultsScreen(Screen):
    """How the level went; Enter goes on to the next level (or the title), Esc to the title.

    Its two choices are buttons too (``ResultsView.buttons``): the pointer moving onto one selects it
    (Enter then presses that one), a click on one presses it. The keys never move the selection, so
    for the keys and a gamepad (and in a headset, with no pointer) Enter still means the next level.
    """

    def __init__(self, results: ResultsView) -> None:
        self.results = results
        self.choice: ResultsChoice | None = None
        self._announced = False

    @property
    def done(self) -> bool:
        return self.choice is not None

    def handle(self, action: UiAction) -> None:
        item = item_of(action)
        if item is not None:
            if item.list == "results" and item.index < len(self.results.buttons):
                self.results = replace(self.results, selected=item.index)
                if item.kind == "pick":
                    self.choice = self._button(item.index)
        elif action in ("confirm", "pause"):
            self.choice = self._button(self.results.selected)
        elif action == "back":
            self.choice = "title"

    def _button(self, index: int) -> ResultsChoice:
        """What a button does: the first goes on to the next level when there is one; the other goes to the title."""
        return "next" if self.results.next_label and index == 0 else "title"

    def draw(self, view: View) -> None:
        if not self._announced:
            view.play_sounds(["level_end"])
            self._announced = True
        view.draw_results(self.results)
