"""Every ``Sprite`` of a level's art drawn as that thing, procedurally (no image files).

Each drawer paints one animation frame in unit space (radius 1, y down; see ``pen.py``): the
ladybird has a shell with spots and a line between its wing cases, the dolphin a fin and a
tail, the jellyfish a bell and tentacles, and so on. ``phase`` (0..1) is where in its cycle
the animation is (wings, tail, glow, twinkle); ``STYLES`` says how long a cycle is and how
many frames of it are drawn. Colours are the Okabe-Ito palette where a colour means
something, natural tones where it does not, and every sprite has a dark edge and a light
outline so it stands out on any backdrop.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from game.views import theme as palette
from game.views.art2d.pen import Colour, Pen, Point, lerp, oval_points

INK = (20, 20, 24)
HALO = (250, 250, 245)  # the light outline that keeps a sprite readable on a dark backdrop
EDGE = 0.07


def _halo_circle(pen: Pen, centre: Point, radius: float) -> None:
    pen.circle(HALO, centre, radius + 0.09)


def _wave(phase: float) -> float:
    """1 at the start of a cycle, -1 half way through (so the first and middle frames differ)."""
    return math.cos(phase * math.tau)


def ladybird(pen: Pen, phase: float) -> None:
    step = 0.08 * _wave(phase)
    for side in (-1, 1):  # six legs, a little walking motion
        for i, y in enumerate((-0.25, 0.15, 0.55)):
            s = step if (i + (side > 0)) % 2 else -step
            pen.line(INK, (side * 0.6, y), (side * 1.05, y - 0.15 + s), 0.09)
    pen.circle(HALO, (0, -0.74), 0.45)
    pen.circle(HALO, (0, 0.12), 0.95)
    for side in (-1, 1):  # antennae
        pen.line(INK, (side * 0.12, -0.95), (side * 0.35, -1.25), 0.06)
        pen.circle(INK, (side * 0.36, -1.27), 0.07)
    pen.circle(INK, (0, -0.74), 0.38)
    for side in (-1, 1):
        pen.circle(palette.WHITE, (side * 0.16, -0.86), 0.09)
    pen.circle(palette.VERMILLION, (0, 0.12), 0.86)
    pen.circle(INK, (0, 0.12), 0.86, EDGE)
    pen.line(INK, (0, -0.56), (0, 0.98), 0.08)  # between the wing cases
    for x, y, r in ((0.42, -0.12, 0.17), (0.46, 0.42, 0.15), (0.2, 0.72, 0.12)):
        for side in (-1, 1):
            pen.circle(INK, (side * x, y), r)
    pen.oval((255, 255, 255, 120), (-0.38, -0.3), 0.18, 0.08, -35)


def leaf(pen: Pen, phase: float) -> None:
    p = pen.turned(-20 + 6 * _wave(phase))

    def blade(grow: float) -> list[Point]:
        pts: list[Point] = []
        for i in range(25):  # the right edge from stem to tip, then the left edge back
            t = i / 24
            pts.append((grow * 0.62 * math.sin(math.pi * t) ** 0.8, 0.92 - 1.9 * t))
        return pts + [(-x, y) for x, y in reversed(pts[1:-1])]

    p.polygon(HALO, blade(1.15))
    p.line((90, 120, 50), (0, 0.9), (0, 1.2), 0.1)  # stem
    p.polygon((96, 170, 70), blade(1.0))
    p.polygon((64, 128, 48), [(x, y) for x, y in blade(1.0) if x <= 0] + [(0, -0.98)])  # shaded half
    p.polygon((30, 70, 28), blade(1.0), EDGE)
    p.line((200, 235, 150), (0, 0.92), (0, -0.9), 0.06)  # the midrib vein
    for y in (0.45, 0.05, -0.35):
        for side in (-1, 1):
            p.line((170, 215, 130), (0, y), (side * 0.42, y - 0.3), 0.04)


def lily_pad(pen: Pen, phase: float) -> None:
    p = pen.turned(8 * _wave(phase))
    notch = 0.5
    pts: list[Point] = [(0.0, 0.0)]
    for i in range(41):
        a = -math.pi / 2 + notch / 2 + (math.tau - notch) * i / 40
        pts.append((math.cos(a), math.sin(a)))
    p.circle(HALO, (0, 0), 1.08)
    p.polygon((54, 140, 70), pts)
    p.polygon((28, 80, 40), pts, EDGE)
    for i in range(7):
        a = -math.pi / 2 + notch + i * (math.tau - 2 * notch) / 6
        p.line((120, 190, 110), (0, 0), (0.85 * math.cos(a), 0.85 * math.sin(a)), 0.04)
    p.circle((240, 170, 200), (0.35, 0.3), 0.2)  # a small blossom
    p.circle(palette.YELLOW, (0.35, 0.3), 0.08)


def flower(pen: Pen, phase: float) -> None:
    p = pen.turned(10 * _wave(phase))
    for i in range(6):
        a = i * 60
        c = (0.55 * math.cos(math.radians(a)), 0.55 * math.sin(math.radians(a)))
        p.oval(HALO, c, 0.55, 0.34, a)
    for i in range(6):
        a = i * 60
        c = (0.52 * math.cos(math.radians(a)), 0.52 * math.sin(math.radians(a)))
        p.oval(palette.PURPLE, c, 0.48, 0.28, a)
        p.oval(INK, c, 0.48, 0.28, a, 0.05)
    p.circle(palette.YELLOW, (0, 0), 0.34)
    p.circle(palette.ORANGE, (0, 0), 0.34, 0.06)
    for i in range(5):
        t = i * math.tau / 5
        p.circle(palette.ORANGE, (0.15 * math.cos(t), 0.15 * math.sin(t)), 0.05)


def bee(pen: Pen, phase: float) -> None:
    flap = abs(_wave(phase))
    for dx in (-0.1, 0.25):  # wings, beating
        pen.oval((235, 245, 255, 210), (dx, -0.55 - 0.2 * flap), 0.28, 0.42 + 0.15 * flap, 20 - 40 * flap)
        pen.oval(INK, (dx, -0.55 - 0.2 * flap), 0.28, 0.42 + 0.15 * flap, 20 - 40 * flap, 0.04)
    body = oval_points((0, 0.1), 0.8, 0.52)
    pen.polygon(HALO, oval_points((0, 0.1), 0.9, 0.62))
    pen.polygon(palette.YELLOW, body)
    for x0, x1 in ((-0.45, -0.25), (-0.05, 0.15)):  # black bands across the body
        band = []
        for x in (x0, x1):
            h = 0.52 * math.sqrt(max(0.0, 1 - (x / 0.8) ** 2))
            band.append((x, 0.1 - h))
        for x in (x1, x0):
            h = 0.52 * math.sqrt(max(0.0, 1 - (x / 0.8) ** 2))
            band.append((x, 0.1 + h))
        pen.polygon(INK, band)
    pen.polygon(INK, [(-0.78, 0.02), (-1.08, 0.12), (-0.78, 0.22)])  # sting
    pen.polygon(INK, body, EDGE)
    pen.circle(INK, (0.78, 0.05), 0.3)  # head
    pen.circle(palette.WHITE, (0.88, -0.02), 0.09)
    pen.line(INK, (0.85, -0.2), (1.05, -0.5), 0.05)


def butterfly(pen: Pen, phase: float) -> None:
    open_ = 0.45 + 0.55 * abs(math.cos(phase * math.pi))
    for side in (-1, 1):
        upper = oval_points((side * 0.5 * open_, -0.32), 0.55 * open_, 0.5, side * -20)
        lower = oval_points((side * 0.38 * open_, 0.42), 0.4 * open_, 0.36, side * 25)
        for shape, colour in ((upper, palette.ORANGE), (lower, palette.YELLOW)):
            pen.polygon(HALO, [(x * 1.12, y * 1.08) for x, y in shape])
            pen.polygon(colour, shape)
            pen.polygon(INK, shape, 0.09)
        pen.circle(palette.WHITE, (side * 0.75 * open_, -0.45), 0.08 * open_ + 0.02)
        pen.circle(INK, (side * 0.4 * open_, -0.3), 0.1 * open_ + 0.02)
    pen.oval(INK, (0, 0.05), 0.11, 0.72)
    for side in (-1, 1):
        pen.line(INK, (0, -0.6), (side * 0.3, -1.05), 0.05)
        pen.circle(INK, (side * 0.31, -1.07), 0.07)


def firefly(pen: Pen, phase: float) -> None:
    glow = 0.55 + 0.45 * (0.5 + 0.5 * _wave(phase))
    for r, a in ((0.98, 40), (0.78, 70), (0.58, 120)):  # the glowing tail's light
        pen.circle((*palette.YELLOW, round(a * glow)), (0, 0.42), r * (0.75 + 0.25 * glow))
    flap = abs(_wave(phase * 3))
    for side in (-1, 1):
        pen.oval((225, 235, 255, 200), (side * 0.38, -0.1), 0.22 + 0.12 * flap, 0.45, side * 30)
    pen.oval(HALO, (0, -0.15), 0.3, 0.52)
    pen.oval((60, 50, 40), (0, -0.2), 0.22, 0.45)
    pen.circle(lerp((120, 110, 20), palette.YELLOW, glow), (0, 0.42), 0.3)  # the lit tail
    pen.circle(INK, (0, 0.42), 0.3, 0.05)
    pen.circle(INK, (0, -0.68), 0.2)
    for side in (-1, 1):
        pen.line(INK, (side * 0.08, -0.82), (side * 0.3, -1.12), 0.05)


def ball(pen: Pen, phase: float) -> None:
    draw_rolling_ball(pen, 0.0, 0.0, "ball")


def draw_rolling_ball(pen: Pen, roll_x: float, roll_y: float, kind: str) -> None:
    """A ball (or the moon rock) whose spots roll with ``roll_x``/``roll_y`` radians of turn."""
    rock = kind == "moon_rock"
    base = (205, 170, 120) if rock else palette.SKY  # a warm tan rock stands out on the grey moon
    dark = (130, 95, 60) if rock else palette.BLUE
    outline = _lumpy(5, 0.16, 22) if rock else oval_points((0, 0), 1.0, 1.0)
    pen.polygon(HALO, [(x * 1.1, y * 1.1) for x, y in outline])
    pen.polygon(base, outline)
    k = 1 / math.sqrt(3)  # spots at the corners of a cube inside the ball: four face us at any turn
    spots = [(sx * k, sy * k, sz * k) for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]
    cy, sy = math.cos(roll_x), math.sin(roll_x)
    cx, sx = math.cos(roll_y), math.sin(roll_y)
    for x, y, z in spots:
        x, z = x * cy + z * sy, -x * sy + z * cy  # roll about the screen's vertical axis (moving sideways)
        y, z = y * cx - z * sx, y * sx + z * cx  # roll about the horizontal axis (moving up or down)
        if z > 0.05:  # facing us: drawn foreshortened
            r = (0.24 if rock else 0.2) * (0.4 + 0.6 * z)
            pen.oval(dark, (x * 0.72, -y * 0.72), r, r * (0.35 + 0.65 * z), math.degrees(math.atan2(-y, x)))
    pen.polygon(INK, outline, 0.09)
    pen.oval((255, 255, 255, 150), (-0.38, -0.42), 0.26, 0.16, -40)


def fountain(pen: Pen, phase: float) -> None:
    stone, water = (170, 165, 155), palette.SKY
    pen.polygon(HALO, [(-1.05, 0.25), (1.05, 0.25), (0.72, 1.08), (-0.72, 1.08)])
    for i in range(2):  # jets arcing over to both sides, drops moving along them
        side = -1 if i else 1
        arc = [(side * 0.75 * t, -0.75 + 1.55 * (t - 0.35) ** 2 - 0.2) for t in (j / 10 for j in range(11))]
        pen.lines((*water, 255), arc, 0.09)
        for k in range(3):
            t = (phase + k / 3) % 1.0
            pen.circle(palette.WHITE, (side * 0.75 * t, -0.75 + 1.55 * (t - 0.35) ** 2 - 0.2), 0.07)
    pen.line(stone, (0, 0.3), (0, -0.55), 0.2)
    pen.oval(stone, (0, -0.6), 0.35, 0.12)
    pen.polygon(stone, [(-0.95, 0.3), (0.95, 0.3), (0.65, 1.0), (-0.65, 1.0)])
    pen.polygon(INK, [(-0.95, 0.3), (0.95, 0.3), (0.65, 1.0), (-0.65, 1.0)], EDGE)
    pen.oval(water, (0, 0.3), 0.93, 0.16)
    pen.oval(INK, (0, 0.3), 0.93, 0.16, 0, 0.05)
    for x in (-0.4, 0.1, 0.5):
        pen.line((120, 115, 105), (x, 0.55), (x - 0.05, 0.9), 0.05)


def dolphin(pen: Pen, phase: float) -> None:
    """Side view, facing right: an arched blue body, a bottle nose, a curved fin, flippers and tail flukes."""
    beat = 0.16 * _wave(phase)
    top, bottom = [], []
    for i in range(25):
        t = i / 24
        x = -0.9 + 1.6 * t
        arch = -0.22 * math.sin(math.pi * t)  # the body arches like a leaping dolphin
        thick = 0.34 * math.sin(math.pi * min(1.0, 0.15 + t * 0.9)) ** 0.8 + 0.04
        tail = (1 - t) ** 3 * beat * 1.6
        top.append((x, arch - thick * 0.9 + tail))
        bottom.append((x, arch + thick + tail))
    head = [(0.72, -0.22), (0.86, -0.16), (0.94, -0.06), (1.14, -0.01), (1.17, 0.05), (1.12, 0.1), (0.92, 0.14)]
    body = top + head + list(reversed(bottom))
    tx, ty = top[0][0], (top[0][1] + bottom[0][1]) / 2
    flukes = [(tx + 0.05, ty), (tx - 0.35, ty - 0.4 + beat), (tx - 0.18, ty), (tx - 0.35, ty + 0.4 + beat)]
    fin = [(-0.15, top[10][1] + 0.05), (-0.25, top[10][1] - 0.35), (-0.4, top[10][1] - 0.45),
           (-0.2, top[10][1] - 0.42), (0.2, top[13][1] + 0.05)]
    blue, belly = (86, 150, 205), (220, 235, 245)
    for shape in (body, flukes, fin):
        cx = sum(x for x, _ in shape) / len(shape)
        cy = sum(y for _, y in shape) / len(shape)
        pen.polygon(HALO, [(cx + (x - cx) * 1.1, cy + (y - cy) * 1.18) for x, y in shape])
    for shape in (fin, flukes):
        pen.polygon(blue, shape)
        pen.polygon(INK, shape, 0.05)
    pen.polygon(blue, body)
    under = bottom[8:]
    pen.polygon(belly, [*under, (1.12, 0.1), (0.92, 0.14), *[(x, y - 0.13) for x, y in reversed(under)]])
    pen.polygon(INK, body, 0.05)
    flipper = [(0.25, bottom[14][1] - 0.05), (0.05, bottom[14][1] + 0.35 + beat), (0.4, bottom[15][1])]
    pen.polygon((60, 120, 180), flipper)
    pen.circle(INK, (0.72, -0.05), 0.07)
    pen.circle(palette.WHITE, (0.74, -0.07), 0.025)
    pen.lines(INK, [(0.95, 0.07), (1.04, 0.1), (1.12, 0.07)], 0.03)  # a smile along the beak


def fish(pen: Pen, phase: float) -> None:
    """Side view, facing right: an orange fish with white bands, a beating tail, a fin and an eye."""
    wag = 0.22 * _wave(phase)
    tail = [(-0.65, 0.0), (-1.15, -0.5 + wag), (-1.02, 0.0 + wag * 0.5), (-1.15, 0.5 + wag)]
    body = oval_points((0.05, 0.0), 0.78, 0.55)
    pen.polygon(HALO, [(x * 1.1, y * 1.14) for x, y in tail])
    pen.polygon(HALO, oval_points((0.05, 0.0), 0.88, 0.66))
    pen.polygon(palette.ORANGE, tail)
    pen.polygon(INK, tail, 0.05)
    pen.polygon(palette.ORANGE, [(-0.2, -0.45), (0.15, -0.82), (0.35, -0.45)])  # top fin
    pen.polygon(INK, [(-0.2, -0.45), (0.15, -0.82), (0.35, -0.45)], 0.05)
    pen.polygon(palette.ORANGE, body)
    for x, w in ((-0.3, 0.14), (0.35, 0.16)):  # white bands with dark edges
        h = 0.55 * math.sqrt(max(0.0, 1 - ((x - 0.05) / 0.78) ** 2))
        band = [(x - w, -h), (x + w, -h), (x + w, h), (x - w, h)]
        pen.polygon(palette.WHITE, band)
        pen.line(INK, (x - w, -h * 0.95), (x - w, h * 0.95), 0.04)
        pen.line(INK, (x + w, -h * 0.95), (x + w, h * 0.95), 0.04)
    pen.polygon(INK, body, 0.06)
    pen.circle(palette.WHITE, (0.55, -0.12), 0.14)
    pen.circle(INK, (0.58, -0.12), 0.08)


def crab(pen: Pen, phase: float) -> None:
    """Top view: a wide shell, two big claws in front, legs, eyes on stalks."""
    pinch = 0.5 + 0.5 * _wave(phase)
    red = palette.VERMILLION
    for side in (-1, 1):
        for i, y in enumerate((-0.05, 0.2, 0.45)):
            kick = 0.06 * _wave(phase + i / 3) * side
            pen.line(HALO, (side * 0.55, y), (side * 1.05, y + 0.3 + kick), 0.18)
            pen.line(red, (side * 0.55, y), (side * 1.05, y + 0.3 + kick), 0.1)
        pen.line(HALO, (side * 0.4, -0.3), (side * 0.62, -0.75), 0.22)
        pen.line(red, (side * 0.4, -0.3), (side * 0.62, -0.75), 0.14)
        claw = (side * 0.66, -0.9)
        pen.circle(HALO, claw, 0.33)
        pen.circle(red, claw, 0.26)
        gap = 0.12 + 0.22 * pinch  # the pincer opening and closing
        pen.polygon(palette.WHITE, [claw, (claw[0] - gap * side * 0.5, claw[1] - 0.32), (claw[0] + gap, claw[1] - 0.3)])
        pen.circle(INK, claw, 0.26, 0.05)
        pen.line(INK, (side * 0.15, -0.35), (side * 0.2, -0.62), 0.05)  # eye stalks
        pen.circle(palette.WHITE, (side * 0.2, -0.66), 0.1)
        pen.circle(INK, (side * 0.2, -0.66), 0.05)
    pen.oval(HALO, (0, 0.1), 0.72, 0.55)
    pen.oval(red, (0, 0.1), 0.64, 0.47)
    pen.oval(INK, (0, 0.1), 0.64, 0.47, 0, EDGE)
    pen.line(INK, (-0.2, 0.22), (0.2, 0.22), 0.05)  # a smile on the shell


def boat(pen: Pen, phase: float) -> None:
    """Side view: a hull, a mast, a white sail and a little flag, rocking."""
    p = pen.turned(6 * _wave(phase))
    hull = [(-1.05, 0.25), (1.05, 0.25), (0.7, 0.85), (-0.7, 0.85)]
    sail = [(0.0, -1.1), (0.0, 0.1), (0.8, 0.1)]
    jib = [(-0.1, -0.9), (-0.1, 0.1), (-0.75, 0.1)]
    for shape in (hull, sail, jib):
        p.polygon(HALO, [(x * 1.08, y * 1.08) for x, y in shape])
    p.line((90, 60, 40), (0.0, 0.3), (0.0, -1.15), 0.08)
    p.polygon(palette.WHITE, sail)
    p.polygon(INK, sail, 0.05)
    p.polygon((230, 230, 230), jib)
    p.polygon(INK, jib, 0.05)
    flutter = 0.08 * _wave(phase * 2)
    p.polygon(palette.VERMILLION, [(0.0, -1.15), (0.35, -1.05 + flutter), (0.0, -0.95)])
    p.polygon(palette.YELLOW, hull)
    p.line(palette.BLUE, (-0.95, 0.42), (0.95, 0.42), 0.1)
    p.polygon(INK, hull, EDGE)
    for x in (-0.45, 0.0, 0.45):
        p.circle(INK, (x, 0.6), 0.07)


def buoy(pen: Pen, phase: float) -> None:
    """A striped float with a light on top that blinks, bobbing in a ripple."""
    body = [(-0.55, 0.55), (-0.38, -0.5), (0.38, -0.5), (0.55, 0.55)]
    pen.polygon(HALO, [(x * 1.15, y * 1.1) for x, y in body])
    pen.oval((200, 230, 255, 160), (0, 0.75), 1.0, 0.22)  # the ripple at the waterline
    pen.polygon(palette.VERMILLION, body)
    for y0, y1 in ((-0.2, 0.05), (0.3, 0.55)):
        def half(y: float) -> float:
            return 0.38 + (0.55 - 0.38) * (y + 0.5) / 1.05
        pen.polygon(palette.WHITE, [(-half(y0), y0), (half(y0), y0), (half(y1), y1), (-half(y1), y1)])
    pen.polygon(INK, body, EDGE)
    pen.line(INK, (0, -0.5), (0, -0.85), 0.08)
    on = _wave(phase) > 0
    if on:
        pen.circle((*palette.YELLOW, 110), (0, -0.95), 0.38)
    pen.circle(palette.YELLOW if on else (150, 140, 60), (0, -0.95), 0.16)
    pen.circle(INK, (0, -0.95), 0.16, 0.04)
    pen.oval((120, 180, 230), (0, 0.62), 0.75, 0.1)


def shell(pen: Pen, phase: float) -> None:
    """A scallop: a ribbed fan on a hinge with two ears."""
    fan: list[Point] = [(0.0, 0.7)]
    for i in range(13):
        a = math.radians(200 + 140 * i / 12)
        bump = 0.06 if i % 2 else 0.0
        fan.append(((1.0 + bump) * math.cos(a), 0.55 + (1.25 + bump) * math.sin(a)))
    pen.polygon(HALO, [(x * 1.1, (y - 0.1) * 1.1 + 0.1) for x, y in fan])
    pen.polygon((245, 190, 150), fan)
    for i in range(1, 12, 2):
        a = math.radians(200 + 140 * i / 12)
        pen.line((200, 120, 90), (0.0, 0.7), (0.95 * math.cos(a), 0.55 + 1.2 * math.sin(a)), 0.06)
    ears = [(-0.35, 0.6), (0.35, 0.6), (0.3, 0.95), (-0.3, 0.95)]
    pen.polygon((230, 160, 120), ears)
    pen.polygon(INK, ears, 0.05)
    pen.polygon(INK, fan, EDGE)
    pen.circle((255, 255, 255, 160), (-0.35, -0.25), 0.08 + 0.06 * (0.5 + 0.5 * _wave(phase)))  # a glint


def jellyfish(pen: Pen, phase: float) -> None:
    """A bell with a scalloped rim, wavy tentacles and a friendly face; it pulses."""
    squeeze = 0.06 * _wave(phase)
    for i in range(5):  # tentacles
        x0 = -0.5 + i * 0.25
        pts = [(x0 + 0.12 * math.sin(phase * math.tau + k * 0.9 + i), 0.1 + k * 0.2) for k in range(6)]
        pen.lines(HALO, pts, 0.14)
        pen.lines((220, 170, 230), pts, 0.08)
    bell: list[Point] = []
    for i in range(19):
        a = math.pi + math.pi * i / 18
        bell.append(((0.9 + squeeze) * math.cos(a), -0.1 + (0.85 - squeeze) * math.sin(a)))
    for i in range(6):  # scalloped rim
        x = 0.9 - i * 0.3
        bell.append((x - 0.15, 0.1))
        bell.append((x - 0.3, -0.05))
    pen.polygon(HALO, [(x * 1.1, y * 1.1) for x, y in bell])
    pen.polygon(palette.PURPLE, bell)
    pen.polygon(INK, bell, EDGE)
    pen.oval((255, 255, 255, 140), (-0.35, -0.55), 0.22, 0.12, -30)
    for side in (-1, 1):
        pen.circle(INK, (side * 0.3, -0.3), 0.09)
    pen.line(INK, (-0.12, -0.12), (0.12, -0.12), 0.05)


def rocket(pen: Pen, phase: float) -> None:
    """Pointing up: a white body, a red nose cone and fins, a round window, a flickering flame."""
    flick = 0.5 + 0.5 * _wave(phase)
    flame = [(-0.25, 0.75), (0.0, 1.05 + 0.3 * flick), (0.25, 0.75)]
    pen.polygon(palette.ORANGE, [(-0.32, 0.7), (0.0, 1.2 + 0.25 * flick), (0.32, 0.7)])
    pen.polygon(palette.YELLOW, flame)
    body = [(0.0, -1.15), (0.28, -0.8), (0.36, -0.2), (0.3, 0.75), (-0.3, 0.75), (-0.36, -0.2), (-0.28, -0.8)]
    fins = [[(side * 0.3, 0.1), (side * 0.72, 0.7), (side * 0.7, 0.95), (side * 0.25, 0.72)] for side in (-1, 1)]
    for shape in (body, *fins):
        pen.polygon(HALO, [(x * 1.18, y * 1.08) for x, y in shape])
    for fin in fins:
        pen.polygon(palette.VERMILLION, fin)
        pen.polygon(INK, fin, 0.05)
    pen.polygon((235, 235, 240), body)
    pen.polygon(palette.VERMILLION, [(0.0, -1.15), (0.28, -0.8), (-0.28, -0.8)])
    pen.polygon(INK, body, EDGE)
    pen.circle(palette.SKY, (0, -0.3), 0.19)
    pen.circle(INK, (0, -0.3), 0.19, 0.06)
    pen.line(palette.VERMILLION, (0.0, 0.25), (0.0, 0.7), 0.08)


def planet(pen: Pen, phase: float) -> None:
    """A banded planet with craters and a tilted ring (its back half behind, its front half in front)."""
    pen.oval(HALO, (0, 0), 1.42, 0.45, -18, 0.2)
    pen.oval(palette.YELLOW, (0, 0), 1.35, 0.38, -18, 0.11)
    pen.circle(HALO, (0, 0), 0.84)
    pen.circle(palette.ORANGE, (0, 0), 0.76)
    for y, w in ((-0.35, 0.09), (0.05, 0.12), (0.4, 0.08)):
        half = math.sqrt(max(0.0, 0.76**2 - y**2))
        pen.line((200, 120, 20), (-half * 0.95, y), (half * 0.95, y), w)
    for x, y, r in ((0.3, -0.2, 0.12), (-0.3, 0.25, 0.09)):
        pen.circle((190, 120, 30), (x, y), r)
    pen.circle(INK, (0, 0), 0.76, 0.05)
    front = []  # the near half of the ring, over the planet
    a = math.radians(-18)
    for i in range(25):
        t = math.pi * i / 24
        x, y = 1.35 * math.cos(t), 0.38 * math.sin(t)
        front.append((x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a)))
    pen.lines(palette.YELLOW, front, 0.11)
    pen.oval((255, 255, 255, 120), (-0.3, -0.4), 0.18, 0.1, -35)


def star(pen: Pen, phase: float) -> None:
    """A five-pointed star with a smile and twinkling sparkles."""
    pts: list[Point] = []
    for i in range(10):
        r = 1.0 if i % 2 == 0 else 0.45
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((r * math.cos(a), r * math.sin(a) + 0.08))
    pen.polygon(HALO, [(x * 1.14, (y - 0.08) * 1.14 + 0.08) for x, y in pts])
    pen.polygon(palette.YELLOW, pts)
    pen.polygon(palette.ORANGE, pts, 0.07)
    twinkle = 0.5 + 0.5 * _wave(phase)
    for x, y, s in ((0.95, -0.8, 0.28), (-0.9, 0.75, 0.2)):
        s *= 0.4 + 0.6 * twinkle
        pen.line(palette.WHITE, (x - s, y), (x + s, y), 0.05)
        pen.line(palette.WHITE, (x, y - s), (x, y + s), 0.05)
    for side in (-1, 1):
        pen.circle(INK, (side * 0.16, 0.02), 0.06)
    pen.line(INK, (-0.1, 0.22), (0.1, 0.22), 0.05)


def _lumpy(seed: int, lumps: float, count: int = 18) -> list[Point]:
    pts: list[Point] = []
    state = seed
    for i in range(count):
        state = (state * 1103515245 + 12345) % (2**31)
        r = 1.0 - lumps + lumps * (state % 1000) / 1000
        a = i * math.tau / count
        pts.append((r * math.cos(a), r * math.sin(a)))
    return pts


def asteroid(pen: Pen, phase: float) -> None:
    """A grey lumpy rock with craters, turning slowly."""
    p = pen.turned(phase * 360)
    rock = _lumpy(7, 0.35)
    p.polygon(HALO, [(x * 1.1, y * 1.1) for x, y in rock])
    p.polygon((120, 115, 110), rock)
    p.polygon((90, 85, 80), [(x * 0.9 + 0.08, y * 0.9 + 0.08) for x, y in rock[5:14]] + [(0.1, 0.1)])
    for x, y, r in ((0.25, -0.25, 0.2), (-0.35, 0.1, 0.15), (0.15, 0.4, 0.12)):
        p.circle((80, 76, 72), (x, y), r)
        p.circle((160, 155, 150), (x - r * 0.3, y - r * 0.3), r * 0.45)
    p.polygon(INK, rock, EDGE)


def moon_rock(pen: Pen, phase: float) -> None:
    draw_rolling_ball(pen, phase * math.tau, 0.0, "moon_rock")


def landing_pad(pen: Pen, phase: float) -> None:
    """A round pad seen from above: hazard stripes, a big H and lights that blink in turn."""
    pen.circle(HALO, (0, 0), 1.08)
    pen.circle((70, 70, 80), (0, 0), 1.0)
    for i in range(12):  # yellow and black hazard ring
        a0, a1 = i * math.tau / 12, (i + 1) * math.tau / 12
        colour = palette.YELLOW if i % 2 else INK
        seg = [(0.98 * math.cos(a0), 0.98 * math.sin(a0)), (0.98 * math.cos(a1), 0.98 * math.sin(a1)),
               (0.78 * math.cos(a1), 0.78 * math.sin(a1)), (0.78 * math.cos(a0), 0.78 * math.sin(a0))]
        pen.polygon(colour, seg)
    pen.circle((100, 100, 112), (0, 0), 0.76)
    for x in (-0.3, 0.3):
        pen.line(palette.WHITE, (x, -0.42), (x, 0.42), 0.14)
    pen.line(palette.WHITE, (-0.3, 0.0), (0.3, 0.0), 0.14)
    lit = int(phase * 4) % 4
    for i in range(4):
        a = math.pi / 4 + i * math.pi / 2
        pen.circle(palette.SKY if i == lit else (60, 90, 110), (0.88 * math.cos(a), 0.88 * math.sin(a)), 0.1)
    pen.circle(INK, (0, 0), 1.0, 0.05)


def clock_hand(pen: Pen, phase: float) -> None:
    """A clock's hand pointing up from its pivot (the view turns it to point at the marker)."""
    hand = [(0.0, -1.15), (0.2, -0.75), (0.08, -0.7), (0.07, 0.75), (-0.07, 0.75), (-0.08, -0.7), (-0.2, -0.75)]
    pen.polygon(HALO, [(x * 1.6 + (0.04 if x > 0 else -0.04), y * 1.05) for x, y in hand])
    pen.polygon(INK, hand)
    pen.circle(HALO, (0, 0.75), 0.24)
    pen.circle(palette.ORANGE, (0, 0.75), 0.18)
    pen.circle(INK, (0, 0.75), 0.18, 0.05)


def ring(pen: Pen, phase: float) -> None:
    """A bright hoop with a soft glow that breathes."""
    glow = 0.5 + 0.5 * _wave(phase)
    pen.circle((*palette.SKY, round(50 + 60 * glow)), (0, 0), 1.0, 0.3)
    pen.circle(HALO, (0, 0), 1.0, 0.2)
    pen.circle(palette.SKY, (0, 0), 0.98, 0.12)
    for i in range(4):  # little ticks so the ring reads as a ring, not a circle line
        a = i * math.tau / 4 + math.pi / 4
        pen.circle(palette.WHITE, (0.98 * math.cos(a), 0.98 * math.sin(a)), 0.06)


def dot(pen: Pen, phase: float) -> None:
    """A plain round marker with a light outline and a dark edge."""
    pen.circle(HALO, (0, 0), 1.0)
    pen.circle(INK, (0, 0), 0.86)
    pen.circle(palette.YELLOW, (0, 0), 0.72)
    pen.circle(INK, (0, 0), 0.16)


@dataclass(frozen=True)
class Style:
    """How to draw a sprite: the drawer, its animation cycle in seconds and how many frames of it."""

    draw: Callable[[Pen, float], None]
    period_s: float
    frames: int


STYLES: dict[str, Style] = {
    "ladybird": Style(ladybird, 0.8, 4),
    "leaf": Style(leaf, 3.0, 6),
    "lily_pad": Style(lily_pad, 4.0, 4),
    "flower": Style(flower, 3.0, 4),
    "bee": Style(bee, 0.25, 3),
    "butterfly": Style(butterfly, 0.8, 6),
    "firefly": Style(firefly, 1.6, 6),
    "ball": Style(ball, 1.0, 1),
    "fountain": Style(fountain, 1.2, 6),
    "dolphin": Style(dolphin, 1.4, 6),
    "fish": Style(fish, 0.9, 4),
    "crab": Style(crab, 1.2, 4),
    "boat": Style(boat, 2.4, 6),
    "buoy": Style(buoy, 1.6, 2),
    "shell": Style(shell, 2.0, 2),
    "jellyfish": Style(jellyfish, 1.8, 6),
    "rocket": Style(rocket, 0.3, 3),
    "planet": Style(planet, 1.0, 1),
    "star": Style(star, 1.2, 4),
    "asteroid": Style(asteroid, 8.0, 8),
    "moon_rock": Style(moon_rock, 1.0, 1),
    "landing_pad": Style(landing_pad, 2.0, 4),
    "clock_hand": Style(clock_hand, 1.0, 1),
    "ring": Style(ring, 2.0, 4),
    "dot": Style(dot, 1.0, 1),
}


def frame_of(name: str, t_s: float, offset: float = 0.0) -> int:
    """Which animation frame of ``name`` shows at snapshot time ``t_s`` (``offset`` staggers copies)."""
    style = STYLES.get(name, STYLES["dot"])
    if style.frames == 1:
        return 0
    return int((t_s / style.period_s + offset) * style.frames) % style.frames


def fallback(name: str) -> Style:
    """The style of ``name``; an unknown name (a newer level file) is drawn as a plain dot, never a crash."""
    return STYLES.get(name, STYLES["dot"])


__all__ = ["STYLES", "Style", "frame_of", "fallback", "draw_rolling_ball", "Colour"]
