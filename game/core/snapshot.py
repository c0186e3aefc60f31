"""Immutable pictures of the world that views draw (and agents such as the sim player see)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from game.core.art import NEUTRAL_ART, ArtView
from game.core.phases import SnapshotPhase

Outcome = Literal["success", "fail"]  # how the last trial ended

@dataclass(frozen=True, slots=True)
class TargetView:
    """A zone drawn on the field: the hold zone, a reach target or the home base."""

    x: float
    y: float
    radius: float
    role: str  # "zone", "target" or "home"
    inside: bool


@dataclass(frozen=True, slots=True)
class ItemView:
    """A moving thing on the field: something to collect or to dodge."""

    x: float
    y: float
    radius: float
    role: str  # "collect" or "avoid"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a view needs to draw one simulation step; decides nothing."""

    t_s: float
    theme: str
    level_title: str
    challenge_index: int
    challenge_count: int
    challenge_kind: str
    challenge_title: str
    instruction: str
    phase: SnapshotPhase
    phase_left_s: float
    control: tuple[float, float]
    marker: tuple[float, float]
    targets: tuple[TargetView, ...]
    progress: float
    trial: int
    trials: int
    difficulty: float
    score: int
    max_score: int
    stars: int
    last_outcome: Outcome | None  # None before the first trial ends
    last_points: int
    # Shapes some challenge kinds add (empty for the others); all in LOS units.
    path: tuple[tuple[float, float], ...] = ()  # a polyline to follow (track)
    walls: tuple[tuple[float, float, float, float], ...] = ()  # segments x0, y0, x1, y1 (maze)
    wall_thickness: float = 0.0
    items: tuple[ItemView, ...] = ()  # collectables and obstacles
    message: str | None = None  # the level's own feedback words after a trial, if any
    art: ArtView = NEUTRAL_ART  # what each role is drawn as (game/core/art.py)
    # The level's perturbation (wind, waves, a wobbling leaf) acting on the marker now, in LOS units
    # (direction and strength; (0, 0) when nothing pushes), so a view can draw streaks or waves.
    push: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Frame:
    """What a view receives: the state before and after the last step, and how far between."""

    prev: Snapshot
    curr: Snapshot
    alpha: float

    def marker(self) -> tuple[float, float]:
        """The marker position interpolated between the two steps."""
        (x0, y0), (x1, y1) = self.prev.marker, self.curr.marker
        a = self.alpha
        return (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a)
