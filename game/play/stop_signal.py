"""The system asks the game to stop (SIGTERM, SIGHUP): end the session like Ctrl-C does, keeping the data.

A logout, a shutdown, a kiosk manager or ``kill`` sends SIGTERM (a closed terminal sends SIGHUP).
Python's default is to die on the spot, leaving the session ``running`` until the next start
finds it stale; SDL turns SIGTERM into a window-close event, but panda3d does nothing at all, so
the 3D game used to die mid-trial. :func:`stop_signals_raise` makes every view behave alike: the
signal is noted, and the play loop raises :class:`Terminated` at the start of its next frame
(:func:`raise_if_stopped`), never inside a library's drawing (panda3d's task loop would print the
exception as its own error). ``Terminated`` is a ``KeyboardInterrupt``, so every path that
already ends a session cleanly on Ctrl-C ends it cleanly here, and the command exits with
128 + the signal's number, as a shell expects. It is installed before any view opens, so SDL
keeps it (SDL only replaces the default handler). Only the first signal counts: a second one
while the session is being closed changes nothing (SIGKILL still stops a stuck process).

A window destroyed from outside (``xkill``, a crashed or killed X server) is noted the same way
by game/views/x11_lifeline.py, and :func:`raise_if_stopped` raises :class:`WindowGone`: the
session ends as a window close ends it (aborted, its data kept, exit status 0), saying why.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Terminated(KeyboardInterrupt):
    """The system asked the game to stop; ``signum`` says with which signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def words(self) -> str:
        """How the summary says it, e.g. "stopped by SIGTERM (the system asked the game to stop)"."""
        return f"stopped by {signal.Signals(self.signum).name} (the system asked the game to stop)"


class WindowGone(KeyboardInterrupt):
    """The game's window was destroyed from outside, or its X display went away: the run ends like a close.

    A ``KeyboardInterrupt`` so that every path that ends a session cleanly on Ctrl-C ends it here
    too (the level is stored as aborted, with its data), but with no signal: the command exits 0,
    as after the window manager's close button.
    """

    def __init__(self, how: str) -> None:
        super().__init__(how)
        self.how = how

    @property
    def words(self) -> str:
        """How the summary says it, e.g. "the window was closed by the system (its X display went away)"."""
        return f"the window was closed by the system ({self.how})"


def stop_reason(exc: KeyboardInterrupt) -> tuple[int | None, str]:
    """The signal number (None for a lost window) and the words for an interrupt."""
    if isinstance(exc, Terminated):
        return exc.signum, exc.words
    if isinstance(exc, WindowGone):
        return None, exc.words
    return int(signal.SIGINT), "stopped with Ctrl-C"


_pending: list[int] = []  # the signal noted by the handler, until the loop raises it
_window_gone: list[str] = []  # how the window was lost, noted by game/views/x11_lifeline.py


def note_window_gone(how: str, *, replace: bool = False) -> None:
    """The window is gone (called from an X error handler, on the main thread): the next frame ends the run.

    The first reason noted stays, unless ``replace``: a lost X display says more than the window it took
    with it (xkill closes the connection, and a probe may have found the window gone a moment before).
    """
    if not _window_gone:
        _window_gone.append(how)
    elif replace:
        _window_gone[0] = how


def window_gone() -> str | None:
    """How the window was lost, if it was (the view then skips what needs a live display)."""
    return _window_gone[0] if _window_gone else None


def raise_if_stopped() -> None:
    """Raise :class:`Terminated` or :class:`WindowGone` if either came since the last call (called every frame)."""
    if _pending:
        raise Terminated(_pending.pop())
    if _window_gone:
        raise WindowGone(_window_gone[0])


@contextmanager
def stop_signals_raise() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP are noted once for :func:`raise_if_stopped` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}

    def note_once(signum: int, _frame: FrameType | None) -> None:
        for other in STOP_SIGNALS:
            signal.signal(other, signal.SIG_IGN)  # the close that follows is not cut short
        _pending.append(signum)

    for signum in STOP_SIGNALS:
        signal.signal(signum, note_once)
    try:
        yield
    finally:
        _pending.clear()
        _window_gone.clear()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
