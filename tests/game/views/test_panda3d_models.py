"""The 3D view draws each level's pictures as those things, animated, and builds each model only once.

Checked on pixels of offscreen panda3d renders at the points the view's own camera projects,
and on the scene graph (instances share one model). Skips (with the reason) where no offscreen
OpenGL buffer can be made.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

pytest.importorskip("panda3d")

from game.core.art import THEME_ART, ArtView  # noqa: E402
from game.core.snapshot import Frame, ItemView, Snapshot, TargetView  # noqa: E402
from game.level.model import BACKDROPS, SPRITES  # noqa: E402
from game.views.p3d_app import ViewUnavailableError, WindowWatch  # noqa: E402
from game.views.p3d_models import SPECS, ModelLibrary  # noqa: E402
from game.views.p3d_models_scenes import BOARDS  # noqa: E402
from game.views.p3d_scene import MARKER_RADIUS, push_of, sample_snapshot  # noqa: E402


@pytest.fixture(scope="module")
def view():
    from game.views.panda3d_view import Panda3dView

    try:
        v = Panda3dView(offscreen=True, sound=False)
    except ViewUnavailableError as exc:
        pytest.skip(f"this machine cannot make an offscreen OpenGL buffer: {exc.message}")
    yield v
    v.close()


def art(player: str = "ladybird", backdrop: str = "garden", **roles: str) -> ArtView:
    return dataclasses.replace(THEME_ART["garden"], player=player, backdrop=backdrop, **roles)  # type: ignore[arg-type]


BARE = dataclasses.replace(sample_snapshot("garden"), targets=(), items=(), path=(), walls=(), marker=(0.0, 0.0),
                           control=(0.0, 0.0), progress=0.0, last_outcome=None, phase="trial")


def render(view, snap: Snapshot, prev: Snapshot | None = None) -> np.ndarray:
    view.draw_play(Frame(prev or snap, snap, 1.0))
    view.present()
    return view.pixels()


def patch(image: np.ndarray, point, radius: int = 14) -> np.ndarray:
    x, y = point
    return image[max(0, y - radius):y + radius + 1, max(0, x - radius):x + radius + 1].astype(int)


def saturated(pixels: np.ndarray) -> np.ndarray:
    return (pixels.max(axis=-1) - pixels.min(axis=-1)) > 70


def test_every_sprite_and_backdrop_has_a_model_built_once():
    library = ModelLibrary()
    library.build_all()
    assert library.builds == len(SPRITES) == len(SPECS)
    assert set(BOARDS) == set(BACKDROPS)
    from panda3d.core import NodePath

    parent = NodePath("parent")
    for name in SPRITES:
        model = library.model(name)
        low, high = model.getTightBounds()
        size = high - low
        assert 0.3 < max(size.x, size.y, size.z) < 3.2, name  # about one unit in radius
        for _ in range(3):
            library.instance(name, parent)
    assert library.builds == len(SPRITES)  # instances share the model: nothing built again
    assert library.model("no-such-sprite") is library.model("dot")  # a newer file's name: the dot, no crash


def test_each_sprite_is_drawn_at_the_marker(view):
    empty = render(view, dataclasses.replace(BARE, marker=(5.0, 5.0)))  # the marker off the board
    for name in SPRITES:
        if name == "clock_hand":
            continue  # drawn from the middle to the marker: its own test
        snap = dataclasses.replace(BARE, art=art(name), marker=(0.3, -0.2))
        image = render(view, snap)
        look = SPECS[name]
        size = MARKER_RADIUS * (2.2 if look.pose == "flat" else 1.45) * look.size
        z = look.hover * size if look.pose == "hover" else size * 0.5
        point = view.screen_point(0.3, -0.2, z)
        changed = np.abs(patch(image, point) - patch(empty, point)).sum(axis=-1) > 60
        assert changed.mean() > 0.12, f"{name} is not drawn where the marker is ({changed.mean():.2f})"


def test_a_moon_rock_is_a_grey_rock_and_a_rocket_is_not(view):
    rock = render(view, dataclasses.replace(BARE, art=art("moon_rock", "moon"), marker=(0.0, -0.3)))
    rocket = render(view, dataclasses.replace(BARE, art=art("rocket", "moon"), marker=(0.0, -0.3)))
    point = view.screen_point(0.0, -0.3, 0.06)
    rock_px, rocket_px = patch(rock, point, 10), patch(rocket, point, 10)
    grey = (np.abs(rock_px - rock_px.mean(axis=-1, keepdims=True)).max(axis=-1) < 22) & (rock_px.mean(axis=-1) > 90)
    assert grey.mean() > 0.3  # a pale grey stone
    assert saturated(rock_px).mean() < 0.02  # and nothing coloured: no fins, no flame
    assert saturated(rocket_px).mean() > 0.1  # the rocket's red fins, nose and flame


def test_the_clock_hand_points_from_the_middle_to_the_marker(view):
    snap = dataclasses.replace(BARE, art=art("clock_hand", "clock"), marker=(0.6, 0.0))
    image = render(view, snap)
    point = view.screen_point(0.3, 0.0, 0.03)
    white = lambda px: int((px.min(axis=-1) > 170).sum())  # noqa: E731
    assert white(patch(image, point, 4)) >= 5  # the white hand lies along 3 o'clock
    other = render(view, dataclasses.replace(snap, marker=(0.0, 0.6)))
    assert white(patch(other, point, 4)) == 0  # and turns to 12 o'clock with the marker
    assert white(patch(other, view.screen_point(0.0, 0.3, 0.03), 4)) >= 5


def test_targets_and_items_show_the_level_pictures(view):
    snap = dataclasses.replace(
        BARE, art=art(target="lily_pad", collect="star", avoid="jellyfish"), marker=(0.0, -0.8),
        targets=(TargetView(-0.4, 0.3, 0.25, "zone", False),),
        items=(ItemView(0.5, 0.0, 0.08, "collect"), ItemView(0.5, 0.5, 0.08, "avoid")))
    image = render(view, snap)
    lily = patch(image, view.screen_point(-0.4, 0.3), 6)
    assert ((lily[..., 1] > lily[..., 0] + 30) & (lily[..., 1] > 110)).mean() > 0.5  # a green pad
    star = patch(image, view.screen_point(0.5, 0.0, 0.08 * 1.2 * 1.4 * 0.8), 8)
    assert ((star[..., 0] > 180) & (star[..., 1] > 170) & (star[..., 2] < 120)).mean() > 0.1  # a yellow star
    jelly = patch(image, view.screen_point(0.5, 0.5, 0.08 * 1.2 * 1.5 * 0.8), 8)
    assert ((jelly[..., 0] > 150) & (jelly[..., 2] > 100) & (jelly[..., 1] < jelly[..., 0] - 30)).mean() > 0.1  # pink
    # what to dodge also stands in a dashed vermillion ring: not told by colour alone
    ring = [view.screen_point(0.5 + 0.1 * np.cos(a), 0.5 + 0.1 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 32)]
    assert sum(bool(((patch(image, p, 1)[..., 0] > 160) & (patch(image, p, 1)[..., 2] < 60)).any()) for p in ring) >= 6


def test_models_animate_with_snapshot_time_and_are_built_once(view):
    snap = dataclasses.replace(BARE, art=art("butterfly", target="bee"), marker=(0.2, -0.3))
    render(view, snap)
    builds = view.scene.library.builds
    nodes = view.scene.root.countNumDescendants()
    first = render(view, dataclasses.replace(snap, t_s=10.0))
    again = render(view, dataclasses.replace(snap, t_s=10.0))
    later = render(view, dataclasses.replace(snap, t_s=10.3))
    point = view.screen_point(0.2, -0.3, MARKER_RADIUS * 1.45 * 1.1 * 1.8)
    assert np.array_equal(patch(first, point), patch(again, point))  # the same moment looks the same
    assert (np.abs(patch(first, point) - patch(later, point)).sum(axis=-1) > 60).mean() > 0.03  # wings flap
    for i in range(60):
        render(view, dataclasses.replace(snap, t_s=10.0 + i / 60)) if i % 20 == 0 else \
            view.scene.update(Frame(snap, dataclasses.replace(snap, t_s=10.0 + i / 60), 1.0))
    assert view.scene.library.builds == builds  # no model built per frame
    assert view.scene.root.countNumDescendants() == nodes  # and no node added per frame


def test_a_success_bursts_and_a_miss_nods_gently(view):
    trial = dataclasses.replace(BARE, art=art("ladybird"), marker=(0.0, -0.2), t_s=20.0, trial=3)
    calm = render(view, trial)
    success = dataclasses.replace(trial, phase="feedback", last_outcome="success", t_s=20.2)
    view.scene.update(Frame(success, success, 1.0))  # the first feedback frame starts the burst
    burst = render(view, dataclasses.replace(success, t_s=20.45))
    near_marker = [view.screen_point(0.0 + dx, -0.2 + dy, 0.1) for dx in (-0.25, 0.0, 0.25) for dy in (-0.2, 0.2)]
    sparks = sum(((patch(burst, p, 20)[..., 0] > 190) & (patch(burst, p, 20)[..., 2] < 120)).sum() for p in near_marker)
    before = sum(((patch(calm, p, 20)[..., 0] > 190) & (patch(calm, p, 20)[..., 2] < 120)).sum() for p in near_marker)
    assert sparks > before + 20  # yellow sparks around the ladybird
    gone = render(view, dataclasses.replace(success, t_s=23.0))
    after = sum(((patch(gone, p, 20)[..., 0] > 190) & (patch(gone, p, 20)[..., 2] < 120)).sum() for p in near_marker)
    assert after <= before + 5  # and over
    # the same trial's success in the next level (a new session) bursts again
    render(view, dataclasses.replace(trial, t_s=5.0))
    again = dataclasses.replace(success, t_s=5.2)
    view.scene.update(Frame(again, again, 1.0))
    replay = render(view, dataclasses.replace(again, t_s=5.45))
    assert sum(((patch(replay, p, 20)[..., 0] > 190) & (patch(replay, p, 20)[..., 2] < 120)).sum()
               for p in near_marker) > before + 20

    miss = dataclasses.replace(trial, phase="feedback", last_outcome="fail", t_s=30.0, trial=4)
    view.scene.update(Frame(miss, miss, 1.0))
    view.scene.update(Frame(miss, dataclasses.replace(miss, t_s=30.6), 1.0))
    assert view.scene.marker_body.getP() < -8  # a slow nod at mid-sigh ...
    view.scene.update(Frame(miss, dataclasses.replace(miss, t_s=32.0), 1.0))
    assert abs(view.scene.marker_body.getP()) < 1e-6  # ... and back up


def test_wind_streaks_follow_the_push(view):
    if "push" not in {f.name for f in dataclasses.fields(Snapshot)}:
        pytest.skip("Snapshot has no push field yet")
    calm = dataclasses.replace(BARE, art=art("ladybird"), marker=(0.0, -0.9))
    assert push_of(calm) == (0.0, 0.0)
    render(view, calm)
    assert view.scene.effects.streaks.isHidden()
    windy = dataclasses.replace(calm, push=(0.12, 0.0))  # type: ignore[call-arg]
    render(view, windy)
    streaks = view.scene.effects.streaks
    assert not streaks.isHidden()
    shown = [node for node, *_ in view.scene.effects.streak_nodes if not node.isHidden()]
    assert len(shown) >= 4 and all(abs(node.getH()) < 1e-6 for node in shown)  # lying along the wind (to +x)
    xs = [node.getX() for node in shown]
    render(view, dataclasses.replace(windy, t_s=windy.t_s + 0.1))
    moved = [node.getX() for node in shown if not node.isHidden()]
    assert sum(b > a for a, b in zip(xs, moved, strict=False)) >= len(moved) // 2  # drifting downwind
    assert push_of(dataclasses.replace(calm, push=(float("nan"), 1.0))) == (0.0, 0.0)  # type: ignore[call-arg]


def test_each_backdrop_has_its_own_board_and_the_clock_has_hour_marks(view):
    seen = {}
    for name in BACKDROPS:
        image = render(view, dataclasses.replace(BARE, art=art("dot", name), marker=(5.0, 5.0)))
        x, y = view.screen_point(0.25, -0.7)
        seen[name] = tuple(int(c) for c in image[y, x])
        want = np.array(BOARDS[name].top)
        assert np.abs(np.array(seen[name]) - want).max() < 45, (name, seen[name], BOARDS[name].top)
    assert len(set(seen.values())) >= 6  # the scenes differ
    # between trials: no instruction band over the board's near rim, where the 6 is
    clock = render(view, dataclasses.replace(BARE, art=art("dot", "clock"), marker=(5.0, 5.0), phase="rest"))
    six = patch(clock, view.screen_point(0.0, -1.13), 4)
    assert ((six[..., 0] > 150) & (six[..., 1] > 120) & (six[..., 2] < 140)).any()  # the gold mark at 6 o'clock


def test_an_unknown_picture_name_draws_the_dot_without_a_crash(view):
    odd = dataclasses.replace(BARE, art=ArtView("unicorn", "cloud", "castle", "gem", "troll", "volcano"))  # type: ignore[arg-type]
    image = render(view, dataclasses.replace(odd, targets=(TargetView(0.3, 0.3, 0.2, "zone", False),)))
    assert image.shape == (720, 1280, 3)


def test_window_close_and_focus_loss_become_notices():
    from panda3d.core import WindowProperties

    class FakeBase:
        win = object()

        def ignore(self, event):
            pass

        def accept(self, event, handler):
            self.handler = handler

    got: list[str] = []
    watch = WindowWatch(FakeBase(), notify=got.append)  # type: ignore[arg-type]

    def props(**kw):
        p = WindowProperties()
        for key, value in kw.items():
            getattr(p, "set" + key[0].upper() + key[1:])(value)
        return p

    assert watch.seen(props(size=(800, 600))) is None  # a resize: nothing to report
    assert watch.seen(props(foreground=False)) == "focus_lost"
    assert watch.seen(props(foreground=False)) is None  # once, not on every event while away
    assert watch.seen(props(foreground=True)) is None
    assert watch.seen(props(minimized=True)) == "focus_lost"
    assert watch.seen(props(minimized=False, foreground=True)) is None
    assert watch.seen(props(open=False)) == "quit"
    assert watch.seen(props(open=False)) is None
    assert got == ["focus_lost", "focus_lost", "quit"] and watch.take() == got and watch.take() == []


def test_the_views_window_events_reach_poll(view):
    view.poll()
    view.window.notify("focus_lost")  # what the watch does on a real window's "window-event"
    view.window.notify("quit")
    assert view.poll()[0] == ["focus_lost", "quit"]
