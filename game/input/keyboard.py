"""Keyboard and mouse as a virtual wobble board: held arrows tilt it, released it settles back level.

A mouse (or a finger on a touch screen) dragged on the playing field pulls the board toward
the pointer; let go and it settles back level like the keys.
"""

from __future__ import annotations

import math
from typing import Literal

from game.input.pose import Pose, clamp_unit
from game.input.source import PoseSource

Direction = Literal["left", "right", "up", "down"]
DIRECTIONS: tuple[Direction, ...] = ("left", "right", "up", "down")
TILT_RATE_PER_S = 1.4  # how fast a held key tilts the board, LOS fractions per second
SETTLE_RATE_PER_S = 1.8  # how fast the board levels again when no key is held
FULL_TILT_DEG = 15.0  # the virtual board's tilt at the limit of stability
DRAG_RATE_PER_S = 6.0  # how fast the board follows a dragged pointer, LOS fractions per second


def _approach(value: float, goal: float, rate: float) -> float:
    if value < goal:
        return min(goal, value + rate)
    return max(goal, value - rate)


class KeyboardSource(PoseSource):
    """A ``PoseSource`` fed with the held directions and the dragged pointer by whatever owns the keyboard."""

    name = "keyboard"

    def __init__(self) -> None:
        self._held: frozenset[str] = frozenset()
        self._pointer: tuple[float, float] | None = None
        self._x = 0.0
        self._y = 0.0
        self._last_t: float | None = None

    def steer(self, held: frozenset[str], pointer: tuple[float, float] | None) -> None:
        """The directions held (some of ``DIRECTIONS``) and where the field is dragged, as the view saw them."""
        self.set_held(held)
        self.set_pointer(pointer)

    def set_held(self, held: frozenset[str]) -> None:
        """Tell the source which of ``DIRECTIONS`` are held right now."""
        unknown = held.difference(DIRECTIONS)
        if unknown:
            raise ValueError(f"unknown directions {sorted(unknown)}; expected some of {DIRECTIONS}")
        self._held = held

    def set_pointer(self, point: tuple[float, float] | None) -> None:
        """Where a mouse button or finger is held on the field (LOS units), or None when released."""
        if point is not None:
            x, y = float(point[0]), float(point[1])
            if not (math.isfinite(x) and math.isfinite(y)):
                point = None
            else:
                point = (clamp_unit(x), clamp_unit(y))
        self._pointer = point

    def poll(self, t_s: float) -> Pose:
        """The virtual board's tilt now: it follows a drag, else tilts toward held keys or settles level."""
        dt = 0.0 if self._last_t is None else max(0.0, t_s - self._last_t)
        self._last_t = t_s
        if self._pointer is not None:  # a drag steers directly, a little smoothed
            px, py = self._pointer
            self._x = clamp_unit(_approach(self._x, px, DRAG_RATE_PER_S * dt))
            self._y = clamp_unit(_approach(self._y, py, DRAG_RATE_PER_S * dt))
            return Pose(t_s, self._x, self._y, self._x * FULL_TILT_DEG, self._y * FULL_TILT_DEG, "deg")
        gx = (1.0 if "right" in self._held else 0.0) - (1.0 if "left" in self._held else 0.0)
        gy = (1.0 if "up" in self._held else 0.0) - (1.0 if "down" in self._held else 0.0)
        rate_x = (TILT_RATE_PER_S if gx else SETTLE_RATE_PER_S) * dt
        rate_y = (TILT_RATE_PER_S if gy else SETTLE_RATE_PER_S) * dt
        self._x = clamp_unit(_approach(self._x, gx, rate_x))
        self._y = clamp_unit(_approach(self._y, gy, rate_y))
        return Pose(t_s, self._x, self._y, self._x * FULL_TILT_DEG, self._y * FULL_TILT_DEG, "deg")
