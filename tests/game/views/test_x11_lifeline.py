"""The X error handlers that turn a window destroyed from outside into a clean end of the run.

These drive the handlers' logic with a stand-in libX11 (no display needed); the real thing, with
Xvfb, XDestroyWindow and XKillClient, is in tests/game/play/test_real_window.py.
"""

from __future__ import annotations

import atexit
import ctypes
import signal
from collections.abc import Iterator

import pytest

from game.play.stop_signal import WindowGone, note_window_gone, raise_if_stopped, stop_reason, stop_signals_raise
from game.views import x11_lifeline
from game.views.x11_lifeline import BAD_DRAWABLE, BAD_WINDOW, _ErrorEvent, _ErrorHandler, _Lifeline


class _Setter:
    """One of libX11's XSet*Handler: remembers what it was given, hands back what was there before."""

    def __init__(self, before: int | None) -> None:
        self.current, self.restype, self.argtypes = before, None, None

    def __call__(self, handler: object) -> int | None:
        previous = self.current
        self.current = handler.value if isinstance(handler, ctypes.c_void_p) else handler  # type: ignore[assignment]
        return previous


class _ExitSetter:
    """libX11's XSetIOErrorExitHandler: notes the displays it is called for."""

    def __init__(self) -> None:
        self.displays: list[int] = []
        self.restype, self.argtypes = None, None

    def __call__(self, display: int, handler: object, data: object) -> None:
        self.displays.append(display)


class _FakeX11:
    def __init__(self, previous_error: int | None) -> None:
        self.XSetErrorHandler = _Setter(previous_error)
        self.XSetIOErrorHandler = _Setter(None)
        self.XSetIOErrorExitHandler = _ExitSetter()


@pytest.fixture
def earlier_errors() -> list[int]:
    return []


@pytest.fixture
def lifeline(earlier_errors: list[int]) -> Iterator[_Lifeline]:
    """A lifeline over a stand-in libX11 whose earlier error handler (panda3d's, SDL's) notes the error codes."""

    def earlier(display: int | None, event: ctypes._Pointer[_ErrorEvent]) -> int:
        earlier_errors.append(event.contents.error_code)
        return 7

    earlier_handler = _ErrorHandler(earlier)
    x11 = _FakeX11(ctypes.cast(earlier_handler, ctypes.c_void_p).value)
    with stop_signals_raise():  # clears what the handlers note when the test ends
        made = _Lifeline(x11)
        try:
            yield made
        finally:
            atexit.unregister(made.uninstall)
            atexit.unregister(x11_lifeline._exit_without_x)  # else a noted lost display would end pytest itself
    del earlier_handler


def _error(code: int, resource: int) -> ctypes._Pointer[_ErrorEvent]:
    return ctypes.pointer(_ErrorEvent(type=0, display=None, resourceid=resource, serial=1, error_code=code))


def test_the_handlers_replace_the_earlier_ones_and_give_them_back(lifeline):
    x11 = lifeline.x11
    ours = ctypes.cast(lifeline.error_handler, ctypes.c_void_p).value
    assert x11.XSetErrorHandler.current == ours
    assert x11.XSetIOErrorHandler.current == ctypes.cast(lifeline.io_error_handler, ctypes.c_void_p).value
    lifeline.uninstall()
    assert x11.XSetErrorHandler.current == lifeline.previous[0] != ours
    assert x11.XSetIOErrorHandler.current is None  # there was none before: libX11's default again


@pytest.mark.parametrize("code", [BAD_WINDOW, BAD_DRAWABLE])
def test_an_error_about_the_destroyed_window_ends_the_run_at_the_next_frame(lifeline, earlier_errors, code):
    lifeline.watch(0x4000, 0x200008)
    raise_if_stopped()  # nothing yet
    assert not lifeline.teardown_skipped
    assert lifeline._on_error(0x4000, _error(code, 0x200008)) == 0
    assert earlier_errors == []  # SDL's handler would have called exit(1)
    # Closing must not destroy the destroyed window again (SDL errs with Xlib's default handler in place):
    assert lifeline.teardown_skipped  # the view skips pygame.display.quit, and the exit skips the toolkits' teardown
    with pytest.raises(WindowGone) as caught:
        raise_if_stopped()
    assert stop_reason(caught.value) == (None, "the window was closed by the system "
                                               "(it was destroyed from outside the game)")
    with pytest.raises(WindowGone):  # every later loop ends at once too: there is no window to draw in
        raise_if_stopped()


def test_other_errors_go_to_the_earlier_handler_unchanged(lifeline, earlier_errors):
    lifeline.watch(0x4000, 0x200008)
    assert lifeline._on_error(0x4000, _error(BAD_WINDOW, 0x300001)) == 7  # another resource
    assert lifeline._on_error(0x4000, _error(8, 0x200008)) == 7  # BadMatch on our window: not a lost window
    assert earlier_errors == [BAD_WINDOW, 8]
    raise_if_stopped()  # the run goes on


def test_a_lost_display_is_noted_and_its_exit_handler_is_ours(lifeline):
    lifeline.watch(0x4000, 0x200008)
    lifeline.watch(0x4000, 0x200009)
    assert lifeline.x11.XSetIOErrorExitHandler.displays == [0x4000]  # once per display
    assert not lifeline.display_lost
    assert lifeline._on_error(0x4000, _error(BAD_WINDOW, 0x200008)) == 0  # a probe found the window gone first
    assert lifeline._on_io_error(0x4000) == 0
    assert lifeline.display_lost
    with pytest.raises(WindowGone, match="the connection to its X display was lost"):
        raise_if_stopped()


def test_a_stop_signal_counts_before_a_lost_window():
    from game.play import stop_signal

    with stop_signals_raise():
        note_window_gone("it was destroyed from outside the game")
        stop_signal._pending.append(int(signal.SIGTERM))
        with pytest.raises(KeyboardInterrupt) as caught:
            raise_if_stopped()
        assert stop_reason(caught.value)[0] == signal.SIGTERM
    raise_if_stopped()  # leaving the context forgets the lost window


def test_no_x11_display_means_nothing_is_watched(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setattr(x11_lifeline, "_lifeline", [])
    assert x11_lifeline.watch_window(None, 0x200008) is False
    assert x11_lifeline._lifeline == []
