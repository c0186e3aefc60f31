"""One level played from start to end, without clocks, windows or databases.

The session feeds each input sample to the core, hands every ended trial to that
challenge's difficulty scaler, applies the decision before the next trial, and returns
the rows for telemetry. Same level, seed, scaler start and samples: same everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.core.events import Event, TrialResult
from game.core.snapshot import Snapshot
from game.core.world import STEP_S, World
from game.difficulty import Decision, DifficultyScaler, create_scaler
from game.input.pose import Pose
from game.level.model import Level


@dataclass(frozen=True, slots=True)
class DifficultyChange:
    """A scaler decision as the session records it: when, where, and why."""

    t_s: float
    challenge: int
    kind: str
    trial: int
    old: float
    new: float
    reason: str
    recent_success_rate: float


@dataclass(frozen=True, slots=True)
class SessionStep:
    """Everything one fixed step produced."""

    step: int
    t_s: float
    pose: Pose
    events: list[Event]
    results: list[TrialResult]
    changes: list[DifficultyChange]


@dataclass
class SessionTotals:
    """Running totals for the summary and the session row."""

    trials: int = 0
    successes: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [trials, successes]

    @property
    def success_rate(self) -> float | None:
        """Share of trials that succeeded, or None before the first trial ends."""
        return self.successes / self.trials if self.trials else None


def scalers_for(level: Level, start_by_kind: dict[str, float] | None = None) -> list[DifficultyScaler]:
    """One scaler per challenge, inside the level's limits, resuming a stored difficulty if given."""
    scalers = []
    for challenge in level.challenges:
        limits = challenge.difficulty
        start = limits.start
        if start_by_kind and challenge.kind in start_by_kind:
            start = min(limits.ceiling, max(limits.floor, start_by_kind[challenge.kind]))
        scalers.append(
            create_scaler(target=limits.target_success, start=start, floor=limits.floor, ceiling=limits.ceiling)
        )
    return scalers


class Session:
    """Drive a ``World`` with samples and a scaler per challenge."""

    def __init__(self, level: Level, seed: int, scalers: list[DifficultyScaler] | None = None, step_s: float = STEP_S):
        self.level = level
        self.world = World(level, seed, step_s)
        self.scalers = scalers if scalers is not None else scalers_for(level)
        if len(self.scalers) != len(level.challenges):
            raise ValueError("one scaler per challenge is needed")
        for index, scaler in enumerate(self.scalers):
            self.world.set_difficulty(index, scaler.difficulty)
        self.totals = SessionTotals()
        self._snapshot = self.world.snapshot()

    @property
    def finished(self) -> bool:
        """True once the level's last challenge has ended."""
        return self.world.finished

    @property
    def t_s(self) -> float:
        """Simulation time of the next step."""
        return self.world.t_s

    def snapshot(self) -> Snapshot:
        """The world after the last step."""
        return self._snapshot

    def advance(self, pose: Pose) -> SessionStep:
        """Run one fixed step with this sample."""
        step, t_s = self.world.steps, self.world.t_s
        result = self.world.step((pose.x, pose.y))
        changes = []
        for trial in result.results:
            self._count(trial)
            decision = self.scalers[trial.challenge].record(trial.success)
            self.world.set_difficulty(trial.challenge, decision.new)
            changes.append(self._change(t_s, trial, decision))
        self._snapshot = self.world.snapshot()
        return SessionStep(step, t_s, pose, result.events, result.results, changes)

    def _count(self, trial: TrialResult) -> None:
        self.totals.trials += 1
        self.totals.successes += int(trial.success)
        counts = self.totals.by_kind.setdefault(trial.kind, [0, 0])
        counts[0] += 1
        counts[1] += int(trial.success)

    @staticmethod
    def _change(t_s: float, trial: TrialResult, decision: Decision) -> DifficultyChange:
        return DifficultyChange(
            t_s=t_s,
            challenge=trial.challenge,
            kind=trial.kind,
            trial=trial.trial,
            old=decision.old,
            new=decision.new,
            reason=decision.reason,
            recent_success_rate=decision.recent_success_rate,
        )
