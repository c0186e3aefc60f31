"""The 2D view's pictures: every sprite and backdrop of a level's art, drawn by code and cached.

``SpriteCache.get(name, radius_px, frame)`` returns a ready image (with alpha) of one animation
frame of a sprite whose radius is about ``radius_px``; sizes are rounded to steps of 4 % so a
difficulty change that alters a zone by a pixel reuses the picture, and the cache forgets the
least recently used images beyond its capacity. Each frame is drawn once, large (a "master",
``MASTER_RADIUS``), and smoothly scaled to the sizes asked for, which costs a fraction of
drawing it again; ``prepare`` draws a level's masters up front so play never waits for one.
``backdrops.paint_backdrop`` paints a scene once per window size. Nothing here reads the game:
the view passes names and sizes.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable

import pygame

from game.views.art2d.pen import MARGIN, SUPERSAMPLE, Pen
from game.views.art2d.sprites import STYLES, draw_rolling_ball, fallback, frame_of

__all__ = ["SpriteCache", "render_sprite", "render_rolling", "quantize_radius", "frame_of", "for_display", "STYLES"]

ROLL_STEPS = 16  # a rolling ball's turn is drawn in this many steps per axis
MASTER_RADIUS = 112  # sprites are drawn once at this radius and scaled (down, or a little up on a large screen)


def quantize_radius(radius_px: float) -> int:
    """``radius_px`` rounded to a step of about 4 % (exact below 12 px), at least 3 px."""
    r = max(3.0, radius_px)
    if r <= 12:
        return round(r)
    return max(12, round(1.04 ** round(math.log(r) / math.log(1.04))))


def _canvas(radius: int) -> tuple[pygame.Surface, int]:
    side = max(4, math.ceil(2 * MARGIN * radius))
    return pygame.Surface((side * SUPERSAMPLE, side * SUPERSAMPLE), pygame.SRCALPHA), side


def render_sprite(name: str, radius: int, frame: int, flip: bool = False) -> pygame.Surface:
    """One frame of sprite ``name`` at ``radius`` pixels, drawn large and scaled down for soft edges."""
    style = fallback(name)
    canvas, side = _canvas(radius)
    style.draw(Pen(canvas, radius * SUPERSAMPLE), (frame % style.frames) / style.frames)
    image = pygame.transform.smoothscale(canvas, (side, side))
    return pygame.transform.flip(image, True, False) if flip else image


def render_rolling(kind: str, radius: int, roll: tuple[int, int]) -> pygame.Surface:
    """A ball or moon rock turned by ``roll`` steps (of ``ROLL_STEPS`` per turn) about each axis."""
    canvas, side = _canvas(radius)
    step = math.tau / ROLL_STEPS
    draw_rolling_ball(Pen(canvas, radius * SUPERSAMPLE), roll[0] * step, roll[1] * step, kind)
    return pygame.transform.smoothscale(canvas, (side, side))


def for_display(image: pygame.Surface) -> pygame.Surface:
    """``image`` in the window's own pixel format with alpha (blits several times faster), when a window is open."""
    return image.convert_alpha() if pygame.display.get_surface() is not None else image


class SpriteCache:
    """Drawn sprite frames by (name, size step, frame, mirrored), least recently used forgotten first."""

    def __init__(self, capacity: int = 320, masters: int = 96) -> None:
        self.capacity = capacity
        self._images: OrderedDict[tuple[str, int, int, bool], pygame.Surface] = OrderedDict()
        self._masters: OrderedDict[tuple[str, int], pygame.Surface] = OrderedDict()
        self._rolls: OrderedDict[tuple[str, int, int], pygame.Surface] = OrderedDict()  # a rolling ball's turns
        self._master_capacity = masters
        self.drawn = 0  # how many images were made (not found in the cache)
        self.masters_drawn = 0

    def master(self, name: str, frame: int) -> pygame.Surface:
        """Frame ``frame`` of ``name`` drawn at ``MASTER_RADIUS`` (kept; the least recently used forgotten)."""
        key = (name, frame % fallback(name).frames)
        image = self._masters.get(key)
        if image is None:
            image = render_sprite(name, MASTER_RADIUS, key[1])
            self._masters[key] = image
            self.masters_drawn += 1
            while len(self._masters) > self._master_capacity:
                self._masters.popitem(last=False)
        else:
            self._masters.move_to_end(key)
        return image

    def prepare(self, names: Iterable[str]) -> None:
        """Draw every animation frame of ``names`` now (at a level's start), so play never stops to draw one."""
        for name in dict.fromkeys(names):
            for frame in range(fallback(name).frames):
                self.master(name, frame)

    def __len__(self) -> int:
        return len(self._images)

    def _keep(self, key: tuple[str, int, int, bool], image: pygame.Surface) -> pygame.Surface:
        image = for_display(image)
        self._images[key] = image
        self.drawn += 1
        while len(self._images) > self.capacity:
            self._images.popitem(last=False)
        return image

    def get(self, name: str, radius_px: float, frame: int = 0, flip: bool = False) -> pygame.Surface:
        """The image of ``name`` (centred in it) at about ``radius_px``, animation ``frame``.

        A size not seen before is made for every animation frame at once: one busier frame when
        a zone changes size, rather than a stutter through the next cycle of its animation.
        """
        radius = quantize_radius(radius_px)
        frames = fallback(name).frames
        key = (name, radius, frame % frames, flip)
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
            return image
        for other in range(frames):
            if other != key[2] and (name, radius, other, flip) not in self._images:
                self._make((name, radius, other, flip))
        return self._make(key)

    def _make(self, key: tuple[str, int, int, bool]) -> pygame.Surface:
        name, radius, frame, flip = key
        master = self.master(name, frame)
        side = max(4, math.ceil(2 * MARGIN * radius))
        image = pygame.transform.smoothscale(master, (side, side))
        return self._keep(key, pygame.transform.flip(image, True, False) if flip else image)

    def prepare_rolling(self, kind: str, radius_px: float) -> None:
        """Draw every turn of a rolling ball now (a maze's start), so rolling never stops to draw one."""
        step = math.tau / ROLL_STEPS
        for i in range(ROLL_STEPS):
            for j in range(ROLL_STEPS):
                self.rolling(kind, radius_px, i * step, j * step)

    def rolling(self, kind: str, radius_px: float, roll_x: float, roll_y: float) -> pygame.Surface:
        """A rolling ball (``kind`` "ball" or "moon_rock") turned ``roll_x``/``roll_y`` radians."""
        radius = quantize_radius(radius_px)
        step = math.tau / ROLL_STEPS
        turn = (round(roll_x / step) % ROLL_STEPS, round(roll_y / step) % ROLL_STEPS)
        key = (kind, radius, turn[0] * ROLL_STEPS + turn[1])
        image = self._rolls.get(key)
        if image is not None:
            self._rolls.move_to_end(key)
            return image
        image = self._rolls[key] = for_display(render_rolling(kind, radius, turn))
        self.drawn += 1
        while len(self._rolls) > 2 * ROLL_STEPS * ROLL_STEPS:  # every turn of two balls; small images
            self._rolls.popitem(last=False)
        return image
