"""The calibration screen: feeds a ``CalibrationFlow`` from the device at 120 Hz and draws its picture.

It stores nothing and drives no device: when the flow is done, ``calibration`` holds the
result and the caller stores it (``Recorder.save_calibration``) and gives it to the device.
Keys: Enter confirms a step (after a problem: measures the limits again), S skips a lean (after
a problem: keeps default limits), Backspace redoes the previous step, Esc asks whether to cancel
(a second Esc cancels, Enter goes on: a stray press throws no step away). Headless,
nobody presses them: a problem is retried up to ``max_attempts`` times, then it is a
``CalibrationError`` that names it, and a step that is not done in ``step_limit_s`` is one too.

The mouse (or a touch): every key's choice is also a button (``CalibrationFlow.buttons``); a click
on one chooses as its key does, except Cancel, which asks first (a stray touch must not throw the
steps away: "No, go on" first, then "Yes, cancel"). Any other click, or the pointer moving, changes
nothing: the step being measured goes on undisturbed.
"""

from __future__ import annotations

from dataclasses import replace

from game.actions import CLICK, UiAction, item_of
from game.calibration_flow import HOLD_S, CalibrationFlow, CalibrationPicture, calibration_button, choice_of
from game.core.stepper import FixedStepper
from game.core.world import STEP_S
from game.errors import DeviceError, ProprioError
from game.input.calibration import Calibration, CalibrationError
from game.input.source import PoseSource, ScreenObserver
from game.menu import ask_first
from game.play.loop import Loop, Screen
from game.views.base import View
from telemetry.store.recorder import Recorder

HEADLESS_STEP_LIMIT_S = 60.0  # headless: a step not done in this much simulated time is a failure
CANCEL_QUESTION = "Cancel the calibration? Nothing measured so far is stored."
CANCEL_KEYS = "Esc (B) again: cancel   Enter (A): go on"
"""The keys' line under the question (a stray Esc only asks; a second one cancels)."""


def calibration_words(notice: str | None) -> str | None:
    """The device's notice during a calibration, with what happens now: it waits, and nothing is stored yet."""
    if notice is None:
        return None
    notice = notice.rstrip(". ")
    return f"{notice[:1].upper()}{notice[1:]}. The calibration waits and goes on when the device is back."


class CalibrationCancelled(ProprioError):
    """The person left the calibration before it was finished (nothing was stored)."""


def flow_for(source: PoseSource, hold_s: float = HOLD_S) -> CalibrationFlow:
    """A flow worded and tuned for this device."""
    device = source.description
    return CalibrationFlow(device.raw_unit, hold_s=hold_s, zero_when_empty=device.kind == "balance-board",
                           centre_needs_movement=device.kind in ("imu", "lsl"))


class CalibrationScreen(Screen):
    """Zero, centre and 8 limits of stability; Enter confirms a step, S skips a lean, Backspace redoes one,
    Esc cancels."""

    steers = True

    def __init__(self, source: PoseSource, *, hold_s: float = HOLD_S, step_limit_s: float | None = None,
                 max_attempts: int | None = None, device_timeout_s: float | None = None) -> None:
        self.source = source
        self.flow = flow_for(source, hold_s)
        self.stepper = FixedStepper(STEP_S)
        self.step_limit_s = step_limit_s  # headless: give up on a step after this much simulated time
        self.max_attempts = max_attempts  # headless: measure the limits at most this often (None: a person decides)
        self.t_s = 0.0
        self.position = (0.0, 0.0)
        self.notice: str | None = None
        self.device_timeout_s = device_timeout_s  # headless: a device silent this long (frame time) ends it
        self.quiet_s = 0.0
        self._step_started = (self.flow.index, 0.0)
        self.asking_cancel = False  # Cancel was clicked: "No, go on" or "Yes, cancel" is shown

    @property
    def done(self) -> bool:
        return self.flow.done

    @property
    def idle(self) -> bool:
        return self.notice is not None  # waiting for the device

    @property
    def calibration(self) -> Calibration:
        """The validated result (once done)."""
        return self.flow.calibration()

    def handle(self, action: UiAction) -> None:
        item = item_of(action)
        if item is not None or action == CLICK:
            self._pointer(action)
            return
        # Esc (B) asks first, as Cancel does: a stray press throws nothing away (game.menu.ask_first).
        answer = ask_first(action, self.asking_cancel or self.flow.done)
        if answer == "ask":
            self.asking_cancel = True
            return
        if answer == "yes":
            raise CalibrationCancelled("calibration cancelled; nothing was stored",
                                       remedy="Run it again when the player is ready.")
        if action != "focus_lost":
            self.asking_cancel = False  # a key answers the question by doing what it always does
        if answer == "no":
            return
        if action in ("confirm", "pause"):
            if self.flow.problem is not None:
                self.flow.retry()
            else:
                self.flow.confirm()
        elif action in ("text:s", "text:S"):
            self.flow.skip()
        elif action == "backspace":
            self.flow.back()

    def _pointer(self, action: UiAction) -> None:
        """A click on a button chooses as its key does (Cancel asks first); any other click or move changes nothing
        but closing the cancel question."""
        item = item_of(action)
        if item is None or item.kind == "hover" or item.list != "calibration":
            if item is None or item.kind == "pick":
                self.asking_cancel = False  # a click beside the question: the person goes on
            return
        choice = choice_of(item.index)
        flow = self.flow
        if choice == "leave" and self.asking_cancel:
            self.handle("back")
        elif choice == "cancel" and not flow.done:
            self.asking_cancel = True
            return
        elif self.asking_cancel:
            pass  # "No, go on", or a button the question had covered: nothing else happens
        elif choice == "confirm" and flow.problem is None:
            flow.confirm()
        elif choice == "skip" and flow.problem is None:
            flow.skip()  # only a lean: a click that lands as the limits fail never means "default limits"
        elif choice == "redo" and flow.problem is None:
            flow.back()
        elif choice == "retry":
            flow.retry()
        elif choice == "defaults" and flow.problem is not None:
            flow.skip()
        self.asking_cancel = False

    def picture(self) -> CalibrationPicture:
        """What the view draws now: the flow's picture, with the cancel question and its answers when it is asked."""
        picture = self.flow.picture(self.t_s, calibration_words(self.notice))
        if not self.asking_cancel:
            return picture
        return replace(picture, message=CANCEL_QUESTION, keys=CANCEL_KEYS,
                       buttons=(calibration_button("stay", "No, go on"),
                                calibration_button("leave", "Yes, cancel calibration")))

    def update(self, dt_s: float) -> None:
        self.quiet_s = self.quiet_s + dt_s if self.notice is not None else 0.0
        if self.device_timeout_s is not None and self.quiet_s >= self.device_timeout_s:
            raise DeviceError(f"{self.notice} (for {self.quiet_s:.0f} s): the calibration ends and nothing was stored",
                              remedy="Check the cable, the power or the network and that the device sends data "
                                     "(proprio devices), then calibrate again.")
        steps, _ = self.stepper.advance(dt_s)
        for _ in range(steps):
            status = self.source.status()
            self.notice = status.notice if status.reason not in ("ok", "empty", "ended") else None
            if self.notice is not None:
                break
            if isinstance(self.source, ScreenObserver):
                self.source.observe(self.flow.snapshot(self.t_s, self.position))
            pose = self.source.poll(self.t_s)
            self.position = (pose.x, pose.y)
            self.flow.feed(self.t_s, pose.raw_x, pose.raw_y, present=status.reason != "empty")
            self.t_s += STEP_S
            self._check_problem()
            self._check_progress()
            if self.flow.done:
                break

    def _check_problem(self) -> None:
        """Headless: measure the limits again, until ``max_attempts``; then fail saying what was wrong."""
        problem = self.flow.problem
        if problem is None or self.max_attempts is None:
            return
        if self.flow.attempts < self.max_attempts:
            self.flow.retry()
            self._step_started = (self.flow.index, self.t_s)
            return
        raise CalibrationError(
            f"the limits of stability made no usable map in {self.flow.attempts} attempts: {problem.message}",
            remedy=f"{problem.remedy or 'Redo the limits of stability.'} With a window, S keeps default limits.")

    def _check_progress(self) -> None:
        if self.flow.index != self._step_started[0]:
            self._step_started = (self.flow.index, self.t_s)
        elif self.step_limit_s is not None and self.t_s - self._step_started[1] > self.step_limit_s:
            said = f" (the screen said: {self.flow.message})" if self.flow.message else ""
            raise CalibrationError(
                f"step '{self.flow.step.title}' was not completed in {self.step_limit_s:g} s{said}",
                remedy="Hold still for the whole hold time, or press Enter to confirm the step "
                       "(S skips a lean the player cannot make).")

    def draw(self, view: View) -> None:
        view.draw_calibration(self.picture())


def run_calibration(loop: Loop, recorder: Recorder, player_id: str, *, hold_s: float = HOLD_S,
                    step_limit_s: float | None = None, max_attempts: int | None = None,
                    device_timeout_s: float | None = None, notes: str = "") -> Calibration:
    """Walk the player through zero, centre and 8 limits on the loop's device; store it, give it to the device.

    Limits that were skipped (default reach) are said in the stored row's ``notes``.
    """
    source = loop.source
    if source is None:
        raise CalibrationError("there is no device to calibrate")
    screen = CalibrationScreen(source, hold_s=hold_s, step_limit_s=step_limit_s, max_attempts=max_attempts,
                               device_timeout_s=device_timeout_s)
    loop.run(screen)
    calibration = screen.calibration
    notes = "; ".join(n for n in (notes, calibration.skipped_text) if n)
    calibration = replace(calibration, id=recorder.save_calibration(player_id, source.description, calibration, notes))
    source.set_calibration(calibration)
    return calibration
