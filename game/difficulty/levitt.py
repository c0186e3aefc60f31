"""Levitt's 1-up/2-down transformed staircase, the classic baseline that settles on 70.7 %.

Two successes in a row make the task harder by one step; any failure makes it easier by
one step. The level is stable where two successes are as likely as a failure before them,
``p**2 = 0.5``, so it converges on ``p = 0.707`` whatever ``target`` says (Levitt 1971,
J. Acoust. Soc. Am. 49:467-477). ``target`` is still validated, and the reason text says it
is not used. A graded score counts as a success when it is at least 0.5. The step halves
at each reversal down to ``min_step``, like the weighted staircase.
"""

from __future__ import annotations

import math
from typing import Any

from game.difficulty.base import ScalerBase, fmt_level, fmt_outcome, fmt_percent
from game.difficulty.reversals import HalvingSteps

#: Success rate a 1-up/2-down rule converges on: sqrt(0.5).
LEVITT_RATE = math.sqrt(0.5)

#: Successes in a row needed for one step harder.
SUCCESSES_PER_STEP = 2


class LevittStaircase(ScalerBase):
    """1-up/2-down staircase (Levitt 1971) with steps halving at reversals."""

    method = "levitt"

    def __init__(
        self,
        *,
        target: float,
        start: float,
        floor: float,
        ceiling: float,
        initial_step: float = 0.1,
        min_step: float = 0.025,
    ) -> None:
        super().__init__(target=target, start=start, floor=floor, ceiling=ceiling)
        self._steps = HalvingSteps(initial_step=initial_step, min_step=min_step)
        self._successes_in_row = 0

    @property
    def step(self) -> float:
        """Current step, the same up and down."""
        return self._steps.step

    @property
    def reversal_levels(self) -> tuple[float, ...]:
        """Difficulties at which the direction reversed, oldest first."""
        return tuple(self._steps.reversal_levels)

    @property
    def reversal_steps(self) -> tuple[float, ...]:
        """Step in force after each reversal."""
        return tuple(self._steps.reversal_steps)

    def params(self) -> dict[str, Any]:
        """Shared settings plus the step schedule."""
        return {**super().params(), "initial_step": self._steps.initial_step, "min_step": self._steps.min_step}

    def _decide(self, outcome: float) -> tuple[float, str]:
        """Step harder after the second success in a row, easier after any failure."""
        old = self._difficulty
        success = outcome >= 0.5
        label = fmt_outcome(outcome)
        if outcome not in (0.0, 1.0):
            label += f" (counts as a {'success' if success else 'failure'})"
        if success:
            self._successes_in_row += 1
            direction = 1 if self._successes_in_row >= SUCCESSES_PER_STEP else 0
            if direction:
                self._successes_in_row = 0
        else:
            self._successes_in_row = 0
            direction = -1
        reversed_ = self._steps.register(direction, old)
        intended = old + direction * self._steps.step
        new = self._clamp(intended)
        if success and direction:
            prefix = "" if outcome == 1.0 else f"{label}, "
            head = f"{prefix}{SUCCESSES_PER_STEP} successes in a row at {fmt_level(old)}"
        elif success:
            needed = SUCCESSES_PER_STEP - self._successes_in_row
            head = f"{label} at {fmt_level(old)}, {needed} more in a row to step harder"
        else:
            head = f"{label} at {fmt_level(old)}"
        parts = [f"{head}: {self._move_text(old, intended, new)}"]
        if reversed_:
            parts.append(self._steps.reversal_text())
        reason = "; ".join(parts) + (
            f" (1-up/2-down, converges on {fmt_percent(LEVITT_RATE)}; target {fmt_percent(self._target)} not used)"
        )
        return new, reason
