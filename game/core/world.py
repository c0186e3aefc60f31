"""The pure, fixed-step simulation of one level.

No clock, no I/O, no pygame/panda3d/sqlite: given the same level, seed, difficulty
decisions and control samples it produces the same events and final state.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from typing import Literal

from game.core.art import ArtView, resolve_art
from game.core.challenge import ChallengeRun, Control, steps_for
from game.core.collect import CollectAvoidRun
from game.core.events import Event, InterruptedTrial, TrialResult
from game.core.hold import HoldRun
from game.core.maze import MazeRun
from game.core.phases import SnapshotPhase, WorldPhase
from game.core.reach import LimitsOfStabilityRun, ReachRun, WeightShiftRun
from game.core.snapshot import Snapshot, SnapshotDraft
from game.core.track import TrackRun
from game.level.model import ChallengeKind, Level

STEP_HZ = 120
STEP_S = 1.0 / STEP_HZ

_RUNS: dict[ChallengeKind, type[ChallengeRun]] = {
    "hold": HoldRun,
    "reach": ReachRun,
    "weight_shift": WeightShiftRun,
    "limits_of_stability": LimitsOfStabilityRun,
    "track": TrackRun,
    "maze": MazeRun,
    "collect_avoid": CollectAvoidRun,
}


@dataclass(frozen=True, slots=True)
class StepResult:
    """What one step produced: events in order, and the trials that ended."""

    events: list[Event]
    results: list[TrialResult]


def stars_for(score: int, max_score: int, stars_at: tuple[float, float, float]) -> int:
    """Stars earned: how many of the level's thresholds the score fraction reaches."""
    if max_score <= 0:
        return 0
    fraction = score / max_score
    return sum(1 for threshold in stars_at if fraction >= threshold)


class World:
    """A level being played: intro, the challenges in order with rests between, then done."""

    def __init__(self, level: Level, seed: int, step_s: float = STEP_S) -> None:
        self.level = level
        self.seed = seed
        self.step_s = step_s
        self.steps = 0
        self.difficulty = [c.difficulty.start for c in level.challenges]
        self.score = 0
        self.max_score = 0
        self.finished = False
        self.phase: WorldPhase = "intro"
        self._phase_steps = 0
        self._index = 0
        self._control: Control = (0.0, 0.0)
        self._runs: list[ChallengeRun] = []
        self._art: tuple[ArtView, ...] = tuple(resolve_art(level, spec) for spec in level.challenges)
        for index, spec in enumerate(level.challenges):
            rng = random.Random(f"proprio/{seed}/{index}")
            run = _RUNS[spec.kind](index, spec, rng, functools.partial(self._difficulty_of, index), step_s)
            self._runs.append(run)
            self.max_score += run.max_score
        # What a snapshot shows that never changes while a challenge plays (built once, read every step).
        self._fixed = tuple((level.theme, level.title, len(self._runs), spec.kind, spec.title, spec.instruction)
                            for spec in level.challenges)
        self._shapes = tuple((run.path(), run.walls(), run.wall_thickness()) for run in self._runs)  # fixed per run
        self._intro_steps = steps_for(level.intro_s, step_s)
        self._rest_steps = steps_for(level.rest_s, step_s)
        self._stars_of = (0, stars_for(0, self.max_score, level.stars_at))  # (score, its stars), cached
        self._pending: list[Event] = [
            Event(0.0, "level_start", -1, 0, {"title": level.title, "seed": seed}),
            self._challenge_start_event(0.0),
        ]

    @property
    def t_s(self) -> float:
        """Simulation time of the next step, seconds (an integer count of steps, no drift)."""
        return self.steps * self.step_s

    @property
    def challenge_index(self) -> int:
        """Index of the challenge being played (the last one once the level is done)."""
        return min(self._index, len(self._runs) - 1)

    def _difficulty_of(self, challenge: int) -> float:
        """The difficulty the challenge's next trial uses (read when the trial begins)."""
        return self.difficulty[challenge]

    def set_difficulty(self, challenge: int, difficulty: float) -> None:
        """Set the normalized difficulty the challenge's next trial will use."""
        if not 0.0 <= difficulty <= 1.0:
            raise ValueError(f"difficulty {difficulty} is outside [0, 1]")
        self.difficulty[challenge] = difficulty

    def step(self, control: Control) -> StepResult:
        """Advance one fixed step with the player's control position (x, y in LOS units)."""
        t_s = self.steps * self.step_s  # (the t_s property, inlined)
        events, results = self._pending, []
        self._pending = []
        self._control = control
        if not self.finished and self.level.duration_s is not None and t_s >= self.level.duration_s:
            events.extend(self._finish(t_s, "duration"))
        if not self.finished:
            run = self._runs[self._index]
            if self.phase == "rest" and self._phase_steps >= self._rest_steps:
                self.phase = "intro"
                self._phase_steps = 0
                events.append(self._challenge_start_event(t_s))
            if self.phase == "intro" and self._phase_steps >= self._intro_steps:
                self.phase = "play"
                events.extend(run.start(t_s))
            self._phase_steps += 1
            if self.phase == "intro":
                run.marker = run.intro_marker(control)
            elif self.phase == "play":
                new_events, new_results = run.step(t_s, control)
                if new_events:
                    events.extend(new_events)
                if new_results:
                    results.extend(new_results)
                    self.score += sum(r.points for r in new_results)
                if run.finished:
                    events.append(Event(t_s, "challenge_end", run.index, run.trial, {"score": self.score}))
                    events.extend(self._next_challenge(t_s))
        self.steps += 1
        return StepResult(events, results)

    def interrupt_trial(self) -> InterruptedTrial | None:
        """End the running trial now without an outcome (a due rest break); None when no trial is running.

        Pure and immediate: no event and no result (the caller logs it), so no scaler sees it and
        no success rate counts it; the challenge plays the same trial number again afterwards.
        """
        if self.finished or self.phase != "play":
            return None
        return self._runs[self._index].interrupt()

    @property
    def _phase_t(self) -> float:
        return self._phase_steps * self.step_s

    def _next_challenge(self, t_s: float) -> list[Event]:
        self._phase_steps = 0
        if self._index + 1 < len(self._runs):
            self._index += 1
            self.phase = "rest" if self.level.rest_s > 0 else "intro"
            return [] if self.phase == "rest" else [self._challenge_start_event(t_s)]
        return self._finish(t_s, "completed")

    def _finish(self, t_s: float, reason: Literal["duration", "completed"]) -> list[Event]:
        self.finished = True
        self.phase = "done"
        stars = stars_for(self.score, self.max_score, self.level.stars_at)
        data = {"score": self.score, "max_score": self.max_score, "stars": stars, "reason": reason}
        return [Event(t_s, "level_end", -1, 0, data)]

    def _challenge_start_event(self, t_s: float) -> Event:
        spec = self.level.challenges[self._index]
        return Event(t_s, "challenge_start", self._index, 0, {"kind": spec.kind, "title": spec.title})

    def _stars(self) -> int:
        """Stars for the banked score (recounted only when the score has changed)."""
        score, stars = self._stars_of
        if score != self.score:
            stars = stars_for(self.score, self.max_score, self.level.stars_at)
            self._stars_of = (self.score, stars)
        return stars

    def snapshot(self) -> Snapshot:
        """An immutable picture of the world after the last step.

        Built every step (the simulated player sees each one), so it is filled in as a
        ``SnapshotDraft`` from values cached per challenge rather than through the frozen
        dataclass's ``__init__``: the same Snapshot, several times cheaper.
        """
        count = len(self._runs)
        index = self._index if self._index < count else count - 1  # challenge_index, inlined
        run = self._runs[index]
        phase: SnapshotPhase
        world_phase = self.phase
        if world_phase == "play":
            phase, left = run.phase, run.phase_left_s()
        elif world_phase == "intro":
            phase, left = "intro", max(0.0, self.level.intro_s - self._phase_steps * self.step_s)
        elif world_phase == "rest":
            phase, left = "rest", max(0.0, self.level.rest_s - self._phase_steps * self.step_s)
        else:
            phase, left = "done", 0.0
        active = phase in ("trial", "feedback", "home")
        shows_layout = active or (phase == "intro" and run.kind in ("hold", "maze", "track"))
        s = SnapshotDraft()
        s.t_s = self.steps * self.step_s
        s.theme, s.level_title, s.challenge_count, s.challenge_kind, s.challenge_title, s.instruction = (
            self._fixed[index])
        s.challenge_index = index
        s.phase = phase
        s.phase_left_s = left
        s.control = self._control
        s.marker = run.marker if phase != "rest" else self._control
        s.targets = run.targets() if shows_layout else ()
        s.progress = run.progress if phase in ("trial", "home") else (
            1.0 if run.last_outcome == "success" and phase == "feedback" else 0.0
        )
        s.trial = run.trial
        s.trials = run.trials
        s.difficulty = self.difficulty[index]
        s.score = self.score + run.live_points()
        s.max_score = self.max_score
        s.stars = self._stars()
        s.last_outcome = run.last_outcome
        s.last_points = run.last_points
        path, walls, s.wall_thickness = self._shapes[index]
        if shows_layout:
            s.path, s.walls = path, walls
        else:
            s.path = s.walls = ()
        s.items = run.items() if active else ()
        s.message = run.last_message if phase == "feedback" else None
        s.art = self._art[index]
        s.push = run.push() if phase not in ("rest", "done") else (0.0, 0.0)
        return s.done()
