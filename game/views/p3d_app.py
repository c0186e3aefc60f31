"""Open panda3d's ShowBase without its built-in globals, offscreen or in a window.

ShowBase (panda3d 1.10) always writes ``base``, ``render``, ``taskMgr``, ``loader`` ... into
``builtins``; panda3d's own manual advises larger programs to pass the ShowBase around
instead. ``open_showbase`` removes those names right after construction, so any code of
ours that leaned on them would fail at once (a test checks this), and configures panda3d
from code (no prc file): quiet notify levels, the null audio library when silent, and
the EGL headless pipe for offscreen buffers.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from game.errors import ProprioError

if TYPE_CHECKING:
    from direct.showbase.ShowBase import ShowBase

# Names ShowBase.__init__ puts into builtins; none of our code may rely on them.
SHOWBASE_BUILTINS = (
    "base", "render", "render2d", "aspect2d", "pixel2d", "render2dp", "aspect2dp", "pixel2dp", "hidden",
    "camera", "loader", "taskMgr", "jobMgr", "eventMgr", "messenger", "bboard", "run", "ostream",
    "directNotify", "giveNotify", "globalClock", "vfs", "cpMgr", "cvMgr", "pandaSystem", "wantUberdog",
    "onScreenDebug", "deltaProfiler", "__dev__",
)


class ViewUnavailableError(ProprioError):
    """The 3D view cannot open here (no display, no OpenGL, no offscreen buffer)."""


_page = None  # the prc page of the current ShowBase (panda3d config is process-wide)


def _prc_lines(*, offscreen: bool, size: tuple[int, int], fullscreen: bool, sound: bool, title: str) -> str:
    lines = [
        f"win-size {size[0]} {size[1]}",
        f"window-title {title}",
        f"fullscreen {'#t' if fullscreen else '#f'}",
        "sync-video #f",  # the runner paces frames itself; vsync would count as frame work
        "framebuffer-multisample #t",
        "multisamples 4",
        "notify-level warning",
        "default-directnotify-level error",
        "notify-level-device fatal",  # the joystick scanner's "/dev/input" complaints are no use to us
        "notify-level-display fatal",  # X11/EGL chatter; a window that cannot open is reported by us
        "print-pipe-types #f",
        "show-frame-rate-meter #f",
        "want-pstats #f",
        "audio-library-name " + ("p3openal_audio" if sound else "null"),
        "model-cache-dir",  # procedural geometry only: never write a cache
    ]
    if offscreen:
        lines += [
            "load-display p3headlessgl",
            "aux-display p3headlessgl",
            "notify-level-glgsg error",
            "framebuffer-multisample #f",  # llvmpipe: MSAA costs more than it shows
        ]
    return "\n".join(lines)


def open_showbase(*, offscreen: bool, size: tuple[int, int] = (1280, 720), fullscreen: bool = False,
                  sound: bool = False, title: str = "Proprio") -> ShowBase:
    """A ShowBase with a window (or an offscreen buffer) and no built-in globals."""
    global _page
    from panda3d.core import loadPrcFileData, unloadPrcFile

    if _page is not None:
        unloadPrcFile(_page)
    _page = loadPrcFileData("proprio", _prc_lines(offscreen=offscreen, size=size, fullscreen=fullscreen,
                                                 sound=sound, title=title))
    from direct.showbase.ShowBase import ShowBase

    try:
        base = ShowBase(windowType="offscreen" if offscreen else "onscreen")
    except Exception as exc:  # ShowBase raises a bare Exception("Could not open window.")
        strip_builtins()
        where = "an offscreen OpenGL buffer" if offscreen else "a 3D window"
        remedy = ("OpenGL (e.g. Mesa's libegl1/libgl1) is needed for the 3D view; the 2D view works without it: "
                  "--view 2d." if offscreen else
                  "No display here? Add --headless "
                  "(for example: proprio play --view 3d --headless --input sim --fast).")
        raise ViewUnavailableError(f"cannot open {where} ({exc})", remedy=remedy) from None
    strip_builtins()
    if base.win is None:
        base.destroy()
        raise ViewUnavailableError("cannot open a 3D window (panda3d made none)",
                                   remedy="Add --headless, or use --view 2d.")
    base.disableMouse()  # the camera is ours: no trackball
    return base


def strip_builtins() -> None:
    """Remove ShowBase's built-in globals (the objects stay reachable through the ShowBase)."""
    for name in SHOWBASE_BUILTINS:
        if name in vars(builtins):
            delattr(builtins, name)


def close_showbase(base: ShowBase | None) -> None:
    """Destroy a ShowBase made by ``open_showbase`` (safe to call twice)."""
    global _page
    if base is None:
        return
    base.destroy()
    if _page is not None:
        from panda3d.core import unloadPrcFile

        unloadPrcFile(_page)
        _page = None


def guard_window(base: ShowBase) -> bool:
    """End the run cleanly when the window is destroyed from outside or its display dies (x11_lifeline).

    Call it once a frame has been drawn: panda3d's OpenGL context is then current, and its
    ``Display*`` is the one whose loss must not end the process. False for an offscreen buffer
    or where there is no X11 (the other platforms' windows have no such hole).
    """
    from game.views.x11_lifeline import current_glx_display, watch_window

    handle = base.win.getWindowHandle() if base.win is not None and hasattr(base.win, "getWindowHandle") else None
    if handle is None or not handle.getIntHandle():
        return False
    return watch_window(current_glx_display(), int(handle.getIntHandle()))


WindowNotice = Literal["quit", "focus_lost"]  # the window was closed; it was hidden, minimised or unfocused


class WindowWatch:
    """What happened to the window, from panda3d's "window-event": closed, minimised, focus lost.

    panda3d throws "window-event" with the window whenever its properties change. The watch
    compares the window with ``==`` (each event hands over a new Python wrapper of the same
    window, so ``is`` never matches: the old check missed every close and a level played on with
    no window). A close gives one ``"quit"``; going from shown and focused to minimised or
    unfocused gives one ``"focus_lost"`` (not again until the window is back in front). Each
    notice goes to ``notify`` (the view appends it to the actions ``poll()`` returns) and stays in
    ``notices`` for whoever reads them with ``take()``. Other changes (a resize) go to ``on_other``.
    """

    def __init__(self, base: ShowBase, notify: Callable[[WindowNotice], object] | None = None,
                 on_other: Callable[[Any], object] | None = None) -> None:
        self.base = base
        self.notify = notify
        self.on_other = on_other
        self.closed = False
        self.in_front = True  # shown and focused as far as we know
        self.notices: list[WindowNotice] = []
        base.ignore("window-event")  # ShowBase's own handler would call sys.exit on a close
        base.accept("window-event", self.on_event)

    def on_event(self, win: Any) -> None:
        """panda3d's "window-event" for ``win`` (only the view's own window counts)."""
        if win is None or self.base.win is None or win != self.base.win:
            return
        get = getattr(win, "getProperties", None)
        if get is None:  # an offscreen buffer has no window properties
            return
        if self.seen(get()) != "quit" and self.on_other is not None:
            self.on_other(win)  # a resize (panda3d's aspect-ratio handling), also when focus changed

    def seen(self, props: Any) -> WindowNotice | None:
        """Take in a window's new properties; the notice they give, if any (logic kept apart for tests)."""
        notice: WindowNotice | None = None
        if props.hasOpen() and not props.getOpen():
            if self.closed:
                return None
            self.closed = True
            notice = "quit"
        else:
            hidden = props.hasMinimized() and props.getMinimized()
            unfocused = props.hasForeground() and not props.getForeground()
            if hidden or unfocused:
                if self.in_front:
                    self.in_front = False
                    notice = "focus_lost"
            elif (props.hasForeground() and props.getForeground()) or (props.hasMinimized() and not hidden):
                self.in_front = True
        if notice is not None:
            self.notices.append(notice)
            del self.notices[:-16]  # nobody reading: keep the last few
            if self.notify is not None:
                self.notify(notice)
        return notice

    def take(self) -> list[WindowNotice]:
        """The notices since the last call."""
        out, self.notices[:] = list(self.notices), []
        return out


def pygame_font_path() -> Path | None:
    """pygame's bundled FreeSans Bold, the font the 2D view uses (found without importing pygame)."""
    import importlib.util

    spec = importlib.util.find_spec("pygame")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "freesansbold.ttf"
    return path if path.is_file() else None
