"""The 2D view's playing screen: layout, pictures, animation, HUD, and drawing only what changed.

``PlayPainter.paint(frame, ...)`` paints one gameplay frame on the view's screen. It decides
nothing: every picture comes from the snapshot's roles (``snapshot.art``), every motion from
snapshot time (``t_s``), so the same frame always looks the same (screenshots are stable).

Cost: the still scene (backdrop, field, maze walls, a track's path) is painted once into a
layer and kept while it does not change; each frame puts back the layer only where the last
frame drew, then draws the moving things from caches (sprites by name, size and animation
frame; text by words, size and colour; translucent discs by size). A frame that follows
another screen, a resize or a new scene repaints everything.

Layout (any window from 800x600 up): a bar across the top (level, challenge and trial,
score, stars), the round playing field in the middle, and a band across the bottom holding
the instruction, so falling items never cover it; the countdown is a badge beside the field,
never over the marker.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

from game.core.snapshot import PAUSE_CORNER, Frame, ItemView, Snapshot, TargetView
from game.menu import PauseMenu
from game.views import pygame_menus
from game.views import theme as palette
from game.views.art2d import STYLES, SpriteCache, for_display, frame_of
from game.views.art2d.backdrops import paint_backdrop, push_marks, scene, sparkles
from game.views.textwrap2d import Fitted, fit_text

if TYPE_CHECKING:
    from game.views.pygame_view import PygameView

Colour = tuple[int, int, int]
TRAIL_POINTS = 20  # one every other frame: the last two thirds of a second
FEEDBACK_S = 1.0  # the core's feedback pause (game/core/challenge.py): the burst plays over it
MARKER_RADIUS = 24  # design pixels
ROLLERS = ("ball", "moon_rock")
FACING = ("fish", "dolphin")  # side views that turn to face where they swim
HINT = PAUSE_CORNER.label  # a level's corner hint; the frame says which one is shown (``Frame.corner``)
_RIPPLE = tuple((k / 6, 0.12 * math.sin(k * math.pi / 3)) for k in range(7))  # a wave's shape along a mark
BURST_RADIUS = 14  # design pixels: the stars of a success burst


@dataclass(frozen=True)
class Layout:
    """Where things go in a window of ``size``: the bars, the field and the countdown badge."""

    size: tuple[int, int]
    scale: float
    bar: pygame.Rect
    band: pygame.Rect
    field: tuple[float, float, float]
    badge: tuple[int, int, int]  # centre x, y and radius of the countdown badge
    timer: pygame.Rect  # the seconds left, top right under the bar: no sparkle crosses it

    @staticmethod
    def of(size: tuple[int, int]) -> Layout:
        w, h = size
        scale = h / 720.0
        bar = pygame.Rect(0, 0, w, int(84 * scale))
        band = pygame.Rect(0, h - int(76 * scale), w, int(76 * scale))
        top, bottom = bar.bottom + 14 * scale, band.top - 14 * scale
        radius = min(w * 0.36, (bottom - top) / 2)
        cx, cy = w / 2, (top + bottom) / 2
        badge_r = int(min(56 * scale, (cx - radius) * 0.3))
        badge = (int((cx - radius) / 2), int(cy), max(12, badge_r))
        timer = pygame.Rect(int(w - 200 * scale), bar.bottom, int(200 * scale), int(68 * scale))
        return Layout(size, scale, bar, band, (cx, cy, radius), badge, timer)

    def to_px(self, x: float, y: float) -> tuple[int, int]:
        cx, cy, r = self.field
        return int(cx + x * r), int(cy - y * r)  # forward (+y) is up on screen


def sparkles_clear_of_hud(backdrop: str, layout: Layout, t_s: float
                          ) -> list[tuple[tuple[int, int], int, tuple[int, int, int]]]:
    """The backdrop's twinkles at ``t_s`` less those that would cross the seconds left (drawn once, under them)."""
    return [(at, arm, colour) for at, arm, colour in sparkles(backdrop, layout.size, layout.field, t_s, layout.scale)
            if not layout.timer.inflate(2 * arm, 2 * arm).collidepoint(at)]


class PlayPainter:
    """Paints gameplay frames for a ``PygameView`` and remembers what it drew (to undo it next frame)."""

    def __init__(self, view: PygameView) -> None:
        self.view = view
        self.sprites = SpriteCache()
        self._layer: pygame.Surface | None = None
        self._layer_key: tuple[object, ...] | None = None
        self._scenery: dict[tuple[str, tuple[int, int]], pygame.Surface] = {}
        self._discs: dict[tuple[int, Colour], pygame.Surface] = {}
        self._zones: dict[tuple[str, int, int, bool, Colour], pygame.Surface] = {}
        self._dirty: list[pygame.Rect] = []
        self._valid = False  # the screen shows our last play frame (so only changes need redrawing)
        self._screen_id = 0
        self.active = False
        self.full_redraws = 0
        self._trail: list[tuple[int, int]] = []
        self._trail_key: tuple[str, int, int, str] | None = None
        self._trail_tick = 0
        self._facing: dict[str, bool] = {}  # sprite name -> mirrored (swimming left)
        self._fits: dict[tuple[object, ...], Fitted] = {}
        self._star_rows: dict[tuple[int, int], pygame.Surface] = {}
        self._art: object = None
        self._stuck: dict[str, tuple[object, pygame.Rect]] = {}  # HUD parts kept on screen between frames
        self._last_dirty: list[pygame.Rect] = []
        self._collect: list[pygame.Rect] | None = None

    # -- bookkeeping -------------------------------------------------------------------------
    def invalidate(self) -> None:
        """Something else drew on the screen: the next play frame repaints everything."""
        self._valid = False

    def mark(self, rect: pygame.Rect) -> pygame.Rect:
        """Note that ``rect`` was drawn this frame (it is put back from the layer next frame)."""
        if self._collect is not None:
            self._collect.append(rect)
        elif self.active:
            dirty = self._dirty
            if dirty and dirty[-1].contains(rect):  # drawn inside what was just drawn: one rectangle to undo
                return rect
            if dirty and rect.contains(dirty[-1]):
                dirty[-1] = rect
            else:
                dirty.append(rect)
        return rect

    def _scene_layer(self, snap: Snapshot, layout: Layout, hint: str) -> pygame.Surface:
        """The still scene with the bars and the corner ``hint`` painted in, kept while none of them changes."""
        key = (layout.size, snap.art.backdrop, snap.challenge_kind, snap.walls, snap.wall_thickness,
               snap.path if snap.challenge_kind == "maze" or snap.challenge_kind == "track" else (), hint)
        if self._layer is None or key != self._layer_key:
            scenery_key = (snap.art.backdrop, layout.size)
            scenery = self._scenery.get(scenery_key)
            if scenery is None:  # the backdrop itself, kept apart: a new path or maze reuses it
                if len(self._scenery) >= 4:
                    self._scenery.clear()
                scenery = self._scenery[scenery_key] = paint_backdrop(snap.art.backdrop, layout.size, layout.field,
                                                                      layout.scale)
            layer = scenery.copy()
            self._paint_path(layer, snap, layout)
            self._paint_walls(layer, snap, layout)
            self._paint_bars(layer, layout, hint)
            self._layer = layer.convert() if pygame.display.get_surface() is not None else layer
            self._layer_key = key
            self._valid = False
        return self._layer

    # -- the frame ---------------------------------------------------------------------------
    def paint(self, frame: Frame, pause: PauseMenu | None, notice: str | None) -> None:
        view, snap = self.view, frame.curr
        screen = view.screen
        layout = Layout.of(screen.get_size())
        hint = frame.corner.label
        layer = self._scene_layer(snap, layout, hint)  # a new hint is a new layer: the whole screen is repainted
        if snap.art != self._art:  # a new challenge's pictures: draw them all now, not mid-play
            self._art = snap.art
            art = snap.art
            self.sprites.prepare([art.player, art.target, art.home, art.collect, art.avoid, "star"])
            if snap.challenge_kind == "maze" or art.player in ROLLERS:
                kind = art.player if art.player in ROLLERS else "ball"
                self.sprites.prepare_rolling(kind, ball_radius(snap, layout))
        if not self._valid or id(screen) != self._screen_id:
            screen.blit(layer, (0, 0))
            self.full_redraws += 1
            self._stuck.clear()
            self._last_dirty = []
        else:
            for rect in self._dirty:
                screen.blit(layer, rect, rect)
            self._last_dirty = self._dirty
        self._dirty = []
        self._screen_id = id(screen)
        self.active = True
        try:
            self._paint_hud(snap, layout, hint, words=pause is None)  # the pause menu's keys go where the words were
            # moving things stay between the bars: an item leaving the field never covers the instruction
            screen.set_clip(pygame.Rect(0, layout.bar.bottom, layout.size[0], layout.band.top - layout.bar.bottom))
            try:
                self._paint_moving(frame, layout)
            finally:
                screen.set_clip(None)
            self._paint_phase(snap, layout)
            if notice:
                view.banner(notice, palette.ORANGE)
            if pause is not None:
                self._paint_pause(pause, layout)
        finally:
            self.active = False
            self._collect = None
        self._valid = pause is None  # under the pause shade nothing is left to undo: repaint after it

    def _paint_moving(self, frame: Frame, layout: Layout) -> None:
        snap = frame.curr
        self._paint_sparkles(snap, layout)
        self._paint_push(snap, layout)
        for target in snap.targets:
            self._paint_target(frame, target, layout)
        for index, item in enumerate(snap.items):
            self._paint_item(snap, item, index, layout)
        if snap.challenge_kind == "maze" and snap.phase == "trial":
            self._paint_tilt(snap, layout)
        self._paint_marker(frame, layout)
        for target in snap.targets:
            self._paint_target_outline(target, snap, layout)
        self._paint_burst(frame, layout)

    # -- the still scene -----------------------------------------------------------------------
    @staticmethod
    def _paint_path(layer: pygame.Surface, snap: Snapshot, layout: Layout) -> None:
        """A track's path as a soft ribbon; a maze's hint route as dots."""
        if len(snap.path) < 2:
            return
        scale = layout.scale
        points = [layout.to_px(x, y) for x, y in snap.path]
        if snap.challenge_kind == "maze":
            for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
                steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / (18 * scale)))
                for i in range(steps):
                    dot = (int(x0 + (x1 - x0) * i / steps), int(y0 + (y1 - y0) * i / steps))
                    pygame.draw.circle(layer, (230, 230, 230), dot, max(2, int(3 * scale)))
        else:
            tone = scene(snap.art.backdrop).grid
            pygame.draw.lines(layer, tone, False, points, max(4, int(12 * scale)))
            pygame.draw.lines(layer, (200, 200, 200), False, points, max(2, int(3 * scale)))

    @staticmethod
    def _paint_walls(layer: pygame.Surface, snap: Snapshot, layout: Layout) -> None:
        """Maze walls: hedges in a garden, rock ridges elsewhere, with a light edge so they read as solid."""
        if not snap.walls:
            return
        _, _, r = layout.field
        width = max(4, int(snap.wall_thickness * r))
        garden = snap.art.backdrop in ("garden", "night_garden", "pond")
        body, edge = ((40, 120, 60), (150, 210, 140)) if garden else ((150, 145, 150), (230, 230, 235))
        for x0, y0, x1, y1 in snap.walls:
            a, b = layout.to_px(x0, y0), layout.to_px(x1, y1)
            pygame.draw.line(layer, edge, a, b, width + max(2, int(4 * layout.scale)))
            for end in (a, b):
                pygame.draw.circle(layer, edge, end, (width + max(2, int(4 * layout.scale))) // 2)
        for x0, y0, x1, y1 in snap.walls:
            a, b = layout.to_px(x0, y0), layout.to_px(x1, y1)
            pygame.draw.line(layer, body, a, b, width)
            for end in (a, b):
                pygame.draw.circle(layer, body, end, width // 2)
            if garden and width >= 8:  # leafy texture along a hedge
                length = max(1, int(math.hypot(b[0] - a[0], b[1] - a[1]) / (width * 0.8)))
                for i in range(length + 1):
                    x, y = a[0] + (b[0] - a[0]) * i / length, a[1] + (b[1] - a[1]) * i / length
                    pygame.draw.circle(layer, (60, 150, 80), (int(x), int(y)), max(2, width // 4))

    def _paint_bars(self, layer: pygame.Surface, layout: Layout, hint_words: str) -> None:
        """The HUD's black bar across the top and the instruction band across the bottom, with its key hint."""
        scale = layout.scale
        pygame.draw.rect(layer, (0, 0, 0), layout.bar)
        band = layout.band
        pygame.draw.rect(layer, (0, 0, 0), band)
        pygame.draw.line(layer, (70, 70, 80), band.topleft, band.topright, max(1, int(2 * scale)))
        font = self.view._font(24)
        hint = font.render(hint_words, True, (200, 200, 200))
        layer.blit(hint, hint.get_rect(midright=(int(band.right - 16 * scale), band.centery)))

    def _fit(self, text: str, box: tuple[float, float], sizes: tuple[int, ...], max_lines: int) -> Fitted:
        """``fit_text`` remembered (the same words in the same box are laid out once)."""
        key = (text, round(box[0]), round(box[1]), sizes, max_lines, self.view.screen.get_height())
        fitted = self._fits.get(key)
        if fitted is None:
            if len(self._fits) > 256:
                self._fits.clear()
            fitted = self._fits[key] = fit_text(text, box, sizes, self.view._font, max_lines=max_lines)
        return fitted

    def _stars_image(self, count: int, radius: float) -> pygame.Surface:
        """The HUD's row of three stars, ``count`` of them filled (a filled star and an outline: not colour alone)."""
        key = (count, round(radius))
        image = self._star_rows.get(key)
        if image is None:
            size = (int(radius * 7.4), int(radius * 2.4))
            image = pygame.Surface(size, pygame.SRCALPHA)
            for i in range(3):
                points = []
                cx, cy = size[0] / 2 + (i - 1) * radius * 2.4, size[1] / 2
                for k in range(10):
                    r = radius if k % 2 == 0 else radius * 0.45
                    a = -math.pi / 2 + k * math.pi / 5
                    points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
                if i < count:
                    pygame.draw.polygon(image, palette.YELLOW, points)
                outline = palette.WHITE if i < count else (150, 150, 150)
                pygame.draw.polygon(image, outline, points, max(2, int(radius / 7)))
            image = self._star_rows[key] = for_display(image)
        return image

    # -- moving things -------------------------------------------------------------------------
    def _blit_centred(self, image: pygame.Surface, centre: tuple[float, float]) -> pygame.Rect:
        rect = image.get_rect(center=(int(centre[0]), int(centre[1])))
        return self.mark(self.view.screen.blit(image, rect))

    def _paint_sparkles(self, snap: Snapshot, layout: Layout) -> None:
        screen = self.view.screen
        for (x, y), arm, colour in sparkles_clear_of_hud(snap.art.backdrop, layout, snap.t_s):
            self.mark(pygame.draw.line(screen, colour, (x - arm, y), (x + arm, y), max(1, int(2 * layout.scale))))
            self.mark(pygame.draw.line(screen, colour, (x, y - arm), (x, y + arm), max(1, int(2 * layout.scale))))

    def _paint_push(self, snap: Snapshot, layout: Layout) -> None:
        """Wind streaks, wave crests or solar wind across the field, along the push acting on the marker."""
        if snap.phase not in ("intro", "trial", "home"):  # a banner is up and nobody steers: no streaks under it
            return
        look = scene(snap.art.backdrop)
        marks = push_marks(snap.art.backdrop, layout.field, snap.push, snap.t_s)
        if not marks:
            return
        screen, width = self.view.screen, max(2, int(3 * layout.scale))
        colour = look.push[:3]
        for a, b in marks:
            if look.push_kind == "waves":  # a ripple: a little wave travelling along the push
                dx, dy = b[0] - a[0], b[1] - a[1]
                wave = [(a[0] + dx * t - dy * s, a[1] + dy * t + dx * s) for t, s in _RIPPLE]
                self.mark(pygame.draw.lines(screen, colour, False, wave, width))
            elif look.push_kind == "solar":  # dashes of light
                self.mark(pygame.draw.line(screen, colour, a, b, max(1, width - 1)))
                self.mark(pygame.draw.circle(screen, palette.WHITE, b, width))
            else:  # wind: a thin streak with a small arrow head showing which way it blows
                dx, dy = b[0] - a[0], b[1] - a[1]
                back = (b[0] - dx * 0.25, b[1] - dy * 0.25)
                head = [(back[0] + dy * 0.15, back[1] - dx * 0.15), b, (back[0] - dy * 0.15, back[1] + dx * 0.15)]
                self.mark(pygame.draw.lines(screen, colour, False, [a, b, *head], max(1, width - 1)))

    def _disc(self, radius: int, colour: Colour) -> pygame.Surface:
        key = (radius, colour)
        disc = self._discs.get(key)
        if disc is None:
            if len(self._discs) > 64:
                self._discs.clear()
            disc = pygame.Surface((radius * 2 + 2, radius * 2 + 2), pygame.SRCALPHA)
            pygame.draw.circle(disc, (*colour, 110), (radius + 1, radius + 1), radius)
            disc = self._discs[key] = for_display(disc)
        return disc

    def _facing_left(self, name: str, dx: float) -> bool:
        if name not in FACING:
            return False
        if abs(dx) > 1e-4:
            self._facing[name] = dx < 0
        return self._facing.get(name, False)

    def _paint_target(self, frame: Frame, target: TargetView, layout: Layout) -> None:
        """The zone's picture (a leaf, a planet, a buoy ...) and a soft fill, under the marker."""
        snap = frame.curr
        centre = layout.to_px(target.x, target.y)
        radius = max(6, int(target.radius * layout.field[2]))
        if target.role == "home":
            if snap.art.home != "ring":
                size = radius * 0.55
                self._blit_centred(self.sprites.get(snap.art.home, size, frame_of(snap.art.home, snap.t_s)), centre)
            return
        fill = palette.GREEN if target.inside else palette.SKY
        name = snap.art.target
        prev = next((t for t in frame.prev.targets if t.role == target.role), target)
        flip = self._facing_left(name, target.x - prev.x)
        size = radius * (0.95 if name != "ring" else 1.0)
        if snap.challenge_kind == "track" and name != "ring":  # a creature to follow: never smaller than the player
            size = max(size, MARKER_RADIUS * layout.scale * 1.3)
        shown = frame_of(name, snap.t_s)
        zone = self._zones.get((name, radius, shown, flip, fill))
        if zone is None:  # the soft fill and the picture as one image (one blit), every frame of it at once
            if len(self._zones) > 64:
                self._zones.clear()
            for tint in (palette.SKY, palette.GREEN):  # outside and inside, so entering costs nothing
                disc = self._disc(radius, tint)
                for each in range(STYLES[name].frames if name in STYLES else 1):
                    picture = self.sprites.get(name, size, each, flip)
                    side = max(picture.get_width(), disc.get_width())
                    image = pygame.Surface((side, side), pygame.SRCALPHA)
                    image.blit(disc, disc.get_rect(center=(side // 2, side // 2)))
                    image.blit(picture, picture.get_rect(center=(side // 2, side // 2)))
                    self._zones[(name, radius, each, flip, tint)] = for_display(image)
            zone = self._zones[(name, radius, shown, flip, fill)]
        self._blit_centred(zone, centre)

    def _paint_item(self, snap: Snapshot, item: ItemView, index: int, layout: Layout) -> None:
        name = snap.art.collect if item.role == "collect" else snap.art.avoid
        x, y = layout.to_px(item.x, item.y)
        radius = max(6, item.radius * layout.field[2]) * 1.2
        bob = math.sin((snap.t_s / 1.3 + index * 0.37) * math.tau) * 2 * layout.scale
        image = self.sprites.get(name, radius, frame_of(name, snap.t_s, index * 0.31))
        self._blit_centred(image, (x, y + bob))

    def _paint_tilt(self, snap: Snapshot, layout: Layout) -> None:
        """Which way the board is tilted (what rolls the ball), as an arrow from the centre."""
        cx, cy, r = layout.field
        tx, ty = snap.control
        if math.hypot(tx, ty) < 0.05:
            return
        screen = self.view.screen
        end = (cx + tx * r * 0.35, cy - ty * r * 0.35)
        self.mark(pygame.draw.line(screen, palette.SKY, (cx, cy), end, max(3, int(6 * layout.scale))))
        self.mark(pygame.draw.circle(screen, palette.SKY, (int(end[0]), int(end[1])), max(5, int(9 * layout.scale))))

    def _paint_marker(self, frame: Frame, layout: Layout) -> None:
        snap, screen, scale = frame.curr, self.view.screen, layout.scale
        key = (snap.level_title, snap.challenge_index, snap.trial, snap.phase)
        if key != self._trail_key:
            self._trail_key = key
            self._trail = []
        mx, my = frame.marker()
        px, py = layout.to_px(mx, my)
        self._trail_tick += 1
        if self._trail_tick % 2 or not self._trail:  # a dot every other frame: where the marker was lately
            self._trail.append((px, py))
            self._trail = self._trail[-TRAIL_POINTS:]
        dot = max(2, int(4 * scale))
        drawn = [pygame.draw.circle(screen, (60 + 120 * i // TRAIL_POINTS,) * 3, point, dot)
                 for i, point in enumerate(self._trail[:-1])]
        if drawn:
            self.mark(drawn[0].unionall(drawn[1:]))  # one rectangle to put back, not forty
        name = snap.art.player
        ox, oy = marker_offset(snap, scale)
        centre = (px + ox, py + oy)
        if snap.challenge_kind == "maze" or name in ROLLERS:
            radius = ball_radius(snap, layout)
            kind = name if name in ROLLERS else "ball"
            # rolls as it moves: one turn per circumference travelled, from where it is
            turn_x = mx * layout.field[2] / radius
            turn_y = my * layout.field[2] / radius
            self._blit_centred(self.sprites.rolling(kind, radius, turn_x, turn_y), centre)
            return
        if name == "clock_hand":
            self._paint_clock_hand(centre, layout)
            return
        flip = self._facing_left(name, frame.curr.marker[0] - frame.prev.marker[0])
        image = self.sprites.get(name, MARKER_RADIUS * scale, frame_of(name, snap.t_s), flip)
        self._blit_centred(image, centre)

    def _paint_clock_hand(self, tip: tuple[float, float], layout: Layout) -> None:
        """The clock's hand turns about the middle of the face; its tip is the marker."""
        cx, cy, _ = layout.field
        screen, scale = self.view.screen, layout.scale
        width = max(4, int(9 * scale))
        self.mark(pygame.draw.line(screen, palette.WHITE, (cx, cy), tip, width + max(2, int(4 * scale))))
        self.mark(pygame.draw.line(screen, (20, 20, 24), (cx, cy), tip, width))
        self.mark(pygame.draw.circle(screen, palette.WHITE, (int(cx), int(cy)), int(14 * scale)))
        self.mark(pygame.draw.circle(screen, palette.ORANGE, (int(cx), int(cy)), int(10 * scale)))
        tip_r = max(8, int(15 * scale))
        self.mark(pygame.draw.circle(screen, palette.WHITE, (int(tip[0]), int(tip[1])), tip_r + max(2, int(3 * scale))))
        self.mark(pygame.draw.circle(screen, palette.ORANGE, (int(tip[0]), int(tip[1])), tip_r))
        self.mark(pygame.draw.circle(screen, (20, 20, 24), (int(tip[0]), int(tip[1])), tip_r, max(2, int(3 * scale))))

    def _paint_target_outline(self, target: TargetView, snap: Snapshot, layout: Layout) -> None:
        """Outline, hold ring and check mark go over the marker so they are never hidden."""
        screen, scale = self.view.screen, layout.scale
        centre = layout.to_px(target.x, target.y)
        radius = max(6, int(target.radius * layout.field[2]))
        width = max(3, int((7 if target.inside else 4) * scale))
        colour = palette.WHITE if target.inside else palette.SKY
        if target.role == "home":
            colour = palette.GREEN if target.inside else palette.WHITE
            square = pygame.Rect(0, 0, radius * 2, radius * 2)
            square.center = centre
            for i in range(12):  # a dashed ring
                a0 = i * math.tau / 12
                self.mark(pygame.draw.arc(screen, colour, square, a0, a0 + math.tau / 24, width))
        else:
            self.mark(pygame.draw.circle(screen, colour, centre, radius, width))
        ring_radius = radius + int(14 * scale)
        if snap.phase in ("trial", "home") and snap.progress > 0:
            self.mark(thick_arc(screen, palette.YELLOW, centre, ring_radius, max(6, int(10 * scale)), snap.progress))
        if target.inside:
            self._check((int(centre[0] + ring_radius * 0.8), int(centre[1] - ring_radius * 0.8)), 22 * scale)

    def _check(self, centre: tuple[int, int], size: float) -> None:
        screen, scale = self.view.screen, self.view.scale
        x, y = centre
        self.mark(pygame.draw.circle(screen, palette.GREEN, centre, int(size)))
        self.mark(pygame.draw.circle(screen, palette.WHITE, centre, int(size), max(2, int(3 * scale))))
        points = [(x - size * 0.6, y), (x - size * 0.15, y + size * 0.45), (x + size * 0.65, y - size * 0.5)]
        self.mark(pygame.draw.lines(screen, palette.WHITE, False, points, max(3, int(6 * scale))))

    def _paint_burst(self, frame: Frame, layout: Layout) -> None:
        """After a success, sparkles fly out from the marker; after a miss, a soft grey puff."""
        snap = frame.curr
        if snap.phase != "feedback" or snap.last_outcome is None:
            return
        screen, scale = self.view.screen, layout.scale
        elapsed = min(1.0, max(0.0, (FEEDBACK_S - snap.phase_left_s) / FEEDBACK_S))
        x, y = layout.to_px(*frame.marker())
        if snap.last_outcome == "success":
            reach = (30 + 70 * elapsed) * scale
            size = BURST_RADIUS * scale
            for i in range(8):
                a = i * math.tau / 8 + elapsed * 0.8
                image = self.sprites.get("star", size, frame_of("star", snap.t_s, i * 0.25))
                self._blit_centred(image, (x + reach * math.cos(a), y + reach * math.sin(a)))
        else:
            grey = (200, 200, 205)
            for i in range(5):
                a = i * math.tau / 5 + 0.4
                d = (14 + 26 * elapsed) * scale
                r = max(3, int((10 - 6 * elapsed) * scale))
                self.mark(pygame.draw.circle(screen, grey, (int(x + d * math.cos(a)), int(y + d * math.sin(a))), r, 2))

    # -- HUD -------------------------------------------------------------------------------
    def _sticky(self, slot: str, key: object, draw: Callable[[], object]) -> None:
        """Draw a HUD part only when its content changed or something drew over it last frame.

        The part's old rectangle is put back from the layer first; what ``draw`` paints is
        remembered as the part's rectangle instead of being undone next frame.
        """
        old = self._stuck.get(slot)
        if (old is not None and old[0] == key and old[1].collidelist(self._last_dirty) == -1
                and old[1].collidelist(self._dirty) == -1):  # nothing was drawn over it, last frame or this one
            return
        if old is not None:
            self.view.screen.blit(self._require_layer(), old[1], old[1])
        self._collect = []
        try:
            draw()
            drawn = self._collect
        finally:
            self._collect = None
        rect = drawn[0].unionall(drawn[1:]) if drawn else pygame.Rect(0, 0, 0, 0)
        self._stuck[slot] = (key, rect)

    def _require_layer(self) -> pygame.Surface:
        assert self._layer is not None, "the layer is painted before anything is drawn"
        return self._layer

    def _paint_hud(self, snap: Snapshot, layout: Layout, hint: str, words: bool = True) -> None:
        """Level, challenge and trial, score and stars in the top bar; the instruction in the bottom band, clear of
        the corner ``hint`` at both ends (centred)."""
        view, scale = self.view, layout.scale
        w, _ = layout.size
        bar = layout.bar
        score = f"{snap.score}"
        score_w = view._font(72).size(score)[0]
        left_w = w / 2 - score_w / 2 - 40 * scale
        label = (f"{snap.challenge_title}  ·  {min(max(snap.trial, 1), snap.trials)} of {snap.trials}"
                 if snap.trials else "")

        def names() -> None:
            title = self._fit(snap.level_title, (left_w, 44 * scale), (40, 34, 28, 24), 1)
            view.text(title.lines[0], title.px, palette.WHITE, (24 * scale, bar.centery - 14 * scale), "midleft")
            if label:
                fitted = self._fit(label, (left_w, 32 * scale), (30, 26, 22, 18), 1)
                view.text(fitted.lines[0], fitted.px, palette.SKY, (24 * scale, bar.centery + 20 * scale), "midleft")

        self._sticky("names", (snap.level_title, label, round(left_w)), names)
        self._sticky("score", score, lambda: view.text(score, 72, palette.YELLOW, (w / 2, bar.centery)))
        stars = self._stars_image(snap.stars, 20 * scale)
        self._sticky("stars", snap.stars, lambda: self._blit_centred(stars, (w - 100 * scale, bar.centery)))
        timer = f"{math.ceil(snap.phase_left_s)} s" if snap.phase == "trial" else ""
        self._sticky("timer", timer, lambda: timer and view.text(
            timer, 40, palette.WHITE, (w - 24 * scale, bar.bottom + 34 * scale), "midright"))
        band = layout.band
        instruction_words = {"intro": snap.instruction, "trial": snap.instruction,
                             "home": "Come back to the middle"}.get(snap.phase, "") if words else ""

        def instruction() -> None:
            if not instruction_words:
                return
            box_w = band.width - 2 * (view._font(24).size(hint)[0] + 32 * scale)
            fitted = self._fit(instruction_words, (box_w, band.height - 10 * scale), (48, 40, 34, 28, 24), 2)
            top = band.centery - (len(fitted.lines) - 1) * fitted.line_height / 2
            for i, line in enumerate(fitted.lines):
                view.text(line, fitted.px, palette.WHITE, (w / 2, top + i * fitted.line_height))

        self._sticky("words", instruction_words, instruction)

    def _paint_phase(self, snap: Snapshot, layout: Layout) -> None:
        """The countdown before a challenge; the banner after a trial, in a rest, at the end (kept while unchanged)."""
        view = self.view
        banner: tuple[str, Colour] | None = None
        if snap.phase == "feedback":
            banner = palette.feedback_banner(snap, palette.theme_for(snap.theme))
        elif snap.phase == "rest":
            banner = (f"Rest  {math.ceil(snap.phase_left_s)}", palette.SKY)
        elif snap.phase == "done":
            banner = ("Level complete!", palette.GREEN)

        def show() -> None:
            if banner is not None:
                view.banner(*banner)

        self._sticky("banner", banner, show)
        if snap.phase == "intro":
            self._paint_countdown(max(1, math.ceil(snap.phase_left_s)), snap, layout)

    def _paint_countdown(self, seconds: int, snap: Snapshot, layout: Layout) -> None:
        """The seconds before play as a round badge beside the field (never over the marker)."""
        x, y, r = layout.badge
        screen, scale = self.view.screen, layout.scale
        self.mark(pygame.draw.circle(screen, (0, 0, 0), (x, y), r))
        left = snap.phase_left_s - math.floor(snap.phase_left_s) if snap.phase_left_s % 1 else 1.0
        self.mark(thick_arc(screen, palette.YELLOW, (x, y), r - max(3, int(5 * scale)), max(4, int(8 * scale)), left))
        self.view.text(str(seconds), int(r * 1.7 / max(scale, 1e-6)), palette.YELLOW, (x, y))
        self.view.text("Ready?", 26, palette.WHITE, (x, y + r + 20 * scale))

    def _paint_pause(self, menu: PauseMenu, layout: Layout) -> None:
        """The pause menu (why it paused, the choices, "are you sure?") over the frozen frame: the menus' painter.

        It covers the whole screen, so the frame after it is painted afresh (``paint`` sees to that).
        """
        pygame_menus.draw_pause(self.view, self.view.screen, menu)
        self.mark(self.view.screen.get_rect())


def ball_radius(snap: Snapshot, layout: Layout) -> float:
    """A rolling marker's radius in pixels: a maze's ball at its size (the level's default), else marker size."""
    if snap.challenge_kind == "maze":
        return max(8.0, 0.05 * layout.field[2])
    return MARKER_RADIUS * layout.scale


def marker_offset(snap: Snapshot, scale: float) -> tuple[float, float]:
    """How far the marker's picture is moved for its feelings: a happy hop after a success, a wobble after a miss.

    Only in the feedback second after a trial (the player steers nothing then); 0 otherwise, so
    the picture sits exactly where the player is.
    """
    if snap.phase != "feedback" or snap.last_outcome is None:
        return (0.0, 0.0)
    elapsed = min(1.0, max(0.0, FEEDBACK_S - snap.phase_left_s))
    if snap.last_outcome == "success":
        return (0.0, -abs(math.sin(elapsed * math.tau)) * 12 * scale * (1 - elapsed * 0.5))
    return (math.sin(elapsed * math.tau * 3) * 6 * scale * (1 - elapsed), 0.0)


def thick_arc(surface: pygame.Surface, colour: Colour, centre: tuple[int, int], radius: int, width: int,
              fraction: float) -> pygame.Rect:
    """A clockwise ring from 12 o'clock covering ``fraction`` of the circle, without pygame.arc's gaps."""
    fraction = min(1.0, max(0.0, fraction))
    count = max(2, int(40 * fraction))
    outer, inner = [], []
    for i in range(count + 1):
        angle = -math.pi / 2 + fraction * math.tau * i / count
        cos, sin = math.cos(angle), math.sin(angle)
        outer.append((centre[0] + (radius + width / 2) * cos, centre[1] + (radius + width / 2) * sin))
        inner.append((centre[0] + (radius - width / 2) * cos, centre[1] + (radius - width / 2) * sin))
    return pygame.draw.polygon(surface, colour, outer + inner[::-1])
