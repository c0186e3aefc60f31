"""The pure difficulty scaler: keeps training hard but mostly achievable (challenge point framework).

Motor learning is best when a task is hard but mostly achievable (Guadagnoli & Lee 2004),
so after each trial the game calls ``scaler.record(outcome)`` and plays the next trial at
``scaler.difficulty`` (normalized: 0 easiest, 1 hardest, always within [floor, ceiling]).
The scaler reads no clock, file or global and draws no random numbers; the game logs each
returned ``Decision``. See docs/difficulty.md for the methods and measured figures.

    >>> scaler = create_scaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, method="staircase")
    >>> print(scaler.record(True).reason)
    success at 0: harder by 0.1 to 0.1 (weighted up-down, target 80 %)
    >>> print(scaler.record(False).reason)
    ... # doctest: +NORMALIZE_WHITESPACE
    failure at 0.1: easier by 0.1 to the floor 0; reversal 1, steps now 0.05 harder / 0.2 easier
    (weighted up-down, target 80 %)
"""

from __future__ import annotations

from game.difficulty.base import RECENT_WINDOW_TRIALS, Decision, DifficultyScaler
from game.difficulty.bayes import BayesDriftScaler
from game.difficulty.errors import DifficultyConfigError
from game.difficulty.fixed import FixedDifficulty
from game.difficulty.levitt import LevittStaircase
from game.difficulty.quest import QuestScaler
from game.difficulty.registry import DEFAULT_METHOD, METHODS, create_scaler, rebind, restore_scaler
from game.difficulty.staircase import WeightedStaircase

__all__ = [
    "BayesDriftScaler",
    "DEFAULT_METHOD",
    "METHODS",
    "RECENT_WINDOW_TRIALS",
    "Decision",
    "DifficultyConfigError",
    "DifficultyScaler",
    "FixedDifficulty",
    "LevittStaircase",
    "QuestScaler",
    "WeightedStaircase",
    "create_scaler",
    "rebind",
    "restore_scaler",
]
