"""A scaler that never moves: the baseline every adaptive method is measured against."""

from __future__ import annotations

from game.difficulty.base import ScalerBase, fmt_level, fmt_outcome


class FixedDifficulty(ScalerBase):
    """Keeps ``start`` for every trial; ``target`` is validated but only reported."""

    method = "fixed"

    def _decide(self, outcome: float) -> tuple[float, str]:
        """Stay put and say so."""
        level = self._difficulty
        return level, f"{fmt_outcome(outcome)} at {fmt_level(level)}: stays (fixed difficulty, not adaptive)"
