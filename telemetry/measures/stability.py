"""Biodex-style figures of a balance trace: stability indexes, % time in zones and in quadrants.

Definitions (Biodex Medical Systems, *Balance System SD Operation/Service Manual*, "Stability
Index", "Percent time in zone", "Percent time in quadrant"; the indexes as used by Arnold &
Schmitz 1998, J Athl Train 33:323, and Hinman 2000, J Sport Rehabil 9:240):

* **Overall stability index** ``OSI = sqrt(sum(X_i^2 + Y_i^2) / N)``, the root-mean-square
  displacement from the centre (not from the trace's own mean, as ``rms_radius`` is);
  ``APSI = sqrt(sum(Y_i^2) / N)`` and ``MLSI = sqrt(sum(X_i^2) / N)``. X is medio-lateral and Y
  antero-posterior displacement from the centre: for a wobble board the level platform (0
  degrees), for a balance board or a force plate the player's calibrated centre, in % of the
  limits of stability the calibrated centre (0, 0). Lower is steadier.
* **% time in zones**: the share of samples whose distance from the centre falls in concentric
  rings A (innermost) to D. Biodex rings are 5 degrees of platform tilt wide (A 0-5, B 5-10,
  C 10-15, D 15-20 degrees: ``DEGREE_ZONES``); in % of the limits of stability we use quarters
  of the limits (A 0-25 %, B 25-50 %, C 50-75 %, D 75-100 %: ``LOS_ZONES``). Samples beyond
  the last ring are counted as ``beyond``. A distance on a ring's edge belongs to the inner ring.
* **% time in quadrants**: the share of samples in each quadrant around the centre, numbered
  like the mathematical quadrants with x to the right and y forward: I front-right
  (0 <= angle < 90 degrees), II front-left, III back-left, IV back-right (angle counter-clockwise
  from the right). A sample exactly at the centre counts in I.

Samples are weighted equally, so the trace must be evenly sampled (``filters.uniform``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from telemetry.measures.errors import MeasureError

#: Zone outer edges in degrees of platform tilt (Biodex A-D).
DEGREE_ZONES = (5.0, 10.0, 15.0, 20.0)
#: Zone outer edges in % of the limits of stability (quarters of the limits).
LOS_ZONES = (25.0, 50.0, 75.0, 100.0)
ZONE_NAMES = ("A", "B", "C", "D")
QUADRANT_NAMES = ("I", "II", "III", "IV")


class StabilityInputError(MeasureError):
    """A trace the stability figures cannot be computed from."""


@dataclass(frozen=True)
class StabilityFigures:
    """Stability indexes (trace unit) and % time per zone and quadrant of one trace."""

    overall_index: float
    ap_index: float
    ml_index: float
    zones_pct: dict[str, float]
    quadrants_pct: dict[str, float]

    def as_dict(self) -> dict[str, object]:
        """By name, ready for JSON."""
        return asdict(self)


def _axes(ml: ArrayLike, ap: ArrayLike, centre: tuple[float, float]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    try:
        x = np.asarray(ml, dtype=np.float64) - float(centre[0])
        y = np.asarray(ap, dtype=np.float64) - float(centre[1])
    except (TypeError, ValueError):
        raise StabilityInputError("ml, ap and the centre must be numbers") from None
    if x.ndim != 1 or x.shape != y.shape:
        raise StabilityInputError(f"ml and ap must be one-dimensional and of one length, not {x.shape}, {y.shape}")
    if x.size == 0:
        raise StabilityInputError("the trace has no samples", "record the trial first")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise StabilityInputError("the trace holds NaN or infinite values", "drop or interpolate missing samples")
    return x, y


def stability_indexes(ml: ArrayLike, ap: ArrayLike,
                      centre: tuple[float, float] = (0.0, 0.0)) -> tuple[float, float, float]:
    """(overall, AP, ML) stability index: root-mean-square displacement from ``centre``."""
    x, y = _axes(ml, ap, centre)
    return (float(np.sqrt(np.mean(x**2 + y**2))), float(np.sqrt(np.mean(y**2))), float(np.sqrt(np.mean(x**2))))


def time_in_zones_pct(ml: ArrayLike, ap: ArrayLike, edges: tuple[float, ...] = LOS_ZONES,
                      centre: tuple[float, float] = (0.0, 0.0)) -> dict[str, float]:
    """% of samples in each concentric zone A-D around ``centre`` (outer ``edges``), and ``beyond``."""
    if len(edges) != len(ZONE_NAMES) or any(not b > a for a, b in zip((0.0, *edges), edges, strict=False)):
        raise StabilityInputError(f"zone edges must be {len(ZONE_NAMES)} increasing positive numbers, not {edges!r}")
    x, y = _axes(ml, ap, centre)
    radius = np.hypot(x, y)
    ring = np.searchsorted(np.asarray(edges), radius, side="left")  # on an edge: the inner ring
    counts = np.bincount(ring, minlength=len(edges) + 1)
    names = (*ZONE_NAMES, "beyond")
    return {name: 100.0 * float(counts[i]) / radius.size for i, name in enumerate(names)}


def time_in_quadrants_pct(ml: ArrayLike, ap: ArrayLike, centre: tuple[float, float] = (0.0, 0.0)) -> dict[str, float]:
    """% of samples in quadrants I (front-right), II (front-left), III (back-left), IV (back-right)."""
    x, y = _axes(ml, ap, centre)
    angle = np.mod(np.degrees(np.arctan2(y, x)), 360.0)
    quadrant = np.minimum((angle // 90.0).astype(int), 3)
    counts = np.bincount(quadrant, minlength=4)
    return {name: 100.0 * float(counts[i]) / x.size for i, name in enumerate(QUADRANT_NAMES)}


def stability_figures(ml: ArrayLike, ap: ArrayLike, edges: tuple[float, ...] = LOS_ZONES,
                      centre: tuple[float, float] = (0.0, 0.0)) -> StabilityFigures:
    """Every figure of this module for one trace."""
    overall, ap_index, ml_index = stability_indexes(ml, ap, centre)
    return StabilityFigures(overall, ap_index, ml_index, time_in_zones_pct(ml, ap, edges, centre),
                            time_in_quadrants_pct(ml, ap, centre))
