"""The playing screen's corner says what is true on each screen, and a click there does what it says.

A level's frame carries ``PAUSE_CORNER`` ("Space: pause", a click pauses); an assessment's
limits-of-stability trial cannot pause, so its frame carries ``END_CORNER`` ("Esc: end the
assessment", a click asks first). The views only write the frame's words and keep where: checked on
the 2D screen's pixels (the words exactly as the font draws them, the cached bars layer repainted
when they change and only then) and on an offscreen 3D render.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

from game.actions import pick  # noqa: E402
from game.core.snapshot import PAUSE_CORNER, Frame  # noqa: E402
from game.play.screens.assess import ASSESS_CHOICES, END_CORNER  # noqa: E402
from game.views.play2d import Layout  # noqa: E402
from tests.game.views.test_pygame_view import SNAP  # noqa: E402

LOS_SNAP = dataclasses.replace(SNAP, challenge_kind="limits_of_stability", instruction="Lean to the target")


@pytest.fixture
def view2d():
    from game.views.pygame_view import PygameView

    v = PygameView(sound=False)
    yield v
    v.close()


def _corner_pixels(view, words: str) -> tuple[np.ndarray, np.ndarray]:
    """The screen where the corner's words go, and the same place with ``words`` alone drawn on the black band."""
    layout = Layout.of(view.screen.get_size())
    font = view._font(24)
    image = font.render(words, True, (200, 200, 200))
    place = image.get_rect(midright=(int(layout.band.right - 16 * layout.scale), layout.band.centery))
    expected = pygame.Surface(place.size)
    expected.fill((0, 0, 0))
    expected.blit(image, (0, 0))
    shown = pygame.surfarray.array3d(view.screen.subsurface(place))
    return shown, pygame.surfarray.array3d(expected)


def test_2d_writes_the_frames_corner_words_and_names_its_item(view2d):
    view2d.draw_play(Frame(SNAP, SNAP, 1.0))
    shown, expected = _corner_pixels(view2d, "Space: pause")
    assert np.array_equal(shown, expected)
    assert [(name, index) for _, name, index in view2d.menu_items] == [("play", 0)]
    pause_rect = view2d.menu_items[0][0]

    view2d.draw_play(Frame(LOS_SNAP, LOS_SNAP, 1.0, END_CORNER))
    shown, expected = _corner_pixels(view2d, "Esc: end the assessment")
    assert np.array_equal(shown, expected)
    (end_rect, name, index), = view2d.menu_items
    assert (name, index) == ("assess", ASSESS_CHOICES.index("end"))
    assert end_rect.right == pause_rect.right and end_rect.width > pause_rect.width  # the longer words, all of them
    assert end_rect.height >= 48
    left_of_pause = view2d.screen.subsurface(pygame.Rect(end_rect.left, end_rect.top,
                                                         pause_rect.left - end_rect.left, end_rect.height))
    assert (pygame.surfarray.array3d(left_of_pause).sum(axis=2) > 300).any()  # words where "Space: pause" had none
    view2d.screenshot("/tmp/hint-2d-assessment.png")


def test_2d_repaints_its_cached_bars_when_the_corner_changes_and_only_then(view2d):
    level, trial = Frame(SNAP, SNAP, 1.0), Frame(LOS_SNAP, LOS_SNAP, 1.0, END_CORNER)
    los_level = Frame(LOS_SNAP, LOS_SNAP, 1.0)  # a level's own limits-of-stability challenge pauses as any level
    painter = view2d.painter
    view2d.draw_play(level)
    view2d.draw_play(level)
    first = painter.full_redraws
    view2d.draw_play(level)
    assert painter.full_redraws == first  # unchanged: only what moved is put back
    for frame, words in ((trial, "Esc: end the assessment"), (los_level, "Space: pause"),
                         (trial, "Esc: end the assessment")):
        before = painter.full_redraws
        view2d.draw_play(frame)
        shown, expected = _corner_pixels(view2d, words)
        assert np.array_equal(shown, expected), words  # never the last screen's words left in the cached layer
        assert painter.full_redraws == before + 1
        view2d.draw_play(frame)
        assert painter.full_redraws == before + 1


def test_2d_keeps_the_instruction_clear_of_a_longer_corner(view2d):
    long_words = dataclasses.replace(LOS_SNAP, instruction="Lean as far as you can towards the target and hold it")
    view2d.draw_play(Frame(long_words, long_words, 1.0, END_CORNER))
    shown, expected = _corner_pixels(view2d, "Esc: end the assessment")
    assert np.array_equal(shown, expected)  # nothing of the instruction over the corner's words


def test_a_frame_is_a_levels_pause_corner_unless_the_screen_says_otherwise():
    assert Frame(SNAP, SNAP, 1.0).corner == PAUSE_CORNER
    assert (PAUSE_CORNER.label, PAUSE_CORNER.list, PAUSE_CORNER.index) == ("Space: pause", "play", 0)
    assert END_CORNER.label == "Esc: end the assessment"


# -- 3D (offscreen) ------------------------------------------------------------------------------------------


def _grey_columns(image: np.ndarray, view, left: float, right: float) -> int:
    """Pixels of the corner's grey words in the bottom-right band between two design x positions."""
    sx, sy = image.shape[1] / view.hud.width, image.shape[0] / 720.0
    patch = image[int((720 - 40) * sy):int((720 - 6) * sy), int(left * sx):int(right * sx)].astype(int)
    return int((np.abs(patch - (200, 200, 200)).sum(axis=2) < 45).sum())


def test_3d_writes_the_frames_corner_words_and_a_click_there_names_its_item():
    pytest.importorskip("panda3d")
    from tests.game.views.test_panda3d_mouse import Mouse
    from tests.game.views.test_panda3d_view import make_view

    view = make_view()
    try:
        mouse = Mouse(view)
        view.poll()
        view.draw_play(Frame(SNAP, SNAP, 1.0))
        view.present()
        paused_image = view.pixels()
        assert view.hud._labels["hint"].node().getText() == "Space: pause"
        (pause_area, name, index), = view.menu_items
        assert (name, index) == ("play", 0)

        view.draw_play(Frame(LOS_SNAP, LOS_SNAP, 1.0, END_CORNER))
        view.present()
        image = view.pixels()
        view.screenshot("/tmp/hint-3d-assessment.png")
        assert view.hud._labels["hint"].node().getText() == "Esc: end the assessment"
        (end_area, name, index), = view.menu_items
        end = ASSESS_CHOICES.index("end")
        assert (name, index) == ("assess", end) and end_area[2] > pause_area[2] and end_area[3] >= 48
        beyond = (end_area[0] + 24, pause_area[0])  # left of where "Space: pause" begins
        assert _grey_columns(image, view, *beyond) > 40  # the longer words are there
        assert _grey_columns(paused_image, view, *beyond) == 0  # and were not in a level
        mouse.to("assess", end)
        assert mouse.click() == [pick("assess", end)]

        view.draw_play(Frame(SNAP, SNAP, 1.0))  # back in a level: its own words again
        assert view.hud._labels["hint"].node().getText() == "Space: pause"
        assert [(n, i) for _, n, i in view.menu_items] == [("play", 0)]
    finally:
        view.close()
