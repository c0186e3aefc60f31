"""The pattern every blocking device shares: a reader thread feeds a bounded queue; the game drains it.

The reader thread (``_run`` in a subclass) blocks on the device and calls ``_admit`` with each
sample's device time (late and out-of-order samples are refused and counted), then ``_push``
with the reading in raw units, or ``_drop`` with a reason for anything malformed. The game
loop calls ``poll``, which never blocks: it takes every queued reading, keeps the newest, and
maps it through the calibration. Counters are plain integers written by one thread and read by
the other (safe under the GIL); the queue is a ``deque`` with a maximum length, whose appends
and pops are atomic.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from game.input.calibration import Calibration
from game.input.device import DROP_REASONS, DeviceStatus, DropReason, InputStats, StatusReason
from game.input.pose import Pose, Reading
from game.input.source import DeviceDescription, PoseSource

QUEUE_SIZE = 8192  # readings held until the game takes them: 8 s at 1 kHz (a stalled frame, a reconnect burst)
STALE_S = 0.5  # no sample for this long (arrival time): the game pauses with a notice
RESTART_AFTER_S = 0.5  # an earlier timestamp after this long a silence is a device restart, not a late sample
RESTART_RUN = 120  # this many late samples in a row, in order among themselves: the device clock restarted
ACTIVE_GAP_S = 1.0  # arrival gaps longer than this do not count toward the input rate
KEPT_READINGS = 120_000  # readings held for the recorder between two calls (2 min at 1 kHz); more are counted


class ThreadedSource(PoseSource):
    """Base of the device sources: the reader thread, the queue, the counters and the calibration."""

    name = "device"
    device_kind = "device"  # what calibrations are stored under: "imu", "gamepad", "balance-board", ...
    raw_unit = "deg"  # the unit of the readings (and of the calibration that maps them)
    needs_calibration = True  # a stored calibration is applied when the game opens the device
    join_timeout_s = 1.0  # how long close() waits for the reader thread to finish
    check_hint = "check that it is switched on and connected"  # what to look at when it goes quiet

    def __init__(self, label: str, *, calibration: Calibration | None = None,
                 clock: Callable[[], float] = time.monotonic, stale_s: float = STALE_S) -> None:
        self.label = label  # how the player is told about the device, e.g. "the IMU on /dev/ttyUSB0"
        self.device_id = label  # this very device; a subclass sets a stabler one, e.g. "serial:/dev/ttyUSB0"
        self.calibration = calibration or Calibration.default_for(self.raw_unit)
        self._clock = clock
        self._stale_s = stale_s
        self._queue: deque[Reading] = deque(maxlen=QUEUE_SIZE)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._latest: Reading | None = None  # the newest reading the game has taken
        self._taken: list[Reading] = []  # every reading taken from the queue since readings() was last called
        self.unrecorded = 0  # readings taken while nobody called readings() for too long (not kept)
        self.overflowed = 0  # readings pushed out of a full queue before the game took them (reader thread)
        # Written by the reader thread only:
        self._last_t_s: float | None = None
        self._late_run = 0  # consecutive late samples, each later than the one before
        self._late_t_s: float | None = None
        self._last_arrival: float | None = None
        self._accepted = 0
        self._active_s = 0.0
        self._dropped: dict[DropReason, int] = dict.fromkeys(DROP_REASONS, 0)
        self._connected = False
        self._problem: DeviceStatus | None = None  # set by the reader when the device is away
        self.clock_restarts = 0

    # -- the reader thread's side ------------------------------------------------------
    def start(self) -> ThreadedSource:
        """Start the reader thread (a daemon: a read blocked on a quiet device never holds up exit)."""
        self._thread = threading.Thread(target=self._guarded_run, name=f"proprio-{self.device_kind}", daemon=True)
        self._thread.start()
        return self

    def _guarded_run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # a reader must never take the game down: report it on screen
            self._connected = False
            self._problem = DeviceStatus(False, f"{self.label} stopped: {exc}", "error")

    def _run(self) -> None:
        """Read the device until ``self._stop`` is set (a subclass's loop)."""
        raise NotImplementedError

    def _set_connected(self, connected: bool, notice: str | None = None,
                       reason: StatusReason = "disconnected") -> None:
        if connected and not self._connected:
            self._last_t_s = None  # a device plugged in again starts its own clock afresh
        self._connected = connected
        self._problem = None if connected else DeviceStatus(False, notice or f"{self.label} is not connected", reason)

    def _drop(self, reason: DropReason) -> None:
        self._dropped[reason] = self._dropped.get(reason, 0) + 1

    def _admit(self, t_s: float) -> bool:
        """Accept a sample's device time if it moves forward (or the device has restarted its clock)."""
        if not math.isfinite(t_s):
            self._drop("nonfinite")
            return False
        now = self._clock()
        if self._last_t_s is not None and t_s <= self._last_t_s:
            quiet = self._last_arrival is not None and now - self._last_arrival >= RESTART_AFTER_S
            # A long run of "late" samples that keep moving forward among themselves is a clock that
            # was reset (or wrapped round) while streaming, not a burst of stragglers.
            self._late_run = self._late_run + 1 if self._late_t_s is not None and t_s > self._late_t_s else 1
            self._late_t_s = t_s
            if not quiet and self._late_run < RESTART_RUN:
                self._drop("late")
                return False
            self.clock_restarts += 1
        self._late_run, self._late_t_s = 0, None
        if self._last_arrival is not None:
            gap = now - self._last_arrival
            if 0.0 < gap <= ACTIVE_GAP_S:
                self._active_s += gap
        self._last_t_s = t_s
        self._last_arrival = now
        return True

    def _push(self, reading: Reading) -> None:
        """Offer an admitted reading to the game (non-finite or absurd values are refused here too)."""
        if not (math.isfinite(reading.raw_x) and math.isfinite(reading.raw_y)):
            self._drop("nonfinite")
            return
        self._accepted += 1
        if len(self._queue) == QUEUE_SIZE:
            self.overflowed += 1  # the oldest goes: counted, never silent
        self._queue.append(reading)

    # -- the game's side ---------------------------------------------------------------
    def _take(self) -> None:
        """Move every queued reading to the game's side: the newest for poll, all of them for readings()."""
        taken = self._taken
        while True:
            try:
                reading = self._queue.popleft()
            except IndexError:
                break
            self._latest = reading
            if len(taken) < KEPT_READINGS:
                taken.append(reading)
            else:
                self.unrecorded += 1

    def readings(self) -> list[Reading]:
        """Every reading since the last call, in order, at the device's own rate (what the recorder keeps)."""
        self._take()
        taken, self._taken = self._taken, []
        return taken

    def poll(self, t_s: float) -> Pose:
        """The newest reading, normalized; never blocks (before any sample: the centre)."""
        self._take()
        latest = self._latest
        if latest is None:
            cx, cy = self.calibration.centre
            return Pose(t_s, 0.0, 0.0, cx, cy, self.raw_unit)
        x, y = self.calibration.normalize(latest.raw_x, latest.raw_y)
        return Pose(latest.t_s, x, y, latest.raw_x, latest.raw_y, self.raw_unit)

    def latest(self) -> Reading | None:
        """The newest reading the game has taken (what re-zero and calibration use)."""
        return self._latest

    def status(self) -> DeviceStatus:
        """Ready while samples keep arriving; otherwise why not, in words for the screen."""
        if self._problem is not None:
            return self._problem
        if self._last_arrival is None:
            return DeviceStatus(False, f"Waiting for {self.label}: {self.check_hint}", "waiting")
        quiet_s = self._clock() - self._last_arrival
        if quiet_s > self._stale_s:
            return DeviceStatus(False, f"No data from {self.label} for {quiet_s:.0f} s: {self.check_hint}", "stale")
        return DeviceStatus(True)

    def stats(self) -> InputStats:
        """Counts since the device was opened."""
        dropped = dict(self._dropped)
        return InputStats(self._accepted, sum(dropped.values()), self._active_s, dropped)

    def set_calibration(self, calibration: Calibration) -> None:
        """Map readings through this calibration from now on."""
        if calibration.raw_unit != self.raw_unit:
            raise ValueError(f"a {calibration.raw_unit} calibration cannot map {self.raw_unit} readings")
        self.calibration = calibration

    def recentre(self) -> bool:
        """Make the newest reading the centre (the re-zero key); False before any reading."""
        self.poll(0.0)
        if self._latest is None:
            return False
        self.calibration = self.calibration.recentred(self._latest.raw_x, self._latest.raw_y)
        return True

    @property
    def description(self) -> DeviceDescription:
        """The device as its subclass sets it: kind, id, raw unit; a stored calibration is applied."""
        return DeviceDescription(self.name, self.device_kind, self.device_id, self.raw_unit, self.needs_calibration)

    def close(self) -> None:
        """Ask the reader to stop and release the device (a read blocked in the kernel ends on its own)."""
        self._stop.set()
        self._release()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=self.join_timeout_s)

    def _release(self) -> None:
        """Close the device handle (a subclass's)."""
