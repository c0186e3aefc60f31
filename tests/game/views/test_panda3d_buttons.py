"""The 3D calibration draws its buttons too, and the desktop view's pointer names them (offscreen render).

``Panda3dView.draw_calibration`` keeps the areas ``p3d_calibration.draw_calibration`` returns, so a
hover frames the button under the pointer and a click picks it, as in the 2D view.
"""

from __future__ import annotations

import pytest

pytest.importorskip("panda3d")

from game.actions import hover, pick  # noqa: E402
from game.calibration_flow import CHOICES  # noqa: E402
from game.input import SimulatedPlayer  # noqa: E402
from game.play.screens.calibration import CalibrationScreen  # noqa: E402
from game.views import theme as palette  # noqa: E402
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
