"""A recorded-style IMU player for calibration tests and benchmarks (readings in degrees, known answers).

Shared by ``tests/game/test_calibration_flow.py`` and ``benchmarks/bench_calibration.py``; it needs
only the flow's ``target()`` and the step rate, so it can measure an older checkout too.
"""

from __future__ import annotations

import math
import random

from game.core.world import STEP_S

REACH_DEG = {0: 9.0, 45: 8.0, 90: 7.0, 135: 6.0, 180: 5.0, 225: 4.5, 270: 4.0, 315: 8.5}


class Person:
    """Readings shaped like a recorded IMU board (deg): an empty level board with sensor noise, a jolt as a
    foot lands, a relaxed stance off level with two-tone sway, and second-order leans (damping 0.5
    overshoots about 16 % and settles) that start ``react_s`` after each new step is shown."""

    def __init__(self, stance=(0.0, 2.5), reach=None, noise_deg=0.05, sway_deg=0.3, step_on_after_s=3.0,
                 natural_rad_s=3.0, damping=0.5, react_s=0.8, seed=0, lean_to=None, lean_damping=None):
        self.rng = random.Random(seed)
        self.stance = stance
        self.reach = dict(REACH_DEG if reach is None else reach)
        self.noise, self.sway = noise_deg, sway_deg
        self.step_on_after_s, self.react_s = step_on_after_s, react_s
        self.wn, self.zeta = natural_rad_s, damping
        self.lean_damping = lean_damping  # (natural_rad_s, damping) of the leans, when not those of the stance
        self.lean_to = lean_to or {}  # asked direction -> direction leaned (a confused player)
        self.pos, self.vel = [0.0, 0.0], [0.0, 0.0]
        self.on_board_at = self.centre_at = None
        self.seen, self.seen_at, self.goal = None, 0.0, None

    def _wanted(self, flow, t_s):
        target = flow.target()
        if target is None:
            return None
        if self.on_board_at is None:
            self.centre_at = t_s if self.centre_at is None else self.centre_at
            if t_s - self.centre_at < self.step_on_after_s:
                return None
            self.on_board_at = t_s
            self.pos = [3.5, 0.0]  # a foot lands on the right first: the board tips
        if target == (0.0, 0.0):
            return self.stance
        d = int(round(math.degrees(math.atan2(target[1], target[0])))) % 360
        d = self.lean_to.get(d, d)
        r = self.reach[d]
        return (self.stance[0] + r * math.cos(math.radians(d)), self.stance[1] + r * math.sin(math.radians(d)))

    def reading(self, flow, t_s):
        wanted = self._wanted(flow, t_s)
        if wanted != self.seen:  # the person reads the new instruction before moving
            self.seen, self.seen_at = wanted, t_s
        if self.goal is None or t_s - self.seen_at >= self.react_s or wanted is None:
            self.goal = wanted
        if self.goal is None:  # nobody on the board: it rests level, only the sensor's noise
            return self.rng.gauss(0, self.noise), self.rng.gauss(0, self.noise)
        wn, zeta = self.lean_damping if self.lean_damping and self.goal != self.stance else (self.wn, self.zeta)
        for a in (0, 1):
            acc = wn ** 2 * (self.goal[a] - self.pos[a]) - 2 * zeta * wn * self.vel[a]
            self.vel[a] += acc * STEP_S
            self.pos[a] += self.vel[a] * STEP_S
        tau = 2 * math.pi
        sx = self.sway * (math.sin(tau * 0.4 * t_s + 0.3) + 0.5 * math.sin(tau * 1.1 * t_s))
        sy = self.sway * (math.sin(tau * 0.3 * t_s + 1.7) + 0.5 * math.sin(tau * 0.8 * t_s + 0.9))
        return self.pos[0] + sx + self.rng.gauss(0, self.noise), self.pos[1] + sy + self.rng.gauss(0, self.noise)
