"""The calibration's and an assessment's choices are buttons a click or a touch chooses: real pygame events.

Each test draws the real screen with the real ``PygameView`` on SDL's dummy driver, reads where the
view drew each button (``menu_items``), posts real MOUSEMOTION / MOUSEBUTTONDOWN / MOUSEBUTTONUP
events there and hands what ``poll`` reports to the real screen. The keys still do what they did.
"""

from __future__ import annotations

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

from game.actions import CLICK, Button, ButtonLines, hover, pick  # noqa: E402
from game.calibration_flow import CHOICES, KEYS_LEAN, LOS_ORDER  # noqa: E402
from game.input import SimulatedPlayer  # noqa: E402
from game.play.screens.assess import MessageScreen  # noqa: E402
from game.play.screens.calibration import (  # noqa: E402
    CANCEL_KEYS,
    CANCEL_QUESTION,
    CalibrationCancelled,
    CalibrationScreen,
)
from game.views import theme as palette  # noqa: E402
from game.views.pygame_buttons import LABEL_PX  # noqa: E402
from tests.game.play.test_calibration_screen import ConfusedPlayer, run_screen  # noqa: E402


def _items(view) -> dict[tuple[str, int], pygame.Rect]:
    found = {(name, index): rect for rect, name, index in view.menu_items}
    assert len(found) == len(view.menu_items), "each button is drawn once"
    return found


def _move(view, pos: tuple[int, int]) -> list[str]:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1), buttons=(0, 0, 0), touch=False))
    return view.poll()[0]


def _click(view, pos: tuple[int, int], touch: bool = False) -> list[str]:
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=pos, button=1, touch=touch))
    return view.poll()[0]


def _choose(view, screen, choice: str) -> None:
    """Click the calibration button for ``choice`` where the view drew it, and hand the click to the screen."""
    rect = _items(view)[("calibration", CHOICES.index(choice))]
    actions = _click(view, rect.center)
    assert actions == [pick("calibration", CHOICES.index(choice))]
    screen.handle(actions[0])
    screen.draw(view)


def _yellow_edge(view, rect: pygame.Rect) -> int:
    """Yellow pixels along a button's left edge: the frame of the button under the pointer."""
    strip = pygame.Rect(rect.x, rect.y + rect.h // 3, 10, max(1, rect.h // 3))
    pixels = pygame.surfarray.pixels3d(view.screen)[strip.left:strip.right, strip.top:strip.bottom]
    return int((np.abs(pixels.astype(int) - palette.YELLOW).sum(axis=2) < 30).sum())


def _whole_label_fits(view, rect: pygame.Rect, label: str) -> bool:
    """The label fits its button on at most two lines at the smallest size ``text_in_box`` uses (never cut)."""
    font = view._font(int(LABEL_PX * 0.6))
    words, lines, line = label.split(), 1, ""
    for word in words:
        trial = f"{line} {word}".strip()
        if font.size(trial)[0] > rect.width - 16 * view.scale and line:
            lines, line = lines + 1, word
        else:
            line = trial
    return lines <= 2 and font.get_linesize() * lines <= rect.height


def _at_lean(screen: CalibrationScreen) -> None:
    while screen.flow.step.key != "los" or screen.flow.index < 3:
        screen.update(0.1)
    screen.update(0.3)


def test_the_calibration_buttons_choose_as_their_keys_and_a_click_elsewhere_disturbs_nothing(view):
    screen = CalibrationScreen(SimulatedPlayer(0.8, 3), hold_s=1.0)
    screen.draw(view)
    items = _items(view)
    assert list(items) == [("calibration", CHOICES.index(c)) for c in ("confirm", "cancel")]  # no "redo" at step 1
    _at_lean(screen)
    screen.draw(view)
    shown = [CHOICES[i] for _, i in _items(view)]
    assert shown == ["confirm", "skip", "redo", "cancel"]  # what goes on first, Cancel last
    assert screen.flow.picture(screen.t_s).keys == KEYS_LEAN  # the keys are still said
    for rect, _, index in view.menu_items:  # big and whole at 1280x720
        label = next(b.label for b in screen.picture().buttons if b.index == index)
        assert rect.height >= 48 and _whole_label_fits(view, rect, label), label
    # the pointer over a button marks it; moving over it is not a choice
    skip = _items(view)[("calibration", CHOICES.index("skip"))]
    assert _yellow_edge(view, skip) == 0
    actions = _move(view, skip.center)
    assert actions == [hover("calibration", CHOICES.index("skip"))]
    index = screen.flow.index
    screen.handle(actions[0])
    screen.draw(view)
    assert screen.flow.index == index and _yellow_edge(view, skip) > 0
    # a click on the disc (or anywhere else) is no key: the step being measured goes on as it was
    screen.update(0.2)
    before = (screen.flow.index, dict(screen.flow.recorded), screen.flow.progress(screen.t_s))
    w, h = view.screen.get_size()
    for pos in ((w // 2, h // 2), (5, 5), (w // 2, h - 5)):
        assert _click(view, pos) == [CLICK]
        screen.handle(CLICK)
    assert (screen.flow.index, dict(screen.flow.recorded), screen.flow.progress(screen.t_s)) == before
    # "Skip this direction" as S: the default limit, said in the result
    direction = screen.flow.step.direction_deg
    _choose(view, screen, "skip")
    assert screen.flow.skipped == {direction} and screen.flow.index == index + 1
    # "Redo the previous step" as Backspace: that lean is asked again, and no longer skipped
    _choose(view, screen, "redo")
    assert screen.flow.index == index and screen.flow.skipped == set()


def test_cancel_asks_first_with_the_safe_answer_first(view, tmp_path):
    screen = CalibrationScreen(SimulatedPlayer(0.8, 3), hold_s=1.0)
    _at_lean(screen)
    screen.draw(view)
    index, recorded = screen.flow.index, dict(screen.flow.recorded)
    _choose(view, screen, "cancel")
    assert screen.asking_cancel and screen.picture().message == CANCEL_QUESTION
    assert [CHOICES[i] for _, i in _items(view)] == ["stay", "leave"]  # "No, go on" first
    view.screenshot(tmp_path / "cancel-question.png")
    screen.update(0.5)  # the calibration goes on measuring while it asks
    _choose(view, screen, "stay")
    assert not screen.asking_cancel and screen.flow.recorded.keys() >= recorded.keys()
    assert screen.flow.index >= index
    _choose(view, screen, "cancel")
    assert _click(view, (3, 3)) == [CLICK]  # a click beside the question: the person goes on
    screen.handle(CLICK)
    assert not screen.asking_cancel
    screen.draw(view)
    _choose(view, screen, "cancel")
    with pytest.raises(CalibrationCancelled, match="nothing was stored"):
        _choose(view, screen, "leave")


def test_esc_asks_first_enter_goes_on_and_a_second_esc_cancels(view, tmp_path):
    """The keys as the buttons: a stray Esc (B on a gamepad) throws no measured step away."""
    screen = CalibrationScreen(SimulatedPlayer(0.8, 3), hold_s=1.0)
    _at_lean(screen)
    index, recorded = screen.flow.index, dict(screen.flow.recorded)
    screen.handle("back")
    assert screen.asking_cancel and screen.picture().message == CANCEL_QUESTION
    assert screen.picture().keys == CANCEL_KEYS
    screen.draw(view)
    assert [CHOICES[i] for _, i in _items(view)] == ["stay", "leave"]  # "No, go on" first
    view.screenshot(tmp_path / "cancel-question-keys.png")
    screen.update(0.5)  # measuring goes on under the question
    screen.handle("confirm")  # Enter: "No, go on"; it confirms no step
    assert not screen.asking_cancel and screen.flow.index == index
    assert screen.flow.recorded.keys() >= recorded.keys()
    screen.handle("back")
    with pytest.raises(CalibrationCancelled, match="nothing was stored"):
        screen.handle("back")


def test_after_a_problem_the_buttons_are_measure_again_default_limits_and_cancel(view, tmp_path):
    screen = CalibrationScreen(ConfusedPlayer(0.8, 2), hold_s=1.0)
    run_screen(screen)
    assert screen.flow.problem is not None
    screen.draw(view)
    view.screenshot(tmp_path / "problem.png")
    assert [CHOICES[i] for _, i in _items(view)] == ["retry", "defaults", "cancel"]
    _choose(view, screen, "retry")  # as Enter: the limits are measured again
    assert screen.flow.problem is None and screen.flow.index == 2
    run_screen(screen)
    assert screen.flow.problem is not None and screen.flow.attempts == 2
    screen.draw(view)
    _choose(view, screen, "defaults")  # as S: default limits around the measured centre
    assert screen.done and len(screen.calibration.skipped) == len(LOS_ORDER)
    screen.draw(view)
    assert view.menu_items == []  # done: nothing left to choose


def test_a_stale_click_never_means_another_choice(view):
    """A click that lands as the picture changes names the choice it was drawn for: "Skip this direction" over a
    problem is not "use default limits", and a question's covered buttons do nothing while it is asked."""
    screen = CalibrationScreen(ConfusedPlayer(0.8, 2), hold_s=1.0)
    run_screen(screen)
    screen.handle(pick("calibration", CHOICES.index("skip")))
    screen.handle(pick("calibration", CHOICES.index("confirm")))
    screen.handle(pick("calibration", CHOICES.index("redo")))
    assert screen.flow.problem is not None and not screen.done and screen.flow.attempts == 1
    screen.handle(pick("calibration", CHOICES.index("cancel")))
    screen.handle(pick("calibration", CHOICES.index("retry")))  # under the question: nothing
    assert screen.flow.problem is not None and not screen.asking_cancel
    screen.handle(pick("calibration", len(CHOICES)))  # an index no button has
    screen.handle(pick("assess", 0))  # another screen's button
    assert screen.flow.problem is not None and not screen.done


def test_a_message_with_buttons_draws_them_under_its_box_and_close_closes(view, tmp_path):
    lines = [f"Line {i}: a long line of results that goes on and on so it must wrap in its box" for i in range(9)]
    screen = MessageScreen("Balance check: results", lines)
    screen.draw(view)
    view.screenshot(tmp_path / "results.png")
    close = _items(view)[("message", 0)]
    assert close.height >= 48
    from game.views import pygame_menus

    words = [drawn for drawn, _, _ in pygame_menus.painter(view).placed]
    assert words and max(r.bottom for r in words) < close.top  # the words stay above the button row
    assert _click(view, (close.left + 2, close.top + 2)) == [pick("message", 0)]  # the button's very corner
    screen.handle(pick("message", 0))
    assert screen.done
    screen = MessageScreen("Results", ["ok"])
    screen.draw(view)
    screen.handle(_click(view, (3, 3))[0])  # a click on no button
    assert not screen.done
    screen.handle("back")  # Esc still closes
    assert screen.done


def test_buttons_refuse_bad_definitions_and_plain_lines_carry_none():
    with pytest.raises(ValueError, match="unknown menu list"):
        Button("Go", "nowhere", 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="whole number"):
        Button("Go", "assess", -1)
    with pytest.raises(ValueError, match="words"):
        Button("  ", "assess", 0)
    from game.actions import buttons_of

    assert buttons_of(["plain"]) == () and buttons_of(ButtonLines(["x"], [Button("Go", "assess", 0)]))[0].label == "Go"
