"""One level played from start to end, without clocks, windows or databases.

The session feeds each input sample to the core, hands every ended trial to that
challenge's difficulty scaler, applies the decision before the next trial, and returns
the rows for telemetry. Same level, seed, scaler start and samples: same everything.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from game.core.events import Event, TrialResult
from game.core.snapshot import Snapshot
from game.core.world import STEP_S, World
from game.difficulty import (
    DEFAULT_METHOD,
    Decision,
    DifficultyConfigError,
    DifficultyScaler,
    create_scaler,
    restore_scaler,
)
from game.input.pose import Pose
from game.level.model import Level
from game.limits import ChallengeBand, PlayerLimits, challenge_band, fmt


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


@dataclass(frozen=True)
class StoredScaler:
    """A player's saved scaler for one challenge kind (a difficulty_state row)."""

    difficulty: float
    state: str | dict[str, Any] | None = None  # ``scaler.state()`` as JSON text or as the dict


@dataclass(frozen=True)
class ScalerStart:
    """How one challenge's scaler began this session, and why (the runner logs it as an event)."""

    challenge: int
    kind: str
    difficulty: float
    source: str  # "new", "restored" (the stored history replayed) or "shared" (an earlier challenge's)
    reason: str
    target: float
    floor: float
    ceiling: float
    trials_before: int  # outcomes the scaler already held when the session began

    def event_data(self) -> dict[str, Any]:
        """What the difficulty_start event records."""
        return {"kind": self.kind, "difficulty": self.difficulty, "source": self.source, "reason": self.reason,
                "target": self.target, "floor": self.floor, "ceiling": self.ceiling,
                "trials_before": self.trials_before}


@dataclass
class ScalerPlan:
    """One scaler per challenge (same-kind challenges with the same band share one) and how each began."""

    scalers: list[DifficultyScaler]
    starts: list[ScalerStart]

    def to_store(self) -> dict[str, DifficultyScaler]:
        """Per kind, the scaler of the latest challenge that recorded a trial this session (what to save)."""
        latest: dict[str, DifficultyScaler] = {}
        for start, scaler in zip(self.starts, self.scalers):
            if getattr(scaler, "trials", 0) > start.trials_before:
                latest[start.kind] = scaler
        return latest


def resume_scalers(level: Level, stored: Mapping[str, StoredScaler] | None = None,
                   limits: PlayerLimits | None = None, method: str = DEFAULT_METHOD) -> ScalerPlan:
    """Build the level's scalers inside its limits and the clinician's, resuming the player's stored ones.

    Each challenge's band is ``challenge_band`` (the stricter of the level's and the clinician's
    limits). Challenges of the same kind and the same target and band share one scaler. A
    stored scaler whose method, target, floor, ceiling and parameters match the band is
    restored with its whole history; otherwise a new scaler starts at the stored difficulty
    moved into the band, and the reason says why the history was not replayed.
    """
    stored = stored or {}
    scalers: list[DifficultyScaler] = []
    starts: list[ScalerStart] = []
    groups: dict[tuple[str, float, float, float], int] = {}
    for index, challenge in enumerate(level.challenges):
        band = challenge_band(challenge, limits.for_kind(challenge.kind) if limits else None, index)
        key = (challenge.kind, band.target, band.floor, band.ceiling)
        if key in groups:
            first = groups[key]
            scaler, before = scalers[first], starts[first].trials_before
            reason = (f"shares the {challenge.kind} scaler of challenge {first + 1} (same target and band),"
                      f" at {fmt(scaler.difficulty)}; {band.describe()}")
            source = "shared"
        else:
            groups[key] = index
            scaler, source, reason = _start_scaler(challenge.kind, challenge.difficulty.start, band,
                                                   stored.get(challenge.kind), method)
            before = getattr(scaler, "trials", 0)
        scalers.append(scaler)
        starts.append(ScalerStart(index, challenge.kind, scaler.difficulty, source, reason, band.target, band.floor,
                                  band.ceiling, before))
    return ScalerPlan(scalers, starts)


def _start_scaler(kind: str, level_start: float, band: ChallengeBand, saved: StoredScaler | None,
                  method: str) -> tuple[DifficultyScaler, str, str]:
    problem = None
    start, origin = level_start, f"the level's start {fmt(level_start)}"
    if saved is not None:
        state, problem = _parsed_state(saved.state)
        if state is not None:
            problem = _incompatibility(state, band, method)
            if problem is None:
                try:
                    scaler = restore_scaler(state)
                except DifficultyConfigError as exc:
                    problem = f"the stored state does not restore ({exc.message})"
                else:
                    reason = (f"restored the player's {kind} scaler: {scaler.trials} earlier trials, continues at"
                              f" {fmt(scaler.difficulty)}; {method}, {band.describe()}")
                    return scaler, "restored", reason
        value = saved.difficulty
        if isinstance(value, (int, float)) and math.isfinite(value) and 0.0 <= value <= 1.0:
            start, origin = float(value), f"the player's stored difficulty {fmt(value)}"
        else:
            problem = f"stored difficulty {value!r} is not a number in [0, 1]"
    clamped = band.clamp(start)
    reason = f"new {kind} scaler at {origin}"
    if clamped != start:
        reason += f", moved into the band to {fmt(clamped)}"
    if problem:
        reason += f"; history not replayed: {problem}"
    reason += f"; {method}, {band.describe()}"
    scaler = create_scaler(target=band.target, start=clamped, floor=band.floor, ceiling=band.ceiling, method=method)
    return scaler, "new", reason


def _parsed_state(state: str | dict[str, Any] | None) -> tuple[dict[str, Any] | None, str | None]:
    if state is None or isinstance(state, dict):
        return state, None
    try:
        parsed = json.loads(state)
    except (TypeError, ValueError):
        return None, "the stored state is not valid JSON"
    return (parsed, None) if isinstance(parsed, dict) else (None, "the stored state is not a JSON object")


def _incompatibility(state: dict[str, Any], band: ChallengeBand, method: str) -> str | None:
    """Why a stored state cannot continue in this band (None when it can)."""
    params = state.get("params")
    if state.get("method") != method:
        return f"it used method {state.get('method')!r}, this session uses {method!r}"
    if not isinstance(params, dict):
        return "the stored state has no parameters"
    reference = create_scaler(target=band.target, start=band.floor, floor=band.floor, ceiling=band.ceiling,
                              method=method).state()["params"]
    same = {k: v for k, v in params.items() if k != "start"} == {k: v for k, v in reference.items() if k != "start"}
    if same:
        return None
    try:
        was = f"target {params['target'] * 100:g} %, band [{fmt(params['floor'])}, {fmt(params['ceiling'])}]"
    except (KeyError, TypeError, ValueError):
        return "the stored parameters are incomplete"
    now = f"target {band.target * 100:g} %, band [{fmt(band.floor)}, {fmt(band.ceiling)}]"
    if was == now:
        return f"the {method} parameters changed since it was stored"
    return f"it was stored with {was}, this challenge has {now}"


def scalers_for(level: Level, start_by_kind: dict[str, float] | None = None) -> list[DifficultyScaler]:
    """The level's scalers (see ``resume_scalers``), each starting at the stored difficulty of its kind if given."""
    stored = {kind: StoredScaler(difficulty) for kind, difficulty in (start_by_kind or {}).items()}
    return resume_scalers(level, stored).scalers


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
            scaler = self.scalers[trial.challenge]
            decision = scaler.record(trial.success)
            for index, other in enumerate(self.scalers):
                if other is scaler:  # same-kind challenges may share a scaler (see resume_scalers)
                    self.world.set_difficulty(index, decision.new)
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
