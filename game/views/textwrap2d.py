"""Text that stays inside its box, and a bounded cache of rendered text, for the 2D view's screens.

``wrap_lines`` breaks text at spaces to fit a width (and breaks a word that is longer than a
whole line, so nothing runs out of the box); ``fit_text`` picks the largest of a few sizes at
which the text fits a box in at most so many lines, shortening the last line with "..." only
when even the smallest size cannot hold it. ``TextCache`` keeps rendered text (with its shadow)
by text, size and colour and forgets the least recently used beyond its capacity, so drawing
the same words every frame costs one blit. The menus use the same helpers.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import pygame

Colour = tuple[int, int, int]
ELLIPSIS = "..."


def wrap_lines(text: str, max_width: float, width_of: Callable[[str], float]) -> list[str]:
    """``text`` broken into lines no wider than ``max_width``; a too-long word is split across lines."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if width_of(candidate) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
                current = ""
            while width_of(word) > max_width and len(word) > 1:  # a word wider than a whole line
                cut = len(word) - 1
                while cut > 1 and width_of(word[:cut]) > max_width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True)
class Fitted:
    """Text laid out in a box: the design size chosen, the lines and the pixel height of a line."""

    px: int
    lines: tuple[str, ...]
    line_height: int


def fit_text(text: str, box: tuple[float, float], sizes: Sequence[int], font_for: Callable[[int], pygame.font.Font],
             max_lines: int | None = None) -> Fitted:
    """The largest of ``sizes`` at which ``text`` fits ``box`` (width, height) in at most ``max_lines`` lines.

    When none fits, the smallest size is used and the lines that do not fit the box are dropped,
    the last one kept ending in "..." (a title in a fixed bar); callers that must show everything
    (a device notice) give a box tall enough.
    """
    width, height = box
    chosen: Fitted | None = None
    for px in sorted(sizes, reverse=True):
        font = font_for(px)
        line_height = font.get_linesize()
        lines = wrap_lines(text, width, partial(_width, font))
        chosen = Fitted(px, tuple(lines), line_height)
        fits_lines = max_lines is None or len(lines) <= max_lines
        if fits_lines and len(lines) * line_height <= height + 1:
            return chosen
    assert chosen is not None, "fit_text needs at least one size"
    font = font_for(chosen.px)
    room = max(1, min(max_lines or len(chosen.lines), int((height + 1) // max(1, chosen.line_height))))
    if len(chosen.lines) <= room:
        return chosen
    kept = list(chosen.lines[:room])
    last = kept[-1]
    while last and font.size(last + ELLIPSIS)[0] > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + ELLIPSIS
    return Fitted(chosen.px, tuple(kept), chosen.line_height)


def _width(font: pygame.font.Font, text: str) -> float:
    return float(font.size(text)[0])


class TextCache:
    """Rendered, shadowed text by (text, font size, colour), least recently used forgotten first."""

    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._images: OrderedDict[tuple[str, int, bool, Colour, int], pygame.Surface] = OrderedDict()
        self.rendered = 0

    def __len__(self) -> int:
        return len(self._images)

    def get(self, text: str, font: pygame.font.Font, size: int, colour: Colour, shadow: int) -> pygame.Surface:
        """``text`` in ``colour`` with a black shadow ``shadow`` pixels down-right, as one image."""
        key = (text, size, font.get_bold(), colour, shadow)
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
            return image
        face = font.render(text, True, colour)
        image = pygame.Surface((face.get_width() + shadow, face.get_height() + shadow), pygame.SRCALPHA)
        if shadow:
            image.blit(font.render(text, True, (0, 0, 0)), (shadow, shadow))
        image.blit(face, (0, 0))
        if pygame.display.get_surface() is not None:
            image = image.convert_alpha()  # the window's pixel format: blits several times faster
        self._images[key] = image
        self.rendered += 1
        while len(self._images) > self.capacity:
            self._images.popitem(last=False)
        return image
