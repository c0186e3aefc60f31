"""The session: one level played under every rule of play (scalers, clinician limits, rest breaks, time).

``start_session`` is the one call that begins a level; ``step_from`` feeds it from a device.
"""

from __future__ import annotations

from game.session.scalers import ScalerPlan, ScalerStart, StoredScaler, resume_scalers, scalers_for
from game.session.session import (
    DifficultyChange,
    EndReason,
    Session,
    SessionPhase,
    SessionStep,
    SessionTotals,
    start_session,
    step_from,
)
from game.session.sitting import Sitting

__all__ = [
    "DifficultyChange", "EndReason", "ScalerPlan", "ScalerStart", "Session", "SessionPhase", "SessionStep",
    "SessionTotals", "Sitting", "StoredScaler", "resume_scalers", "scalers_for", "start_session", "step_from",
]
