"""The calibration screen: draws a ``CalibrationFlow`` and runs it on a device (title screen or CLI).

``run_calibration`` is the one entry point: it owns a small loop like the runner's (poll the
view, step at 120 Hz, feed the flow, draw), stores the result for the player and device, and
gives it to the device. With ``headless=True`` and the simulated player it steps on simulated
time without waiting, so ``proprio calibrate --headless --input sim`` completes by itself; a
real device is always read in real time.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

from sqlite_utils import Database

from game.calibration_flow import HOLD_S, LOS_ORDER, CalibrationFlow
from game.core.stepper import FixedStepper
from game.core.world import STEP_S
from game.errors import ProprioError
from game.input.calibration import DEFAULT_REACH, Calibration, CalibrationError
from game.input import SimulatedPlayer
from game.input.device import device_status
from game.input.keyboard import KeyboardSource, field_pointer
from game.views import theme as palette
from telemetry.calibrations import record_device, save_calibration

FRAME_S = 1.0 / 60.0
MAX_STEP_S = 60.0  # headless: a step not done in this much simulated time is a failure
HEADLESS_DRAW_EVERY = 12  # steps between frames drawn when headless (for --screenshot)


class CalibrationCancelled(ProprioError):
    """The person left the calibration before it was finished (nothing was stored)."""


def flow_for(source: Any, hold_s: float = HOLD_S) -> CalibrationFlow:
    """A flow worded and tuned for this device."""
    kind = getattr(source, "device_kind", source.name.split(":")[0])
    return CalibrationFlow(
        getattr(source, "raw_unit", "deg"), hold_s=hold_s,
        zero_when_empty=kind == "balance-board", centre_needs_movement=kind in ("imu", "lsl"),
    )


def run_calibration(view: Any, source: Any, player_id: str, db: Database, *, hold_s: float = HOLD_S,
                    headless: bool = False, max_step_s: float = MAX_STEP_S, notes: str = "") -> Calibration:
    """Walk the player through zero, centre and 8 limits; store and apply the result; return it."""
    flow = flow_for(source, hold_s)
    unpaced = headless and isinstance(source, SimulatedPlayer)  # no person, no device: no need to wait
    stepper = FixedStepper(STEP_S)
    t_s = 0.0
    step_started = (flow.index, 0.0)
    position = (0.0, 0.0)
    notice = None
    last_wall = time.perf_counter()
    steps_done = 0
    while not flow.done:
        frame_start = time.perf_counter()
        actions, held = view.poll()
        for action in actions:
            if action in ("quit", "back"):
                raise CalibrationCancelled("calibration cancelled; nothing was stored",
                                           remedy="Run it again when the player is ready.")
            if action in ("confirm", "pause"):
                flow.confirm()
            elif action == "backspace":
                flow.back()
        if isinstance(source, KeyboardSource):
            source.set_held(held)
            source.set_pointer(field_pointer(view))
        now = time.perf_counter()
        steps = 1 if unpaced else stepper.advance(now - last_wall)[0]
        last_wall = now
        for _ in range(steps):
            status = device_status(source)
            notice = status.notice if status.reason not in ("ok", "empty", "ended") else None
            if notice is not None:
                break
            source.observe(flow.snapshot(t_s, position))
            pose = source.poll(t_s)
            position = (pose.x, pose.y)
            flow.feed(t_s, pose.raw_x, pose.raw_y, present=status.reason != "empty")
            t_s += STEP_S
            steps_done += 1
            if flow.index != step_started[0]:
                step_started = (flow.index, t_s)
            elif headless and t_s - step_started[1] > max_step_s:
                raise CalibrationError(
                    f"step '{flow.step.title}' was not completed in {max_step_s:g} s",
                    remedy="Hold still for the whole hold time, or press Enter to confirm the step.")
            if flow.done:
                break
        if not unpaced or steps_done % HEADLESS_DRAW_EVERY == 0 or flow.done:
            draw_calibration(view, flow, t_s, notice)
            view.present()
        if unpaced:
            continue
        spare = FRAME_S - (time.perf_counter() - frame_start)
        if spare > 0:
            time.sleep(spare)
    calibration = flow.calibration()
    kind = getattr(source, "device_kind", source.name.split(":")[0])
    device = getattr(source, "device_id", source.name)
    record_device(db, device, kind, {"name": source.name, "raw_unit": calibration.raw_unit})
    calibration_id = save_calibration(db, player_id, kind, device, calibration.to_row(), notes)
    calibration = replace(calibration, id=calibration_id)
    setter = getattr(source, "set_calibration", None)
    if callable(setter):
        setter(calibration)
    return calibration


# -- drawing ---------------------------------------------------------------------------------
def draw_calibration(view: Any, flow: CalibrationFlow, t_s: float, notice: str | None = None) -> None:
    """Paint the current step: instruction, live reading, recorded points, hold ring, keys."""
    screen = getattr(view, "screen", None)
    step = flow.step
    header = f"Calibration - step {min(flow.index + 1, len(flow.steps))} of {len(flow.steps)}: {step.title}"
    if screen is None:  # a view without a pygame surface: words only
        view.draw_message(header, [step.instruction, flow.message or "", notice or ""])
        return
    import pygame

    from game.views.theme import theme_for

    view._backdrop(theme_for("space"))
    w, h = screen.get_size()
    scale = view.scale
    view._text(header, 52, palette.YELLOW, (w / 2, h * 0.08))
    view._text(step.instruction, 40, palette.WHITE, (w / 2, h * 0.16))
    cx, cy, radius = w / 2, h * 0.55, min(w * 0.3, h * 0.32)
    origin = flow.recorded.get("centre") or flow.recorded.get("zero") or (0.0, 0.0)
    span = _display_span(flow, origin)

    def to_px(point: tuple[float, float]) -> tuple[int, int]:
        dx, dy = (point[0] - origin[0]) / span, (point[1] - origin[1]) / span
        far = math.hypot(dx, dy)
        if far > 1.1:  # past the drawing's edge: pin it to the rim
            dx, dy = dx * 1.1 / far, dy * 1.1 / far
        return (int(cx + dx * radius), int(cy - dy * radius))

    pygame.draw.circle(screen, (18, 24, 64), (int(cx), int(cy)), int(radius))
    pygame.draw.circle(screen, (60, 70, 130), (int(cx), int(cy)), int(radius), max(2, int(3 * scale)))
    pygame.draw.line(screen, (60, 70, 130), (cx - radius, cy), (cx + radius, cy), 1)
    pygame.draw.line(screen, (60, 70, 130), (cx, cy - radius), (cx, cy + radius), 1)
    view._text(f"{span:g} {flow.raw_unit}", 24, (170, 170, 200), (cx + radius, cy + radius), "topright")
    # The limits recorded so far, joined in the order they are asked for (clockwise from forward).
    points = [flow.recorded[k] for k in (f"los:{d}" for d in LOS_ORDER) if k in flow.recorded]
    if len(points) >= 2:
        pygame.draw.lines(screen, palette.SKY, len(points) > 2 and len(points) == 8, [to_px(p) for p in points], 3)
    for point in points:
        pygame.draw.circle(screen, palette.SKY, to_px(point), max(5, int(8 * scale)))
    if "zero" in flow.recorded:
        zx, zy = to_px(flow.recorded["zero"])
        size = int(10 * scale)
        pygame.draw.line(screen, (180, 180, 180), (zx - size, zy - size), (zx + size, zy + size), 3)
        pygame.draw.line(screen, (180, 180, 180), (zx - size, zy + size), (zx + size, zy - size), 3)
    # Where to lean: an arrow from the middle toward the step's direction (forward is up).
    if step.key == "los" and not flow.returning:
        angle = math.radians(step.direction_deg or 0)
        tip = (cx + math.cos(angle) * radius * 0.95, cy - math.sin(angle) * radius * 0.95)
        pygame.draw.line(screen, palette.ORANGE, (cx, cy), tip, max(4, int(8 * scale)))
        pygame.draw.circle(screen, palette.ORANGE, (int(tip[0]), int(tip[1])), max(8, int(16 * scale)))
    # The live reading with its hold ring.
    if flow.live is not None:
        live = to_px(flow.live)
        pygame.draw.circle(screen, palette.BLACK, live, max(10, int(20 * scale)))
        pygame.draw.circle(screen, palette.YELLOW, live, max(8, int(16 * scale)))
        progress = flow.progress(t_s)
        if progress > 0:
            ring = max(16, int(30 * scale))
            rect = pygame.Rect(0, 0, ring * 2, ring * 2)
            rect.center = live
            pygame.draw.arc(screen, palette.GREEN, rect, math.pi / 2 - progress * math.tau, math.pi / 2,
                            max(4, int(7 * scale)))
        view._text(f"{flow.live[0]:+.1f}, {flow.live[1]:+.1f} {flow.raw_unit}", 28, palette.WHITE,
                   (w / 2, cy + radius + 28 * scale))
    if flow.message:
        view._text(flow.message, 40, palette.ORANGE, (w / 2, h * 0.23))
    if notice:
        view._banner(notice, palette.ORANGE)
    view._text("Hold still to confirm   Enter: confirm now   Backspace: redo previous   Esc: cancel", 28,
               (215, 215, 215), (w / 2, h * 0.96))


def _display_span(flow: CalibrationFlow, origin: tuple[float, float]) -> float:
    """Raw units from the middle to the edge of the drawing: a typical reach, or more if a limit was further."""
    span = 1.5 * max(DEFAULT_REACH.get(flow.raw_unit, (1.0, 1.0)))
    for point in flow.recorded.values():
        span = max(span, 1.2 * math.hypot(point[0] - origin[0], point[1] - origin[1]))
    return float(f"{span:.2g}") if span > 0 else 1.0
