"""Level files: typed models and an all-or-nothing loader with positioned errors."""

from __future__ import annotations

from game.level.loader import LoadedLevel, load_level, load_plan, shipped_levels
from game.level.model import HoldChallenge, Knob, Level, Playlist, ReachChallenge

__all__ = [
    "HoldChallenge",
    "Knob",
    "Level",
    "LoadedLevel",
    "Playlist",
    "ReachChallenge",
    "load_level",
    "load_plan",
    "shipped_levels",
]
