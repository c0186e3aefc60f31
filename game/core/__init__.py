"""The pure fixed-step core: no clock, no I/O, no windowing or database imports."""

from __future__ import annotations

from game.core.events import Event, TrialResult
from game.core.snapshot import Frame, Snapshot, TargetView
from game.core.stepper import FixedStepper
from game.core.world import STEP_HZ, STEP_S, StepResult, World

__all__ = [
    "STEP_HZ",
    "STEP_S",
    "Event",
    "FixedStepper",
    "Frame",
    "Snapshot",
    "StepResult",
    "TargetView",
    "TrialResult",
    "World",
]
