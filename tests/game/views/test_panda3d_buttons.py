"""The 3D calibration and assessment screens draw their buttons too, and the desktop view's pointer names them
(offscreen render).

``Panda3dView.draw_calibration`` keeps the areas ``p3d_calibration.draw_calibration`` returns, and
``draw_message`` those of the row ``p3d_menus.message`` draws for lines that carry buttons, so a hover frames
the button under the pointer and a click picks it, as in the 2D view.
"""

from __future__ import annotations

import pytest

pytest.importorskip("panda3d")

from game.actions import ButtonLines, hover, pick  # noqa: E402
from game.calibration_flow import CHOICES  # noqa: E402
from game.input import SimulatedPlayer  # noqa: E402
from game.play.screens.assess import ASSESS_CHOICES, MessageScreen, assess_button  # noqa: E402
from game.play.screens.calibration import CalibrationScreen  # noqa: E402
from game.views import theme as palette  # noqa: E402
from game.views.p3d_menus import DESIGN_H  # noqa: E402
from tests.game.views.test_panda3d_mouse import Mouse, _framed  # noqa: E402
from tests.game.views.test_panda3d_view import make_view  # noqa: E402


def test_the_3d_calibration_buttons_are_drawn_big_and_a_click_names_them():
    view = make_view()
    try:
        mouse = Mouse(view)
        view.poll()
        screen = CalibrationScreen(SimulatedPlayer(0.8, 3), hold_s=1.0)
        while screen.flow.index < 3:
            screen.update(0.1)
        view.draw_calibration(screen.picture())  # the view's own call keeps the buttons' areas
        assert [CHOICES[i] for _, _, i in view.menu_items] == ["confirm", "skip", "redo", "cancel"]
        assert all(area[3] >= 48 for area, _, _ in view.menu_items)
        disc_right = view.hud.width / 2 + min(view.hud.width * 0.3, 720 * 0.3)
        assert all(area[0] > disc_right for area, _, _ in view.menu_items)  # beside the disc, not over it
        view.present()
        image = view.pixels()
        assert all(_framed(view, image, area, (170, 170, 185)) > 0 for area, _, _ in view.menu_items)
        skip = CHOICES.index("skip")
        assert mouse.to("calibration", skip) == [hover("calibration", skip)]
        view.draw_calibration(screen.picture())  # the view frames the item its pointer reported
        view.present()
        image = view.pixels()
        assert [i for area, _, i in view.menu_items if _framed(view, image, area, palette.YELLOW) > 0] == [skip]
        assert mouse.click() == [pick("calibration", skip)]
        direction = screen.flow.step.direction_deg
        screen.handle(pick("calibration", skip))
        assert screen.flow.skipped == {direction}
    finally:
        view.close()


def test_the_3d_assessment_messages_draw_their_buttons_in_a_row_and_a_click_picks_the_right_one():
    view = make_view()
    try:
        mouse = Mouse(view)
        view.poll()
        confirm, end = ASSESS_CHOICES.index("confirm"), ASSESS_CHOICES.index("end")
        lines = ButtonLines(["Stand still with your feet together.", "", "Enter (A): ready   Esc (B): end"],
                            (assess_button("confirm", "Ready: start"), assess_button("end", "End the assessment")))
        view.draw_message("Eyes open, firm surface", lines)
        assert [(n, i) for _, n, i in view.menu_items] == [("assess", confirm), ("assess", end)]
        (first, _, _), (second, _, _) = view.menu_items
        assert all(area[3] >= 48 for area, _, _ in view.menu_items)  # a finger's 48 design px at least
        assert first[1] == second[1] and first[0] + first[2] <= second[0]  # a row, side by side, no overlap
        assert first[1] + first[3] <= DESIGN_H - 16  # on the screen, under the message's box
        view.present()
        image = view.pixels()
        view.screenshot("/tmp/hint-3d-message-buttons.png")
        assert all(_framed(view, image, area, (170, 170, 185)) > 0 for area, _, _ in view.menu_items)
        assert "m.b0.label.0" in view.hud._shown and "m.b1.label.0" in view.hud._shown
        assert view.hud._labels["m.b1.label.0"].node().getText() == "End the assessment"
        assert mouse.to("assess", end) == [hover("assess", end)]
        view.draw_message("Eyes open, firm surface", lines)  # the pointed button is framed thick and marked
        view.present()
        image = view.pixels()
        assert [i for area, _, i in view.menu_items if _framed(view, image, area, palette.YELLOW) > 0] == [end]
        assert view.hud._labels["m.b1.label.0"].node().getText() == "> End the assessment"
        assert mouse.click() == [pick("assess", end)]
        mouse.to("assess", confirm)
        assert mouse.click() == [pick("assess", confirm)]

        results = MessageScreen("Legs: results", ["Left leg: 3.0 s"])
        results.draw(view)  # the results' Close, alone in its row
        assert [(n, i) for _, n, i in view.menu_items] == [("message", 0)]
        view.present()
        view.screenshot("/tmp/hint-3d-results-close.png")
        mouse.to("message", 0)
        for action in mouse.click():
            results.handle(action)
        assert results.done

        view.draw_message("Plain words", ["Nothing to choose here."])  # plain lines: no buttons, nothing to pick
        assert view.menu_items == []
    finally:
        view.close()
