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
from pathlib import Path
from typing import TYPE_CHECKING

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


def pygame_font_path() -> Path | None:
    """pygame's bundled FreeSans Bold, the font the 2D view uses (found without importing pygame)."""
    import importlib.util

    spec = importlib.util.find_spec("pygame")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "freesansbold.ttf"
    return path if path.is_file() else None
