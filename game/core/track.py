"""Tracking: follow a target moving at constant speed along a line, circle, figure eight or a
seeded smooth random loop; the score is the share of the run spent on the target."""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Callable

from game.core.challenge import ChallengeRun, Control, clamp_point, distance, steps_for
from game.core.events import Event, TrialResult
from game.core.push import Pusher
from game.core.snapshot import TargetView
from game.level.model import TrackChallenge

SAMPLES = 400  # points of the precomputed path (arc-length table)
START_DWELL_S = 0.3  # time on the waiting target before it starts to move


def _shape(spec: TrackChallenge, rng: random.Random) -> Callable[[float], tuple[float, float]]:
    """The path as a function of u in [0, 1] (a closed loop: u=0 and u=1 meet)."""
    size, (cx, cy) = spec.size, spec.centre
    if spec.path == "circle":
        return lambda u: (cx + size * math.sin(math.tau * u), cy + size * math.cos(math.tau * u))
    if spec.path == "figure_eight":
        return lambda u: (cx + size * math.sin(math.tau * u), cy + 0.5 * size * math.sin(2 * math.tau * u))
    if spec.path == "line":
        a = math.radians(spec.angle_deg)
        # out and back: a triangle wave keeps the speed constant
        return lambda u: (
            cx + size * (1 - 4 * abs(u - 0.5)) * math.cos(a),
            cy + size * (1 - 4 * abs(u - 0.5)) * math.sin(a),
        )
    harmonics = [(k, rng.uniform(0.3, 1.0) / k, rng.uniform(0, math.tau), rng.uniform(0.3, 1.0) / k,
                  rng.uniform(0, math.tau)) for k in (1, 2, 3)]

    def offset(u: float) -> tuple[float, float]:
        return (sum(ax * math.sin(math.tau * k * u + px) for k, ax, px, _, _ in harmonics),
                sum(ay * math.sin(math.tau * k * u + py) for k, _, _, ay, py in harmonics))

    # Scaled so that its furthest vertex lies ``size`` from the centre (a hair inside, for rounding): the
    # played path is the polyline through these vertices, so no point of it is further, whatever the seed.
    # (Scaling each axis to ``size`` let the loop reach size * sqrt(2) on a diagonal: 0.672 for size 0.5.)
    furthest = max(math.hypot(*offset(i / SAMPLES)) for i in range(SAMPLES + 1))
    scale = size * (1.0 - 1e-12) / furthest if furthest > 0 else 0.0

    def point(u: float) -> tuple[float, float]:
        dx, dy = offset(u)
        return (cx + scale * dx, cy + scale * dy)

    return point


def path_points(spec: TrackChallenge, rng: random.Random) -> list[tuple[float, float]]:
    """The vertices of the played path (the target moves along the straight segments between them)."""
    shape = _shape(spec, rng)
    return [shape(i / SAMPLES) for i in range(SAMPLES + 1)]


def path_reach_los(spec: TrackChallenge) -> float:
    """The furthest the target ever gets from the middle of the field (LOS), for any seed: what a distance limit checks.

    The path is a polyline, so its furthest point is a vertex: computed for the fixed shapes, and
    bounded by ``|centre| + size`` for ``random_smooth`` (scaled to that by construction, above).
    """
    if spec.path == "random_smooth":
        return math.hypot(*spec.centre) + spec.size
    return max(math.hypot(x, y) for x, y in path_points(spec, random.Random(0)))


class TrackRun(ChallengeRun):
    """Each run: wait on the target at the start of the path, then follow it for ``trial_s``.

    The current (``game.core.push``) carries the marker only while the target moves: waiting
    on the start is calm, and each run's displacement builds up from still water.
    """

    kind = "track"
    spec: TrackChallenge

    def __init__(self, index: int, spec: TrackChallenge, rng: random.Random, difficulty_of: Callable[[], float],
                 step_s: float) -> None:
        super().__init__(index, spec, rng, difficulty_of, step_s)
        self._path_points = path_points(spec, rng)
        self._lengths = [0.0]
        for a, b in itertools.pairwise(self._path_points):
            self._lengths.append(self._lengths[-1] + distance(a, b))
        self._target = self._path_points[0]
        self._radius = spec.knobs.radius.at(spec.difficulty.start)
        self._on_steps = 0
        self._pusher = Pusher(rng, step_s, spec.knobs.push.at(spec.difficulty.start))
        self._trial_steps = steps_for(spec.trial_s, step_s)
        self._shown_path = tuple(self._path_points[:: SAMPLES // 100])  # what path() shows, every step

    def push(self) -> Control:
        return self._pusher.push() if self.phase == "trial" else (0.0, 0.0)

    def _at(self, s: float) -> tuple[float, float]:
        """The point at arc length ``s`` along the (looping) path."""
        total = self._lengths[-1]
        s = s % total if total > 0 else 0.0
        i = max(1, bisect.bisect_left(self._lengths, s))
        a, b = self._path_points[i - 1], self._path_points[i]
        span = self._lengths[i] - self._lengths[i - 1]
        f = 0.0 if span == 0 else (s - self._lengths[i - 1]) / span
        return (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f)

    def _after_feedback(self, t_s: float) -> list[Event]:
        if self.trial >= self.trials:
            self.finished = True
            self.phase = "done"
            return []
        self.phase = "home"  # wait for the player on the target's starting point
        self.phase_steps = 0
        self._home_steps = 0
        self._target = self._path_points[0]
        self._radius = self.spec.knobs.radius.at(self.difficulty_of())
        return []

    def _step_home(self, t_s: float) -> list[Event]:
        return self._wait_on(t_s, self._target, self._radius, START_DWELL_S)

    def _begin_trial(self, t_s: float) -> list[Event]:
        d = self.difficulty_of()
        knobs = self.spec.knobs
        params = {"speed": knobs.speed.at(d), "radius": knobs.radius.at(d), "push": knobs.push.at(d)}
        self._radius = params["radius"]
        self._on_steps = 0
        self._pusher.strength = params["push"]
        self._pusher.calm()
        return [self._open_trial(t_s, params, {"path": self.spec.path})]

    def _step_trial(self, t_s: float) -> tuple[list[Event], list[TrialResult]]:
        sx, sy = self._pusher.blow()
        self.marker = clamp_point(self.control[0] + sx, self.control[1] + sy)
        self._target = self._at(self._params["speed"] * (self.phase_steps * self.step_s))  # (phase_t, inlined)
        inside = distance(self.marker, self._target) <= self._radius
        events = self._track_zone(t_s, inside)
        self._on_steps += int(inside)
        total = self._trial_steps
        self.progress = self._on_steps / total
        self._best_progress = self.progress
        if self.phase_steps >= total:
            fraction = self._on_steps / total
            done, results = self._close_trial(
                t_s, success=fraction >= self.spec.success_fraction, extra={"on_target": round(fraction, 6)}
            )
            return events + done, results
        return events, []

    def _points(self, success: bool, duration_s: float) -> int:
        scoring = self.spec.scoring
        if success:
            return round((scoring.points_per_success + scoring.time_bonus) * self._best_progress)
        return round(scoring.points_per_success * scoring.partial * self._best_progress)

    def targets(self) -> tuple[TargetView, ...]:
        if self.phase in ("trial", "home", "feedback"):
            inside = distance(self.marker, self._target) <= self._radius
            return self._one_target(self._target[0], self._target[1], self._radius, "follow", inside)
        return ()

    def path(self) -> tuple[tuple[float, float], ...]:
        return self._shown_path
