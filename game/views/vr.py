"""``--view vr``: the 3D scene in an OpenXR headset (panda3d-openxr, the optional ``vr`` extra).

Comfort rules (balance players are prone to motion sickness): the cameras follow the
headset's own pose and nothing else, so every view change is one the head made; the
world never moves, turns or tilts under the player except the board they control; the
horizon stays level because re-centring (R) only turns about the vertical axis and
slides along the floor, never pitches or rolls. Without the extra, a runtime or a
headset, opening says so in one line and offers ``--view 3d``.

This module builds on ``Panda3dView``; ``panda3d_view`` never imports it back (the view
factory, game/views/factory.py, chooses between them).
"""

from __future__ import annotations

import logging
import math
import os
from typing import TYPE_CHECKING

from game.views.p3d_app import ViewUnavailableError

if TYPE_CHECKING:
    from game.views.panda3d_view import Panda3dView

NO_EXTRA = ("VR needs the 'vr' extra (pip install 'proprio[vr]') and an OpenXR runtime; "
            "without a headset use --view 3d (or --view vr-preview)")
NO_RUNTIME = ("no OpenXR runtime found (is the headset's runtime, e.g. SteamVR or Monado, installed and running?); "
              "use --view 3d, or --view vr-preview to see the VR scene in a window")
NO_OPENGL = "the OpenXR runtime offers no OpenGL support (XR_KHR_opengl_enable); use --view 3d"
NO_HEADSET = "the OpenXR runtime found no headset ({reason}); connect one, or use --view 3d"

_XR_LOGGERS = ("p3dopenxr", "instance", "system", "session", "swapchain", "space", "actionset", "layer")


class VrUnavailableError(ViewUnavailableError):
    """No VR here: the extra, the OpenXR runtime or the headset is missing."""


def check_openxr() -> None:
    """Raise ``VrUnavailableError`` (one line, offering --view 3d) unless an OpenXR runtime with OpenGL is present."""
    os.environ.setdefault("XR_LOADER_DEBUG", "none")  # the loader's own stderr lines would break "one line"
    try:
        import xr  # type: ignore[import-not-found,unused-ignore]  # the optional 'vr' extra
    except (ImportError, OSError):
        raise VrUnavailableError(NO_EXTRA) from None
    try:
        extensions = xr.enumerate_instance_extension_properties()
    except Exception:  # xr.exception.RuntimeUnavailableError and kin: no runtime to ask
        raise VrUnavailableError(NO_RUNTIME) from None
    names = {getattr(e, "extension_name", e) for e in extensions}
    names = {n.decode() if isinstance(n, bytes) else n for n in names}
    if xr.KHR_OPENGL_ENABLE_EXTENSION_NAME not in names:
        raise VrUnavailableError(NO_OPENGL)


def recentre_transform(head_x: float, head_y: float, head_heading_deg: float) -> tuple[float, float, float]:
    """The tracking-space offset (x, y, heading) that puts the head over the origin, facing +y.

    Only a turn about the vertical axis and a slide along the floor: pitch and roll stay
    zero, so the horizon stays level whatever the head is doing when R is pressed.
    """
    h = math.radians(-head_heading_deg)
    rx = head_x * math.cos(h) - head_y * math.sin(h)
    ry = head_x * math.sin(h) + head_y * math.cos(h)
    return (-rx, -ry, -head_heading_deg)


class VrSession:
    """panda3d-openxr driving the view's world: stereo cameras posed by the headset only."""

    def __init__(self, view: Panda3dView) -> None:
        root = logging.getLogger()
        saved = (root.level, list(root.handlers))
        try:
            # its import calls logging.basicConfig(DEBUG); the optional 'vr' extra ships no type information
            from p3dopenxr.p3dopenxr import P3DOpenXR  # type: ignore[import-not-found,unused-ignore]
        finally:
            root.setLevel(saved[0])
            root.handlers[:] = saved[1]
        for name in _XR_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        self.view = view
        self.xr = P3DOpenXR(base=view.base)
        try:
            self.xr.init(near=0.05, far=100.0, root=view.world)
        except Exception as exc:  # xr.exception.FormFactorUnavailableError when no headset is plugged in
            reason = str(exc).splitlines()[0][:80] if str(exc) else ""
            raise VrUnavailableError(NO_HEADSET.format(reason=reason or type(exc).__name__)) from None
        for name in _XR_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)

    def recentre(self) -> None:
        """Put the player's current head position and facing at the design's standing spot (R)."""
        cams = getattr(self.xr, "cams", [])
        anchor = getattr(self.xr, "tracking_space_anchor", None)
        if not cams or anchor is None:
            return
        anchor.setPosHpr(0, 0, 0, 0, 0, 0)  # measure the head in raw tracking space
        mid = (cams[0].getPos() + cams[-1].getPos()) * 0.5
        x, y, heading = recentre_transform(mid.x, mid.y, cams[0].getH())
        anchor.setPosHpr(x, y, 0.0, heading, 0.0, 0.0)


def open_vr_view(*, sound: bool, fullscreen: bool = False) -> Panda3dView:
    """A ``Panda3dView`` rendering into the headset, or ``VrUnavailableError`` in one line."""
    check_openxr()
    from game.views.panda3d_view import Panda3dView  # late: panda3d loads only once OpenXR is there

    view = Panda3dView(offscreen=False, fullscreen=fullscreen, sound=sound, mode="vr")
    try:
        session = VrSession(view)
    except VrUnavailableError:
        view.close()
        raise
    view.vr = session
    view.on_recentre(session.recentre)
    return view
