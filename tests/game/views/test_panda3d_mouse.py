"""The desktop 3D view's menus answer the mouse as the 2D ones do: checked on offscreen renders.

An offscreen buffer has no mouse, so the only stand-in is where the pointer is (``mouse_film``,
what panda3d's mouse watcher would say); the clicks are real panda3d events sent through its
messenger ("mouse1", "mouse3", "wheel_down"), and the highlight is looked for on the rendered pixels.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("panda3d")

from game.actions import CLICK, hover, pick  # noqa: E402
from game.core.snapshot import Frame  # noqa: E402
from game.menu import CLOSE_DELAY_S, PauseMenu, TitleMenu  # noqa: E402
from game.play.screens.checkin import CheckinScreen  # noqa: E402
from game.play.screens.menus import TitleScreen  # noqa: E402
from game.views import theme as palette  # noqa: E402
from game.views.p3d_menus import DESIGN_H  # noqa: E402
from tests.game.views.test_panda3d_view import SNAP, make_view  # noqa: E402


@pytest.fixture(scope="module")
def view():
    v = make_view()
    yield v
    v.close()


class Mouse:
    """Where the pointer is, in film coordinates: what the mouse watcher of a real window would report."""

    def __init__(self, view) -> None:
        self.view, self.film = view, None
        view.mouse_film = lambda: self.film

    def area(self, name: str, index: int) -> tuple[float, float, float, float]:
        found = [area for area, n, i in self.view.menu_items if (n, i) == (name, index)]
        assert len(found) == 1, [(n, i) for _, n, i in self.view.menu_items]
        return found[0]

    def to(self, name: str, index: int) -> list[str]:
        x, y, w, h = self.area(name, index)
        self.film = ((x + w / 2) / self.view.hud.width * 2 - 1, 1 - (y + h / 2) / DESIGN_H * 2)
        return self.view.poll()[0]

    def click(self, button: int = 1) -> list[str]:
        self.view.base.messenger.send(f"mouse{button}")
        self.view.base.messenger.send(f"mouse{button}-up")
        return self.view.poll()[0]


def _framed(view, image: np.ndarray, area, colour) -> int:
    """Pixels of ``colour`` along an item's left edge (where its selection frame's side is drawn)."""
    sx, sy = image.shape[1] / view.hud.width, image.shape[0] / DESIGN_H
    x, y, _, h = area
    patch = image[int((y + h / 3) * sy):int((y + 2 * h / 3) * sy), int(x * sx):int((x + 24) * sx)].astype(int)
    return int((np.abs(patch - colour).sum(axis=2) < 60).sum())


def _highlighted(view, name: str, colour) -> list[int]:
    view.present()
    image = view.pixels()
    return [i for area, n, i in view.menu_items if n == name and _framed(view, image, area, colour) > 0]


def test_the_3d_title_follows_the_pointer_and_a_click_plays_the_game(view):
    mouse = Mouse(view)
    view.poll()
    screen = TitleScreen(TitleMenu(["kid-01", "kid-02"], [(f"g{i}", f"Game {i}") for i in range(4)]))
    screen.draw(view)
    assert [i for _, n, i in view.menu_items if n == "level"] == [0, 1, 2, 3]
    assert all(area[3] >= 48 for area, _, _ in view.menu_items)
    assert _highlighted(view, "level", palette.SKY) == [0]  # not focused yet: the game column's frame is blue
    actions = mouse.to("level", 2)
    assert actions == [hover("level", 2)]
    screen.handle(actions[0])
    screen.draw(view)
    assert _highlighted(view, "level", palette.YELLOW) == [2]
    assert mouse.to("level", 2) == []  # a pointer that does not move says nothing
    assert mouse.to("player", 1) == [hover("player", 1)]
    screen.handle(hover("player", 1))
    assert screen.menu.player == "kid-01"  # passing over a player changes nothing
    assert mouse.click() == [pick("player", 1)]
    screen.handle(pick("player", 1))
    assert screen.menu.player == "kid-02" and screen.choice is None
    screen.draw(view)
    assert mouse.click(3) == [CLICK]  # a right click chooses nothing
    mouse.film = (0.99, 0.99)  # the top-right corner: no item there
    assert mouse.click() == [CLICK]
    mouse.to("level", 3)
    for action in mouse.click():
        screen.handle(action)
    assert screen.choice == "start" and screen.menu.level_spec == "g3"


def test_the_3d_pause_prompt_and_its_countdown_answer_the_mouse(view):
    mouse = Mouse(view)
    view.poll()
    menu = PauseMenu(has_next=True)
    frame = Frame(SNAP, SNAP, 1.0)
    view.draw_play(frame, None)
    assert [n for _, n, _ in view.menu_items] == ["play"]  # playing: the "Space: pause" corner
    view.draw_play(frame, menu)
    for action in mouse.to("pause", 3):
        menu.handle(action)
    view.draw_play(frame, menu)
    assert menu.index == 3 and _highlighted(view, "pause", palette.SKY) == [3]
    mouse.to("pause", 1)
    for action in mouse.click():
        menu.handle(action)  # "End level": asked
    assert menu.confirm is not None and menu.confirm.index == 0
    view.draw_play(frame, menu)
    assert {n for _, n, _ in view.menu_items} == {"confirm"}
    mouse.to("confirm", 1)
    for action in mouse.click():
        menu.handle(action)
    assert menu.confirm is not None and menu.confirm.closing_s == CLOSE_DELAY_S
    view.base.messenger.send("mouse2")  # any click while counting down: stay
    for action in view.poll()[0]:
        menu.handle(action)
    assert menu.confirm is None and menu.update(CLOSE_DELAY_S * 2) is None


def test_the_3d_checkin_answers_a_click_on_a_box_and_skips_on_skip(view):
    mouse = Mouse(view)
    view.poll()
    screen = CheckinScreen(("pain_before", "effort"))
    screen.draw(view)
    for action in mouse.to("scale", 8):
        screen.handle(action)
    screen.draw(view)
    assert screen.value == 8 and _highlighted(view, "scale", palette.YELLOW) == [8]
    for action in mouse.click():
        screen.handle(action)
    screen.draw(view)
    mouse.to("skip", 0)
    for action in mouse.click():
        screen.handle(action)
    assert screen.answers == {"pain_before": 8, "effort": None} and screen.done  # Skip: as Esc


def test_the_stereo_views_name_no_item_but_a_click_still_stops_a_countdown():
    stereo = make_view(mode="vr-preview")
    try:
        mouse = Mouse(stereo)
        stereo.draw_title(TitleMenu(["kid-01"], [("g", "Game")]))
        mouse.film = (0.0, 0.0)
        assert stereo.poll()[0] == []  # the HUD hangs in the world: the pointer names nothing there
        assert mouse.click() == [CLICK]
    finally:
        stereo.close()
