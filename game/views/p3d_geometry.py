"""Procedural meshes for the 3D view, built in code so no model file needs shipping.

Every builder returns a ``GeomNode`` in panda3d's Z-up frame (x right, y forward, z up),
white, with normals; the scene colours nodes with ``setColor``. Flat shapes lie in the
XY plane at z = 0 facing +z; HUD shapes (``flat2d=True``) lie in the XZ plane facing -y.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import ParamSpec

from panda3d.core import (
    Geom,
    GeomNode,
    GeomTriangles,
    GeomVertexData,
    GeomVertexFormat,
    GeomVertexWriter,
)

Vec3 = tuple[float, float, float]
P = ParamSpec("P")


def _kept(build: Callable[P, GeomNode]) -> Callable[P, GeomNode]:
    """Keep the last few hundred meshes a builder made; each call returns a fresh node sharing the mesh.

    A target's disc and rings are rebuilt whenever its look changes (stepping into a zone, a new
    difficulty); building a 64-segment ring in Python takes milliseconds, copying a node none.
    The copy is a new node, so colouring one never colours another.
    """
    cached = functools.lru_cache(maxsize=512)(build)

    @functools.wraps(build)
    def copy(*args: P.args, **kwargs: P.kwargs) -> GeomNode:
        node = cached(*args, **kwargs).makeCopy()  # type: ignore[arg-type]
        assert isinstance(node, GeomNode)
        return node
    return copy


class MeshBuilder:
    """Collects vertices (position, normal) and triangles, then makes one GeomNode."""

    def __init__(self) -> None:
        self.positions: list[Vec3] = []
        self.normals: list[Vec3] = []
        self.triangles: list[tuple[int, int, int]] = []

    def vertex(self, pos: Vec3, normal: Vec3) -> int:
        """Add a vertex; return its index."""
        self.positions.append(pos)
        self.normals.append(normal)
        return len(self.positions) - 1

    def triangle(self, a: int, b: int, c: int) -> None:
        """Add a counter-clockwise (front-facing) triangle."""
        self.triangles.append((a, b, c))

    def quad(self, a: int, b: int, c: int, d: int) -> None:
        """Add a counter-clockwise quad as two triangles."""
        self.triangles.append((a, b, c))
        self.triangles.append((a, c, d))

    def node(self, name: str) -> GeomNode:
        """The collected mesh as a GeomNode (empty meshes give an empty node)."""
        node = GeomNode(name)
        if not self.triangles:
            return node
        data = GeomVertexData(name, GeomVertexFormat.getV3n3(), Geom.UHStatic)
        data.uncleanSetNumRows(len(self.positions))
        pos_w, nor_w = GeomVertexWriter(data, "vertex"), GeomVertexWriter(data, "normal")
        for p, n in zip(self.positions, self.normals, strict=True):
            pos_w.setData3f(*p)
            nor_w.setData3f(*n)
        prim = GeomTriangles(Geom.UHStatic)
        if len(self.positions) >= 65535:
            prim.setIndexType(Geom.NT_uint32)
        for a, b, c in self.triangles:
            prim.addVertices(a, b, c)
        geom = Geom(data)
        geom.addPrimitive(prim)
        node.addGeom(geom)
        return node


@_kept
def disc(radius: float = 1.0, segments: int = 48) -> GeomNode:
    """A flat filled circle at z = 0, facing up."""
    mesh = MeshBuilder()
    centre = mesh.vertex((0.0, 0.0, 0.0), (0, 0, 1))
    ring = [mesh.vertex((radius * math.cos(a), radius * math.sin(a), 0.0), (0, 0, 1))
            for a in _angles(segments)]
    for i in range(segments):
        mesh.triangle(centre, ring[i], ring[(i + 1) % segments])
    return mesh.node("disc")


@_kept
def annulus(inner: float, outer: float, fraction: float = 1.0, segments: int = 64, dashes: int = 0) -> GeomNode:
    """A flat ring at z = 0; ``fraction`` < 1 draws a clockwise arc from 12 o'clock (+y).

    ``dashes`` > 0 draws that many dashes (half on, half off) around the full ring instead.
    """
    mesh = MeshBuilder()
    fraction = max(0.0, min(1.0, fraction))
    if dashes:
        for d in range(dashes):
            a0 = d * math.tau / dashes
            _arc(mesh, inner, outer, a0, a0 + math.tau / dashes / 2, max(2, segments // dashes))
    elif fraction > 0:
        start = math.pi / 2
        _arc(mesh, inner, outer, start - fraction * math.tau, start, max(2, int(segments * fraction)))
    return mesh.node("annulus")


def _arc(mesh: MeshBuilder, inner: float, outer: float, a0: float, a1: float, steps: int) -> None:
    previous = None
    for i in range(steps + 1):
        a = a0 + (a1 - a0) * i / steps
        c, s = math.cos(a), math.sin(a)
        pair = (mesh.vertex((inner * c, inner * s, 0.0), (0, 0, 1)),
                mesh.vertex((outer * c, outer * s, 0.0), (0, 0, 1)))
        if previous is not None:
            mesh.quad(previous[0], previous[1], pair[1], pair[0])
        previous = pair


@_kept
def cylinder(radius: float = 1.0, height: float = 1.0, segments: int = 32, top: bool = True,
             bottom: bool = True) -> GeomNode:
    """An upright cylinder from z = 0 to z = height."""
    mesh = MeshBuilder()
    angles = _angles(segments)
    for i in range(segments):
        a0, a1 = angles[i], angles[(i + 1) % segments]
        n0, n1 = (math.cos(a0), math.sin(a0), 0.0), (math.cos(a1), math.sin(a1), 0.0)
        v = [mesh.vertex((radius * n0[0], radius * n0[1], 0.0), n0),
             mesh.vertex((radius * n1[0], radius * n1[1], 0.0), n1),
             mesh.vertex((radius * n1[0], radius * n1[1], height), n1),
             mesh.vertex((radius * n0[0], radius * n0[1], height), n0)]
        mesh.quad(*v)
    for z, up, wanted in ((height, 1.0, top), (0.0, -1.0, bottom)):
        if not wanted:
            continue
        centre = mesh.vertex((0.0, 0.0, z), (0, 0, up))
        ring = [mesh.vertex((radius * math.cos(a), radius * math.sin(a), z), (0, 0, up)) for a in angles]
        for i in range(segments):
            j = (i + 1) % segments
            mesh.triangle(centre, ring[i], ring[j]) if up > 0 else mesh.triangle(centre, ring[j], ring[i])
    return mesh.node("cylinder")


@_kept
def cone(radius: float = 1.0, height: float = 1.0, segments: int = 24) -> GeomNode:
    """An upright cone, base at z = 0 and tip at z = height."""
    mesh = MeshBuilder()
    slope = radius / height
    angles = _angles(segments)
    for i in range(segments):
        a0, a1 = angles[i], angles[(i + 1) % segments]
        am = (a0 + a1) / 2
        n = _unit((math.cos(am), math.sin(am), slope))
        mesh.triangle(mesh.vertex((radius * math.cos(a0), radius * math.sin(a0), 0.0), n),
                      mesh.vertex((radius * math.cos(a1), radius * math.sin(a1), 0.0), n),
                      mesh.vertex((0.0, 0.0, height), n))
    centre = mesh.vertex((0.0, 0.0, 0.0), (0, 0, -1))
    ring = [mesh.vertex((radius * math.cos(a), radius * math.sin(a), 0.0), (0, 0, -1)) for a in angles]
    for i in range(segments):
        mesh.triangle(centre, ring[(i + 1) % segments], ring[i])
    return mesh.node("cone")


@_kept
def sphere(radius: float = 1.0, rings: int = 12, segments: int = 24, lower_only: bool = False) -> GeomNode:
    """A UV sphere centred on the origin (or only its lower half, a dome hanging down)."""
    mesh = MeshBuilder()
    first = rings // 2 if lower_only else 0
    rows = []
    for r in range(first, rings + 1):
        polar = math.pi * r / rings  # 0 at the top pole
        row = []
        for s in range(segments + 1):
            az = math.tau * s / segments
            n = (math.sin(polar) * math.cos(az), math.sin(polar) * math.sin(az), math.cos(polar))
            row.append(mesh.vertex((radius * n[0], radius * n[1], radius * n[2]), n))
        rows.append(row)
    for upper, lower in zip(rows, rows[1:], strict=False):
        for s in range(segments):
            mesh.quad(upper[s], lower[s], lower[s + 1], upper[s + 1])
    return mesh.node("sphere")


def box(size_x: float, size_y: float, size_z: float) -> GeomNode:
    """An axis-aligned box centred on the origin in x and y, from z = 0 up to size_z."""
    mesh = MeshBuilder()
    hx, hy = size_x / 2, size_y / 2
    faces = (
        ((0, 0, 1), [(-hx, -hy, size_z), (hx, -hy, size_z), (hx, hy, size_z), (-hx, hy, size_z)]),
        ((0, 0, -1), [(-hx, hy, 0), (hx, hy, 0), (hx, -hy, 0), (-hx, -hy, 0)]),
        ((1, 0, 0), [(hx, -hy, 0), (hx, hy, 0), (hx, hy, size_z), (hx, -hy, size_z)]),
        ((-1, 0, 0), [(-hx, hy, 0), (-hx, -hy, 0), (-hx, -hy, size_z), (-hx, hy, size_z)]),
        ((0, 1, 0), [(hx, hy, 0), (-hx, hy, 0), (-hx, hy, size_z), (hx, hy, size_z)]),
        ((0, -1, 0), [(-hx, -hy, 0), (hx, -hy, 0), (hx, -hy, size_z), (-hx, -hy, size_z)]),
    )
    for normal, corners in faces:
        mesh.quad(*(mesh.vertex(c, normal) for c in corners))
    return mesh.node("box")


def segments_as_boxes(segments: Iterable[tuple[float, float, float, float]], width: float, height: float) -> GeomNode:
    """Wall segments (x0, y0, x1, y1) as boxes of ``width`` and ``height``, with square end caps."""
    mesh = MeshBuilder()
    for x0, y0, x1, y1 in segments:
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        ux, uy = (dx / length, dy / length) if length > 1e-9 else (1.0, 0.0)
        px, py = -uy * width / 2, ux * width / 2  # half-width across the wall
        ex, ey = ux * width / 2, uy * width / 2  # end caps overlap at corners
        a = (x0 - ex + px, y0 - ey + py)
        b = (x0 - ex - px, y0 - ey - py)
        c = (x1 + ex - px, y1 + ey - py)
        d = (x1 + ex + px, y1 + ey + py)
        _prism(mesh, [b, c, d, a], height)
    return mesh.node("walls")


def _prism(mesh: MeshBuilder, base: Sequence[tuple[float, float]], height: float) -> None:
    """A vertical prism over a counter-clockwise convex polygon."""
    top = [mesh.vertex((x, y, height), (0, 0, 1)) for x, y in base]
    for i in range(1, len(top) - 1):
        mesh.triangle(top[0], top[i], top[i + 1])
    for i in range(len(base)):
        (x0, y0), (x1, y1) = base[i], base[(i + 1) % len(base)]
        n = _unit((y1 - y0, -(x1 - x0), 0.0))
        mesh.quad(mesh.vertex((x0, y0, 0.0), n), mesh.vertex((x1, y1, 0.0), n),
                  mesh.vertex((x1, y1, height), n), mesh.vertex((x0, y0, height), n))


def ribbon(points: Sequence[tuple[float, float]], width: float, joint_segments: int = 12) -> GeomNode:
    """A flat strip of ``width`` along a polyline at z = 0, with round joints and ends."""
    mesh = MeshBuilder()
    half = width / 2
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        if length < 1e-9:
            continue
        px, py = -dy / length * half, dx / length * half
        mesh.quad(mesh.vertex((x0 - px, y0 - py, 0.0), (0, 0, 1)), mesh.vertex((x1 - px, y1 - py, 0.0), (0, 0, 1)),
                  mesh.vertex((x1 + px, y1 + py, 0.0), (0, 0, 1)), mesh.vertex((x0 + px, y0 + py, 0.0), (0, 0, 1)))
    for x, y in points:
        centre = mesh.vertex((x, y, 0.0), (0, 0, 1))
        ring = [mesh.vertex((x + half * math.cos(a), y + half * math.sin(a), 0.0), (0, 0, 1))
                for a in _angles(joint_segments)]
        for i in range(joint_segments):
            mesh.triangle(centre, ring[i], ring[(i + 1) % joint_segments])
    return mesh.node("ribbon")


def star2d(outer: float = 1.0, inner: float = 0.45, outline: float = 0.0) -> GeomNode:
    """A five-pointed star in the XZ plane (for the HUD); ``outline`` > 0 draws only a border that wide."""
    mesh = MeshBuilder()
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = math.pi / 2 + i * math.pi / 5
        points.append((r * math.cos(a), r * math.sin(a)))
    if outline <= 0:
        centre = mesh.vertex((0.0, 0.0, 0.0), (0, -1, 0))
        ring = [mesh.vertex((x, 0.0, z), (0, -1, 0)) for x, z in points]
        for i in range(10):
            mesh.triangle(centre, ring[i], ring[(i + 1) % 10])
        return mesh.node("star")
    for i in range(10):
        (x0, z0), (x1, z1) = points[i], points[(i + 1) % 10]
        length = math.hypot(x1 - x0, z1 - z0)
        nx, nz = -(z1 - z0) / length * outline / 2, (x1 - x0) / length * outline / 2
        mesh.quad(mesh.vertex((x0 - nx, 0, z0 - nz), (0, -1, 0)), mesh.vertex((x0 + nx, 0, z0 + nz), (0, -1, 0)),
                  mesh.vertex((x1 + nx, 0, z1 + nz), (0, -1, 0)), mesh.vertex((x1 - nx, 0, z1 - nz), (0, -1, 0)))
    return mesh.node("star-outline")


def rect2d(width: float, height: float) -> GeomNode:
    """A rectangle in the XZ plane from (0, 0) to (width, -height) (HUD coordinates grow downward)."""
    mesh = MeshBuilder()
    corners = [(0.0, 0.0, 0.0), (0.0, 0.0, -height), (width, 0.0, -height), (width, 0.0, 0.0)]
    mesh.quad(*(mesh.vertex(c, (0, -1, 0)) for c in corners))
    return mesh.node("rect")


def disc2d(radius: float = 1.0, segments: int = 48) -> GeomNode:
    """A filled circle in the XZ plane centred on the origin (for the HUD)."""
    mesh = MeshBuilder()
    centre = mesh.vertex((0.0, 0.0, 0.0), (0, -1, 0))
    ring = [mesh.vertex((radius * math.cos(a), 0.0, radius * math.sin(a)), (0, -1, 0)) for a in _angles(segments)]
    for i in range(segments):
        mesh.triangle(centre, ring[i], ring[(i + 1) % segments])
    return mesh.node("disc2d")


def bar2d() -> GeomNode:
    """A unit bar in the XZ plane from x = 0 to 1, z = -0.5 to 0.5: a HUD line once scaled and rolled."""
    mesh = MeshBuilder()
    corners = [(0.0, 0.0, 0.5), (0.0, 0.0, -0.5), (1.0, 0.0, -0.5), (1.0, 0.0, 0.5)]
    mesh.quad(*(mesh.vertex(c, (0, -1, 0)) for c in corners))
    return mesh.node("bar")


def _angles(segments: int) -> list[float]:
    return [math.tau * i / segments for i in range(segments)]


def _unit(v: Vec3) -> Vec3:
    length = math.sqrt(v[0] ** 2 + v[1] ** 2 + v[2] ** 2) or 1.0
    return (v[0] / length, v[1] / length, v[2] / length)


# -- shapes for the level's pictures (game/views/p3d_models.py) -----------------------------------


def fan_prism(outline: Sequence[tuple[float, float]], height: float, centre: tuple[float, float] = (0.0, 0.0),
              bevel: float = 0.0) -> GeomNode:
    """A flat solid over a star-shaped outline (counter-clockwise, seen from ``centre``), z = 0 to ``height``.

    The top and bottom are fans from ``centre``, so concave outlines work as long as every point
    of the outline is visible from the centre (a leaf, a star, a clock hand, a fin). ``bevel``
    raises the top's centre by that much (a star with a ridge, a leaf with a fold).
    """
    mesh = MeshBuilder()
    n = len(outline)
    cx, cy = centre
    top_c = (cx, cy, height + bevel)
    for i in range(n):
        (x0, y0), (x1, y1) = outline[i], outline[(i + 1) % n]
        a, b = (x0, y0, height), (x1, y1, height)
        normal = _face_normal(top_c, a, b)
        mesh.triangle(mesh.vertex(top_c, normal), mesh.vertex(a, normal), mesh.vertex(b, normal))
        mesh.triangle(mesh.vertex((cx, cy, 0.0), (0, 0, -1)), mesh.vertex((x1, y1, 0.0), (0, 0, -1)),
                      mesh.vertex((x0, y0, 0.0), (0, 0, -1)))
        if height > 0:
            side = _unit((y1 - y0, -(x1 - x0), 0.0))
            mesh.quad(mesh.vertex((x0, y0, 0.0), side), mesh.vertex((x1, y1, 0.0), side),
                      mesh.vertex((x1, y1, height), side), mesh.vertex((x0, y0, height), side))
    return mesh.node("fan-prism")


def lumpy(radius: float = 1.0, seed: int = 1, roughness: float = 0.22, rings: int = 7, segments: int = 11,
          flat_bottom: float | None = None) -> GeomNode:
    """A faceted rock: a coarse sphere whose points are pushed in and out (the same seed, the same rock).

    Flat-shaded (one normal per face), so it reads as stone, not as a ball. ``flat_bottom``
    squashes every point below that height onto it (a rock resting on the ground).
    """
    def bump(polar: float, az: float) -> float:
        value = 0.0
        for k in range(1, 4):
            value += math.sin(k * 1.7 * az + seed * 1.3 + k) * math.sin(k * 2.3 * polar + seed * 0.7) / k
        return 1.0 + roughness * value * 0.6

    grid: list[list[Vec3]] = []
    for r in range(rings + 1):
        polar = math.pi * r / rings
        row: list[Vec3] = []
        for s in range(segments):
            az = math.tau * s / segments + (0.5 * r) * math.tau / segments  # staggered rows: no seams
            k = radius * (bump(polar, az) if 0 < r < rings else 1.0 + roughness * 0.3 * math.sin(seed + r))
            z = k * math.cos(polar)
            if flat_bottom is not None:
                z = max(z, flat_bottom)
            row.append((k * math.sin(polar) * math.cos(az), k * math.sin(polar) * math.sin(az), z))
        grid.append(row)
    mesh = MeshBuilder()
    for r in range(rings):
        for s in range(segments):
            a, b = grid[r][s], grid[r][(s + 1) % segments]
            c, d = grid[r + 1][(s + 1) % segments], grid[r + 1][s]
            for tri in ((a, d, c), (a, c, b)):
                if tri[0] == tri[1] or tri[1] == tri[2] or tri[0] == tri[2]:
                    continue  # the poles
                normal = _face_normal(*tri)
                mesh.triangle(*(mesh.vertex(p, normal) for p in tri))
    return mesh.node("lumpy")


def torus(major: float = 1.0, minor: float = 0.2, rings: int = 32, sides: int = 12) -> GeomNode:
    """A ring lying flat around the z axis, centred on the origin."""
    mesh = MeshBuilder()
    rows = []
    for i in range(rings + 1):
        a = math.tau * i / rings
        ca, sa = math.cos(a), math.sin(a)
        row = []
        for j in range(sides + 1):
            b = math.tau * j / sides
            n = (math.cos(b) * ca, math.cos(b) * sa, math.sin(b))
            row.append(mesh.vertex(((major + minor * math.cos(b)) * ca, (major + minor * math.cos(b)) * sa,
                                    minor * math.sin(b)), n))
        rows.append(row)
    for i in range(rings):
        for j in range(sides):
            mesh.quad(rows[i][j], rows[i + 1][j], rows[i + 1][j + 1], rows[i][j + 1])
    return mesh.node("torus")


def scallop(radius: float = 1.0, ribs: int = 9, height: float = 0.35, spread_deg: float = 150.0,
            steps: int = 6) -> GeomNode:
    """A scallop shell: a ribbed fan opening toward +y from a hinge at the origin, domed up to ``height``."""
    mesh = MeshBuilder()
    spread = math.radians(spread_deg)
    cols = ribs * 4
    grid: list[list[Vec3]] = []
    for i in range(steps + 1):
        rr = radius * i / steps
        row: list[Vec3] = []
        for j in range(cols + 1):
            a = math.pi / 2 - spread / 2 + spread * j / cols
            ridge = 0.5 + 0.5 * math.cos(j / cols * ribs * math.tau)
            dome = math.sin(math.pi * min(1.0, i / steps * 0.95 + 0.05)) * 0.6 + 0.4 * (i / steps)
            z = height * dome * (0.85 + 0.15 * ridge * (i / steps)) * math.sin(math.pi * j / cols) ** 0.5
            row.append((rr * math.cos(a), rr * math.sin(a), z))
        grid.append(row)
    for i in range(steps):
        for j in range(cols):
            p00, p01, p11, p10 = grid[i][j], grid[i][j + 1], grid[i + 1][j + 1], grid[i + 1][j]
            for corners in ((p00, p01, p11), (p00, p11, p10)):
                if corners[0] == corners[1] or corners[1] == corners[2]:
                    continue  # the hinge
                normal = _face_normal(*corners)
                if normal[2] < 0:  # keep every face looking up
                    normal = (-normal[0], -normal[1], -normal[2])
                    corners = (corners[0], corners[2], corners[1])
                mesh.triangle(*(mesh.vertex(p, normal) for p in corners))
    return mesh.node("scallop")


def star3d(outer: float = 1.0, inner: float = 0.45, depth: float = 0.3) -> GeomNode:
    """A faceted five-pointed star standing in the XZ plane (faces -y and +y), ``depth`` thick at its middle."""
    mesh = MeshBuilder()
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = math.pi / 2 + i * math.pi / 5
        points.append((r * math.cos(a), 0.0, r * math.sin(a)))
    for y in (-depth / 2, depth / 2):
        apex = (0.0, y, 0.0)
        for i in range(10):
            p0, p1 = points[i], points[(i + 1) % 10]
            tri = (apex, p1, p0) if y < 0 else (apex, p0, p1)
            normal = _face_normal(*tri)
            mesh.triangle(*(mesh.vertex(p, normal) for p in tri))
    return mesh.node("star3d")


def lune(radius: float, a0: float, a1: float, rings: int = 10, steps: int = 4) -> GeomNode:
    """The slice of a sphere between azimuths ``a0`` and ``a1`` (radians): one coloured panel of a beach ball."""
    mesh = MeshBuilder()
    rows = []
    for r in range(rings + 1):
        polar = math.pi * r / rings
        row = []
        for s in range(steps + 1):
            az = a0 + (a1 - a0) * s / steps
            n = (math.sin(polar) * math.cos(az), math.sin(polar) * math.sin(az), math.cos(polar))
            row.append(mesh.vertex((radius * n[0], radius * n[1], radius * n[2]), n))
        rows.append(row)
    for upper, lower in zip(rows, rows[1:], strict=False):
        for s in range(steps):
            mesh.quad(upper[s], lower[s], lower[s + 1], upper[s + 1])
    return mesh.node("lune")


def _face_normal(a: Vec3, b: Vec3, c: Vec3) -> Vec3:
    ux, uy, uz = b[0] - a[0], b[1] - a[1], b[2] - a[2]
    vx, vy, vz = c[0] - a[0], c[1] - a[1], c[2] - a[2]
    n = (uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx)
    if n == (0.0, 0.0, 0.0):
        return (0.0, 0.0, 1.0)
    return _unit(n)
