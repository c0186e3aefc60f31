"""What a real device tells the game besides samples: is it there, how much did it drop, how fast.

Every member here is optional on a ``PoseSource``: the keyboard and the simulated player have
none of them, and the helpers below answer for them (always ready, nothing dropped, no rate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Why a device is not ready (DeviceStatus.reason); the runner pauses the game for any of them.
NOT_READY_REASONS = ("waiting", "stale", "disconnected", "empty", "error")


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """Whether the game may run on this device now, and what to tell the player if not."""

    ready: bool
    notice: str | None = None  # shown on screen (with ready=True it is shown without pausing)
    reason: str = "ok"  # "ok", "ended", or one of NOT_READY_REASONS


READY = DeviceStatus(True)


@dataclass(frozen=True, slots=True)
class InputStats:
    """Running counts of a device's samples since it was opened."""

    accepted: int = 0  # samples that passed every check and were offered to the game
    dropped: int = 0  # malformed, non-finite, out-of-range, late or out-of-order samples
    active_s: float = 0.0  # seconds of arrival time covered by accepted samples (gaps over 1 s left out)
    dropped_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def rate_hz(self) -> float | None:
        """Mean accepted samples per second of active time (None before two samples)."""
        return self.accepted / self.active_s if self.active_s > 0 else None


def device_status(source: Any) -> DeviceStatus:
    """The source's status, or always-ready for sources that have no notion of it."""
    status = getattr(source, "status", None)
    return status() if callable(status) else READY


def input_stats(source: Any) -> InputStats | None:
    """The source's counts, or None for virtual sources (keyboard, simulated player)."""
    stats = getattr(source, "stats", None)
    return stats() if callable(stats) else None


def recentre(source: Any) -> bool:
    """Re-zero the source on its current reading; False if it cannot (or has no reading yet)."""
    method = getattr(source, "recentre", None)
    return bool(method()) if callable(method) else False


class InputMeter:
    """Per-level figures for the session row: samples dropped and the mean input rate.

    A level counts from where the previous level's figures stopped (or from the device's
    opening), so a sample dropped between levels or before the first one is not lost.
    """

    def __init__(self, source: Any) -> None:
        self.source = source
        stats = input_stats(source)
        self._start = None if stats is None else getattr(source, "_proprio_meter_mark", InputStats())

    def figures(self) -> dict[str, Any]:
        """``dropped_samples`` and ``input_rate_hz`` since the previous level (or the opening)."""
        end = input_stats(self.source)
        if end is None or self._start is None:
            return {"dropped_samples": 0, "input_rate_hz": None}
        try:
            self.source._proprio_meter_mark = end
        except AttributeError:  # a source with __slots__: count from this level's start only
            pass
        accepted = end.accepted - self._start.accepted
        active_s = end.active_s - self._start.active_s
        rate = round(accepted / active_s, 3) if active_s > 0 and accepted > 0 else None
        return {"dropped_samples": end.dropped - self._start.dropped, "input_rate_hz": rate}


class DeviceWatch:
    """What the game loop asks each frame: may the game run on this device, and did that just change?"""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.meter = InputMeter(source)
        self.status = READY
        self.pauses = 0  # times the device paused the game during the level

    def check(self) -> tuple[str, dict[str, Any]] | None:
        """Refresh ``status``; on a change, the event to log: ("device_pause", {"reason": ...}) or ("device_resume", {})."""
        was_ready = self.status.ready
        self.status = device_status(self.source)
        if was_ready and not self.status.ready:
            self.pauses += 1
            return "device_pause", {"reason": self.status.reason, "notice": self.status.notice}
        if self.status.ready and not was_ready:
            return "device_resume", {}
        return None

    def figures(self) -> dict[str, Any]:
        """The session row's ``dropped_samples`` and ``input_rate_hz`` for the level."""
        return self.meter.figures()
