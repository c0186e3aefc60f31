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
from typing import cast

from game.core.snapshot import Snapshot
from game.input.pose import Pose
from game.input.source import PoseSource

FULL_TILT_DEG = 12.0  # the simulated board's tilt at the limit of stability
TRIM_MAX = 0.4  # the furthest the player shifts its aim by eye, LOS
TRIM_FADE_S = 0.8  # how quickly that shift fades when there is nothing to correct


class _PoseDraft:
    """A ``Pose`` being filled in: the same slots, plain assignments (see ``game.core.snapshot.SnapshotDraft``).

    The player makes one Pose every step; the frozen dataclass's ``__init__`` costs three times this.
    """

    __slots__ = Pose.__slots__  # (made by dataclass(slots=True))

    t_s: float
    x: float
    y: float
    raw_x: float
    raw_y: float
    raw_unit: str


def _tilt_pose(t_s: float, x: float, y: float, raw_x: float, raw_y: float) -> Pose:
    """``Pose(t_s, x, y, raw_x, raw_y, "deg")``, built without the frozen dataclass's per-field setattr."""
    pose = _PoseDraft()
    pose.t_s, pose.x, pose.y, pose.raw_x, pose.raw_y, pose.raw_unit = t_s, x, y, raw_x, raw_y, "deg"
    object.__setattr__(pose, "__class__", Pose)
    return cast(Pose, pose)


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
        self._seen: deque[Snapshot] = deque()  # shown, not yet seen (the delay), oldest first
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
        self._seen.append(snapshot)

    def _perceived(self, t_s: float) -> Snapshot | None:
        current = None
        seen, due = self._seen, t_s - self.delay_s
        while seen and seen[0].t_s <= due:
            current = seen.popleft()
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
        # (runs every step: attributes read once into locals; the arithmetic, and so every float, as written)
        if seen is None:
            return (0.0, 0.0)
        phase = seen.phase
        if phase == "trial":
            kind = seen.challenge_kind
            if kind == "maze":
                return self._steer_ball(seen)
            if kind == "collect_avoid":
                return self._collect(seen)
        gx = gy = 0.0
        targets = seen.targets
        if targets and (phase == "trial" or phase == "home"):
            target = targets[0]
            key = (seen.challenge_index, seen.trial, phase)
            if key != self._aim_key:
                self._aim_key = key
                sd = self.endpoint_sd * (0.5 if target.role == "home" else 1.0)
                self._aim_error = (self._rng.gauss(0.0, sd), self._rng.gauss(0.0, sd))
            ex, ey = self._aim_error
            gx, gy = target.x + ex, target.y + ey
            if target.role == "follow":  # lead a moving target by what the delay hides, if skilled
                tvx, tvy = self._seen_velocity[1]
                lead = self.delay_s * (0.3 + 0.7 * self.skill)
                gx, gy = gx + tvx * lead, gy + tvy * lead
        # The player sees the marker pushed off their own position and leans against it.
        (mx, my), (cx, cy) = seen.marker, seen.control
        px, py = mx - cx, my - cy
        self._push = (px, py)
        self._trim_error = None
        if phase == "trial" and targets and targets[0].role in ("zone", "follow"):
            target = targets[0]
            error = (mx - target.x, my - target.y)
            if math.hypot(*error) < 2.0 * target.radius + 0.1:  # near enough to correct by eye, not a reach
                self._trim_error = error
        compensation, trim = self.compensation, self._trim
        return (gx - compensation * px + trim[0], gy - compensation * py + trim[1])

    def _steer_ball(self, seen: Snapshot) -> tuple[float, float]:
        """Tilt so the ball rolls toward the next waypoint of the route (or straight to the goal)."""
        key = (seen.challenge_index, seen.trial, "maze")
        if key != self._aim_key:
            self._aim_key, self._waypoint = key, 0
        path = seen.path
        route = path[1:] if path else ((seen.targets[0].x, seen.targets[0].y),)
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
        ax = ay = 0.0  # the nearest good item on the field (the first of equals, as min() keeps), else the middle
        nearest: float | None = None
        for item in seen.items:
            if item.role == "collect" and math.hypot(item.x, item.y) < 0.95:
                gap = math.dist((item.x, item.y), here)
                if nearest is None or gap < nearest:
                    nearest, ax, ay = gap, item.x, item.y
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
        # (runs every step: unrolled per axis, lists updated in place; every float as before)
        # (min/max and clamp_unit written out as the conditionals they are: the same values, a NaN's included)
        last_t = self._last_t
        dt = 0.0 if last_t is None else t_s - last_t
        if not dt > 0.0:  # max(0.0, dt)
            dt = 0.0
        self._last_t = t_s
        seen = self._perceived(t_s)
        if seen is not None and seen.phase in ("home", "trial"):
            self.on_board = True
        ax, ay = self._aim(seen)
        pos = self._pos
        if dt > 0.0:
            # Lapses: now and then attention drifts for half a second (more often at low skill).
            if self._lapse_left_s > 0.0:
                self._lapse_left_s -= dt
            elif self._rng.random() < dt * 0.25 * (1.0 - self.skill):
                self._lapse_left_s = 0.5
            trim = self._trim
            if self._lapse_left_s > 0.0:
                ax, ay = pos[0], pos[1]
            elif self._trim_error is not None:  # correct by eye what is still off
                ex, ey = self._trim_error
                gain = self.trim_gain
                tx, ty = trim[0] - gain * ex * dt, trim[1] - gain * ey * dt
                tx, ty = tx if tx < TRIM_MAX else TRIM_MAX, ty if ty < TRIM_MAX else TRIM_MAX
                trim[0], trim[1] = tx if tx > -TRIM_MAX else -TRIM_MAX, ty if ty > -TRIM_MAX else -TRIM_MAX
            else:  # nothing to correct: the shift fades within a second or so
                fade = math.exp(-dt / TRIM_FADE_S)
                trim[0] *= fade
                trim[1] *= fade
            # Sway: an Ornstein-Uhlenbeck process (time constant ~0.6 s) per axis.
            tau_s = 0.6
            noise = self.sway * math.sqrt(2.0 * dt / tau_s)
            gauss, sway, vel = self._rng.gauss, self._sway, self._vel
            stiffness, damping = self.stiffness, self.damping
            sway[0] += -sway[0] * dt / tau_s + noise * gauss(0.0, 1.0)
            vel[0] += (stiffness * (ax - pos[0]) - damping * vel[0]) * dt
            pos[0] += vel[0] * dt
            sway[1] += -sway[1] * dt / tau_s + noise * gauss(0.0, 1.0)
            vel[1] += (stiffness * (ay - pos[1]) - damping * vel[1]) * dt
            pos[1] += vel[1] * dt
        x, y = pos[0] + self._sway[0], pos[1] + self._sway[1]
        x = 1.0 if x > 1.0 else -1.0 if x < -1.0 else x  # clamp_unit
        y = 1.0 if y > 1.0 else -1.0 if y < -1.0 else y
        if self.stance_deg is None:
            return _tilt_pose(t_s, x, y, x * FULL_TILT_DEG, y * FULL_TILT_DEG)
        if not self.on_board:  # nobody on the board yet: it rests level
            return _tilt_pose(t_s, 0.0, 0.0, 0.0, 0.0)
        sx, sy = self.stance_deg
        return _tilt_pose(t_s, x, y, x * FULL_TILT_DEG + sx, y * FULL_TILT_DEG + sy)
