"""The pattern every blocking device shares: a reader thread feeds a bounded queue; the game drains it.

The reader thread (``_run`` in a subclass) blocks on the device and calls ``_admit`` with each
sample's device time (late, out-of-order, absurd and implausibly early-arriving "future" samples
are refused and counted), then ``_push`` with the reading in raw units (a value no such device
reports is refused there, and its time is taken back), or ``_drop`` with a reason for anything
malformed. A refused sample never becomes the time the next ones are judged against, so one
poisoned stamp costs that sample only. The game
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
from game.input.device import (
    DROP_REASONS,
    MAX_DEVICE_T_S,
    DeviceStatus,
    DropReason,
    InputStats,
    StatusReason,
    plausible_raw,
)
from game.input.pose import Pose, Reading
from game.input.source import DeviceDescription, PoseSource

QUEUE_SIZE = 8192  # readings held until the game takes them: 8 s at 1 kHz (a stalled frame, a reconnect burst)
STALE_S = 0.5  # no sample for this long (arrival time): the game pauses with a notice
RESTART_AFTER_S = 0.5  # an earlier timestamp after this long a silence is a device restart, not a late sample
RESTART_RUN = 120  # this many late (or future) samples in a row, steady among themselves: the device clock restarted
# A device time may run ahead of the last accepted one by the arrival gap times this (a device clock running
# fast, the reader scheduled late) plus FUTURE_SLACK_S (network jitter, a burst sent late): further is "future".
ARRIVAL_TOLERANCE = 1.5
FUTURE_SLACK_S = 2.0
# A sample ahead of what the arrival gap allows by more than HOLD_SLACK_S and HOLD_STEPS of the device's own
# recent steps (but not "future") is held until the next one says which it was: a device's real jump (the next
# runs on from it: released) or a poisoned stamp (the next runs on from before it: dropped as "future"). It
# costs a real jump one sample's delay.
HOLD_SLACK_S = 0.05
HOLD_STEPS = 10
ACTIVE_GAP_S = 1.0  # arrival gaps longer than this do not count toward the input rate
KEPT_READINGS = 120_000  # readings held for the recorder between two calls (2 min at 1 kHz); more are counted
_Reference = tuple[float | None, float | None, float, int]  # last_t_s, last arrival, active_s, clock_restarts


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
        self._ahead_run = 0  # consecutive future samples, each steadily later than the one before
        self._ahead_t_s: float | None = None
        self._ahead_arrival = 0.0
        self._undo: _Reference | None = None  # the reference before the last admission (taken back if refused)
        self._hold_next = False  # the sample just admitted jumped ahead: _push holds its reading
        self._step_s: float | None = None  # the device's recent step between samples (device time, running mean)
        self._held: Reading | None = None  # a reading that jumped ahead, waiting for the next sample
        self._before_held: _Reference | None = None  # the reference to return to if the held one was poisoned
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
            self._last_t_s = self._step_s = None  # a device plugged in again starts its own clock afresh
            if self._held is not None:
                self._release_held()  # the old connection's last sample
        self._connected = connected
        self._problem = None if connected else DeviceStatus(False, notice or f"{self.label} is not connected", reason)

    def _drop(self, reason: DropReason) -> None:
        self._dropped[reason] = self._dropped.get(reason, 0) + 1

    def _admit(self, t_s: float) -> bool:
        """Accept a sample's device time if it moves forward plausibly (or the device has restarted its clock).

        Judged against the last accepted time and the arrival clock: a stamp absurd in itself, or further ahead
        than the time since the last accepted sample arrived allows, is dropped and leaves the reference alone.
        """
        if not math.isfinite(t_s):
            self._drop("nonfinite")
            return False
        if abs(t_s) > MAX_DEVICE_T_S:
            self._drop("implausible")
            return False
        now = self._clock()
        self._hold_next = False
        held_limit = self._settle_held(t_s, now) if self._held is not None else None
        last, arrived = self._last_t_s, self._last_arrival
        restarted = False
        if last is not None and t_s <= last:
            quiet = arrived is not None and now - arrived >= RESTART_AFTER_S
            # A long run of "late" samples that keep moving forward among themselves is a clock that
            # was reset (or wrapped round) while streaming, not a burst of stragglers.
            self._late_run = self._late_run + 1 if self._late_t_s is not None and t_s > self._late_t_s else 1
            self._late_t_s = t_s
            if not quiet and self._late_run < RESTART_RUN:
                self._drop("late")
                return False
            restarted = True
        elif last is not None and arrived is not None and t_s > (
                held_limit if held_limit is not None else _reach(last, now - arrived)):
            # Ahead of what the arrival clock allows: a poisoned stamp, unless a steady run of them says the
            # device's clock jumped forward (set from the network, another board on the same port).
            steady = self._ahead_t_s is not None and self._ahead_t_s < t_s <= _reach(
                self._ahead_t_s, now - self._ahead_arrival)
            self._ahead_run = self._ahead_run + 1 if steady else 1
            self._ahead_t_s, self._ahead_arrival = t_s, now
            if self._ahead_run < RESTART_RUN:
                self._drop("future")
                return False
            restarted = True
        self._undo = (last, arrived, self._active_s, self.clock_restarts)
        if restarted:
            self.clock_restarts += 1
            self._step_s = None
            if self._held is not None:
                self._release_held()  # the device's last sample before its clock restarted
        elif last is not None and arrived is not None:
            step, advance = self._step_s, t_s - last
            if step is not None:
                allowed = max(now - arrived, 0.0) * ARRIVAL_TOLERANCE + max(HOLD_SLACK_S, HOLD_STEPS * step)
                self._hold_next = advance > allowed
            if not self._hold_next:
                self._step_s = advance if step is None else step + 0.1 * (min(advance, 4 * step) - step)
        self._late_run, self._late_t_s = 0, None
        self._ahead_run, self._ahead_t_s = 0, None
        if arrived is not None:
            gap = now - arrived
            if 0.0 < gap <= ACTIVE_GAP_S:
                self._active_s += gap
        self._last_t_s = t_s
        self._last_arrival = now
        return True

    def _unadmit(self) -> None:
        """Take back the last admission (its reading was refused): the next samples are judged as before it."""
        self._hold_next = False
        if self._undo is not None:
            self._last_t_s, self._last_arrival, self._active_s, self.clock_restarts = self._undo
            self._undo = None

    def _settle_held(self, t_s: float, now: float) -> float | None:
        """The next sample decides a held jump: running on steadily from it, it was real; from before it, poisoned.

        Returns None once decided; while the held reading still waits, the latest time this sample may carry
        (a second jump from an unconfirmed one counts as "future", so two poisoned stamps in a row cannot
        confirm each other).
        """
        held, before, arrived = self._held, self._before_held, self._last_arrival
        if held is None or arrived is None:
            return None
        limit = held.t_s + max(now - arrived, 0.0) * ARRIVAL_TOLERANCE + max(
            HOLD_SLACK_S, HOLD_STEPS * (self._step_s or 0.0))  # a steady step on from the held one
        if before is not None and before[0] is not None and before[1] is not None:
            limit = min(limit, _reach(before[0], now - before[1]))  # and no "future" for the time before it
        if held.t_s < t_s <= limit:
            self._release_held()
            return None
        if before is not None and before[0] is not None and before[0] < t_s <= held.t_s:
            self._held = self._before_held = None
            self._last_t_s, self._last_arrival, self._active_s, self.clock_restarts = before
            self._drop("future")
            return None
        return limit  # late for both (judged as late), or a second jump ("future")

    def _release_held(self) -> None:
        """Offer the held reading after all: the device's clock did jump (or restarted, or reconnected)."""
        held, self._held, self._before_held = self._held, None, None
        if held is not None:
            self._queue_reading(held)

    def _push(self, reading: Reading) -> None:
        """Offer an admitted reading to the game; a value no such device reports is refused and its time taken back."""
        if not plausible_raw(self.raw_unit, reading.raw_x, reading.raw_y):
            finite = math.isfinite(reading.raw_x) and math.isfinite(reading.raw_y)
            self._unadmit()
            self._drop("implausible" if finite else "nonfinite")
            return
        if self._hold_next:
            self._hold_next = False
            self._held, self._before_held, self._undo = reading, self._undo, None
            return
        self._undo = None
        self._queue_reading(reading)

    def _queue_reading(self, reading: Reading) -> None:
        """Count and queue an accepted reading for the game."""
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


def _reach(last_t_s: float, arrival_gap_s: float) -> float:
    """The latest device time a sample may carry, ``arrival_gap_s`` after the one stamped ``last_t_s`` arrived."""
    return last_t_s + max(arrival_gap_s, 0.0) * ARRIVAL_TOLERANCE + FUTURE_SLACK_S
