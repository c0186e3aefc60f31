"""The hold challenge: keep the marker in a zone for a hold time while the wind blows it away."""

from __future__ import annotations

import random
from collections.abc import Callable

from game.core.challenge import ChallengeRun, Control, clamp_point, distance, steps_for
from game.core.events import Event, TrialResult
from game.core.push import Pusher
from game.core.snapshot import TargetView
from game.level.model import HoldChallenge


class HoldRun(ChallengeRun):
    """Time inside the zone fills the hold; time outside drains it at the same rate.

    The wind (``game.core.push``) blows for the whole challenge, its intro and the pauses
    between trials included, so the marker never jumps: each trial sets its strength.
    """

    kind = "hold"
    spec: HoldChallenge

    def __init__(
        self, index: int, spec: HoldChallenge, rng: random.Random, difficulty_of: Callable[[], float], step_s: float
    ) -> None:
        super().__init__(index, spec, rng, difficulty_of, step_s)
        self._pusher = Pusher(rng, step_s, spec.knobs.push.at(spec.difficulty.start))
        self._held_steps = 0
        self._need_steps = 1
        self._radius = spec.knobs.radius.at(spec.difficulty.start)

    def intro_marker(self, control: Control) -> Control:
        return self._blown(control)

    def _idle_marker(self, control: Control) -> Control:
        return self._blown(control)

    def _blown(self, control: Control) -> Control:
        """One step of wind, and the marker where the player leans plus the displacement."""
        sx, sy = self._pusher.blow()
        return clamp_point(control[0] + sx, control[1] + sy)

    def push(self) -> tuple[float, float]:
        return self._pusher.push()

    def _begin_trial(self, t_s: float) -> list[Event]:
        knobs = self.spec.knobs
        d = self.difficulty_of()
        params = {"radius": knobs.radius.at(d), "hold_s": knobs.hold_s.at(d), "push": knobs.push.at(d)}
        self._radius = params["radius"]
        self._pusher.strength = params["push"]
        self._held_steps = 0
        self._need_steps = max(1, steps_for(params["hold_s"], self.step_s))
        cx, cy = self.spec.centre
        return [self._open_trial(t_s, params, {"target_x": cx, "target_y": cy})]

    def _step_trial(self, t_s: float) -> tuple[list[Event], list[TrialResult]]:
        self.marker = self._blown(self.control)
        inside = distance(self.marker, self.spec.centre) <= self._radius
        events = self._track_zone(t_s, inside)
        self._held_steps = self._held_steps + 1 if inside else max(0, self._held_steps - 1)
        self.progress = self._held_steps / self._need_steps
        self._best_progress = max(self._best_progress, self.progress)
        return self._settle(t_s, events, self._held_steps >= self._need_steps)

    def targets(self) -> tuple[TargetView, ...]:
        cx, cy = self.spec.centre
        inside = distance(self.marker, self.spec.centre) <= self._radius
        return self._one_target(cx, cy, self._radius, "zone", inside)
