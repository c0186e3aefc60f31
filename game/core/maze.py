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
        self._route = (spec.start, *spec.route, spec.goal) if spec.route else ()  # what path() shows, every step
        # Counted once (the spec is frozen), as _roll used to count them every step:
        self._reach = spec.ball_radius + spec.wall_thickness / 2  # ball centre to wall centre line at contact
        self._edge = 1.0 - spec.ball_radius  # furthest the ball centre gets from the middle
        self._segments = tuple((x0, y0, x1 - x0, y1 - y0, (x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0))
                               for x0, y0, x1, y1 in spec.walls)  # x0, y0, dx, dy, length squared

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
        reach = self._reach
        for x0, y0, dx, dy, length2 in self._segments:
            # game.geometry.closest_on_segment((x, y), wall), inlined: the same arithmetic
            t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / length2))
            cx, cy = x0 + t * dx, y0 + t * dy
            gap = math.hypot(x - cx, y - cy)
            if gap < reach:
                nx, ny = ((x - cx) / gap, (y - cy) / gap) if gap > 1e-12 else (0.0, 1.0)
                x, y = cx + nx * reach, cy + ny * reach
                into = vx * nx + vy * ny
                if into < 0:
                    bumped = max(bumped, -into)
                    vx -= (1 + BOUNCE) * into * nx
                    vy -= (1 + BOUNCE) * into * ny
        edge = self._edge
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
        return self._one_target(gx, gy, self._goal_radius, "goal", inside)

    def path(self) -> tuple[tuple[float, float], ...]:
        return self._route

    def walls(self) -> tuple[tuple[float, float, float, float], ...]:
        return self.spec.walls

    def wall_thickness(self) -> float:
        return self.spec.wall_thickness
