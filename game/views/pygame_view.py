"""The 2D view: draws frames, menus and results with pygame; decides nothing.

Everything here reads a ``Frame``/menu model and paints it. Layout is computed from the
window's current size, so resizing and fullscreen need no special cases.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np
import pygame

from game.actions import Action, typed
from game.calibration_flow import CalibrationPicture
from game.core.events import Event
from game.core.snapshot import Frame, Snapshot, TargetView
from game.menu import NEW_PLAYER, PauseMenu, ResultsView, TitleMenu
from game.paths import assets_dir
from game.views import theme as palette
from game.views.base import Direction, UiAction
from game.views.pygame_calibration import draw_calibration
from game.views.sounds import EVENT_SOUNDS, RATE_HZ, synthesize, to_pcm16
from game.views.theme import Theme, feedback_banner, theme_for, wrap_words

Colour = tuple[int, int, int]

DEFAULT_SIZE = (1280, 720)
TRAIL_POINTS = 40

_KEY_ACTIONS: dict[int, Action] = {
    pygame.K_SPACE: "pause",
    pygame.K_ESCAPE: "back",
    pygame.K_RETURN: "confirm",
    pygame.K_KP_ENTER: "confirm",
    pygame.K_UP: "up",
    pygame.K_DOWN: "down",
    pygame.K_LEFT: "left",
    pygame.K_RIGHT: "right",
    pygame.K_TAB: "tab",
    pygame.K_BACKSPACE: "backspace",
    pygame.K_r: "recentre",
}
_HELD: dict[Direction, tuple[int, ...]] = {
    "left": (pygame.K_LEFT, pygame.K_a),
    "right": (pygame.K_RIGHT, pygame.K_d),
    "up": (pygame.K_UP, pygame.K_w),
    "down": (pygame.K_DOWN, pygame.K_s),
}


class PygameView:
    """A pygame window (or an offscreen surface when headless) that paints what it is given."""

    def __init__(self, size: tuple[int, int] = DEFAULT_SIZE, *, fullscreen: bool = False, sound: bool = True) -> None:
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption("Proprio")
        flags = pygame.FULLSCREEN if fullscreen else pygame.RESIZABLE
        self.screen = pygame.display.set_mode((0, 0) if fullscreen else size, flags)
        self.headless = os.environ.get("SDL_VIDEODRIVER") in ("dummy", "offscreen")
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._trail: list[tuple[float, float]] = []
        self._trail_key: tuple[int, int, str] | None = None
        self._stars = self._star_field(1)
        self.sounds = _Sounds(enabled=sound)

    # -- input -------------------------------------------------------------------------
    def poll(self) -> tuple[list[UiAction], frozenset[Direction]]:
        """UI actions since the last call (game-specific names) and the held directions."""
        actions: list[UiAction] = []
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                actions.append("quit")
            elif event.type == pygame.KEYDOWN:
                if event.key in _KEY_ACTIONS:
                    actions.append(_KEY_ACTIONS[event.key])
                elif event.unicode and event.unicode.isprintable():
                    actions.append(typed(event.unicode[0]))
            elif event.type == pygame.VIDEORESIZE and not self.headless:
                self.screen = pygame.display.set_mode((max(640, event.w), max(360, event.h)), pygame.RESIZABLE)
        pressed = pygame.key.get_pressed()
        held = frozenset(name for name, keys in _HELD.items() if any(pressed[k] for k in keys))
        return actions, held

    def pointer(self) -> tuple[float, float] | None:
        """Where the left mouse button (or a touch, which SDL reports as the mouse) is held on the field."""
        if not pygame.display.get_init() or not pygame.mouse.get_pressed()[0]:
            return None
        x, y = pygame.mouse.get_pos()
        return screen_to_field((float(x), float(y)), self._field())

    # -- helpers -----------------------------------------------------------------------
    @property
    def scale(self) -> float:
        """Size factor against the 720-pixel-high design."""
        return self.screen.get_height() / 720.0

    def _font(self, px: int, bold: bool = True) -> pygame.font.Font:
        size = max(12, int(px * self.scale))
        key = (size, bold)
        if key not in self._fonts:
            font = pygame.font.Font(None, size)
            font.set_bold(bold and size < 60)
            self._fonts[key] = font
        return self._fonts[key]

    def text(self, text: str, px: int, colour: Colour, centre: tuple[float, float],
             anchor: str = "center") -> pygame.Rect:
        """Shadowed text ``px`` design pixels high, placed by ``anchor`` (a pygame.Rect attribute) at ``centre``."""
        font = self._font(px)
        shadow = font.render(text, True, palette.BLACK)
        face = font.render(text, True, colour)
        rect = face.get_rect(**{anchor: (int(centre[0]), int(centre[1]))})
        offset = max(2, int(3 * self.scale))
        self.screen.blit(shadow, rect.move(offset, offset))
        self.screen.blit(face, rect)
        return rect

    def _field(self) -> tuple[float, float, float]:
        w, h = self.screen.get_size()
        radius = min(w * 0.36, h * 0.37)
        return w / 2, h * 0.54, radius

    def _to_px(self, x: float, y: float) -> tuple[int, int]:
        cx, cy, r = self._field()
        return int(cx + x * r), int(cy - y * r)  # forward (+y) is up on screen

    @staticmethod
    def _star_field(seed: int) -> list[tuple[float, float, int]]:
        # Fixed decoration: deterministic positions so screenshots are stable.
        points, state = [], seed
        for _ in range(90):
            state = (state * 1103515245 + 12345) % (2**31)
            x = (state % 10000) / 10000
            state = (state * 1103515245 + 12345) % (2**31)
            y = (state % 10000) / 10000
            points.append((x, y, 1 + state % 3))
        return points

    def backdrop(self, theme: Theme) -> None:
        """Clear the screen to the theme's background with its fixed decoration."""
        self.screen.fill(theme.background)
        w, h = self.screen.get_size()
        if theme.name == "space":
            for x, y, size in self._stars:
                pygame.draw.circle(self.screen, (200, 205, 235), (int(x * w), int(y * h)), size)
        else:
            for i in range(14):
                gx = int((i + 0.5) * w / 14)
                pygame.draw.line(self.screen, (24, 62, 46), (gx, h), (gx - int(12 * self.scale), int(h * 0.93)), 4)

    def _star_shape(self, centre: tuple[float, float], radius: float, filled: bool) -> None:
        points = []
        for i in range(10):
            r = radius if i % 2 == 0 else radius * 0.45
            angle = -math.pi / 2 + i * math.pi / 5
            points.append((centre[0] + r * math.cos(angle), centre[1] + r * math.sin(angle)))
        if filled:
            pygame.draw.polygon(self.screen, palette.YELLOW, points)
        outline = palette.WHITE if filled else (150, 150, 150)
        pygame.draw.polygon(self.screen, outline, points, max(2, int(3 * self.scale)))

    def _stars_row(self, count: int, centre: tuple[float, float], radius: float) -> None:
        for i in range(3):
            self._star_shape((centre[0] + (i - 1) * radius * 2.4, centre[1]), radius, i < count)

    # -- gameplay ----------------------------------------------------------------------
    def draw_play(self, frame: Frame, pause: PauseMenu | None = None, notice: str | None = None) -> None:
        """Paint one gameplay frame (and the pause menu over it when open)."""
        snap = frame.curr
        theme = theme_for(snap.theme)
        self.backdrop(theme)
        cx, cy, r = self._field()
        pygame.draw.circle(self.screen, theme.field, (int(cx), int(cy)), int(r))
        pygame.draw.circle(self.screen, theme.grid, (int(cx), int(cy)), int(r), max(2, int(3 * self.scale)))
        pygame.draw.circle(self.screen, theme.grid, (int(cx), int(cy)), int(r * 0.5), 1)
        pygame.draw.line(self.screen, theme.grid, (cx - r, cy), (cx + r, cy), 1)
        pygame.draw.line(self.screen, theme.grid, (cx, cy - r), (cx, cy + r), 1)
        self._draw_path(snap)
        self._draw_walls(snap, theme)
        for target in snap.targets:
            self._draw_target(target, theme)
        self._draw_items(frame)
        if snap.challenge_kind == "maze" and snap.phase == "trial":
            self._draw_tilt(snap)
        self._draw_marker(frame, theme)
        for target in snap.targets:
            self._draw_target_outline(target, theme, snap)
        self._draw_hud(snap, theme)
        self._draw_phase(snap, theme)
        if notice:
            self.banner(notice, palette.ORANGE)
        if pause is not None:
            self._draw_pause(pause)

    def _draw_path(self, snap: Snapshot) -> None:
        """A track's path as a solid line; a maze's hint route as dots."""
        if len(snap.path) < 2:
            return
        points = [self._to_px(x, y) for x, y in snap.path]
        if snap.challenge_kind == "maze":
            for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
                steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / (18 * self.scale)))
                for i in range(steps):
                    dot = (int(x0 + (x1 - x0) * i / steps), int(y0 + (y1 - y0) * i / steps))
                    pygame.draw.circle(self.screen, (230, 230, 230), dot, max(2, int(3 * self.scale)))
        else:
            pygame.draw.lines(self.screen, (200, 200, 200), False, points, max(2, int(4 * self.scale)))

    def _draw_walls(self, snap: Snapshot, theme: Theme) -> None:
        _, _, r = self._field()
        width = max(4, int(snap.wall_thickness * r))
        for x0, y0, x1, y1 in snap.walls:
            a, b = self._to_px(x0, y0), self._to_px(x1, y1)
            pygame.draw.line(self.screen, palette.WHITE, a, b, width)
            for end in (a, b):
                pygame.draw.circle(self.screen, palette.WHITE, end, width // 2)

    def _draw_items(self, frame: Frame) -> None:
        """Collectables are yellow stars; obstacles are purple spiky balls with an X (shape, not colour)."""
        _, _, r = self._field()
        for item in frame.curr.items:
            centre = self._to_px(item.x, item.y)
            radius = max(6, int(item.radius * r))
            if item.role == "collect":
                self._star_shape(centre, radius * 1.25, True)
            else:
                spikes = []
                for i in range(16):
                    rr = radius * (1.25 if i % 2 == 0 else 0.85)
                    a = i * math.tau / 16
                    spikes.append((centre[0] + rr * math.cos(a), centre[1] + rr * math.sin(a)))
                pygame.draw.polygon(self.screen, palette.PURPLE, spikes)
                pygame.draw.polygon(self.screen, palette.BLACK, spikes, max(2, int(3 * self.scale)))
                d = radius * 0.45
                for sx in (-1, 1):
                    pygame.draw.line(self.screen, palette.BLACK, (centre[0] - d, centre[1] - sx * d),
                                     (centre[0] + d, centre[1] + sx * d), max(3, int(5 * self.scale)))

    def _draw_tilt(self, snap: Snapshot) -> None:
        """Which way the board is tilted (what rolls the ball), as an arrow from the centre."""
        cx, cy, r = self._field()
        tx, ty = snap.control
        if math.hypot(tx, ty) < 0.05:
            return
        end = (cx + tx * r * 0.35, cy - ty * r * 0.35)
        pygame.draw.line(self.screen, palette.SKY, (cx, cy), end, max(3, int(6 * self.scale)))
        pygame.draw.circle(self.screen, palette.SKY, (int(end[0]), int(end[1])), max(5, int(9 * self.scale)))

    def _draw_target(self, target: TargetView, theme: Theme) -> None:
        """The zone's fill goes under the marker."""
        centre = self._to_px(target.x, target.y)
        radius = self._px_radius(target)
        if target.role == "home":
            return
        fill = palette.GREEN if target.inside else theme.target
        overlay = pygame.Surface((radius * 2 + 2, radius * 2 + 2), pygame.SRCALPHA)
        pygame.draw.circle(overlay, (*fill, 120), (radius + 1, radius + 1), radius)
        self.screen.blit(overlay, (centre[0] - radius - 1, centre[1] - radius - 1))
        if target.role == "target" and theme.name == "space":  # a planet's ring
            ring = pygame.Rect(0, 0, int(radius * 2.6), int(radius * 0.8))
            ring.center = centre
            pygame.draw.ellipse(self.screen, palette.WHITE, ring, max(2, int(2 * self.scale)))

    def _draw_target_outline(self, target: TargetView, theme: Theme, snap: Snapshot) -> None:
        """Outline, progress ring and check mark go over the marker so they are never hidden."""
        centre = self._to_px(target.x, target.y)
        radius = self._px_radius(target)
        width = max(3, int((7 if target.inside else 4) * self.scale))
        if target.role == "home":
            colour = palette.GREEN if target.inside else palette.WHITE
            for i in range(12):  # dashed ring
                a0 = i * math.tau / 12
                pygame.draw.arc(self.screen, colour, _square(centre, radius), a0, a0 + math.tau / 24, width)
        else:
            pygame.draw.circle(self.screen, palette.WHITE if target.inside else theme.target, centre, radius, width)
        ring_radius = radius + int(14 * self.scale)
        if snap.phase in ("trial", "home") and snap.progress > 0:
            _thick_arc(self.screen, palette.YELLOW, centre, ring_radius, max(6, int(10 * self.scale)), snap.progress)
        if target.inside:
            self._check((int(centre[0] + ring_radius * 0.9), int(centre[1] - ring_radius * 0.9)), 22 * self.scale)

    def _px_radius(self, target: TargetView) -> int:
        _, _, r = self._field()
        return max(6, int(target.radius * r))

    def _check(self, centre: tuple[int, int], size: float) -> None:
        x, y = centre
        pygame.draw.circle(self.screen, palette.GREEN, centre, int(size))
        pygame.draw.circle(self.screen, palette.WHITE, centre, int(size), max(2, int(3 * self.scale)))
        points = [(x - size * 0.6, y), (x - size * 0.15, y + size * 0.45), (x + size * 0.65, y - size * 0.5)]
        pygame.draw.lines(self.screen, palette.WHITE, False, points, max(3, int(6 * self.scale)))

    def _draw_marker(self, frame: Frame, theme: Theme) -> None:
        snap = frame.curr
        key = (snap.challenge_index, snap.trial, snap.phase)
        if key != self._trail_key:
            self._trail_key = key
            self._trail = []
        mx, my = frame.marker()
        px, py = self._to_px(mx, my)
        self._trail.append((px, py))
        self._trail = self._trail[-TRAIL_POINTS:]
        for i, (tx, ty) in enumerate(self._trail[:-1]):
            shade = 60 + int(120 * i / TRAIL_POINTS)
            pygame.draw.circle(self.screen, (shade, shade, shade), (tx, ty), max(2, int(4 * self.scale)))
        size = int(17 * self.scale)
        if snap.challenge_kind == "maze":  # a rolling ball, whatever the theme
            _, _, r = self._field()
            ball = max(8, int(0.05 * r))
            pygame.draw.circle(self.screen, palette.BLACK, (px, py), ball + max(2, int(3 * self.scale)))
            pygame.draw.circle(self.screen, theme.marker, (px, py), ball)
            pygame.draw.circle(self.screen, palette.WHITE, (px - ball // 3, py - ball // 3), max(2, ball // 4))
        elif theme.marker_name == "boat":
            hull = [(px - size * 1.1, py), (px + size * 1.1, py), (px + size * 0.7, py + size * 0.7),
                    (px - size * 0.7, py + size * 0.7)]
            sail = [(px, py - size * 1.4), (px, py - size * 0.1), (px + size * 0.9, py - size * 0.1)]
            pygame.draw.polygon(self.screen, palette.WHITE, sail)
            pygame.draw.polygon(self.screen, palette.BLACK, sail, max(2, int(2 * self.scale)))
            pygame.draw.polygon(self.screen, theme.marker, hull)
            pygame.draw.polygon(self.screen, palette.BLACK, hull, max(2, int(3 * self.scale)))
        elif theme.marker_name == "rocket":
            body = [(px, py - size * 1.3), (px + size * 0.8, py + size * 0.9), (px - size * 0.8, py + size * 0.9)]
            pygame.draw.polygon(self.screen, palette.ORANGE, [(px - size * 0.4, py + size * 0.9),
                                                            (px, py + size * 1.7), (px + size * 0.4, py + size * 0.9)])
            pygame.draw.polygon(self.screen, theme.marker, body)
            pygame.draw.polygon(self.screen, palette.BLACK, body, max(2, int(3 * self.scale)))
            pygame.draw.circle(self.screen, palette.SKY, (px, int(py - size * 0.1)), int(size * 0.3))
        else:
            pygame.draw.circle(self.screen, palette.BLACK, (px, py), size + max(2, int(3 * self.scale)))
            pygame.draw.circle(self.screen, theme.marker, (px, py), size)
            pygame.draw.line(self.screen, palette.BLACK, (px, py - size), (px, py + size), max(2, int(3 * self.scale)))
            for dx, dy in ((-0.45, -0.3), (0.45, -0.3), (-0.5, 0.35), (0.5, 0.35)):
                spot = (int(px + dx * size), int(py + dy * size))
                pygame.draw.circle(self.screen, palette.BLACK, spot, max(3, size // 5))
            pygame.draw.circle(self.screen, palette.BLACK, (px, int(py - size * 1.05)), max(4, size // 3))

    def _draw_hud(self, snap: Snapshot, theme: Theme) -> None:
        w, h = self.screen.get_size()
        bar = pygame.Rect(0, 0, w, int(84 * self.scale))
        pygame.draw.rect(self.screen, (0, 0, 0), bar)
        self.text(snap.level_title, 40, palette.WHITE, (24 * self.scale, bar.centery - 14 * self.scale), "midleft")
        if snap.trials:
            label = f"{snap.challenge_title}  ·  {min(max(snap.trial, 1), snap.trials)} of {snap.trials}"
            self.text(label, 30, palette.SKY, (24 * self.scale, bar.centery + 20 * self.scale), "midleft")
        self.text(f"{snap.score}", 72, palette.YELLOW, (w / 2, bar.centery))
        self._stars_row(snap.stars, (w - 120 * self.scale, bar.centery), 22 * self.scale)
        self.text("Space: pause", 26, (200, 200, 200), (w - 20 * self.scale, h - 20 * self.scale), "bottomright")
        if snap.phase == "trial":
            timeout = snap.phase_left_s
            self.text(f"{math.ceil(timeout)} s", 40, palette.WHITE, (w - 24 * self.scale, bar.bottom + 40 * self.scale),
                      "midright")

    def _draw_phase(self, snap: Snapshot, theme: Theme) -> None:
        w, h = self.screen.get_size()
        bottom = h - 60 * self.scale
        if snap.phase == "intro":
            self.text(snap.instruction, 56, palette.WHITE, (w / 2, bottom))
            self.text(str(max(1, math.ceil(snap.phase_left_s))), 150, palette.YELLOW, (w / 2, h * 0.54))
        elif snap.phase == "trial":
            self.text(snap.instruction, 48, palette.WHITE, (w / 2, bottom))
        elif snap.phase == "home":
            self.text("Come back to the middle", 52, palette.WHITE, (w / 2, bottom))
        elif snap.phase == "feedback":
            self.banner(*feedback_banner(snap, theme))
        elif snap.phase == "rest":
            self.banner(f"Rest  {math.ceil(snap.phase_left_s)}", palette.SKY)
        elif snap.phase == "done":
            self.banner("Level complete!", palette.GREEN)

    def banner(self, text: str, colour: Colour) -> None:
        """Framed large text across the upper middle (feedback, device notices), wrapped to stay inside its box.

        A short word ("Great!") is one line at 80 design px; a long notice steps down to 48 px and
        wraps onto up to three lines (more lines if it must: it is never cut).
        """
        w, h = self.screen.get_size()
        inner = int(w * 0.62) - int(48 * self.scale)
        for px in (80, 64, 56, 48):
            font = self._font(px)
            lines = wrap_words(text, inner, partial(_text_width, font))
            if len(lines) <= (1 if px == 80 else 3) and all(font.size(line)[0] <= inner for line in lines):
                break
        line_h = font.get_linesize()
        box = pygame.Rect(0, 0, int(w * 0.62), max(int(120 * self.scale), len(lines) * line_h + int(40 * self.scale)))
        box.center = (w // 2, int(h * 0.3) + (box.height - int(120 * self.scale)) // 2)
        pygame.draw.rect(self.screen, palette.BLACK, box, border_radius=int(24 * self.scale))
        pygame.draw.rect(self.screen, colour, box, max(4, int(6 * self.scale)), border_radius=int(24 * self.scale))
        top = box.centery - (len(lines) - 1) * line_h / 2
        for i, line in enumerate(lines):
            self.text(line, px, colour, (box.centerx, top + i * line_h))

    def _draw_pause(self, menu: PauseMenu) -> None:
        w, h = self.screen.get_size()
        shade = pygame.Surface((w, h), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 225))
        self.screen.blit(shade, (0, 0))
        self.text("Paused", 110, palette.YELLOW, (w / 2, h * 0.25))
        for i, item in enumerate(menu.items):
            selected = i == menu.index
            y = h * 0.45 + i * 80 * self.scale
            if selected:
                box = pygame.Rect(0, 0, int(420 * self.scale), int(70 * self.scale))
                box.center = (w // 2, int(y))
                pygame.draw.rect(self.screen, palette.SKY, box, max(3, int(5 * self.scale)), border_radius=12)
            self.text(("> " if selected else "") + item, 56, palette.WHITE if selected else (190, 190, 190), (w / 2, y))
        self.text("Space: resume   Up/Down + Enter: choose", 32, (225, 225, 225), (w / 2, h * 0.8))

    # -- menus -------------------------------------------------------------------------
    def draw_title(self, menu: TitleMenu) -> None:
        """Paint the title screen: player and level columns."""
        theme = theme_for("space")
        self.backdrop(theme)
        w, h = self.screen.get_size()
        self.text("Proprio", 130, palette.YELLOW, (w / 2, h * 0.13))
        self.text("Balance games", 44, palette.SKY, (w / 2, h * 0.24))
        columns = (
            ("Player", [*menu.players, NEW_PLAYER], menu.player_index, menu.focus == "player", w * 0.28),
            ("Level", [label for _, label in menu.levels], menu.level_index, menu.focus == "level", w * 0.70),
        )
        for heading, rows, selected, focused, x in columns:
            self.text(heading, 52, palette.WHITE if focused else (170, 170, 170), (x, h * 0.35))
            start = max(0, min(selected - 3, len(rows) - 6))
            for i, row in enumerate(rows[start:start + 6], start=start):
                y = h * 0.45 + (i - start) * 58 * self.scale
                label = row
                if heading == "Player" and row == NEW_PLAYER and menu.typing:
                    label = f"New: {menu.typed}_" if focused else f"New: {menu.typed}"
                is_sel = i == selected
                if is_sel:
                    box = pygame.Rect(0, 0, int(w * 0.36), int(54 * self.scale))
                    box.center = (int(x), int(y))
                    colour = palette.YELLOW if focused else palette.SKY
                    pygame.draw.rect(self.screen, colour, box, max(3, int(5 * self.scale)), border_radius=10)
                self.text(label, 42, palette.WHITE if is_sel else (185, 185, 185), (x, y))
        if menu.message:
            self.text(menu.message, 34, palette.ORANGE, (w / 2, h * 0.86))
        self.text("Arrows: choose   Enter: play   Esc: quit", 32, (215, 215, 215), (w / 2, h * 0.94))

    def draw_results(self, results: ResultsView) -> None:
        """Paint the results screen after a level."""
        theme = theme_for("garden")
        self.backdrop(theme)
        w, h = self.screen.get_size()
        heading = f"Well done, {results.player}!" if results.status == "completed" else "Level ended early"
        self.text(heading, 76, palette.YELLOW, (w / 2, h * 0.1))
        self.text(results.level_title, 44, palette.SKY, (w / 2, h * 0.19))
        self._stars_row(results.stars, (w / 2, h * 0.33), 52 * self.scale)
        self.text(f"Score {results.score}", 72, palette.WHITE, (w / 2, h * 0.48))
        self.text(f"{results.successes} of {results.trials} done", 46, palette.WHITE, (w / 2, h * 0.57))
        for i, line in enumerate(results.improvements[:3]):
            self.text(line, 40, palette.WHITE, (w / 2, h * (0.67 + i * 0.07)))
        hint = f"Enter: next level ({results.next_label})" if results.next_label else "Enter: back to the title"
        self.text(hint, 34, (220, 220, 220), (w / 2, h * 0.93))

    def draw_message(self, title: str, lines: list[str]) -> None:
        """Paint a plain message screen (e.g. a level that failed to load while watching)."""
        self.backdrop(theme_for("space"))
        w, h = self.screen.get_size()
        self.text(title, 64, palette.ORANGE, (w / 2, h * 0.2))
        for i, line in enumerate(lines[:8]):
            self.text(line[:90], 30, palette.WHITE, (w / 2, h * (0.35 + i * 0.07)))

    def draw_calibration(self, picture: CalibrationPicture) -> None:
        """Paint one moment of the calibration (game/views/pygame_calibration.py)."""
        draw_calibration(self, picture)

    # -- output ------------------------------------------------------------------------
    def present(self) -> None:
        """Show what was drawn."""
        pygame.display.flip()

    def screenshot(self, path: Path) -> None:
        """Save the last drawn frame as PNG."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.screen, str(path))

    def play_sounds(self, events: list[Event] | list[str]) -> None:
        """Play the sound of each event kind (a few per frame at most)."""
        self.sounds.play_for(events)

    def close(self) -> None:
        """Close the window."""
        self.sounds.close()
        pygame.display.quit()


def screen_to_field(pos: tuple[float, float], field: tuple[float, float, float]) -> tuple[float, float]:
    """A screen pixel to LOS units, given the field's centre and radius in pixels (screen y grows down)."""
    cx, cy, radius = field
    return (pos[0] - cx) / radius, (cy - pos[1]) / radius


def _text_width(font: pygame.font.Font, text: str) -> float:
    """Pixels the text takes in this font (what the banner wraps by)."""
    return float(font.size(text)[0])


def _thick_arc(surface: pygame.Surface, colour: Colour, centre: tuple[int, int], radius: int, width: int,
               fraction: float) -> None:
    """A clockwise ring from 12 o'clock covering ``fraction`` of the circle, without pygame.arc's gaps."""
    count = max(2, int(64 * fraction))
    outer, inner = [], []
    for i in range(count + 1):
        angle = -math.pi / 2 + fraction * math.tau * i / count
        cos, sin = math.cos(angle), math.sin(angle)
        outer.append((centre[0] + (radius + width / 2) * cos, centre[1] + (radius + width / 2) * sin))
        inner.append((centre[0] + (radius - width / 2) * cos, centre[1] + (radius - width / 2) * sin))
    pygame.draw.polygon(surface, colour, outer + inner[::-1])


def _square(centre: tuple[int, int], radius: int) -> pygame.Rect:
    rect = pygame.Rect(0, 0, radius * 2, radius * 2)
    rect.center = centre
    return rect


class _Sounds:
    """Loads the shipped WAVs (or synthesizes them) and plays one per event kind."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = False
        self.played: list[str] = []  # names played, newest last (kept short; tests read it)
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        if not enabled:
            return
        try:
            pygame.mixer.init(frequency=RATE_HZ, size=-16, channels=1)
        except pygame.error:
            return  # no audio device: play silently
        folder = assets_dir() / "sounds"
        synthesized = None
        for name in set(EVENT_SOUNDS.values()):
            path = folder / f"{name}.wav"
            try:
                self._sounds[name] = pygame.mixer.Sound(str(path))
            except (pygame.error, FileNotFoundError):
                synthesized = synthesized or synthesize()
                self._sounds[name] = pygame.sndarray.make_sound(_for_mixer(to_pcm16(synthesized[name])))
        self.enabled = True

    def play_for(self, events: Sequence[Event | str]) -> None:
        names: list[str] = []
        for event in events:
            kind = event if isinstance(event, str) else event.kind
            name = EVENT_SOUNDS.get(kind) if isinstance(event, str) else event.data.get("sound", EVENT_SOUNDS.get(kind))
            if name and name not in names:
                names.append(name)
        for name in names[-3:]:
            self.played.append(name)
            if self.enabled:
                self._sounds[name].play()
        del self.played[:-50]

    def close(self) -> None:
        if self.enabled:
            pygame.mixer.quit()


def _for_mixer(pcm: np.ndarray) -> np.ndarray:
    channels = pygame.mixer.get_init()[2] if pygame.mixer.get_init() else 1
    return np.repeat(pcm[:, None], channels, axis=1) if channels > 1 else pcm
