"""The 3D play scene: a wobble board on a plinth that tilts with the player's control.

Everything a ``Snapshot`` can show is drawn generically from its shapes, so a new
challenge kind renders without changes here: targets by role ("zone", "target", "home",
anything else as a plain zone), the ``path`` polyline as a ribbon, ``walls`` as boxes,
``items`` by role and the marker. What each role looks like is the snapshot's ``art``: the
player, target, home, collect and avoid pictures are instances of the models of
``p3d_models.py`` (a ladybird on a leaf, a dolphin through a ring), the backdrop a scene of
``p3d_models_scenes.py`` (built once each, then shown or stashed). Animation is a function of
snapshot time: idle motion, a burst of sparks on a success, a slow nod and a few drops on a
miss, and streaks drifting the way the level's wind or waves push (``Snapshot.push``).
Positions on the board are in LOS units (the field node is scaled by ``FIELD_M``), so the
scene reads snapshot coordinates directly. The scene decides nothing: it interpolates
between the frame's two snapshots and poses nodes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from panda3d.core import AmbientLight, DirectionalLight, NodePath, Quat, TransparencyAttrib, Vec3

from game.core.art import NEUTRAL_ART, THEME_ART, ArtView
from game.core.snapshot import Frame, ItemView, Snapshot, TargetView
from game.level.model import BACKDROPS, SPRITES
from game.views import p3d_geometry as geo
from game.views import theme as palette
from game.views.p3d_models import ModelLibrary, spec
from game.views.p3d_models_scenes import BOARDS, SKIES, board_look, build_backdrop, hour_marks
from game.views.theme import Theme, theme_for

Walls = tuple[tuple[float, float, float, float], ...]  # Snapshot.walls: segments x0, y0, x1, y1

FIELD_M = 0.4  # metres per LOS unit: the board's field (radius 1 LOS) is 0.8 m across
BOARD_RADIUS = 1.22  # LOS units: the field plus a rim
BOARD_THICKNESS = 0.08  # LOS units
DOME_RADIUS = 0.42  # LOS units: the wobble board's half-ball underneath
BOARD_CENTRE_M = (0.0, 1.0, 1.05)  # the board's top centre in world metres (floor z = 0)
MAX_TILT_DEG = 15.0  # board tilt at |control| = 1
MARKER_RADIUS = 0.07  # LOS units
PATH_WIDTH = 0.05  # LOS units
WALL_HEIGHT = 0.14  # LOS units
TARGET_LIFT = 0.004  # LOS units above the board top, per layer, against z-fighting
PROGRESS_STEPS = 64  # the hold ring fills in this many visible steps

# The wind, waves or solar wind that push the marker, drawn as streaks of that kind per backdrop.
PUSH_KIND = {"pond": "waves", "sea": "waves", "beach": "waves", "space": "solar", "moon": "solar"}
SKY_COLOUR = SKIES  # the clear colour behind each backdrop
# A maze's walls are the backdrop's own: hedges in a garden, rock on the moon, driftwood on the beach.
WALL_COLOUR = {"garden": (58, 128, 66), "night_garden": (40, 92, 56), "pond": (58, 128, 66), "moon": (170, 170, 176),
               "beach": (176, 140, 100), "sea": (205, 200, 190), "space": (150, 160, 200), "clock": (200, 170, 90)}


def rgba(colour: Sequence[int], alpha: float = 1.0) -> tuple[float, float, float, float]:
    """An 8-bit palette colour as panda3d's 0-1 floats."""
    return (colour[0] / 255, colour[1] / 255, colour[2] / 255, alpha)


def tilt_hpr(control: tuple[float, float]) -> tuple[float, float, float]:
    """The board's heading/pitch/roll for a control position: it dips the way the player leans.

    Leaning right (x > 0) lowers the right edge, leaning forward (y > 0) lowers the front
    edge, ``MAX_TILT_DEG`` at |control| = 1 (clamped there).
    """
    x = max(-1.0, min(1.0, control[0]))
    y = max(-1.0, min(1.0, control[1]))
    return (0.0, -y * MAX_TILT_DEG, x * MAX_TILT_DEG)


def _lerp(a: float, b: float, alpha: float) -> float:
    return a + (b - a) * alpha


class _Facing:
    """Which way a moving sprite looks: toward where it goes ("free"), or its left or right side ("profile")."""

    def __init__(self) -> None:
        self.heading = 0.0
        self.left = False

    def turn(self, facing: str, dx: float, dy: float) -> float:
        """The holder's heading after a move of (dx, dy) LOS units (eased, so it never snaps)."""
        moving = math.hypot(dx, dy) > 2e-4
        if facing == "profile":
            if abs(dx) > 2e-4:
                self.left = dx < 0
            goal = 180.0 if self.left else 0.0
        elif facing == "free" and moving:
            goal = math.degrees(math.atan2(dy, dx)) - 90.0  # models face +y
        else:
            return self.heading
        delta = (goal - self.heading + 180.0) % 360.0 - 180.0
        self.heading += delta * 0.2
        return self.heading


def push_of(snap: Snapshot) -> tuple[float, float]:
    """The wind/wave push acting on the marker (LOS units), (0, 0) when none or when the snapshot has none."""
    push = getattr(snap, "push", None)
    if not isinstance(push, tuple) or len(push) != 2:
        return (0.0, 0.0)
    try:
        x, y = float(push[0]), float(push[1])
    except (TypeError, ValueError):
        return (0.0, 0.0)
    if not (math.isfinite(x) and math.isfinite(y)):
        return (0.0, 0.0)
    return (x, y)


def sprite_size(name: str, role: str, radius: float) -> float:
    """How big a sprite is drawn (LOS units) for a role of ``radius``: flat ones fill a zone, others stand in it."""
    look = spec(name)
    if role != "home" and role not in ("collect", "avoid", "marker"):  # a zone, target, goal or thing to follow
        if look.pose == "flat":
            return radius * (1.0 if name == "ring" else 0.9)
        return min(radius * 0.75, 0.16) * look.size
    if role == "home":
        return min(radius * 0.5, 0.1) * look.size
    return radius * look.size  # items and the marker: the sprite is the thing


class _TargetNode:
    """One target's nodes; rebuilt only when its look (role, size, inside, picture) changes."""

    def __init__(self, parent: NodePath, library: ModelLibrary) -> None:
        self.root = parent.attachNewNode("target")
        self.library = library
        self.key: tuple[str, float, bool, str, str] | None = None
        self.body: NodePath | None = None
        self.sprite: NodePath | None = None
        self.sprite_name = ""
        self.sprite_lift = 0.0
        self.sprite_size = 0.0
        self.facing = _Facing()
        self.last_xy: tuple[float, float] | None = None
        self.progress_key: int = -1
        self.progress: NodePath | None = None
        self._rings: dict[tuple[int, float], NodePath] = {}
        self._bodies: dict[tuple[str, float, bool, str, str], tuple[NodePath, NodePath | None, str, float, float]] = {}

    def show(self, target: TargetView, theme: Theme, picture: str, progress: float | None, t_s: float) -> None:
        key = (target.role, round(target.radius, 4), target.inside, theme.name, picture)
        if key != self.key:
            self.key = key
            if self.body is not None:
                self.body.stash()
            cached = self._bodies.get(key)
            if cached is None:  # built once per look; stepping in and out of a zone only swaps two
                if len(self._bodies) >= 8:
                    oldest = next(iter(self._bodies))
                    self._bodies.pop(oldest)[0].removeNode()
                cached = (self._build(target, theme, picture), self.sprite, self.sprite_name, self.sprite_size,
                          self.sprite_lift)
                self._bodies[key] = cached
            self.body, self.sprite, self.sprite_name, self.sprite_size, self.sprite_lift = cached
            self.body.unstash()
            self.progress_key = -1
        self.root.setPos(target.x, target.y, 0.0)
        self.root.show()
        steps = 0 if progress is None else int(round(max(0.0, min(1.0, progress)) * PROGRESS_STEPS))
        if steps != self.progress_key:
            self.progress_key = steps
            if self.progress is not None:
                self.progress.detachNode()
                self.progress = None
            if steps:
                self.progress = self._ring(steps, max(target.radius, 0.05))
                self.progress.reparentTo(self.root)
        if self.sprite is not None:  # idle motion: floating things bob, moving targets face their way
            look = spec(self.sprite_name)
            dx, dy = (0.0, 0.0) if self.last_xy is None else (target.x - self.last_xy[0], target.y - self.last_xy[1])
            self.last_xy = (target.x, target.y)
            bob = 0.12 * self.sprite_size * math.sin(t_s * 1.4) if look.pose == "hover" else 0.0
            self.sprite.setZ(self.sprite_lift + bob)
            self.sprite.setH(self.facing.turn(look.facing, dx, dy))

    def _ring(self, steps: int, r: float) -> NodePath:
        """The progress arc for ``steps`` of ``PROGRESS_STEPS``, built once per size and kept."""
        key = (steps, round(r, 4))
        ring = self._rings.get(key)
        if ring is None:
            if len(self._rings) > 4 * PROGRESS_STEPS:
                self._rings.clear()
            ring = NodePath(geo.annulus(r + 0.045, r + 0.095, steps / PROGRESS_STEPS, 64))
            ring.setZ(TARGET_LIFT * 4)
            ring.setColor(rgba(palette.YELLOW))
            ring.setLightOff()
            self._rings[key] = ring
        return ring

    def _build(self, target: TargetView, theme: Theme, picture: str) -> NodePath:
        body = self.root.attachNewNode("body")
        r = max(target.radius, 0.03)
        inside = target.inside
        self.sprite = None
        if target.role == "home":
            ring = body.attachNewNode(geo.annulus(r - 0.03, r, dashes=12))
            ring.setColor(rgba(palette.GREEN if inside else palette.WHITE))
            ring.setZ(TARGET_LIFT * 3)
            ring.setLightOff()
            if picture != "ring":
                self._place_sprite(body, picture, target.role, r)
        else:
            role_colour = theme.target  # a zone, a reach target, a maze's goal, a thing to follow: the level's picture
            fill_colour = palette.GREEN if inside else role_colour
            fill = body.attachNewNode(geo.disc(r, 48))
            fill.setZ(TARGET_LIFT * 2)
            fill.setColor(rgba(fill_colour, 0.45))
            fill.setTransparency(TransparencyAttrib.MAlpha)
            fill.setDepthWrite(False)
            fill.setLightOff()
            rim_width = 0.045 if inside else 0.025  # not colour alone: the rim thickens inside
            rim = body.attachNewNode(geo.annulus(r - rim_width, r, 1.0, 64))
            rim.setZ(TARGET_LIFT * 3)
            rim.setColor(rgba(palette.WHITE if inside else fill_colour))
            rim.setLightOff()
            self._place_sprite(body, picture, target.role, r)
            if target.role == "target" and spec(picture).pose == "hover":  # a post under a floating goal
                post = body.attachNewNode(geo.cylinder(0.008, self.sprite_lift, 8))
                post.setColor(rgba(palette.WHITE))
        if inside:  # a check mark floating over the target, facing the eye
            check = body.attachNewNode("check")
            check.setPos(r * 0.75, 0, 0.22)
            check.setBillboardPointEye()
            badge = check.attachNewNode(geo.disc(0.07, 24))
            badge.setP(-90)
            badge.setColor(rgba(palette.GREEN))
            tick = check.attachNewNode("tick")
            tick.setY(-0.002)
            for (x0, z0), (x1, z1) in (((-0.04, 0.0), (-0.01, -0.03)), ((-0.01, -0.03), (0.045, 0.035))):
                length = math.hypot(x1 - x0, z1 - z0)
                stroke = tick.attachNewNode(geo.box(length + 0.012, 0.002, 0.014))
                stroke.setPos((x0 + x1) / 2, 0, (z0 + z1) / 2 - 0.007)
                stroke.setR(-math.degrees(math.atan2(z1 - z0, x1 - x0)))
                stroke.setColor(rgba(palette.WHITE))
            check.setLightOff()
            check.setTwoSided(True)
        return body

    def _place_sprite(self, body: NodePath, picture: str, role: str, r: float) -> None:
        look = spec(picture)
        size = sprite_size(picture, role, r)
        self.sprite = self.library.instance(picture, body)
        self.sprite.setScale(size)
        self.sprite_name, self.sprite_size = picture, size
        if look.pose == "hover":
            self.sprite_lift = 0.12 + look.hover * size
        elif look.rolls or picture == "dot":
            self.sprite_lift = size if look.rolls else TARGET_LIFT * 4
        else:
            self.sprite_lift = TARGET_LIFT * 4

    def hide(self) -> None:
        self.root.hide()


class _Effects:
    """The success burst, the gentle failure and the wind/wave streaks: small pooled nodes posed from time."""

    BURST_S = 1.1
    SIGH_S = 1.2

    def __init__(self, field: NodePath) -> None:
        self.root = field.attachNewNode("effects")
        self.root.setLightOff()
        self.burst = self.root.attachNewNode("burst")
        self.sparks: list[NodePath] = []
        for i in range(12):
            if i % 2:
                spark = self.burst.attachNewNode(geo.star3d(1.0, 0.45, 0.3))
                spark.setColor(rgba(palette.YELLOW))
            else:
                spark = self.burst.attachNewNode(geo.sphere(0.6, 5, 8))
                spark.setColor(rgba(palette.GREEN if i % 4 == 0 else palette.WHITE))
            spark.setBillboardAxis()
            self.sparks.append(spark)
        self.drops = self.root.attachNewNode("drops")
        self.drop_nodes: list[NodePath] = []
        for _ in range(5):
            drop = self.drops.attachNewNode(geo.sphere(1.0, 5, 8))
            drop.setColor(rgba(palette.SKY, 0.8))
            drop.setTransparency(TransparencyAttrib.MAlpha)
            self.drop_nodes.append(drop)
        self.streaks = self.root.attachNewNode("streaks")
        self.streaks.setTransparency(TransparencyAttrib.MAlpha)
        self.streaks.setDepthWrite(False)
        self.streak_nodes: list[tuple[NodePath, float, float, float]] = []
        state = 3
        for _ in range(10):
            state = (state * 1103515245 + 12345) % (2**31)
            along = (state % 1000) / 1000
            state = (state * 1103515245 + 12345) % (2**31)
            across = (state % 1000) / 1000 * 2.2 - 1.1
            state = (state * 1103515245 + 12345) % (2**31)
            streak = self.streaks.attachNewNode(geo.box(1.0, 0.018, 0.008))
            self.streak_nodes.append((streak, along, across, 0.6 + (state % 1000) / 1000 * 0.6))
        self.streak_kind = ""
        self.key: tuple[int, int, str | None] | None = None
        self.started_t = -99.0
        self.outcome: str | None = None
        self.at = (0.0, 0.0)
        self.burst.hide()
        self.drops.hide()
        self.streaks.hide()

    def trial_end(self, snap: Snapshot, marker: tuple[float, float]) -> None:
        """Start the burst or the sigh the first frame a trial's feedback shows."""
        if snap.phase != "feedback" or snap.last_outcome is None:
            self.key = None  # the next feedback is a new one (even the same trial of the next level)
            return
        key = (snap.challenge_index, snap.trial, snap.last_outcome)
        if key == self.key:
            return
        self.key = key
        self.started_t = snap.t_s
        self.outcome = snap.last_outcome
        self.at = marker

    def pose(self, t_s: float) -> float:
        """Pose the burst or the falling drops; the marker's droop (degrees of pitch) for the sigh."""
        age = t_s - self.started_t
        if self.outcome == "success" and 0.0 <= age < self.BURST_S:
            self.burst.show()
            self.burst.setPos(self.at[0], self.at[1], 0.05)
            k = age / self.BURST_S
            spread = 0.1 + 0.5 * (1 - (1 - k) ** 3)
            for i, spark in enumerate(self.sparks):
                a = math.tau * i / len(self.sparks) + k * 0.8
                spark.setPos(spread * math.cos(a), spread * math.sin(a), 0.05 + 0.35 * k - 0.25 * k * k)
                spark.setScale(0.05 * (1.0 - k) + 0.008)
        else:
            self.burst.hide()
        if self.outcome == "fail" and 0.0 <= age < self.SIGH_S:
            self.drops.show()
            self.drops.setPos(self.at[0], self.at[1], 0.0)
            k = age / self.SIGH_S
            for i, drop in enumerate(self.drop_nodes):
                a = math.tau * i / len(self.drop_nodes)
                drop.setPos(0.09 * math.cos(a), 0.09 * math.sin(a), 0.25 - 0.2 * k + 0.02 * i)
                drop.setScale(0.014 * (1.0 - 0.6 * k))
            return 14.0 * math.sin(math.pi * k)  # a slow nod, then back up
        self.drops.hide()
        return 0.0

    def push(self, push: tuple[float, float], kind: str, t_s: float) -> None:
        """Streaks that drift across the board the way the wind (waves, solar wind) pushes, as long as it does."""
        strength = math.hypot(*push)
        if strength < 0.004:
            self.streaks.hide()
            return
        if kind != self.streak_kind:
            self.streak_kind = kind
            colour = {"waves": (225, 245, 255), "solar": palette.YELLOW}.get(kind, (240, 248, 240))
            self.streaks.setColor(rgba(colour, 1.0))
        self.streaks.show()
        ux, uy = push[0] / strength, push[1] / strength
        heading = math.degrees(math.atan2(uy, ux))
        length = 0.08 + min(0.2, strength)
        alpha = min(0.55, 0.2 + strength * 2.5)
        self.streaks.setAlphaScale(alpha)
        span = 2.6
        for streak, along, across, speed in self.streak_nodes:
            s = ((along + t_s * speed * (0.25 + strength)) % 1.0) * span - span / 2
            x, y = ux * s - uy * across, uy * s + ux * across
            fade = 1.0 - abs(s) / (span / 2)  # appear and vanish at the ends, never pop
            if x * x + y * y > 1.44 or fade <= 0.05:
                streak.hide()
                continue
            streak.show()
            streak.setPos(x, y, 0.05 + (0.02 * math.sin(t_s * 3 + across * 5) if kind == "waves" else 0.08))
            streak.setH(heading)
            streak.setScale(length * fade, 1.0, 1.0)


class PlayScene:
    """The board, what lies on it and the backdrop; ``update(frame)`` poses it."""

    def __init__(self, parent: NodePath) -> None:
        self.root = parent.attachNewNode("play-scene")
        self.library = ModelLibrary()
        self.theme_name: str | None = None
        self.backdrop_name: str | None = None
        self.backdrop = self.root.attachNewNode("backdrop")
        self._backdrops: dict[str, tuple[NodePath, list[Callable[[float], None]], tuple[str, ...]]] = {}
        self.board_anchor = self.root.attachNewNode("board-anchor")
        self.board_anchor.setPos(*BOARD_CENTRE_M)
        self.board = self.board_anchor.attachNewNode("board")  # tilts
        self.field = self.board.attachNewNode("field")  # LOS units
        self.field.setScale(FIELD_M)
        self.board_body = self.field.attachNewNode("board-body")
        self._boards: dict[str, NodePath] = {}
        self.layer = self.field.attachNewNode("layer")  # targets, path, walls, items
        self.marker = self.field.attachNewNode("marker")  # moves
        self.marker_body = self.marker.attachNewNode("marker-body")  # bobs, turns, rolls, nods
        self.marker_look: str | None = None
        self._players: dict[str, NodePath] = {}
        self._facing = _Facing()
        self._roll = Quat()
        self._last_marker: tuple[float, float] | None = None
        self.hand = self.field.attachNewNode("clock-hand")  # the clock's hand from the middle to the marker
        self._build_hand()
        self.shadow = self.field.attachNewNode(geo.disc(MARKER_RADIUS * 1.15, 24))
        self.shadow.setZ(TARGET_LIFT * 5)
        self.shadow.setColor(0, 0, 0, 0.4)
        self.shadow.setTransparency(TransparencyAttrib.MAlpha)
        self.shadow.setDepthWrite(False)
        self.shadow.setLightOff()
        self.effects = _Effects(self.field)
        self._targets: list[_TargetNode] = []
        self._path_key: tuple[tuple[float, float], ...] | None = None
        self._path: NodePath | None = None
        self._walls_key: tuple[Walls, float, str] | None = None
        self._walls: NodePath | None = None
        self._items: dict[tuple[str, str], list[NodePath]] = {}
        self._lights()

    # -- building ------------------------------------------------------------------------
    def _lights(self) -> None:
        ambient = AmbientLight("ambient")
        ambient.setColor((0.55, 0.55, 0.58, 1))
        sun = DirectionalLight("sun")
        sun.setColor((0.62, 0.6, 0.56, 1))
        sun_np = self.root.attachNewNode(sun)
        sun_np.setHpr(-25, -60, 0)  # from behind-left and above: lit faces look at the player
        self.root.setLight(self.root.attachNewNode(ambient))
        self.root.setLight(sun_np)

    def _build_hand(self) -> None:
        """The clock's hand: a white blade with a dark middle line, an orange hub and a round tip (the marker)."""
        bar = self.hand.attachNewNode(geo.box(0.07, 1.0, 0.03))
        bar.setName("bar")
        bar.setColor(rgba(palette.WHITE))
        stripe = self.hand.attachNewNode(geo.box(0.025, 1.0, 0.034))
        stripe.setName("stripe")
        stripe.setColor(rgba((20, 20, 24)))
        hub = self.hand.attachNewNode(geo.cylinder(0.07, 0.05, 20))
        hub.setColor(rgba(palette.ORANGE))
        tip = self.hand.attachNewNode("tip")
        ring = tip.attachNewNode(geo.cylinder(MARKER_RADIUS, 0.04, 24))
        ring.setColor(rgba(palette.WHITE))
        dot = tip.attachNewNode(geo.cylinder(MARKER_RADIUS * 0.55, 0.045, 20))
        dot.setColor(rgba(palette.ORANGE))
        self.hand.hide()

    def set_theme(self, theme: Theme) -> None:
        """Remember the theme (the targets' colours follow it)."""
        if theme.name == self.theme_name:
            return
        self.theme_name = theme.name
        for target in self._targets:
            target.key = None

    def set_backdrop(self, name: str) -> None:
        """Show the scene and board of backdrop ``name`` (each built once, then kept)."""
        key = name if name in BOARDS else "garden"
        if key == self.backdrop_name:
            return
        if self.backdrop_name is not None:
            self._backdrops[self.backdrop_name][0].stash()
            self._boards[self.backdrop_name].stash()
        self.backdrop_name = key
        if key not in self._backdrops:
            plinth_top = BOARD_CENTRE_M[2] - (BOARD_THICKNESS + DOME_RADIUS) * FIELD_M
            node, animations = build_backdrop(key, self.backdrop, self.library, plinth_top, BOARD_CENTRE_M[:2])
            names = tuple(sorted({holder.getName()[len("holder-"):] for holder in node.findAllMatches("holder-*")}))
            self._backdrops[key] = (node, animations, names)
            self._boards[key] = self._build_board(key)
        self._backdrops[key][0].unstash()
        self._boards[key].unstash()

    def _build_board(self, backdrop: str) -> NodePath:
        look = board_look(backdrop)
        body = self.board_body.attachNewNode(f"board-{backdrop}")
        top = body.attachNewNode(geo.disc(BOARD_RADIUS, 72))
        top.setColor(rgba(look.top))
        rim = body.attachNewNode(geo.cylinder(BOARD_RADIUS, BOARD_THICKNESS, 72, top=False))
        rim.setZ(-BOARD_THICKNESS)
        rim.setColor(rgba(look.edge))
        dome = body.attachNewNode(geo.sphere(DOME_RADIUS, 12, 32, lower_only=True))
        dome.setZ(-BOARD_THICKNESS)
        dome.setColor(rgba(look.edge))
        grid = body.attachNewNode("grid")
        grid.setLightOff()
        grid.setZ(TARGET_LIFT)
        edge = grid.attachNewNode(geo.annulus(0.985, 1.015, 1.0, 96))  # the player's limits of stability
        edge.setColor(rgba(look.grid))
        half = grid.attachNewNode(geo.annulus(0.49, 0.505, 1.0, 64))
        half.setColor(rgba(look.grid))
        for angle in (0, 90):
            line = grid.attachNewNode(geo.box(2.0, 0.012, 0.001))
            line.setH(angle)
            line.setColor(rgba(look.grid))
        if backdrop == "clock":
            hour_marks(grid, look.grid, BOARD_RADIUS - 0.02)
        body.flattenStrong()
        return body

    def _player(self, name: str) -> NodePath:
        holder = self._players.get(name)
        if holder is None:
            holder = self.library.instance(name, self.marker_body)
            self._players[name] = holder
        if name != self.marker_look:
            for other, node in self._players.items():
                node.show() if other == name else node.hide()
            self.marker_look = name
            self._roll = Quat()
        return holder

    # -- per frame -----------------------------------------------------------------------
    def update(self, frame: Frame) -> None:
        """Pose the scene for one frame (interpolated between the frame's snapshots)."""
        snap, prev, a = frame.curr, frame.prev, frame.alpha
        theme = theme_for(snap.theme)
        art = snap.art
        self.set_theme(theme)
        self.set_backdrop(art.backdrop)
        control = (_lerp(prev.control[0], snap.control[0], a), _lerp(prev.control[1], snap.control[1], a))
        self.board.setHpr(*tilt_hpr(control))
        mx, my = frame.marker()
        self._pose_marker(art.player, (mx, my), snap)
        self._update_targets(snap, theme)
        self._update_path(snap.path)
        self._update_walls(snap.walls, snap.wall_thickness, theme)
        self._update_items(prev.items if len(prev.items) == len(snap.items) else snap.items, snap.items, a, snap)
        self.effects.push(push_of(snap), PUSH_KIND.get(self.backdrop_name or "", "wind"), snap.t_s)
        names = (art.player, art.target, art.home, art.collect, art.avoid, *self._backdrops[self.backdrop_name or
                                                                                              "garden"][2])
        self.library.animate(names, snap.t_s)
        for animation in self._backdrops[self.backdrop_name or "garden"][1]:
            animation(snap.t_s)

    def _pose_marker(self, name: str, at: tuple[float, float], snap: Snapshot) -> None:
        mx, my = at
        self.marker.setPos(mx, my, 0.0)
        self.shadow.setPos(mx, my, TARGET_LIFT * 5)
        self.marker.show()
        self.shadow.show()
        self.effects.trial_end(snap, at)
        nod = self.effects.pose(snap.t_s)
        dx, dy = (0.0, 0.0) if self._last_marker is None else (mx - self._last_marker[0], my - self._last_marker[1])
        if math.hypot(dx, dy) > 0.3:  # a jump (a new trial, a re-centre): no spin across the board
            dx = dy = 0.0
        self._last_marker = at
        if name == "clock_hand":
            self._pose_hand(mx, my)
            self.marker_body.hide()
            return
        self.hand.hide()
        self.marker_body.show()
        holder = self._player(name)
        look = spec(name)
        size = MARKER_RADIUS * (2.2 if look.pose == "flat" else 1.45) * look.size  # a flat leaf needs more area
        holder.setScale(size)
        if look.rolls:  # rolls along the board: one turn per circumference travelled
            dist = math.hypot(dx, dy)
            if dist > 1e-6:
                turn = Quat()
                turn.setFromAxisAngle(math.degrees(dist / size), Vec3(-dy / dist, dx / dist, 0.0))
                self._roll = self._roll * turn
            holder.setQuat(self._roll)
            self.marker_body.setPos(0, 0, size)
            self.marker_body.setHpr(0, 0, 0)
            return
        lift = (look.hover * size + 0.1 * size * math.sin(snap.t_s * 1.6)) if look.pose == "hover" else \
            (0.02 if look.pose == "flat" else 0.012)  # a flat player lies over the zone's fill
        self.marker_body.setPos(0, 0, lift)
        self.marker_body.setHpr(self._facing.turn(look.facing, dx, dy), -nod, 0)

    def _pose_hand(self, mx: float, my: float) -> None:
        """The clock's hand points from the board's middle to the marker (its tip is the marker)."""
        length = math.hypot(mx, my)
        self.hand.show()
        self.hand.setPos(0, 0, TARGET_LIFT * 6)
        self.hand.setH(math.degrees(math.atan2(my, mx)) - 90.0 if length > 1e-6 else 0.0)
        for part in ("bar", "stripe"):
            node = self.hand.find(part)
            node.setScale(1.0, max(length, 0.02), 1.0)
            node.setY(max(length, 0.02) / 2)
        self.hand.find("tip").setY(length)
        self.marker_body.hide()

    def idle(self, theme_name: str, control: tuple[float, float] = (0.0, 0.0)) -> None:
        """The board alone (title and results screens): no marker, targets or items.

        ``theme_name`` may be a theme ("ocean") or a backdrop ("night_garden").
        """
        self.set_theme(theme_for(theme_name))
        self.set_backdrop(theme_name if theme_name in BOARDS else THEME_ART.get(theme_name, NEUTRAL_ART).backdrop)
        self.board.setHpr(*tilt_hpr(control))
        self.marker.hide()
        self.shadow.hide()
        self.hand.hide()
        self.effects.burst.hide()
        self.effects.drops.hide()
        self.effects.streaks.hide()
        for target in self._targets:
            target.hide()
        self._update_path(())
        self._update_walls((), 0.0, theme_for(theme_name))
        for pool in self._items.values():
            for node in pool:
                node.hide()

    def _update_targets(self, snap: Snapshot, theme: Theme) -> None:
        while len(self._targets) < len(snap.targets):
            self._targets.append(_TargetNode(self.layer, self.library))
        show_progress = snap.phase in ("trial", "home") and snap.progress > 0
        for node, target in zip(self._targets, snap.targets, strict=False):
            picture = snap.art.home if target.role == "home" else snap.art.target
            node.show(target, theme, picture, snap.progress if show_progress else None, snap.t_s)
        for node in self._targets[len(snap.targets):]:
            node.hide()

    def _update_path(self, path: tuple[tuple[float, float], ...]) -> None:
        key = tuple(path)
        if key == self._path_key:
            return
        self._path_key = key
        if self._path is not None:
            self._path.removeNode()
            self._path = None
        if len(path) >= 2:
            self._path = self.layer.attachNewNode(geo.ribbon(path, PATH_WIDTH))
            self._path.setZ(TARGET_LIFT * 1.5)
            self._path.setColor(rgba(palette.WHITE, 0.85))
            self._path.setTransparency(TransparencyAttrib.MAlpha)
            self._path.setLightOff()

    def _update_walls(self, walls: Walls, thickness: float, theme: Theme) -> None:
        key = (tuple(walls), round(thickness, 5), self.backdrop_name or "")
        if key == self._walls_key:
            return
        self._walls_key = key
        if self._walls is not None:
            self._walls.removeNode()
            self._walls = None
        if walls:
            self._walls = self.layer.attachNewNode(geo.segments_as_boxes(walls, max(thickness, 0.02), WALL_HEIGHT))
            self._walls.setColor(rgba(WALL_COLOUR.get(self.backdrop_name or "", (205, 200, 190))))

    def _item_node(self, role: str, picture: str, index: int) -> NodePath:
        pool = self._items.setdefault((role, picture), [])
        while len(pool) <= index:
            node = self.layer.attachNewNode(f"item-{role}")
            if role in ("collect", "avoid"):
                # under each item a mark that says which it is, not by colour alone: a soft
                # disc under what to collect, a dashed warning ring under what to dodge
                if role == "collect":
                    mark = node.attachNewNode(geo.disc(1.0, 20))
                    mark.setColor(rgba(palette.YELLOW, 0.45))
                    mark.setTransparency(TransparencyAttrib.MAlpha)
                    mark.setDepthWrite(False)
                else:
                    mark = node.attachNewNode(geo.annulus(0.95, 1.15, dashes=8))
                    mark.setColor(rgba(palette.VERMILLION))
                mark.setZ(TARGET_LIFT * 2)
                mark.setLightOff()
                sprite = self.library.instance(picture, node)
                sprite.setName("sprite")
                look = spec(picture)
                sprite.setZ(look.hover * 0.8 if look.pose == "hover" else (1.0 if look.rolls else 0.0))
                sprite.setScale(0.8 * look.size)
            else:
                ball = node.attachNewNode(geo.sphere(1.0, 10, 20))
                ball.setZ(1.0)
                ball.setColor(rgba(palette.PURPLE))
            pool.append(node)
        return pool[index]

    def _update_items(self, before: tuple[ItemView, ...], items: tuple[ItemView, ...], alpha: float,
                      snap: Snapshot) -> None:
        used: dict[tuple[str, str], int] = {}
        t_s = snap.t_s
        for old, item in zip(before, items, strict=False):
            picture = snap.art.collect if item.role == "collect" else snap.art.avoid
            key: tuple[str, str] = (item.role, picture if item.role in ("collect", "avoid") else "")
            index = used.get(key, 0)
            used[key] = index + 1
            node = self._item_node(item.role, key[1], index)
            same = old.role == item.role
            x = _lerp(old.x, item.x, alpha) if same else item.x
            y = _lerp(old.y, item.y, alpha) if same else item.y
            node.setPos(x, y, 0)
            node.setScale(max(item.radius, 0.01) * 1.2)
            if item.role in ("collect", "avoid"):  # each bobs and sways on its own beat, never edge-on
                sprite = node.find("sprite")
                look = spec(key[1])
                base_z = look.hover * 0.8 if look.pose == "hover" else (1.0 if look.rolls else 0.0)
                phase = index * 1.7
                sprite.setZ(base_z + (0.15 * math.sin(t_s * 1.5 + phase) if look.pose == "hover" else 0.0))
                sprite.setH(25.0 * math.sin(t_s * 0.8 + phase) + (0.0 if look.facing != "profile" else
                                                                   (180.0 if item.x < old.x else 0.0)))
            node.show()
        for key, pool in self._items.items():
            for node in pool[used.get(key, 0):]:
                node.hide()

    def warm_up(self, render_frame: Callable[[], object]) -> None:
        """Build every picture and scene and draw each once, so nothing is first built or compiled mid-play."""
        import dataclasses

        self.library.build_all()
        names = SPRITES
        for i, backdrop in enumerate(BACKDROPS):
            k = i * 5
            art = ArtView(player=names[k % len(names)], target=names[(k + 1) % len(names)],
                          home=names[(k + 2) % len(names)], collect=names[(k + 3) % len(names)],
                          avoid=names[(k + 4) % len(names)], backdrop=backdrop)
            snap = sample_snapshot("garden", art=art)
            if hasattr(snap, "push"):
                snap = dataclasses.replace(snap, push=(0.05, 0.02))
            self.update(Frame(snap, snap, 1.0))
            render_frame()
        self.idle("garden")

    # -- geometry queries (tests, benchmarks) --------------------------------------------
    def world_point(self, x: float, y: float, z: float = 0.0) -> Vec3:
        """Where a point of the (tilted) field, in LOS units, is in world coordinates."""
        return self.root.getParent().getRelativePoint(self.field, Vec3(x, y, z))


def sample_snapshot(theme_name: str = "garden", **changes: Any) -> Snapshot:
    """A snapshot showing every shape the scene can draw (warm-up, docs, benchmarks)."""
    import dataclasses

    snap = Snapshot(
        t_s=3.0, theme=theme_name, level_title="Sample", challenge_index=0, challenge_count=1, challenge_kind="sample",
        challenge_title="Sample", instruction="", phase="trial", phase_left_s=5.0, control=(0.3, 0.2),
        marker=(0.3, 0.2),
        targets=(TargetView(-0.5, 0.4, 0.2, "zone", True), TargetView(0.5, 0.5, 0.15, "target", False),
                 TargetView(0.0, 0.0, 0.12, "home", False), TargetView(0.5, -0.5, 0.1, "other", False)),
        progress=0.5, trial=1, trials=3, difficulty=0.5, score=0, max_score=100, stars=0, last_outcome=None,
        last_points=0, path=((-0.8, -0.6), (-0.2, -0.3), (0.4, -0.7)), walls=((-0.9, 0.9, 0.9, 0.9),),
        art=THEME_ART.get(theme_name, NEUTRAL_ART),
        wall_thickness=0.05,
        items=(ItemView(0.7, 0.0, 0.07, "collect"), ItemView(-0.7, 0.0, 0.07, "avoid"),
               ItemView(0.0, 0.7, 0.07, "other")),
    )
    return dataclasses.replace(snap, **changes) if changes else snap
