"""The calibration procedure, step by step, without clocks or windows (the screen only draws it).

Steps: **zero** (the board level, or empty), **centre** (the player standing relaxed), then the
**limits of stability** in 8 directions, starting forward and going clockwise, coming back to
the middle between leans as in clinical LOS tests. A reading counts as *steady* while the
readings of a stretch stay within ``steady`` of their mean (RMS, raw units) and do not drift
(the fitted straight-line travel over the stretch is within ``steady`` too, so a slow lean is
not taken for a hold).

* **Zero**: the mean of ``hold_s`` steady seconds (an empty balance board: ``hold_s`` empty).
* **Centre**: the player's relaxed stance once standing: the mean of ``hold_s`` steady seconds
  counted only after the reading moved away from the zero (someone stepped on; devices that
  need it) or after a balance board reported a person. Enter takes it at once.
* **Each limit**: the furthest steady lean toward that direction. A lean counts from the
  recorded *centre*, projected on the asked direction, and must reach at least ``min_reach``
  (twice ``MIN_REACH``: a real lean, not sway or an off-level stance). Once a lean has been held
  steady for ``hold_s`` the player is asked back to the middle; the limit is recorded when they
  come back (their reading falls below half of it), as the furthest of all the steady holds of
  that attempt. Why so: clinical LOS tests (NeuroCom's Limits of Stability, the Wii-board LOS
  protocols) score each direction over the whole attempt (maximum excursion), not at the
  first instant a target is touched; we keep only stretches held for ``hold_s`` because the game
  will ask the player to *hold* leans of up to 1.0 LOS, so an overshoot they could not hold is
  not their limit.

Ways out of every problem: Enter confirms a step at once (a therapist who sees the player is at
their limit); Backspace redoes the previous step; S skips a direction the player cannot lean
toward (its limit becomes the default reach from the centre, and ``Calibration.skipped`` says
so); when the 8 limits do not make a usable map the flow stops with ``problem`` set and waits
for ``retry()`` (Enter: measure the limits again) or ``skip()`` (S: keep the default limits
around the measured centre); Esc cancels (the screen's business). Each of those choices is also an
on-screen button (``CalibrationFlow.buttons``) that a click or a touch chooses, for a person with a
mouse or a tablet and no keyboard; the button names its choice (``CHOICES``), the screen decides.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Literal, get_args

from game.actions import Button
from game.core.phases import SnapshotPhase
from game.core.snapshot import Snapshot, TargetView
from game.input.calibration import (
    DEFAULT_REACH,
    DIRECTION_NAMES,
    DIRECTIONS_DEG,
    MIN_REACH,
    Calibration,
    CalibrationError,
    default_limit,
    validate,
)
from game.vocabulary import HOLD_S as HOLD_S  # defined with the command line's names (light for `--help`)

STEADY = {"deg": 1.5, "mm": 15.0, "stick": 0.08, "key": 1.5}  # RMS wobble still counted as holding still
LOS_ORDER = (90, 45, 0, 315, 270, 225, 180, 135)  # forward first, then clockwise
DRIFT = 1.0  # a stretch that travels more than this share of the tolerance is a move, not a hold
OUTWARD = 0.5  # a lean still moving in or out by this share of the tolerance over the hold is not held yet
JUMP = 3.0  # a reading this many tolerances from the hold's mean starts the hold again
MIN_CONFIRM_S = 0.25  # a manual confirm needs at least this much of a steady run to average
RETURNED = 0.5  # a held lean is over once the reading is back under this share of it
MAX_ATTEMPTS = 3  # headless, the limits are measured at most this often before the run fails
KEYS_HINT = "Hold still to confirm   Enter: confirm now   Backspace: redo previous   Esc: cancel"
KEYS_LEAN = "Hold to confirm   Enter: confirm now   S: skip this direction   Backspace: redo previous   Esc: cancel"
KEYS_PROBLEM = "Enter: measure the limits again   S: use default limits   Esc: cancel"
CalibrationChoice = Literal["confirm", "skip", "redo", "cancel", "retry", "defaults", "stay", "leave"]
"""What a calibration button chooses: confirm (Enter), skip this direction (S), redo the previous step (Backspace),
cancel (asks first: "stay" goes on, "leave" is Esc), retry and defaults after a problem (Enter, S)."""
CHOICES: tuple[CalibrationChoice, ...] = get_args(CalibrationChoice)


def calibration_button(choice: CalibrationChoice, label: str) -> Button:
    """The button for ``choice``: a click on it is ``pick("calibration", CHOICES.index(choice))``."""
    return Button(label, "calibration", CHOICES.index(choice))


def choice_of(index: int) -> CalibrationChoice | None:
    """The choice a calibration button's index stands for (None for an index no button has)."""
    return CHOICES[index] if 0 <= index < len(CHOICES) else None


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
    """Everything a view shows of one calibration moment, so no view reaches into the flow.

    ``keys`` is the key hint for the moment: ``KEYS_HINT`` (zero and centre: Enter confirms,
    Backspace redoes the previous step, Esc cancels), ``KEYS_LEAN`` (a lean: also S skips the
    direction, its default limit is stored and said) or ``KEYS_PROBLEM`` (the limits failed,
    ``message`` says why: Enter measures them again, S keeps default limits, Esc cancels).
    ``buttons`` are the same choices as on-screen buttons (the safe ones first, Cancel last).
    """

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
    buttons: tuple[Button, ...] = ()  # the choices of the moment as buttons a click or a touch chooses

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
    """The longest recent stretch of readings that stays within a wobble tolerance and does not drift."""

    def __init__(self, steady: float) -> None:
        self.steady = steady
        self.samples: deque[tuple[float, float, float]] = deque()
        self._t0 = 0.0
        self._sums = [0.0] * 8  # t, x, y, tt, xx, yy, tx, ty (t from _t0)

    def clear(self) -> None:
        self.samples.clear()
        self._sums = [0.0] * 8

    def _account(self, t_s: float, x: float, y: float, sign: float) -> None:
        t = t_s - self._t0
        for i, v in enumerate((t, x, y, t * t, x * x, y * y, t * x, t * y)):
            self._sums[i] += sign * v

    def add(self, t_s: float, x: float, y: float) -> None:
        if self.samples:
            mx, my = self.mean()
            if math.hypot(x - mx, y - my) > JUMP * self.steady:  # a move, not a wobble: start again
                self.clear()
        if not self.samples:
            self._t0 = t_s
        self.samples.append((t_s, x, y))
        self._account(t_s, x, y, 1.0)
        while len(self.samples) > 1 and (self.rms() > self.steady or self.drift() > DRIFT * self.steady):
            self._account(*self.samples.popleft(), -1.0)

    def rms(self) -> float:
        n = len(self.samples)
        if n == 0:
            return 0.0
        st, sx, sy, stt, sxx, syy, stx, sty = self._sums
        var = (sxx - sx * sx / n) / n + (syy - sy * sy / n) / n
        return math.sqrt(max(0.0, var))

    def travel(self) -> tuple[float, float]:
        """The stretch's travel (x, y) along its fitted straight line, raw units (a slow lean drifts, a hold not)."""
        n = len(self.samples)
        if n < 3:
            return 0.0, 0.0
        st, sx, sy, stt, sxx, syy, stx, sty = self._sums
        var_t = stt - st * st / n
        if var_t <= 1e-12:
            return 0.0, 0.0
        span = self.span_s()
        return (stx - st * sx / n) / var_t * span, (sty - st * sy / n) / var_t * span

    def drift(self) -> float:
        """How far the stretch travels along its fitted straight line."""
        return math.hypot(*self.travel())

    def span_s(self) -> float:
        return self.samples[-1][0] - self.samples[0][0] if len(self.samples) > 1 else 0.0

    def mean(self) -> tuple[float, float]:
        n = len(self.samples)
        return self._sums[1] / n, self._sums[2] / n


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
        self.skipped: set[int] = set()  # directions given the default limit (S)
        self.message: str | None = None
        self.live: tuple[float, float] | None = None
        self.present = True
        self.problem: CalibrationError | None = None  # why the limits made no usable map (waits for retry/skip)
        self.attempts = 0  # how often the 8 limits were measured and checked
        self._run = _SteadyRun(self.steady)
        self._empty_since: float | None = None
        self._armed = True  # False after a lean until the player is back in the middle
        self._moved = False
        self._best: tuple[float, tuple[float, float]] | None = None  # furthest finished hold: (reach, point)
        self._hold: tuple[float, tuple[float, float], float] | None = None  # the hold going on now (and its RMS)
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
    def held(self) -> bool:
        """True once this lean has been held steady for the hold time (the player may come back)."""
        return self.step.key == "los" and self._furthest() is not None and self._armed

    @property
    def returning(self) -> bool:
        """True while the player should come back to the middle (after a held lean, before the next)."""
        return self.step.key == "los" and (not self._armed or self.held or self.problem is not None)

    def progress(self, t_s: float | None = None) -> float:
        """How much of the hold is done, 0 to 1 (what the hold ring shows)."""
        if self.done or self.held:
            return 1.0
        if self.problem is not None:
            return 0.0
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

    def keys(self) -> str:
        """The key hint for this moment (see ``CalibrationPicture``)."""
        if self.problem is not None:
            return KEYS_PROBLEM
        return KEYS_LEAN if self.step.key == "los" and not self.done else KEYS_HINT

    def buttons(self) -> tuple[Button, ...]:
        """The key hint's choices as buttons, in the order shown: what goes on first, Cancel last (none once done)."""
        if self.done:
            return ()
        cancel = calibration_button("cancel", "Cancel calibration")
        if self.problem is not None:
            return (calibration_button("retry", "Measure the limits again"),
                    calibration_button("defaults", "Use default limits"), cancel)
        shown = [calibration_button("confirm", "Confirm this step")]
        if self.step.key == "los":
            shown.append(calibration_button("skip", "Skip this direction"))
        if self.index > 0:
            shown.append(calibration_button("redo", "Redo the previous step"))
        return (*shown, cancel)

    # -- input ---------------------------------------------------------------------------
    def feed(self, t_s: float, raw_x: float, raw_y: float, present: bool = True) -> None:
        """One reading (raw units); ``present`` is False while a balance board is empty."""
        if self.done or not (math.isfinite(raw_x) and math.isfinite(raw_y)):
            return
        self.live = (raw_x, raw_y)
        self.present = present
        if self.problem is not None:
            return  # waiting for retry() or skip()
        step = self.step
        if step.key == "zero" and self.zero_when_empty:
            self._feed_empty_zero(t_s, present)
        elif not present:
            self._run.clear()
            self.message = "Step on the board"
        elif step.key == "los":
            self._feed_lean(t_s, raw_x, raw_y)
        else:
            self._feed_still(t_s, raw_x, raw_y)

    def _feed_empty_zero(self, t_s: float, present: bool) -> None:
        """A balance board is zeroed empty: nobody on it for the hold time."""
        if present:
            self._empty_since = None
            self.message = "Step off the board"
            return
        self.message = None
        if self._empty_since is None:
            self._empty_since = t_s
        if t_s - self._empty_since >= self.hold_s:
            self._record((0.0, 0.0))

    def _feed_still(self, t_s: float, raw_x: float, raw_y: float) -> None:
        """The zero (a level board) or the centre (the relaxed stance once standing): a steady hold."""
        if self.step.key == "centre" and self.centre_needs_movement and not self._moved and "zero" in self.recorded:
            zx, zy = self.recorded["zero"]
            if math.hypot(raw_x - zx, raw_y - zy) > self.steady:
                self._moved = True
                self._run.clear()  # the stance counts from here on, never the empty board before it
        self._run.add(t_s, raw_x, raw_y)
        self.message = self._hint()
        if self._counts() and self._run.span_s() >= self.hold_s:
            self._record(self._run.mean())

    def _feed_lean(self, t_s: float, raw_x: float, raw_y: float) -> None:
        """A limit of stability: back in the middle first, then the furthest steady hold, recorded on the way back."""
        if not self._armed:
            cx, cy = self.recorded["centre"]
            if math.hypot(raw_x - cx, raw_y - cy) > max(self.min_reach, 2.0 * self.steady):
                self.message = "Come back to the middle"
                return
            self._armed = True
            self._run.clear()
            self.message = None
        elif (best := self._furthest()) is not None and self._reach_of((raw_x, raw_y)) <= RETURNED * best[0]:
            self._record(best[1])  # back from a held lean: its furthest steady hold is the limit
            return
        self._run.add(t_s, raw_x, raw_y)
        if self._counts() and self._run.span_s() >= self.hold_s and not self._still_leaning():
            # within one hold, its most settled stretch (least wobble: no overshoot, no start of the return)
            rms = self._run.rms()
            if self._hold is None or rms <= self._hold[2]:
                self._hold = (self._reach_of(self._run.mean()), self._run.mean(), rms)
        elif self._hold is not None:  # that hold is over: keep it if it is the furthest
            self._best = max(self._best or self._hold[:2], self._hold[:2])
            self._hold = None
        self.message = self._hint()

    def confirm(self) -> bool:
        """Record the current step now (Enter); False if there is nothing steady enough to record."""
        if self.done or self.problem is not None:
            return False
        step = self.step
        if step.key == "zero" and self.zero_when_empty:
            if self.present:
                return False
            self._record((0.0, 0.0))
            return True
        if step.key == "los":
            best = self._furthest()
            candidates = [] if best is None else [best]
            if self._armed and self._run.span_s() >= MIN_CONFIRM_S and self._far_enough():
                candidates.append((self._reach_of(self._run.mean()), self._run.mean()))
            if not candidates:
                return False
            self._record(max(candidates)[1])
            return True
        if self._run.span_s() < MIN_CONFIRM_S:
            return False
        self._record(self._run.mean())
        return True

    def skip(self) -> bool:
        """S: keep the default limit for this direction, or (after a problem) default limits all round.

        The default limit is ``DEFAULT_REACH`` from the measured centre; the result's ``skipped``
        names every direction that was not measured. False when there is nothing to skip (zero, centre).
        """
        if self.done:
            return False
        if self.problem is not None:
            centre = self.recorded["centre"]
            for direction in LOS_ORDER:
                self.recorded[f"los:{direction}"] = default_limit(self.raw_unit, centre, direction)
            self.skipped = set(LOS_ORDER)
            self.problem = None
            self._finish()
            return self.done
        step = self.step
        if step.key != "los" or step.direction_deg is None:
            return False
        self.skipped.add(step.direction_deg)
        self._record(default_limit(self.raw_unit, self.recorded["centre"], step.direction_deg))
        return True

    def retry(self) -> bool:
        """Enter after a problem: forget the 8 limits and measure them again; False when there is no problem."""
        if self.problem is None:
            return False
        self.problem = None
        self._restart_limits()
        return True

    def back(self) -> None:
        """Redo the previous step (or this one, at the first); after a problem, the last lean."""
        self._calibration = None
        if self.problem is not None:
            self.problem = None
            self.index = len(self.steps)
        self.index = max(0, min(self.index, len(self.steps)) - 1)
        step = self.steps[self.index]
        self.recorded.pop(self.key_of(step), None)
        if step.direction_deg is not None:
            self.skipped.discard(step.direction_deg)
        self._reset_step()

    # -- internals -----------------------------------------------------------------------
    def _reach_of(self, point: tuple[float, float]) -> float:
        """How far a point leans from the centre toward the asked direction (raw units, negative: away).

        The direction is taken in the sensor's own frame, so a sensor mounted turned or mirrored
        needs no setting: the first lean (forward) counts by its distance from the centre and fixes
        the frame's turn, the second (forward-right, 45 degrees from it on either side) fixes its
        handedness, and every later lean is projected on the direction those two predict.
        """
        cx, cy = self.recorded["centre"]
        dx, dy = point[0] - cx, point[1] - cy
        units = self._sensor_directions()
        if not units:
            return math.hypot(dx, dy)
        return max(ux * dx + uy * dy for ux, uy in units)

    def _sensor_directions(self) -> list[tuple[float, float]]:
        """Where the asked direction points in the sensor's frame (two guesses before the handedness is known)."""
        direction = self.step.direction_deg
        first, second = LOS_ORDER[0], LOS_ORDER[1]
        if direction is None or direction == first or f"los:{first}" not in self.recorded:
            return []
        cx, cy = self.recorded["centre"]
        fx, fy = self.recorded[f"los:{first}"]
        turn = math.atan2(fy - cy, fx - cx) - math.radians(first)
        if direction == second or f"los:{second}" not in self.recorded:
            hands = [1.0, -1.0]
        else:
            sx, sy = self.recorded[f"los:{second}"]
            cross = (fx - cx) * (sy - cy) - (fy - cy) * (sx - cx)
            hands = [1.0 if (cross > 0) == (second > first) else -1.0]
        units = []
        for hand in hands:
            angle = math.radians(first) + turn + hand * math.radians(direction - first)
            units.append((math.cos(angle), math.sin(angle)))
        return units

    def _furthest(self) -> tuple[float, tuple[float, float]] | None:
        """The furthest steady hold of this lean so far (reach toward the direction, point), if any."""
        holds = [h for h in (self._best, None if self._hold is None else self._hold[:2]) if h is not None]
        return max(holds) if holds else None

    def _still_leaning(self) -> bool:
        """True while the steady stretch still moves along the lean: a slow lean on its way out, or settling
        back from an overshoot, is not a hold yet."""
        cx, cy = self.recorded["centre"]
        mx, my = self._run.mean()
        far = math.hypot(mx - cx, my - cy)
        if far <= 0.0:
            return False
        tx, ty = self._run.travel()
        return abs(tx * (mx - cx) + ty * (my - cy)) / far > OUTWARD * self.steady

    def _far_enough(self) -> bool:
        if self.step.key != "los":
            return True
        return self._reach_of(self._run.mean()) >= self.min_reach

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
        if step.key == "los" and self.held:
            return "Well held! Now come back to the middle"
        if step.key == "los" and self._run.span_s() >= MIN_CONFIRM_S and not self._far_enough():
            return "Lean further toward the arrow"
        return None

    def _reset_step(self) -> None:
        self._run.clear()
        self._empty_since = None
        self._moved = False
        self._best = self._hold = None
        self._armed = not (self.step.key == "los" and self.index > 2)
        self.message = None

    def _restart_limits(self) -> None:
        for direction in LOS_ORDER:
            self.recorded.pop(f"los:{direction}", None)
        self.skipped.clear()
        self.index = 2
        self._reset_step()
        self._armed = False  # the player comes back to the middle first

    def _record(self, point: tuple[float, float]) -> None:
        self.recorded[self.key_of(self.step)] = point
        self.index += 1
        if self.index < len(self.steps):
            self._reset_step()
            return
        self._finish()

    def _finish(self) -> None:
        centre = self.recorded["centre"]
        self.attempts += 1
        try:
            calibration = validate(Calibration(
                self.raw_unit, self.recorded["zero"], centre,
                tuple(self.recorded[f"los:{d}"] for d in DIRECTIONS_DEG),
                skipped=tuple(d for d in DIRECTIONS_DEG if d in self.skipped),
            ))
        except CalibrationError as exc:
            self.index = len(self.steps) - 1
            self._best = self._hold = None
            self.problem = exc
            self.message = f"Problem: {exc.message}."
            return
        self._calibration = calibration
        said = calibration.skipped_text
        self.message = f"Calibration complete ({said})" if said else "Calibration complete"

    # -- what a simulated player (or a view) looks at --------------------------------------
    def picture(self, t_s: float, notice: str | None = None) -> CalibrationPicture:
        """The step as a view draws it (``notice``: what the device says, e.g. that it sends nothing)."""
        step = self.step
        origin = self.recorded.get("centre") or self.recorded.get("zero") or (0.0, 0.0)
        header = f"Calibration - step {min(self.index + 1, len(self.steps))} of {len(self.steps)}: {step.title}"
        instruction = step.instruction
        if self.problem is not None:
            header = "Calibration - the limits of stability need a decision"
            instruction = self.problem.remedy or "Measure the limits again, or use default limits"
        elif self.held:
            instruction = "Come back to the middle slowly"
        return CalibrationPicture(
            header=header,
            instruction=instruction,
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
            keys=self.keys(),
            buttons=self.buttons(),
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
