"""Weighted up-down staircase (Kaernbach 1991): unequal steps that settle on any target rate.

After a success the difficulty rises by ``step_harder``; after a failure it falls by
``step_easier``. The level drifts until the expected move is zero,
``p * step_harder = (1 - p) * step_easier``, i.e. at the success rate
``p = step_easier / (step_easier + step_harder)``, so splitting a step of size
``step = step_harder + step_easier`` as ``step_easier = target * step`` and
``step_harder = (1 - target) * step`` aims it at ``target`` (Kaernbach 1991, Perception &
Psychophysics 49:227-229).

Graded scores: a score ``s`` in [0, 1] moves the level by
``s * step_harder - (1 - s) * step_easier``, the expected move of a trial that succeeds
with probability ``s``. True and False are the scores 1 and 0, so binary play is the plain
rule, and a graded player settles where the mean score equals the target.

Steps: ``step`` starts at ``initial_step`` and halves at every reversal (a move in the
opposite direction to the previous move) down to ``min_step``; the halved step already
applies to the reversing move.
"""

from __future__ import annotations

from typing import Any

from game.difficulty.base import ScalerBase, fmt_level, fmt_outcome, fmt_percent, fmt_step
from game.difficulty.reversals import HalvingSteps

#: A computed move smaller than this fraction of the step is float rounding (a score equal to
#: the target, e.g. 0.8 * 0.1 - 0.2 * 0.4), not a direction that could count as a reversal.
ROUNDING_NOISE = 1e-9


def _streak_text(outcome: float, streak: int, level: float) -> str:
    """'success at 0.42' or '3 failures in a row at 0.42'."""
    if streak <= 1 or outcome not in (0.0, 1.0):
        return f"{fmt_outcome(outcome)} at {fmt_level(level)}"
    plural = "successes" if outcome == 1.0 else "failures"
    return f"{streak} {plural} in a row at {fmt_level(level)}"


class WeightedStaircase(ScalerBase):
    """Kaernbach's weighted up-down staircase, converging on ``target`` with halving steps."""

    method = "staircase"

    def __init__(
        self,
        *,
        target: float,
        start: float,
        floor: float,
        ceiling: float,
        initial_step: float = 0.5,
        min_step: float = 0.0625,
    ) -> None:
        super().__init__(target=target, start=start, floor=floor, ceiling=ceiling)
        self._steps = HalvingSteps(initial_step=initial_step, min_step=min_step)
        self._streak = 0
        self._last_outcome: float | None = None

    @property
    def step_harder(self) -> float:
        """Rise after a success with the current step (``step - step_easier``)."""
        return self._steps.step - self.step_easier

    @property
    def step_easier(self) -> float:
        """Fall after a failure with the current step."""
        return self._target * self._steps.step

    @property
    def reversal_levels(self) -> tuple[float, ...]:
        """Difficulties at which the direction reversed, oldest first."""
        return tuple(self._steps.reversal_levels)

    @property
    def reversal_steps(self) -> tuple[float, ...]:
        """Step (harder + easier) in force after each reversal."""
        return tuple(self._steps.reversal_steps)

    def params(self) -> dict[str, Any]:
        """Shared settings plus the step schedule."""
        return {**super().params(), "initial_step": self._steps.initial_step, "min_step": self._steps.min_step}

    def _move(self, outcome: float) -> float:
        """Expected-move rule: ``s * step_harder - (1 - s) * step_easier`` (rounding noise counts as 0)."""
        move = outcome * self.step_harder - (1.0 - outcome) * self.step_easier
        return 0.0 if abs(move) < ROUNDING_NOISE * self._steps.step else move

    def _decide(self, outcome: float) -> tuple[float, str]:
        """Step by the weighted rule, halving the step first if this move reverses direction."""
        old = self._difficulty
        self._streak = self._streak + 1 if outcome == self._last_outcome else 1
        self._last_outcome = outcome
        move = self._move(outcome)
        direction = (move > 0) - (move < 0)
        reversed_ = self._steps.register(direction, old)
        if reversed_:
            move = self._move(outcome)
        intended = old + move
        new = self._clamp(intended)
        parts = [f"{_streak_text(outcome, self._streak, old)}: {self._move_text(old, intended, new)}"]
        if outcome not in (0.0, 1.0):
            parts[0] += (
                f", from {fmt_level(outcome)} x {fmt_step(self.step_harder)} harder"
                f" - {fmt_level(1.0 - outcome)} x {fmt_step(self.step_easier)} easier"
            )
        if reversed_:
            parts.append(self._steps.reversal_text(("harder", self.step_harder, "easier", self.step_easier)))
        reason = "; ".join(parts) + f" (weighted up-down, target {fmt_percent(self._target)})"
        return new, reason
