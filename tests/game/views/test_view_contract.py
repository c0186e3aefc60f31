"""The ``View`` contract is real: both views satisfy it, draw a calibration, report a pointer; walls hold.

Real parts: a ``PygameView`` on SDL's dummy driver and an offscreen ``Panda3dView`` (skipped,
with the reason, where no offscreen OpenGL buffer can be made). The walls are read from
the source with ``ast``: ``game/input`` imports no window library, ``panda3d_view`` does
not import ``vr``, and the factory hands both views out as ``View`` (so mypy checks them).
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pygame
import pytest

from game.calibration_flow import LOS_ORDER, CalibrationPicture
from game.errors import InputSpecError
from game.views.base import DIRECTIONS, UI_ACTIONS, View, is_ui_action
from game.views.factory import VIEW_CHOICES, open_view
from game.views.pygame_view import screen_to_field

GAME = Path(__file__).resolve().parents[3] / "game"
MEMBERS = sorted(name for name, value in vars(View).items() if callable(value) and not name.startswith("_"))

ORANGE, SKY, YELLOW = (230, 159, 0), (86, 180, 233), (240, 228, 66)
# A step half held, leaning forward, with four limits, the zero and a device notice: every part drawn.
PICTURE = CalibrationPicture(
    header="Calibration - step 7 of 10: Lean back-right", instruction="Lean back-right as far as you safely can",
    message="Lean further toward the arrow", notice="No data from the board for 2 s", raw_unit="deg", span=20.0,
    origin=(0.0, 0.0), points=((0.0, 12.0), (9.0, 9.0), (12.0, 0.0), (8.0, -8.0)), zero=(0.5, -0.5),
    arrow_deg=315, live=(-6.0, -6.0), hold=0.5, keys="Hold still to confirm   Esc: cancel",
)


@pytest.fixture(scope="module")
def pygame_view():
    view = open_view("2d", headless=True, sound=False)
    yield view
    view.close()


@pytest.fixture(scope="module")
def panda_view():
    pytest.importorskip("panda3d")
    from game.views.p3d_app import ViewUnavailableError

    try:
        view = open_view("3d", headless=True, sound=False)
    except ViewUnavailableError as exc:
        pytest.skip(f"this machine cannot make an offscreen OpenGL buffer: {exc.message}")
    yield view
    view.close()


@pytest.fixture(params=["2d", "3d"])
def any_view(request):
    return request.getfixturevalue("pygame_view" if request.param == "2d" else "panda_view")


# -- the contract ---------------------------------------------------------------------------
def test_the_protocol_declares_the_pointer_and_the_calibration_drawing():
    assert {"poll", "pointer", "draw_play", "draw_title", "draw_results", "draw_message", "draw_calibration",
            "present", "screenshot", "play_sounds", "close"} == set(MEMBERS)


@pytest.mark.parametrize("member", MEMBERS)
def test_each_view_has_every_member_with_the_protocols_parameters(any_view, member):
    wanted = inspect.signature(getattr(View, member))
    got = inspect.signature(getattr(type(any_view), member))
    shape = [(p.name, p.kind, p.default is inspect.Parameter.empty) for p in wanted.parameters.values()]
    assert [(p.name, p.kind, p.default is inspect.Parameter.empty) for p in got.parameters.values()] == shape
    assert got.return_annotation == wanted.return_annotation  # same words: see the factory's typed assignment


def test_the_factory_hands_out_both_views_typed_as_view_so_mypy_checks_them():
    tree = ast.parse((GAME / "views" / "factory.py").read_text())
    typed = {node.value.func.id for node in ast.walk(tree)
             if isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Name)
             and node.annotation.id == "View" and isinstance(node.value, ast.Call)
             and isinstance(node.value.func, ast.Name)}
    assert typed == {"PygameView", "Panda3dView"}


def test_poll_reports_game_names_only(any_view):
    actions, held = any_view.poll()
    assert all(is_ui_action(a) for a in actions)
    assert held <= set(DIRECTIONS)
    assert is_ui_action("text:k") and is_ui_action("recentre") and "quit" in UI_ACTIONS
    assert not is_ui_action("text:") and not is_ui_action("K_SPACE")


def test_unknown_view_kinds_name_the_choices():
    with pytest.raises(InputSpecError) as info:
        open_view("4d", headless=True)
    assert all(kind in str(info.value) for kind in VIEW_CHOICES)


# -- calibration drawing ----------------------------------------------------------------------
def test_the_2d_view_draws_the_calibration_picture(pygame_view):
    screen = pygame_view.screen
    screen.fill((0, 0, 0))
    blank = pygame.surfarray.array3d(screen).copy()
    pygame_view.draw_calibration(PICTURE)
    image = pygame.surfarray.array3d(screen)  # indexed [x, y]
    assert (image != blank).any(axis=2).mean() > 0.5  # the backdrop and the picture, not a few stray pixels
    w, h = screen.get_size()
    cx, cy, radius = w / 2, h * 0.55, min(w * 0.3, h * 0.32)

    def px(point: tuple[float, float]) -> tuple[int, int]:
        dx, dy = PICTURE.placed(point)
        return int(cx + dx * radius), int(cy - dy * radius)

    def colour_at(point: tuple[int, int]) -> tuple[int, int, int]:
        return tuple(int(c) for c in image[point[0], point[1]])

    assert colour_at(px((9.0, 9.0))) == SKY  # a recorded limit
    assert colour_at(px(PICTURE.live)) == YELLOW  # the live reading
    tip = (int(cx + np.cos(np.radians(315)) * radius * 0.95), int(cy - np.sin(np.radians(315)) * radius * 0.95))
    assert colour_at(tip) == ORANGE  # the arrow points back-right
    assert colour_at(px((-9.0, 9.0))) != SKY  # no limit where none was recorded


def test_the_3d_view_draws_the_calibration_picture_on_its_hud(panda_view):
    panda_view.draw_message("", [])
    panda_view.present()
    blank = panda_view.pixels()
    panda_view.draw_calibration(PICTURE)
    panda_view.present()
    image = panda_view.pixels()
    assert (image != blank).any(axis=2).mean() > 0.05
    h, w = image.shape[:2]

    def near(point: tuple[float, float], colour: tuple[int, int, int], radius: int = 3) -> bool:
        x, y = int(point[0]), int(point[1])
        patch = image[y - radius:y + radius + 1, x - radius:x + radius + 1].astype(int)
        return bool((np.abs(patch - colour).sum(axis=2) < 60).any())

    # the HUD's design space is 720 units high: at 1280x720 a design unit is a pixel
    cx, cy, radius = w / 2, h * 0.55, min(w * 0.3, h * 0.3)

    def at(point: tuple[float, float]) -> tuple[float, float]:
        dx, dy = PICTURE.placed(point)
        return cx + dx * radius, cy - dy * radius

    assert near(at((9.0, 9.0)), SKY) and near(at((8.0, -8.0)), SKY)  # recorded limits (forward is under the notice)
    assert near(at(PICTURE.live), YELLOW)  # the live reading
    assert not near(at((-9.0, 9.0)), SKY)
    header = image[int(h * 0.04):int(h * 0.12), :]
    assert (np.abs(header.astype(int) - YELLOW).sum(axis=2) < 60).sum() > 200  # the yellow step header


def test_the_calibration_draws_a_closed_outline_once_all_limits_are_in(pygame_view):
    import dataclasses

    reach = 10.0
    points = tuple((reach * np.cos(np.radians(d)), reach * np.sin(np.radians(d))) for d in LOS_ORDER)
    pygame_view.draw_calibration(dataclasses.replace(PICTURE, points=points, live=None, arrow_deg=None))
    screen = pygame_view.screen
    w, h = screen.get_size()
    cx, cy, radius = w / 2, h * 0.55, min(w * 0.3, h * 0.32)
    # the middle of the last join (back-left, 135 deg, to forward, 90 deg) is only drawn when the loop closes
    mid = PICTURE.placed(tuple((a + b) / 2 for a, b in zip(points[-1], points[0], strict=True)))
    x, y = int(cx + mid[0] * radius), int(cy - mid[1] * radius)
    assert any(tuple(screen.get_at((x + dx, y + dy)))[:3] == SKY for dx in (-1, 0, 1) for dy in (-1, 0, 1))


# -- the pointer ------------------------------------------------------------------------------
def test_nothing_held_is_no_pointer(any_view):
    any_view.present()
    assert any_view.pointer() is None


def test_2d_screen_pixels_map_to_field_units_forward_up(pygame_view):
    field = (640.0, 388.8, 266.4)  # centre x, centre y, radius in pixels
    assert screen_to_field((640.0, 388.8), field) == (0.0, 0.0)
    assert screen_to_field((640.0 + 266.4, 388.8), field) == pytest.approx((1.0, 0.0))
    assert screen_to_field((640.0, 388.8 - 133.2), field) == pytest.approx((0.0, 0.5))
    # and the view's own field: where it draws (0.5, -0.3) is where a pointer there reads (0.5, -0.3)
    pixel = pygame_view._to_px(0.5, -0.3)
    assert screen_to_field(pixel, pygame_view._field()) == pytest.approx((0.5, -0.3), abs=0.01)


@pytest.mark.parametrize("control", [(0.0, 0.0), (0.6, -0.4)])
def test_3d_pixels_map_back_to_the_field_point_drawn_there(panda_view, control):
    from game.core.snapshot import Frame
    from game.views.p3d_scene import sample_snapshot

    snap = sample_snapshot("garden", control=control)
    panda_view.draw_play(Frame(snap, snap, 1.0))  # the board tilts with the control
    panda_view.present()
    for point in ((0.0, 0.0), (0.5, -0.3), (-0.8, 0.6)):
        pixel = panda_view.screen_point(*point)
        assert panda_view.field_point(*pixel) == pytest.approx(point, abs=0.02)
    top = panda_view.field_point(640, 2)
    assert top is not None and top[1] > 1.5  # the top of the window looks forward, past the board


# -- walls ------------------------------------------------------------------------------------
def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_game_input_imports_no_window_library():
    files = sorted((GAME / "input").rglob("*.py"))
    assert len(files) > 5
    for path in files:
        bad = {n for n in _imports(path) if n.split(".")[0] in ("pygame", "panda3d", "direct")}
        assert not bad, f"{path.relative_to(GAME.parent)} imports {sorted(bad)}"


def test_panda3d_view_does_not_import_vr_but_vr_builds_on_it():
    assert not {n for n in _imports(GAME / "views" / "panda3d_view.py") if n.startswith("game.views.vr")}
    assert "game.views.panda3d_view.Panda3dView" in _imports(GAME / "views" / "vr.py")
