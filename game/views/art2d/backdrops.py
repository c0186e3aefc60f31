"""Every ``Backdrop`` drawn as that place, behind and inside the playing field (procedural, no files).

``paint_backdrop`` draws the still picture once per window size (the view caches it): the
surroundings, the playing field (the rim is the player's limit of stability, with a faint inner
ring and cross) and the scenery. The field's middle stays calm and darker than the sprites so
the marker is always readable. ``sparkles`` are the few moving lights of a scene (twinkling
stars, glints on water) and ``push_marks`` the streaks that show the wind, waves or solar wind
pushing the marker; both are functions of snapshot time only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import pygame

from game.views import theme as palette
from game.views.art2d.pen import Colour, lerp

Field = tuple[float, float, float]  # centre x, centre y, radius in pixels


@dataclass(frozen=True)
class Scene:
    """The colours of a backdrop."""

    sky: tuple[int, int, int]  # the surroundings
    ground: tuple[int, int, int]  # the field
    grid: tuple[int, int, int]  # the rim and guide lines
    push: tuple[int, int, int, int]  # the colour of wind/wave streaks
    push_kind: str  # "wind", "waves" or "solar"


SCENES: dict[str, Scene] = {
    "garden": Scene((14, 38, 30), (26, 66, 46), (70, 120, 92), (235, 245, 235, 200), "wind"),
    "pond": Scene((20, 44, 30), (16, 58, 82), (80, 130, 150), (220, 240, 255, 200), "waves"),
    "night_garden": Scene((8, 16, 32), (16, 36, 36), (56, 86, 96), (200, 220, 255, 190), "wind"),
    "sea": Scene((4, 30, 52), (10, 56, 92), (60, 120, 160), (225, 245, 255, 210), "waves"),
    "beach": Scene((112, 92, 58), (70, 96, 110), (150, 175, 180), (240, 250, 255, 210), "waves"),
    "space": Scene((8, 12, 38), (18, 24, 64), (60, 70, 130), (*palette.YELLOW, 200), "solar"),
    "moon": Scene((6, 8, 22), (64, 66, 76), (120, 122, 136), (*palette.YELLOW, 200), "solar"),
    "clock": Scene((40, 30, 26), (22, 28, 46), (200, 170, 90), (235, 240, 250, 200), "wind"),
}


def scene(name: str) -> Scene:
    """The scene ``name``; an unknown name (a newer level file) gets the garden, never a crash."""
    return SCENES.get(name, SCENES["garden"])


@cache
def _rand(seed: int) -> tuple[float, ...]:
    """A fixed sequence of numbers in 0..1 (screenshots stay the same from run to run)."""
    values, state = [], seed
    for _ in range(400):
        state = (state * 1103515245 + 12345) % (2**31)
        values.append((state % 100000) / 100000)
    return tuple(values)


def paint_backdrop(name: str, size: tuple[int, int], field: Field, scale: float) -> pygame.Surface:
    """The still picture of backdrop ``name`` for a window of ``size`` with the field at ``field``."""
    surface = pygame.Surface(size)
    look = scene(name)
    cx, cy, r = field
    surface.fill(look.sky)
    painter = _PAINTERS.get(name, _garden)
    painter(surface, look, field, scale)
    line = max(2, int(3 * scale))
    pygame.draw.circle(surface, look.grid, (int(cx), int(cy)), int(r), line)
    if name != "clock":
        pygame.draw.circle(surface, lerp(look.ground, look.grid, 0.5), (int(cx), int(cy)), int(r * 0.5), 1)
        tone = lerp(look.ground, look.grid, 0.4)
        pygame.draw.line(surface, tone, (cx - r, cy), (cx + r, cy), 1)
        pygame.draw.line(surface, tone, (cx, cy - r), (cx, cy + r), 1)
    return surface


def _disc(surface: pygame.Surface, colour: Colour, field: Field, inner: Colour | None = None) -> None:
    cx, cy, r = field
    pygame.draw.circle(surface, colour, (int(cx), int(cy)), int(r))
    if inner is not None:  # a gentle darker middle so sprites stand out
        for i in range(6):
            pygame.draw.circle(surface, lerp(colour, inner, (i + 1) / 6), (int(cx), int(cy)), int(r * (1 - i * 0.12)))


def _tuft(surface: pygame.Surface, colour: Colour, x: float, y: float, s: float) -> None:
    for dx, top in ((-1, 0.8), (0, 1.0), (1, 0.75)):
        pygame.draw.line(surface, colour, (x + dx * s * 0.3, y), (x + dx * s * 0.7, y - top * s), max(1, int(s / 5)))


def _little_flower(surface: pygame.Surface, colour: Colour, x: float, y: float, s: float) -> None:
    for i in range(5):
        a = i * math.tau / 5
        pygame.draw.circle(surface, colour, (x + s * 0.5 * math.cos(a), y + s * 0.5 * math.sin(a)), s * 0.4)
    pygame.draw.circle(surface, palette.YELLOW, (x, y), s * 0.3)


def _outside(field: Field, x: float, y: float, margin: float) -> bool:
    cx, cy, r = field
    return math.hypot(x - cx, y - cy) > r + margin


def _garden(surface: pygame.Surface, look: Scene, field: Field, scale: float) -> None:
    w, h = surface.get_size()
    rnd = _rand(3)
    for i in range(140):  # grass tufts all around
        x, y = rnd[2 * i] * w, rnd[2 * i + 1] * h
        if _outside(field, x, y, 10 * scale):
            _tuft(surface, (34, 92, 58) if i % 3 else (50, 110, 70), x, y, 14 * scale)
    colours = (palette.PURPLE, palette.WHITE, palette.YELLOW, palette.SKY)
    for i in range(26):  # flowers in the grass
        x, y = rnd[(7 * i) % 397] * w, rnd[(7 * i + 3) % 397] * h
        if _outside(field, x, y, 22 * scale):
            _little_flower(surface, colours[i % 4], x, y, 9 * scale)
    _disc(surface, look.ground, field, (20, 54, 38))
    cx, cy, r = field
    for i in range(40):  # a few blades on the lawn, faint
        a, d = rnd[100 + i] * math.tau, math.sqrt(rnd[150 + i]) * r * 0.95
        _tuft(surface, (34, 78, 54), cx + d * math.cos(a), cy + d * math.sin(a), 8 * scale)


def _night_garden(surface: pygame.Surface, look: Scene, field: Field, scale: float) -> None:
    w, h = surface.get_size()
    rnd = _rand(11)
    for i in range(70):  # stars in the sky above the hedges
        x, y = rnd[2 * i] * w, rnd[2 * i + 1] * h * 0.6
        if _outside(field, x, y, 8 * scale):
            pygame.draw.circle(surface, (190, 200, 230), (x, y), max(1, int((1 + i % 2) * scale)))
    pygame.draw.circle(surface, (240, 235, 200), (w * 0.9, h * 0.2), 34 * scale)  # the moon
    pygame.draw.circle(surface, look.sky, (w * 0.9 + 14 * scale, h * 0.2 - 8 * scale), 30 * scale)
    for i in range(18):  # dark bushes along the bottom and sides
        x = (i + 0.5) * w / 18
        pygame.draw.circle(surface, (14, 34, 28), (x, h), (40 + 25 * rnd[200 + i]) * scale)
    for i in range(80):
        x, y = rnd[250 + i % 140] * w, (0.55 + 0.45 * rnd[(i * 3) % 390]) * h
        if _outside(field, x, y, 10 * scale):
            _tuft(surface, (22, 52, 44), x, y, 12 * scale)
    _disc(surface, look.ground, field, (12, 28, 30))


def _pond(surface: pygame.Surface, look: Scene, field: Field, scale: float) -> None:
    w, h = surface.get_size()
    rnd = _rand(5)
    for i in range(120):
        x, y = rnd[2 * i] * w, rnd[2 * i + 1] * h
        if _outside(field, x, y, 30 * scale):
            _tuft(surface, (40, 96, 60), x, y, 16 * scale)
    cx, cy, r = field
    for i in range(16):  # reeds with cattails around the water
        a = i * math.tau / 16 + rnd[260 + i] * 0.3
        x, y = cx + (r + 26 * scale) * math.cos(a), cy + (r + 26 * scale) * math.sin(a)
        if 0 < x < w and 0 < y < h:
            pygame.draw.line(surface, (70, 120, 60), (x, y), (x + 4 * scale, y - 40 * scale), max(2, int(3 * scale)))
            pygame.draw.ellipse(surface, (110, 70, 40), (x + 1 * scale, y - 44 * scale, 8 * scale, 18 * scale))
    pygame.draw.circle(surface, (90, 80, 60), (int(cx), int(cy)), int(r + 10 * scale))  # muddy bank
    _disc(surface, look.ground, field, (12, 46, 70))
    for i in range(5):  # still ripples
        pygame.draw.circle(surface, (30, 80, 106), (int(cx), int(cy)), int(r * (0.25 + 0.15 * i)), 1)
    for i in range(4):  # lily pads near the edge
        a = math.radians(30 + 90 * i)
        x, y, s = cx + r * 0.86 * math.cos(a), cy + r * 0.86 * math.sin(a), 16 * scale
        pygame.draw.circle(surface, (48, 120, 64), (x, y), s)
        notch = [(x, y)] + [(x + s * 1.2 * math.cos(a + d), y + s * 1.2 * math.sin(a + d)) for d in (0.3, -0.3)]
        pygame.draw.polygon(surface, look.ground, notch)


def _waves(surface: pygame.Surface, colour: Colour, area: pygame.Rect, scale: float, seed: int,
           field: Field | None = None) -> None:
    rnd = _rand(seed)
    for i in range(60):
        x = area.left + rnd[2 * i] * area.width
        y = area.top + rnd[2 * i + 1] * area.height
        if field is not None and not _outside(field, x, y, 14 * scale):
            continue
        s = 12 * scale
        pygame.draw.arc(surface, colour, (x - s, y - s / 2, s, s), 0, math.pi, max(1, int(2 * scale)))
        pygame.draw.arc(surface, colour, (x, y - s / 2, s, s), 0, math.pi, max(1, int(2 * scale)))


def _sea(surface: pygame.Surface, look: Scene, field: Field, scale: float) -> None:
    w, h = surface.get_size()
    _waves(surface, (30, 80, 120), pygame.Rect(0, 0, w, h), scale, 17, field)
    _disc(surface, look.ground, field, (8, 44, 76))
    cx, cy, r = field
    inner = pygame.Rect(int(cx - r * 0.7), int(cy - r * 0.7), int(r * 1.4), int(r * 1.4))
    _waves(surface, (22, 74, 112), inner, scale * 0.8, 23, None)


def _beach(surface: pygame.Surface, look: Scene, field: Field, scale: float) -> None:
    w, h = surface.get_size()
    rnd = _rand(29)
    for i in range(160):  # grains and pebbles in the sand
        x, y = rnd[2 * i] * w, rnd[2 * i + 1] * h
        if _outside(field, x, y, 8 * scale):
            grain = (138, 116, 78) if i % 2 else (96, 80, 52)
            pygame.draw.circle(surface, grain, (x, y), max(1, int((1 + i % 3) * scale)))
    cx, cy, r = field
    # a tide pool: shallow water ringed by wet sand and foam
    pygame.draw.circle(surface, (92, 80, 60), (int(cx), int(cy)), int(r + 12 * scale))
    pygame.draw.circle(surface, (235, 240, 235), (int(cx), int(cy)), int(r + 4 * scale), max(2, int(4 * scale)))
    _disc(surface, look.ground, field, (56, 84, 100))
    for i in range(10):  # pebbles under the water
        a, d = rnd[330 + i] * math.tau, math.sqrt(rnd[350 + i]) * r * 0.9
        pygame.draw.circle(surface, (84, 108, 118), (cx + d * math.cos(a), cy + d * math.sin(a)), (4 + i % 4) * scale)


def _space(surface: pygame.Surface, look: Scene, field: Field, scale: float) -> None:
    w, h = surface.get_size()
    rnd = _rand(1)
    for i in range(110):
        x, y = rnd[2 * i] * w, rnd[2 * i + 1] * h
        pygame.draw.circle(surface, (200, 205, 235), (x, y), max(1, int((1 + i % 3) * scale * 0.8)))
    # a far nebula, faint, and a small distant planet in a corner
    glow = pygame.Surface((int(360 * scale), int(220 * scale)), pygame.SRCALPHA)
    for i in range(4):  # soft, layered, so it reads as a faint cloud and not a shape
        pygame.draw.ellipse(glow, (120, 60, 140, 10), glow.get_rect().inflate(-i * 50 * scale, -i * 30 * scale))
    surface.blit(glow, (w * 0.02, h * 0.55))
    pygame.draw.circle(surface, (90, 120, 170), (w * 0.9, h * 0.82), 26 * scale)
    pygame.draw.ellipse(surface, (200, 200, 230), (w * 0.9 - 44 * scale, h * 0.82 - 7 * scale, 88 * scale, 14 * scale),
                        max(1, int(2 * scale)))
    _disc(surface, look.ground, field, (12, 16, 48))
    cx, cy, r = field
    for i in range(30):
        a, d = rnd[250 + i] * math.tau, math.sqrt(rnd[300 + i]) * r * 0.95
        pygame.draw.circle(surface, (70, 80, 130), (cx + d * math.cos(a), cy + d * math.sin(a)), max(1, int(scale)))


def _moon(surface: pygame.Surface, look: Scene, field: Field, scale: float) -> None:
    w, h = surface.get_size()
    rnd = _rand(2)
    for i in range(90):
        x, y = rnd[2 * i] * w, rnd[2 * i + 1] * h
        pygame.draw.circle(surface, (200, 205, 235), (x, y), max(1, int((1 + i % 2) * scale)))
    ex, ey, er = w * 0.1, h * 0.25, 34 * scale  # the Earth rising
    pygame.draw.circle(surface, palette.BLUE, (ex, ey), er)
    pygame.draw.circle(surface, palette.GREEN, (ex - er * 0.3, ey - er * 0.1), er * 0.4)
    pygame.draw.circle(surface, palette.GREEN, (ex + er * 0.35, ey + er * 0.3), er * 0.3)
    pygame.draw.circle(surface, palette.WHITE, (ex, ey), er, max(1, int(2 * scale)))
    _disc(surface, look.ground, field, (54, 56, 66))
    cx, cy, r = field
    for i in range(16):  # craters
        a, d = rnd[200 + i] * math.tau, math.sqrt(rnd[240 + i]) * r * 0.85
        x, y, s = cx + d * math.cos(a), cy + d * math.sin(a), (8 + 18 * rnd[280 + i]) * scale
        pygame.draw.circle(surface, (50, 52, 60), (x, y), s)
        pygame.draw.circle(surface, (86, 88, 98), (x, y), s, max(1, int(2 * scale)))


def _clock(surface: pygame.Surface, look: Scene, field: Field, scale: float) -> None:
    """A clock face: twelve hours, 12 forward (up), 3 right, 6 back, 9 left, as the reach directions are."""
    cx, cy, r = field
    w, h = surface.get_size()
    for i in range(0, w, max(8, int(40 * scale))):  # wooden wall planks
        pygame.draw.line(surface, (52, 40, 34), (i, 0), (i, h), 1)
    pygame.draw.circle(surface, (150, 120, 60), (int(cx), int(cy)), int(r + 10 * scale))  # brass case
    _disc(surface, look.ground, field)
    if not pygame.font.get_init():
        pygame.font.init()
    font = pygame.font.Font(None, max(14, int(46 * scale)))
    for minute in range(60):  # minute ticks, longer at each hour
        a = math.radians(90 - minute * 6)
        long = minute % 5 == 0
        inner = r * (0.9 if long else 0.95)
        pygame.draw.line(surface, (230, 220, 190) if long else (120, 120, 140),
                         (cx + inner * math.cos(a), cy - inner * math.sin(a)),
                         (cx + r * 0.99 * math.cos(a), cy - r * 0.99 * math.sin(a)),
                         max(1, int((4 if long else 2) * scale)))
    for hour in range(1, 13):
        a = math.radians(90 - hour * 30)
        label = font.render(str(hour), True, (235, 225, 195))
        at = (cx + r * 0.8 * math.cos(a), cy - r * 0.8 * math.sin(a))
        surface.blit(label, label.get_rect(center=(int(at[0]), int(at[1]))))


_PAINTERS = {
    "garden": _garden, "pond": _pond, "night_garden": _night_garden, "sea": _sea, "beach": _beach,
    "space": _space, "moon": _moon, "clock": _clock,
}


def sparkles(name: str, size: tuple[int, int], field: Field, t_s: float, scale: float
             ) -> list[tuple[tuple[int, int], int, tuple[int, int, int]]]:
    """The scene's few moving lights at ``t_s``: (centre, arm length in pixels, colour) of each twinkle."""
    if name not in ("space", "moon", "night_garden", "sea", "pond"):
        return []
    w, h = size
    rnd = _rand(41)
    out = []
    colour = palette.YELLOW if name == "night_garden" else (235, 240, 255)
    for i in range(6):
        cycle = 2.0 + rnd[i] * 2.0
        strength = math.sin((t_s / cycle + rnd[10 + i]) * math.tau)
        if strength <= 0.2:
            continue
        if name in ("sea", "pond"):  # glints on the water, inside the field
            cx, cy, r = field
            a, d = rnd[20 + i] * math.tau, (0.3 + 0.6 * rnd[30 + i]) * r
            at = (int(cx + d * math.cos(a)), int(cy + d * math.sin(a)))
        else:
            at = (int(rnd[40 + i] * w), int((0.15 + 0.8 * rnd[50 + i]) * h))
            if not _outside(field, *at, 10):
                continue
        out.append((at, max(2, int(7 * strength * scale)), colour))
    return out


def push_marks(name: str, field: Field, push: tuple[float, float], t_s: float
               ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Streaks across the field showing what pushes the marker: their direction and length follow ``push``.

    Wind streaks in a garden, wave crests on water, solar wind in space; each mark drifts with the
    push so a player sees which way and how hard they are being pushed. None when nothing pushes.
    """
    px, py = push
    strength = math.hypot(px, py)
    if strength < 0.005:
        return []
    cx, cy, r = field
    ux, uy = px / strength, -py / strength  # screen y grows down
    length = r * min(0.16, 0.05 + strength * 0.8)
    count = 3 + min(4, int(strength * 25))
    rnd = _rand(53)
    marks = []
    speed = 0.25 + strength * 2.0  # field radii per second
    for i in range(count):
        # a lane across the field, perpendicular to the push, and a place along it that drifts with time
        lane = (rnd[i] * 2 - 1) * 0.8
        along = ((rnd[20 + i] + t_s * speed * 0.5) % 1.0) * 2 - 1
        x = cx + (along * ux - lane * uy) * r * 0.85
        y = cy + (along * uy + lane * ux) * r * 0.85
        if math.hypot(x - cx, y - cy) > r * 0.92:
            continue
        half_x, half_y = ux * length / 2, uy * length / 2
        marks.append(((int(x - half_x), int(y - half_y)), (int(x + half_x), int(y + half_y))))
    return marks
