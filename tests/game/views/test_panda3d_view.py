"""The 3D view draws what it is given: checked on pixels of offscreen panda3d renders.

Every shape a Snapshot can carry (hold zone, reach target and home, path, walls, items,
the marker) is drawn from hand-built snapshots and looked for at the pixel where the view's
own camera projects it. Skips (with the reason) where no offscreen OpenGL buffer can be made.
"""

from __future__ import annotations

import builtins
import dataclasses

import numpy as np
import pytest

pytest.importorskip("panda3d")

from game.core.art import THEME_ART  # noqa: E402
from game.core.snapshot import Frame, ItemView, Snapshot, TargetView  # noqa: E402
from game.menu import PauseMenu, ResultsView, TitleMenu  # noqa: E402
from game.views.p3d_app import SHOWBASE_BUILTINS, ViewUnavailableError  # noqa: E402
from game.views.p3d_scene import BOARD_CENTRE_M, FIELD_M, MARKER_RADIUS, MAX_TILT_DEG, tilt_hpr  # noqa: E402


def make_view(**kwargs):
    from game.views.panda3d_view import Panda3dView

    try:
        return Panda3dView(offscreen=True, sound=False, **kwargs)
    except ViewUnavailableError as exc:
        pytest.skip(f"this machine cannot make an offscreen OpenGL buffer: {exc.message}")


@pytest.fixture(scope="module")
def view():
    v = make_view()
    yield v
    v.close()


SNAP = Snapshot(
    t_s=3.0, theme="garden", level_title="Garden Balance", challenge_index=0, challenge_count=1,
    challenge_kind="hold", challenge_title="Ladybird", instruction="Keep the ladybird on the leaf!", phase="trial",
    phase_left_s=9.2, control=(0.0, 0.0), marker=(0.5, -0.3),
    targets=(TargetView(-0.5, 0.2, 0.25, "zone", False),), progress=0.0, trial=2, trials=6, difficulty=0.3,
    score=250, max_score=900, stars=1, last_outcome="success", last_points=120, art=THEME_ART["garden"],
)


def render(view, snap: Snapshot, prev: Snapshot | None = None, alpha: float = 1.0, pause=None) -> np.ndarray:
    view.draw_play(Frame(prev or snap, snap, alpha), pause)
    view.present()
    return view.pixels()


def near(image: np.ndarray, point, test, radius: int = 3) -> bool:
    """True if any pixel within ``radius`` of ``point`` passes ``test(r, g, b)``."""
    x0, y0 = point
    patch = image[max(0, y0 - radius):y0 + radius + 1, max(0, x0 - radius):x0 + radius + 1].astype(int)
    return any(test(*px) for row in patch for px in row)


def marker_like(r, g, b):  # the ladybird's vermillion shell, lit
    return r > 140 and b < 90 and r > g + 50


def leaf_green(r, g, b):
    return g > 120 and g > r + 30 and g > b + 40


def yellow(r, g, b):
    return r > 190 and g > 170 and b < 130


def sky_blue(r, g, b):  # a zone's translucent sky-blue over the dark board
    return b > r + 50 and b > 120


def white(r, g, b):
    return min(r, g, b) > 185


def test_showbase_globals_are_not_left_in_builtins(view):
    for name in ("base", "render", "render2d", "aspect2d", "taskMgr", "loader", "messenger", "camera", "run"):
        assert name in SHOWBASE_BUILTINS
        assert not hasattr(builtins, name), name
    assert view.base.render is not None  # reached through the ShowBase that the view passes around


def test_an_offscreen_frame_is_really_rendered_at_1280x720(view):
    image = render(view, SNAP)
    assert image.shape == (720, 1280, 3)
    assert len({tuple(p) for p in image[::16, ::16].reshape(-1, 3)}) > 20  # a scene, not a cleared buffer


def test_hold_zone_and_marker_are_drawn_where_the_frame_says(view):
    image = render(view, SNAP)
    marker = view.screen_point(0.5, -0.3, MARKER_RADIUS)
    zone = view.screen_point(-0.5, 0.2)
    assert near(image, marker, marker_like)
    assert near(image, view.screen_point(-0.5 + 0.235, 0.2), sky_blue)  # the zone's rim
    assert near(image, zone, leaf_green)  # the leaf the ladybird should stay on
    assert not near(image, zone, marker_like, radius=6)
    assert not near(image, view.screen_point(-0.5, -0.3, MARKER_RADIUS), marker_like, radius=6)  # nothing mirrored


def test_interpolation_places_the_marker_between_steps(view):
    prev = dataclasses.replace(SNAP, marker=(-0.7, 0.0))
    curr = dataclasses.replace(SNAP, marker=(0.3, 0.0))
    image = render(view, curr, prev, alpha=0.5)
    assert near(image, view.screen_point(-0.2, 0.0, MARKER_RADIUS), marker_like)
    assert not near(image, view.screen_point(0.3, 0.0, MARKER_RADIUS), marker_like, radius=8)
    assert not near(image, view.screen_point(-0.7, 0.0, MARKER_RADIUS), marker_like, radius=8)


def test_board_tilts_with_the_control_up_to_15_degrees(view):
    assert tilt_hpr((1.0, 0.0)) == (0.0, -0.0, MAX_TILT_DEG) and MAX_TILT_DEG == 15.0
    assert tilt_hpr((0.0, 3.0)) == (0.0, -MAX_TILT_DEG, 0.0)  # clamped at |control| = 1
    edge_drop = FIELD_M * np.sin(np.radians(MAX_TILT_DEG))
    render(view, dataclasses.replace(SNAP, control=(1.0, 0.0)))
    right = view.scene.world_point(1.0, 0.0)
    assert right.z == pytest.approx(BOARD_CENTRE_M[2] - edge_drop, abs=1e-4)  # leaning right dips the right edge
    tilted_right = view.pixels()
    right_px = view.screen_point(1.1, 0.0)
    render(view, dataclasses.replace(SNAP, control=(0.0, 1.0)))
    front = view.scene.world_point(0.0, 1.0)
    assert front.z == pytest.approx(BOARD_CENTRE_M[2] - edge_drop, abs=1e-4)  # leaning forward dips the front
    render(view, dataclasses.replace(SNAP, control=(-1.0, 0.0)))
    left_px = view.screen_point(1.1, 0.0)
    assert right_px[1] > left_px[1] + 10  # on screen the right rim drops when leaning right
    assert np.abs(tilted_right.astype(int) - view.pixels().astype(int)).sum(axis=2).astype(bool).mean() > 0.05


def test_reach_target_home_and_progress_ring(view):
    reach = dataclasses.replace(
        SNAP, theme="space", phase="trial", progress=0.25, marker=(-0.6, -0.6), art=THEME_ART["space"],
        targets=(TargetView(0.0, 0.6, 0.2, "target", False), TargetView(0.0, 0.0, 0.18, "home", False)),
    )
    image = render(view, reach)
    # the target's orange rim (space theme), the ringed planet floating over it, the dashed white home ring
    orange = lambda r, g, b: r > 150 and b < 90 and r > b + 80  # noqa: E731
    assert near(image, view.screen_point(0.0, 0.6 - 0.19), orange)
    assert near(image, view.screen_point(0.0, 0.6, 0.36), orange, radius=4)
    home_ring = [view.screen_point(0.165 * np.cos(a), 0.165 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 24)]
    assert sum(near(image, p, white, radius=1) for p in home_ring) >= 6
    # the hold ring fills clockwise from 12 o'clock: a quarter covers the upper right only
    ring_r = 0.2 + 0.07
    upper_right = view.screen_point(ring_r * np.sin(np.radians(45)), 0.6 + ring_r * np.cos(np.radians(45)))
    upper_left = view.screen_point(-ring_r * np.sin(np.radians(45)), 0.6 + ring_r * np.cos(np.radians(45)))
    assert near(image, upper_right, yellow)
    assert not near(image, upper_left, yellow)


def test_inside_shows_a_check_not_only_a_colour(view):
    inside = render(view, dataclasses.replace(SNAP, targets=(TargetView(-0.5, 0.2, 0.25, "zone", True),)))
    outside = render(view, SNAP)
    check = view.screen_point(-0.5 + 0.25 * 0.75, 0.2, 0.22)  # the badge floats 0.22 LOS units up
    differs = np.abs(inside.astype(int) - outside.astype(int)).sum(axis=2) > 60
    x, y = check
    assert differs[y - 12:y + 12, x - 12:x + 12].mean() > 0.3  # the floating check badge


def test_path_walls_and_items_render_generically(view):
    shapes = dataclasses.replace(
        SNAP, targets=(), marker=(0.0, -0.8),
        path=((-0.8, 0.5), (-0.2, 0.5), (0.2, 0.1)),
        walls=((0.5, -0.6, 0.5, 0.6),), wall_thickness=0.06,
        items=(ItemView(-0.5, -0.3, 0.08, "collect"), ItemView(0.0, 0.7, 0.08, "avoid"),
               ItemView(-0.8, -0.2, 0.06, "something-new")),
        art=dataclasses.replace(SNAP.art, collect="star", avoid="crab"),
    )
    image = render(view, shapes)
    assert near(image, view.screen_point(-0.5, 0.5), white)  # the path ribbon
    wall = view.screen_point(0.5, 0.0, 0.14)
    assert near(image, wall, lambda r, g, b: g > 90 and g > r + 30 and g > b + 20)  # a hedge in the garden
    assert near(image, view.screen_point(-0.5, -0.3, 0.1), yellow)  # a star to catch
    assert near(image, view.screen_point(0.0, 0.7, 0.03), lambda r, g, b: r > 120 and b < 60 and r > g + 40)  # a crab
    assert near(image, view.screen_point(-0.8, -0.2, 0.06), lambda r, g, b: r > 140 and b > 100 and g < r - 30)
    empty = render(view, dataclasses.replace(shapes, path=(), walls=(), items=()))
    assert not near(empty, view.screen_point(-0.5, -0.3, 0.1), yellow)  # gone when the snapshot drops them


def test_hud_shows_score_and_hold_progress(view):
    low = render(view, dataclasses.replace(SNAP, progress=0.1))
    high = render(view, dataclasses.replace(SNAP, progress=0.9))
    bar_y = 118
    xs = range(100, 352, 4)
    assert sum(yellow(*high[bar_y, x]) for x in xs) > sum(yellow(*low[bar_y, x]) for x in xs) + 40
    score_zone = high[10:80, 560:720]
    assert sum(yellow(*p) for p in score_zone.reshape(-1, 3)) > 200  # "250" in yellow at the top


def test_pause_menu_darkens_the_scene(view):
    bright = render(view, SNAP).mean()
    dark = render(view, SNAP, pause=PauseMenu()).mean()
    assert dark < bright * 0.6


def test_title_results_and_message_screens_draw(view):
    view.draw_title(TitleMenu(["kid-07"], [("default", "All levels")]))
    view.present()
    title = view.pixels()
    assert sum(yellow(*p) for p in title[20:150:2, ::2].reshape(-1, 3)) > 150  # "Proprio" along the top
    view.draw_results(ResultsView(player="kid-07", level_title="Garden", score=300, max_score=900, stars=2, trials=4,
                                  successes=3, difficulty=0.4, improvements=("First time!",), next_label=None))
    view.present()
    results = view.pixels()
    star_row = results[220:260, 500:780]
    assert sum(yellow(*p) for p in star_row.reshape(-1, 3)) > 300  # two filled stars
    view.draw_message("Oops", ["a line"])
    view.present()
    assert not np.array_equal(view.pixels(), results)


def test_keys_become_ui_actions_and_r_recentres_outside_the_title(view):
    view.poll()
    send = view.base.messenger.send
    render(view, SNAP)
    for key in ("space", "escape", "enter", "arrow_up", "r"):
        send(key)
    send("keystroke", ["k"])
    send("keystroke", [" "])
    actions, held = view.poll()
    assert actions == ["pause", "back", "confirm", "up", "recentre", "text:k"]
    assert held == frozenset()  # offscreen: no keyboard to hold
    view.draw_title(TitleMenu(["kid-07"], [("default", "All levels")]))
    send("r")
    send("keystroke", ["r"])
    assert view.poll()[0] == ["text:r"]  # typing a player code, not re-centring


def test_sounds_follow_events_and_are_silent_offscreen(view):
    view.play_sounds(["trial_success", "zone_enter", "trial_success"])
    assert view.sounds.played[-2:] == ["success", "enter"]
    assert view.sounds.enabled is False


def test_screenshot_writes_the_rendered_frame(view, tmp_path):
    render(view, SNAP)
    path = tmp_path / "shots" / "3d.png"
    view.screenshot(path)
    pygame = pytest.importorskip("pygame")
    image = pygame.image.load(str(path))
    assert image.get_size() == (1280, 720)
    x, y = view.screen_point(0.5, -0.3, MARKER_RADIUS)
    assert any(marker_like(*image.get_at((x + dx, y + dy))[:3]) for dx in range(-3, 4) for dy in range(-3, 4))


def test_the_countdown_sits_beside_the_board_and_the_instruction_has_its_own_band(view):
    intro = dataclasses.replace(SNAP, phase="intro", phase_left_s=2.2, marker=(0.0, 0.0), targets=(), progress=0.0)
    image = render(view, intro)
    cx, cy = (int(v) for v in view.screen_point(0.0, 0.0, MARKER_RADIUS))
    around_marker = image[max(0, cy - 90):cy + 90, max(0, cx - 90):cx + 90].reshape(-1, 3)
    beside = image[270:450, 1055:1235].reshape(-1, 3)  # the countdown's box right of the board
    assert sum(yellow(*p) for p in beside) > 400  # a big yellow "3" and the box's yellow frame
    assert sum(yellow(*p) for p in around_marker) < 50  # nothing yellow over the marker
    band = image[610:715, 20:200]  # left of the instruction, inside its dark band
    assert band.mean() < 70


def test_under_the_pause_menu_only_its_own_keys_are_in_the_bottom_band(view):
    """The dimmed instruction and "Space: pause" used to show through under "Space: resume ..."."""
    render(view, SNAP, pause=PauseMenu())
    shown = view.hud._shown
    assert "pause.hint.0" in shown
    assert "phase" not in shown and "hint" not in shown
    render(view, SNAP)
    assert {"phase", "hint"} <= view.hud._shown


def test_the_seconds_left_sit_on_their_own_dark_tile(view):
    image = render(view, dataclasses.replace(SNAP, phase_left_s=9.2))
    tile = image[100:148, 1146:1262].reshape(-1, 3).astype(int)
    assert sum(white(*p) for p in tile) > 60  # "10 s" in white
    assert np.median(tile.sum(axis=1)) < 150  # on dark, whatever the scene has behind it
