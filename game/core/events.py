"""Game events: what happened, when (simulation time) and where in the level."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from game.level.model import ChallengeKind

# Every kind the core emits; views map them to sounds, the session to telemetry.
EventKind = Literal[
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
]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)

# Kinds the core never emits but the events table also holds, with ``challenge`` -1 and
# ``trial`` 0: the session's rules of the sitting (``rest_start``, ``rest_end``,
# ``session_limit``), what the player did in the play loop (``pause``, ``resume``,
# ``recentre``), a device going away and coming back (``device_pause``, ``device_resume``) or
# staying silent past the device timeout (``device_lost``),
# a level file reloaded while its author edits it (``level_reloaded``) and where each
# challenge's scaler started (``difficulty_start``). One carries the challenge and trial it
# ended: ``trial_interrupted``, a trial the session cut short for a due rest break (no outcome,
# not given to the scaler, not counted; the same trial number is played again after the rest), or an
# assessment's trial during which the person was asked whether to end it (played again after its countdown).
UiEventKind = Literal[
    "rest_start",
    "trial_interrupted",
    "rest_end",
    "session_limit",
    "pause",
    "resume",
    "recentre",
    "device_pause",
    "device_resume",
    "device_lost",
    "level_reloaded",
    "difficulty_start",
]
UI_EVENT_KINDS: tuple[UiEventKind, ...] = get_args(UiEventKind)


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened in the simulation at step time ``t_s``."""

    t_s: float
    kind: EventKind | UiEventKind  # the core emits EventKind; the session adds its UiEventKind ones
    challenge: int  # index in the level, -1 for level-wide events
    trial: int  # 1-based trial number within the challenge, 0 when not in a trial
    data: dict[str, Any] = field(default_factory=dict)  # JSON-ready details, different for each kind


@dataclass(frozen=True, slots=True)
class TrialResult:
    """How one trial ended; the scaler and the trials table both read it."""

    challenge: int
    kind: ChallengeKind
    trial: int
    success: bool
    started_t_s: float
    duration_s: float
    difficulty: float
    params: dict[str, float]
    points: int
    progress: float  # best fraction of the hold/dwell reached, 0..1


@dataclass(frozen=True, slots=True)
class InterruptedTrial:
    """A trial ended without an outcome (``World.interrupt_trial``): what the session logs, never what it scores."""

    challenge: int
    kind: ChallengeKind
    trial: int
    started_t_s: float
    duration_s: float
    difficulty: float
