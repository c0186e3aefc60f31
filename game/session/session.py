"""One level played from start to end, without clocks, windows or databases.

The session owns every rule of play: it feeds each input sample to the core, hands every
ended trial to that challenge's difficulty scaler and applies the decision before the next
trial, and it keeps the clinician's session length and rest breaks (``Sitting``) as phases
counted in simulation time. ``proprio play``, ``proprio simulate`` and a replay all step the
same session, so they meet the same game. Same level, seed, scaler start and samples: same
everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, TypeGuard, cast

from game.core.events import Event, InterruptedTrial, TrialResult
from game.core.snapshot import Snapshot
from game.core.world import STEP_S, World
from game.difficulty import DEFAULT_METHOD, Decision, DifficultyScaler
from game.input.pose import Pose
from game.input.source import PoseSource, ScreenObserver
from game.level.model import Level
from game.limits import PlayerLimits
from game.session.scalers import ScalerPlan, StoredScaler, resume_scalers
from game.session.sitting import REST_GRACE_S, Sitting

SessionPhase = Literal["play", "rest_break", "ended"]
"""play: the world steps; rest_break: the clinician's rest, the world is frozen; ended: nothing more."""
EndReason = Literal["level_end", "session_limit", "duration"]
"""Why a session ended by itself: the level's last challenge, the clinician's time, the run's --duration."""


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
    """Everything one fixed step produced.

    ``pose`` is the sample the world stepped with, or None on a step in which the world did
    not move (a rest-break step, or the step that found the session time used up).
    """

    step: int
    t_s: float
    pose: Pose | None
    events: list[Event]
    results: list[TrialResult]
    changes: list[DifficultyChange]

    @property
    def played(self) -> bool:
        """True when the world stepped (the step has a sample to record)."""
        return self.pose is not None


class _SessionStepDraft:
    """A ``SessionStep`` being filled in, as ``game.core.snapshot.SnapshotDraft`` fills a snapshot: one is made
    every step, and the frozen dataclass's ``__init__`` costs three times this."""

    __slots__ = SessionStep.__slots__  # (made by dataclass(slots=True))

    step: int
    t_s: float
    pose: Pose | None
    events: list[Event]
    results: list[TrialResult]
    changes: list[DifficultyChange]


def _played_step(step: int, t_s: float, pose: Pose, events: list[Event], results: list[TrialResult],
                 changes: list[DifficultyChange]) -> SessionStep:
    """``SessionStep(step, t_s, pose, events, results, changes)``, built without the per-field setattr."""
    draft = _SessionStepDraft()
    draft.step, draft.t_s, draft.pose, draft.events, draft.results, draft.changes = (
        step, t_s, pose, events, results, changes)
    object.__setattr__(draft, "__class__", SessionStep)
    return cast(SessionStep, draft)


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


def start_session(level: Level, seed: int, *, stored: dict[str, StoredScaler] | None = None,
                  limits: PlayerLimits | None = None, sitting: Sitting | None = None,
                  method: str = DEFAULT_METHOD, stop_at_s: float | None = None) -> Session:
    """Start a level's session from the level, seed, the player's stored scalers and the clinician's limits.

    ``sitting`` carries play time and rest breaks across the levels of one run (a new one, with
    the clinician's session limits, when not given). A restored scaler whose kind has not yet
    played in this sitting begins a new session (``new_session()``: the belief widens for a
    returning player), once per sitting, not per level. ``stop_at_s`` ends the level after that
    much play (``--duration``). A limit the level cannot honour raises ``LimitsError`` here.
    """
    if sitting is None:
        sitting = Sitting(limits.session) if limits is not None else Sitting()
    kinds: set[str] = {challenge.kind for challenge in level.challenges}
    returning = sitting.first_scalers(kinds) & set(stored or {})
    plan = resume_scalers(level, stored or {}, limits, method, new_sitting=sitting.first_scalers(kinds))
    sitting.scalers_started(kinds)
    session = Session(level, seed, plan.scalers, plan=plan, sitting=sitting, stop_at_s=stop_at_s)
    warm_up(session, returning)
    return session


WARM_UP_STEP = 0.1
"""A returning player's first trial of a kind in a sitting is played this much easier than the stored level."""


def warm_up(session: Session, kinds: frozenset[str] | set[str]) -> None:
    """Start the first trial of each returning kind ``WARM_UP_STEP`` below where the player left off (not below
    the band's floor), so a new day does not begin at yesterday's hardest; the scaler itself is untouched and
    goes on from its own level after that trial. The scaler's start (the difficulty_start event) records
    ``warm_up`` and why."""
    warmed: set[int] = set()
    for index, start in enumerate(session.plan.starts):
        scaler = session.scalers[index]
        if start.kind not in kinds or id(scaler) in warmed or start.source == "shared":
            continue
        warmed.add(id(scaler))
        easier = max(start.floor, scaler.difficulty - WARM_UP_STEP)
        if easier >= scaler.difficulty:
            continue
        for other, shared in enumerate(session.scalers):
            if shared is scaler:
                session.world.set_difficulty(other, easier)
        session.plan.starts[index] = replace(start, warm_up=easier, warm_up_reason=(
            f"a returning player: the first trial is a warm-up at {easier:.3g}, up to {WARM_UP_STEP:g} easier"
            f" than the {scaler.difficulty:.3g} left off at; the scaler goes on from its own level after it"))


class Session:
    """Drive a ``World`` with samples, a scaler per challenge and the sitting's rules."""

    def __init__(self, level: Level, seed: int, scalers: list[DifficultyScaler] | None = None, step_s: float = STEP_S,
                 *, plan: ScalerPlan | None = None, sitting: Sitting | None = None,
                 stop_at_s: float | None = None) -> None:
        self.level = level
        self.world = World(level, seed, step_s)
        if scalers is None:
            plan = plan or resume_scalers(level)
            scalers = plan.scalers
        self.scalers = scalers
        self.plan = plan or ScalerPlan(scalers, [])
        if len(self.scalers) != len(level.challenges):
            raise ValueError("one scaler per challenge is needed")
        for index, scaler in enumerate(self.scalers):
            self.world.set_difficulty(index, scaler.difficulty)
        self.sitting = sitting or Sitting()
        self.stop_at_s = stop_at_s
        self.totals = SessionTotals()
        self.phase: SessionPhase = "play"
        self.ended_by: EndReason | None = None
        self.rest_left_s = 0.0
        self._banked = False
        self._snapshot = self.world.snapshot()

    @property
    def finished(self) -> bool:
        """True once the session has ended by itself (level over, time up, or the run's duration)."""
        return self.phase == "ended"

    @property
    def time_up(self) -> bool:
        """True when the clinician's session length has been used up (the run's plan ends too)."""
        return self.ended_by == "session_limit" or self.sitting.time_up(0.0 if self._banked else self.t_s)

    @property
    def resting(self) -> bool:
        """True during a clinician's rest break: the world is frozen, no sample is asked for."""
        return self.phase == "rest_break"

    @property
    def wants_pose(self) -> bool:
        """True when the next step moves the world and so needs a sample from the device."""
        return self.phase == "play" and not self.sitting.time_up(self.t_s)

    @property
    def t_s(self) -> float:
        """Simulation (play) time of the next step; it stands still during a rest break."""
        world = self.world  # (World.t_s inlined: read several times a step)
        return world.steps * world.step_s

    def snapshot(self) -> Snapshot:
        """The world after the last step."""
        return self._snapshot

    def advance(self, pose: Pose | None) -> SessionStep:
        """Run one fixed step: the world with this sample, or one step of a rest break (pose not needed)."""
        if self.phase == "ended":
            raise RuntimeError("the session has ended; start a new one")
        if self.phase == "rest_break":
            return self._rest_step()
        if self.sitting.time_up(self.t_s):
            return self._end_time_up()
        if pose is None:
            raise ValueError("a playing session needs a sample each step")
        return self._play_step(pose)

    def end(self) -> None:
        """Bank this level's play time in the sitting (however the level ended; once)."""
        if not self._banked:
            self.sitting.end_level(self.t_s)
            self._banked = True

    # -- the steps -------------------------------------------------------------------------
    def _play_step(self, pose: Pose) -> SessionStep:
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
        events = result.events  # (the world's own new list, not kept by it)
        now = self.t_s
        if self.world.finished:
            self._end("level_end")
        elif self.stop_at_s is not None and now >= self.stop_at_s:
            self._end("duration")
        elif self.sitting.rest_due(now) and not self.sitting.time_up(now):
            if self._snapshot.phase == "trial" and self.sitting.rest_must_start(self.t_s):
                cut = self.world.interrupt_trial()  # the rest cannot wait for a long trial: end it, uncounted
                if cut is not None:
                    events.append(self._interrupted(cut))
                    self._snapshot = self.world.snapshot()
            if self._snapshot.phase != "trial":
                self.phase, self.rest_left_s = "rest_break", self.sitting.rest_s
                events.append(Event(self.t_s, "rest_start", -1, 0, self.sitting.rest_data(self.t_s)))
        return _played_step(step, t_s, pose, events, result.results, changes)

    def _interrupted(self, cut: InterruptedTrial) -> Event:
        """The log line of a trial ended for a rest: no outcome, no scaler decision, not in the success rate."""
        return Event(self.t_s, "trial_interrupted", cut.challenge, cut.trial, {
            "reason": f"a clinician rest break was due and the trial had not ended within {REST_GRACE_S:g} s",
            "kind": cut.kind, "started_t_s": round(cut.started_t_s, 6), "duration_s": round(cut.duration_s, 6),
            "difficulty": round(cut.difficulty, 6), "counted": False,
        })

    def _rest_step(self) -> SessionStep:
        self.rest_left_s -= self.world.step_s
        events = []
        if self.rest_left_s <= 1e-9:
            self.phase, self.rest_left_s = "play", 0.0
            self.sitting.rested(self.t_s)
            events.append(Event(self.t_s, "rest_end", -1, 0, {}))
        return SessionStep(self.world.steps, self.t_s, None, events, [], [])

    def _end_time_up(self) -> SessionStep:
        event = Event(self.t_s, "session_limit", -1, 0, self.sitting.time_up_data(self.t_s))
        self._end("session_limit")
        return SessionStep(self.world.steps, self.t_s, None, [event], [], [])

    def _end(self, reason: EndReason) -> None:
        self.phase, self.ended_by = "ended", reason

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


def step_from(session: Session, source: PoseSource) -> SessionStep:
    """One step fed by a device: it sees the screen first (the simulated player), and is asked only when needed.

    The one place that turns a ``PoseSource`` into session steps, shared by the play loop,
    ``proprio simulate`` and the calibration-free tools, so all meet the same rules.
    """
    if not session.wants_pose:
        return session.advance(None)
    if _observes(source):
        source.observe(session.snapshot())
    pose = source.poll(session.t_s)
    if pose is None:  # (not a Pose: advance says so)
        return session.advance(pose)
    return session._play_step(pose)  # what advance(pose) does when wants_pose (its checks were just made)


_OBSERVERS: dict[type, bool] = {}  # per class of source: does it look at the screen?


def _observes(source: PoseSource) -> TypeGuard[ScreenObserver]:
    """``isinstance(source, ScreenObserver)``, asked once per class (a protocol check is slow, and this runs
    every step)."""
    kind = type(source)
    observes = _OBSERVERS.get(kind)
    if observes is None:
        observes = _OBSERVERS[kind] = isinstance(source, ScreenObserver)
    return observes
