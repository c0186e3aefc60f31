"""Target sequences: reach, weight shift and limits of stability.

All three show one target at a time at a direction and distance, acquired by staying on it
for a dwell time; they differ in the order of the directions and in whether the player
returns home to the centre between targets.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import ClassVar, Literal

from game.core.challenge import ChallengeRun, distance, steps_for
from game.core.events import Event, TrialResult
from game.core.snapshot import TargetView
from game.level.model import Knob, LimitsOfStabilityChallenge, Order, ReachChallenge, WeightShiftChallenge

HOME_DWELL_S = 0.3  # time in the home zone that counts as "back in the middle"


TargetChallenge = ReachChallenge | WeightShiftChallenge | LimitsOfStabilityChallenge


def ordered(directions: tuple[float, ...], order: Order, rng: random.Random) -> list[float]:
    """One pass over the directions: listed, clockwise from the first listed, or shuffled."""
    result = list(directions)
    if order == "random":
        rng.shuffle(result)
    elif order == "clockwise":
        first = result[0]
        result.sort(key=lambda a: (first - a) % 360.0)
    return result


def target_order(spec: ReachChallenge, rng: random.Random) -> list[float]:
    """The reach directions in play order, one pass per repeat."""
    order: list[float] = []
    for _ in range(spec.repeats):
        order.extend(ordered(spec.directions_deg, spec.order, rng))
    return order


class TargetSequenceRun(ChallengeRun):
    """Dwell counts only while the marker stays on the target; leaving starts it again."""

    dwell_knob: ClassVar[Literal["dwell_s", "hold_s"]] = "dwell_s"  # the knob that sets the time on a target
    spec: TargetChallenge

    def __init__(
        self, index: int, spec: TargetChallenge, rng: random.Random, difficulty_of: Callable[[], float], step_s: float
    ) -> None:
        super().__init__(index, spec, rng, difficulty_of, step_s)
        self._order = self._directions(rng)
        self.trials = len(self._order)
        self._target = (0.0, 0.0)
        self._radius = 0.0
        self._dwell_steps = 0
        self._need_steps = 0

    # what differs between the kinds
    def _directions(self, rng: random.Random) -> list[float]:
        """Every trial's target direction, degrees, in play order (``self.spec`` is set)."""
        raise NotImplementedError

    @property
    def _returns_home(self) -> bool:
        return False

    @property
    def _home_radius(self) -> float:
        return 0.15

    def _after_feedback(self, t_s: float) -> list[Event]:
        if self.trial < self.trials and self._returns_home:
            self.phase = "home"
            self.phase_steps = 0
            self._home_steps = 0
            self.progress = 0.0
            return []
        return super()._after_feedback(t_s)

    def _step_home(self, t_s: float) -> list[Event]:
        return self._wait_on(t_s, (0.0, 0.0), self._home_radius, HOME_DWELL_S)

    def _begin_trial(self, t_s: float) -> list[Event]:
        knobs = self.spec.knobs
        d = self.difficulty_of()
        dwell: Knob = getattr(knobs, self.dwell_knob)
        params = {"distance": knobs.distance.at(d), "radius": knobs.radius.at(d), self.dwell_knob: dwell.at(d)}
        direction_deg = self._order[self.trial]
        angle = math.radians(direction_deg)
        self._target = (params["distance"] * math.cos(angle), params["distance"] * math.sin(angle))
        self._radius = params["radius"]
        self._dwell_steps = 0
        self._need_steps = steps_for(params[self.dwell_knob], self.step_s)
        data = {
            "direction_deg": direction_deg,
            "target_x": round(self._target[0], 6),
            "target_y": round(self._target[1], 6),
        }
        return [self._open_trial(t_s, params, data)]

    def _step_trial(self, t_s: float) -> tuple[list[Event], list[TrialResult]]:
        self.marker = self.control
        inside = distance(self.marker, self._target) <= self._radius
        events = self._track_zone(t_s, inside)
        self._dwell_steps = self._dwell_steps + 1 if inside else 0
        need = max(1, self._need_steps)
        self.progress = min(1.0, self._dwell_steps / need)
        self._best_progress = max(self._best_progress, self.progress)
        return self._settle(t_s, events, inside and self._dwell_steps >= need)

    def targets(self) -> tuple[TargetView, ...]:
        if self.phase == "home":
            inside = distance(self.marker, (0.0, 0.0)) <= self._home_radius
            return self._one_target(0.0, 0.0, self._home_radius, "home", inside)
        if self.phase in ("trial", "feedback"):
            inside = distance(self.marker, self._target) <= self._radius
            return self._one_target(self._target[0], self._target[1], self._radius, "target", inside)
        return ()


class ReachRun(TargetSequenceRun):
    """Reach: directions in the chosen order, usually returning home between targets."""

    kind = "reach"
    spec: ReachChallenge

    def _directions(self, rng: random.Random) -> list[float]:
        return target_order(self.spec, rng)

    @property
    def _returns_home(self) -> bool:
        return self.spec.return_to_centre

    @property
    def _home_radius(self) -> float:
        return self.spec.centre_radius


class WeightShiftRun(TargetSequenceRun):
    """Weight shift: alternate between the pattern's targets, holding on each, no return home."""

    kind = "weight_shift"
    dwell_knob = "hold_s"
    spec: WeightShiftChallenge

    def _directions(self, rng: random.Random) -> list[float]:
        return list(self.spec.directions) * self.spec.cycles


class LimitsOfStabilityRun(TargetSequenceRun):
    """Limits of stability: 8 directions, back to the centre before each cue."""

    kind = "limits_of_stability"
    dwell_knob = "hold_s"
    spec: LimitsOfStabilityChallenge

    def _directions(self, rng: random.Random) -> list[float]:
        return ordered(self.spec.directions_deg, self.spec.order, rng)

    @property
    def _returns_home(self) -> bool:
        return True

    @property
    def _home_radius(self) -> float:
        return self.spec.centre_radius

    def start(self, t_s: float) -> list[Event]:
        """The clinical task starts from a steady centre, so the first cue also waits for home."""
        self.phase = "home"
        self.phase_steps = 0
        return []
