"""A calibration from its first step to its stored result with the mouse (or a finger) only, on the simulated device.

The real ``CalibrationScreen`` runs on the real ``Loop`` (a ``ManualClock``) with a ``Pilot`` around
a real ``PygameView`` on SDL's dummy driver. The hold time is far longer than the test lets a
step run, so no step ends by itself: each one is ended by a real click on the button the view
drew ("Confirm this step", "Skip this direction", "Redo the previous step", "Cancel calibration"
then "No, go on"); clicks on the disc in between must change nothing.
"""

from __future__ import annotations

import pygame
import pytest

from game.calibration_flow import CHOICES, LOS_ORDER
from game.input import SimulatedPlayer
from game.play.clock import ManualClock
from game.play.loop import Loop
from game.play.pilot import Pilot
from game.play.screens.calibration import CalibrationScreen
from game.views.factory import open_view

HOLD_S = 60.0  # no step is held this long here: every step needs its click
MAX_FRAMES = 60 * 240


def _click(pos: tuple[int, int]) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False))
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=pos, button=1, touch=False))


def test_a_calibration_is_completed_from_start_to_end_with_the_mouse_only():
    source = SimulatedPlayer(0.8, 3)
    screen = CalibrationScreen(source, hold_s=HOLD_S)
    flow = screen.flow
    pilot = Pilot(open_view("2d", headless=True, sound=False))
    pygame.event.clear()
    done: list[str] = []
    skipped_direction = LOS_ORDER[3]
    watched: dict[str, object] = {}

    def button(choice: str) -> pygame.Rect | None:
        items = {(name, index): rect for rect, name, index in pilot.view.menu_items}  # type: ignore[attr-defined]
        return items.get(("calibration", CHOICES.index(choice)))

    def press(step: str, choice: str) -> None:
        rect = button(choice)
        assert rect is not None, f"{step}: no {choice} button at step {flow.index + 1}"
        _click(rect.center)
        done.append(step)

    def mouse(frame: int) -> None:
        assert frame < MAX_FRAMES, f"the calibration did not end; steps clicked: {done}"
        if "seen" in watched:  # the clicks on the disc of the frame before: nothing moved on, nothing was lost
            assert (flow.index, flow.recorded) == watched.pop("seen")
        if frame == 1 or screen.done:
            return
        step = flow.step
        steady = flow.progress(screen.t_s) >= 1.0 / HOLD_S  # a second of steady reading counted (the ring moves)
        if step.key == "centre" and "cancel?" not in done:
            press("cancel?", "cancel")
        elif screen.asking_cancel:
            press("no, go on", "stay")
        elif frame % 45 == 0:  # a click on the middle of the disc, and one in a corner: no key, no choice
            w, h = pilot.view.screen.get_size()  # type: ignore[attr-defined]
            for pos in ((w // 2, h // 2), (4, 4)):
                _click(pos)
            watched["seen"] = (flow.index, dict(flow.recorded))
        elif step.direction_deg == skipped_direction and "skip" not in done:
            press("skip", "skip")
        elif flow.index == 3 and "redo" not in done:
            press("redo", "redo")  # the forward lean was recorded: measure it again
        elif steady:
            press(f"confirm {step.title}", "confirm")

    pilot.each_poll = mouse
    Loop(ManualClock(), pilot, source).run(screen)
    assert screen.done and screen.t_s < 10 * HOLD_S  # ended by the clicks, long before any hold could end a step
    calibration = screen.calibration
    assert calibration.skipped == (skipped_direction,)
    confirms = [d for d in done if d.startswith("confirm ")]
    assert done.index("cancel?") < done.index("no, go on") < done.index("confirm Centre")
    assert confirms.count("confirm Lean forward") == 2 and done.index("redo") < len(done) - 1
    assert len(confirms) == 2 + len(LOS_ORDER) - 1 + 1  # zero, centre, 7 leans measured, forward measured twice
    for name, reach in calibration.reach().items():
        assert reach > 0, name
    assert calibration.zero == pytest.approx((0.0, 0.0), abs=1.0)
