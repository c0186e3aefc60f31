"""What a real device tells the game besides samples: is it there, how much did it drop, how fast.

``PoseSource`` answers for the sources without a notion of these (always ready, no counts), so
the loop asks every source the same way: ``source.status()``, ``source.stats()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypedDict

if TYPE_CHECKING:
    from game.input.source import PoseSource

# Why a device is not ready (DeviceStatus.reason); the loop pauses the game for any of them.
NotReadyReason = Literal["waiting", "stale", "disconnected", "empty", "error"]
NOT_READY_REASONS: tuple[NotReadyReason, ...] = ("waiting", "stale", "disconnected", "empty", "error")
# "ok": play on; "ended": ready, but there is nothing new to come (a replay that ran out).
StatusReason = Literal["ok", "ended", "waiting", "stale", "disconnected", "empty", "error"]
# Why a sample was refused (the keys of InputStats.dropped_by_reason): "out_of_range" is beyond the sensor's
# declared range; "implausible" is a time or value no device reports (a stamp of 1e308, a tilt of 400 deg);
# "late" goes back in device time; "future" runs further ahead of the arrival clock than a device can.
DropReason = Literal["malformed", "nonfinite", "out_of_range", "late", "future", "implausible"]
DROP_REASONS: tuple[DropReason, ...] = ("malformed", "nonfinite", "out_of_range", "late", "future", "implausible")
MAX_DEVICE_T_S = 1e10  # s: beyond any device clock (Unix time is 1.8e9 in 2027): a larger stamp is absurd
MAX_RAW = 1e6  # any raw value beyond this, whatever its unit, is absurd
# The most a raw reading can be in its unit: a tilt past +-180 deg, a centre of pressure off a 2 m plate, a stick
# past +-1.5 (its full throw is 1) is no reading at all.
RAW_LIMITS: dict[str, float] = {"deg": 180.0, "key": 180.0, "mm": 1000.0, "stick": 1.5}


def plausible_raw(raw_unit: str, *values: float) -> bool:
    """Whether raw values in ``raw_unit`` are finite and within what such a device can report."""
    limit = RAW_LIMITS.get(raw_unit, MAX_RAW)
    return all(-limit <= v <= limit for v in values)  # NaN fails every comparison
# What DeviceWatch.check reports when the device stops or starts letting the game run.
DeviceChange = Literal["device_pause", "device_resume"]


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """Whether the game may run on this device now, and what to tell the player if not."""

    ready: bool
    notice: str | None = None  # shown on screen (with ready=True it is shown without pausing)
    reason: StatusReason = "ok"


READY = DeviceStatus(True)


@dataclass(frozen=True, slots=True)
class InputStats:
    """Running counts of a device's samples since it was opened."""

    accepted: int = 0  # samples that passed every check and were offered to the game
    dropped: int = 0  # malformed, non-finite, out-of-range, implausible, late or future samples
    active_s: float = 0.0  # seconds of arrival time covered by accepted samples (gaps over 1 s left out)
    dropped_by_reason: dict[DropReason, int] = field(default_factory=dict)

    @property
    def rate_hz(self) -> float | None:
        """Mean accepted samples per second of active time (None before two samples)."""
        return self.accepted / self.active_s if self.active_s > 0 else None


class InputFigures(TypedDict):
    """The session row's input columns for one level."""

    dropped_samples: int
    input_rate_hz: float | None


class InputMeter:
    """Per-level figures for the session row: samples dropped and the mean input rate.

    Each ``figures()`` call counts from the meter's ``mark`` (the device's opening, or the counts
    given with ``since``) and moves the mark to now, so one meter kept over a run's levels (or a
    new meter given the previous one's ``mark``) loses no sample dropped between levels or
    before the first one.
    """

    def __init__(self, source: PoseSource, since: InputStats | None = None) -> None:
        self.source = source
        self.mark: InputStats | None = None if source.stats() is None else (since or InputStats())

    def figures(self) -> InputFigures:
        """``dropped_samples`` and ``input_rate_hz`` since the mark; the mark then moves to now."""
        end = self.source.stats()
        start, self.mark = self.mark, end
        if end is None or start is None:
            return {"dropped_samples": 0, "input_rate_hz": None}
        accepted = end.accepted - start.accepted
        active_s = end.active_s - start.active_s
        rate = round(accepted / active_s, 3) if active_s > 0 and accepted > 0 else None
        return {"dropped_samples": end.dropped - start.dropped, "input_rate_hz": rate}


class DeviceWatch:
    """What the game loop asks each frame: may the game run on this device, and did that just change?"""

    def __init__(self, source: PoseSource, meter: InputMeter | None = None) -> None:
        self.source = source
        self.meter = meter if meter is not None else InputMeter(source)
        self.status = READY
        self.pauses = 0  # times the device paused the game during the level

    def check(self) -> tuple[DeviceChange, dict[str, str | None]] | None:
        """Refresh ``status``; on a change, the event to log ("device_pause" with the reason, or "device_resume")."""
        was_ready = self.status.ready
        self.status = self.source.status()
        if was_ready and not self.status.ready:
            self.pauses += 1
            return "device_pause", {"reason": self.status.reason, "notice": self.status.notice}
        if self.status.ready and not was_ready:
            return "device_resume", {}
        return None

    def figures(self) -> InputFigures:
        """The session row's ``dropped_samples`` and ``input_rate_hz`` for the level."""
        return self.meter.figures()
