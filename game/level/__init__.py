"""Level files: typed models and an all-or-nothing loader with positioned errors."""

from __future__ import annotations

from game.level.loader import LoadedLevel, load_level, load_plan, shipped_levels
from game.level.model import (
    KINDS,
    AnyChallenge,
    ChallengeKind,
    HoldChallenge,
    Knob,
    Level,
    Playlist,
    ReachChallenge,
    SoundName,
    Theme,
)

__all__ = [
    "KINDS",
    "AnyChallenge",
    "ChallengeKind",
    "HoldChallenge",
    "Knob",
    "Level",
    "LoadedLevel",
    "Playlist",
    "ReachChallenge",
    "SoundName",
    "Theme",
    "load_level",
    "load_plan",
    "shipped_levels",
]
