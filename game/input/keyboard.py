"""Keyboard and mouse as a virtual wobble board that stays where it is left.

A held arrow key tilts the board at a rate: a tap nudges it a little (``NUDGE_RATE_PER_S``),
a longer hold speeds up to ``TILT_RATE_PER_S`` over ``RAMP_S``, so a longer hold moves
further. Letting go leaves the board where it is: nothing springs back to level, so the
player keeps leaning against the level's wind with the keys (``game.core.push``) and an
untouched keyboard wins nothing. Two keys together move along the diagonal at the same
speed, and the board never leaves the playing field (the unit circle). R (``recentre``)
brings it back to level, and so does the start of each level or screen (its time starts again).

A mouse (or a finger on a touch screen) dragged on the playing field pulls the board toward
the pointer; let go and it stays there too.
"""

from __future__ import annotations

import math
from typing import Literal

from game.input.pose import Pose
from game.input.source import PoseSource

Direction = Literal["left", "right", "up", "down"]
DIRECTIONS: tuple[Direction, ...] = ("left", "right", "up", "down")
NUDGE_RATE_PER_S = 0.3  # how fast a key just pressed tilts the board, LOS fractions per second
TILT_RATE_PER_S = 1.2  # how fast a key held for RAMP_S or longer tilts it
RAMP_S = 0.4  # the rate grows evenly from the nudge rate to the tilt rate over this much holding
FULL_TILT_DEG = 15.0  # the virtual board's tilt at the limit of stability
DRAG_RATE_PER_S = 6.0  # how fast the board follows a dragged pointer, LOS fractions per second
LONGEST_STEP_S = 0.25  # a longer gap between polls (a stall) moves the board no further than this


def travel(held_s: float) -> float:
    """How far (LOS) a key held for ``held_s`` seconds moves the board (the integral of the rising rate)."""
    held_s = max(0.0, held_s)
    ramp = min(held_s, RAMP_S)
    gained = (TILT_RATE_PER_S - NUDGE_RATE_PER_S) * ramp * ramp / (2.0 * RAMP_S)
    return NUDGE_RATE_PER_S * ramp + gained + TILT_RATE_PER_S * (held_s - ramp)


def hold_needed(distance: float) -> float:
    """Seconds a key must be held to move the board ``distance`` LOS from rest (the inverse of ``travel``)."""
    if distance <= 0.0:
        return 0.0
    low, high = 0.0, RAMP_S + distance / NUDGE_RATE_PER_S
    for _ in range(60):
        middle = (low + high) / 2.0
        low, high = (middle, high) if travel(middle) < distance else (low, middle)
    return high


def into_field(x: float, y: float) -> tuple[float, float]:
    """The nearest point of the playing field (the unit circle) to (x, y)."""
    size = math.hypot(x, y)
    if size <= 1.0:
        return (x, y)
    return (x / size, y / size)


def rate_step(x: float, y: float, held_s: float, gx: float, gy: float, dt: float) -> tuple[float, float, float]:
    """One step of a board moved at a rate toward (gx, gy) (each -1..1): the new (x, y) and hold time.

    Nothing held (or opposite directions together): the board stays and the hold time starts again.
    The rate rises with the hold time as ``travel`` says; diagonals move at the same speed as one
    direction; the board stays on the playing field. Shared by the keys and a gamepad's d-pad.
    """
    size = math.hypot(gx, gy)
    if size == 0.0:
        return x, y, 0.0
    moved = (travel(held_s + dt) - travel(held_s)) * min(1.0, size)  # a half-pressed analog pad moves slower
    nx, ny = into_field(x + moved * gx / size, y + moved * gy / size)
    return nx, ny, held_s + dt


class KeyboardSource(PoseSource):
    """A ``PoseSource`` fed with the held directions and the dragged pointer by whatever owns the keyboard."""

    name = "keyboard"

    def __init__(self) -> None:
        self._held: frozenset[str] = frozenset()
        self._pointer: tuple[float, float] | None = None
        self._x = 0.0
        self._y = 0.0
        self._held_s = 0.0  # how long some direction has been held without a break
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
            point = into_field(x, y) if math.isfinite(x) and math.isfinite(y) else None
        self._pointer = point

    def recentre(self) -> bool:
        """The R key: the virtual board back to level."""
        self._x = self._y = 0.0
        self._held_s = 0.0
        return True

    def poll(self, t_s: float) -> Pose:
        """The virtual board's tilt now: it follows a drag, else moves with the held keys, else stays."""
        if self._last_t is not None and t_s < self._last_t:  # time starts again: a new level or screen
            self.recentre()  # begins with the board level
        dt = 0.0 if self._last_t is None else min(LONGEST_STEP_S, max(0.0, t_s - self._last_t))
        self._last_t = t_s
        if self._pointer is not None:  # a drag steers directly, a little smoothed
            self._held_s = 0.0
            px, py = self._pointer
            gap = math.hypot(px - self._x, py - self._y)
            step = DRAG_RATE_PER_S * dt
            if gap <= step:
                self._x, self._y = px, py
            else:
                self._x += (px - self._x) * step / gap
                self._y += (py - self._y) * step / gap
        else:
            gx = (1.0 if "right" in self._held else 0.0) - (1.0 if "left" in self._held else 0.0)
            gy = (1.0 if "up" in self._held else 0.0) - (1.0 if "down" in self._held else 0.0)
            self._x, self._y, self._held_s = rate_step(self._x, self._y, self._held_s, gx, gy, dt)
        return Pose(t_s, self._x, self._y, self._x * FULL_TILT_DEG, self._y * FULL_TILT_DEG, "deg")
