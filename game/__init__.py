"""Proprio: gamified proprioception and balance training.

The package is layered one way: ``input`` makes normalized samples, ``core`` is the pure
fixed-step simulation, ``difficulty`` the pure scaler, ``session`` ties them together
without clocks or I/O, and ``runner`` plus ``views`` add the wall clock, windows and
telemetry.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("proprio")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+checkout"
