"""Every ``Backdrop`` of a level's art as a 3D scene around the board, built once and kept.

``build_backdrop(name, library)`` returns the scene's still nodes (flattened) and the few
animations it has (fireflies drifting, waves lapping, a buoy's light), posed from snapshot time.
``BOARDS`` gives the board's colours per backdrop (the field stays dark and calm so the
pictures on it read; the same colours as the 2D view's scenes), and ``SKIES`` the clear colour.
Comfort (docs/views.md): nothing large moves; the horizon is still.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from panda3d.core import (
    Geom,
    GeomNode,
    GeomPoints,
    GeomVertexData,
    GeomVertexFormat,
    GeomVertexWriter,
    NodePath,
)

from game.level.model import BACKDROPS
from game.views import p3d_geometry as geo
from game.views import theme as palette
from game.views.p3d_models import ModelLibrary, rgba

Colour = tuple[int, int, int]
Animation = Callable[[float], None]


@dataclass(frozen=True)
class BoardLook:
    """The board's colours on one backdrop."""

    top: Colour  # the playing field: dark and calm
    edge: Colour  # rim and the half-ball underneath
    grid: Colour  # the limits-of-stability ring, the half ring and the cross
    ground: Colour  # what the plinth stands on
    plinth: Colour


BOARDS: dict[str, BoardLook] = {
    "garden": BoardLook((26, 66, 46), (138, 98, 60), (70, 120, 92), (52, 92, 58), (110, 96, 80)),
    "pond": BoardLook((16, 58, 82), (120, 96, 66), (80, 130, 150), (56, 98, 60), (110, 96, 80)),
    "night_garden": BoardLook((16, 36, 36), (84, 66, 50), (56, 86, 96), (22, 42, 32), (70, 64, 60)),
    "sea": BoardLook((10, 56, 92), (200, 200, 196), (60, 120, 160), (24, 92, 140), (200, 200, 196)),
    "beach": BoardLook((70, 96, 110), (170, 130, 90), (150, 175, 180), (226, 200, 150), (170, 130, 90)),
    "space": BoardLook((18, 24, 64), (84, 94, 160), (60, 70, 130), (26, 30, 70), (60, 70, 130)),
    "moon": BoardLook((64, 66, 76), (120, 122, 136), (120, 122, 136), (104, 104, 112), (140, 142, 150)),
    "clock": BoardLook((22, 28, 46), (200, 170, 90), (200, 170, 90), (92, 62, 42), (120, 84, 56)),
}
SKIES: dict[str, Colour] = {
    "garden": (92, 140, 178), "pond": (104, 150, 186), "night_garden": (10, 16, 40), "sea": (120, 170, 210),
    "beach": (140, 190, 230), "space": (8, 12, 38), "moon": (6, 8, 22), "clock": (48, 36, 30),
}
assert set(BOARDS) == set(BACKDROPS) == set(SKIES), "every Backdrop needs a 3D scene"


def board_look(name: str) -> BoardLook:
    """The board's colours on backdrop ``name``; an unknown name gets the garden's."""
    return BOARDS.get(name, BOARDS["garden"])


class _Rand:
    """A fixed sequence of numbers (the same scene every run, so screenshots compare)."""

    def __init__(self, seed: int) -> None:
        self.state = seed

    def __call__(self, low: float = 0.0, high: float = 1.0) -> float:
        self.state = (self.state * 1103515245 + 12345) % (2**31)
        return low + (high - low) * (self.state % 100000) / 100000


def _put(parent: NodePath, geom: GeomNode, colour: Colour, pos: tuple[float, float, float] = (0.0, 0.0, 0.0),
         scale: float | tuple[float, float, float] = 1.0, hpr: tuple[float, float, float] = (0.0, 0.0, 0.0),
         glow: bool = False) -> NodePath:
    node = parent.attachNewNode(geom)
    node.setPos(*pos)
    node.setHpr(*hpr)
    if isinstance(scale, tuple):
        node.setScale(*scale)
    else:
        node.setScale(scale)
    node.setColor(rgba(colour))
    if glow:
        node.setLightOff()
    return node


def _sprite(parent: NodePath, library: ModelLibrary, name: str, pos: tuple[float, float, float], size: float,
            heading: float = 0.0) -> NodePath:
    holder = library.instance(name, parent)
    holder.setPos(*pos)
    holder.setScale(size)
    holder.setH(heading)
    return holder


def _around(rand: _Rand, near: float, far: float, behind_only: bool = True) -> tuple[float, float]:
    """A point on the ground away from the player's own spot (in front of the camera unless told)."""
    while True:
        angle = rand(0.1, math.pi - 0.1) if behind_only else rand(0, math.tau)
        dist = rand(near, far)
        x, y = math.cos(angle) * dist, 1.0 + math.sin(angle) * dist
        if not (y < 0.3 and abs(x) < 2.5):
            return x, y


def _stars(parent: NodePath, count: int, seed: int, below: bool = False) -> NodePath:
    data = GeomVertexData("stars", GeomVertexFormat.getV3(), Geom.UHStatic)
    writer = GeomVertexWriter(data, "vertex")
    points = GeomPoints(Geom.UHStatic)
    rand = _Rand(seed)
    for i in range(count):
        az = rand(0, math.tau)
        el = math.asin(rand(-0.6 if below else 0.02, 0.95))
        writer.addData3f(40 * math.cos(el) * math.cos(az), 40 * math.cos(el) * math.sin(az), 40 * math.sin(el) + 1.5)
        points.addVertex(i)
    geom = Geom(data)
    geom.addPrimitive(points)
    node = GeomNode("stars")
    node.addGeom(geom)
    stars = parent.attachNewNode(node)
    stars.setRenderModeThickness(2)
    stars.setColor(0.85, 0.86, 0.95, 1)
    stars.setLightOff()
    return stars


def _hedges(parent: NodePath, rand: _Rand, colour: Colour) -> None:
    for i in range(26):  # a curved hedge behind the board
        angle = math.radians(20 + i * 5.4)
        x, y = math.cos(angle) * 7.5, 1.0 + math.sin(angle) * 7.5
        _put(parent, geo.sphere(1.0, 6, 10), colour, (x, y, 0.35), (0.9, 0.7, rand(0.75, 1.0)))


def _tree(parent: NodePath, x: float, y: float, crown: Colour, size: float = 1.0) -> None:
    _put(parent, geo.cylinder(0.14 * size, 1.6 * size, 8), (110, 80, 52), (x, y, 0))
    for dx, dz, r in ((0.0, 2.0, 0.9), (-0.45, 1.6, 0.6), (0.45, 1.7, 0.65)):
        _put(parent, geo.sphere(r * size, 7, 12), crown, (x + dx * size, y, dz * size))


def _tufts(parent: NodePath, rand: _Rand, colours: tuple[Colour, Colour], count: int = 60) -> None:
    """Low rounded tufts of grass scattered around (never on the player's own spot)."""
    for i in range(count):
        x, y = _around(rand, 2.4, 14.0, behind_only=False)
        _put(parent, geo.sphere(1.0, 5, 8), colours[i % 2], (x, y, 0), (rand(0.08, 0.2), rand(0.08, 0.2),
                                                                       rand(0.1, 0.25)))


def _garden(root: NodePath, library: ModelLibrary, night: bool) -> list[Animation]:
    rand = _Rand(7)
    hedge = (20, 52, 36) if night else (40, 104, 56)
    _hedges(root, rand, hedge)
    _tufts(root, rand, ((18, 46, 30), (26, 60, 40)) if night else (palette.GREEN, (34, 110, 70)))
    for x, y in ((-5.5, 6.5), (6.0, 7.5), (-9.0, 3.5)):
        _tree(root, x, y, (24, 60, 40) if night else (52, 128, 62), 1.3)
    for _ in range(12):
        x, y = _around(rand, 3.5, 7.0)
        _sprite(root, library, "flower", (x, y, 0), rand(0.15, 0.22))
    animations: list[Animation] = []
    if night:
        _stars(root, 500, 3)
        _put(root, geo.sphere(1.6, 12, 20), (246, 240, 206), (-12, 34, 14), glow=True)  # the moon
        lights = root.attachNewNode("fireflies")
        glows = []
        for _ in range(14):
            x, y = _around(rand, 2.4, 7.0)
            glow = _put(lights, geo.sphere(0.05, 5, 8), (236, 255, 120), (x, y, rand(0.3, 1.6)), glow=True)
            glows.append((glow, x, y, glow.getZ(), rand(0, math.tau)))

        def drift(t: float) -> None:
            for glow, x, y, z, phase in glows:
                glow.setPos(x + 0.3 * math.sin(t * 0.3 + phase), y + 0.2 * math.cos(t * 0.23 + phase),
                            z + 0.15 * math.sin(t * 0.5 + phase))
                level = 0.5 + 0.5 * max(0.0, math.sin(t * 0.9 + phase * 2))
                glow.setColorScale(level, level, level, 1)
        animations.append(drift)
    else:
        for _ in range(3):
            x, y = _around(rand, 3.0, 6.0)
            _sprite(root, library, "butterfly", (x, y, rand(0.8, 1.5)), 0.18, rand(0, 360))
    return animations


def _pond(root: NodePath, library: ModelLibrary) -> list[Animation]:
    rand = _Rand(9)
    _put(root, geo.disc(5.0, 48), (34, 92, 128), (0, 2.0, 0.01))
    _put(root, geo.annulus(4.9, 5.3, 1.0, 48), (110, 96, 80), (0, 2.0, 0.012))
    for _ in range(10):
        angle = rand(0.0, math.tau)
        dist = rand(1.2, 4.2)
        x, y = math.cos(angle) * dist, 2.0 + math.sin(angle) * dist
        if y < 0.6 and abs(x) < 1.5:
            continue
        _sprite(root, library, "lily_pad", (x, y, 0.02), rand(0.3, 0.5), rand(0, 360))
    for _ in range(22):  # reeds at the water's edge
        angle = rand(0.25, math.pi - 0.25)
        x, y = math.cos(angle) * 5.2, 2.0 + math.sin(angle) * 5.2
        height = rand(0.8, 1.4)
        _put(root, geo.cylinder(0.03, height, 5), (70, 120, 60), (x, y, 0))
        _put(root, geo.cylinder(0.07, 0.25, 6), (110, 72, 40), (x, y, height - 0.3))
    _hedges(root, rand, (40, 104, 56))
    _tufts(root, rand, (palette.GREEN, (34, 110, 70)), 30)
    return []


def _waves(root: NodePath, rand: _Rand, colour: Colour, count: int, reach: float) -> Animation:
    crests = root.attachNewNode("waves")
    groups = [crests.attachNewNode(f"group-{i}") for i in range(3)]  # three sets of crests, each on its own beat
    for i in range(count):
        x, y = _around(rand, 3.5, reach)
        size = rand(0.8, 1.6)
        _put(groups[i % 3], geo.annulus(size, size + 0.06, 0.14, 10), colour, (x, y, 0.015), hpr=(rand(-20, 20), 0, 0))
    for group in groups:
        group.flattenStrong()

    def lap(t: float) -> None:
        for i, group in enumerate(groups):
            phase = i * math.tau / 3
            group.setPos(0.15 * math.sin(t * 0.4 + phase), 0.25 * math.sin(t * 0.5 + phase), 0.0)
    return lap


def _sea(root: NodePath, library: ModelLibrary) -> list[Animation]:
    rand = _Rand(11)
    for x, y in ((-6.0, 9.0), (7.0, 12.0), (3.0, 16.0)):
        _put(root, geo.lumpy(1.0, seed=int(x * 3 + y)), (96, 100, 104), (x, y, 0.0), (1.2, 1.0, 0.7))
    _sprite(root, library, "boat", (-4.0, 11.0, 0.0), 0.9, 20.0)
    for x, y in ((5.5, 8.0), (-4.5, 9.0)):
        _sprite(root, library, "buoy", (x, y, 0.0), 0.35)
    return [_waves(root, rand, (226, 240, 250), 26, 14.0)]


def _beach(root: NodePath, library: ModelLibrary) -> list[Animation]:
    rand = _Rand(13)
    _put(root, geo.box(80.0, 40.0, 0.02), (40, 120, 170), (0, 28.0, 0.0))  # the sea beyond the sand
    _put(root, geo.box(80.0, 0.5, 0.025), (236, 244, 250), (0, 8.0, 0.0))  # the foam line
    for x, y in ((-4.5, 5.0), (5.2, 6.0)):  # palm trees
        for i in range(6):
            _put(root, geo.cylinder(0.16 - i * 0.012, 0.5, 8), (150, 110, 70), (x + i * 0.06, y, i * 0.48))
        for j in range(6):
            a = j * 60
            _put(root, geo.sphere(1.0, 5, 8), (60, 140, 60), (x + 0.36 + 0.8 * math.cos(math.radians(a)),
                 y + 0.8 * math.sin(math.radians(a)), 2.85), (0.9, 0.25, 0.08), (a, 0, -20))
    _put(root, geo.cylinder(0.04, 1.6, 6), palette.WHITE, (2.6, 3.2, 0))  # a parasol
    for i in range(8):
        colour = palette.VERMILLION if i % 2 else palette.WHITE
        wedge = geo.fan_prism([(0.0, 0.0), (math.cos(i * math.pi / 4) * 1.0, math.sin(i * math.pi / 4) * 1.0),
                               (math.cos((i + 1) * math.pi / 4), math.sin((i + 1) * math.pi / 4))], 0.02, bevel=0.3)
        _put(root, wedge, colour, (2.6, 3.2, 1.4))
    for _ in range(7):
        x, y = _around(rand, 2.5, 6.5)
        _sprite(root, library, "shell", (x, y, 0.0), rand(0.14, 0.22), rand(-40, 40))
    _sprite(root, library, "crab", (-3.6, 5.5, 0.0), 0.3, 10.0)
    return [_waves(root, rand, (236, 244, 250), 14, 16.0)]


def _space(root: NodePath, library: ModelLibrary) -> list[Animation]:
    _stars(root, 700, 1, below=True)
    _sprite(root, library, "planet", (-14.0, 30.0, 9.0), 5.0)
    _put(root, geo.sphere(1.2, 10, 16), (200, 200, 210), (13.0, 26.0, 12.0))
    rand = _Rand(17)
    for _ in range(5):
        x, y = _around(rand, 4.0, 9.0)
        _sprite(root, library, "asteroid", (x, y, rand(1.0, 3.0)), rand(0.25, 0.5))
    return []


def _moon(root: NodePath, library: ModelLibrary) -> list[Animation]:
    rand = _Rand(19)
    _stars(root, 500, 2)
    for _ in range(16):  # craters: a dark floor with a pale rim
        x, y = _around(rand, 2.6, 14.0, behind_only=False)
        r = rand(0.3, 1.1)
        _put(root, geo.disc(r, 20), (78, 78, 86), (x, y, 0.012))
        _put(root, geo.annulus(r, r * 1.2, 1.0, 20), (150, 150, 158), (x, y, 0.014))
    for _ in range(8):
        x, y = _around(rand, 2.6, 8.0)
        _sprite(root, library, "moon_rock", (x, y, 0.0), rand(0.15, 0.4), rand(0, 360))
    earth = root.attachNewNode("earth")
    earth.setPos(11.0, 32.0, 13.0)
    _put(earth, geo.sphere(2.0, 14, 24), palette.BLUE)
    for dx, dz, s in ((-0.6, 0.6, 0.9), (0.7, -0.4, 0.7), (0.1, -1.2, 0.5)):
        _put(earth, geo.sphere(s, 8, 12), palette.GREEN, (dx, -1.75 + abs(dx) * 0.4, dz), (1.0, 0.4, 0.8))
    _sprite(root, library, "landing_pad", (4.0, 5.5, 0.0), 0.9)
    return []


def _clock(root: NodePath, library: ModelLibrary) -> list[Animation]:
    del library
    for i in range(-14, 15):  # floorboards
        _put(root, geo.box(0.04, 60.0, 0.005), (70, 46, 30), (i * 0.9, 10.0, 0.003))
    cogs: list[tuple[NodePath, int, float]] = []
    for x, y, r, colour in ((-4.5, 7.0, 1.6, (200, 170, 90)), (4.8, 8.0, 2.0, (180, 140, 80)),
                            (2.0, 12.0, 1.2, (200, 170, 90))):
        cog = root.attachNewNode("cog")
        cog.setPos(x, y, r + 0.1)
        cog.setP(90)
        _put(cog, geo.torus(r, r * 0.14, 28, 8), colour)
        _put(cog, geo.cylinder(r * 0.25, 0.2, 16), colour, (0, 0, -0.1))
        for k in range(12):
            a = k * 30
            _put(cog, geo.box(r * 0.3, r * 0.18, 0.2), colour, (math.cos(math.radians(a)) * r * 1.1,
                 math.sin(math.radians(a)) * r * 1.1, -0.1), hpr=(a, 0, 0))
        for k in range(3):
            _put(cog, geo.box(r * 2, r * 0.1, 0.1), colour, (0, 0, -0.05), hpr=(k * 60, 0, 0))
        cogs.append((cog, 1 if len(cogs) % 2 else -1, r))

    def turn(t: float) -> None:
        for cog, sign, r in cogs:
            cog.setR(sign * t * 6.0 / r % 360)  # slow, as a real clock's wheels
    return [turn]


SCENES: dict[str, Callable[[NodePath, ModelLibrary], list[Animation]]] = {
    "garden": lambda root, lib: _garden(root, lib, night=False),
    "night_garden": lambda root, lib: _garden(root, lib, night=True),
    "pond": _pond, "sea": _sea, "beach": _beach, "space": _space, "moon": _moon, "clock": _clock,
}


def build_backdrop(name: str, parent: NodePath, library: ModelLibrary,
                   plinth_top: float, board_xy: tuple[float, float]) -> tuple[NodePath, list[Animation]]:
    """The scene ``name`` (an unknown name gets the garden) under ``parent``: ground, plinth, scenery."""
    key = name if name in SCENES else "garden"
    look = board_look(key)
    root = parent.attachNewNode(f"backdrop-{key}")
    still = root.attachNewNode("still")
    _put(still, geo.disc(30.0, 64), look.ground)
    _put(still, geo.cylinder(0.14, plinth_top, 24), look.plinth, (board_xy[0], board_xy[1], 0.0))
    _put(still, geo.cylinder(0.3, 0.04, 24), look.plinth, (board_xy[0], board_xy[1], 0.0))
    animations = SCENES[key](still, library)
    moving = [child for child in still.getChildren() if child.getName() in ("fireflies", "waves", "cog")]
    for child in moving:
        child.reparentTo(root)  # keep what animates out of the flattening
    for child in still.getChildren():
        if child.getName().startswith("holder-"):
            child.reparentTo(root)  # instanced sprites stay shared (and animated) models
    still.flattenStrong()
    return root, animations


def hour_marks(parent: NodePath, colour: Colour, radius: float) -> NodePath:
    """A clock face's twelve hour marks around the board's rim (the quarters longer and wider)."""
    marks = parent.attachNewNode("hour-marks")
    for hour in range(12):
        a = math.radians(90 - hour * 30)
        quarter = hour % 3 == 0
        length = 0.14 if quarter else 0.08
        width = 0.05 if quarter else 0.025
        mid = radius - length / 2
        _put(marks, geo.box(length, width, 0.004), colour, (mid * math.cos(a), mid * math.sin(a), 0.0),
             hpr=(math.degrees(a), 0, 0), glow=True)
    marks.flattenStrong()
    return marks
