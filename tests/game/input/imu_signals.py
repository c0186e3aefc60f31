"""IMU test signals built from physics, with known answers: the angles a board really had.

A board's roll and pitch over time are chosen first; the accelerometer is then gravity seen
from the board (in g), and the gyroscope the body-frame angular velocity that turns the board
along those angles (in deg/s), plus a constant offset (bias) and white noise. Sensor axes are
Proprio's: x forward, y left, z up (NWU); roll positive right side down, pitch positive front
down; Euler order Z-Y-X with no yaw, as imufusion's ``quaternion_to_euler`` reports it.

    accel = (-sin p, sin r cos p, cos r cos p)
    gyro  = (r', p' cos r, -p' sin r)         (body rates for Z-Y-X Euler angles, yaw 0)

Used by the tests and by ``benchmarks/bench_imu.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

DEG_PER_RAD = 180.0 / math.pi
STANDARD_GRAVITY_MPS2 = 9.80665


@dataclass(frozen=True)
class ImuSignal:
    """Samples a board would send, and the angles it really had at each one."""

    t_s: np.ndarray  # (n,) device time, seconds
    accel_g: np.ndarray  # (n, 3) in g
    gyro_dps: np.ndarray  # (n, 3) in deg/s
    roll_deg: np.ndarray  # (n,) the truth
    pitch_deg: np.ndarray  # (n,) the truth

    def lines(self, *, gyro_scale: float = 1.0, accel_scale: float = 1.0) -> list[bytes]:
        """The raw wire format; the scales send other units (``DEG_PER_RAD`` ** -1: rad/s as if deg/s)."""
        out = []
        for t, a, g in zip(self.t_s, self.accel_g * accel_scale, self.gyro_dps * gyro_scale, strict=True):
            out.append(f"{t:.4f},{a[0]:.5f},{a[1]:.5f},{a[2]:.5f},{g[0]:.4f},{g[1]:.4f},{g[2]:.4f}".encode())
        return out

    def __len__(self) -> int:
        return len(self.t_s)


def from_angles(t_s: np.ndarray, roll_deg: np.ndarray, pitch_deg: np.ndarray, roll_rate_dps: np.ndarray,
                pitch_rate_dps: np.ndarray, *, gyro_bias_dps: tuple[float, float, float] = (0.0, 0.0, 0.0),
                gyro_noise_dps: float = 0.0, accel_noise_g: float = 0.0, seed: int = 0) -> ImuSignal:
    """Sensor readings for a board that follows these angles (and their time derivatives)."""
    r, p = np.radians(roll_deg), np.radians(pitch_deg)
    accel = np.stack([-np.sin(p), np.sin(r) * np.cos(p), np.cos(r) * np.cos(p)], axis=1)
    gyro = np.stack([roll_rate_dps, pitch_rate_dps * np.cos(r), -pitch_rate_dps * np.sin(r)], axis=1)
    rng = np.random.default_rng(seed)
    gyro = gyro + np.asarray(gyro_bias_dps) + rng.normal(0.0, gyro_noise_dps, gyro.shape)
    accel = accel + rng.normal(0.0, accel_noise_g, accel.shape)
    return ImuSignal(np.asarray(t_s, dtype=float), accel, gyro, np.asarray(roll_deg), np.asarray(pitch_deg))


def times(seconds: float, rate_hz: float, start_s: float = 0.0) -> np.ndarray:
    """Device time stamps at a steady rate."""
    return start_s + np.arange(int(round(seconds * rate_hz))) / rate_hz


def still(seconds: float, rate_hz: float, roll_deg: float = 0.0, pitch_deg: float = 0.0, *,
          start_s: float = 0.0, **noise: object) -> ImuSignal:
    """A board lying still at a tilt (give ``gyro_bias_dps``, ``gyro_noise_dps``, ``accel_noise_g``, ``seed``)."""
    t = times(seconds, rate_hz, start_s)
    ones, zeros = np.ones_like(t), np.zeros_like(t)
    return from_angles(t, roll_deg * ones, pitch_deg * ones, zeros, zeros, **noise)  # type: ignore[arg-type]


def _smoothstep(t: np.ndarray, start_s: float, ramp_s: float) -> tuple[np.ndarray, np.ndarray]:
    """0 before ``start_s``, 1 after ``start_s + ramp_s``, smooth in between; and its derivative (1/s)."""
    u = np.clip((t - start_s) / ramp_s, 0.0, 1.0)
    return u * u * (3 - 2 * u), 6 * u * (1 - u) / ramp_s


def wobbling(seconds: float, rate_hz: float, *, amplitude_deg: float = 60.0, rest_s: float = 2.0,
             seed: int = 0, **noise: object) -> ImuSignal:
    """A recorded-style session: still for ``rest_s``, then a player wobbling the board up to +-amplitude.

    Each angle is a sum of three sines (0.1-0.8 Hz, random phases), scaled so its largest excursion
    is ``amplitude_deg``, faded in over a second. Rates are the exact derivatives, not differences.
    """
    rng = np.random.default_rng(seed)
    t = times(seconds, rate_hz)
    env, env_rate = _smoothstep(t, rest_s, 1.0)
    angles, rates = [], []
    for _ in range(2):
        freqs = rng.uniform(0.1, 0.8, 3)
        phases = rng.uniform(0, 2 * math.pi, 3)
        weights = rng.uniform(0.5, 1.0, 3)
        shape = sum(w * np.sin(2 * math.pi * f * t + ph) for w, f, ph in zip(weights, freqs, phases, strict=True))
        shape_rate = sum(w * 2 * math.pi * f * np.cos(2 * math.pi * f * t + ph)
                         for w, f, ph in zip(weights, freqs, phases, strict=True))
        scale = amplitude_deg / float(np.max(np.abs(shape * env)))
        angles.append(scale * env * shape)
        rates.append(scale * (env_rate * shape + env * shape_rate))
    return from_angles(t, angles[0], angles[1], rates[0], rates[1], seed=seed + 1, **noise)  # type: ignore[arg-type]


def tipped_during_outage(rate_hz: float, *, before_s: float = 5.0, outage_s: float = 3.0, after_s: float = 3.0,
                         roll_deg: float = 15.0, **noise: object) -> tuple[ImuSignal, float]:
    """Level, then the link goes down while the board is tipped, then data again: (signal, return time)."""
    first = still(before_s, rate_hz, 0.0, 0.0, **noise)
    back_s = before_s + outage_s
    second = still(after_s, rate_hz, roll_deg, 0.0, start_s=back_s, **noise)
    joined = ImuSignal(*(np.concatenate([getattr(first, f), getattr(second, f)])
                         for f in ("t_s", "accel_g", "gyro_dps", "roll_deg", "pitch_deg")))
    return joined, back_s
