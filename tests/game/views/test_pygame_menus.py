"""Every menu text stays inside its box and off the others, at every window size from 800x600 up."""

from __future__ import annotations

import os
from datetime import date

import pygame
import pytest

from game.menu import COLLECTION, Confirm, PauseMenu, ResultsView, TitleEntry, TitleMenu
from game.progress import LevelInfo, PlayedSession, Sticker, progress_from
from game.views import pygame_menus

SIZES = [(800, 600), (1024, 768), (1280, 720), (1366, 768), (1920, 1080), (800, 1280)]
LONG = "a very long sentence that goes on and on " * 6
LEVELS = [LevelInfo(f"level-{i}", f"Level number {i} with a rather long title for a child", "space")
          for i in range(20)]


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    pygame.font.init()
    yield


def _check(painter: pygame_menus.MenuPainter, size: tuple[int, int]) -> None:
    screen = pygame.Rect(0, 0, *size)
    assert painter.placed, "something was written"
    for line, box, _ in painter.placed:
        assert screen.contains(line), f"{line} leaves the {size} window"
        assert line.left >= box.left - 1 and line.right <= box.right + 1, f"{line} is wider than its box {box}"
    base = [line for line, _, layer in painter.placed if layer == 0]
    for i, a in enumerate(base):  # no two texts of the screen overlap (a dialog covers the screen on purpose)
        for b in base[i + 1:]:
            overlap = a.clip(b)
            assert overlap.width <= 2 or overlap.height <= 4, f"{a} and {b} overlap at {size}"


def _title(message: str = LONG) -> TitleMenu:
    sessions = [PlayedSession(f"level-{i}", date(2026, 11, 30), "completed", 6, 6, 3, 900) for i in range(12)]
    progress = progress_from(sessions, LEVELS, date(2026, 11, 30))
    levels = [(f"l{i}", info.title) for i, info in enumerate(LEVELS)] + [(COLLECTION, "My sticker book")]
    entries = {f"l{i}": TitleEntry("level", (info.name,)) for i, info in enumerate(LEVELS)}
    players = [f"kid-{i:02d}" for i in range(9)]
    return TitleMenu(players, levels, names={"kid-00": "Maximilian-Alexander " * 6}, progress={"kid-00": progress},
                     entries=entries, message=message, level_index=7, focus="level")


@pytest.mark.parametrize("size", SIZES)
def test_title_sticker_book_and_leave_prompt_stay_inside_their_boxes(size):
    surface = pygame.Surface(size)
    painter = pygame_menus.MenuPainter()
    menu = _title()
    painter.title(surface, menu)
    _check(painter, size)
    messages = [line for line, box, _ in painter.placed if box.width > size[0] * 0.8 and box.bottom > size[1] * 0.7]
    assert messages, "the message is on screen"
    menu.page = "stickers"
    painter.title(surface, menu)
    _check(painter, size)
    menu.page = "menu"
    menu.confirm = Confirm("Leave Proprio? " + LONG, "Yes, leave", "No, stay", "Closing")
    painter.title(surface, menu)
    _check(painter, size)


@pytest.mark.parametrize("size", SIZES)
def test_results_message_and_pause_stay_inside_their_boxes(size):
    surface = pygame.Surface(size)
    painter = pygame_menus.MenuPainter()
    results = ResultsView("Maximilian " * 8, "Level with a long title " * 4, 1234, 1500, 3, 12, 11, 0.7,
                          ("+ Success 50% -> 92%", "+ Score 800 -> 1234", LONG), "Another long level title " * 3,
                          headline="Fantastic, " + "Maximilian " * 8, new_bests=("New best! 3 stars (before: 2)",
                                                                                 "New best score! 1234 (before: 800)"),
                          stickers=("Gold Garden Balance", "Space Reach", "3 play days", "Super week"),
                          week="Goal met: 4 days this week!",
                          earned=tuple(Sticker(f"s{i}", "Gold", shape, "how", True)
                                       for i, shape in enumerate(("gem", "flower", "star", "shell", "sun", "moon"))))
    painter.results(surface, results)
    _check(painter, size)
    painter.message(surface, "The level file has a problem " + LONG, [LONG, "levels/x.toml:12:3: " + LONG, "ok"])
    _check(painter, size)
    pause = PauseMenu(has_next=True, reason="The game paused because its window was hidden or lost focus.")
    painter.pause(surface, pause)
    _check(painter, size)
    pause.index = 4
    pause.handle("confirm")
    pause.handle("down")
    pause.handle("confirm")
    painter.pause(surface, pause)
    _check(painter, size)
    assert any(layer == 1 for _, _, layer in painter.placed)  # the prompt was drawn over the menu
