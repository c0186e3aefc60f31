"""What every challenge kind shares: trials, feedback pauses, scoring and its view."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from typing import ClassVar

from game.core.events import Event, InterruptedTrial, TrialResult
from game.core.phases import ChallengePhase
from game.core.snapshot import ItemView, Outcome, TargetView, target_view
from game.level.model import AnyChallenge, ChallengeKind

FEEDBACK_S = 1.0  # the pause after a trial that shows and sounds how it went

Control = tuple[float, float]


def steps_for(seconds: float, step_s: float) -> int:
    """Whole steps needed to cover ``seconds`` (integer counting keeps timing exact)."""
    return max(0, math.ceil(seconds / step_s - 1e-9))


def distance(a: Control, b: Control) -> float:
    """Euclidean distance between two points in LOS units."""
    return math.hypot(a[0] - b[0], a[1] - b[1])


def clamp_point(x: float, y: float, limit: float = 1.2) -> Control:
    """Keep the drawn marker just past the field so it never leaves the screen.

    ``max(-limit, min(limit, v))`` per axis, written out (it runs every step): the same value in
    every case, a NaN included (``min`` keeps its first argument unless the second is smaller).
    """
    x = x if x < limit else limit
    y = y if y < limit else limit
    return (x if x > -limit else -limit, y if y > -limit else -limit)


class ChallengeRun:
    """One challenge being played: a run of trials, each followed by a short feedback pause."""

    kind: ClassVar[ChallengeKind]  # each concrete run names the kind of challenge it plays
    spec: AnyChallenge  # each concrete run narrows it to its own model

    def __init__(
        self, index: int, spec: AnyChallenge, rng: random.Random, difficulty_of: Callable[[], float], step_s: float
    ) -> None:
        self.index = index
        self.step_s = step_s
        self.spec = spec
        self.rng = rng
        self.difficulty_of = difficulty_of
        self.trial = 0
        self.trials = spec.trials
        self.phase: ChallengePhase = "waiting"
        self.phase_steps = 0
        self.control: Control = (0.0, 0.0)
        self.marker: Control = (0.0, 0.0)
        self.progress = 0.0
        self.finished = False
        self.last_outcome: Outcome | None = None
        self.last_points = 0
        self.last_message: str | None = None  # the level's own feedback words, if it has any
        self._trial_started_t = 0.0
        self._best_progress = 0.0
        self._difficulty = 0.0
        self._params: dict[str, float] = {}
        self._inside = False
        self._home_steps = 0
        # whole steps of the feedback pause and of a trial's time limit (the spec is frozen: counted once)
        self._feedback_steps = steps_for(FEEDBACK_S, step_s)
        self._timeout_steps = steps_for(spec.timeout_s, step_s)
        self._shown: tuple[TargetView, ...] = ()  # the last targets() built by _one_target

    @property
    def phase_t(self) -> float:
        """Seconds spent in the current phase."""
        return self.phase_steps * self.step_s

    # -- lifecycle -------------------------------------------------------------------
    def start(self, t_s: float) -> list[Event]:
        """Begin the first trial (or the first return home)."""
        return self._after_feedback(t_s)

    def step(self, t_s: float, control: Control) -> tuple[list[Event], list[TrialResult]]:
        """Advance one fixed step with the player's control position."""
        self.control = control
        if self.phase == "feedback" and self.phase_steps >= self._feedback_steps:
            events = self._after_feedback(t_s)
            if self.phase in ("feedback", "done"):
                return events, []
            more, results = self.step(t_s, control)
            return events + more, results
        self.phase_steps += 1
        if self.phase == "trial":
            return self._step_trial(t_s)
        if self.phase == "home":
            self.marker = control
            return self._step_home(t_s), []
        self.marker = self._idle_marker(control)
        return [], []

    # -- for subclasses ----------------------------------------------------------------
    def intro_marker(self, control: Control) -> Control:
        """The marker during the level's intro to this challenge (one call per step)."""
        return self._idle_marker(control)

    def push(self) -> Control:
        """The perturbation acting now (the wind's push, LOS; ``game.core.push``); none by default."""
        return (0.0, 0.0)

    def _idle_marker(self, control: Control) -> Control:
        return control

    def _step_trial(self, t_s: float) -> tuple[list[Event], list[TrialResult]]:
        raise NotImplementedError

    def _step_home(self, t_s: float) -> list[Event]:
        return []

    def _begin_trial(self, t_s: float) -> list[Event]:
        raise NotImplementedError

    def targets(self) -> tuple[TargetView, ...]:
        """The zones to draw now."""
        raise NotImplementedError

    def _one_target(self, x: float, y: float, radius: float, role: str, inside: bool) -> tuple[TargetView, ...]:
        """``(TargetView(x, y, radius, role, inside),)``: the very tuple of the last call when it was made of the
        very same values (identical objects, so not even a 0.0 for a -0.0), as most steps are; a view is
        immutable, so sharing it is safe, and a snapshot is built every step."""
        if self._shown:
            last = self._shown[0]
            if (last.x is x and last.y is y and last.radius is radius and last.inside is inside
                    and last.role is role):
                return self._shown
        self._shown = (target_view(x, y, radius, role, inside),)
        return self._shown

    @property
    def max_score(self) -> int:
        """Points for succeeding in every trial as fast as possible."""
        scoring = self.spec.scoring
        return self.trials * (scoring.points_per_success + scoring.time_bonus)

    def phase_left_s(self) -> float:
        """Seconds left in the current phase (trial time left, or the feedback pause)."""
        phase = self.phase
        if phase == "trial":
            return max(0.0, self.spec.timeout_s - self.phase_steps * self.step_s)  # (phase_t, inlined)
        if phase == "feedback":
            return max(0.0, FEEDBACK_S - self.phase_steps * self.step_s)
        return 0.0

    def timed_out(self) -> bool:
        """True once the trial has used all of its time."""
        return self.phase_steps >= self._timeout_steps

    # -- shared mechanics ------------------------------------------------------------------
    def _after_feedback(self, t_s: float) -> list[Event]:
        if self.trial >= self.trials:
            self.finished = True
            self.phase = "done"
            return []
        return self._begin_trial(t_s)

    def _open_trial(self, t_s: float, params: dict[str, float], data: Mapping[str, float | str]) -> Event:
        self.trial += 1
        self.phase = "trial"
        self.phase_steps = 0
        self.progress = 0.0
        self._best_progress = 0.0
        self._trial_started_t = t_s
        self._difficulty = self.difficulty_of()
        self._params = params
        self._inside = False
        payload = {
            "difficulty": round(self._difficulty, 6),
            **{k: round(v, 6) for k, v in params.items()},
            **data,
        }
        return Event(t_s, "trial_start", self.index, self.trial, payload)

    def _track_zone(self, t_s: float, inside: bool) -> list[Event]:
        if inside == self._inside:
            return []
        self._inside = inside
        return [Event(t_s, "zone_enter" if inside else "zone_exit", self.index, self.trial)]

    def _settle(self, t_s: float, events: list[Event], succeeded: bool) -> tuple[list[Event], list[TrialResult]]:
        """End the trial as a success now, as a miss once its time is up, or not yet."""
        if succeeded or self.timed_out():
            done, results = self._close_trial(t_s, success=succeeded)
            return events + done, results
        return events, []

    def _wait_on(self, t_s: float, point: Control, radius: float, dwell_s: float) -> list[Event]:
        """The 'home' phase: stay on ``point`` for ``dwell_s``, then the next trial begins."""
        inside = distance(self.marker, point) <= radius
        need = max(1, steps_for(dwell_s, self.step_s))
        self._home_steps = self._home_steps + 1 if inside else 0
        self.progress = min(1.0, self._home_steps / need)
        if self._home_steps >= need:
            return [Event(t_s, "home_reached", self.index, self.trial), *self._begin_trial(t_s)]
        return []

    def _points(self, success: bool, duration_s: float) -> int:
        """Points for the trial that just ended (kinds with their own scoring override this)."""
        scoring = self.spec.scoring
        if success:
            time_left = max(0.0, 1.0 - duration_s / self.spec.timeout_s)
            return scoring.points_per_success + round(scoring.time_bonus * time_left)
        return round(scoring.points_per_success * scoring.partial * self._best_progress)

    def _close_trial(
        self, t_s: float, success: bool, extra: Mapping[str, float] | None = None
    ) -> tuple[list[Event], list[TrialResult]]:
        self._best_progress = max(self._best_progress, self.progress)
        duration_s = self.phase_t
        points = self._points(success, duration_s)
        result = TrialResult(
            challenge=self.index,
            kind=self.kind,
            trial=self.trial,
            success=success,
            started_t_s=self._trial_started_t,
            duration_s=duration_s,
            difficulty=self._difficulty,
            params=dict(self._params),
            points=points,
            progress=self._best_progress,
        )
        self.last_outcome = "success" if success else "fail"
        self.last_points = points
        feedback = self.spec.feedback
        messages = feedback.success_messages if success else feedback.fail_messages
        self.last_message = messages[(self.trial - 1) % len(messages)] if messages else None
        self.phase = "feedback"
        self.phase_steps = 0
        data: dict[str, float | str] = {
            "duration_s": round(duration_s, 6),
            "points": points,
            "progress": round(self._best_progress, 6),
        }
        data.update(extra or {})
        sound = feedback.success_sound if success else feedback.fail_sound
        if sound != ("success" if success else "miss"):
            data["sound"] = sound
        event = Event(t_s, "trial_success" if success else "trial_fail", self.index, self.trial, data)
        return [event], [result]

    def interrupt(self) -> InterruptedTrial | None:
        """End the running trial with no outcome (the session's rest break); its number is played again after.

        Nothing is scored or recorded as a result; the next step goes straight to what follows a
        trial (the return home, or the trial again) with no feedback pause.
        """
        if self.phase != "trial":
            return None
        cut = InterruptedTrial(self.index, self.kind, self.trial, self._trial_started_t, self.phase_t,
                               self._difficulty)
        self.trial -= 1
        self.phase = "feedback"
        self.phase_steps = self._feedback_steps
        self.progress = 0.0
        self._best_progress = 0.0
        self._inside = False
        self.last_outcome = None
        self.last_points = 0
        self.last_message = None
        return cut

    def live_points(self) -> int:
        """Points earned in the running trial but not yet banked (shown in the HUD at once)."""
        return 0

    # -- extra shapes for the snapshot (kinds that have them override) -----------------
    # (fixed for the whole run: the world reads path, walls and wall_thickness once, when it is made)
    def path(self) -> tuple[tuple[float, float], ...]:
        """A polyline to draw (track path, maze hint)."""
        return ()

    def walls(self) -> tuple[tuple[float, float, float, float], ...]:
        """Wall segments (maze)."""
        return ()

    def wall_thickness(self) -> float:
        """Thickness of the walls."""
        return 0.0

    def items(self) -> tuple[ItemView, ...]:
        """Moving items (collect and avoid)."""
        return ()
