"""Big on-screen buttons for the 2D view: the calibration's and an assessment's choices, for a mouse or a finger.

A screen hands its choices as ``game.actions.Button`` (words, and the item a click names); this
draws each as a framed box at least 48 pixels high at 1280x720 with its whole label (smaller, then
wrapped onto two lines, never cut) and returns where, so the view turns a click there into
``pick(list, index)``. The button under the pointer gets a thick yellow frame and a ">" mark, so
what a click would choose is never told by colour alone. Nothing here decides anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pygame

from game.actions import Button, MenuList
from game.views import theme as palette

if TYPE_CHECKING:
    from game.views.pygame_view import PygameView

PANEL = (16, 22, 56)
EDGE = (170, 170, 185)
MIN_HEIGHT = 56  # design pixels (720 high): 56 px at 1280x720, more than the 48 a finger needs
LABEL_PX = 34

HitArea = tuple[pygame.Rect, MenuList, int]


def row_of(area: pygame.Rect, count: int, gap: int, widest: int | None = None) -> list[pygame.Rect]:
    """``count`` equal buttons side by side across ``area``, each at most ``widest`` wide (the row centred)."""
    if count <= 0:
        return []
    width = (area.width - gap * (count - 1)) / count
    if widest is not None:
        width = min(width, widest)
    left = area.centerx - (width * count + gap * (count - 1)) / 2
    return [pygame.Rect(int(left + i * (width + gap)), area.y, int(width), area.height) for i in range(count)]


def column_of(area: pygame.Rect, count: int, gap: int, height: int) -> list[pygame.Rect]:
    """``count`` buttons one under the other from the top of ``area``, each ``height`` high (less when crowded)."""
    if count <= 0:
        return []
    height = min(height, int((area.height - gap * (count - 1)) / count))
    return [pygame.Rect(area.x, area.y + i * (height + gap), area.width, height) for i in range(count)]


def draw_buttons(view: PygameView, buttons: Sequence[Button], places: Sequence[pygame.Rect]) -> list[HitArea]:
    """Draw each button in its place (the one under the pointer framed thick and marked); return the hit areas."""
    screen, scale = view.screen, view.scale
    areas: list[HitArea] = []
    hovered = view.hovered
    for button, place in zip(buttons, places, strict=True):
        pointed = hovered == (button.list, button.index)
        radius = max(4, int(12 * scale))
        pygame.draw.rect(screen, PANEL, place, border_radius=radius)
        pygame.draw.rect(screen, palette.YELLOW if pointed else EDGE, place,
                         max(2, int((5 if pointed else 3) * scale)), border_radius=radius)
        label = ("> " if pointed else "") + button.label
        view.text_in_box(label, LABEL_PX, palette.WHITE, place.center, place.width - 16 * scale, max_lines=2)
        areas.append((place.copy(), button.list, button.index))
    return areas
