"""Plane geometry shared by the level validator and the core (no game rules here)."""

from __future__ import annotations

import math

Point = tuple[float, float]
Segment = tuple[float, float, float, float]


def closest_on_segment(p: Point, seg: Segment) -> Point:
    """The point of segment (x0, y0, x1, y1) nearest to ``p``."""
    x0, y0, x1, y1 = seg
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - x0) * dx + (p[1] - y0) * dy) / length2))
    return (x0 + t * dx, y0 + t * dy)


def segment_distance(p: Point, seg: Segment) -> float:
    """Distance from ``p`` to the segment."""
    cx, cy = closest_on_segment(p, seg)
    return math.hypot(p[0] - cx, p[1] - cy)
