"""Notice when the game's X window is destroyed from outside, or its X display goes away.

The window manager's close button asks politely (``WM_DELETE_WINDOW``) and both views turn it
into "quit". ``xkill``, ``XDestroyWindow`` or ``XKillClient`` from another program, or an X
server that stops, do not ask: panda3d kept drawing into a destroyed window for ever (it only
sees it "minimised", so the game paused with nobody to resume it), and a dead connection made
Xlib's I/O error handler run, which ends the process from inside C (panda3d's calls ``exit``
and then aborts on a locked mutex; SDL's default calls ``exit(1)``). Either way the session
stayed ``running`` in the database until the next start called it interrupted.

:func:`watch_window` installs, once per process and only where libX11 is loaded anyway, an X
error handler and an X I/O error handler that note the loss for the play loop
(:func:`game.play.stop_signal.note_window_gone`) and return, so the run ends at the start of
the next frame through the ordinary path (the level stored as aborted with its data, the
summary printed, exit 0). Errors about other resources go on to the handler that was there
before (panda3d's or SDL's), unchanged. On a dead display, Xlib would still call ``exit`` after
our I/O handler returns; the display's "exit handler" (libX11 1.7 and later,
``XSetIOErrorExitHandler``) is replaced by one that returns, after which Xlib answers every
call on that display at once, without touching the socket. Without it (an older libX11) a lost
display still ends the process as before.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import sys
from typing import Any

from game.play.stop_signal import note_window_gone

BAD_WINDOW, BAD_DRAWABLE = 3, 9  # X protocol error codes for a resource that no longer exists
XWINDOWATTRIBUTES_BYTES = 512  # room for Xlib's XWindowAttributes (136 bytes on x86-64), never read back


class _ErrorEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("display", ctypes.c_void_p), ("resourceid", ctypes.c_ulong),
                ("serial", ctypes.c_ulong), ("error_code", ctypes.c_ubyte), ("request_code", ctypes.c_ubyte),
                ("minor_code", ctypes.c_ubyte)]


_ErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_ErrorEvent))
_IOErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_IOErrorExitHandler = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


class _Lifeline:
    """The installed handlers (kept alive here: libX11 holds only their C pointers) and what they watch."""

    def __init__(self, x11: Any) -> None:
        self.x11 = x11
        self.windows: set[int] = set()
        self.displays: set[int] = set()  # displays whose exit handler is ours
        self.display_lost = False
        self.teardown_skipped = False  # _exit_without_x is registered
        self.error_handler = _ErrorHandler(self._on_error)
        self.io_error_handler = _IOErrorHandler(self._on_io_error)
        self.exit_handler = _IOErrorExitHandler(self._on_io_error_exit)
        for setter in (x11.XSetErrorHandler, x11.XSetIOErrorHandler):
            setter.restype = ctypes.c_void_p
            setter.argtypes = [ctypes.c_void_p]
        self.previous = (x11.XSetErrorHandler(ctypes.cast(self.error_handler, ctypes.c_void_p)),
                         x11.XSetIOErrorHandler(ctypes.cast(self.io_error_handler, ctypes.c_void_p)))
        self.previous_error = _ErrorHandler(self.previous[0]) if self.previous[0] else None
        atexit.register(self.uninstall)  # before Python frees the callbacks libX11 points at
        self.can_survive = hasattr(x11, "XSetIOErrorExitHandler")
        if self.can_survive:
            x11.XSetIOErrorExitHandler.restype = None
            x11.XSetIOErrorExitHandler.argtypes = [ctypes.c_void_p, _IOErrorExitHandler, ctypes.c_void_p]
        self.own: int | None = None  # our own connection for probe(): None not opened yet, 0 none to be had

    def watch(self, display: int | None, window: int) -> None:
        self.windows.add(window)
        if display and self.can_survive and display not in self.displays:
            self.x11.XSetIOErrorExitHandler(display, self.exit_handler, None)
            self.displays.add(display)

    def probe(self) -> None:
        """Ask the X server about each watched window, on a connection of our own: a destroyed one is a BadWindow
        error (the handler above notes it). panda3d does not always err on a destroyed window: when its next X
        call happens to be one that merely finds the window unmapped, it sees it "minimised", the game pauses
        and no call that would err comes again (one run in four on Xvfb).
        """
        if self.display_lost or not self.windows or not self.can_survive:
            return  # without an exit handler a dead display would end the process from inside Xlib
        x11 = self.x11
        if self.own is None:
            x11.XOpenDisplay.restype = ctypes.c_void_p
            x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
            x11.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p]
            x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
            own = x11.XOpenDisplay(None)  # $DISPLAY, as the toolkits opened it
            self.own = int(own) if own else 0
            if self.own:
                x11.XSetIOErrorExitHandler(self.own, self.exit_handler, None)
                self.displays.add(self.own)
        if not self.own:
            return
        attributes = ctypes.create_string_buffer(XWINDOWATTRIBUTES_BYTES)
        for window in sorted(self.windows):
            x11.XGetWindowAttributes(self.own, window, attributes)  # a round trip: any error is handled by now

    def uninstall(self) -> None:
        """Give libX11 back the handlers it had: ours are freed at exit, and the toolkits' teardown may still err."""
        self.x11.XSetErrorHandler(self.previous[0])
        self.x11.XSetIOErrorHandler(self.previous[1])

    def _on_error(self, display: int | None, event: Any) -> int:
        error = event.contents
        if error.error_code in (BAD_WINDOW, BAD_DRAWABLE) and error.resourceid in self.windows:
            note_window_gone("it was destroyed from outside the game")
            self._skip_teardown_at_exit()
            return 0
        if self.previous_error is not None:
            return int(self.previous_error(display, event))
        return 0

    def _skip_teardown_at_exit(self) -> None:
        """Once: at exit, end the process before the toolkits' teardown, which would talk to what is gone."""
        if not self.teardown_skipped:
            self.teardown_skipped = True
            atexit.register(_exit_without_x)  # runs before the toolkits' own teardown (registered earlier)

    def _on_io_error(self, display: int | None) -> int:
        self.display_lost = True
        self._skip_teardown_at_exit()
        note_window_gone("the connection to its X display was lost", replace=True)
        return 0  # Xlib then calls the display's exit handler: ours returns too, where libX11 has one

    def _on_io_error_exit(self, display: int | None, data: int | None) -> None:
        return None


_lifeline: list[_Lifeline] = []


def _exit_without_x() -> None:
    """At exit after a lost window or display: the run is closed and its summary printed; skip SDL's and panda3d's
    teardown.

    Both would talk to the dead display once more (SDL's waits for ever, panda3d's may abort on a
    mutex), or destroy the destroyed window again (SDL's ``XDestroyWindow`` then meets Xlib's default
    error handler, which exits with status 1); the data is already in the database, so the process
    ends here, with status 0 as after a window close.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(0)


def watch_window(display: int | None, window: int) -> bool:
    """Watch the X window ``window`` on the Xlib ``Display*`` ``display``; False where there is no X11 here."""
    if not _lifeline:
        name = ctypes.util.find_library("X11")
        if not os.environ.get("DISPLAY") or name is None:
            return False
        try:
            _lifeline.append(_Lifeline(ctypes.CDLL(name)))
        except (OSError, AttributeError):
            return False
    _lifeline[0].watch(display, window)
    return True


def probe_windows() -> None:
    """Check that the watched windows still exist (a round trip to the X server); call it about once a second."""
    if _lifeline:
        _lifeline[0].probe()


def current_glx_display() -> int | None:
    """The Xlib ``Display*`` of the OpenGL context current on this thread (panda3d exposes no other way)."""
    try:
        gl = ctypes.CDLL(ctypes.util.find_library("GL") or "libGL.so.1")
        gl.glXGetCurrentDisplay.restype = ctypes.c_void_p
        gl.glXGetCurrentDisplay.argtypes = []
        display = gl.glXGetCurrentDisplay()
    except (OSError, AttributeError):
        return None
    return int(display) if display else None


def guard_pygame_window() -> bool:
    """:func:`watch_window` for the window pygame (SDL) has open; False where it is no X11 window."""
    import pygame

    info = pygame.display.get_wm_info() if pygame.display.get_init() else {}
    window, capsule = info.get("window"), info.get("display")
    if not isinstance(window, int) or not window:
        return False
    display = None
    if capsule is not None:  # a PyCapsule holding SDL's Display*
        get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
        get_pointer.restype = ctypes.c_void_p
        get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
        try:
            display = get_pointer(capsule, b"display")
        except ValueError:  # another capsule name: watch the window, leave the display's exit as it is
            display = None
    return watch_window(display, window)


def window_lost() -> bool:
    """A watched window was destroyed from outside, or its display went away: closing must not touch it.

    SDL's ``pygame.display.quit`` destroys the (destroyed) window again with an X error handler of its
    own in place, which is Xlib's default: it printed "BadWindow" and ended the process with status 1
    before the session was closed and its summary printed (found with ``xdotool windowclose``).
    """
    return bool(_lifeline) and _lifeline[0].teardown_skipped
