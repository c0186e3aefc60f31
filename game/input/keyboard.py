"""Keyboard as a virtual wobble board: held arrows tilt it, released it settles back level."""

from __future__ import annotations

from game.core.snapshot import Snapshot
from game.input.pose import Pose, clamp_unit

DIRECTIONS = ("left", "right", "up", "down")
TILT_RATE_PER_S = 1.4  # how fast a held key tilts the board, LOS fractions per second
SETTLE_RATE_PER_S = 1.8  # how fast the board levels again when no key is held
FULL_TILT_DEG = 15.0  # the virtual board's tilt at the limit of stability


def _approach(value: float, goal: float, rate: float) -> float:
    if value < goal:
        return min(goal, value + rate)
    return max(goal, value - rate)


class KeyboardSource:
    """A ``PoseSource`` fed with the set of held directions by whatever owns the keyboard."""

    name = "keyboard"

    def __init__(self) -> None:
        self._held: frozenset[str] = frozenset()
        self._x = 0.0
        self._y = 0.0
        self._last_t: float | None = None

    def set_held(self, held: frozenset[str]) -> None:
        """Tell the source which of ``DIRECTIONS`` are held right now."""
        unknown = held.difference(DIRECTIONS)
        if unknown:
            raise ValueError(f"unknown directions {sorted(unknown)}; expected some of {DIRECTIONS}")
        self._held = held

    def poll(self, t_s: float) -> Pose:
        dt = 0.0 if self._last_t is None else max(0.0, t_s - self._last_t)
        self._last_t = t_s
        gx = (1.0 if "right" in self._held else 0.0) - (1.0 if "left" in self._held else 0.0)
        gy = (1.0 if "up" in self._held else 0.0) - (1.0 if "down" in self._held else 0.0)
        rate_x = (TILT_RATE_PER_S if gx else SETTLE_RATE_PER_S) * dt
        rate_y = (TILT_RATE_PER_S if gy else SETTLE_RATE_PER_S) * dt
        self._x = clamp_unit(_approach(self._x, gx, rate_x))
        self._y = clamp_unit(_approach(self._y, gy, rate_y))
        return Pose(t_s, self._x, self._y, self._x * FULL_TILT_DEG, self._y * FULL_TILT_DEG, "deg")

    def observe(self, snapshot: Snapshot) -> None:
        """A person looks at the screen themselves."""

    def close(self) -> None:
        """Nothing to release."""
