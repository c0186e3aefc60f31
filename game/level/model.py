"""Typed, validated models of level and playlist files.

Units live in field names. Positions are fractions of the player's calibrated limits of
stability (LOS; x medio-lateral, right positive; y antero-posterior, forward positive);
angles are degrees counter-clockwise from "right" (so 90 is forward); times are seconds;
speeds are LOS fractions per second.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from game.geometry import segment_distance
from game.vocabulary import KINDS as KINDS  # defined with the command line's names (light for `--help`)
from game.vocabulary import ChallengeKind as ChallengeKind

SCHEMA_VERSION = 1
SoundName = Literal["start", "appear", "enter", "exit", "success", "miss", "home", "cheer", "fanfare", "pause"]
SOUND_NAMES: tuple[SoundName, ...] = get_args(SoundName)
Theme = Literal["garden", "space", "ocean"]
THEMES: tuple[Theme, ...] = get_args(Theme)
Order = Literal["random", "clockwise", "listed"]  # play order of a set of target directions
# What a level may draw its roles as: every name is drawn as that thing by both views (2D and 3D).
Sprite = Literal[
    "ladybird", "leaf", "lily_pad", "flower", "bee", "butterfly", "firefly", "ball", "fountain",
    "dolphin", "fish", "crab", "boat", "buoy", "shell", "jellyfish",
    "rocket", "planet", "star", "asteroid", "moon_rock", "landing_pad",
    "clock_hand", "ring", "dot",
]
SPRITES: tuple[Sprite, ...] = get_args(Sprite)
Backdrop = Literal["garden", "pond", "night_garden", "sea", "beach", "space", "moon", "clock"]
BACKDROPS: tuple[Backdrop, ...] = get_args(Backdrop)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Knob(_Strict):
    """One difficulty knob: its value at difficulty 0 (easy) and at difficulty 1 (hard)."""

    easy: float = Field(description="value at normalized difficulty 0")
    hard: float = Field(description="value at normalized difficulty 1")

    @model_validator(mode="after")
    def _distinct_ends(self) -> Knob:
        if not (math.isfinite(self.easy) and math.isfinite(self.hard)):
            raise ValueError("easy and hard must be finite numbers")
        if self.easy == self.hard:
            raise ValueError(f"easy and hard are both {self.easy}: a knob needs a range (use a fixed field instead)")
        return self

    def at(self, difficulty: float) -> float:
        """The knob's value at a normalized difficulty in [0, 1] (linear between the ends)."""
        return self.easy + (self.hard - self.easy) * difficulty


PUSH_RANGE = (0.0, 0.6, "LOS")  # the wind's strength a level may ask for
PUSH_HELP = ("strength of the wind (current, waves) that keeps blowing the marker off where the player leans,"
             " fraction of LOS (0 to 0.6): how far it carries the marker if nobody leans against it")


def _renamed_wobble(data: Any) -> Any:
    """Older level files call the push ``wobble``: load them, the same numbers as the push."""
    if isinstance(data, dict) and "wobble" in data:
        if "push" in data:
            raise ValueError("both push and wobble are given: wobble is the old name of push; keep only push")
        data = {("push" if key == "wobble" else key): value for key, value in data.items()}
    return data


def _check_knob_ranges(model: BaseModel, bounds: dict[str, tuple[float, float, str]]) -> None:
    """Every end of every knob inside its allowed range (with the unit in the message)."""
    for name, (low, high, unit) in bounds.items():
        knob = getattr(model, name, None)
        if knob is None:
            continue
        for end in ("easy", "hard"):
            value = getattr(knob, end)
            if not low <= value <= high:
                raise ValueError(f"{name}.{end} = {value} is outside [{low}, {high}] {unit}")


class DifficultyLimits(_Strict):
    """Where the scaler starts, the band it may move in, and the success rate it aims at."""

    start: float = Field(
        default=0.2, ge=0.0, le=1.0, description="normalized difficulty of the first trial (0 easy, 1 hard)"
    )
    floor: float = Field(default=0.0, ge=0.0, le=1.0, description="easiest normalized difficulty allowed")
    ceiling: float = Field(default=1.0, ge=0.0, le=1.0, description="hardest normalized difficulty allowed")
    target_success: float = Field(default=0.8, gt=0.0, lt=1.0, description="success rate the scaler aims at (0 to 1)")

    @model_validator(mode="after")
    def _ordered(self) -> DifficultyLimits:
        if self.floor > self.ceiling:
            raise ValueError(f"floor {self.floor} is above ceiling {self.ceiling}")
        if not self.floor <= self.start <= self.ceiling:
            raise ValueError(f"start {self.start} is outside [floor {self.floor}, ceiling {self.ceiling}]")
        return self


class Scoring(_Strict):
    """Points for one trial of a challenge."""

    points_per_success: int = Field(default=100, ge=0, le=100_000, description="points for a successful trial")
    time_bonus: int = Field(
        default=50, ge=0, le=100_000, description="extra points for a success, scaled by the time left"
    )
    partial: float = Field(
        default=0.3, ge=0.0, le=1.0, description="share of the success points a missed trial earns per unit of progress"
    )


class Feedback(_Strict):
    """What the player sees and hears after a trial (defaults come from the theme)."""

    success_messages: tuple[Annotated[str, Field(min_length=1, max_length=24)], ...] = Field(
        default=(), max_length=20, description="short words of praise, shown in turn after successes"
    )
    fail_messages: tuple[Annotated[str, Field(min_length=1, max_length=24)], ...] = Field(
        default=(), max_length=20, description="short encouragements, shown in turn after misses"
    )
    success_sound: SoundName = Field(default="success", description="sound of a success")
    fail_sound: SoundName = Field(default="miss", description="sound of a miss")


Position = tuple[
    Annotated[float, Field(ge=-1.0, le=1.0, description="x, medio-lateral, fraction of LOS")],
    Annotated[float, Field(ge=-1.0, le=1.0, description="y, antero-posterior, fraction of LOS")],
]
Angle = Annotated[float, Field(ge=-360.0, le=360.0, description="degrees counter-clockwise from right")]


class Art(_Strict):
    """What each role is drawn as; a role left out takes the level's choice, then the theme's."""

    player: Sprite | None = Field(default=None, description="the thing the player steers (the marker or ball)")
    target: Sprite | None = Field(
        default=None, description="hold zones, reach and shift targets, the moving target, the maze goal"
    )
    home: Sprite | None = Field(default=None, description="the home zone a reach returns to")
    collect: Sprite | None = Field(default=None, description="items to collect")
    avoid: Sprite | None = Field(default=None, description="items to dodge")
    backdrop: Backdrop | None = Field(default=None, description="the scene behind the playing field")


class _Challenge(_Strict):
    """Fields every challenge kind has."""

    title: str = Field(min_length=1, max_length=60, description="shown in the HUD")
    instruction: str = Field(min_length=1, max_length=80, description="one short sentence shown to the player")
    difficulty: DifficultyLimits = Field(default_factory=DifficultyLimits, description="the scaler's limits")
    scoring: Scoring = Field(default_factory=Scoring, description="points")
    feedback: Feedback = Field(default_factory=Feedback, description="messages and sounds after a trial")
    art: Art = Field(default_factory=Art, description="what this challenge's roles are drawn as (over the level.s)")


# -- hold ----------------------------------------------------------------------------------
class HoldKnobs(_Strict):
    """Knobs of a hold challenge (target size, hold time, the wind's strength)."""

    radius: Knob = Field(description="radius of the target zone, fraction of LOS (0.02 to 1)")
    hold_s: Knob = Field(description="seconds to hold inside the zone (0.1 to 120)")
    push: Knob = Field(default_factory=lambda: Knob(easy=0.35, hard=0.5), description=PUSH_HELP)

    @model_validator(mode="before")
    @classmethod
    def _old_name(cls, data: Any) -> Any:
        return _renamed_wobble(data)

    @model_validator(mode="after")
    def _ranges(self) -> HoldKnobs:
        _check_knob_ranges(self, {"radius": (0.02, 1.0, "LOS"), "hold_s": (0.1, 120.0, "s"), "push": PUSH_RANGE})
        return self


class HoldChallenge(_Challenge):
    """Static balance: keep the marker inside a zone for a hold time while the wind keeps blowing it away."""

    kind: Literal["hold"]
    trials: int = Field(ge=1, le=200, description="number of holds")
    timeout_s: float = Field(gt=0.0, le=600.0, description="seconds before a hold counts as missed")
    centre: Position = Field(default=(0.0, 0.0), description="centre of the zone (x, y), fraction of LOS")
    knobs: HoldKnobs = Field(description="difficulty knobs")

    @model_validator(mode="after")
    def _wind_can_be_countered(self) -> HoldChallenge:
        away = math.hypot(*self.centre)
        strongest = max(self.knobs.push.easy, self.knobs.push.hard)
        if away + strongest > 1.0 + 1e-9:
            room = max(0.0, 1.0 - away)
            raise ValueError(
                f"the zone lies {away:.2f} LOS from the middle and the wind pushes up to {strongest:g} LOS, so the"
                f" player could have to lean {away + strongest:.2f} LOS against it (beyond their limit of 1);"
                f" keep |centre| + push <= 1: write knobs.push with both ends at most {room:.2f}"
                " (or move the zone nearer the middle)")
        return self


# -- reach ---------------------------------------------------------------------------------
class ReachKnobs(_Strict):
    """Knobs of a reach challenge (distance, target size, dwell time)."""

    distance: Knob = Field(description="distance of each target from the centre, fraction of LOS (0.05 to 1)")
    radius: Knob = Field(description="radius of each target, fraction of LOS (0.02 to 1)")
    dwell_s: Knob = Field(description="seconds to stay on a target to acquire it (0 to 30)")

    @model_validator(mode="after")
    def _ranges(self) -> ReachKnobs:
        _check_knob_ranges(self, {"distance": (0.05, 1.0, "LOS"), "radius": (0.02, 1.0, "LOS"),
                                  "dwell_s": (0.0, 30.0, "s")})
        return self


class ReachChallenge(_Challenge):
    """Reach: targets appear in several directions; reach each and hold on it."""

    kind: Literal["reach"]
    directions_deg: tuple[Angle, ...] = Field(
        min_length=1, max_length=64, description="target directions, degrees counter-clockwise from right"
    )
    repeats: int = Field(default=1, ge=1, le=20, description="how many times the set of directions is played")
    order: Order = Field(default="random", description="play order of the directions")
    timeout_s: float = Field(gt=0.0, le=600.0, description="seconds to acquire a target")
    return_to_centre: bool = Field(default=True, description="the player returns to the centre before the next target")
    centre_radius: float = Field(default=0.15, gt=0.0, le=0.5, description="radius of the home zone, fraction of LOS")
    knobs: ReachKnobs = Field(description="difficulty knobs")

    @property
    def trials(self) -> int:
        """Number of targets in the challenge."""
        return len(self.directions_deg) * self.repeats


# -- weight shift ------------------------------------------------------------------------------
PATTERNS = {
    "side_to_side": (0.0, 180.0),
    "forward_back": (90.0, 270.0),
    "diagonal": (45.0, 225.0),
    "other_diagonal": (135.0, 315.0),
    "square": (45.0, 135.0, 225.0, 315.0),
}


class WeightShiftKnobs(_Strict):
    """Knobs of a weight-shift challenge (how far, how precise, how long to hold each side)."""

    distance: Knob = Field(description="distance of each target from the centre, fraction of LOS (0.05 to 1)")
    radius: Knob = Field(description="radius of each target, fraction of LOS (0.02 to 1)")
    hold_s: Knob = Field(description="seconds to hold on each target (0 to 30)")

    @model_validator(mode="after")
    def _ranges(self) -> WeightShiftKnobs:
        _check_knob_ranges(self, {"distance": (0.05, 1.0, "LOS"), "radius": (0.02, 1.0, "LOS"),
                                  "hold_s": (0.0, 30.0, "s")})
        return self


class WeightShiftChallenge(_Challenge):
    """Weight shifting: alternate between two or more targets, holding on each."""

    kind: Literal["weight_shift"]
    pattern: Literal["side_to_side", "forward_back", "diagonal", "other_diagonal", "square", "custom"] = Field(
        default="side_to_side", description="which targets to alternate between; 'custom' uses directions_deg"
    )
    directions_deg: tuple[Angle, ...] = Field(
        default=(), max_length=16, description="target directions for pattern 'custom' (two or more)"
    )
    cycles: int = Field(default=3, ge=1, le=50, description="how many times the whole pattern is played")
    timeout_s: float = Field(gt=0.0, le=600.0, description="seconds to reach and hold each target")
    knobs: WeightShiftKnobs = Field(description="difficulty knobs")

    @model_validator(mode="after")
    def _pattern_directions(self) -> WeightShiftChallenge:
        if self.pattern == "custom" and len(self.directions_deg) < 2:
            raise ValueError("pattern 'custom' needs directions_deg with two or more directions")
        if self.pattern != "custom" and self.directions_deg:
            raise ValueError(f"directions_deg is only for pattern 'custom' (pattern is '{self.pattern}')")
        return self

    @property
    def directions(self) -> tuple[float, ...]:
        """The directions alternated between, in order."""
        return self.directions_deg if self.pattern == "custom" else PATTERNS[self.pattern]

    @property
    def trials(self) -> int:
        """Number of targets held in the challenge."""
        return len(self.directions) * self.cycles


# -- limits of stability -----------------------------------------------------------------------
LOS_DIRECTIONS = (90.0, 45.0, 0.0, 315.0, 270.0, 225.0, 180.0, 135.0)


class LimitsOfStabilityKnobs(_Strict):
    """Knobs of the limits-of-stability task."""

    distance: Knob = Field(description="target distance, fraction of LOS (0.3 to 1)")
    radius: Knob = Field(description="target radius, fraction of LOS (0.02 to 0.5)")
    hold_s: Knob = Field(description="seconds to hold at the target (0 to 10)")

    @model_validator(mode="after")
    def _ranges(self) -> LimitsOfStabilityKnobs:
        _check_knob_ranges(self, {"distance": (0.3, 1.0, "LOS"), "radius": (0.02, 0.5, "LOS"),
                                  "hold_s": (0.0, 10.0, "s")})
        return self


class LimitsOfStabilityChallenge(_Challenge):
    """The clinical limits-of-stability task: lean as far and fast as you can toward 8 targets."""

    kind: Literal["limits_of_stability"]
    directions_deg: tuple[Angle, ...] = Field(
        default=LOS_DIRECTIONS, min_length=1, max_length=16, description="target directions (the clinical task uses 8)"
    )
    order: Order = Field(default="clockwise", description="play order")
    timeout_s: float = Field(
        default=8.0, gt=0.0, le=60.0, description="movement time allowed per target (clinical: 8 s)"
    )
    centre_radius: float = Field(default=0.12, gt=0.0, le=0.5, description="radius of the home zone, fraction of LOS")
    knobs: LimitsOfStabilityKnobs = Field(description="difficulty knobs")

    @property
    def trials(self) -> int:
        """Number of targets."""
        return len(self.directions_deg)


# -- track ---------------------------------------------------------------------------------
class TrackKnobs(_Strict):
    """Knobs of a tracking challenge (target speed and size, the current's strength)."""

    speed: Knob = Field(description="speed of the moving target along its path, LOS fractions per second (0.02 to 2)")
    radius: Knob = Field(description="radius of the moving target, fraction of LOS (0.02 to 0.6)")
    push: Knob = Field(default_factory=lambda: Knob(easy=0.1, hard=0.3), description=PUSH_HELP)

    @model_validator(mode="before")
    @classmethod
    def _old_name(cls, data: Any) -> Any:
        return _renamed_wobble(data)

    @model_validator(mode="after")
    def _ranges(self) -> TrackKnobs:
        _check_knob_ranges(self, {"speed": (0.02, 2.0, "LOS/s"), "radius": (0.02, 0.6, "LOS"), "push": PUSH_RANGE})
        return self


class TrackChallenge(_Challenge):
    """Tracking: follow a target that moves along a path; score the time on it."""

    kind: Literal["track"]
    path: Literal["line", "circle", "figure_eight", "random_smooth"] = Field(description="the shape the target follows")
    size: float = Field(
        default=0.6, gt=0.05, le=1.0,
        description="furthest point of the path from its centre (radius for a circle), fraction of LOS",
    )
    angle_deg: Angle = Field(default=0.0, description="direction of a line path, degrees counter-clockwise from right")
    centre: Position = Field(default=(0.0, 0.0), description="centre of the path, fraction of LOS")
    trials: int = Field(default=3, ge=1, le=100, description="number of tracking runs")
    trial_s: float = Field(default=15.0, ge=2.0, le=300.0, description="length of one run, seconds")
    success_fraction: float = Field(
        default=0.6, gt=0.0, le=1.0, description="share of the run on the target that counts as success"
    )
    knobs: TrackKnobs = Field(description="difficulty knobs")

    @model_validator(mode="after")
    def _inside_field(self) -> TrackChallenge:
        reach = math.hypot(*self.centre) + self.size
        if reach > 1.0 + 1e-9:
            raise ValueError(f"the path reaches {reach:.2f} of LOS from the middle; keep |centre| + size <= 1")
        return self

    @property
    def timeout_s(self) -> float:
        """A tracking run lasts exactly ``trial_s``."""
        return self.trial_s


# -- maze --------------------------------------------------------------------------------------
Segment = tuple[
    Annotated[float, Field(ge=-1.0, le=1.0)],
    Annotated[float, Field(ge=-1.0, le=1.0)],
    Annotated[float, Field(ge=-1.0, le=1.0)],
    Annotated[float, Field(ge=-1.0, le=1.0)],
]


class MazeKnobs(_Strict):
    """Knobs of a maze (how lively the ball is, how big the goal is)."""

    tilt_accel: Knob = Field(description="ball acceleration at full tilt, LOS fractions per second squared (0.2 to 10)")
    goal_radius: Knob = Field(description="radius of the goal, fraction of LOS (0.04 to 0.5)")
    friction: Knob = Field(
        default_factory=lambda: Knob(easy=2.5, hard=0.8),
        description="rolling friction: share of speed lost per second (0.1 to 10); less is slipperier",
    )

    @model_validator(mode="after")
    def _ranges(self) -> MazeKnobs:
        _check_knob_ranges(self, {"tilt_accel": (0.2, 10.0, "LOS/s^2"), "goal_radius": (0.04, 0.5, "LOS"),
                                  "friction": (0.1, 10.0, "1/s")})
        return self


class MazeChallenge(_Challenge):
    """Maze: roll a ball to the goal by tilting; walls stop it."""

    kind: Literal["maze"]
    walls: tuple[Segment, ...] = Field(max_length=200, description="wall segments [x0, y0, x1, y1], fraction of LOS")
    wall_thickness: float = Field(default=0.05, gt=0.0, le=0.3, description="thickness of every wall, fraction of LOS")
    ball_radius: float = Field(default=0.05, ge=0.02, le=0.2, description="radius of the ball, fraction of LOS")
    start: Position = Field(description="where the ball starts")
    goal: Position = Field(description="centre of the goal")
    route: tuple[Position, ...] = Field(
        default=(), max_length=50, description="optional hint: waypoints from start to goal, drawn as a dotted line"
    )
    trials: int = Field(default=3, ge=1, le=50, description="how many times the maze is played")
    timeout_s: float = Field(gt=0.0, le=600.0, description="seconds to reach the goal")
    knobs: MazeKnobs = Field(description="difficulty knobs")

    @model_validator(mode="after")
    def _free_start_and_goal(self) -> MazeChallenge:
        clearance = self.ball_radius + self.wall_thickness / 2
        for name, point in (("start", self.start), ("goal", self.goal)):
            if math.hypot(*point) > 1.0 - self.ball_radius:
                raise ValueError(
                    f"{name} {list(point)} is outside the playing field (|{name}| must be below 1 - ball_radius)"
                )
            for i, wall in enumerate(self.walls):
                if segment_distance(point, wall) < clearance:
                    raise ValueError(f"{name} {list(point)} overlaps walls[{i}]: the ball would start inside a wall")
        for i, wall in enumerate(self.walls):
            if wall[0] == wall[2] and wall[1] == wall[3]:
                raise ValueError(f"walls[{i}] has no length (both ends are {list(wall[:2])})")
        return self


# -- collect and avoid -------------------------------------------------------------------------
class CollectAvoidKnobs(_Strict):
    """Knobs of a collect-and-avoid challenge."""

    item_speed: Knob = Field(description="speed of items crossing the field, LOS fractions per second (0.05 to 2)")
    spawn_per_s: Knob = Field(description="items appearing per second (0.1 to 5)")
    obstacle_share: Knob = Field(description="share of items that are obstacles (0 to 0.9)")
    item_radius: Knob = Field(
        default_factory=lambda: Knob(easy=0.1, hard=0.06),
        description="radius of the items, fraction of LOS (0.02 to 0.3)",
    )

    @model_validator(mode="after")
    def _ranges(self) -> CollectAvoidKnobs:
        _check_knob_ranges(self, {"item_speed": (0.05, 2.0, "LOS/s"), "spawn_per_s": (0.1, 5.0, "1/s"),
                                  "obstacle_share": (0.0, 0.9, ""), "item_radius": (0.02, 0.3, "LOS")})
        return self


class CollectAvoidChallenge(_Challenge):
    """Collect items and dodge obstacles that drift across the field, in timed waves."""

    kind: Literal["collect_avoid"]
    trials: int = Field(default=3, ge=1, le=50, description="number of waves")
    wave_s: float = Field(default=20.0, ge=5.0, le=300.0, description="length of one wave, seconds")
    success_fraction: float = Field(
        default=0.5, gt=0.0, le=1.0, description="share of the collectables to catch for the wave to count as a success"
    )
    max_hits: int = Field(default=2, ge=0, le=100, description="obstacle hits allowed in a successful wave")
    points_per_item: int = Field(default=10, ge=0, le=10_000, description="points for each item collected")
    penalty_per_hit: int = Field(default=10, ge=0, le=10_000, description="points lost for each obstacle hit")
    knobs: CollectAvoidKnobs = Field(description="difficulty knobs")

    @property
    def timeout_s(self) -> float:
        """A wave lasts exactly ``wave_s``."""
        return self.wave_s


AnyChallenge = (
    HoldChallenge | ReachChallenge | WeightShiftChallenge | LimitsOfStabilityChallenge | TrackChallenge
    | MazeChallenge | CollectAvoidChallenge
)
"""Any one challenge (the type code works with); ``Challenge`` is the same, tagged for validation."""
Challenge = Annotated[AnyChallenge, Field(discriminator="kind")]


class Level(_Strict):
    """A level: metadata and a sequence of challenges played in order."""

    schema_version: Literal[1] = Field(description="version of the level format (1)")
    title: str = Field(min_length=1, max_length=60, description="shown in menus and the HUD")
    description: str = Field(
        default="", max_length=400, description="what the level trains, for players and therapists"
    )
    players: tuple[Literal["child", "adult"], ...] = Field(
        default=("child", "adult"), min_length=1, description="intended players"
    )
    theme: Theme = Field(default="garden", description="look, marker and words of praise")
    art: Art = Field(default_factory=Art, description="what the level's roles are drawn as (the theme's by default)")
    duration_s: float | None = Field(
        default=None, gt=0.0, le=3600.0, description="optional cap: the level ends after this many seconds of play"
    )
    intro_s: float = Field(
        default=2.5, ge=0.0, le=30.0, description="seconds the instruction shows before each challenge"
    )
    rest_s: float = Field(default=3.0, ge=0.0, le=300.0, description="rest between challenges, seconds")
    stars_at: tuple[float, float, float] = Field(
        default=(0.3, 0.6, 0.85), description="fraction of the level's maximum score for 1, 2 and 3 stars"
    )
    challenges: tuple[Challenge, ...] = Field(min_length=1, max_length=1000, description="played in order")

    @field_validator("stars_at")
    @classmethod
    def _increasing(cls, value: tuple[float, float, float]) -> tuple[float, float, float]:
        if not all(0.0 < v <= 1.0 for v in value) or not value[0] < value[1] < value[2]:
            raise ValueError("stars_at must be three increasing fractions in (0, 1]")
        return value


class Playlist(_Strict):
    """An ordered session plan: level names (shipped) or paths relative to the playlist."""

    schema_version: Literal[1] = Field(description="version of the playlist format (1)")
    title: str = Field(min_length=1, max_length=60, description="shown in menus")
    description: str = Field(default="", max_length=400, description="what the plan is for")
    levels: tuple[Annotated[str, Field(min_length=1, max_length=200)], ...] = Field(
        min_length=1, max_length=100, description="level names or paths, played in order"
    )
