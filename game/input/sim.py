"""A simulated player: body sway, delayed corrections and reaching, seeded and repeatable.

The model is deliberately simple but shaped like people: postural sway as filtered noise
in the 0.1-1 Hz band (a few per cent of the limits of stability for a steady adult, more
for a less skilled player), a visuomotor delay of 150-350 ms before corrections, a
second-order reach with a skill-dependent speed and endpoint error, and occasional lapses
of attention. ``skill`` in [0, 1] scales all of them.

Against the level's wind (``game.core.push``) the player does what a person does, with the
same delay: it sees the marker off where it feels itself leaning and leans against that share
(``compensation``) at once, and it keeps correcting what it still sees wrong: while on a zone or
a moving target, it shifts its aim against the seen error, a little more each moment
(``trim_gain``, an integral correction a person makes by eye), so neither a steady wind nor its
own aiming error keeps it off for long.
"""

from __future__ import annotations

import math
import random
from collections import deque

from game.core.snapshot import Snapshot
from game.input.pose import Pose, clamp_unit
from game.input.source import PoseSource

FULL_TILT_DEG = 12.0  # the simulated board's tilt at the limit of stability
TRIM_MAX = 0.4  # the furthest the player shifts its aim by eye, LOS
TRIM_FADE_S = 0.8  # how quickly that shift fades when there is nothing to correct


class SimulatedPlayer(PoseSource):
    """A ``PoseSource`` that plays by looking at the snapshots it is shown (a ``ScreenObserver``)."""

    def __init__(self, skill: float = 0.6, seed: int = 0, stance_deg: tuple[float, float] | None = None) -> None:
        """``stance_deg``: the board's tilt while the player stands relaxed (an off-level stance, as
        calibration tests need); with it the player is off the board, the board level, until shown a
        target to stand at. None (the default): no offset and always on the board."""
        if not (isinstance(skill, (int, float)) and 0.0 <= skill <= 1.0):
            raise ValueError(f"skill must be a number in [0, 1], got {skill!r}")
        self.stance_deg = stance_deg
        self.on_board = stance_deg is None
        self.skill = float(skill)
        self.name = f"sim:{self.skill:.2f}"
        self._rng = random.Random(f"sim/{seed}/{self.skill}")
        self.delay_s = 0.35 - 0.2 * self.skill
        self.sway = 0.02 + 0.09 * (1.0 - self.skill)  # LOS fraction, standard deviation of sway
        self.stiffness = 10.0 + 20.0 * self.skill  # 1/s^2, how hard the player pulls toward the aim
        self.damping = 2.0 * math.sqrt(self.stiffness) * (0.75 + 0.2 * self.skill)
        self.compensation = 0.35 + 0.6 * self.skill  # share of a seen push the player corrects
        self.trim_gain = 0.4 + 1.2 * self.skill  # 1/s: how fast the aim shifts against a seen error on a zone
        self._trim = [0.0, 0.0]  # the aim's shift by eye so far, LOS
        self._trim_error: tuple[float, float] | None = None  # the seen error the trim works on now
        self.endpoint_sd = 0.02 + 0.12 * (1.0 - self.skill)
        self._seen: deque[tuple[float, Snapshot]] = deque()
        self._pos = [0.0, 0.0]
        self._vel = [0.0, 0.0]
        self._sway = [0.0, 0.0]
        self._aim_error = (0.0, 0.0)
        self._aim_key: tuple[int, int, str] | None = None
        self._push = (0.0, 0.0)
        self._lapse_left_s = 0.0
        self._last_t: float | None = None
        self._waypoint = 0
        self._current: Snapshot | None = None  # the newest snapshot the delay lets the player see
        self._seen_velocity = ((0.0, 0.0), (0.0, 0.0))  # (marker, first target) velocity, LOS/s

    def observe(self, snapshot: Snapshot) -> None:
        """Remember what was shown; the player reacts to it only after its delay."""
        self._seen.append((snapshot.t_s, snapshot))

    def _perceived(self, t_s: float) -> Snapshot | None:
        current = None
        while self._seen and self._seen[0][0] <= t_s - self.delay_s:
            current = self._seen.popleft()[1]
        if current is not None:
            previous = self._current
            if previous is not None and current.t_s > previous.t_s:
                dt = current.t_s - previous.t_s
                mv = ((current.marker[0] - previous.marker[0]) / dt, (current.marker[1] - previous.marker[1]) / dt)
                tv = (0.0, 0.0)
                if current.targets and previous.targets:
                    a, b = previous.targets[0], current.targets[0]
                    tv = ((b.x - a.x) / dt, (b.y - a.y) / dt)
                self._seen_velocity = (mv, tv)
            self._current = current
        return self._current

    def _aim(self, seen: Snapshot | None) -> tuple[float, float]:
        if seen is None:
            return (0.0, 0.0)
        if seen.phase == "trial" and seen.challenge_kind == "maze":
            return self._steer_ball(seen)
        if seen.phase == "trial" and seen.challenge_kind == "collect_avoid":
            return self._collect(seen)
        goal = (0.0, 0.0)
        if seen.phase in ("trial", "home") and seen.targets:
            target = seen.targets[0]
            goal = (target.x, target.y)
            key = (seen.challenge_index, seen.trial, seen.phase)
            if key != self._aim_key:
                self._aim_key = key
                sd = self.endpoint_sd * (0.5 if target.role == "home" else 1.0)
                self._aim_error = (self._rng.gauss(0.0, sd), self._rng.gauss(0.0, sd))
            goal = (goal[0] + self._aim_error[0], goal[1] + self._aim_error[1])
            if target.role == "follow":  # lead a moving target by what the delay hides, if skilled
                tv = self._seen_velocity[1]
                lead = self.delay_s * (0.3 + 0.7 * self.skill)
                goal = (goal[0] + tv[0] * lead, goal[1] + tv[1] * lead)
        # The player sees the marker pushed off their own position and leans against it.
        push = (seen.marker[0] - seen.control[0], seen.marker[1] - seen.control[1])
        self._push = push
        self._trim_error = None
        if seen.phase == "trial" and seen.targets and seen.targets[0].role in ("zone", "follow"):
            target = seen.targets[0]
            error = (seen.marker[0] - target.x, seen.marker[1] - target.y)
            if math.hypot(*error) < 2.0 * target.radius + 0.1:  # near enough to correct by eye, not a reach
                self._trim_error = error
        return (goal[0] - self.compensation * push[0] + self._trim[0],
                goal[1] - self.compensation * push[1] + self._trim[1])

    def _steer_ball(self, seen: Snapshot) -> tuple[float, float]:
        """Tilt so the ball rolls toward the next waypoint of the route (or straight to the goal)."""
        key = (seen.challenge_index, seen.trial, "maze")
        if key != self._aim_key:
            self._aim_key, self._waypoint = key, 0
        route = list(seen.path[1:]) if seen.path else [(seen.targets[0].x, seen.targets[0].y)]
        ball = seen.marker
        while self._waypoint < len(route) - 1 and math.dist(ball, route[self._waypoint]) < 0.1:
            self._waypoint += 1
        wx, wy = route[self._waypoint]
        gap = math.dist(ball, (wx, wy)) or 1e-9
        cruise = min(0.25 + 0.35 * self.skill, 2.0 * gap)
        want = (cruise * (wx - ball[0]) / gap, cruise * (wy - ball[1]) / gap)
        vel = self._seen_velocity[0]
        gain = 1.2 + 1.5 * self.skill
        return (max(-1.0, min(1.0, gain * (want[0] - vel[0]))), max(-1.0, min(1.0, gain * (want[1] - vel[1]))))

    def _collect(self, seen: Snapshot) -> tuple[float, float]:
        """Head for the nearest good item; lean away from obstacles that come close."""
        here = seen.control
        goods = [i for i in seen.items if i.role == "collect" and math.hypot(i.x, i.y) < 0.95]
        aim = min(((i.x, i.y) for i in goods), key=lambda p: math.dist(p, here), default=(0.0, 0.0))
        ax, ay = aim
        for item in seen.items:
            if item.role == "avoid":
                gap = math.dist(here, (item.x, item.y))
                if 1e-6 < gap < 0.35:
                    push = (0.02 + 0.06 * self.skill) / (gap * gap)
                    ax += push * (here[0] - item.x) / gap
                    ay += push * (here[1] - item.y) / gap
        return (max(-1.0, min(1.0, ax)), max(-1.0, min(1.0, ay)))

    def poll(self, t_s: float) -> Pose:
        """Where the player leans now: sway plus a delayed, imperfect reach toward what was seen."""
        dt = 0.0 if self._last_t is None else max(0.0, t_s - self._last_t)
        self._last_t = t_s
        seen = self._perceived(t_s)
        if seen is not None and seen.phase in ("home", "trial"):
            self.on_board = True
        aim = self._aim(seen)
        if dt > 0.0:
            # Lapses: now and then attention drifts for half a second (more often at low skill).
            if self._lapse_left_s > 0.0:
                self._lapse_left_s -= dt
            elif self._rng.random() < dt * 0.25 * (1.0 - self.skill):
                self._lapse_left_s = 0.5
            if self._lapse_left_s > 0.0:
                aim = (self._pos[0], self._pos[1])
            elif self._trim_error is not None:  # correct by eye what is still off
                for axis in (0, 1):
                    trim = self._trim[axis] - self.trim_gain * self._trim_error[axis] * dt
                    self._trim[axis] = max(-TRIM_MAX, min(TRIM_MAX, trim))
            else:  # nothing to correct: the shift fades within a second or so
                fade = math.exp(-dt / TRIM_FADE_S)
                self._trim = [self._trim[0] * fade, self._trim[1] * fade]
            # Sway: an Ornstein-Uhlenbeck process (time constant ~0.6 s) per axis.
            tau_s = 0.6
            noise = self.sway * math.sqrt(2.0 * dt / tau_s)
            for axis in (0, 1):
                self._sway[axis] += -self._sway[axis] * dt / tau_s + noise * self._rng.gauss(0.0, 1.0)
                accel = self.stiffness * (aim[axis] - self._pos[axis]) - self.damping * self._vel[axis]
                self._vel[axis] += accel * dt
                self._pos[axis] += self._vel[axis] * dt
        x = clamp_unit(self._pos[0] + self._sway[0])
        y = clamp_unit(self._pos[1] + self._sway[1])
        if self.stance_deg is None:
            return Pose(t_s, x, y, x * FULL_TILT_DEG, y * FULL_TILT_DEG, "deg")
        if not self.on_board:  # nobody on the board yet: it rests level
            return Pose(t_s, 0.0, 0.0, 0.0, 0.0, "deg")
        sx, sy = self.stance_deg
        return Pose(t_s, x, y, x * FULL_TILT_DEG + sx, y * FULL_TILT_DEG + sy, "deg")
