"""The 3D view's calibration screen: a ``CalibrationPicture`` laid out on the HUD (words and a map).

The same layout as the 2D screen in the HUD's 720-unit design space: step and instruction
at the top, a disc with the recorded limits, the arrow to lean along, the live reading,
a Hold bar (the 3D play HUD's) instead of the 2D ring, the device notice as a banner and
the keys at the bottom. Over a darkened idle board, on the desktop overlay or the VR panel.
The picture's buttons go in a column right of the disc, as in 2D; ``draw_calibration`` returns
their hit areas in design units (``p3d_menus.items``' form) for the desktop view's pointer.
"""

from __future__ import annotations

import math

from game.actions import MenuList
from game.calibration_flow import CalibrationPicture
from game.views import theme as palette
from game.views.p3d_hud import DESIGN_H, Hud
from game.views.p3d_menus import Area, write

DISC = (18, 24, 64)
RIM = (60, 70, 130)
ZERO_MARK = (180, 180, 180)
PANEL = (16, 22, 56)
EDGE = (170, 170, 185)
BUTTON_H = 66.0  # design units (720 high)
MAX_BUTTONS = 4  # the most a calibration moment offers (a lean: confirm, skip, redo, cancel)


def draw_calibration(hud: Hud, picture: CalibrationPicture,
                     hovered: tuple[MenuList, int] | None = None) -> list[tuple[Area, MenuList, int]]:
    """Lay out one moment of the calibration on the HUD; return its buttons' hit areas (design units).

    ``hovered``: the item under the pointer, whose button is framed thick and marked ">".
    """
    hud.begin()
    w, h = hud.width, DESIGN_H
    hud.shade(0.75)
    hud.text("c.header", picture.header, 52, palette.YELLOW, w / 2, h * 0.08)
    hud.text("c.instruction", picture.instruction, 40, palette.WHITE, w / 2, h * 0.16)
    if picture.message:
        hud.text("c.message", picture.message, 40, palette.ORANGE, w / 2, h * 0.23)
    cx, cy, radius = w / 2, h * 0.55, min(w * 0.3, h * 0.3)

    def at(point: tuple[float, float]) -> tuple[float, float]:
        dx, dy = picture.placed(point)
        return cx + dx * radius, cy - dy * radius  # forward is up

    hud.disc("c.rim", cx, cy, radius + 3, RIM)
    hud.disc("c.disc", cx, cy, radius, DISC)
    hud.line("c.axis.x", cx - radius, cy, cx + radius, cy, 1.5, RIM)
    hud.line("c.axis.y", cx, cy - radius, cx, cy + radius, 1.5, RIM)
    hud.text("c.scale", picture.scale_text, 24, (170, 170, 200), cx + radius, cy + radius, "right")
    placed = [at(p) for p in picture.points]
    joins = list(zip(placed, placed[1:], strict=False))
    if picture.closed:
        joins.append((placed[-1], placed[0]))
    for i, ((x0, y0), (x1, y1)) in enumerate(joins):
        hud.line(f"c.join{i}", x0, y0, x1, y1, 3, palette.SKY)
    for i, (x, y) in enumerate(placed):
        hud.disc(f"c.point{i}", x, y, 8, palette.SKY)
    if picture.zero is not None:
        zx, zy = at(picture.zero)
        hud.line("c.zero.a", zx - 10, zy - 10, zx + 10, zy + 10, 3, ZERO_MARK)
        hud.line("c.zero.b", zx - 10, zy + 10, zx + 10, zy - 10, 3, ZERO_MARK)
    if picture.arrow_deg is not None:
        angle = math.radians(picture.arrow_deg)
        tip = (cx + math.cos(angle) * radius * 0.95, cy - math.sin(angle) * radius * 0.95)
        hud.line("c.arrow", cx, cy, tip[0], tip[1], 8, palette.ORANGE)
        hud.disc("c.arrow.tip", tip[0], tip[1], 16, palette.ORANGE)
    if picture.live is not None:
        lx, ly = at(picture.live)
        hud.disc("c.live.edge", lx, ly, 20, palette.BLACK)
        hud.disc("c.live", lx, ly, 16, palette.YELLOW)
        hud.text("c.live.text", picture.live_text or "", 28, palette.WHITE, w / 2, cy + radius + 28)
    bar_y = h * 0.88  # the hold, as the play HUD's Hold bar, bottom left
    hud.text("c.hold.label", "Hold", 30, palette.WHITE, 24, bar_y, "left")
    hud.rect("c.hold.bg", 96, bar_y - 12, 260, 24, (40, 40, 40), 0.9)
    hud.rect("c.hold.fill", 96, bar_y - 12, 260 * max(0.0, min(1.0, picture.hold)), 24, palette.GREEN)
    hud.frame("c.hold.frame", 96, bar_y - 12, 260, 24, palette.WHITE, 2)
    if picture.notice:
        hud.banner(picture.notice, palette.ORANGE)
    hud.text("c.keys", picture.keys, 28, (215, 215, 215), w / 2, h * 0.96)
    return _buttons(hud, picture, cx + radius + 24, hovered)


def _buttons(hud: Hud, picture: CalibrationPicture, left: float,
             hovered: tuple[MenuList, int] | None) -> list[tuple[Area, MenuList, int]]:
    """The buttons one under the other right of the disc, under where a device notice's banner goes."""
    width, gap = hud.width - 24 - left, 14.0
    height = min(BUTTON_H, (DESIGN_H * 0.5 - gap * (MAX_BUTTONS - 1)) / MAX_BUTTONS)
    areas: list[tuple[Area, MenuList, int]] = []
    for i, button in enumerate(picture.buttons[:MAX_BUTTONS]):
        area = (left, DESIGN_H * 0.40 + i * (height + gap), width, height)
        pointed = hovered == (button.list, button.index)
        hud.rect(f"c.button{i}.bg", *area, PANEL, 0.95)
        hud.frame(f"c.button{i}.fr", *area, palette.YELLOW if pointed else EDGE, 5 if pointed else 3)
        label = ("> " if pointed else "") + button.label
        px = next((size for size in (32.0, 26.0, 22.0) if hud.text_width(label, size) <= width - 16), None)
        lines = 1 if px is not None else 2  # too long for one line: two at the smallest size, never cut
        px = px or 22.0
        top = area[1] + (height - lines * 1.15 * px) / 2
        write(hud, f"c.button{i}.label", label, (px,), palette.WHITE, left + 8, top, width - 16, lines)
        areas.append((area, button.list, button.index))
    return areas
