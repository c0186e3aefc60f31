"""The check-in drawn as six faces and big 0-10 targets in 2D and 3D, and the title's plan goal, inside their boxes."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pygame
import pytest

from game.checkin import CheckinLines, face_shape, picture, picture_of
from game.menu import TitleMenu
from game.play.screens.checkin import QUESTIONS, CheckinScreen
from game.progress import Progress, plan_goal
from game.views import pygame_menus

SIZES = [(800, 600), (1280, 720), (1920, 1080), (800, 1280)]
TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    pygame.font.init()
    yield


def _inside(painter: pygame_menus.MenuPainter, size: tuple[int, int]) -> None:
    screen = pygame.Rect(0, 0, *size)
    assert painter.placed
    for line, box, _ in painter.placed:
        assert screen.contains(line), f"{line} leaves the {size} window"
        assert line.left >= box.left - 1 and line.right <= box.right + 1, f"{line} is wider than its box {box}"
    for i, a in enumerate(painter.placed):
        for b, _, _ in painter.placed[i + 1:]:
            overlap = a[0].clip(b)
            assert overlap.width <= 2 or overlap.height <= 4, f"{a[0]} and {b} overlap at {size}"


def test_the_screen_hands_its_picture_to_the_view_with_its_lines():
    screen = CheckinScreen(("pain_after", "effort"))
    for action in ("right", "right", "right"):
        screen.handle(action)
    lines = screen.lines()
    shown = picture_of(lines)
    assert isinstance(lines, CheckinLines) and shown is not None
    assert (shown.value, shown.face, shown.words, shown.kind) == (3, 1, "hurts a tiny bit", "pain")
    assert shown.heading == "3 of 10: hurts a tiny bit" and shown.progress == "Question 1 of 2"
    assert [words for _, words in shown.faces][0] == "no hurt at all" and len(shown.faces) == 6
    assert picture_of(["a plain message"]) is None
    assert picture(QUESTIONS["effort"], 10).face == 5 and picture(QUESTIONS["effort"], 10).kind == "effort"
    assert picture(QUESTIONS["pain_before"], 5).progress == ""  # one question: no "Question 1 of 1"


def test_the_faces_go_from_a_smile_to_a_frown_and_only_the_last_pain_face_cries():
    def bend(mood: int) -> float:  # the mouth's middle below (+) or above (-) its corners
        mouth = face_shape(mood).mouth
        return mouth[len(mouth) // 2][1] - mouth[0][1]

    assert [bend(m) > 0.05 for m in range(6)] == [True, True, False, False, False, False]
    assert [bend(m) < -0.05 for m in range(6)] == [False, False, False, False, True, True]
    assert [bool(face_shape(m).tears) for m in range(6)] == [False] * 5 + [True]
    assert not face_shape(0).brows and face_shape(5).brows
    assert not face_shape(3, "effort").tears and face_shape(5, "effort").tears  # sweat, not tears


@pytest.mark.parametrize("size", SIZES)
def test_the_2d_checkin_draws_every_face_word_and_number_inside_the_window(size):
    surface = pygame.Surface(size)
    painter = pygame_menus.MenuPainter()
    screen = CheckinScreen(("pain_after", "effort"))
    for action in ("right",) * 7:
        screen.handle(action)
    painter.message(surface, QUESTIONS["pain_after"].ask, screen.lines())
    _inside(painter, size)
    written = len(painter.placed)
    assert written >= 1 + 6 + 11 + 2  # the question, six faces' words, 0-10, the value's words, the keys
    # the chosen number's target is filled yellow: find yellow pixels in the row of targets
    w, h = size
    yellow = sum(1 for x in range(0, w, 4) for y in range(int(h * 0.3), int(h * 0.9), 4)
                 if surface.get_at((x, y))[:3] == pygame_menus.palette.YELLOW)
    assert yellow > 20, "the chosen target and face frame are marked"


def _plan_menu(goal_day: date) -> TitleMenu:
    goal = plan_goal(sessions_per_week=3, minutes_per_session=15, start=TODAY - timedelta(days=2),
                     end=TODAY + timedelta(weeks=5), today=goal_day, sessions_this_week=1,
                     played=[(goal_day, "garden-balance", 4.0)], levels=("garden-balance", "still-pond"),
                     titles={"garden-balance": "Garden Balance", "still-pond": "Still Pond"})
    return TitleMenu(["kid-07"], [("g", "Garden Balance (your plan)"), ("a", "Asteroid Dodge")],
                     names={"kid-07": "Sam"}, progress={"kid-07": Progress(days_this_week=1, plan=goal)})


@pytest.mark.parametrize("size", SIZES)
def test_the_2d_title_says_the_plan_goal_in_full_without_running_into_the_columns(size):
    surface = pygame.Surface(size)
    painter = pygame_menus.MenuPainter()
    painter.title(surface, _plan_menu(TODAY))
    _inside(painter, size)
    fonts = {line.height for line, _, _ in painter.placed}
    assert min(fonts) >= 14  # nothing smaller than the smallest font the menus use


def test_the_2d_title_ticks_today_when_the_minutes_are_played():
    size = (1280, 720)
    painter = pygame_menus.MenuPainter()
    surfaces = []
    for minutes in (4.0, 15.0):
        surface = pygame.Surface(size)
        menu = _plan_menu(TODAY)
        plan = menu.progress["kid-07"].plan
        assert plan is not None
        menu.progress = {"kid-07": Progress(plan=plan_goal(
            sessions_per_week=3, minutes_per_session=15, start=plan.start, end=plan.end, today=TODAY,
            sessions_this_week=1, played=[(TODAY, "x", minutes)]))}
        painter.title(surface, menu)
        surfaces.append(surface)
    green = [sum(1 for x in range(size[0] // 2, size[0], 2) for y in range(0, 140, 2)
                 if s.get_at((x, y))[:3] == pygame_menus.palette.GREEN) for s in surfaces]
    assert green[1] > green[0] + 50, f"today's tick is drawn once the 15 minutes are played ({green})"


def test_the_3d_checkin_and_plan_title_draw_offscreen():
    pytest.importorskip("panda3d")
    from game.views.p3d_app import ViewUnavailableError
    from game.views.panda3d_view import Panda3dView

    try:
        view = Panda3dView(offscreen=True, sound=False)
    except ViewUnavailableError as exc:
        pytest.skip(f"this machine cannot make an offscreen OpenGL buffer: {exc.message}")
    try:
        screen = CheckinScreen(("pain_before",))
        screen.handle("right")
        screen.handle("right")
        screen.draw(view)
        view.present()
        image = view.pixels()
        h = image.shape[0]
        face_like = ((image[..., 0] > 230) & (image[..., 1] > 190) & (image[..., 1] < 235) & (image[..., 2] > 90)
                     & (image[..., 2] < 150))
        assert face_like[: h // 2].sum() > 2000, "the faces are drawn in the upper half"
        shown = [name for name, node in view.hud._labels.items() if not node.isHidden()]
        assert {"k.ask.0", "k.head.0", "k.hint.0"} <= set(shown) and sum(n.startswith("k.n") for n in shown) == 11
        view.draw_title(_plan_menu(TODAY))
        view.present()
        texts = {view.hud._labels[n].node().getText() for n in view.hud._labels
                 if not view.hud._labels[n].isHidden()}
        assert "1 of 3 sessions this week" in texts
        assert any(t.startswith("Today's goal: 15 minutes (4 so far)") for t in texts)
    finally:
        view.close()
