"""The one normalized input type that leaves ``game.input``.

Axis convention, defined once for the whole project: x is medio-lateral (right positive),
y is antero-posterior (forward positive); both in [-1, 1] after calibration, where 1 is
the player's limit of stability in that direction.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pose:
    """A timestamped control sample plus the raw physical reading it was made from."""

    t_s: float
    x: float
    y: float
    raw_x: float
    raw_y: float
    raw_unit: str  # "deg" (tilt), "mm" (centre of pressure), "key" (virtual tilt, deg)


@dataclass(frozen=True, slots=True)
class Reading:
    """One accepted device sample in the device's raw units, stamped with the device's own time.

    The game steps on the newest reading at 120 Hz (a ``Pose``); every reading is also kept
    at the device's own rate (the ``readings`` table), neither thinned nor repeated.
    """

    t_s: float
    raw_x: float
    raw_y: float


def clamp_unit(value: float) -> float:
    """Keep a control value inside [-1, 1] (a reading past the limits of stability)."""
    if value > 1.0:
        return 1.0
    if value < -1.0:
        return -1.0
    return value
