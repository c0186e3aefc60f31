"""Every ``Sprite`` of a level's art as a 3D model, built by code once and instanced.

Each model is built in its own unit space: about 1 unit in radius, standing on z = 0 (or centred
on it for things that float), the front toward +y (away from the desktop camera), or toward +x
for things best seen side-on (a fish, a dolphin, a boat): ``SPECS`` says which. A model is built
the first time it is asked for and kept (``ModelLibrary``); the scene places *instances* of it
(``NodePath.instanceTo`` under a holder of its own), so ten bees cost one bee's geometry.

Moving parts (wings, tails, tentacles, a rocket's flame, a buoy's light) are named joints of the
shared model, posed once per frame from snapshot time by ``ModelLibrary.animate``: every bee
flaps in step, which is cheap and calm. Whole-body motion that differs per instance (bobbing,
rolling, facing the way it moves) belongs to the holder and is the scene's job.

The colours are the game's Okabe-Ito hues where a thing is a signal (the ladybird's vermillion,
the yellow star) and natural, muted colours otherwise; shapes carry the meaning, never colour
alone (a moon rock is a grey lumpy rock, a rocket has fins and a flame).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from panda3d.core import GeomNode, NodePath, TransparencyAttrib

from game.level.model import SPRITES, Sprite
from game.views import p3d_geometry as geo
from game.views import theme as palette

Colour = tuple[int, int, int]
Pose = Literal["ground", "hover", "flat"]  # stands on the board, floats above it, lies flat on it
Facing = Literal["free", "profile", "none"]  # turns to where it goes, shows its side, never turns

DARK = (30, 24, 22)
LEAF_GREEN = (96, 176, 72)
LEAF_DARK = (48, 110, 46)
STONE = (150, 150, 156)
ROCK_DARK = (92, 90, 96)
SAND = (226, 200, 150)
DOLPHIN = (96, 146, 196)
BELLY = (226, 232, 240)


@dataclass(frozen=True)
class SpriteSpec:
    """How a sprite sits and turns; ``size`` scales the model against the role's radius."""

    pose: Pose
    facing: Facing
    size: float = 1.0
    hover: float = 0.0  # height above the board (in the sprite's radii) for "hover"
    rolls: bool = False  # rolls as it moves (a ball, a moon rock)


SPECS: dict[str, SpriteSpec] = {
    "ladybird": SpriteSpec("ground", "free"),
    "leaf": SpriteSpec("flat", "none"),
    "lily_pad": SpriteSpec("flat", "none"),
    "flower": SpriteSpec("ground", "none"),
    "bee": SpriteSpec("hover", "free", 1.0, 1.6),
    "butterfly": SpriteSpec("hover", "free", 1.1, 1.8),
    "firefly": SpriteSpec("hover", "free", 1.0, 1.6),
    "ball": SpriteSpec("ground", "none", rolls=True),
    "fountain": SpriteSpec("ground", "none"),
    "dolphin": SpriteSpec("hover", "profile", 1.25, 0.55),
    "fish": SpriteSpec("hover", "profile", 1.0, 0.6),
    "crab": SpriteSpec("ground", "none"),
    "boat": SpriteSpec("ground", "profile", 1.2),
    "buoy": SpriteSpec("ground", "none"),
    "shell": SpriteSpec("ground", "none"),
    "jellyfish": SpriteSpec("hover", "none", 1.0, 1.5),
    "rocket": SpriteSpec("hover", "none", 1.1, 0.35),
    "planet": SpriteSpec("hover", "none", 1.0, 1.6),
    "star": SpriteSpec("hover", "none", 1.0, 1.4),
    "asteroid": SpriteSpec("hover", "none", 1.0, 1.3),
    "moon_rock": SpriteSpec("ground", "none", rolls=True),
    "landing_pad": SpriteSpec("flat", "none"),
    "clock_hand": SpriteSpec("flat", "free"),
    "ring": SpriteSpec("flat", "none"),
    "dot": SpriteSpec("ground", "none"),
}


def spec(name: str) -> SpriteSpec:
    """The sprite's spec; an unknown name (a newer level file) gets the dot's, never a crash."""
    return SPECS.get(name, SPECS["dot"])


def rgba(colour: Iterable[int], alpha: float = 1.0) -> tuple[float, float, float, float]:
    r, g, b = tuple(colour)[:3]
    return (r / 255, g / 255, b / 255, alpha)


Animation = Callable[[float], None]


class _Kit:
    """Builds one model: coloured parts, joints that move, and the animations that move them."""

    def __init__(self, name: str) -> None:
        self.root = NodePath(name)
        self.animations: list[Animation] = []
        self.joints: list[NodePath] = []

    def part(self, geom: GeomNode, colour: Colour, parent: NodePath | None = None,
             pos: tuple[float, float, float] = (0.0, 0.0, 0.0), hpr: tuple[float, float, float] = (0.0, 0.0, 0.0),
             scale: float | tuple[float, float, float] = 1.0, glow: bool = False, two_sided: bool = False,
             alpha: float = 1.0) -> NodePath:
        node = self._still(parent or self.root).attachNewNode(geom)
        node.setPos(*pos)
        node.setHpr(*hpr)
        if isinstance(scale, tuple):
            node.setScale(*scale)
        else:
            node.setScale(scale)
        node.setColor(rgba(colour, alpha))
        if glow:
            node.setLightOff()
        if two_sided:
            node.setTwoSided(True)
        if alpha < 1.0:
            node.setTransparency(TransparencyAttrib.MAlpha)
            node.setDepthWrite(False)
        return node

    def _still(self, parent: NodePath) -> NodePath:
        """The group of still parts under ``parent`` (merged by ``finish``)."""
        group = parent.find("still")
        return group if not group.isEmpty() else parent.attachNewNode("still")

    def joint(self, name: str, parent: NodePath | None = None, pos: tuple[float, float, float] = (0.0, 0.0, 0.0),
              hpr: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> NodePath:
        node = (parent or self.root).attachNewNode(name)
        node.setPos(*pos)
        node.setHpr(*hpr)
        self.joints.append(node)
        return node

    def animate(self, animation: Animation) -> None:
        self.animations.append(animation)

    def finish(self) -> tuple[NodePath, list[Animation]]:
        """Merge the still geometry under each joint (and the root) into as few pieces as it will go."""
        for group in self.root.findAllMatches("**/still"):
            group.flattenStrong()
        return self.root, self.animations


def _wave(t: float, hz: float, phase: float = 0.0) -> float:
    return math.sin(math.tau * hz * t + phase)


# -- the sprites --------------------------------------------------------------------------------------


def _ladybird(k: _Kit) -> None:
    k.part(geo.sphere(1.0, 12, 24), palette.VERMILLION, pos=(0, -0.05, 0.1), scale=(0.82, 0.95, 0.62))
    k.part(geo.box(0.05, 1.7, 0.02), DARK, pos=(0, -0.1, 0.71))  # the line between the wing cases
    for x, y in ((-0.38, 0.25), (0.38, 0.25), (-0.5, -0.25), (0.5, -0.25), (-0.25, -0.6), (0.25, -0.6)):
        z = 0.1 + 0.62 * math.sqrt(max(0.05, 1 - (x / 0.82) ** 2 - ((y + 0.05) / 0.95) ** 2))
        k.part(geo.sphere(0.17, 6, 10), DARK, pos=(x, y, z - 0.06), scale=(1, 1, 0.5))
    k.part(geo.sphere(0.36, 8, 14), DARK, pos=(0, 0.85, 0.22))
    for x in (-0.14, 0.14):
        k.part(geo.sphere(0.08, 6, 8), palette.WHITE, pos=(x, 1.1, 0.34))
    antennae = k.joint("antennae", pos=(0, 1.0, 0.4))
    for side in (-1, 1):
        k.part(geo.cylinder(0.025, 0.45, 5), DARK, antennae, hpr=(0, -40, side * 25))
    for side in (-1, 1):
        for y in (-0.35, 0.05, 0.45):
            k.part(geo.box(0.5, 0.05, 0.05), DARK, pos=(side * 0.75, y, 0.03), hpr=(side * 15, 0, side * 10))
    k.animate(lambda t: antennae.setP(6 * _wave(t, 0.7)))


def _leaf(k: _Kit) -> None:
    outline = []
    for i in range(24):
        a = math.tau * i / 24
        x, y = 0.62 * math.sin(a) * (1 - 0.25 * math.cos(a)), -math.cos(a)
        outline.append((x, y))
    k.part(geo.fan_prism(_ccw(outline), 0.04, bevel=0.06), LEAF_GREEN)
    k.part(geo.box(0.05, 1.9, 0.02), LEAF_DARK, pos=(0, 0, 0.085))
    for y in (-0.5, -0.1, 0.3):
        for side in (-1, 1):
            k.part(geo.box(0.55, 0.035, 0.02), LEAF_DARK, pos=(side * 0.22, y + 0.12, 0.07), hpr=(side * -35, 0, 0))
    k.part(geo.cylinder(0.04, 0.45, 6), (92, 120, 50), pos=(0, -0.95, 0.04), hpr=(0, -90, 0))


def _lily_pad(k: _Kit) -> None:
    outline = [(math.cos(a), math.sin(a)) for a in (math.radians(d) for d in range(100, 440, 15))]
    k.part(geo.fan_prism(_ccw([(0.0, 0.0), *outline]), 0.05), (70, 150, 76))
    for d in range(120, 420, 45):
        a = math.radians(d)
        k.part(geo.box(0.85, 0.03, 0.02), LEAF_DARK, pos=(0.45 * math.cos(a), 0.45 * math.sin(a), 0.05),
               hpr=(d, 0, 0))
    bloom = k.joint("bloom", pos=(-0.35, -0.3, 0.05))
    for i in range(6):
        a = i * 60
        k.part(geo.sphere(0.16, 6, 10), (246, 214, 230), bloom, pos=(0.14 * math.cos(math.radians(a)),
               0.14 * math.sin(math.radians(a)), 0.1), scale=(1.4, 0.7, 0.6), hpr=(a, 0, 30))
    k.part(geo.sphere(0.09, 6, 8), palette.YELLOW, bloom, pos=(0, 0, 0.16))


def _flower(k: _Kit) -> None:
    k.part(geo.cylinder(0.05, 0.9, 6), LEAF_DARK)
    for side in (-1, 1):
        k.part(geo.sphere(0.25, 6, 10), LEAF_GREEN, pos=(side * 0.22, 0, 0.3), scale=(1.2, 0.45, 0.25),
               hpr=(0, 0, side * -30))
    head = k.joint("head", pos=(0, 0, 0.9), hpr=(0, 35, 0))  # tipped toward the camera
    for i in range(6):
        a = math.radians(i * 60)
        k.part(geo.sphere(0.32, 8, 12), palette.PURPLE, head, pos=(0.42 * math.cos(a), 0.42 * math.sin(a), 0),
               scale=(1.0, 0.62, 0.28), hpr=(i * 60, 0, 0))
    k.part(geo.sphere(0.26, 8, 12), palette.YELLOW, head, pos=(0, 0, 0.05), scale=(1, 1, 0.6))
    k.animate(lambda t: head.setR(5 * _wave(t, 0.35)))


def _wings(k: _Kit, colour: Colour, span: float, length: float, at: tuple[float, float, float], hz: float,
           amplitude: float, alpha: float = 1.0, second: Colour | None = None) -> None:
    for side in (-1, 1):
        wing = k.joint(f"wing-{side}", pos=at)
        outline = [(side * span * (0.5 + 0.5 * math.cos(a)), length * 0.5 * math.sin(a))
                   for a in (math.tau * i / 16 for i in range(16))]
        k.part(geo.fan_prism(_ccw(outline), 0.02, centre=(side * span * 0.5, 0.0)), colour, wing,
               two_sided=True, alpha=alpha)
        if second is not None:  # a butterfly's hind wing
            hind = [(side * span * 0.75 * (0.5 + 0.5 * math.cos(a)), -length * 0.45 + length * 0.35 * math.sin(a))
                    for a in (math.tau * i / 14 for i in range(14))]
            k.part(geo.fan_prism(_ccw(hind), 0.02, centre=(side * span * 0.37, -length * 0.45)), second, wing,
                   pos=(0, 0, 0.01), two_sided=True)
            k.part(geo.sphere(0.12, 5, 8), palette.WHITE, wing, pos=(side * span * 0.7, 0.1, 0.03),
                   scale=(1, 1, 0.2))

        def flap(t: float, wing: NodePath = wing, side: int = side) -> None:
            wing.setR(side * (10 + amplitude * (0.5 + 0.5 * _wave(t, hz))))
        k.animate(flap)


def _bee(k: _Kit) -> None:
    k.part(geo.sphere(1.0, 10, 18), palette.YELLOW, scale=(0.55, 0.85, 0.5))
    for y in (-0.4, -0.05, 0.3):
        k.part(geo.cylinder(1.0, 0.16, 16), DARK, pos=(0, y + 0.08, 0), hpr=(0, 90, 0),
               scale=(0.56 * math.sqrt(max(0.1, 1 - (y / 0.85) ** 2)), 0.51 * math.sqrt(max(0.1, 1 - (y / 0.85) ** 2)),
                      1.0))
    k.part(geo.sphere(0.33, 8, 12), DARK, pos=(0, 0.85, 0.05))
    for x in (-0.14, 0.14):
        k.part(geo.sphere(0.07, 5, 8), palette.WHITE, pos=(x, 1.1, 0.15))
    k.part(geo.cone(0.1, 0.3, 8), DARK, pos=(0, -0.8, 0), hpr=(0, -90, 0))
    _wings(k, (235, 245, 255), 0.8, 0.55, (0, 0.1, 0.45), 6.0, 45.0, alpha=0.8)


def _butterfly(k: _Kit) -> None:
    k.part(geo.sphere(1.0, 8, 12), DARK, scale=(0.12, 0.6, 0.12))
    k.part(geo.sphere(0.13, 6, 8), DARK, pos=(0, 0.62, 0.02))
    for side in (-1, 1):
        k.part(geo.cylinder(0.018, 0.5, 4), DARK, pos=(side * 0.05, 0.7, 0.05), hpr=(side * 20, -60, 0))
    _wings(k, palette.ORANGE, 1.0, 0.9, (0, 0.1, 0.05), 1.6, 35.0, second=palette.SKY)


def _firefly(k: _Kit) -> None:
    k.part(geo.sphere(1.0, 8, 12), (110, 84, 56), pos=(0, 0.2, 0), scale=(0.34, 0.6, 0.3))
    k.part(geo.sphere(0.24, 6, 10), (60, 44, 34), pos=(0, 0.8, 0.05))
    glow = k.joint("glow", pos=(0, -0.45, -0.02))
    k.part(geo.sphere(0.42, 10, 14), (236, 255, 120), glow, scale=(0.9, 1.1, 0.85), glow=True)
    halo = k.part(geo.sphere(0.62, 8, 12), (255, 250, 140), glow, glow=True, alpha=0.35)
    halo.setBin("fixed", 10)
    _wings(k, (220, 230, 240), 0.55, 0.35, (0, 0.3, 0.25), 4.0, 35.0, alpha=0.7)

    def pulse(t: float) -> None:
        level = 0.72 + 0.28 * (0.5 + 0.5 * _wave(t, 0.8))
        glow.setColorScale(level, level, level, 1.0)
        glow.setScale(0.92 + 0.1 * level)
    k.animate(pulse)


def _ball(k: _Kit) -> None:
    colours = (palette.VERMILLION, palette.WHITE, palette.YELLOW, palette.WHITE, palette.BLUE, palette.WHITE)
    for i, colour in enumerate(colours):
        k.part(geo.lune(1.0, math.tau * i / 6, math.tau * (i + 1) / 6), colour)
    k.part(geo.sphere(0.18, 6, 8), palette.WHITE, pos=(0, 0, 0.93), scale=(1, 1, 0.4))


def _fountain(k: _Kit) -> None:
    k.part(geo.cylinder(1.0, 0.3, 28), STONE)
    k.part(geo.disc(0.86, 28), palette.SKY, pos=(0, 0, 0.26))
    k.part(geo.cylinder(0.12, 0.75, 10), STONE)
    k.part(geo.cylinder(0.4, 0.1, 16), STONE, pos=(0, 0, 0.7))
    k.part(geo.disc(0.33, 16), palette.SKY, pos=(0, 0, 0.81))
    spout = k.joint("spout", pos=(0, 0, 0.8))
    k.part(geo.cone(0.12, 0.55, 10), (200, 230, 250), spout, alpha=0.85)
    drops = k.joint("drops", pos=(0, 0, 0.3))
    for i in range(6):
        a = math.tau * i / 6
        k.part(geo.sphere(0.06, 4, 6), (200, 230, 250), drops, pos=(0.5 * math.cos(a), 0.5 * math.sin(a), 0.2))

    def play(t: float) -> None:
        spout.setSz(0.8 + 0.3 * (0.5 + 0.5 * _wave(t, 1.1)))
        drops.setH(t * 25 % 360)
        drops.setZ(0.3 + 0.08 * abs(_wave(t, 0.9)))
    k.animate(play)


def _dolphin(k: _Kit) -> None:
    body = k.joint("body")
    k.part(geo.sphere(1.0, 10, 20), DOLPHIN, body, scale=(0.95, 0.32, 0.34))
    k.part(geo.sphere(1.0, 8, 16), BELLY, body, pos=(0.05, 0, -0.08), scale=(0.8, 0.26, 0.24))
    k.part(geo.cone(0.13, 0.3, 10), DOLPHIN, body, pos=(0.88, 0, -0.04), hpr=(0, 0, 90))  # the beak
    k.part(geo.box(0.22, 0.5, 0.025), DARK, body, pos=(0.84, 0, -0.08))  # the smile
    k.part(geo.sphere(0.06, 5, 8), DARK, body, pos=(0.62, -0.26, 0.1))
    k.part(geo.sphere(0.06, 5, 8), DARK, body, pos=(0.62, 0.26, 0.1))
    k.part(geo.fan_prism([(-0.25, 0.0), (0.15, 0.0), (-0.3, 0.45)], 0.05, centre=(-0.13, 0.15)), DOLPHIN, body,
           pos=(0, 0.025, 0.26), hpr=(0, 90, 0))  # dorsal fin, upright
    for side in (-1, 1):
        k.part(geo.fan_prism(_ccw([(0.0, 0.0), (0.3, 0.0), (-0.05, -0.3)]), 0.04, centre=(0.08, -0.1)), DOLPHIN, body,
               pos=(0.3, side * 0.28, -0.15), hpr=(0, 0, side * 40))
    tail = k.joint("tail", body, pos=(-0.9, 0, 0))
    k.part(geo.fan_prism(_ccw([(0.05, 0.0), (-0.35, 0.4), (-0.22, 0.0), (-0.35, -0.4)]), 0.05,
                         centre=(-0.1, 0.0)), DOLPHIN, tail)

    def swim(t: float) -> None:
        body.setR(7 * _wave(t, 0.6))
        tail.setR(22 * _wave(t, 1.2))
    k.animate(swim)


def _fish(k: _Kit) -> None:
    body = k.joint("body")
    k.part(geo.sphere(1.0, 10, 18), palette.ORANGE, body, scale=(0.8, 0.3, 0.5))
    for x in (0.3, -0.25):
        k.part(geo.cylinder(1.0, 0.12, 16), palette.WHITE, body, pos=(x - 0.06, 0, 0), hpr=(0, 0, 90),
               scale=(0.5 * math.sqrt(1 - (x / 0.8) ** 2) + 0.01, 0.3 * math.sqrt(1 - (x / 0.8) ** 2) + 0.01, 1.0))
    for side in (-1, 1):
        k.part(geo.sphere(0.11, 6, 8), palette.WHITE, body, pos=(0.55, side * 0.2, 0.12))
        k.part(geo.sphere(0.06, 5, 6), DARK, body, pos=(0.6, side * 0.26, 0.13))
    k.part(geo.fan_prism([(-0.3, 0.0), (0.25, 0.0), (-0.15, 0.3)], 0.04, centre=(-0.07, 0.1)), palette.ORANGE,
           body, pos=(0, 0.02, 0.4), hpr=(0, 90, 0))
    tail = k.joint("tail", body, pos=(-0.72, 0, 0))
    k.part(geo.fan_prism(_ccw([(0.05, 0.0), (-0.45, 0.42), (-0.35, 0.0), (-0.45, -0.42)]), 0.05,
                         centre=(-0.15, 0.0)), palette.ORANGE, tail, hpr=(0, 90, 0), pos=(0, 0.025, 0))
    k.animate(lambda t: tail.setH(25 * _wave(t, 1.8)))


def _crab(k: _Kit) -> None:
    red = (214, 80, 40)
    body = k.joint("body")
    k.part(geo.sphere(1.0, 10, 18), red, body, pos=(0, 0, 0.3), scale=(0.8, 0.55, 0.32))
    for side in (-1, 1):
        k.part(geo.cylinder(0.04, 0.3, 5), red, body, pos=(side * 0.2, 0.3, 0.45))
        k.part(geo.sphere(0.1, 6, 8), palette.WHITE, body, pos=(side * 0.2, 0.3, 0.78))
        k.part(geo.sphere(0.05, 5, 6), DARK, body, pos=(side * 0.2, 0.24, 0.82))
        for i, y in enumerate((-0.3, -0.05, 0.2)):
            k.part(geo.box(0.5, 0.07, 0.07), red, body, pos=(side * 0.85, y, 0.16), hpr=(side * (10 - 10 * i), 0,
                                                                                        side * -25))
        claw = k.joint(f"claw-{side}", body, pos=(side * 0.7, 0.55, 0.35))
        k.part(geo.sphere(0.28, 8, 10), red, claw, scale=(1, 1.2, 0.8))
        pincer = k.joint(f"pincer-{side}", claw, pos=(0, 0.25, 0))
        k.part(geo.cone(0.1, 0.35, 6), red, pincer, hpr=(0, -90, 0), pos=(side * 0.08, 0, 0))

        def pinch(t: float, pincer: NodePath = pincer, side: int = side) -> None:
            pincer.setH(side * 20 * (0.5 + 0.5 * _wave(t, 0.9, side)))
        k.animate(pinch)
    k.animate(lambda t: body.setX(0.06 * _wave(t, 0.5)))


def _boat(k: _Kit) -> None:
    rock = k.joint("rock")
    hull = [(-0.95, -0.32), (0.6, -0.32), (1.0, 0.0), (0.6, 0.32), (-0.95, 0.32)]
    k.part(geo.fan_prism(_ccw(hull), 0.32), palette.VERMILLION, rock)
    k.part(geo.fan_prism(_ccw([(x * 0.92, y * 0.8) for x, y in hull]), 0.04), (150, 100, 60), rock, pos=(0, 0, 0.3))
    k.part(geo.box(1.9, 0.66, 0.06), palette.WHITE, rock, pos=(-0.05, 0, 0.26), scale=(0.98, 1.0, 1.0))
    k.part(geo.cylinder(0.035, 1.3, 6), (120, 84, 50), rock, pos=(0.05, 0, 0.3))
    k.part(geo.fan_prism([(0.0, 0.0), (-0.75, 0.0), (0.0, 1.15)], 0.02, centre=(-0.2, 0.35)), palette.WHITE, rock,
           pos=(0.0, 0.01, 0.4), hpr=(0, 90, 0), two_sided=True)
    k.part(geo.fan_prism([(0.0, 0.0), (0.6, 0.0), (0.0, 0.8)], 0.02, centre=(0.15, 0.25)), palette.YELLOW, rock,
           pos=(0.1, 0.01, 0.45), hpr=(0, 90, 0), two_sided=True)

    def sway(t: float) -> None:
        rock.setR(6 * _wave(t, 0.4))
        rock.setP(2 * _wave(t, 0.3, 1.0))
    k.animate(sway)


def _buoy(k: _Kit) -> None:
    bob = k.joint("bob")
    k.part(geo.torus(0.6, 0.14, 20, 8), palette.WHITE, bob, pos=(0, 0, 0.12))
    for i, colour in enumerate((palette.VERMILLION, palette.WHITE, palette.VERMILLION)):
        k.part(geo.cylinder(0.42 - i * 0.08, 0.3, 16, bottom=False), colour, bob, pos=(0, 0, 0.05 + i * 0.3))
    k.part(geo.cone(0.26, 0.25, 16), palette.VERMILLION, bob, pos=(0, 0, 0.95))
    lamp = k.joint("lamp", bob, pos=(0, 0, 1.2))
    k.part(geo.sphere(0.14, 8, 10), palette.YELLOW, lamp, glow=True)

    def float_(t: float) -> None:
        bob.setZ(0.06 * _wave(t, 0.45))
        bob.setR(5 * _wave(t, 0.35, 0.7))
        on = 1.0 if (t % 2.0) < 0.6 else 0.45
        lamp.setColorScale(on, on, on, 1.0)
    k.animate(float_)


def _shell(k: _Kit) -> None:
    k.part(geo.scallop(1.0, 9, 0.35), (246, 196, 170), pos=(0, -0.45, 0.02), hpr=(0, 18, 0))
    k.part(geo.box(0.5, 0.2, 0.12), (222, 160, 130), pos=(0, -0.5, 0.0))


def _jellyfish(k: _Kit) -> None:
    bell = k.joint("bell", pos=(0, 0, 0.2))
    k.part(geo.sphere(0.85, 10, 20, lower_only=False), palette.PURPLE, bell, scale=(1, 1, 0.7))
    k.part(geo.torus(0.78, 0.09, 20, 6), (238, 190, 215), bell)
    for x in (-0.26, 0.26):
        k.part(geo.sphere(0.09, 5, 8), DARK, bell, pos=(x, -0.72, 0.22))
    arms = k.joint("arms", pos=(0, 0, 0.15))
    for i in range(8):
        a = math.tau * i / 8
        tentacle = k.joint(f"tentacle-{i}", arms, pos=(0.6 * math.cos(a), 0.6 * math.sin(a), 0))
        for j in range(3):  # three hanging pieces, each tilted a little more: a wavy line
            k.part(geo.cylinder(0.05 - j * 0.01, 0.38, 5), (238, 190, 215), tentacle,
                   pos=(0.04 * (j % 2), 0, -0.35 * (j + 1)), hpr=(0, 0, 8 if j % 2 else -8))

        def sway(t: float, tentacle: NodePath = tentacle, i: int = i) -> None:
            tentacle.setR(10 * _wave(t, 0.7, i * 0.8))
        k.animate(sway)

    def pulse(t: float) -> None:
        squeeze = 0.5 + 0.5 * _wave(t, 0.6)
        bell.setScale(1.0 + 0.08 * squeeze, 1.0 + 0.08 * squeeze, 1.0 - 0.12 * squeeze)
    k.animate(pulse)


def _rocket(k: _Kit) -> None:
    k.part(geo.cylinder(0.38, 1.1, 20), palette.WHITE)
    k.part(geo.cone(0.38, 0.65, 20), palette.VERMILLION, pos=(0, 0, 1.1))
    k.part(geo.cylinder(0.2, 0.04, 16), palette.SKY, pos=(0, -0.37, 0.75), hpr=(0, 90, 0))
    k.part(geo.torus(0.2, 0.04, 16, 6), palette.BLUE, pos=(0, -0.38, 0.75), hpr=(0, 90, 0))
    for angle in (0, 120, 240):
        k.part(geo.fan_prism([(0.0, 0.0), (0.42, 0.0), (0.0, 0.55)], 0.06, centre=(0.12, 0.15)), palette.VERMILLION,
               pos=(0.3 * math.sin(math.radians(angle)), -0.3 * math.cos(math.radians(angle)), 0.0),
               hpr=(angle - 90, 90, 0))
    flame = k.joint("flame", pos=(0, 0, 0.02))
    k.part(geo.cone(0.26, 0.55, 12), palette.ORANGE, flame, hpr=(0, 180, 0), glow=True)
    k.part(geo.cone(0.14, 0.35, 10), palette.YELLOW, flame, hpr=(0, 180, 0), pos=(0, 0, -0.02), glow=True)
    k.animate(lambda t: flame.setSz(0.8 + 0.25 * abs(_wave(t, 3.3)) + 0.1 * _wave(t, 7.1)))


def _planet(k: _Kit) -> None:
    spin = k.joint("spin", hpr=(0, 0, 12))
    k.part(geo.sphere(0.8, 12, 24), palette.ORANGE, spin)
    for z, r in ((0.35, 0.72), (-0.05, 0.8), (-0.45, 0.66)):
        k.part(geo.cylinder(r + 0.012, 0.1, 24, top=False, bottom=False), palette.VERMILLION, spin, pos=(0, 0, z))
    k.part(geo.annulus(0.98, 1.3, 1.0, 40), (240, 228, 180), hpr=(0, -14, 8), two_sided=True)
    k.animate(lambda t: spin.setH(t * 20 % 360))


def _star(k: _Kit) -> None:
    turn = k.joint("turn")
    k.part(geo.star3d(1.0, 0.45, 0.35), palette.YELLOW, turn)
    k.part(geo.star3d(0.5, 0.22, 0.4), (255, 246, 170), turn, glow=True)

    def shine(t: float) -> None:
        turn.setH(28 * _wave(t, 0.25))  # a sway, never edge-on
        turn.setScale(1.0 + 0.06 * _wave(t, 1.1))
    k.animate(shine)


def _asteroid(k: _Kit) -> None:
    tumble = k.joint("tumble")
    k.part(geo.lumpy(0.95, seed=5, roughness=0.35), (124, 112, 104), tumble)
    for x, y, z in ((0.5, -0.6, 0.3), (-0.4, -0.5, -0.4), (0.1, -0.2, 0.85)):
        k.part(geo.sphere(0.2, 6, 8), (84, 76, 72), tumble, pos=(x, y, z), scale=(1, 1, 0.5))

    def roll(t: float) -> None:
        tumble.setHpr(t * 23 % 360, t * 17 % 360, 0)
    k.animate(roll)


def _moon_rock(k: _Kit) -> None:
    k.part(geo.lumpy(1.0, seed=11, roughness=0.28, rings=7, segments=12), (172, 172, 178))
    for x, y, z, r in ((0.45, -0.55, 0.35, 0.22), (-0.5, -0.5, 0.1, 0.16), (0.0, -0.35, 0.8, 0.14),
                       (-0.2, 0.4, 0.75, 0.18)):
        k.part(geo.sphere(r, 6, 8), ROCK_DARK, pos=(x, y, z), scale=(1, 1, 0.45))


def _landing_pad(k: _Kit) -> None:
    k.part(geo.cylinder(1.0, 0.06, 32), (70, 74, 84))
    k.part(geo.annulus(0.78, 0.88, 1.0, 40), palette.YELLOW, pos=(0, 0, 0.062))
    for x in (-0.22, 0.22):
        k.part(geo.box(0.12, 0.7, 0.01), palette.WHITE, pos=(x, 0, 0.062))
    k.part(geo.box(0.44, 0.12, 0.01), palette.WHITE, pos=(0, 0, 0.062))
    lights = []
    for i in range(8):
        a = math.tau * i / 8
        light = k.joint(f"light-{i}", pos=(0.94 * math.cos(a), 0.94 * math.sin(a), 0.08))
        k.part(geo.sphere(0.07, 5, 8), palette.SKY, light, glow=True)
        lights.append(light)

    def chase(t: float) -> None:
        lit = int(t * 6) % 8
        for i, light in enumerate(lights):
            level = 1.0 if i == lit else 0.4
            light.setColorScale(level, level, level, 1.0)
    k.animate(chase)


def _clock_hand(k: _Kit) -> None:
    k.part(geo.fan_prism(_ccw([(-0.12, -0.2), (0.12, -0.2), (0.08, 0.7), (0.0, 1.0), (-0.08, 0.7)]), 0.06,
                         centre=(0.0, 0.2)), (20, 20, 24))
    k.part(geo.cylinder(0.2, 0.1, 16), palette.ORANGE)


def _ring(k: _Kit) -> None:
    k.part(geo.torus(0.9, 0.09, 40, 8), palette.ORANGE, pos=(0, 0, 0.09))
    for i in range(8):
        a = math.tau * i / 8
        k.part(geo.sphere(0.06, 4, 6), palette.WHITE, pos=(0.9 * math.cos(a), 0.9 * math.sin(a), 0.17))


def _dot(k: _Kit) -> None:
    k.part(geo.sphere(0.8, 12, 20), palette.SKY, pos=(0, 0, 0.8))
    k.part(geo.torus(0.82, 0.08, 28, 6), palette.WHITE, pos=(0, 0, 0.8))


BUILDERS: dict[str, Callable[[_Kit], None]] = {
    "ladybird": _ladybird, "leaf": _leaf, "lily_pad": _lily_pad, "flower": _flower, "bee": _bee,
    "butterfly": _butterfly, "firefly": _firefly, "ball": _ball, "fountain": _fountain, "dolphin": _dolphin,
    "fish": _fish, "crab": _crab, "boat": _boat, "buoy": _buoy, "shell": _shell, "jellyfish": _jellyfish,
    "rocket": _rocket, "planet": _planet, "star": _star, "asteroid": _asteroid, "moon_rock": _moon_rock,
    "landing_pad": _landing_pad, "clock_hand": _clock_hand, "ring": _ring, "dot": _dot,
}
assert set(BUILDERS) == set(SPRITES), "every Sprite needs a 3D model"


def _ccw(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The outline in counter-clockwise order (the fan prism's top faces up)."""
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=True))
    return points if area >= 0 else list(reversed(points))


class ModelLibrary:
    """Each sprite's model, built on first use and kept; instances share it; ``animate`` poses its joints."""

    def __init__(self) -> None:
        self._models: dict[str, NodePath] = {}
        self._animations: dict[str, list[Animation]] = {}
        self.builds = 0  # how many models were built (tests: once each, never per frame)

    def model(self, name: str) -> NodePath:
        """The shared model of sprite ``name`` (an unknown name gets the dot)."""
        key = name if name in BUILDERS else "dot"
        found = self._models.get(key)
        if found is None:
            kit = _Kit(f"sprite-{key}")
            BUILDERS[key](kit)
            found, self._animations[key] = kit.finish()
            self._models[key] = found
            self.builds += 1
        return found

    def instance(self, name: str, parent: NodePath) -> NodePath:
        """A new holder under ``parent`` showing sprite ``name``: move, turn and scale the holder."""
        holder = parent.attachNewNode(f"holder-{name}")
        self.model(name).instanceTo(holder)
        return holder

    def animate(self, names: Iterable[str], t_s: float) -> None:
        """Pose the moving parts of these sprites for time ``t_s`` (each sprite once)."""
        done: set[str] = set()
        for name in names:
            key = name if name in BUILDERS else "dot"
            if key in done:
                continue
            done.add(key)
            for animation in self._animations.get(key, ()):
                animation(t_s)

    def build_all(self) -> None:
        """Build every model now (the view's warm-up), so none is built mid-play."""
        for name in SPRITES:
            self.model(name)


def sprite_names() -> tuple[Sprite, ...]:
    """Every sprite name (tests, screenshots)."""
    return SPRITES
