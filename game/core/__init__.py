"""The pure fixed-step core: no clock, no I/O, no windowing or database imports."""

from __future__ import annotations

from game.core.events import (
    EVENT_KINDS,
    UI_EVENT_KINDS,
    Event,
    EventKind,
    InterruptedTrial,
    TrialResult,
    UiEventKind,
)
from game.core.phases import ChallengePhase, SnapshotPhase, WorldPhase
from game.core.snapshot import Frame, Outcome, Snapshot, TargetView
from game.core.stepper import FixedStepper
from game.core.world import STEP_HZ, STEP_S, StepResult, World

__all__ = [
    "EVENT_KINDS",
    "STEP_HZ",
    "STEP_S",
    "UI_EVENT_KINDS",
    "ChallengePhase",
    "Event",
    "EventKind",
    "FixedStepper",
    "Frame",
    "InterruptedTrial",
    "Outcome",
    "Snapshot",
    "SnapshotPhase",
    "StepResult",
    "TargetView",
    "TrialResult",
    "UiEventKind",
    "World",
    "WorldPhase",
]
