"""The calibration model: raw device readings (tilt in degrees, COP in mm) to normalized x/y.

A calibration holds three things measured on the player: ``zero`` (the reading with the board
level or empty), ``centre`` (the player standing at rest) and the limits of stability (LOS),
one raw point per direction in ``DIRECTIONS_DEG`` (counter-clockwise from right, so 90 is
forward, as reach levels count them). A reading is mapped piecewise-linearly: between two
neighbouring LOS points the plane is a linear image of the unit circle's sector, so each
measured limit lands exactly on 1.0 in its direction, the centre on (0, 0), and a reading
halfway to the left limit on x = -0.5 however asymmetric the player's limits are. Because
the map is fitted per direction, a sensor mounted rotated or mirrored needs no setting: the
calibration absorbs it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from typing import Any

from game.errors import ProprioError
from game.input.pose import clamp_unit

DIRECTIONS_DEG = (0, 45, 90, 135, 180, 225, 270, 315)
DIRECTION_NAMES = {
    0: "right", 45: "forward-right", 90: "forward", 135: "forward-left",
    180: "left", 225: "back-left", 270: "back", 315: "back-right",
}
# The smallest LOS a calibration accepts, per raw unit: less than this is noise, not a lean.
MIN_REACH = {"deg": 1.0, "mm": 10.0, "stick": 0.1, "key": 1.0}
# Without a stored calibration: a typical reach per unit (x and y), the centre at zero.
DEFAULT_REACH = {"deg": (10.0, 10.0), "mm": (100.0, 80.0), "stick": (1.0, 1.0), "key": (15.0, 15.0)}
_MIN_SECTOR_DEG = 10.0  # neighbouring LOS directions closer than this make a degenerate map


class CalibrationError(ProprioError):
    """A calibration that cannot map readings (too little reach, directions out of order)."""


@dataclass(frozen=True)
class Calibration:
    """Zero, centre and the 8-direction limits of stability of one player on one device."""

    raw_unit: str
    zero: tuple[float, float]
    centre: tuple[float, float]
    los: tuple[tuple[float, float], ...]  # raw point at each of DIRECTIONS_DEG
    id: int | None = None  # the database row, once stored
    default: bool = False  # True when made up from DEFAULT_REACH rather than measured
    skipped: tuple[int, ...] = ()  # directions whose limit is DEFAULT_REACH from the centre, not measured

    def __post_init__(self) -> None:
        if len(self.los) != len(DIRECTIONS_DEG):
            raise CalibrationError(f"a calibration needs {len(DIRECTIONS_DEG)} LOS points, got {len(self.los)}")
        values = [*self.zero, *self.centre, *(v for p in self.los for v in p)]
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in values):
            raise CalibrationError("a calibration holds a value that is not a finite number",
                                   remedy="Run `proprio calibrate` again.")
        object.__setattr__(self, "_sectors", _sectors(self))

    @classmethod
    def default_for(cls, raw_unit: str, reach: tuple[float, float] | None = None) -> Calibration:
        """An elliptic LOS of a typical reach around zero: what a device uses before calibration."""
        rx, ry = reach or DEFAULT_REACH.get(raw_unit, (1.0, 1.0))
        points = tuple(
            (rx * math.cos(math.radians(d)), ry * math.sin(math.radians(d))) for d in DIRECTIONS_DEG
        )
        return cls(raw_unit, (0.0, 0.0), (0.0, 0.0), points, default=True)

    @property
    def skipped_text(self) -> str | None:
        """What was not measured, in words for the stored notes and the summary (None: all measured)."""
        if not self.skipped:
            return None
        rx, ry = DEFAULT_REACH.get(self.raw_unit, (1.0, 1.0))
        reach = f"{rx:g}" if rx == ry else f"{rx:g} x {ry:g}"
        names = ", ".join(DIRECTION_NAMES[d] for d in DIRECTIONS_DEG if d in self.skipped)
        return f"limits not measured, default reach of {reach} {self.raw_unit} stored: {names}"

    # -- mapping -----------------------------------------------------------------------
    def normalize(self, raw_x: float, raw_y: float) -> tuple[float, float]:
        """The reading in LOS units, each axis kept inside [-1, 1]."""
        x, y = self.unclamped(raw_x, raw_y)
        return clamp_unit(x), clamp_unit(y)

    def unclamped(self, raw_x: float, raw_y: float) -> tuple[float, float]:
        """The reading in LOS units, past 1.0 when the player leans beyond the measured limit."""
        dx, dy = raw_x - self.centre[0], raw_y - self.centre[1]
        best: tuple[float, float, float] | None = None
        for inv, u0, u1 in self._sectors:  # type: ignore[attr-defined]
            a = inv[0] * dx + inv[1] * dy
            b = inv[2] * dx + inv[3] * dy
            if a >= -1e-12 and b >= -1e-12:
                return a * u0[0] + b * u1[0], a * u0[1] + b * u1[1]
            worst = min(a, b)
            if best is None or worst > best[0]:
                best = (worst, a * u0[0] + b * u1[0], a * u0[1] + b * u1[1])
        assert best is not None  # _sectors always holds at least one sector
        return best[1], best[2]  # only reached through rounding at a sector edge

    def recentred(self, raw_x: float, raw_y: float) -> Calibration:
        """The same limits moved so that this reading becomes the new centre (re-zero)."""
        dx, dy = raw_x - self.centre[0], raw_y - self.centre[1]
        return replace(
            self,
            centre=(raw_x, raw_y),
            los=tuple((px + dx, py + dy) for px, py in self.los),
            id=self.id,
        )

    def reach(self) -> dict[str, float]:
        """Distance from the centre to each limit, raw units, by direction name (for people)."""
        return {
            DIRECTION_NAMES[d]: math.hypot(p[0] - self.centre[0], p[1] - self.centre[1])
            for d, p in zip(DIRECTIONS_DEG, self.los, strict=True)
        }

    # -- storage -----------------------------------------------------------------------
    def to_row(self) -> dict[str, Any]:
        """The columns of a ``calibrations`` row (without id, player and device)."""
        return {
            "raw_unit": self.raw_unit,
            "zero_x": self.zero[0], "zero_y": self.zero[1],
            "centre_x": self.centre[0], "centre_y": self.centre[1],
            "los": json.dumps({str(d): list(p) for d, p in zip(DIRECTIONS_DEG, self.los, strict=True)}),
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Calibration:
        """Rebuild a stored calibration; a damaged row is a CalibrationError, not a crash."""
        try:
            points = json.loads(row["los"])
            los = tuple((float(points[str(d)][0]), float(points[str(d)][1])) for d in DIRECTIONS_DEG)
            calibration = cls(
                str(row["raw_unit"]),
                (float(row["zero_x"]), float(row["zero_y"])),
                (float(row["centre_x"]), float(row["centre_y"])),
                los,
                id=row.get("id"),
            )
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise CalibrationError(
                f"calibration {row.get('id')} in the database cannot be read ({exc})",
                remedy="Run `proprio calibrate` again for this player and device.",
            ) from None
        return calibration


def default_limit(raw_unit: str, centre: tuple[float, float], direction_deg: int) -> tuple[float, float]:
    """The typical reach (``DEFAULT_REACH``) from a centre toward one direction: what a skipped limit stores."""
    rx, ry = DEFAULT_REACH.get(raw_unit, (1.0, 1.0))
    angle = math.radians(direction_deg)
    return centre[0] + rx * math.cos(angle), centre[1] + ry * math.sin(angle)


def validate(calibration: Calibration) -> Calibration:
    """Return the calibration if its limits make a usable map, else say what to redo."""
    minimum = MIN_REACH.get(calibration.raw_unit, 0.0)
    short = [name for name, r in calibration.reach().items() if r < minimum]
    if short:
        raise CalibrationError(
            f"the lean toward {', '.join(short)} was too small (under {minimum:g} {calibration.raw_unit})",
            remedy="Redo the limits of stability: lean as far as you safely can and hold.",
        )
    turns = 0.0
    vectors = [(p[0] - calibration.centre[0], p[1] - calibration.centre[1]) for p in calibration.los]
    signs = set()
    for v0, v1 in zip(vectors, vectors[1:] + vectors[:1], strict=True):
        angle = math.degrees(math.atan2(v0[0] * v1[1] - v0[1] * v1[0], v0[0] * v1[0] + v0[1] * v1[1]))
        if abs(angle) < _MIN_SECTOR_DEG or abs(angle) > 180.0 - _MIN_SECTOR_DEG:
            raise CalibrationError(
                "two neighbouring limits point (almost) the same way or opposite ways",
                remedy="Redo the limits of stability, leaning toward each arrow in turn.",
            )
        signs.add(angle > 0)
        turns += angle
    if len(signs) != 1 or abs(abs(turns) - 360.0) > 1.0:
        raise CalibrationError(
            "the limits do not go round the centre in order",
            remedy="Redo the limits of stability, leaning toward the arrow shown each time.",
        )
    return calibration


_Sector = tuple[tuple[float, float, float, float], tuple[float, float], tuple[float, float]]


def _sectors(calibration: Calibration) -> list[_Sector]:
    """Per sector: the inverse of [v_k v_k+1] and the unit directions it maps onto."""
    cx, cy = calibration.centre
    sectors: list[_Sector] = []
    count = len(DIRECTIONS_DEG)
    for k in range(count):
        (x0, y0), (x1, y1) = calibration.los[k], calibration.los[(k + 1) % count]
        ax, ay, bx, by = x0 - cx, y0 - cy, x1 - cx, y1 - cy
        det = ax * by - bx * ay
        if abs(det) < 1e-12:
            continue  # a degenerate sector (validate() rejects such calibrations)
        inv = (by / det, -bx / det, -ay / det, ax / det)
        d0, d1 = math.radians(DIRECTIONS_DEG[k]), math.radians(DIRECTIONS_DEG[(k + 1) % count])
        sectors.append((inv, (math.cos(d0), math.sin(d0)), (math.cos(d1), math.sin(d1))))
    if not sectors:
        sectors.append(((1.0, 0.0, 0.0, 1.0), (1.0, 0.0), (0.0, 1.0)))
    return sectors
