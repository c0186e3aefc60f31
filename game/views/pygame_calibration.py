"""The 2D view's calibration screen: paints a ``CalibrationPicture`` (and reads nothing else).

The picture's buttons (confirm, skip, redo, cancel, ...) go in a column right of the disc, big
enough for a finger; ``draw_calibration`` returns where, so a click there names the button's choice.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from game.calibration_flow import CalibrationPicture
from game.views import theme as palette
from game.views.pygame_buttons import MIN_HEIGHT, HitArea, column_of, draw_buttons
from game.views.theme import theme_for

if TYPE_CHECKING:
    from game.views.pygame_view import PygameView

DISC = (18, 24, 64)
RIM = (60, 70, 130)
ZERO_MARK = (180, 180, 180)


def draw_calibration(view: PygameView, picture: CalibrationPicture) -> list[HitArea]:
    """Paint the step: instruction, recorded limits, where to lean, the live reading with its hold ring, keys,
    and the buttons; return the buttons' hit areas."""
    screen, scale = view.screen, view.scale
    view.backdrop(theme_for("space"))
    w, h = screen.get_size()
    view.text_in_box(picture.header, 52, palette.YELLOW, (w / 2, h * 0.08), w * 0.94, max_lines=1)
    view.text_in_box(picture.instruction, 40, palette.WHITE, (w / 2, h * 0.16), w * 0.94, max_lines=1)
    cx, cy, radius = w / 2, h * 0.55, min(w * 0.3, h * 0.32)

    def to_px(point: tuple[float, float]) -> tuple[int, int]:
        dx, dy = picture.placed(point)
        return (int(cx + dx * radius), int(cy - dy * radius))  # forward is up

    pygame.draw.circle(screen, DISC, (int(cx), int(cy)), int(radius))
    pygame.draw.circle(screen, RIM, (int(cx), int(cy)), int(radius), max(2, int(3 * scale)))
    pygame.draw.line(screen, RIM, (cx - radius, cy), (cx + radius, cy), 1)
    pygame.draw.line(screen, RIM, (cx, cy - radius), (cx, cy + radius), 1)
    view.text(picture.scale_text, 24, (170, 170, 200), (cx + radius, cy + radius), "topright")
    # The limits recorded so far, joined in the order they are asked for (clockwise from forward).
    if len(picture.points) >= 2:
        pygame.draw.lines(screen, palette.SKY, picture.closed, [to_px(p) for p in picture.points], 3)
    for point in picture.points:
        pygame.draw.circle(screen, palette.SKY, to_px(point), max(5, int(8 * scale)))
    if picture.zero is not None:
        zx, zy = to_px(picture.zero)
        size = int(10 * scale)
        pygame.draw.line(screen, ZERO_MARK, (zx - size, zy - size), (zx + size, zy + size), 3)
        pygame.draw.line(screen, ZERO_MARK, (zx - size, zy + size), (zx + size, zy - size), 3)
    if picture.arrow_deg is not None:  # where to lean: from the middle toward the step's direction
        angle = math.radians(picture.arrow_deg)
        tip = (cx + math.cos(angle) * radius * 0.95, cy - math.sin(angle) * radius * 0.95)
        pygame.draw.line(screen, palette.ORANGE, (cx, cy), tip, max(4, int(8 * scale)))
        pygame.draw.circle(screen, palette.ORANGE, (int(tip[0]), int(tip[1])), max(8, int(16 * scale)))
    if picture.live is not None:  # the live reading with its hold ring
        live = to_px(picture.live)
        pygame.draw.circle(screen, palette.BLACK, live, max(10, int(20 * scale)))
        pygame.draw.circle(screen, palette.YELLOW, live, max(8, int(16 * scale)))
        if picture.hold > 0:
            ring = max(16, int(30 * scale))
            rect = pygame.Rect(0, 0, ring * 2, ring * 2)
            rect.center = live
            pygame.draw.arc(screen, palette.GREEN, rect, math.pi / 2 - picture.hold * math.tau, math.pi / 2,
                            max(4, int(7 * scale)))
        view.text_in_box(picture.live_text or "", 28, palette.WHITE, (w / 2, cy + radius + 28 * scale), w * 0.94, 1)
    if picture.message:
        view.text_in_box(picture.message, 40, palette.ORANGE, (w / 2, h * 0.23), w * 0.94, max_lines=1)
    if picture.notice:
        view.banner(picture.notice, palette.ORANGE)
    view.text_in_box(picture.keys, 28, (215, 215, 215), (w / 2, h * 0.96), w * 0.94, max_lines=1)
    # the buttons: a column right of the disc, under where a device notice's banner goes
    left = int(cx + radius + 24 * scale)
    column = pygame.Rect(left, int(h * 0.40), int(w - 24 * scale) - left, int(h * 0.50))
    places = column_of(column, len(picture.buttons), int(14 * scale), int(MIN_HEIGHT * 1.2 * scale))
    return draw_buttons(view, picture.buttons, places)
