"""The reach challenge: targets in several directions; reach each, dwell on it, come home."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from game.core.challenge import ChallengeRun, distance, steps_for
from game.core.events import Event, TrialResult
from game.core.snapshot import TargetView
from game.level.model import ReachChallenge

HOME_DWELL_S = 0.3  # time in the home zone that counts as "back in the middle"


def target_order(spec: ReachChallenge, rng: random.Random) -> list[float]:
    """The directions in play order: listed, clockwise from the first listed, or shuffled per repeat."""
    order: list[float] = []
    for _ in range(spec.repeats):
        directions = list(spec.directions_deg)
        if spec.order == "random":
            rng.shuffle(directions)
        elif spec.order == "clockwise":
            first = directions[0]
            directions.sort(key=lambda a: (first - a) % 360.0)
        order.extend(directions)
    return order


class ReachRun(ChallengeRun):
    """Dwell counts only while the marker stays on the target; leaving starts it again."""

    kind = "reach"

    def __init__(
        self, index: int, spec: ReachChallenge, rng: random.Random, difficulty_of: Callable[[], float], step_s: float
    ) -> None:
        super().__init__(index, spec, rng, difficulty_of, step_s)
        self.spec: ReachChallenge = spec
        self.trials = spec.trials
        self._order = target_order(spec, rng)
        self._target = (0.0, 0.0)
        self._radius = 0.0
        self._dwell_steps = 0
        self._need_steps = 0
        self._home_steps = 0

    def _after_feedback(self, t_s: float) -> list[Event]:
        if self.trial < self.trials and self.spec.return_to_centre:
            self.phase = "home"
            self.phase_steps = 0
            self._home_steps = 0
            self.progress = 0.0
            return []
        return super()._after_feedback(t_s)

    def _step_home(self, t_s: float) -> list[Event]:
        inside = distance(self.marker, (0.0, 0.0)) <= self.spec.centre_radius
        need = steps_for(HOME_DWELL_S, self.step_s)
        self._home_steps = self._home_steps + 1 if inside else 0
        self.progress = min(1.0, self._home_steps / need)
        if self._home_steps >= need:
            return [Event(t_s, "home_reached", self.index, self.trial), *self._begin_trial(t_s)]
        return []

    def _begin_trial(self, t_s: float) -> list[Event]:
        knobs = self.spec.knobs
        d = self.difficulty_of()
        params = {"distance": knobs.distance.at(d), "radius": knobs.radius.at(d), "dwell_s": knobs.dwell_s.at(d)}
        direction_deg = self._order[self.trial]
        angle = math.radians(direction_deg)
        self._target = (params["distance"] * math.cos(angle), params["distance"] * math.sin(angle))
        self._radius = params["radius"]
        self._dwell_steps = 0
        self._need_steps = steps_for(params["dwell_s"], self.step_s)
        data = {"direction_deg": direction_deg, "target_x": round(self._target[0], 6), "target_y": round(self._target[1], 6)}
        return [self._open_trial(t_s, params, data)]

    def _step_trial(self, t_s: float) -> tuple[list[Event], list[TrialResult]]:
        self.marker = self.control
        inside = distance(self.marker, self._target) <= self._radius
        events = self._track_zone(t_s, inside)
        self._dwell_steps = self._dwell_steps + 1 if inside else 0
        need = max(1, self._need_steps)
        self.progress = min(1.0, self._dwell_steps / need)
        self._best_progress = max(self._best_progress, self.progress)
        if inside and self._dwell_steps >= need:
            done, results = self._close_trial(t_s, success=True)
            return events + done, results
        if self.timed_out():
            done, results = self._close_trial(t_s, success=False)
            return events + done, results
        return events, []

    def targets(self) -> tuple[TargetView, ...]:
        if self.phase == "home":
            inside = distance(self.marker, (0.0, 0.0)) <= self.spec.centre_radius
            return (TargetView(0.0, 0.0, self.spec.centre_radius, "home", inside),)
        if self.phase in ("trial", "feedback"):
            inside = distance(self.marker, self._target) <= self._radius
            return (TargetView(self._target[0], self._target[1], self._radius, "target", inside),)
        return ()
