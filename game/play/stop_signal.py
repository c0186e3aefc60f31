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


def stop_reason(exc: KeyboardInterrupt) -> tuple[int, str]:
    """The signal number and the words for an interrupt: Ctrl-C (SIGINT) or a :class:`Terminated`."""
    if isinstance(exc, Terminated):
        return exc.signum, exc.words
    return int(signal.SIGINT), "stopped with Ctrl-C"


_pending: list[int] = []  # the signal noted by the handler, until the loop raises it


def raise_if_stopped() -> None:
    """Raise :class:`Terminated` if a stop signal came since the last call (the play loop calls it every frame)."""
    if _pending:
        raise Terminated(_pending.pop())


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
        for signum, handler in previous.items():
            signal.signal(signum, handler)
