"""A small drawing pen for procedural sprites: unit coordinates, rotation and supersampling.

A sprite is drawn in its own unit space (the thing's radius is 1, x right, y down, so "up" on
screen is -y) onto a square canvas, twice as large as shown and then smoothly scaled down, which
gives soft edges without any image file. Every shape is a polygon, circle or line, so the same
drawer works at any size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygame

Colour = tuple[int, int, int] | tuple[int, int, int, int]
Point = tuple[float, float]

SUPERSAMPLE = 2
MARGIN = 1.45  # the canvas reaches this many radii from the centre (room for glow, wings and outlines)


class Pen:
    """Draws on ``surface`` in unit coordinates around its centre, turned by ``angle_deg`` (clockwise)."""

    def __init__(self, surface: pygame.Surface, unit_px: float, angle_deg: float = 0.0) -> None:
        self.surface = surface
        self.unit = unit_px
        w, h = surface.get_size()
        self.cx, self.cy = w / 2, h / 2
        a = math.radians(angle_deg)
        self._cos, self._sin = math.cos(a), math.sin(a)

    def turned(self, angle_deg: float) -> Pen:
        """A pen on the same canvas, turned further by ``angle_deg``."""
        current = math.degrees(math.atan2(self._sin, self._cos))
        return Pen(self.surface, self.unit, current + angle_deg)

    def px(self, point: Point) -> tuple[float, float]:
        x, y = point
        return (self.cx + (x * self._cos - y * self._sin) * self.unit,
                self.cy + (x * self._sin + y * self._cos) * self.unit)

    def width(self, w: float) -> int:
        return max(1, round(w * self.unit))

    def circle(self, colour: Colour, centre: Point, radius: float, width: float = 0.0) -> None:
        x, y = self.px(centre)
        r = max(1.0, radius * self.unit)
        if colour_alpha(colour) < 255:
            edge = self.width(width) if width else 0
            self._alpha_blit(colour, lambda s, c: pygame.draw.circle(s, c, (x, y), r, edge))
            return
        pygame.draw.circle(self.surface, colour, (x, y), r, self.width(width) if width else 0)

    def polygon(self, colour: Colour, points: Sequence[Point], width: float = 0.0) -> None:
        if len(points) < 3:
            return
        pts = [self.px(p) for p in points]
        if colour_alpha(colour) < 255:
            self._alpha_blit(colour, lambda s, c: pygame.draw.polygon(s, c, pts, self.width(width) if width else 0))
            return
        pygame.draw.polygon(self.surface, colour, pts, self.width(width) if width else 0)

    def oval(self, colour: Colour, centre: Point, rx: float, ry: float, angle_deg: float = 0.0,
             width: float = 0.0, steps: int = 36) -> None:
        self.polygon(colour, oval_points(centre, rx, ry, angle_deg, steps), width)

    def line(self, colour: Colour, a: Point, b: Point, width: float) -> None:
        w = self.width(width)
        pa, pb = self.px(a), self.px(b)
        pygame.draw.line(self.surface, colour, pa, pb, w)
        if w > 2:  # round ends
            for end in (pa, pb):
                pygame.draw.circle(self.surface, colour, end, w / 2)

    def lines(self, colour: Colour, points: Sequence[Point], width: float, closed: bool = False) -> None:
        for a, b in zip(points, [*points[1:], points[0]] if closed else points[1:], strict=False):
            self.line(colour, a, b, width)

    def _alpha_blit(self, colour: Colour, paint: object) -> None:
        """Translucent shapes: painted on a layer, then blended (pygame.draw writes alpha, it does not blend)."""
        layer = pygame.Surface(self.surface.get_size(), pygame.SRCALPHA)
        paint(layer, colour)  # type: ignore[operator]
        self.surface.blit(layer, (0, 0))


def colour_alpha(colour: Colour) -> int:
    return colour[3] if len(colour) == 4 else 255


def oval_points(centre: Point, rx: float, ry: float, angle_deg: float = 0.0, steps: int = 36) -> list[Point]:
    """The outline of an ellipse turned by ``angle_deg``, as a polygon."""
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    points = []
    for i in range(steps):
        t = i * math.tau / steps
        x, y = rx * math.cos(t), ry * math.sin(t)
        points.append((centre[0] + x * ca - y * sa, centre[1] + x * sa + y * ca))
    return points


def lerp(a: Colour, b: Colour, t: float) -> tuple[int, int, int]:
    """A colour between ``a`` and ``b``."""
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))
