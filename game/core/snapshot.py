"""Immutable pictures of the world that views draw (and agents such as the sim player see)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from game.actions import Button
from game.core.art import NEUTRAL_ART, ArtView
from game.core.phases import SnapshotPhase

Outcome = Literal["success", "fail"]  # how the last trial ended

PAUSE_CORNER = Button("Space: pause", "play", 0)
"""A level's corner hint: Space pauses, and so does a click or a touch on the words (``pick("play", 0)``)."""

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


class _TargetViewDraft:
    __slots__ = TargetView.__slots__  # (see SnapshotDraft)

    x: float
    y: float
    radius: float
    role: str
    inside: bool


class _ItemViewDraft:
    __slots__ = ItemView.__slots__  # (see SnapshotDraft)

    x: float
    y: float
    radius: float
    role: str


def target_view(x: float, y: float, radius: float, role: str, inside: bool) -> TargetView:
    """``TargetView(x, y, radius, role, inside)``, made the way ``SnapshotDraft`` makes a snapshot (a step's worth)."""
    view = _TargetViewDraft()
    view.x, view.y, view.radius, view.role, view.inside = x, y, radius, role, inside
    object.__setattr__(view, "__class__", TargetView)
    return cast(TargetView, view)


def item_view(x: float, y: float, radius: float, role: str) -> ItemView:
    """``ItemView(x, y, radius, role)``, made the way ``SnapshotDraft`` makes a snapshot (each item, each step)."""
    view = _ItemViewDraft()
    view.x, view.y, view.radius, view.role = x, y, radius, role
    object.__setattr__(view, "__class__", ItemView)
    return cast(ItemView, view)


class SnapshotDraft:
    """A ``Snapshot`` being filled in by the code that builds one every step (``World.snapshot``).

    The frozen dataclass's generated ``__init__`` sets each of its ~30 fields through
    ``object.__setattr__`` (about 6 us, a sixth of a simulated step). A draft has the very same
    slots and takes plain assignments; :meth:`done` then turns it into that Snapshot in place
    (``__class__`` assignment, allowed between classes of one slot layout), no copy. Every field
    must be assigned, defaults included: a field left out raises ``AttributeError`` when read, a
    misspelt one at once. The annotations repeat Snapshot's so mypy checks what is assigned
    (tests/game/core/test_snapshot.py keeps the two lists equal).
    """

    __slots__ = Snapshot.__slots__  # (made by dataclass(slots=True))

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
    last_outcome: Outcome | None
    last_points: int
    path: tuple[tuple[float, float], ...]
    walls: tuple[tuple[float, float, float, float], ...]
    wall_thickness: float
    items: tuple[ItemView, ...]
    message: str | None
    art: ArtView
    push: tuple[float, float]

    def done(self) -> Snapshot:
        """This draft, now the frozen Snapshot (the draft must not be used after)."""
        object.__setattr__(self, "__class__", Snapshot)
        return cast(Snapshot, self)


@dataclass(frozen=True, slots=True)
class Frame:
    """What a view receives: the state before and after the last step, and how far between."""

    prev: Snapshot
    curr: Snapshot
    alpha: float
    corner: Button = PAUSE_CORNER
    """The key hint a view writes in the playing screen's bottom-right corner, and the item a click there names.
    The screen says which is true: a level pauses on Space; an assessment's limits-of-stability trial cannot
    pause, so its corner says how to end the assessment (and a click there asks first)."""

    def marker(self) -> tuple[float, float]:
        """The marker position interpolated between the two steps."""
        (x0, y0), (x1, y1) = self.prev.marker, self.curr.marker
        a = self.alpha
        return (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a)
