"""The calibration screen: feeds a ``CalibrationFlow`` from the device at 120 Hz and draws its picture.

It stores nothing and drives no device: when the flow is done, ``calibration`` holds the
result and the caller stores it (``Recorder.save_calibration``) and gives it to the device.
"""

from __future__ import annotations

from dataclasses import replace

from game.calibration_flow import HOLD_S, CalibrationFlow
from game.core.stepper import FixedStepper
from game.core.world import STEP_S
from game.errors import ProprioError
from game.input.calibration import Calibration, CalibrationError
from game.input.source import PoseSource, ScreenObserver
from game.play.loop import Loop, Screen
from game.views.base import View
from telemetry.store.recorder import Recorder

HEADLESS_STEP_LIMIT_S = 60.0  # headless: a step not done in this much simulated time is a failure


class CalibrationCancelled(ProprioError):
    """The person left the calibration before it was finished (nothing was stored)."""


def flow_for(source: PoseSource, hold_s: float = HOLD_S) -> CalibrationFlow:
    """A flow worded and tuned for this device."""
    device = source.description
    return CalibrationFlow(device.raw_unit, hold_s=hold_s, zero_when_empty=device.kind == "balance-board",
                           centre_needs_movement=device.kind in ("imu", "lsl"))


class CalibrationScreen(Screen):
    """Zero, centre and 8 limits of stability; Enter confirms a step, Backspace redoes one, Esc cancels."""

    steers = True

    def __init__(self, source: PoseSource, *, hold_s: float = HOLD_S, step_limit_s: float | None = None) -> None:
        self.source = source
        self.flow = flow_for(source, hold_s)
        self.stepper = FixedStepper(STEP_S)
        self.step_limit_s = step_limit_s  # headless: give up on a step after this much simulated time
        self.t_s = 0.0
        self.position = (0.0, 0.0)
        self.notice: str | None = None
        self._step_started = (self.flow.index, 0.0)

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

    def handle(self, action: str) -> None:
        if action == "back":
            raise CalibrationCancelled("calibration cancelled; nothing was stored",
                                       remedy="Run it again when the player is ready.")
        if action in ("confirm", "pause"):
            self.flow.confirm()
        elif action == "backspace":
            self.flow.back()

    def update(self, dt_s: float) -> None:
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
            self._check_progress()
            if self.flow.done:
                break

    def _check_progress(self) -> None:
        if self.flow.index != self._step_started[0]:
            self._step_started = (self.flow.index, self.t_s)
        elif self.step_limit_s is not None and self.t_s - self._step_started[1] > self.step_limit_s:
            raise CalibrationError(
                f"step '{self.flow.step.title}' was not completed in {self.step_limit_s:g} s",
                remedy="Hold still for the whole hold time, or press Enter to confirm the step.")

    def draw(self, view: View) -> None:
        view.draw_calibration(self.flow.picture(self.t_s, self.notice))


def run_calibration(loop: Loop, recorder: Recorder, player_id: str, *, hold_s: float = HOLD_S,
                    step_limit_s: float | None = None, notes: str = "") -> Calibration:
    """Walk the player through zero, centre and 8 limits on the loop's device; store it, give it to the device."""
    source = loop.source
    if source is None:
        raise CalibrationError("there is no device to calibrate")
    screen = CalibrationScreen(source, hold_s=hold_s, step_limit_s=step_limit_s)
    loop.run(screen)
    calibration = screen.calibration
    calibration = replace(calibration, id=recorder.save_calibration(player_id, source.description, calibration, notes))
    source.set_calibration(calibration)
    return calibration
