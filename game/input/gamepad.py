"""Gamepads through ``inputs``: sticks, triggers and the d-pad to x/y, read in a thread, replugging.

``inputs``' ``read()`` blocks until the pad sends an event (zeth/inputs issue 7), so a reader
thread owns the pad. Whichever control is pushed furthest steers: the left stick, the right
stick, the triggers (left trigger leans left, right trigger leans right) or the d-pad. Sticks
get a radial dead zone (rescaled so the edge of the dead zone is 0), triggers a linear one.
A pad that is pulled out pauses the game; the same or another pad plugged in resumes it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from game.errors import DeviceError
from game.input.device import DeviceStatus
from game.input.evdev import EvdevSource, abs_range, find_gamepads
from game.input.threaded import Reading

DEAD_ZONE = 0.15  # fraction of full throw ignored around the rest position
ABS_CODES = {"ABS_X": 0x00, "ABS_Y": 0x01, "ABS_Z": 0x02, "ABS_RX": 0x03, "ABS_RY": 0x04, "ABS_RZ": 0x05,
             "ABS_GAS": 0x09, "ABS_BRAKE": 0x0a, "ABS_HAT0X": 0x10, "ABS_HAT0Y": 0x11}
# What an axis spans when the kernel cannot be asked (the xpad driver's ranges).
DEFAULT_RANGES = {
    "ABS_X": (-32768, 32767), "ABS_Y": (-32768, 32767), "ABS_RX": (-32768, 32767), "ABS_RY": (-32768, 32767),
    "ABS_Z": (0, 255), "ABS_RZ": (0, 255), "ABS_GAS": (0, 1023), "ABS_BRAKE": (0, 1023),
    "ABS_HAT0X": (-1, 1), "ABS_HAT0Y": (-1, 1),
}
STICKS = (("ABS_X", "ABS_Y"), ("ABS_RX", "ABS_RY"))
TRIGGER_PAIRS = (("ABS_Z", "ABS_RZ"), ("ABS_BRAKE", "ABS_GAS"))  # (left, right)


def radial_dead_zone(x: float, y: float, dead_zone: float) -> tuple[float, float]:
    """Zero inside the dead zone; outside it, rescaled so the throw still reaches 1."""
    magnitude = math.hypot(x, y)
    if magnitude <= dead_zone:
        return 0.0, 0.0
    scale = min(1.0, (magnitude - dead_zone) / (1.0 - dead_zone)) / magnitude
    return x * scale, y * scale


class StickState:
    """The pad's axes as last reported, and the (x, y) they steer (pure, no device)."""

    def __init__(self, ranges: dict[str, tuple[int, int]] | None = None, dead_zone: float = DEAD_ZONE) -> None:
        self.ranges = {**DEFAULT_RANGES, **(ranges or {})}
        self.dead_zone = dead_zone
        self.values: dict[str, int] = {}

    def feed(self, code: str, value: int) -> None:
        """Remember an axis value (codes the pad has but we do not use are ignored)."""
        if code in self.ranges:
            self.values[code] = value

    def _unit(self, code: str) -> float:
        """A stick axis in [-1, 1] (0 at rest)."""
        if code not in self.values:
            return 0.0
        low, high = self.ranges[code]
        return max(-1.0, min(1.0, 2.0 * (self.values[code] - low) / (high - low) - 1.0))

    def _pull(self, code: str) -> float:
        """A trigger in [0, 1] (0 released)."""
        if code not in self.values:
            return 0.0
        low, high = self.ranges[code]
        return max(0.0, min(1.0, (self.values[code] - low) / (high - low)))

    def vector(self) -> tuple[float, float]:
        """The steering (x right, y forward) from whichever control is pushed furthest."""
        candidates = []
        for cx, cy in STICKS:
            # evdev's y grows downward (stick pulled back); forward is positive here.
            candidates.append(radial_dead_zone(self._unit(cx), -self._unit(cy), self.dead_zone))
        for left, right in TRIGGER_PAIRS:
            pulls = []
            for code in (left, right):
                pull = self._pull(code)
                pulls.append(0.0 if pull <= self.dead_zone else (pull - self.dead_zone) / (1.0 - self.dead_zone))
            candidates.append((pulls[1] - pulls[0], 0.0))
        hat_x, hat_y = self.values.get("ABS_HAT0X", 0), self.values.get("ABS_HAT0Y", 0)
        candidates.append((float(max(-1, min(1, hat_x))), float(-max(-1, min(1, hat_y)))))
        return max(candidates, key=lambda v: math.hypot(*v))


class GamepadSource(EvdevSource):
    """The first gamepad found; event-driven (a pad at rest sends nothing), so never 'stale'."""

    device_kind = "gamepad"
    raw_unit = "stick"
    what = "gamepad"

    def __init__(self, *, finder: Callable[[], list[Any]] = find_gamepads, dead_zone: float = DEAD_ZONE,
                 **kwargs: Any) -> None:
        self.dead_zone = dead_zone
        super().__init__("the gamepad", finder, **kwargs)
        self.name = "gamepad"

    def _missing(self) -> DeviceError:
        return DeviceError("no gamepad found",
                           remedy="Plug one in (USB, or paired over Bluetooth) and try again; "
                                  "`proprio devices` lists what is found.")

    def _prepare(self, device: Any) -> None:
        ranges = {}
        for code, number in ABS_CODES.items():
            found = abs_range(device, number)
            if found is not None:
                ranges[code] = found[:2]
        self.state = StickState(ranges, self.dead_zone)
        self.device_id = f"gamepad:{getattr(device, 'name', 'unknown')}"

    def _handle(self, event: Any) -> None:
        if event.ev_type == "Absolute":
            self.state.feed(event.code, event.state)
        elif event.ev_type == "Sync" and event.code == "SYN_REPORT":
            if self._admit(float(event.timestamp)):
                x, y = self.state.vector()
                self._push(Reading(float(event.timestamp), x, y))

    def status(self) -> DeviceStatus:
        """Ready while a pad is plugged in (silence just means nobody is touching it)."""
        return self._problem if self._problem is not None else DeviceStatus(True)
