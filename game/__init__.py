"""Proprio: gamified proprioception and balance training.

The package is layered one way: ``input`` makes normalized samples, ``core`` is the pure
fixed-step simulation, ``difficulty`` the pure scaler, ``session`` ties them together
without clocks or I/O, and ``runner`` plus ``views`` add the wall clock, windows and
telemetry.
"""

from __future__ import annotations

from functools import cache


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("proprio")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0.0.0+checkout"


def __getattr__(name: str) -> str:
    """``game.__version__``, looked up when first read (the lookup costs every command's start-up)."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'game' has no attribute {name!r}")
