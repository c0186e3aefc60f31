"""The calibration procedure, step by step, without clocks or windows (the screen only draws it).

Steps: **zero** (the board level, or empty), **centre** (the player standing relaxed), then the
**limits of stability** in 8 directions, starting forward and going clockwise, coming back to
the middle between leans as in clinical LOS tests. Each step is confirmed by holding still:
once the readings of the last ``hold_s`` seconds stay within ``steady`` (RMS distance from their
mean, raw units) the step records their mean. Enter confirms a step at once (a therapist who
sees the player is at their limit); Backspace redoes the previous step. When the 8 limits do
not make a usable map (too small, out of order) the flow says why and asks for them again.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from game.core.phases import SnapshotPhase
from game.core.snapshot import Snapshot, TargetView
from game.input.calibration import (
    DEFAULT_REACH,
    DIRECTION_NAMES,
    DIRECTIONS_DEG,
    MIN_REACH,
    Calibration,
    CalibrationError,
    validate,
)

HOLD_S = 2.0
STEADY = {"deg": 1.5, "mm": 15.0, "stick": 0.08, "key": 1.5}  # RMS wobble still counted as holding still
LOS_ORDER = (90, 45, 0, 315, 270, 225, 180, 135)  # forward first, then clockwise
JUMP = 3.0  # a reading this many tolerances from the hold's mean starts the hold again
MIN_CONFIRM_S = 0.25  # a manual confirm needs at least this much of a steady run to average
KEYS_HINT = "Hold still to confirm   Enter: confirm now   Backspace: redo previous   Esc: cancel"


@dataclass(frozen=True, slots=True)
class FlowStep:
    """One step: what to record, and what the player is told."""

    key: str  # "zero", "centre" or "los"
    direction_deg: int | None
    title: str
    instruction: str


def flow_steps(zero_when_empty: bool) -> tuple[FlowStep, ...]:
    """The ten steps, worded for a board that is zeroed empty (balance board) or level (IMU)."""
    zero = ("Step off the board and keep it empty" if zero_when_empty
            else "Keep the board level (or let go of the controls)")
    steps = [
        FlowStep("zero", None, "Zero", zero),
        FlowStep("centre", None, "Centre", "Stand on the board, relaxed, looking ahead"),
    ]
    for direction in LOS_ORDER:
        name = DIRECTION_NAMES[direction]
        steps.append(FlowStep("los", direction, f"Lean {name}",
                              f"Lean {name} as far as you safely can, feet flat, and hold"))
    return tuple(steps)


@dataclass(frozen=True, slots=True)
class CalibrationPicture:
    """Everything a view shows of one calibration moment, so no view reaches into the flow."""

    header: str  # "Calibration - step 3 of 10: Lean forward"
    instruction: str
    message: str | None  # the flow's hint or complaint ("Lean further toward the arrow")
    notice: str | None  # the device's notice ("No data from the board for 2 s")
    raw_unit: str  # "deg", "mm", "stick"
    span: float  # raw units from the middle of the drawing to its rim
    origin: tuple[float, float]  # the raw reading drawn at the middle (the centre, else the zero, else 0, 0)
    points: tuple[tuple[float, float], ...]  # the limits recorded so far, raw, in LOS_ORDER (forward, clockwise)
    zero: tuple[float, float] | None  # the recorded zero, raw
    arrow_deg: int | None  # where to lean (0 right, 90 forward), None when no lean is asked for
    live: tuple[float, float] | None  # the newest raw reading
    hold: float  # how much of the hold is done, 0 to 1
    keys: str  # the key hint line

    @property
    def closed(self) -> bool:
        """True once all 8 limits are recorded, so their outline is drawn as a closed loop."""
        return len(self.points) == len(LOS_ORDER)

    @property
    def scale_text(self) -> str:
        """The rim's distance from the middle, e.g. "20 deg"."""
        return f"{self.span:g} {self.raw_unit}"

    @property
    def live_text(self) -> str | None:
        """The live reading as words, e.g. "+3.2, -1.0 deg"."""
        if self.live is None:
            return None
        return f"{self.live[0]:+.1f}, {self.live[1]:+.1f} {self.raw_unit}"

    def placed(self, point: tuple[float, float]) -> tuple[float, float]:
        """A raw point in drawing units: the rim is 1, x right, y forward; points far out are pinned at 1.1."""
        dx, dy = (point[0] - self.origin[0]) / self.span, (point[1] - self.origin[1]) / self.span
        far = math.hypot(dx, dy)
        if far > 1.1:
            dx, dy = dx * 1.1 / far, dy * 1.1 / far
        return dx, dy


def display_span(raw_unit: str, recorded: dict[str, tuple[float, float]], origin: tuple[float, float]) -> float:
    """Raw units from the middle to the rim of the drawing: a typical reach, or more if a point was further."""
    span = 1.5 * max(DEFAULT_REACH.get(raw_unit, (1.0, 1.0)))
    for point in recorded.values():
        span = max(span, 1.2 * math.hypot(point[0] - origin[0], point[1] - origin[1]))
    return float(f"{span:.2g}") if span > 0 else 1.0


class _SteadyRun:
    """The longest recent stretch of readings that stays within a wobble tolerance."""

    def __init__(self, steady: float) -> None:
        self.steady = steady
        self.samples: deque[tuple[float, float, float]] = deque()
        self._sx = self._sy = self._sxx = self._syy = 0.0

    def clear(self) -> None:
        self.samples.clear()
        self._sx = self._sy = self._sxx = self._syy = 0.0

    def add(self, t_s: float, x: float, y: float) -> None:
        if self.samples:
            mx, my = self.mean()
            if math.hypot(x - mx, y - my) > JUMP * self.steady:  # a move, not a wobble: start again
                self.clear()
        self.samples.append((t_s, x, y))
        self._sx += x
        self._sy += y
        self._sxx += x * x
        self._syy += y * y
        while len(self.samples) > 1 and self.rms() > self.steady:
            _, ox, oy = self.samples.popleft()
            self._sx -= ox
            self._sy -= oy
            self._sxx -= ox * ox
            self._syy -= oy * oy

    def rms(self) -> float:
        n = len(self.samples)
        if n == 0:
            return 0.0
        var = (self._sxx - self._sx * self._sx / n) / n + (self._syy - self._sy * self._sy / n) / n
        return math.sqrt(max(0.0, var))

    def span_s(self) -> float:
        return self.samples[-1][0] - self.samples[0][0] if len(self.samples) > 1 else 0.0

    def mean(self) -> tuple[float, float]:
        n = len(self.samples)
        return self._sx / n, self._sy / n


class CalibrationFlow:
    """Feed it readings; it walks through the steps and finally gives a validated ``Calibration``."""

    def __init__(self, raw_unit: str, *, hold_s: float = HOLD_S, steady: float | None = None,
                 zero_when_empty: bool = False, centre_needs_movement: bool = False) -> None:
        if not hold_s > 0:
            raise ValueError("hold_s must be positive")
        self.raw_unit = raw_unit
        self.hold_s = hold_s
        self.steady = steady if steady is not None else STEADY.get(raw_unit, 0.05)
        self.min_reach = 2.0 * MIN_REACH.get(raw_unit, 0.05)
        self.zero_when_empty = zero_when_empty
        self.centre_needs_movement = centre_needs_movement
        self.steps = flow_steps(zero_when_empty)
        self.index = 0
        self.recorded: dict[str, tuple[float, float]] = {}
        self.message: str | None = None
        self.live: tuple[float, float] | None = None
        self.present = True
        self._run = _SteadyRun(self.steady)
        self._empty_since: float | None = None
        self._armed = True  # False after a lean until the player is back in the middle
        self._moved = False
        self._calibration: Calibration | None = None

    # -- where we are --------------------------------------------------------------------
    @property
    def done(self) -> bool:
        """True once every step is recorded and the limits made a usable map."""
        return self._calibration is not None

    @property
    def step(self) -> FlowStep:
        """The step being recorded (the last one once done)."""
        return self.steps[min(self.index, len(self.steps) - 1)]

    @property
    def returning(self) -> bool:
        """True while the player should come back to the middle before the next lean."""
        return self.step.key == "los" and not self._armed

    def progress(self, t_s: float | None = None) -> float:
        """How much of the hold is done, 0 to 1 (what the hold ring shows)."""
        if self.done:
            return 1.0
        if self.step.key == "zero" and self.zero_when_empty:
            if self._empty_since is None or t_s is None:
                return 0.0
            return min(1.0, (t_s - self._empty_since) / self.hold_s)
        if not self._counts():
            return 0.0
        return min(1.0, self._run.span_s() / self.hold_s)

    def calibration(self) -> Calibration:
        """The result; only once ``done``."""
        if self._calibration is None:
            raise CalibrationError("the calibration is not finished")
        return self._calibration

    def key_of(self, step: FlowStep) -> str:
        """Where a step's point is kept in ``recorded``."""
        return step.key if step.direction_deg is None else f"los:{step.direction_deg}"

    # -- input ---------------------------------------------------------------------------
    def feed(self, t_s: float, raw_x: float, raw_y: float, present: bool = True) -> None:
        """One reading (raw units); ``present`` is False while a balance board is empty."""
        if self.done:
            return
        if not (math.isfinite(raw_x) and math.isfinite(raw_y)):
            return
        self.live = (raw_x, raw_y)
        self.present = present
        step = self.step
        if step.key == "zero" and self.zero_when_empty:
            if present:
                self._empty_since = None
                self.message = "Step off the board"
                return
            self.message = None
            if self._empty_since is None:
                self._empty_since = t_s
            if t_s - self._empty_since >= self.hold_s:
                self._record((0.0, 0.0))
            return
        if not present:
            self._run.clear()
            self.message = "Step on the board"
            return
        if step.key == "centre" and "zero" in self.recorded:
            zx, zy = self.recorded["zero"]
            if math.hypot(raw_x - zx, raw_y - zy) > 2.0 * self.steady:
                self._moved = True
        if step.key == "los" and not self._armed:
            cx, cy = self.recorded["centre"]
            if math.hypot(raw_x - cx, raw_y - cy) <= max(self.min_reach, 2.0 * self.steady):
                self._armed = True
                self._run.clear()
                self.message = None
            else:
                self.message = "Come back to the middle"
                return
        self._run.add(t_s, raw_x, raw_y)
        self.message = self._hint()
        if self._counts() and self._run.span_s() >= self.hold_s:
            self._record(self._run.mean())

    def confirm(self) -> bool:
        """Record the current step now (Enter); False if there is nothing steady enough to record."""
        if self.done:
            return False
        step = self.step
        if step.key == "zero" and self.zero_when_empty:
            if self.present:
                return False
            self._record((0.0, 0.0))
            return True
        if self._run.span_s() < MIN_CONFIRM_S or not self._far_enough():
            return False
        self._record(self._run.mean())
        return True

    def back(self) -> None:
        """Redo the previous step (or this one, at the first)."""
        self._calibration = None
        self.index = max(0, min(self.index, len(self.steps)) - 1)
        self.recorded.pop(self.key_of(self.steps[self.index]), None)
        self._reset_step()

    # -- internals -----------------------------------------------------------------------
    def _far_enough(self) -> bool:
        if self.step.key != "los":
            return True
        cx, cy = self.recorded["centre"]
        mx, my = self._run.mean()
        return math.hypot(mx - cx, my - cy) >= self.min_reach

    def _counts(self) -> bool:
        step = self.step
        if step.key == "centre" and self.centre_needs_movement and not self._moved:
            return False
        if step.key == "los" and (not self._armed or not self._run.samples or not self._far_enough()):
            return False
        return True

    def _hint(self) -> str | None:
        step = self.step
        if step.key == "centre" and self.centre_needs_movement and not self._moved:
            return "Step on the board (or press Enter when the player is on it)"
        if step.key == "los" and self._run.samples and not self._far_enough():
            return "Lean further toward the arrow"
        return None

    def _reset_step(self) -> None:
        self._run.clear()
        self._empty_since = None
        self._moved = False
        self._armed = not (self.step.key == "los" and self.index > 2)
        self.message = None

    def _record(self, point: tuple[float, float]) -> None:
        self.recorded[self.key_of(self.step)] = point
        self.index += 1
        if self.index < len(self.steps):
            self._reset_step()
            return
        self._finish()

    def _finish(self) -> None:
        centre = self.recorded["centre"]
        try:
            calibration = validate(Calibration(
                self.raw_unit, self.recorded["zero"], centre,
                tuple(self.recorded[f"los:{d}"] for d in DIRECTIONS_DEG),
            ))
        except CalibrationError as exc:
            for direction in LOS_ORDER:
                self.recorded.pop(f"los:{direction}", None)
            self.index = 2
            self._reset_step()
            self._armed = False
            self.message = f"{exc.message}. Again, please."
            return
        self._calibration = calibration
        self.message = "Calibration complete"

    # -- what a simulated player (or a view) looks at --------------------------------------
    def picture(self, t_s: float, notice: str | None = None) -> CalibrationPicture:
        """The step as a view draws it (``notice``: what the device says, e.g. that it sends nothing)."""
        step = self.step
        origin = self.recorded.get("centre") or self.recorded.get("zero") or (0.0, 0.0)
        return CalibrationPicture(
            header=f"Calibration - step {min(self.index + 1, len(self.steps))} of {len(self.steps)}: {step.title}",
            instruction=step.instruction,
            message=self.message,
            notice=notice,
            raw_unit=self.raw_unit,
            span=display_span(self.raw_unit, self.recorded, origin),
            origin=origin,
            points=tuple(self.recorded[k] for k in (f"los:{d}" for d in LOS_ORDER) if k in self.recorded),
            zero=self.recorded.get("zero"),
            arrow_deg=(step.direction_deg or 0) if step.key == "los" and not self.returning else None,
            live=self.live,
            hold=self.progress(t_s),
            keys=KEYS_HINT,
        )

    def target(self) -> tuple[float, float] | None:
        """Where the player should be, in LOS units (None for the zero step)."""
        step = self.step
        if step.key == "zero":
            return None
        if step.key == "centre" or self.returning:
            return (0.0, 0.0)
        angle = math.radians(step.direction_deg or 0)
        return (math.cos(angle), math.sin(angle))

    def snapshot(self, t_s: float, position: tuple[float, float] = (0.0, 0.0)) -> Snapshot:
        """The step as a core ``Snapshot`` (so the simulated player can calibrate like a person)."""
        target = self.target()
        step = self.step
        phase: SnapshotPhase
        if target is None:
            targets: tuple[TargetView, ...] = ()
            phase = "intro"
        elif step.key == "centre" or self.returning:
            targets = (TargetView(0.0, 0.0, 0.15, "home", False),)
            phase = "home"
        else:
            targets = (TargetView(target[0], target[1], 0.15, "target", False),)
            phase = "trial"
        return Snapshot(
            t_s=t_s, theme="space", level_title="Calibration", challenge_index=0, challenge_count=1,
            challenge_kind="reach", challenge_title=step.title, instruction=step.instruction, phase=phase,
            phase_left_s=0.0, control=position, marker=position, targets=targets, progress=self.progress(t_s),
            trial=self.index + 1, trials=len(self.steps), difficulty=0.0, score=0, max_score=0, stars=0,
            last_outcome=None, last_points=0,
        )
