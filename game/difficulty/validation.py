"""Checks that turn a bad setting or outcome into a DifficultyConfigError instead of a clamp."""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import numpy as np

from game.difficulty.errors import DifficultyConfigError


def _describe(value: Any) -> str:
    """Show the value and its type, because 'nan' and '"0.5"' look alike in a message."""
    return f"{value!r} ({type(value).__name__})"


def real_number(name: str, value: Any) -> float:
    """Return ``value`` as a finite float, rejecting bools, strings, NaN and infinities."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise DifficultyConfigError(
            f"{name} must be a number, got {_describe(value)}",
            remedy=f"pass {name} as a float such as 0.5",
        )
    number = float(value)
    if not math.isfinite(number):
        raise DifficultyConfigError(
            f"{name} must be a finite number, got {number!r}",
            remedy=f"pass a finite {name}; NaN and infinity are never valid",
        )
    return number


def check_levels(*, target: Any, start: Any, floor: Any, ceiling: Any) -> tuple[float, float, float, float]:
    """Validate the shared settings and return them as floats ``(target, start, floor, ceiling)``."""
    target_f = real_number("target", target)
    start_f = real_number("start", start)
    floor_f = real_number("floor", floor)
    ceiling_f = real_number("ceiling", ceiling)
    if not 0.0 < target_f < 1.0:
        raise DifficultyConfigError(
            f"target success rate {target_f!r} is outside the open interval (0, 1)",
            remedy="pass a target such as 0.8 (therapy games usually aim at 0.70-0.85)",
        )
    for name, value in (("floor", floor_f), ("ceiling", ceiling_f)):
        if not 0.0 <= value <= 1.0:
            raise DifficultyConfigError(
                f"{name} {value!r} is outside the normalized difficulty range [0, 1]",
                remedy="difficulty is normalized: 0 is the easiest setting, 1 the hardest",
            )
    if floor_f > ceiling_f:
        raise DifficultyConfigError(
            f"floor {floor_f!r} is above ceiling {ceiling_f!r}",
            remedy="pass floor <= ceiling (equal values lock the difficulty)",
        )
    if not floor_f <= start_f <= ceiling_f:
        raise DifficultyConfigError(
            f"start {start_f!r} is outside [floor, ceiling] = [{floor_f!r}, {ceiling_f!r}]",
            remedy="pass a start between floor and ceiling",
        )
    return target_f, start_f, floor_f, ceiling_f


def check_outcome(value: Any) -> float:
    """Return an outcome as a score in [0, 1]: True is 1.0, False is 0.0, numbers pass through."""
    if isinstance(value, (bool, np.bool_)):
        return 1.0 if value else 0.0
    if not isinstance(value, Real):
        raise DifficultyConfigError(
            f"outcome must be a bool or a score in [0, 1], got {_describe(value)}",
            remedy="record True for a success, False for a failure, or a float score between 0 and 1",
        )
    score = float(value)
    if not 0.0 <= score <= 1.0:  # also rejects NaN, which fails every comparison
        raise DifficultyConfigError(
            f"outcome score {score!r} is outside [0, 1]",
            remedy="record True/False, or a score between 0 (failure) and 1 (full success)",
        )
    return score


def check_positive(name: str, value: Any, *, at_most: float | None = None) -> float:
    """Validate a method parameter that must be a finite number above zero (and optionally capped)."""
    number = real_number(name, value)
    if number <= 0.0 or (at_most is not None and number > at_most):
        allowed = f"(0, {at_most!r}]" if at_most is not None else "(0, inf)"
        raise DifficultyConfigError(
            f"{name} {number!r} is outside {allowed}",
            remedy=f"pass a {name} in {allowed}",
        )
    return number


def check_count(name: str, value: Any, *, minimum: int) -> int:
    """Validate an integer method parameter such as a grid size."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DifficultyConfigError(
            f"{name} must be an integer >= {minimum}, got {_describe(value)}",
            remedy=f"pass an integer {name} of at least {minimum}",
        )
    return int(value)
