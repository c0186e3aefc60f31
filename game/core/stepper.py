"""The fixed-timestep accumulator (Fiedler, "Fix Your Timestep!").

The caller passes elapsed seconds; this never reads a clock, so the runner decides
whether time is real (``time.perf_counter``) or nominal (``--fast``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FixedStepper:
    """Turn frame durations into a whole number of fixed steps plus an interpolation factor."""

    step_s: float
    max_steps_per_frame: int = 12
    accumulator_s: float = 0.0
    dropped_steps: int = 0  # steps skipped because a frame took longer than the cap allows

    def advance(self, frame_s: float) -> tuple[int, float]:
        """Add one frame's time; return (steps to simulate now, alpha for drawing)."""
        if frame_s < 0:
            raise ValueError("frame time cannot be negative")
        self.accumulator_s += frame_s
        steps = int(self.accumulator_s / self.step_s + 1e-9)
        if steps > self.max_steps_per_frame:
            # A stall (debugger, window drag): keep up by dropping time rather than
            # spiralling into ever longer frames.
            self.dropped_steps += steps - self.max_steps_per_frame
            steps = self.max_steps_per_frame
            self.accumulator_s = 0.0
        else:
            self.accumulator_s -= steps * self.step_s
            self.accumulator_s = max(0.0, self.accumulator_s)
        return steps, self.accumulator_s / self.step_s
