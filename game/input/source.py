"""``PoseSource``, the base every device subclasses, and ``ScreenObserver``, what a simulated player adds.

The base answers for everything a device may lack (always ready, no counts, nothing to re-centre
or calibrate, nothing to release), so the loop asks every source the same questions and a new
device overrides only what it really has (textual's ``Driver(ABC)`` does the same for terminals).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from game.actions import UiAction
from game.core.snapshot import Snapshot
from game.input.calibration import Calibration
from game.input.device import READY, DeviceStatus, InputStats
from game.input.pose import Pose, Reading


@dataclass(frozen=True, slots=True)
class DeviceDescription:
    """Who a device is: how the session row names it and how its stored calibration is found."""

    name: str  # what the session row records as the device, e.g. "keyboard", "sim:0.60", "imu-udp:0.0.0.0:9000"
    kind: str  # what calibrations are stored under: "imu", "gamepad", "balance-board", "lsl", "sim", ...
    device_id: str  # this very device (the devices table's id), e.g. "serial:/dev/ttyUSB0"
    raw_unit: str  # the unit of Pose.raw_x/raw_y: "deg" (tilt), "mm" (centre of pressure) or "stick"
    needs_calibration: bool  # a stored calibration is applied when the game opens the device


class PoseSource(abc.ABC):
    """A device that yields the newest normalized sample whenever the simulation steps."""

    name: str = "source"  # what the session row records as the device; each source sets its own

    @abc.abstractmethod
    def poll(self, t_s: float) -> Pose:
        """Return the newest sample at simulation time ``t_s``; never blocks."""

    def status(self) -> DeviceStatus:
        """Ready, or why not (the loop pauses and shows the notice); a source with no device is always ready."""
        return READY

    def stats(self) -> InputStats | None:
        """Samples accepted and dropped since opening, for the session row; None for a virtual source."""
        return None

    def recentre(self) -> bool:
        """Make the current reading the centre (the R key); False when the source cannot."""
        return False

    def set_calibration(self, calibration: Calibration) -> None:  # noqa: B027 (a default that does nothing)
        """Map readings through a stored calibration from now on; a source that needs none ignores it."""

    def steer(self, held: frozenset[str], pointer: tuple[float, float] | None) -> None:  # noqa: B027 (a default that does nothing)
        """The held directions and the dragged pointer (LOS units) a view saw; only the keyboard uses them."""

    def readings(self) -> list[Reading]:
        """Every reading the device sent since the last call, at its own rate (none for a virtual source)."""
        return []

    def ui_actions(self) -> list[UiAction]:
        """Menu actions from the device's own buttons since the last call ("confirm", "back", "pause", ...)."""
        return []

    def close(self) -> None:  # noqa: B027 (a default that does nothing)
        """Release the device (nothing to release by default)."""

    @property
    def recorded_seed(self) -> int | None:
        """The seed a recording was played with (a replay plays with it); None for a live source."""
        return None

    @property
    def description(self) -> DeviceDescription:
        """Who the device is; by default derived from ``name`` ("sim:0.60": kind "sim"), no calibration."""
        return DeviceDescription(self.name, self.name.partition(":")[0], self.name, "deg", False)


@runtime_checkable
class ScreenObserver(Protocol):
    """A source that looks at the screen as a player would (the simulated player); people need no such call."""

    def observe(self, snapshot: Snapshot) -> None:
        """See what the player is shown now."""
        ...
