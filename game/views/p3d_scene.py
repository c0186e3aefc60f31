"""The 3D play scene: a wobble board on a plinth that tilts with the player's control.

Everything a ``Snapshot`` can show is drawn generically from its shapes, so a new
challenge kind renders without changes here: targets by role ("zone", "target", "home",
anything else as a plain zone), the ``path`` polyline as a ribbon, ``walls`` as boxes,
``items`` by role ("collect" coins, "avoid" spikes, anything else a ball) and the marker.
Positions on the board are in LOS units (the field node is scaled by ``FIELD_M``), so the
scene reads snapshot coordinates directly. The scene decides nothing: it interpolates
between the frame's two snapshots and poses nodes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from panda3d.core import (
    AmbientLight,
    DirectionalLight,
    Geom,
    GeomNode,
    GeomPoints,
    GeomVertexData,
    GeomVertexFormat,
    GeomVertexWriter,
    NodePath,
    TransparencyAttrib,
    Vec3,
)

from game.core.snapshot import Frame, ItemView, Snapshot, TargetView
from game.views import p3d_geometry as geo
from game.views import theme as palette
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

# Decoration colours per theme (the game's signals keep the Okabe-Ito palette of theme.py).
SKY_COLOUR = {"garden": (92, 140, 178)}  # the clear colour; other themes use their background
GROUND = {"garden": (52, 92, 58), "space": (26, 30, 70)}
BOARD_EDGE = {"garden": (138, 98, 60), "space": (84, 94, 160)}


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


class _TargetNode:
    """One target's nodes; rebuilt only when its look (role, size, inside) changes."""

    def __init__(self, parent: NodePath) -> None:
        self.root = parent.attachNewNode("target")
        self.key: tuple[str, float, bool, str] | None = None
        self.body: NodePath | None = None
        self.progress_key: int = -1
        self.progress: NodePath | None = None
        self._rings: dict[tuple[int, float], NodePath] = {}

    def show(self, target: TargetView, theme: Theme, progress: float | None, t_s: float) -> None:
        key = (target.role, round(target.radius, 4), target.inside, theme.name)
        if key != self.key:
            self.key = key
            if self.body is not None:
                self.body.removeNode()
            self.body = self._build(target, theme)
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
        if self.body is not None:
            goal = self.body.find("goal")
            if not goal.isEmpty():
                goal.setH(t_s * 40.0 % 360)  # a slow spin; no camera motion

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

    def _build(self, target: TargetView, theme: Theme) -> NodePath:
        body = self.root.attachNewNode("body")
        r = max(target.radius, 0.03)
        inside = target.inside
        if target.role == "home":
            ring = body.attachNewNode(geo.annulus(r - 0.03, r, dashes=12))
            ring.setColor(rgba(palette.GREEN if inside else palette.WHITE))
            ring.setZ(TARGET_LIFT * 3)
            ring.setLightOff()
        else:
            role_colour = theme.target if target.role in ("zone", "target") else palette.PURPLE
            fill_colour = palette.GREEN if inside else role_colour
            fill = body.attachNewNode(geo.disc(r, 48))
            fill.setZ(TARGET_LIFT * 2)
            fill.setColor(rgba(fill_colour, 0.6))
            fill.setTransparency(TransparencyAttrib.MAlpha)
            fill.setDepthWrite(False)
            fill.setLightOff()
            rim_width = 0.045 if inside else 0.025  # not colour alone: the rim thickens inside
            rim = body.attachNewNode(geo.annulus(r - rim_width, r, 1.0, 64))
            rim.setZ(TARGET_LIFT * 3)
            rim.setColor(rgba(palette.WHITE if inside else fill_colour))
            rim.setLightOff()
            if target.role == "target":
                goal = body.attachNewNode("goal")
                goal.setZ(0.18 + r * 0.4)
                ball = goal.attachNewNode(geo.sphere(r * 0.4, 10, 20))
                ball.setColor(rgba(fill_colour))
                if theme.name == "space":  # a planet's ring
                    band = goal.attachNewNode(geo.annulus(r * 0.5, r * 0.62, 1.0, 40))
                    band.setP(20)
                    band.setColor(rgba(palette.WHITE))
                    band.setTwoSided(True)
                post = body.attachNewNode(geo.cylinder(0.008, 0.18 + r * 0.2, 8))
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

    def hide(self) -> None:
        self.root.hide()


class PlayScene:
    """The board, what lies on it and the backdrop; ``update(frame)`` poses it."""

    def __init__(self, parent: NodePath) -> None:
        self.root = parent.attachNewNode("play-scene")
        self.theme_name: str | None = None
        self.backdrop = self.root.attachNewNode("backdrop")
        self.board_anchor = self.root.attachNewNode("board-anchor")
        self.board_anchor.setPos(*BOARD_CENTRE_M)
        self.board = self.board_anchor.attachNewNode("board")  # tilts
        self.field = self.board.attachNewNode("field")  # LOS units
        self.field.setScale(FIELD_M)
        self.board_body = self.field.attachNewNode("board-body")
        self.layer = self.field.attachNewNode("layer")  # targets, path, walls, items
        self.marker = self.field.attachNewNode("marker")  # moves
        self.marker_body = self.marker.attachNewNode("marker-body")  # its look, never transformed
        self.marker_look: str | None = None
        self.shadow = self.field.attachNewNode(geo.disc(MARKER_RADIUS * 1.15, 24))
        self.shadow.setZ(TARGET_LIFT * 5)
        self.shadow.setColor(0, 0, 0, 0.4)
        self.shadow.setTransparency(TransparencyAttrib.MAlpha)
        self.shadow.setDepthWrite(False)
        self.shadow.setLightOff()
        self._targets: list[_TargetNode] = []
        self._path_key: tuple[tuple[float, float], ...] | None = None
        self._path: NodePath | None = None
        self._walls_key: tuple[Walls, float] | None = None
        self._walls: NodePath | None = None
        self._items: dict[str, list[NodePath]] = {}
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

    def set_theme(self, theme: Theme) -> None:
        """Rebuild the backdrop, board and marker for a theme (only when it changes)."""
        if theme.name == self.theme_name:
            return
        self.theme_name = theme.name
        for child in (self.backdrop, self.board_body, self.marker_body):
            child.node().removeAllChildren()
        self._build_backdrop(theme)
        self._build_board(theme)
        self._build_marker(theme)
        for still in (self.backdrop, self.board_body, self.marker_body):  # untransformed holders
            still.flattenStrong()  # one draw call per colour instead of one per piece
        for target in self._targets:
            target.key = None

    def _build_backdrop(self, theme: Theme) -> None:
        ground = self.backdrop.attachNewNode(geo.disc(30.0, 64))
        ground.setColor(rgba(GROUND.get(theme.name, theme.field)))
        plinth_top = BOARD_CENTRE_M[2] - (BOARD_THICKNESS + DOME_RADIUS) * FIELD_M
        plinth = self.backdrop.attachNewNode(geo.cylinder(0.14, plinth_top, 32))
        plinth.setPos(BOARD_CENTRE_M[0], BOARD_CENTRE_M[1], 0.0)
        plinth.setColor(rgba(theme.grid))
        base = self.backdrop.attachNewNode(geo.cylinder(0.3, 0.04, 32))
        base.setPos(BOARD_CENTRE_M[0], BOARD_CENTRE_M[1], 0.0)
        base.setColor(rgba(theme.grid))
        if theme.name == "space":
            self._stars(self.backdrop)
        else:  # tufts of grass and a few bushes at fixed places: a still garden
            state = 7
            for _ in range(70):
                state = (state * 1103515245 + 12345) % (2**31)
                angle = (state % 3600) / 3600 * math.tau
                state = (state * 1103515245 + 12345) % (2**31)
                dist = 2.5 + (state % 1000) / 1000 * 12.0
                x, y = math.cos(angle) * dist, BOARD_CENTRE_M[1] + math.sin(angle) * dist
                if y < 0.2 and abs(x) < 2.5:
                    continue  # keep the space around the player clear
                tuft = self.backdrop.attachNewNode(geo.cone(0.1 + (state % 7) * 0.03, 0.25 + (state % 5) * 0.12, 8))
                tuft.setPos(x, y, 0)
                tuft.setColor(rgba(palette.GREEN if state % 3 else (34, 110, 70)))

    @staticmethod
    def _stars(parent: NodePath) -> None:
        data = GeomVertexData("stars", GeomVertexFormat.getV3(), Geom.UHStatic)
        writer = GeomVertexWriter(data, "vertex")
        points = GeomPoints(Geom.UHStatic)
        state = 1
        count = 0
        for _ in range(600):
            state = (state * 1103515245 + 12345) % (2**31)
            az = (state % 10000) / 10000 * math.tau
            state = (state * 1103515245 + 12345) % (2**31)
            el = math.asin((state % 10000) / 10000 * 0.95)  # upper half of the sky only
            writer.addData3f(40 * math.cos(el) * math.cos(az), 40 * math.cos(el) * math.sin(az),
                             40 * math.sin(el) + 1.5)
            points.addVertex(count)
            count += 1
        geom = Geom(data)
        geom.addPrimitive(points)
        node = GeomNode("stars")
        node.addGeom(geom)
        stars = parent.attachNewNode(node)
        stars.setRenderModeThickness(2)
        stars.setColor(0.85, 0.86, 0.95, 1)
        stars.setLightOff()

    def _build_board(self, theme: Theme) -> None:
        body = self.board_body
        top = body.attachNewNode(geo.disc(BOARD_RADIUS, 72))
        top.setColor(rgba(theme.field))
        rim = body.attachNewNode(geo.cylinder(BOARD_RADIUS, BOARD_THICKNESS, 72, top=False))
        rim.setZ(-BOARD_THICKNESS)
        rim.setColor(rgba(BOARD_EDGE.get(theme.name, theme.grid)))
        dome = body.attachNewNode(geo.sphere(DOME_RADIUS, 12, 32, lower_only=True))
        dome.setZ(-BOARD_THICKNESS)
        dome.setColor(rgba(BOARD_EDGE.get(theme.name, theme.grid)))
        grid = body.attachNewNode("grid")
        grid.setLightOff()
        grid.setZ(TARGET_LIFT)
        edge = grid.attachNewNode(geo.annulus(0.985, 1.015, 1.0, 96))  # the player's limits of stability
        edge.setColor(rgba(theme.grid))
        half = grid.attachNewNode(geo.annulus(0.49, 0.505, 1.0, 64))
        half.setColor(rgba(theme.grid))
        for angle in (0, 90):
            line = grid.attachNewNode(geo.box(2.0, 0.012, 0.001))
            line.setH(angle)
            line.setColor(rgba(theme.grid))

    def _build_marker(self, theme: Theme) -> None:
        self.marker_look = theme.marker_name
        r = MARKER_RADIUS
        if theme.marker_name == "rocket":
            r *= 1.4  # a slim shape: a little taller so it reads as well as the ball
            body = self.marker_body.attachNewNode(geo.cylinder(r * 0.55, r * 1.6, 20))
            body.setColor(rgba(theme.marker))
            nose = self.marker_body.attachNewNode(geo.cone(r * 0.55, r * 0.9, 20))
            nose.setZ(r * 1.6)
            nose.setColor(rgba(palette.ORANGE))
            window = self.marker_body.attachNewNode(geo.sphere(r * 0.22, 8, 12))
            window.setPos(0, -r * 0.5, r * 1.1)
            window.setColor(rgba(palette.SKY))
            for angle in (0, 120, 240):
                fin = self.marker_body.attachNewNode(geo.box(r * 0.08, r * 0.6, r * 0.7))
                fin.setH(angle)
                fin.setPos(math.sin(math.radians(angle)) * -r * 0.6, math.cos(math.radians(angle)) * r * 0.6, 0)
                fin.setColor(rgba(palette.VERMILLION))
        else:  # a ladybird: a red shell with black spots and head
            shell = self.marker_body.attachNewNode(geo.sphere(r, 14, 28))
            shell.setZ(r)
            shell.setColor(rgba(theme.marker))
            for sx, sy, sz in ((-0.5, 0.1, 0.75), (0.5, 0.1, 0.75), (-0.55, -0.45, 0.55), (0.55, -0.45, 0.55),
                               (0.0, 0.2, 0.98)):
                spot = self.marker_body.attachNewNode(geo.sphere(r * 0.22, 6, 10))
                n = Vec3(sx, sy, sz)
                n.normalize()
                spot.setPos(n.x * r, n.y * r, r + n.z * r)
                spot.setColor(rgba(palette.BLACK))
            head = self.marker_body.attachNewNode(geo.sphere(r * 0.45, 8, 16))
            head.setPos(0, r * 0.95, r * 0.55)
            head.setColor(rgba(palette.BLACK))

    # -- per frame -----------------------------------------------------------------------
    def update(self, frame: Frame) -> None:
        """Pose the scene for one frame (interpolated between the frame's snapshots)."""
        snap, prev, a = frame.curr, frame.prev, frame.alpha
        theme = theme_for(snap.theme)
        self.set_theme(theme)
        control = (_lerp(prev.control[0], snap.control[0], a), _lerp(prev.control[1], snap.control[1], a))
        self.board.setHpr(*tilt_hpr(control))
        mx, my = frame.marker()
        self.marker.setPos(mx, my, 0.0)
        self.shadow.setPos(mx, my, TARGET_LIFT * 5)
        self.marker.show()
        self.shadow.show()
        self._update_targets(snap, theme)
        self._update_path(snap.path)
        self._update_walls(snap.walls, snap.wall_thickness, theme)
        self._update_items(prev.items if len(prev.items) == len(snap.items) else snap.items, snap.items, a, snap.t_s)

    def idle(self, theme_name: str, control: tuple[float, float] = (0.0, 0.0)) -> None:
        """The board alone (title and results screens): no marker, targets or items."""
        self.set_theme(theme_for(theme_name))
        self.board.setHpr(*tilt_hpr(control))
        self.marker.hide()
        self.shadow.hide()
        for target in self._targets:
            target.hide()
        self._update_path(())
        self._update_walls((), 0.0, theme_for(theme_name))
        for pool in self._items.values():
            for node in pool:
                node.hide()

    def _update_targets(self, snap: Snapshot, theme: Theme) -> None:
        while len(self._targets) < len(snap.targets):
            self._targets.append(_TargetNode(self.layer))
        show_progress = snap.phase in ("trial", "home") and snap.progress > 0
        for node, target in zip(self._targets, snap.targets, strict=False):
            node.show(target, theme, snap.progress if show_progress else None, snap.t_s)
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
        key = (tuple(walls), round(thickness, 5))
        if key == self._walls_key:
            return
        self._walls_key = key
        if self._walls is not None:
            self._walls.removeNode()
            self._walls = None
        if walls:
            self._walls = self.layer.attachNewNode(geo.segments_as_boxes(walls, max(thickness, 0.02), WALL_HEIGHT))
            self._walls.setColor(rgba((205, 200, 190)))

    def _item_node(self, role: str, index: int) -> NodePath:
        pool = self._items.setdefault(role, [])
        while len(pool) <= index:
            node = self.layer.attachNewNode(f"item-{role}")
            if role == "collect":  # a standing coin (unit radius, scaled per item)
                coin = node.attachNewNode(geo.cylinder(1.0, 0.25, 24))
                coin.setP(90)
                coin.setPos(0, -0.125, 1.0)
                coin.setColor(rgba(palette.YELLOW))
                coin.setLightOff()
                rim = node.attachNewNode(geo.annulus(0.6, 0.75, 1.0, 24))
                rim.setP(90)
                rim.setPos(0, -0.13, 1.0)
                rim.setColor(rgba(palette.ORANGE))
                rim.setTwoSided(True)
            elif role == "avoid":  # a spike: a cone on a dark foot, a shape unlike the coin
                foot = node.attachNewNode(geo.cylinder(1.0, 0.2, 20))
                foot.setColor(rgba((60, 20, 10)))
                spike = node.attachNewNode(geo.cone(0.85, 1.9, 20))
                spike.setZ(0.2)
                spike.setColor(rgba(palette.VERMILLION))
            else:
                ball = node.attachNewNode(geo.sphere(1.0, 10, 20))
                ball.setZ(1.0)
                ball.setColor(rgba(palette.PURPLE))
            pool.append(node)
        return pool[index]

    def _update_items(self, before: tuple[ItemView, ...], items: tuple[ItemView, ...], alpha: float,
                      t_s: float) -> None:
        used: dict[str, int] = {}
        for old, item in zip(before, items, strict=False):
            index = used.get(item.role, 0)
            used[item.role] = index + 1
            node = self._item_node(item.role, index)
            same = old.role == item.role
            node.setPos(_lerp(old.x, item.x, alpha) if same else item.x,
                        _lerp(old.y, item.y, alpha) if same else item.y, 0)
            node.setScale(max(item.radius, 0.01))
            if item.role == "collect":  # a gentle sway, never edge-on to the player
                node.setH(30.0 * math.sin(t_s * 2.0))
            node.show()
        for role, pool in self._items.items():
            for node in pool[used.get(role, 0):]:
                node.hide()

    def warm_up(self, render_frame: Callable[[], object]) -> None:
        """Draw every kind of shape once (both themes) so no state is first compiled mid-play."""
        for theme_name in ("space", "garden"):
            snap = sample_snapshot(theme_name)
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
        wall_thickness=0.05,
        items=(ItemView(0.7, 0.0, 0.07, "collect"), ItemView(-0.7, 0.0, 0.07, "avoid"),
               ItemView(0.0, 0.7, 0.07, "other")),
    )
    return dataclasses.replace(snap, **changes) if changes else snap
