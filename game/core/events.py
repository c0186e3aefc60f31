"""Game events: what happened, when (simulation time) and where in the level."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Every kind the core emits; views map them to sounds, the session to telemetry.
EVENT_KINDS = (
    "level_start",
    "challenge_start",
    "trial_start",
    "zone_enter",
    "zone_exit",
    "trial_success",
    "trial_fail",
    "home_reached",
    "item_collected",
    "obstacle_hit",
    "wall_hit",
    "challenge_end",
    "level_end",
)


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened in the simulation at step time ``t_s``."""

    t_s: float
    kind: str
    challenge: int  # index in the level, -1 for level-wide events
    trial: int  # 1-based trial number within the challenge, 0 when not in a trial
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TrialResult:
    """How one trial ended; the scaler and the trials table both read it."""

    challenge: int
    kind: str
    trial: int
    success: bool
    started_t_s: float
    duration_s: float
    difficulty: float
    params: dict[str, float]
    points: int
    progress: float  # best fraction of the hold/dwell reached, 0..1
