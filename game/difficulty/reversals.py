"""Step sizes that halve at each reversal, shared by the staircases so both shrink the same way."""

from __future__ import annotations

from game.difficulty.base import fmt_step
from game.difficulty.errors import DifficultyConfigError
from game.difficulty.validation import check_positive


class HalvingSteps:
    """Track reversals (direction changes) and halve the step at each one, down to a minimum.

    As in psychopy's ``StairHandler``, the smaller step already applies to the move that
    reverses, so the first failure after a fast climb does not throw the player far back.
    """

    def __init__(self, *, initial_step: float, min_step: float) -> None:
        self.initial_step = check_positive("initial_step", initial_step, at_most=1.0)
        self.min_step = check_positive("min_step", min_step, at_most=1.0)
        if self.min_step > self.initial_step:
            raise DifficultyConfigError(
                f"min_step {self.min_step!r} is larger than initial_step {self.initial_step!r}",
                remedy="pass min_step <= initial_step; steps only shrink",
            )
        self.step = self.initial_step
        self.reversal_levels: list[float] = []
        self.reversal_steps: list[float] = []
        self._direction = 0

    def register(self, direction: int, level: float) -> bool:
        """Note a move in ``direction`` (+1 harder, -1 easier, 0 none) from ``level``; True on a reversal."""
        if direction == 0:
            return False
        reversed_ = self._direction != 0 and direction != self._direction
        self._direction = direction
        if reversed_:
            self.step = max(self.min_step, self.step / 2.0)
            self.reversal_levels.append(level)
            self.reversal_steps.append(self.step)
        return reversed_

    def reversal_text(self, split: tuple[str, float, str, float] | None = None) -> str:
        """Explain the latest reversal and the step now in force (optionally split harder/easier)."""
        floor_note = " (minimum)" if self.step == self.min_step else ""
        if split is None:
            steps = f"step now {fmt_step(self.step)}"
        else:
            name_a, a, name_b, b = split
            steps = f"steps now {fmt_step(a)} {name_a} / {fmt_step(b)} {name_b}"
        return f"reversal {len(self.reversal_levels)}, {steps}{floor_note}"
