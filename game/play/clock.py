"""The only place that reads the wall clock or sleeps: the play loop is handed one of these.

``RealClock`` paces frames to real time; ``FastClock`` gives every frame a nominal length and
does not wait (``--fast``), except while a screen is idle (waiting for a device, a menu) so
it never spins; ``ManualClock`` is for tests: nominal frames and no waiting at all.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Protocol

FRAME_S = 1.0 / 60.0  # the 60 Hz display budget; also the nominal frame of --fast runs


class Clock(Protocol):
    """Frame time for the loop: how long the last frame lasted, a reading to measure work, a wait."""

    def tick(self) -> float:
        """Seconds of game time since the previous tick (the first tick starts the count: 0)."""
        ...

    def now(self) -> float:
        """A monotonic reading in seconds, to measure how long a frame's work took."""
        ...

    def pace(self, frame_start: float, idle: bool) -> None:
        """Wait out the rest of the frame that began at ``frame_start`` (``idle``: nothing simulates now)."""
        ...


class RealClock:
    """Real time: frames last what they last, and the loop sleeps what is left of the 60 Hz budget."""

    def __init__(self, frame_s: float = FRAME_S) -> None:
        self.frame_s = frame_s
        self._last: float | None = None

    def tick(self) -> float:
        now = time.perf_counter()
        elapsed = 0.0 if self._last is None else now - self._last
        self._last = now
        return elapsed

    def now(self) -> float:
        return time.perf_counter()

    def pace(self, frame_start: float, idle: bool) -> None:
        spare = self.frame_s - (time.perf_counter() - frame_start)
        if spare > 0:
            time.sleep(spare)


class FastClock(RealClock):
    """Nominal time (``--fast``): each frame counts ``frame_s`` whatever it took; waits only when idle."""

    def tick(self) -> float:
        first = self._last is None
        self._last = time.perf_counter()
        return 0.0 if first else self.frame_s

    def pace(self, frame_start: float, idle: bool) -> None:
        if idle:  # waiting for a device or a person: do not spin a core
            super().pace(frame_start, idle)


class ManualClock:
    """For tests: nominal frames, a counted time, and no waiting at all."""

    def __init__(self, frame_s: float = FRAME_S) -> None:
        self.frame_s = frame_s
        self.t_s = 0.0
        self.frames = 0
        self._started = False

    def tick(self) -> float:
        if not self._started:
            self._started = True
            return 0.0
        self.t_s += self.frame_s
        self.frames += 1
        return self.frame_s

    def now(self) -> float:
        return self.t_s

    def pace(self, frame_start: float, idle: bool) -> None:
        """Never waits."""


def today() -> date:
    """The local calendar day (what the weekly goal counts); read here, with the other wall-clock readings."""
    return date.today()
