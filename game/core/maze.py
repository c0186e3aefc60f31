"""Maze: a ball rolls where the board tilts; walls stop it; reach the goal.

Physics (pure, fixed step): acceleration = tilt_accel x control, then rolling friction, then
collisions with thick wall segments and the round field edge, resolved by pushing the ball
out along the contact normal and removing (most of) the velocity into the wall.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from game.core.challenge import ChallengeRun, Control, distance
from game.core.events import Event, TrialResult
from game.core.snapshot import TargetView
from game.geometry import closest_on_segment
from game.level.model import MazeChallenge

MAX_SPEED = 2.5  # LOS/s
BOUNCE = 0.25  # share of the speed into a wall that comes back
WALL_HIT_SPEED = 0.4  # LOS/s into a wall that counts as a "bump" (an event with a sound)


class MazeRun(ChallengeRun):
    """The ball starts at ``start`` each trial; touching the goal is a success."""

    kind = "maze"
    spec: MazeChallenge

    def __init__(self, index: int, spec: MazeChallenge, rng: random.Random, difficulty_of: Callable[[], float],
                 step_s: float) -> None:
        super().__init__(index, spec, rng, difficulty_of, step_s)
        self._ball = spec.start
        self._vel = (0.0, 0.0)
        self._goal_radius = spec.knobs.goal_radius.at(spec.difficulty.start)
        self.marker = spec.start
        self._start_gap = max(1e-9, distance(spec.start, spec.goal))

    def _idle_marker(self, control: Control) -> Control:
        return self._ball

    def _begin_trial(self, t_s: float) -> list[Event]:
        d = self.difficulty_of()
        knobs = self.spec.knobs
        params = {"tilt_accel": knobs.tilt_accel.at(d), "goal_radius": knobs.goal_radius.at(d),
                  "friction": knobs.friction.at(d)}
        self._goal_radius = params["goal_radius"]
        self._ball, self._vel = self.spec.start, (0.0, 0.0)
        self.marker = self._ball
        gx, gy = self.spec.goal
        return [self._open_trial(t_s, params, {"target_x": gx, "target_y": gy})]

    def _roll(self, t_s: float) -> list[Event]:
        dt, p = self.step_s, self._params
        vx = self._vel[0] + p["tilt_accel"] * self.control[0] * dt
        vy = self._vel[1] + p["tilt_accel"] * self.control[1] * dt
        keep = max(0.0, 1.0 - p["friction"] * dt)
        vx, vy = vx * keep, vy * keep
        speed = math.hypot(vx, vy)
        if speed > MAX_SPEED:
            vx, vy = vx * MAX_SPEED / speed, vy * MAX_SPEED / speed
        x, y = self._ball[0] + vx * dt, self._ball[1] + vy * dt
        bumped = 0.0
        reach = self.spec.ball_radius + self.spec.wall_thickness / 2
        for wall in self.spec.walls:
            cx, cy = closest_on_segment((x, y), wall)
            gap = math.hypot(x - cx, y - cy)
            if gap < reach:
                nx, ny = ((x - cx) / gap, (y - cy) / gap) if gap > 1e-12 else (0.0, 1.0)
                x, y = cx + nx * reach, cy + ny * reach
                into = vx * nx + vy * ny
                if into < 0:
                    bumped = max(bumped, -into)
                    vx -= (1 + BOUNCE) * into * nx
                    vy -= (1 + BOUNCE) * into * ny
        edge = 1.0 - self.spec.ball_radius
        r = math.hypot(x, y)
        if r > edge:
            nx, ny = x / r, y / r
            x, y = nx * edge, ny * edge
            out = vx * nx + vy * ny
            if out > 0:
                bumped = max(bumped, out)
                vx -= (1 + BOUNCE) * out * nx
                vy -= (1 + BOUNCE) * out * ny
        self._ball, self._vel = (x, y), (vx, vy)
        self.marker = self._ball
        if bumped >= WALL_HIT_SPEED:
            return [Event(t_s, "wall_hit", self.index, self.trial, {"speed": round(bumped, 4)})]
        return []

    def _step_trial(self, t_s: float) -> tuple[list[Event], list[TrialResult]]:
        events = self._roll(t_s)
        gap = distance(self._ball, self.spec.goal)
        inside = gap <= self._goal_radius
        events += self._track_zone(t_s, inside)
        self.progress = max(0.0, min(1.0, 1.0 - gap / self._start_gap))
        self._best_progress = max(self._best_progress, self.progress)
        return self._settle(t_s, events, inside)

    def targets(self) -> tuple[TargetView, ...]:
        gx, gy = self.spec.goal
        inside = distance(self._ball, self.spec.goal) <= self._goal_radius
        return (TargetView(gx, gy, self._goal_radius, "goal", inside),)

    def path(self) -> tuple[tuple[float, float], ...]:
        return (self.spec.start, *self.spec.route, self.spec.goal) if self.spec.route else ()

    def walls(self) -> tuple[tuple[float, float, float, float], ...]:
        return self.spec.walls

    def wall_thickness(self) -> float:
        return self.spec.wall_thickness
