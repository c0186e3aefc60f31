"""The ``PoseSource`` protocol every device implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from game.core.snapshot import Snapshot
from game.input.pose import Pose


@runtime_checkable
class PoseSource(Protocol):
    """A device that yields the newest normalized sample whenever the simulation steps.

    Real devices also have these optional members (see ``game.input.device``; the keyboard and
    the simulated player have none, and the helpers there answer for them):

    * ``status() -> DeviceStatus``: ready, or why not (the runner pauses and shows the notice);
    * ``stats() -> InputStats``: samples accepted and dropped, for the session row;
    * ``recentre() -> bool``: make the current reading the centre (the R key);
    * ``set_calibration(calibration)``, ``needs_calibration``, ``device_kind``, ``device_id``,
      ``raw_unit``: how a stored calibration is found and applied.
    """

    name: str  # what the session row records as the device, e.g. "keyboard", "sim:0.60"

    def poll(self, t_s: float) -> Pose:
        """Return the newest sample at simulation time ``t_s``; never blocks."""
        ...

    def observe(self, snapshot: Snapshot) -> None:
        """See what the player sees (only the simulated player uses it)."""
        ...

    def close(self) -> None:
        """Release the device."""
        ...
