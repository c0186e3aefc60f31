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


def irregular_wobbling(seconds: float, rate_hz: float, *, amplitude_deg: float = 20.0, tremor_deg: float = 1.0,
                       seed: int = 0, **noise: object) -> ImuSignal:
    """A child on the board from the first sample: lurches to random angles at random paces, never at rest.

    Each angle moves between random targets (within +-``amplitude_deg``, now and then to the
    edge) over random spans of 0.3-2 s, smoothly, pausing nowhere longer than an instant, and a
    tremor (two sines of ``tremor_deg`` at 1.5-3 Hz) rides on top, so no half second is still
    enough to measure a gyroscope offset on. Roll and pitch keep different paces.
    """
    rng = np.random.default_rng(seed)
    t = times(seconds, rate_hz)
    angles, rates = [], []
    for _ in range(2):
        angle, rate = np.zeros_like(t), np.zeros_like(t)
        start_s, here = 0.0, 0.0
        while start_s < seconds:
            span = float(rng.uniform(0.3, 2.0))
            there = float(rng.choice([-1.0, 1.0]) * amplitude_deg if rng.random() < 0.15
                          else rng.uniform(-amplitude_deg, amplitude_deg))
            inside = (t >= start_s) & (t < start_s + span)
            shape, shape_rate = _smoothstep(t[inside], start_s, span)
            angle[inside] = here + (there - here) * shape
            rate[inside] = (there - here) * shape_rate
            start_s, here = start_s + span, there
        for _ in range(2):
            freq, phase = rng.uniform(1.5, 3.0), rng.uniform(0, 2 * math.pi)
            angle += tremor_deg * np.sin(2 * math.pi * freq * t + phase)
            rate += tremor_deg * 2 * math.pi * freq * np.cos(2 * math.pi * freq * t + phase)
        angles.append(angle)
        rates.append(rate)
    return from_angles(t, angles[0], angles[1], rates[0], rates[1], seed=seed + 1, **noise)  # type: ignore[arg-type]


def with_lever_arm(signal: ImuSignal, height_m: float) -> ImuSignal:
    """The same motion with the sensor ``height_m`` above the board's pivot: it also feels its own acceleration.

    The sensor's position is R (0, 0, height) (R the board's attitude, Z-Y-X Euler angles, no
    yaw); its acceleration, differentiated twice, is added to gravity in the sensor's axes: the
    sideways push of a board tipping fast, and the pull toward the pivot while it turns.
    """
    r, p = np.radians(signal.roll_deg), np.radians(signal.pitch_deg)
    position = height_m * np.stack([np.sin(p) * np.cos(r), -np.sin(r), np.cos(p) * np.cos(r)], axis=1)
    acceleration = np.gradient(np.gradient(position, signal.t_s, axis=0), signal.t_s, axis=0) / STANDARD_GRAVITY_MPS2
    ax, ay, az = acceleration[:, 0], acceleration[:, 1], acceleration[:, 2]
    # R^T = Rx(r)^T Ry(p)^T: from the world into the sensor's axes
    x = np.cos(p) * ax - np.sin(p) * az
    z1 = np.sin(p) * ax + np.cos(p) * az
    y = np.cos(r) * ay + np.sin(r) * z1
    z = -np.sin(r) * ay + np.cos(r) * z1
    sensed = signal.accel_g + np.stack([x, y, z], axis=1)
    return ImuSignal(signal.t_s, sensed, signal.gyro_dps, signal.roll_deg, signal.pitch_deg)


def with_bumps(signal: ImuSignal, every_s: float, *, push_g: float = 0.3, seconds: float = 0.3,
               seed: int = 0) -> ImuSignal:
    """Sideways pushes of ``push_g`` (a step on, a kick) lasting ``seconds``, every ``every_s``, random direction."""
    rng = np.random.default_rng(seed)
    accel = signal.accel_g.copy()
    start_s = float(signal.t_s[0]) + every_s / 2
    while start_s < signal.t_s[-1]:
        inside = (signal.t_s >= start_s) & (signal.t_s < start_s + seconds)
        direction = rng.uniform(0, 2 * math.pi)
        accel[inside, 0] += push_g * math.cos(direction)
        accel[inside, 1] += push_g * math.sin(direction)
        start_s += every_s
    return ImuSignal(signal.t_s, accel, signal.gyro_dps, signal.roll_deg, signal.pitch_deg)


def with_outage(signal: ImuSignal, start_s: float, seconds: float) -> ImuSignal:
    """The same signal with no samples from ``start_s`` for ``seconds`` (the link was down)."""
    keep = (signal.t_s < start_s) | (signal.t_s >= start_s + seconds)
    return ImuSignal(*(getattr(signal, f)[keep] for f in ("t_s", "accel_g", "gyro_dps", "roll_deg", "pitch_deg")))
