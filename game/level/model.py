"""Typed, validated models of level and playlist files.

Units live in field names. Positions are fractions of the player's calibrated limits of
stability (x medio-lateral, right positive; y antero-posterior, forward positive); angles
are degrees counter-clockwise from "right" (so 90 is forward).
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Knob(_Strict):
    """One difficulty knob: its value at difficulty 0 (easy) and at difficulty 1 (hard)."""

    easy: float = Field(description="value at difficulty 0")
    hard: float = Field(description="value at difficulty 1")

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


class DifficultyLimits(_Strict):
    """Where the scaler starts, the band it may move in, and the success rate it aims at."""

    start: float = Field(0.2, ge=0.0, le=1.0, description="normalized difficulty of the first trial")
    floor: float = Field(0.0, ge=0.0, le=1.0, description="easiest normalized difficulty allowed")
    ceiling: float = Field(1.0, ge=0.0, le=1.0, description="hardest normalized difficulty allowed")
    target_success: float = Field(0.8, gt=0.0, lt=1.0, description="success rate the scaler aims at")

    @model_validator(mode="after")
    def _ordered(self) -> DifficultyLimits:
        if self.floor > self.ceiling:
            raise ValueError(f"floor {self.floor} is above ceiling {self.ceiling}")
        if not self.floor <= self.start <= self.ceiling:
            raise ValueError(f"start {self.start} is outside [floor {self.floor}, ceiling {self.ceiling}]")
        return self


class Scoring(_Strict):
    """Points for one trial of a challenge."""

    points_per_success: int = Field(100, ge=0, le=100_000, description="points for a successful trial")
    time_bonus: int = Field(50, ge=0, le=100_000, description="extra points for a success, scaled by the time left")
    partial: float = Field(
        0.3, ge=0.0, le=1.0, description="share of the success points a missed trial earns per unit of progress"
    )


Position = tuple[
    Annotated[float, Field(ge=-1.0, le=1.0)],
    Annotated[float, Field(ge=-1.0, le=1.0)],
]


class HoldKnobs(_Strict):
    """Knobs of a hold challenge (target size, hold time, board wobble)."""

    radius: Knob = Field(description="radius of the target zone, fraction of LOS")
    hold_s: Knob = Field(description="seconds to hold inside the zone")
    wobble: Knob = Field(
        default_factory=lambda: Knob(easy=0.0, hard=0.15),
        description="amplitude of the board's wobble that pushes the marker, fraction of LOS",
    )

    @model_validator(mode="after")
    def _ranges(self) -> HoldKnobs:
        for name, low, high in (("radius", 0.02, 1.0), ("hold_s", 0.1, 120.0), ("wobble", 0.0, 0.5)):
            knob: Knob = getattr(self, name)
            for end in ("easy", "hard"):
                value = getattr(knob, end)
                if not low <= value <= high:
                    raise ValueError(f"{name}.{end} = {value} is outside [{low}, {high}]")
        return self


class HoldChallenge(_Strict):
    """Static balance: keep the marker inside a zone for a hold time while the board wobbles."""

    kind: Literal["hold"]
    title: str = Field(min_length=1, max_length=60)
    instruction: str = Field(min_length=1, max_length=80, description="one short sentence shown to the player")
    trials: int = Field(ge=1, le=200, description="number of holds")
    timeout_s: float = Field(gt=0.0, le=600.0, description="seconds before a trial counts as missed")
    centre: Position = Field((0.0, 0.0), description="centre of the zone (x, y), fraction of LOS")
    knobs: HoldKnobs
    difficulty: DifficultyLimits = Field(default_factory=DifficultyLimits)
    scoring: Scoring = Field(default_factory=Scoring)


class ReachKnobs(_Strict):
    """Knobs of a reach challenge (distance, target size, dwell time)."""

    distance: Knob = Field(description="distance of each target from the centre, fraction of LOS")
    radius: Knob = Field(description="radius of each target, fraction of LOS")
    dwell_s: Knob = Field(description="seconds to stay on a target to acquire it")

    @model_validator(mode="after")
    def _ranges(self) -> ReachKnobs:
        for name, low, high in (("distance", 0.05, 1.0), ("radius", 0.02, 1.0), ("dwell_s", 0.0, 30.0)):
            knob: Knob = getattr(self, name)
            for end in ("easy", "hard"):
                value = getattr(knob, end)
                if not low <= value <= high:
                    raise ValueError(f"{name}.{end} = {value} is outside [{low}, {high}]")
        return self


class ReachChallenge(_Strict):
    """Reach: targets appear in several directions; reach each and hold on it."""

    kind: Literal["reach"]
    title: str = Field(min_length=1, max_length=60)
    instruction: str = Field(min_length=1, max_length=80)
    directions_deg: tuple[float, ...] = Field(
        min_length=1, max_length=64, description="target directions, degrees counter-clockwise from right"
    )
    repeats: int = Field(1, ge=1, le=20, description="how many times the set of directions is played")
    order: Literal["random", "clockwise", "listed"] = "random"
    timeout_s: float = Field(gt=0.0, le=600.0, description="seconds to acquire a target")
    return_to_centre: bool = Field(True, description="the player returns to the centre before the next target")
    centre_radius: float = Field(0.15, gt=0.0, le=0.5, description="radius of the home zone, fraction of LOS")
    knobs: ReachKnobs
    difficulty: DifficultyLimits = Field(default_factory=DifficultyLimits)
    scoring: Scoring = Field(default_factory=Scoring)

    @field_validator("directions_deg")
    @classmethod
    def _angles(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        for angle in value:
            if not (math.isfinite(angle) and -360.0 <= angle <= 360.0):
                raise ValueError(f"direction {angle} is not an angle in [-360, 360] degrees")
        return value

    @property
    def trials(self) -> int:
        """Number of targets in the challenge."""
        return len(self.directions_deg) * self.repeats


Challenge = Annotated[HoldChallenge | ReachChallenge, Field(discriminator="kind")]
KINDS = ("hold", "reach")


class Level(_Strict):
    """A level: metadata and a sequence of challenges played in order."""

    schema_version: Literal[1] = Field(description="version of the level format")
    title: str = Field(min_length=1, max_length=60)
    description: str = Field("", max_length=400)
    players: tuple[Literal["child", "adult"], ...] = Field(("child", "adult"), min_length=1)
    theme: Literal["garden", "space"] = "garden"
    intro_s: float = Field(2.5, ge=0.0, le=30.0, description="seconds the instruction shows before a challenge")
    rest_s: float = Field(3.0, ge=0.0, le=300.0, description="rest between challenges, seconds")
    stars_at: tuple[float, float, float] = Field(
        (0.3, 0.6, 0.85), description="fraction of the level's maximum score for 1, 2 and 3 stars"
    )
    challenges: tuple[Challenge, ...] = Field(min_length=1, max_length=1000)

    @field_validator("stars_at")
    @classmethod
    def _increasing(cls, value: tuple[float, float, float]) -> tuple[float, float, float]:
        if not all(0.0 < v <= 1.0 for v in value) or not value[0] < value[1] < value[2]:
            raise ValueError("stars_at must be three increasing fractions in (0, 1]")
        return value


class Playlist(_Strict):
    """An ordered session plan: level names (shipped) or paths relative to the playlist."""

    schema_version: Literal[1]
    title: str = Field(min_length=1, max_length=60)
    levels: tuple[str, ...] = Field(min_length=1, max_length=100)
