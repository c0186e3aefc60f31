"""Typed, validated models of assessment protocol files (``levels/assessments/*.toml``).

Units live in field names, as in level files: seconds (``_s``), fractions of the player's
calibrated limits of stability (``_los``), degrees counter-clockwise from "right" (so 90 is
forward). A protocol has no difficulty: every value is fixed.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

AssessmentKind = Literal["quiet_stance", "single_leg", "limits_of_stability", "weight_distribution"]
ASSESSMENT_KINDS: tuple[AssessmentKind, ...] = get_args(AssessmentKind)
Vision = Literal["open", "closed"]
Surface = Literal["firm", "foam"]
Stance = Literal["both", "left", "right", "tandem"]
NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """One condition of a protocol: what the player does, on what, with eyes open or closed."""

    name: str = Field(pattern=NAME_PATTERN, description="short code stored on each trial (e.g. eyes_closed_foam)")
    title: str = Field(min_length=1, max_length=60, description="shown on screen and in the results")
    vision: Vision = Field(default="open", description="eyes open or closed")
    surface: Surface = Field(default="firm", description="firm floor or board, or a foam pad under the feet")
    stance: Stance = Field(default="both", description="both feet, left or right foot alone, or tandem")
    instruction: str = Field(min_length=1, max_length=400,
                             description="shown large before each trial (and read out where speech is available)")

    @property
    def side(self) -> str | None:
        """``left`` or ``right`` for a single-leg condition, else None."""
        return self.stance if self.stance in ("left", "right") else None


class Protocol(_Strict):
    """A fixed assessment: conditions, trials of a fixed length, rests, and the words shown."""

    schema_version: Literal[1] = Field(description="version of the protocol format (1)")
    title: str = Field(min_length=1, max_length=60, description="shown in menus and results")
    kind: AssessmentKind = Field(description="which test this is; decides what is measured")
    description: str = Field(default="", max_length=600, description="what the test measures, for clinicians")
    source: str = Field(default="", max_length=400, description="the published protocol it follows (citation)")
    trials: int = Field(ge=1, le=10, description="trials of each condition (of each direction for limits_of_stability)")
    trial_s: float = Field(ge=3.0, le=120.0, description="length of each trial, seconds")
    get_ready_s: float = Field(default=5.0, ge=1.0, le=30.0,
                               description="countdown before each trial, after the instruction is confirmed")
    rest_s: float = Field(default=10.0, ge=0.0, le=300.0, description="rest after each trial, seconds")
    conditions: tuple[Condition, ...] = Field(min_length=1, max_length=8, description="played in the order listed")
    directions_deg: tuple[float, ...] = Field(
        default=(), max_length=16, description="limits_of_stability only: target directions, in the order played")
    target_distance_los: float = Field(default=0.0, ge=0.0, le=1.0,
                                       description="limits_of_stability only: target distance, fraction of LOS")
    target_radius_los: float = Field(default=0.1, gt=0.0, le=0.5,
                                     description="limits_of_stability only: radius of the target drawn")
    compare_reference: bool = Field(
        default=False,
        description="compare quiet-stance results with the Balance Data Set reference values (bipedal stance only)")

    @field_validator("directions_deg")
    @classmethod
    def _directions(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        for angle in value:
            if not (math.isfinite(angle) and 0.0 <= angle < 360.0):
                raise ValueError(f"direction {angle} is outside [0, 360) degrees")
        if len(set(value)) != len(value):
            raise ValueError("a direction is listed twice")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Protocol:
        names = [c.name for c in self.conditions]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"condition names must differ; repeated: {', '.join(duplicates)}")
        if self.kind == "limits_of_stability":
            if not self.directions_deg:
                raise ValueError("a limits_of_stability protocol needs directions_deg (e.g. [90, 45, 0, ...])")
            if not self.target_distance_los >= 0.2:
                raise ValueError("a limits_of_stability protocol needs target_distance_los from 0.2 to 1.0")
        elif self.directions_deg or self.target_distance_los:
            raise ValueError(f"directions_deg and target_distance_los belong to limits_of_stability, not {self.kind}")
        if self.kind == "single_leg" and any(c.side is None for c in self.conditions):
            raise ValueError("every condition of a single_leg protocol needs stance = \"left\" or \"right\"")
        if self.kind != "single_leg" and any(c.side is not None for c in self.conditions):
            raise ValueError(f"stance left/right belongs to single_leg protocols, not {self.kind}")
        if self.compare_reference and (self.kind not in ("quiet_stance", "weight_distribution")
                                       or any(c.stance != "both" for c in self.conditions)):
            raise ValueError("compare_reference needs bipedal quiet stance (the reference's task)")
        return self

    @property
    def trial_count(self) -> int:
        """Trials in the whole protocol."""
        return self.trials * len(self.conditions) * max(1, len(self.directions_deg))

    @property
    def planned_s(self) -> float:
        """Seconds the protocol takes without pauses (instructions not counted)."""
        return self.trial_count * (self.get_ready_s + self.trial_s + self.rest_s)
