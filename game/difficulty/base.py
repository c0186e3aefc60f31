"""The scaler interface, its decision record, and the bookkeeping every method shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

from game.difficulty.validation import check_levels, check_outcome

#: Outcomes averaged into ``Decision.recent_success_rate``.
RECENT_WINDOW_TRIALS = 10

#: Version of the ``state()`` dictionary; ``restore_scaler`` refuses any other.
STATE_FORMAT = 1


@dataclass(frozen=True)
class Decision:
    """One scaler step, complete enough for the session to log why the difficulty moved."""

    trial: int
    """1-based count of outcomes recorded so far, this one included."""
    outcome: float
    """The outcome as a score in [0, 1]: a success is 1.0, a failure 0.0."""
    old: float
    """Difficulty the trial was played at."""
    new: float
    """Difficulty for the next trial, within [floor, ceiling]."""
    reason: str
    """Human-readable explanation of the move, naming the method and its target."""
    recent_success_rate: float
    """Mean outcome over the last ``RECENT_WINDOW_TRIALS`` outcomes (fewer at the start)."""


@runtime_checkable
class DifficultyScaler(Protocol):
    """Chooses the next difficulty from past outcomes; pure, so the game logs its decisions."""

    @property
    def difficulty(self) -> float:
        """Difficulty for the next trial: normalized, 0 easiest, 1 hardest, within [floor, ceiling]."""
        ...

    @property
    def trials(self) -> int:
        """Outcomes recorded so far (a restored scaler counts its whole history)."""
        ...

    def record(self, success: bool | float) -> Decision:
        """Take one outcome (a bool or a score in [0, 1]) and move the difficulty."""
        ...

    def state(self) -> dict[str, Any]:
        """Return a JSON-serializable state from which ``restore_scaler`` resumes exactly."""
        ...


def fmt_level(value: float) -> str:
    """Format a difficulty compactly for reason text (three decimals, trailing zeros dropped)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def fmt_step(value: float) -> str:
    """Format a step size with one more decimal than a level, so 0.0125 reads as 0.0125."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def fmt_percent(rate: float) -> str:
    """Format a rate such as 0.8 as '80 %' and 0.7071 as '70.7 %'."""
    return f"{rate * 100:.1f}".rstrip("0").rstrip(".") + " %"


def fmt_outcome(outcome: float) -> str:
    """Name an outcome: 'success', 'failure' or 'score 0.6'."""
    if outcome == 1.0:
        return "success"
    if outcome == 0.0:
        return "failure"
    return f"score {fmt_level(outcome)}"


class ScalerBase:
    """Validation, history and state shared by every method; subclasses only implement ``_decide``."""

    method: ClassVar[str] = ""

    def __init__(self, *, target: float, start: float, floor: float, ceiling: float) -> None:
        self._target, self._start, self._floor, self._ceiling = check_levels(
            target=target, start=start, floor=floor, ceiling=ceiling
        )
        self._difficulty = self._start
        self._outcomes: list[float] = []

    @property
    def difficulty(self) -> float:
        """Difficulty for the next trial, always within [floor, ceiling]."""
        return self._difficulty

    @property
    def target(self) -> float:
        """Requested success rate."""
        return self._target

    @property
    def floor(self) -> float:
        """Easiest difficulty the scaler may choose."""
        return self._floor

    @property
    def ceiling(self) -> float:
        """Hardest difficulty the scaler may choose."""
        return self._ceiling

    @property
    def trials(self) -> int:
        """Number of outcomes recorded so far."""
        return len(self._outcomes)

    @property
    def outcomes(self) -> tuple[float, ...]:
        """Every recorded outcome as a score in [0, 1], oldest first."""
        return tuple(self._outcomes)

    def record(self, success: bool | float) -> Decision:
        """Validate one outcome, let the method choose the next difficulty, and explain it."""
        outcome = check_outcome(success)
        old = self._difficulty
        new, reason = self._decide(outcome)
        if not self._floor <= new <= self._ceiling:  # a method bug, never a user error
            raise AssertionError(f"{self.method} chose {new!r} outside [{self._floor}, {self._ceiling}]")
        self._outcomes.append(outcome)
        self._difficulty = new
        recent = self._outcomes[-RECENT_WINDOW_TRIALS:]
        return Decision(
            trial=len(self._outcomes),
            outcome=outcome,
            old=old,
            new=new,
            reason=reason,
            recent_success_rate=sum(recent) / len(recent),
        )

    def state(self) -> dict[str, Any]:
        """Return method, parameters and outcome history: replaying them reproduces this scaler."""
        return {
            "format": STATE_FORMAT,
            "method": self.method,
            "params": self.params(),
            "outcomes": list(self._outcomes),
            "trials": len(self._outcomes),
            "difficulty": self._difficulty,
        }

    def params(self) -> dict[str, Any]:
        """Constructor keyword arguments that rebuild this scaler before any outcome."""
        return {"target": self._target, "start": self._start, "floor": self._floor, "ceiling": self._ceiling}

    def _clamp(self, value: float) -> float:
        """Keep a computed difficulty inside [floor, ceiling]; arguments are validated, not clamped."""
        return min(self._ceiling, max(self._floor, value))

    def _decide(self, outcome: float) -> tuple[float, str]:
        """Return the next difficulty and the reason; called with a validated outcome."""
        raise NotImplementedError

    def _move_text(self, old: float, intended: float, new: float) -> str:
        """Describe a move, saying when the floor or ceiling cut it short."""
        if self._floor == self._ceiling:
            return f"stays at {fmt_level(new)}, locked (floor = ceiling)"
        if intended > old:
            if new < intended:
                if new == old:
                    return f"already at the ceiling {fmt_level(new)}, stays"
                return f"harder by {fmt_step(new - old)} to the ceiling {fmt_level(new)}"
            return f"harder by {fmt_step(new - old)} to {fmt_level(new)}"
        if intended < old:
            if new > intended:
                if new == old:
                    return f"already at the floor {fmt_level(new)}, stays"
                return f"easier by {fmt_step(old - new)} to the floor {fmt_level(new)}"
            return f"easier by {fmt_step(old - new)} to {fmt_level(new)}"
        return f"stays at {fmt_level(new)}"
