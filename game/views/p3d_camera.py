"""Where the 3D view looks from: a fixed desktop camera and a fixed stereo head for the VR preview.

Comfort first (balance players are prone to motion sickness): no camera here ever moves
on its own. The desktop camera is placed once to frame the board; the preview's head is
the standing player's default eye position. Only the board tilts, under a still horizon.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from panda3d.core import Camera, DisplayRegion, NodePath, PerspectiveLens

from game.views.p3d_scene import BOARD_CENTRE_M

if TYPE_CHECKING:
    from direct.showbase.ShowBase import ShowBase

DESKTOP_EYE_M = (0.0, BOARD_CENTRE_M[1] - 0.98, BOARD_CENTRE_M[2] + 0.6)  # behind and above the board
DESKTOP_LOOK_M = (0.0, BOARD_CENTRE_M[1] + 0.05, BOARD_CENTRE_M[2] - 0.04)
DESKTOP_FOV_DEG = 44.0  # vertical
EYE_HEIGHT_M = 1.6  # a standing player's eyes (VR stage origin is the floor under them)
IPD_M = 0.064  # interpupillary distance used by the preview
PREVIEW_FOV_DEG = 90.0  # per eye, vertical: close to a headset's
PANEL_M = (0.0, BOARD_CENTRE_M[1] + 0.7, 1.5)  # the world-locked HUD panel, just beyond the board
PANEL_WIDTH_M = 1.5


def frame_desktop(base: ShowBase) -> None:
    """Fix the desktop camera so the whole board and the HUD bar fit in a 16:9 window."""
    base.camera.setPos(*DESKTOP_EYE_M)
    base.camera.lookAt(*DESKTOP_LOOK_M)
    lens = base.camLens
    lens.setNearFar(0.05, 100.0)
    aspect = base.getAspectRatio()
    lens.setFov(_horizontal_fov(DESKTOP_FOV_DEG, aspect), DESKTOP_FOV_DEG)


def _horizontal_fov(vertical_deg: float, aspect: float) -> float:
    return math.degrees(2 * math.atan(math.tan(math.radians(vertical_deg) / 2) * aspect))


def preview_head_pitch_deg() -> float:
    """The preview head looks down at the board from the default eye position."""
    dy = BOARD_CENTRE_M[1] + 0.1
    dz = EYE_HEIGHT_M - BOARD_CENTRE_M[2]
    return -math.degrees(math.atan2(dz, dy)) * 0.75  # a bit above the board: the panel stays in view


class StereoPreview:
    """Two eye cameras side by side in the main window: the VR scene without a headset."""

    def __init__(self, base: ShowBase, root: NodePath) -> None:
        self.head = root.attachNewNode("preview-head")
        self.head.setPos(0.0, 0.0, EYE_HEIGHT_M)
        self.head.setP(preview_head_pitch_deg())  # pitch only: the horizon stays level
        self.eyes: list[NodePath] = []
        self.regions: list[DisplayRegion] = []
        base.camNode.setActive(False)  # the mono camera draws nothing here
        for i, (offset, left, right) in enumerate(((-IPD_M / 2, 0.0, 0.5), (IPD_M / 2, 0.5, 1.0))):
            lens = PerspectiveLens()
            aspect = (base.win.getXSize() * (right - left)) / max(1, base.win.getYSize())
            lens.setFov(_horizontal_fov(PREVIEW_FOV_DEG, aspect), PREVIEW_FOV_DEG)
            lens.setNearFar(0.05, 100.0)
            cam = Camera(f"eye-{i}", lens)
            eye = self.head.attachNewNode(cam)
            eye.setX(offset)
            region = base.win.makeDisplayRegion(left, right, 0.0, 1.0)
            region.setCamera(eye)
            region.setClearColorActive(False)
            region.setClearDepthActive(True)
            region.setSort(5)
            self.eyes.append(eye)
            self.regions.append(region)

    def remove(self, base: ShowBase) -> None:
        """Give the window back to the mono camera."""
        for region in self.regions:
            base.win.removeDisplayRegion(region)
        self.head.removeNode()
        base.camNode.setActive(True)
