"""The 2D view: draws frames, menus and results with pygame; decides nothing.

Everything here reads a ``Frame``/menu model and paints it. Layout is computed from the
window's current size, so resizing and fullscreen need no special cases. The playing screen
(pictures, animation, HUD, drawing only what changed) is ``game/views/play2d.py``; rendered
text is kept in a bounded cache (``game/views/textwrap2d.py``).

The mouse (or a touch, which SDL reports as the mouse) works the menus: each menu drawn leaves
its items' hit areas (``menu_items``), and ``poll`` names the item under the pointer, moved onto
(``hover``) or clicked (``pick``); any other click is ``CLICK`` (it chooses nothing and stops a
leaving countdown, as a key does). The menus decide what that means (game/menu.py).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pygame

from game.actions import CLICK, Action, MenuList, buttons_of, hover, pick, typed
from game.calibration_flow import CalibrationPicture
from game.core.events import Event
from game.core.snapshot import Frame
from game.menu import PauseMenu, ResultsView, TitleMenu
from game.paths import assets_dir
from game.views import pygame_menus
from game.views import theme as palette
from game.views.base import Direction, UiAction
from game.views.play2d import HINT, Layout, PlayPainter
from game.views.pygame_buttons import MIN_HEIGHT, draw_buttons, row_of
from game.views.pygame_calibration import draw_calibration
from game.views.sounds import EVENT_SOUNDS, RATE_HZ, music_player, synthesize, to_pcm16
from game.views.speech import speech_player
from game.views.textwrap2d import TextCache, fit_text
from game.views.theme import Theme
from game.views.x11_lifeline import guard_pygame_window, window_lost

Colour = tuple[int, int, int]

DEFAULT_SIZE = (1280, 720)
_BANNER_KEY = (255, 0, 254)  # a colour no banner uses: marks the banner image's transparent corners

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
_FOCUS_LOST = frozenset({pygame.WINDOWFOCUSLOST, pygame.WINDOWHIDDEN, pygame.WINDOWMINIMIZED})  # a level pauses
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
        guard_pygame_window()  # a window destroyed from outside ends the run like a close (x11_lifeline)
        self.headless = os.environ.get("SDL_VIDEODRIVER") in ("dummy", "offscreen")
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._stars = self._star_field(1)
        self.texts = TextCache()  # rendered text, bounded (tests read its size)
        self.painter = PlayPainter(self)  # the playing screen, drawn from caches
        self._drew_play = False
        self._banners: dict[tuple[str, Colour, int, int], tuple[pygame.Surface, tuple[int, int]]] = {}
        self.sounds = _Sounds(enabled=sound)
        self.menu_items: list[tuple[pygame.Rect, MenuList, int]] = []  # the menu items of the last frame drawn
        self._hovered: tuple[MenuList, int] | None = None  # the item the pointer was last reported on
        self._press_on_item = False  # the left button went down on an item: that press steers nothing
        speech_player(self, music=music_player(self))  # spoken instructions, music ducking under them (speech.py)

    # -- input -------------------------------------------------------------------------
    def poll(self) -> tuple[list[UiAction], frozenset[Direction]]:
        """UI actions since the last call (game-specific names) and the held directions."""
        actions: list[UiAction] = []
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                actions.append("quit")
            elif event.type in _FOCUS_LOST:
                actions.append("focus_lost")
            elif event.type == pygame.KEYDOWN:
                if event.key in _KEY_ACTIONS:
                    actions.append(_KEY_ACTIONS[event.key])
                elif event.unicode and event.unicode.isprintable():
                    actions.append(typed(event.unicode[0]))
            elif event.type == pygame.MOUSEMOTION:
                item = self.item_at(event.pos)
                if item is not None and item != self._hovered:  # onto another item: the selection follows
                    actions.append(hover(*item))
                self._hovered = item
            elif event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 2, 3):  # 4 and up: the wheel
                item = self.item_at(event.pos) if event.button == 1 else None
                actions.append(pick(*item) if item is not None else CLICK)
                self._hovered = item
                if event.button == 1:
                    self._press_on_item = item is not None
            elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
                self._press_on_item = False
            elif event.type == pygame.MOUSEWHEEL and event.y:
                actions.append("up" if event.y > 0 else "down")  # scrolls a long column, as the arrows do
            elif event.type == pygame.VIDEORESIZE and not self.headless:
                self.screen = pygame.display.set_mode((max(640, event.w), max(360, event.h)), pygame.RESIZABLE)
        pressed = pygame.key.get_pressed()
        held = frozenset(name for name, keys in _HELD.items() if any(pressed[k] for k in keys))
        return actions, held

    def pointer(self) -> tuple[float, float] | None:
        """Where the left mouse button (or a touch, which SDL reports as the mouse) is held on the field."""
        if not pygame.display.get_init() or not pygame.mouse.get_pressed()[0] or self._press_on_item:
            return None  # nothing held, or a click on a menu item (choosing "Resume" pulls the board nowhere)
        x, y = pygame.mouse.get_pos()
        return screen_to_field((float(x), float(y)), self._field())

    @property
    def hovered(self) -> tuple[MenuList, int] | None:
        """The item the pointer was last seen on (a button drawn there is marked as the one a click chooses)."""
        return self._hovered

    def item_at(self, pos: tuple[int, int]) -> tuple[MenuList, int] | None:
        """The menu item drawn under a pixel on the last frame (the topmost one), or None."""
        for rect, name, index in reversed(self.menu_items):
            if rect.collidepoint(pos):
                return name, index
        return None

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
        offset = max(2, int(3 * self.scale))
        image = self.texts.get(text, font, font.get_height(), colour, offset)
        rect = pygame.Rect(0, 0, image.get_width() - offset, image.get_height() - offset)
        setattr(rect, anchor, (int(centre[0]), int(centre[1])))
        self.painter.mark(self.screen.blit(image, rect.topleft))
        return rect

    def text_in_box(self, text: str, px: int, colour: Colour, centre: tuple[float, float], width: float,
                    max_lines: int = 2) -> pygame.Rect:
        """Text centred at ``centre`` that never runs wider than ``width`` pixels: smaller, then wrapped.

        Sizes step down from ``px`` to 60 % of it; then the text wraps onto up to ``max_lines``
        lines (a last line that still does not fit ends in "..."). Returns the rectangle drawn.
        """
        sizes = tuple(sorted({px, int(px * 0.85), int(px * 0.72), int(px * 0.6)}, reverse=True))
        one_line = next((size for size in sizes if self._font(size).size(text)[0] <= width), None)
        if one_line is not None:
            return self.text(text, one_line, colour, centre)
        height = max_lines * self._font(sizes[-1]).get_linesize()
        fitted = fit_text(text, (width, height), sizes, self._font, max_lines=max_lines)
        top = centre[1] - (len(fitted.lines) - 1) * fitted.line_height / 2
        rects = [self.text(line, fitted.px, colour, (centre[0], top + i * fitted.line_height))
                 for i, line in enumerate(fitted.lines)]
        return rects[0].unionall(rects[1:])

    def _field(self) -> tuple[float, float, float]:
        return Layout.of(self.screen.get_size()).field

    def _corner(self, hint: str = HINT) -> pygame.Rect:
        """The instruction band's right end, where play2d writes the frame's key ``hint`` ("Space: pause" in a
        level): a click or a touch there names the frame's corner item (``Frame.corner``)."""
        layout = Layout.of(self.screen.get_size())
        band, scale = layout.band, layout.scale
        width = int(self._font(24).size(hint)[0] + 48 * scale)
        return pygame.Rect(band.right - width, band.top, width, band.height)

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
        self.painter.invalidate()  # another screen draws: the next play frame repaints everything
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
        self.painter.mark(pygame.draw.polygon(self.screen, outline, points, max(2, int(3 * self.scale))))

    def _stars_row(self, count: int, centre: tuple[float, float], radius: float) -> None:
        for i in range(3):
            self._star_shape((centre[0] + (i - 1) * radius * 2.4, centre[1]), radius, i < count)

    # -- gameplay ----------------------------------------------------------------------
    def draw_play(self, frame: Frame, pause: PauseMenu | None = None, notice: str | None = None) -> None:
        """Paint one gameplay frame (and the pause menu over it when open): see ``game/views/play2d.py``."""
        self.painter.paint(frame, pause, notice)
        corner = frame.corner
        self.menu_items = list(pygame_menus.painter(self).items) if pause is not None else [
            (self._corner(corner.label), corner.list, corner.index)]
        music_player(self).frame(frame.curr.theme, paused=pause is not None)  # the theme's music (sounds.py)
        speech_player(self).show(frame.curr.instruction, render=frame.curr.phase == "intro")  # read out (speech.py)
        self._drew_play = True

    def banner(self, text: str, colour: Colour) -> None:
        """Framed large text across the upper middle (feedback, device notices), wrapped to stay inside its box.

        A short word ("Great!") is one line at 80 design px; a longer notice steps down in size and
        wraps (a word longer than a line is split) until it fits a box that stays on the screen
        at any window size from 800x600 up.
        """
        w, h = self.screen.get_size()
        key = (text, colour, w, h)
        kept = self._banners.get(key)
        if kept is None:
            kept = self._banners[key] = self._banner_image(text, colour)
            while len(self._banners) > 16:
                del self._banners[next(iter(self._banners))]
        image, topleft = kept
        self.painter.mark(self.screen.blit(image, topleft))

    def _banner_image(self, text: str, colour: Colour) -> tuple[pygame.Surface, tuple[int, int]]:
        """The banner drawn once (box, frame and words) and where it goes: a frame's banner is one blit."""
        w, h = self.screen.get_size()
        box_w = int(w * (0.62 if w >= 1000 else 0.8))
        inner = box_w - int(48 * self.scale)
        pad = int(40 * self.scale)
        fitted = fit_text(text, (inner, 120 * self.scale - pad), (80,), self._font, max_lines=1)
        if len(fitted.lines) > 1 or self._font(80).size(fitted.lines[0])[0] > inner:
            fitted = fit_text(text, (inner, h * 0.55 - pad), (64, 56, 48, 40, 34, 28, 24), self._font)
        lines, line_h = fitted.lines, fitted.line_height
        box = pygame.Rect(0, 0, box_w, max(int(120 * self.scale), len(lines) * line_h + pad))
        box.center = (w // 2, int(h * 0.3) + (box.height - int(120 * self.scale)) // 2)
        box.top = max(box.top, int(8 * self.scale))
        image = pygame.Surface(box.size)
        image.fill(_BANNER_KEY)  # the rounded corners are see-through (a colour key: an opaque blit, fast)
        frame = image.get_rect()
        pygame.draw.rect(image, palette.BLACK, frame, border_radius=int(24 * self.scale))
        pygame.draw.rect(image, colour, frame, max(4, int(6 * self.scale)), border_radius=int(24 * self.scale))
        font = self._font(fitted.px)
        offset = max(2, int(3 * self.scale))
        top = frame.centery - (len(lines) - 1) * line_h / 2
        for i, line in enumerate(lines):
            words = self.texts.get(line, font, font.get_height(), colour, offset)
            place = pygame.Rect(0, 0, words.get_width() - offset, words.get_height() - offset)
            place.center = (frame.centerx, int(top + i * line_h))
            image.blit(words, place.topleft)
        if pygame.display.get_surface() is not None:
            image = image.convert()
        image.set_colorkey(_BANNER_KEY, pygame.RLEACCEL)
        return image, box.topleft

    # -- menus -------------------------------------------------------------------------
    def draw_title(self, menu: TitleMenu) -> None:
        """Paint the title screen: greeting, week, players, games with stars, stickers (game/views/pygame_menus.py)."""
        self.painter.invalidate()
        pygame_menus.draw_title(self, self.screen, menu)
        self.menu_items = list(pygame_menus.painter(self).items)

    def draw_results(self, results: ResultsView) -> None:
        """Paint the results screen after a level (game/views/pygame_menus.py)."""
        self.painter.invalidate()
        pygame_menus.draw_results(self, self.screen, results)
        self.menu_items = list(pygame_menus.painter(self).items)

    def draw_message(self, title: str, lines: list[str]) -> None:
        """Paint a plain message screen, wrapped in its box (game/views/pygame_menus.py); lines that carry buttons
        (``ButtonLines``: an assessment's choices) get them in a row under the box, where a click chooses one."""
        self.painter.invalidate()
        buttons = buttons_of(lines)
        if not buttons:
            pygame_menus.draw_message(self, self.screen, title, lines)
            self.menu_items = list(pygame_menus.painter(self).items)
        else:
            w, h = self.screen.get_size()
            scale = self.scale
            row_h = int(MIN_HEIGHT * 1.25 * scale)
            strip = pygame.Rect(0, h - row_h - int(28 * scale), w, row_h + int(28 * scale))
            pygame_menus.draw_message(self, self.screen.subsurface((0, 0, w, strip.top)), title, lines)
            self.screen.fill(pygame_menus.BACKGROUND, strip)
            pad = int(32 * min(w / 1000.0, scale))  # the message box's own margin: the row lines up under it
            row = pygame.Rect(pad, strip.top + int(6 * scale), w - 2 * pad, row_h)
            self.menu_items = draw_buttons(self, buttons, row_of(row, len(buttons), int(24 * scale), int(460 * scale)))
        speech_player(self).show_lines(lines)  # an assessment's instruction is read out (speech.py)

    def draw_calibration(self, picture: CalibrationPicture) -> None:
        """Paint one moment of the calibration with its buttons (game/views/pygame_calibration.py)."""
        self.menu_items = draw_calibration(self, picture)

    # -- output ------------------------------------------------------------------------
    def present(self) -> None:
        """Show what was drawn."""
        if not self._drew_play:
            self.painter.invalidate()  # this frame was another screen's
        self._drew_play = False
        music_player(self).tick()  # a frame with no play frame (title, results, messages) stops the music
        speech_player(self).tick()  # starts, keeps or stops the clip of the instruction on screen
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
        speech_player(self).close()
        self.sounds.close()
        if not window_lost():  # SDL's teardown waits for ever on a dead X display, and errs on a destroyed window
            pygame.display.quit()


def screen_to_field(pos: tuple[float, float], field: tuple[float, float, float]) -> tuple[float, float]:
    """A screen pixel to LOS units, given the field's centre and radius in pixels (screen y grows down)."""
    cx, cy, radius = field
    return (pos[0] - cx) / radius, (cy - pos[1]) / radius


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
