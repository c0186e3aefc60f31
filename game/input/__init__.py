"""Input devices: each is a ``PoseSource`` that yields normalized ``Pose`` samples."""

from __future__ import annotations

from game.errors import InputSpecError
from game.input.keyboard import KeyboardSource
from game.input.pose import Pose
from game.input.sim import SimulatedPlayer
from game.input.source import PoseSource

INPUT_CHOICES = ("keyboard", "sim[:SKILL]")
DEFAULT_SIM_SKILL = 0.6


def open_source(spec: str, seed: int = 0) -> PoseSource:
    """Open the device an ``--input`` value names, or explain the valid choices."""
    name, _, arg = spec.strip().partition(":")
    if name == "keyboard" and not arg:
        return KeyboardSource()
    if name == "sim":
        if not arg:
            return SimulatedPlayer(DEFAULT_SIM_SKILL, seed)
        try:
            skill = float(arg)
        except ValueError:
            skill = float("nan")
        if not 0.0 <= skill <= 1.0:
            raise InputSpecError(
                f"--input {spec}: SKILL must be a number from 0 to 1",
                remedy="For example: --input sim:0.3 (a beginner) or --input sim:0.9 (an expert).",
            )
        return SimulatedPlayer(skill, seed)
    raise InputSpecError(
        f"unknown --input '{spec}'",
        remedy=f"Valid choices: {', '.join(INPUT_CHOICES)}.",
    )


__all__ = ["INPUT_CHOICES", "KeyboardSource", "Pose", "PoseSource", "SimulatedPlayer", "open_source"]
