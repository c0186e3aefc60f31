"""Small helpers for the device tests: waiting for a reader thread, a clock the test moves."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

WAIT_S = 10.0  # generous: a loaded CI machine may be slow to schedule the reader thread


def wait_until(condition: Callable[[], bool], timeout_s: float = WAIT_S) -> bool:
    """Poll ``condition`` until it holds; the test then asserts on it (so a timeout fails the test)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


class FakeClock:
    """The arrival clock a source reads; the test moves it, so staleness is decided by the test."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def free_udp_port() -> int:
    """A UDP port on 127.0.0.1 that nothing listens on right now."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port
