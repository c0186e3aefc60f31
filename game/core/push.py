"""The level's perturbation: a wind (or a current, or waves) that blows the marker off the player's lean.

The physical idea. The marker (the ladybird on the leaf, the dolphin in the current) sits where
the player leans plus a *displacement* that the wind builds up. The wind has a strength (the
level's ``push`` knob, in LOS units) and a direction that wanders slowly and smoothly, turning
through a new heading every few seconds, with gusts between 85 % and 100 % of its strength. The
displacement follows the wind like a light thing held by friction: it moves toward the wind's
full push with a time constant of ``GRIP_S`` (0.6 s), so a steady wind carries the marker
its full ``push`` away within a few seconds and keeps it there for as long as it blows. Nothing
brings it back by itself: the player must lean against the wind, by the displacement, and keep
adjusting as the wind turns. A player who does nothing, whatever the device, sees the marker
carried away from the zone and fails.

Everything here is a pure function of the seed and the step count (no clock, no randomness
after construction), so a replay of the same samples blows the same wind.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

GRIP_S = 0.6  # time constant of the displacement: how quickly the wind carries the marker, seconds
GUST_LOW = 0.85  # the wind's strength swings between this share of ``push`` and all of it


@dataclass(frozen=True, slots=True)
class Wind:
    """A seeded wind of unit strength whose heading wanders: a slow veer plus two slow swings."""

    heading_rad: float  # heading at t = 0
    veer_rad_s: float  # steady turning, radians per second (either sign)
    swings: tuple[tuple[float, float, float], ...]  # (amplitude_rad, freq_hz, phase_rad)
    gust: tuple[float, float]  # (freq_hz, phase_rad) of the strength's swing

    @classmethod
    def seeded(cls, rng: random.Random) -> Wind:
        """Draw a wind: it turns about 0.2 rad/s (typically; rarely over 0.7), a new heading every few seconds."""
        veer = rng.choice((-1.0, 1.0)) * rng.uniform(0.12, 0.22)
        swings = ((rng.uniform(0.8, 1.2), rng.uniform(0.03, 0.06), rng.uniform(0.0, math.tau)),
                  (rng.uniform(0.25, 0.45), rng.uniform(0.07, 0.11), rng.uniform(0.0, math.tau)))
        return cls(rng.uniform(0.0, math.tau), veer, swings, (rng.uniform(0.08, 0.15), rng.uniform(0.0, math.tau)))

    def heading(self, t_s: float) -> float:
        """The direction the wind blows toward at ``t_s``, radians counter-clockwise from right."""
        angle = self.heading_rad + self.veer_rad_s * t_s
        for amplitude, freq_hz, phase in self.swings:
            angle += amplitude * math.sin(math.tau * freq_hz * t_s + phase)
        return angle

    def strength(self, t_s: float) -> float:
        """The gusting share of full strength at ``t_s``, from ``GUST_LOW`` to 1."""
        freq_hz, phase = self.gust
        return GUST_LOW + (1.0 - GUST_LOW) * 0.5 * (1.0 + math.sin(math.tau * freq_hz * t_s + phase))

    def at(self, t_s: float) -> tuple[float, float]:
        """The wind at ``t_s`` as a vector of length ``strength(t_s)`` (at most 1)."""
        # heading(t_s) and strength(t_s) written out (this runs every step): the same arithmetic
        angle = self.heading_rad + self.veer_rad_s * t_s
        for amplitude, freq_hz, phase in self.swings:
            angle += amplitude * math.sin(math.tau * freq_hz * t_s + phase)
        freq_hz, phase = self.gust
        share = GUST_LOW + (1.0 - GUST_LOW) * 0.5 * (1.0 + math.sin(math.tau * freq_hz * t_s + phase))
        return (share * math.cos(angle), share * math.sin(angle))


class Pusher:
    """The wind acting on one challenge: its strength now and the displacement it has built up."""

    def __init__(self, rng: random.Random, step_s: float, strength: float) -> None:
        self.wind = Wind.seeded(rng)
        self.step_s = step_s
        self.strength = strength  # the push knob's value for the running trial, LOS
        self.steps = 0  # steps the wind has blown (its own clock, in whole steps)
        self.shift: tuple[float, float] = (0.0, 0.0)  # the displacement of the marker now, LOS
        self._follow = 1.0 - math.exp(-step_s / GRIP_S)  # exact for a first-order lag at this step
        self._unit = self.wind.at(0.0)  # the unit-strength wind of the last step blown (of step 0 before any)

    def push(self) -> tuple[float, float]:
        """The wind acting now (the last step's), as the displacement it would settle at (LOS): what a view draws."""
        wx, wy = self._unit
        return (self.strength * wx, self.strength * wy)

    def blow(self) -> tuple[float, float]:
        """One step of wind: the displacement moves toward the wind's push; returns the new displacement."""
        self._unit = wx, wy = self.wind.at(self.steps * self.step_s)
        px, py = self.strength * wx, self.strength * wy  # push(), inlined
        sx, sy = self.shift
        self.shift = (sx + (px - sx) * self._follow, sy + (py - sy) * self._follow)
        self.steps += 1
        return self.shift

    def calm(self) -> None:
        """No displacement (a track run's wind starts from still air)."""
        self.shift = (0.0, 0.0)
