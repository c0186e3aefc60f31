"""VR: the preview's stereo pair (pixels), the one-line answers without a runtime, re-centring maths."""

from __future__ import annotations

import dataclasses
import math
import sys

import pytest

pytest.importorskip("panda3d")

from game.views.factory import open_view  # noqa: E402
from game.views.p3d_app import ViewUnavailableError  # noqa: E402
from game.views.p3d_scene import MARKER_RADIUS  # noqa: E402
from game.views.vr import NO_EXTRA, NO_RUNTIME, VrUnavailableError, check_openxr, recentre_transform  # noqa: E402
from tests.cli import run_cli

from .test_panda3d_view import SNAP, marker_like, near, render, yellow  # noqa: E402


@pytest.fixture
def preview():
    from game.views.panda3d_view import Panda3dView

    try:
        view = Panda3dView(offscreen=True, sound=False, mode="vr-preview")
    except ViewUnavailableError as exc:
        pytest.skip(f"this machine cannot make an offscreen OpenGL buffer: {exc.message}")
    yield view
    view.close()


def test_vr_preview_renders_the_stereo_pair_side_by_side(preview):
    image = render(preview, dataclasses.replace(SNAP, marker=(0.0, 0.0)))
    left = preview.screen_point(0.0, 0.0, MARKER_RADIUS, eye=0)
    right = preview.screen_point(0.0, 0.0, MARKER_RADIUS, eye=1)
    assert left[0] < 640 <= right[0]
    assert near(image, left, marker_like) and near(image, right, marker_like)
    disparity = (right[0] - 640) - left[0]
    assert disparity < 0  # the right eye sees a near object further left: a real stereo pair
    # the world-locked HUD panel (score in yellow) shows in both eyes
    assert sum(yellow(*p) for p in image[:300, :640].reshape(-1, 3)) > 40
    assert sum(yellow(*p) for p in image[:300, 640:].reshape(-1, 3)) > 40
    assert image[:150].mean(axis=(0, 1))[2] > 150  # a sky above a level horizon: the head looks ahead, not down


def test_recentre_turns_and_slides_only_so_the_horizon_stays_level():
    x, y, heading = recentre_transform(0.5, -0.2, 30.0)
    h = math.radians(heading)
    # the head, seen through the new tracking offset, stands at the origin facing +y
    hx = 0.5 * math.cos(h) - (-0.2) * math.sin(h) + x
    hy = 0.5 * math.sin(h) + (-0.2) * math.cos(h) + y
    assert hx == pytest.approx(0.0, abs=1e-12) and hy == pytest.approx(0.0, abs=1e-12)
    assert heading == pytest.approx(-30.0)
    assert recentre_transform(0.0, 0.0, 0.0) == (0.0, 0.0, 0.0)


def test_vr_without_the_extra_says_so_in_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "xr", None)  # as if panda3d-openxr / pyopenxr were not installed
    with pytest.raises(VrUnavailableError) as info:
        check_openxr()
    assert str(info.value) == NO_EXTRA and "\n" not in str(info.value) and "--view 3d" in str(info.value)


def test_vr_without_a_runtime_says_so_in_one_line(monkeypatch, capsys, tmp_path):
    pytest.importorskip("xr", reason="the optional 'vr' extra (pyopenxr) is not installed")
    monkeypatch.setenv("XR_RUNTIME_JSON", str(tmp_path / "no-runtime.json"))  # no runtime, whatever the machine has
    monkeypatch.setenv("XR_LOADER_DEBUG", "none")
    with pytest.raises(VrUnavailableError) as info:
        check_openxr()
    assert str(info.value) == NO_RUNTIME
    code, out, err = run_cli(["play", "--view", "vr", "--input", "sim", "--db", str(tmp_path / "p.db")], capsys)
    assert code == 1
    assert err.strip().splitlines() == [f"Error: {NO_RUNTIME}"]
    assert "Traceback" not in out + err


def test_vr_cannot_run_headless_and_points_to_the_preview():
    with pytest.raises(VrUnavailableError, match="vr-preview --headless"):
        open_view("vr", headless=True)


def test_unknown_view_lists_the_3d_and_vr_choices(capsys, tmp_path):
    code, out, err = run_cli(["play", "--view", "4d", "--headless", "--db", str(tmp_path / "p.db")], capsys)
    assert code == 1
    assert "3d" in err and "vr-preview" in err and "Traceback" not in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a display-less session is only arranged on Linux")
def test_3d_window_without_a_display_is_a_clear_error_and_offscreen_still_works(monkeypatch):
    import builtins

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(ViewUnavailableError, match="--headless"):
        open_view("3d", headless=False, sound=False)
    assert not hasattr(builtins, "base")
    from game.views.panda3d_view import Panda3dView

    try:
        view = Panda3dView(offscreen=True, sound=False)
    except ViewUnavailableError as exc:
        pytest.skip(f"this machine cannot make an offscreen OpenGL buffer: {exc.message}")
    try:
        view.present()
        assert view.pixels().shape == (720, 1280, 3)
    finally:
        view.close()
