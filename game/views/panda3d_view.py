"""The 3D view: the same frames, menus and sounds as the 2D view, drawn with panda3d.

``Panda3dView`` implements the ``View`` protocol (game/views/base.py). It owns a ShowBase
made without built-in globals (p3d_app) and passes it around; it never calls
``base.run()``: the runner's loop calls ``present()``, which steps panda3d's task manager
once (input, events, audio, one rendered frame). Modes: "3d" (a fixed camera behind the
board), "vr-preview" (the stereo pair side by side, HUD on a world-locked panel) and "vr"
(the same world, rendered into a headset: game/views/vr.py builds on this class; this
module never imports it, and game/views/factory.py picks between them).

In the desktop "3d" mode the mouse (or a touch) works the menus as in 2D: each menu drawn on the
HUD leaves its items' hit areas (``menu_items``, design units), and the pointer over one is
``hover``, a left click on one ``pick``; any other click is ``CLICK`` in every mode (it stops a
leaving countdown, as a key does). The stereo modes' HUD hangs in the world, so no item is named there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from panda3d.core import GraphicsWindow

from game.actions import CLICK, Action, MenuList, hover, pick, typed
from game.calibration_flow import CalibrationPicture
from game.core.art import NEUTRAL_ART, THEME_ART
from game.core.events import Event
from game.core.snapshot import Frame
from game.menu import PauseMenu, ResultsView, TitleMenu
from game.views import p3d_menus
from game.views.base import Direction, UiAction
from game.views.p3d_app import WindowWatch, close_showbase, guard_window, open_showbase, pygame_font_path
from game.views.p3d_calibration import draw_calibration
from game.views.p3d_camera import PANEL_M, PANEL_WIDTH_M, StereoPreview, frame_desktop
from game.views.p3d_hud import Hud, load_font
from game.views.p3d_menus import DESIGN_H, Area
from game.views.p3d_scene import SKY_COLOUR, PlayScene, rgba
from game.views.p3d_sounds import P3dSounds
from game.views.theme import theme_for

DEFAULT_SIZE = (1280, 720)
PROBE_EVERY_POLLS = 60  # poll() asks the X server whether the window still exists every 60th frame (1 s at 60 Hz)
MODES = ("3d", "vr-preview", "vr")

_KEY_ACTIONS: dict[str, Action] = {
    "space": "pause",
    "escape": "back",
    "enter": "confirm",
    "arrow_up": "up",
    "arrow_down": "down",
    "arrow_left": "left",
    "arrow_right": "right",
    "tab": "tab",
    "backspace": "backspace",
}
_REPEATING = ("arrow_up", "arrow_down", "arrow_left", "arrow_right", "backspace")
_HELD: dict[Direction, tuple[str, str]] = {
    "left": ("arrow_left", "a"), "right": ("arrow_right", "d"), "up": ("arrow_up", "w"), "down": ("arrow_down", "s"),
}


class Panda3dView:
    """A panda3d window or offscreen buffer that draws what it is given; owns no game rule."""

    def __init__(self, size: tuple[int, int] = DEFAULT_SIZE, *, offscreen: bool = False, fullscreen: bool = False,
                 sound: bool = True, mode: str = "3d", music: bool | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown 3D view mode {mode!r}")
        self.mode = mode
        self.offscreen = offscreen
        self.base = open_showbase(offscreen=offscreen, size=size, fullscreen=fullscreen, sound=sound and not offscreen)
        base = self.base
        self._actions: list[UiAction] = []
        self._screen = "play"  # what was drawn last: "play", "title", "results", "message" or "calibration"
        self._recentre_handlers: list[Callable[[], object]] = []
        self.vr: Any = None  # the headset session when game/views/vr.py opened this view (mode "vr")
        base.userExit = self._user_exit  # closing the window is a "quit" action, never sys.exit
        # a closed window is "quit", a minimised or unfocused one "focus_lost": both reach poll() as actions
        self.window = WindowWatch(base, notify=self._actions.append, on_other=self._window_resized)
        for key, action in _KEY_ACTIONS.items():
            base.accept(key, self._actions.append, [action])
            if key in _REPEATING:
                base.accept(key + "-repeat", self._actions.append, [action])
        base.accept("r", self._recentre_key)
        if base.buttonThrowers:  # typed characters (player codes) arrive as "keystroke" events
            base.buttonThrowers[0].node().setKeystrokeEvent("keystroke")
        base.accept("keystroke", self._keystroke)
        self.menu_items: list[tuple[Area, MenuList, int]] = []  # the last menu's items, in HUD design units
        self._hovered: tuple[MenuList, int] | None = None  # the item the pointer was last reported on
        self._last_mouse: tuple[float, float] | None = None  # where the mouse was at the last poll
        self._press_on_item = False  # the left button went down on an item: that press steers nothing
        for button in (1, 2, 3):
            base.accept(f"mouse{button}", self._mouse_down, [button])
        base.accept("mouse1-up", self._mouse_up)
        base.accept("wheel_up", self._actions.append, ["up"])  # scrolls a long column, as the arrows do
        base.accept("wheel_down", self._actions.append, ["down"])
        self.world = base.render.attachNewNode("world")
        self.scene = PlayScene(self.world)
        font = load_font(pygame_font_path())
        if mode == "3d":
            self.hud = Hud(base.aspect2d, font)
            self.stereo = None
            frame_desktop(base)
        else:
            panel = self.world.attachNewNode("hud-panel")
            panel.setPos(*PANEL_M)
            self.hud = Hud(panel, font)
            self.hud.fit_panel(PANEL_WIDTH_M)
            self.stereo = StereoPreview(base, self.world) if mode == "vr-preview" else None
        # music: None follows PROPRIO_MUSIC (on unless it says 0/off); False turns it off whatever the environment
        self.sounds = P3dSounds(base, enabled=sound and not offscreen, music=music)
        self.scene.idle("garden")
        self._fit()
        self.hud.begin()
        self.hud.shade(1.0)  # the warm-up frames are never seen
        self.scene.warm_up(base.graphicsEngine.renderFrame)
        self.hud.warm_up(base.graphicsEngine.renderFrame)
        self.hud.begin()
        # A window destroyed from outside ends the run like a close (game/views/x11_lifeline.py); poll() asks the
        # X server about it every 60th frame (a second), as panda3d may only see it "minimised".
        self._guarded = not offscreen and guard_window(base)
        self._polls = 0

    # -- input -------------------------------------------------------------------------
    def _user_exit(self) -> None:
        self._actions.append("quit")

    def _window_resized(self, win: GraphicsWindow) -> None:
        self.base.windowEvent(win)  # panda3d's own handling of resizes (aspect ratio)
        self._fit()

    def _keystroke(self, char: str) -> None:
        if char.isprintable() and char != " ":
            self._actions.append(typed(char))

    def _recentre_key(self) -> None:
        if self._screen == "title":
            return  # "r" is a letter of a player code there (the keystroke event adds it)
        self._actions.append("recentre")
        for handler in self._recentre_handlers:
            handler()

    def on_recentre(self, handler: Callable[[], object]) -> None:
        """Call ``handler`` when the player presses R (the VR view re-centres itself)."""
        self._recentre_handlers.append(handler)

    def mouse_film(self) -> tuple[float, float] | None:
        """The mouse in film coordinates (-1..1, y up), or None when it is off the window (or there is none)."""
        watcher = getattr(self.base, "mouseWatcherNode", None)
        if watcher is None or not watcher.hasMouse():
            return None
        mouse = watcher.getMouse()
        return float(mouse.x), float(mouse.y)

    def item_at(self, film: tuple[float, float] | None) -> tuple[MenuList, int] | None:
        """The menu item drawn under a film point on the last frame (the topmost one); None in the stereo modes."""
        if film is None or self.mode != "3d":
            return None
        x, y = (film[0] + 1) / 2 * self.hud.width, (1 - film[1]) / 2 * DESIGN_H  # the HUD's design units
        for (left, top, width, height), name, index in reversed(self.menu_items):
            if left <= x < left + width and top <= y < top + height:
                return name, index
        return None

    def _mouse_down(self, button: int) -> None:
        item = self.item_at(self.mouse_film()) if button == 1 else None
        self._actions.append(pick(*item) if item is not None else CLICK)
        self._hovered = item
        if button == 1:
            self._press_on_item = item is not None

    def _mouse_up(self) -> None:
        self._press_on_item = False

    def poll(self) -> tuple[list[UiAction], frozenset[Direction]]:
        """UI actions since the last call and the held directions (arrows or WASD)."""
        actions, self._actions[:] = list(self._actions), []
        self._polls += 1
        if self._guarded and self._polls % PROBE_EVERY_POLLS == 0:  # by frames: a view reads no clock
            from game.views.x11_lifeline import probe_windows

            probe_windows()
        film = self.mouse_film()
        if film != self._last_mouse:  # the mouse moved: the item under it, if another, is pointed at
            self._last_mouse = film
            item = self.item_at(film)
            if item is not None and item != self._hovered:
                actions.append(hover(*item))
            self._hovered = item
        watcher = getattr(self.base, "mouseWatcherNode", None)
        held: frozenset[Direction] = frozenset()
        if watcher is not None:
            from panda3d.core import KeyboardButton

            buttons = {"arrow_left": KeyboardButton.left(), "arrow_right": KeyboardButton.right(),
                       "arrow_up": KeyboardButton.up(), "arrow_down": KeyboardButton.down()}

            def down(name: str) -> bool:
                return bool(watcher.isButtonDown(buttons.get(name) or KeyboardButton.asciiKey(name)))

            held = frozenset(direction for direction, keys in _HELD.items() if any(down(k) for k in keys))
        return actions, held

    def pointer(self) -> tuple[float, float] | None:
        """Where the left mouse button is held on the board (LOS units, on the tilted board's plane).

        Only the desktop "3d" mode maps it: in the VR preview each eye sees the board elsewhere,
        and in a headset there is no mouse on the field, so those answer None.
        """
        watcher = getattr(self.base, "mouseWatcherNode", None)
        if self.mode != "3d" or watcher is None or not watcher.hasMouse():
            return None
        from panda3d.core import MouseButton

        if not watcher.isButtonDown(MouseButton.one()) or self._press_on_item:
            return None  # nothing held, or a click on a menu item (choosing "Resume" pulls the board nowhere)
        mouse = watcher.getMouse()
        return self._field_at_film(mouse.x, mouse.y)

    def field_point(self, px: float, py: float) -> tuple[float, float] | None:
        """The field point (LOS units, on the tilted board's plane) seen at a window pixel; None if none is.

        The inverse of ``screen_point`` for points on the board; None in the stereo modes.
        """
        if self.mode != "3d":
            return None
        w, h = self.base.win.getXSize(), self.base.win.getYSize()
        return self._field_at_film(px / w * 2 - 1, 1 - py / h * 2)

    def _field_at_film(self, film_x: float, film_y: float) -> tuple[float, float] | None:
        """Cast the camera's ray through a film point (-1..1, y up) onto the board's plane (field z = 0)."""
        from panda3d.core import Point2, Point3

        near, far = Point3(), Point3()
        if not self.base.cam.node().getLens().extrude(Point2(film_x, film_y), near, far):
            return None
        near = self.scene.field.getRelativePoint(self.base.cam, near)
        far = self.scene.field.getRelativePoint(self.base.cam, far)
        dz = far.z - near.z
        if abs(dz) < 1e-9:
            return None  # the ray runs along the board
        t = -near.z / dz
        if t < 0:
            return None  # the board's plane is behind the camera (a click in the sky)
        return (float(near.x + (far.x - near.x) * t), float(near.y + (far.y - near.y) * t))

    # -- drawing -----------------------------------------------------------------------
    def _fit(self) -> None:
        if self.mode == "3d":
            self.hud.fit_overlay(self.base.getAspectRatio())
            frame_desktop(self.base)

    def _corner(self, hint: str) -> Area:
        """The bottom-right corner where the HUD writes the frame's key hint ("Space: pause" in a level): a click or
        a touch there names the frame's corner item (``Frame.corner``)."""
        width = self.hud.text_width(hint, 26) + 48
        return (self.hud.width - width, DESIGN_H - 76, width, 76.0)

    def _clear_colour(self, name: str) -> None:
        """The sky behind a backdrop ("night_garden") or a theme's backdrop ("ocean")."""
        backdrop = name if name in SKY_COLOUR else THEME_ART.get(name, NEUTRAL_ART).backdrop
        self.base.setBackgroundColor(*rgba(SKY_COLOUR.get(backdrop, theme_for(name).background)))

    def draw_play(self, frame: Frame, pause: PauseMenu | None = None, notice: str | None = None) -> None:
        """Pose the scene for the frame (interpolated) and lay out the HUD over it."""
        self._screen = "play"
        snap = frame.curr
        self._clear_colour(snap.art.backdrop)
        self.scene.update(frame)
        corner = frame.corner
        self.hud.play(snap, pause, notice, corner.label)
        self.menu_items = (p3d_menus.items(self.hud) if pause is not None
                           else [(self._corner(corner.label), corner.list, corner.index)])
        self.sounds.music.frame(snap.theme, paused=pause is not None)  # the level's music (quieter when paused)
        self.sounds.speech.show(snap.instruction, render=snap.phase == "intro")  # read out (game/views/speech.py)

    def draw_title(self, menu: TitleMenu) -> None:
        """The title screen over the idle board."""
        self._screen = "title"
        self._clear_colour("space")
        self.scene.idle("space")
        p3d_menus.title(self.hud, menu)
        self.menu_items = p3d_menus.items(self.hud)

    def draw_results(self, results: ResultsView) -> None:
        """The results screen over the idle board."""
        self._screen = "results"
        self._clear_colour("garden")
        self.scene.idle("garden")
        p3d_menus.results(self.hud, results)
        self.menu_items = p3d_menus.items(self.hud)

    def draw_message(self, title: str, lines: list[str]) -> None:
        """A message screen; lines that carry buttons (an assessment's) get them, and a click there picks one."""
        self._screen = "message"
        self._clear_colour("space")
        self.scene.idle("space")
        p3d_menus.message(self.hud, title, lines, self._hovered)  # with its buttons, if the lines carry any
        self.menu_items = p3d_menus.items(self.hud)
        self.sounds.speech.show_lines(lines)  # an assessment's instruction is read out (game/views/speech.py)

    def draw_calibration(self, picture: CalibrationPicture) -> None:
        """The calibration step on the HUD (words, recorded limits, live reading, Hold bar) over the idle board."""
        self._screen = "calibration"
        self._clear_colour("space")
        self.scene.idle("space")
        self.menu_items = draw_calibration(self.hud, picture, self._hovered)  # its buttons answer a click

    # -- output ------------------------------------------------------------------------
    def present(self) -> None:
        """One step of panda3d's task manager: input, events, audio and one rendered frame."""
        self.sounds.music.tick()  # no play frame drawn since the last present: the music stops
        self.sounds.speech.tick()  # starts, keeps or stops the clip of the instruction on screen
        self.base.taskMgr.step()

    def render_only(self) -> None:
        """Render one frame without running tasks (benchmarks split scene update from render)."""
        self.base.graphicsEngine.renderFrame()

    def pixels(self) -> np.ndarray:
        """The last rendered frame as an (height, width, 3) uint8 array, top row first."""
        texture = self.base.win.getScreenshot()
        if texture is None:
            raise RuntimeError("no frame has been rendered yet")
        data = np.frombuffer(texture.getRamImageAs("RGB"), dtype=np.uint8)
        image = data.reshape(texture.getYSize(), texture.getXSize(), 3)
        return image[::-1].copy()

    def screen_point(self, x: float, y: float, z: float = 0.0, eye: int = 0) -> tuple[int, int] | None:
        """The pixel where a field point (LOS units, on the tilted board) appears, or None off-screen."""
        from panda3d.core import Point2, Point3

        if self.stereo is not None:
            cam, (left, right) = self.stereo.eyes[eye], ((0.0, 0.5), (0.5, 1.0))[eye]
        elif self.mode == "3d":
            cam, (left, right) = self.base.cam, (0.0, 1.0)
        else:
            return None
        point = cam.getRelativePoint(self.scene.field, Point3(x, y, z))
        film = Point2()
        if not cam.node().getLens().project(point, film):
            return None
        w, h = self.base.win.getXSize(), self.base.win.getYSize()
        px = (left + (film.x + 1) / 2 * (right - left)) * w
        py = (1 - (film.y + 1) / 2) * h
        return int(round(px)), int(round(py))

    def screenshot(self, path: Path) -> None:
        """Save the last rendered frame as PNG."""
        from panda3d.core import Filename, PNMImage

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        image = PNMImage()
        if not self.base.win.getScreenshot(image):
            self.present()
            self.base.win.getScreenshot(image)
        image.removeAlpha()
        image.write(Filename.fromOsSpecific(str(path)))

    def play_sounds(self, events: list[Event] | list[str]) -> None:
        """Play the sound of each event kind (a few per frame at most)."""
        self.sounds.play_for(events)

    def close(self) -> None:
        """Release the window (or buffer) and audio."""
        if self.base is None:
            return
        self.sounds.close()
        if self.stereo is not None:
            self.stereo.remove(self.base)
            self.stereo = None
        close_showbase(self.base)
        self.base = None

