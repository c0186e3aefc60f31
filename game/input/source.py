"""The ``PoseSource`` protocol every device implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from game.core.snapshot import Snapshot
from game.input.pose import Pose


@runtime_checkable
class PoseSource(Protocol):
    """A device that yields the newest normalized sample whenever the simulation steps."""

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
