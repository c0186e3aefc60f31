"""Fixed assessments, kept apart from training: protocol files, their loader, and the pure runner.

A protocol (``levels/assessments/*.toml``) describes a standard test: quiet stance under the four
sensory conditions of the mCTSIB, single-leg stance, limits of stability at a fixed distance,
weight distribution. Nothing adapts: every player meets the same task each time, so two
assessments can be compared. See docs/assessments.md.
"""

from __future__ import annotations

from game.assess.loader import LoadedProtocol, load_protocol, shipped_protocols
from game.assess.model import Condition, Protocol
from game.assess.runner import AssessmentRunner, PlannedTrial, plan_trials

__all__ = [
    "AssessmentRunner",
    "Condition",
    "LoadedProtocol",
    "PlannedTrial",
    "Protocol",
    "load_protocol",
    "plan_trials",
    "shipped_protocols",
]
