"""Seeded smooth 'wind' that pushes the marker on a wobbly board, as a pure function of time."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Wobble:
    """A sum of slow sinusoids per axis whose peak never exceeds ``amplitude``."""

    amplitude: float
    components: tuple[tuple[float, float, float, float], ...]  # (weight, freq_hz, phase_x, phase_y)

    @classmethod
    def seeded(cls, amplitude: float, rng: random.Random, count: int = 3) -> Wobble:
        """Draw frequencies (0.15 to 0.6 Hz, the band of natural sway) and phases from ``rng``."""
        raw = [(rng.uniform(0.5, 1.0), rng.uniform(0.15, 0.6), rng.uniform(0, math.tau), rng.uniform(0, math.tau))
               for _ in range(count)]
        total = sum(w for w, *_ in raw)
        return cls(amplitude, tuple((w / total, f, px, py) for w, f, px, py in raw))

    def offset(self, t_s: float) -> tuple[float, float]:
        """The push at time ``t_s`` (seconds since the trial started)."""
        if self.amplitude == 0.0:
            return (0.0, 0.0)
        ox = oy = 0.0
        for weight, freq_hz, phase_x, phase_y in self.components:
            angle = math.tau * freq_hz * t_s
            ox += weight * math.sin(angle + phase_x)
            oy += weight * math.sin(angle + phase_y)
        return (self.amplitude * ox, self.amplitude * oy)
