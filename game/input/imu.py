"""IMU wobble boards: the wire format, its parser, and fusion into roll/pitch with imufusion.

One sample per line (newline-terminated, ASCII), any of:

* ``t_s,ax,ay,az,gx,gy,gz``: device time (s), accelerometer (g), gyroscope (deg/s);
* ``t_s,ax,ay,az,gx,gy,gz,mx,my,mz``: the same with a magnetometer (any unit, e.g. uT);
* ``t_s,roll_deg,pitch_deg``: a board that fuses on its own;
* a JSON object with those keys, e.g. ``{"t_s": 1.25, "ax": 0.0, ..., "gz": 0.1}``.

Blank lines and lines starting with ``#`` are ignored (a sender's banner). Sensor axes: x
forward, y left, z up (right-handed, "NWU"); then roll is positive when the right side goes
down and pitch is positive when the front goes down, so leaning right or forward is positive
(the project's axis convention). Another mounting needs no setting: calibration maps whatever
the board reports onto the player's limits.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import imufusion
import numpy as np

from game.input.device import DeviceStatus, DropReason
from game.input.pose import Reading
from game.input.threaded import ThreadedSource

ACCEL_MAX_G = 16.0  # the widest common accelerometer range
GYRO_MAX_DPS = 2000.0  # the widest common gyroscope range
MAG_MAX = 5000.0  # generous for uT or mG magnetometers
MAX_LINE_CHARS = 512  # a "line" longer than this is garbage (a sender without newlines)
NOMINAL_RATE_HZ = 100.0
RAW_KEYS = ("ax", "ay", "az", "gx", "gy", "gz")
MAG_KEYS = ("mx", "my", "mz")
TILT_KEYS = ("roll_deg", "pitch_deg")
STANDARD_GRAVITY_MPS2 = 9.80665  # 1 g


class ImuParseError(ValueError):
    """A line that is not a sample; ``reason`` is the drop counter it goes to."""

    def __init__(self, reason: DropReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason: DropReason = reason  # "malformed", "nonfinite" or "out_of_range"


@dataclass(frozen=True, slots=True)
class ImuSample:
    """Raw inertial sample: accelerometer in g, gyroscope in deg/s, optional magnetometer."""

    t_s: float
    accel_g: tuple[float, float, float]
    gyro_dps: tuple[float, float, float]
    mag: tuple[float, float, float] | None = None


@dataclass(frozen=True, slots=True)
class TiltSample:
    """A board that fused its own orientation: roll and pitch in degrees."""

    t_s: float
    roll_deg: float
    pitch_deg: float


def parse_line(line: bytes | str) -> ImuSample | TiltSample | None:
    """One line of the wire format; None for blank and comment lines, ImuParseError otherwise."""
    if isinstance(line, (bytes, bytearray)):
        try:
            line = bytes(line).decode("ascii")
        except UnicodeDecodeError:
            raise ImuParseError("malformed", "bytes that are not ASCII text") from None
    elif not line.isascii():
        raise ImuParseError("malformed", "characters that are not ASCII text")
    if len(line) > MAX_LINE_CHARS:
        raise ImuParseError("malformed", f"a line longer than {MAX_LINE_CHARS} characters")
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    if text.startswith("{"):
        return _from_json(text)
    cells = text.split(",")
    values = []
    for cell in cells:
        try:
            values.append(float(cell))
        except ValueError:
            raise ImuParseError("malformed", f"{cell.strip()[:20]!r} is not a number") from None
    return sample_from_values(values)


def sample_from_values(values: Sequence[float]) -> ImuSample | TiltSample:
    """3 values (t, roll, pitch), 7 (t, accel, gyro) or 10 (and magnetometer), checked."""
    count = len(values)
    if count not in (3, 7, 10):
        raise ImuParseError("malformed", f"{count} values; expected 3, 7 or 10")
    if not all(math.isfinite(v) for v in values):
        raise ImuParseError("nonfinite", "NaN or infinity")
    t_s = values[0]
    if t_s < 0:
        raise ImuParseError("out_of_range", "a negative time")
    if count == 3:
        roll, pitch = values[1], values[2]
        if abs(roll) > 180.0 or abs(pitch) > 90.0:
            raise ImuParseError("out_of_range", "roll beyond 180 deg or pitch beyond 90 deg")
        return TiltSample(t_s, roll, pitch)
    accel, gyro = tuple(values[1:4]), tuple(values[4:7])
    if max(abs(a) for a in accel) > ACCEL_MAX_G or max(abs(g) for g in gyro) > GYRO_MAX_DPS:
        raise ImuParseError("out_of_range", "acceleration or rotation rate beyond the sensor's range")
    if not any(accel):
        raise ImuParseError("out_of_range", "no gravity at all (a sensor reading zeros)")
    mag = None
    if count == 10:
        mag = tuple(values[7:10])
        if max(abs(m) for m in mag) > MAG_MAX:
            raise ImuParseError("out_of_range", "magnetometer beyond its range")
    return ImuSample(t_s, accel, gyro, mag)  # type: ignore[arg-type]


def _from_json(text: str) -> ImuSample | TiltSample:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ImuParseError("malformed", "not valid JSON") from None
    if not isinstance(data, dict):
        raise ImuParseError("malformed", "JSON that is not an object")
    if all(k in data for k in TILT_KEYS):
        keys: tuple[str, ...] = ("t_s", *TILT_KEYS)
    elif all(k in data for k in RAW_KEYS):
        keys = ("t_s", *RAW_KEYS, *(MAG_KEYS if all(k in data for k in MAG_KEYS) else ()))
    else:
        raise ImuParseError("malformed", "JSON without roll_deg/pitch_deg or ax..gz")
    values = []
    for key in keys:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ImuParseError("malformed", f"{key} is missing or not a number")
        values.append(float(value))
    return sample_from_values(values)


# imufusion AHRS settings, each in the unit imufusion >= 1.3.2 reads it (FusionAhrsSettings):
AHRS_GAIN = 0.5  # dimensionless (the library's default): feedback of accelerometer error per second, in rad/s
ACCEL_REJECTION_DEG = 10.0  # degrees: an accelerometer further than this from the estimate is ignored ...
REJECTION_TIMEOUT_S = 2.0  # seconds (a float; 1.3.0 counted samples, 1.3.1 called it recovery_trigger_period)
# imufusion Bias (run-time gyroscope offset) settings, in the units of FusionBiasSettings:
BIAS_STATIONARY_THRESHOLD_DPS = 3.0  # deg/s: below this on every axis counts as stationary ...
BIAS_STATIONARY_PERIOD_S = 3.0  # seconds: ... for this long before the offset is adapted
# Proprio's own offset estimation, for offsets the library's threshold cannot see (an MPU-6050: up to +-20 deg/s):
STILL_BLOCK_S = 0.5  # a block this long with a steady accelerometer and a steady gyroscope is "still"
STILL_GYRO_STD_DPS = 1.0  # deg/s: the gyroscope's spread in a still block (noise, no motion)
STILL_ACCEL_STD_G = 0.02  # g per g: the accelerometer's spread in a still block (no steps, no vibration)
STILL_TILT_RATE_DPS = 1.0  # deg/s: how fast the accelerometer's tilt may change in a still block
OFFSET_LEARN_PER_S2 = 0.05  # 1/s^2: integral feedback of the accelerometer error into the offset (a PI loop)
PERSIST_S = 2.0  # seconds: an error beyond the rejection angle that lasts this long, one way, ...
PERSIST_AGREE = 0.8  # ... (its running mean at least this share of its running size) is an offset, not motion
MAX_OFFSET_DPS = 40.0  # deg/s: an estimated offset is kept within this (twice an MPU-6050's specified worst)
# Proprio's drift measurement, for an offset too large for the integral term on a board that never rests:
DRIFT_WINDOW_S = 1.0  # seconds: the gyroscope is integrated from the accelerometer's direction for this long
DRIFT_ACCEL_G = 0.1  # g per g: samples whose |acceleration| is further than this from 1 g are not gravity alone
DRIFT_WINDOWS = 6  # windows in a row judged together
DRIFT_SIGNIFICANCE = 6.0  # a part of the offset is taken when it is this many times its uncertainty ...
DRIFT_SPREAD_MIN_DPS = 0.3  # deg/s: (the windows never agree better than this: the sensor's noise) ...
DRIFT_MIN_DPS = 0.5  # deg/s: ... and the step at least this large (smaller: the integral term's business) ...
DRIFT_LEARN = 0.5  # ... this share of it each window ...
DRIFT_STEP_MAX_DPS = 10.0  # deg/s: ... and at most this much a window (a misjudged window cannot throw it far)
DRIFT_JUDGED_DPS = 2.0  # deg/s: windows that pin the offset down to this, and find it right, have judged it
UNJUDGED_GAIN = 2.0  # imufusion's gain (dimensionless) while the offset is neither measured nor judged
GAP_S = 0.2  # seconds of device time without a sample (a link outage): restart fusion from the accelerometer
STARTUP_S = 3.0  # seconds imufusion's startup lasts (its STARTUP_PERIOD): the gain ramps down from 10
RATE_RETUNE = 0.2  # a measured sample rate this far (relative) from the configured one retunes the settings


Vec3 = tuple[float, float, float]


def _norm(v: Sequence[float] | np.ndarray) -> float:
    return math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])


def _cross(u: Sequence[float], v: Sequence[float]) -> Vec3:
    return (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])


def _angle_deg(u: Sequence[float], v: Sequence[float]) -> float:
    """The angle between two non-zero vectors, degrees."""
    cos = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (_norm(u) * _norm(v))
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


class _StillBlock:
    """Sums over one block of samples, to tell whether the board lay still (and the gyro's mean then).

    Plain floats, not numpy: this runs for every sample, and numpy's per-call cost on 3-vectors
    is larger than the arithmetic.
    """

    def __init__(self, t_s: float) -> None:
        self.start_s = t_s
        self.n = 0
        self.sums = [0.0] * 12  # gyro x y z, gyro^2 x y z, accel x y z, accel^2 x y z
        self.halves = [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]  # summed accelerometer directions in each half

    def add(self, t_s: float, accel: Vec3, gyro: Vec3) -> None:
        self.n += 1
        sums = self.sums
        for i in range(3):
            g, a = gyro[i], accel[i]
            sums[i] += g
            sums[3 + i] += g * g
            sums[6 + i] += a
            sums[9 + i] += a * a
        size = _norm(accel)
        if size > 0:
            half = self.halves[0 if t_s - self.start_s < STILL_BLOCK_S / 2 else 1]
            for i in range(3):
                half[i] += accel[i] / size

    def still_offset(self, t_s: float) -> Vec3 | None:
        """The gyroscope's mean if the board lay still through the block, else None."""
        n = self.n
        if n < 10 or not (_norm(self.halves[0]) > 0 and _norm(self.halves[1]) > 0):
            return None
        sums = self.sums
        mean_g = (sums[0] / n, sums[1] / n, sums[2] / n)
        mean_a = (sums[6] / n, sums[7] / n, sums[8] / n)
        gyro_var = max(sums[3 + i] / n - mean_g[i] ** 2 for i in range(3))
        accel_var = max(sums[9 + i] / n - mean_a[i] ** 2 for i in range(3))
        accel_spread = STILL_ACCEL_STD_G * _norm(mean_a)  # relative to 1 g, whatever unit the board uses
        if gyro_var > STILL_GYRO_STD_DPS ** 2 or accel_var > accel_spread ** 2:
            return None
        if _angle_deg(self.halves[0], self.halves[1]) / max((t_s - self.start_s) / 2, 1e-3) > STILL_TILT_RATE_DPS:
            return None  # the accelerometer says it turned: the gyroscope's mean is motion, not offset
        return mean_g


_ZERO3 = np.zeros(3)
_SIN_REJECTION = math.sin(math.radians(ACCEL_REJECTION_DEG))


def _clip_offset(offset: Sequence[float]) -> Vec3:
    x, y, z = (max(-MAX_OFFSET_DPS, min(MAX_OFFSET_DPS, v)) for v in offset)
    return x, y, z


class _DriftWindow:
    """The gyroscope integrated over a window against the accelerometer: the residual offset it shows.

    The window's frame is the board at its start, turned so that the accelerometer's direction
    then is its z. The offset-corrected gyroscope turns the board's estimated attitude R (sensor to
    window frame, a quaternion) from there; the accelerometer seen through it, v = R accel, stays
    on z if the gyroscope is right, whatever the board does. A residual offset d (sensor axes)
    turns the estimate away by psi(t) = H(t) d, H(t) the integral of R, so v's horizontal part
    drifts as (psi_y, -psi_x). A least-squares fit of v_x and v_y (each with its own constant: the
    start's noise) on H over the window's samples gives d as seen across gravity: ``info`` d =
    ``seen``, where ``info`` says which directions of d the window could see (not the one along
    gravity unless the board tilted). Samples that are not gravity alone (a step, a bump:
    |acceleration| off 1 g) are left out of the fit. The samples weigh sin^2(pi t / window), least
    at the window's ends: a sensor off the board's pivot feels the board's shaking as a tilt, and a
    shake in step with the window would otherwise leave a slope (a drift) of its own.

    Plain floats, not numpy: this runs for every sample.
    """

    def __init__(self, t_s: float, accel: Vec3) -> None:
        self.start_s = t_s
        self.last_s = t_s
        size = _norm(accel)
        ax, ay, az = accel[0] / size, accel[1] / size, accel[2] / size
        if az > -0.999:  # the shortest turn taking the accelerometer's direction onto z
            w, x, y = 1.0 + az, ay, -ax
            norm = math.sqrt(w * w + x * x + y * y)
            self.q = (w / norm, x / norm, y / norm, 0.0)
        else:  # upside down: half a turn about x
            self.q = (0.0, 1.0, 0.0, 0.0)
        self.h = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)  # H's x and y rows: the integral of R's x and y rows (seconds)
        # Weighted sums: weight, v_x, v_y, H_x (3), H_y (3), H_x H_x^T + H_y H_y^T (xx yy zz xy xz yz),
        # H_y v_x - H_x v_y (3), t, t^2 (t from the window's start)
        self.sums = [0.0] * 20
        self.gyro: Sequence[float] | None = None  # the last sample's rate
        self.samples = 0  # every sample
        self.gravity_samples = 0  # those that were gravity alone

    def add(self, t_s: float, dt: float, accel: Vec3, gyro_dps: Sequence[float]) -> None:
        # The rate at both ends of the step: the rate at one end only errs by half the change of rate each
        # step, which adds up to a drift of its own on a board that speeds up and slows down.
        previous = gyro_dps if self.gyro is None else self.gyro
        self.gyro = gyro_dps
        k = math.radians(dt) / 4
        gx, gy, gz = (previous[0] + gyro_dps[0]) * k, (previous[1] + gyro_dps[1]) * k, (previous[2] + gyro_dps[2]) * k
        w, x, y, z = self.q
        w, x, y, z = (w - x * gx - y * gy - z * gz, x + w * gx + y * gz - z * gy,
                      y + w * gy - x * gz + z * gx, z + w * gz + x * gy - y * gx)
        norm = 1.0 / math.sqrt(w * w + x * x + y * y + z * z)
        w, x, y, z = w * norm, x * norm, y * norm, z * norm
        self.q = (w, x, y, z)
        r00, r01, r02 = 1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)
        r10, r11, r12 = 2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)
        h = self.h
        h0, h1, h2, h3, h4, h5 = h[0] + r00 * dt, h[1] + r01 * dt, h[2] + r02 * dt, h[3] + r10 * dt, h[4] + r11 * dt, \
            h[5] + r12 * dt
        self.h = (h0, h1, h2, h3, h4, h5)
        self.last_s = t_s
        self.samples += 1
        ax, ay, az = accel
        size = math.sqrt(ax * ax + ay * ay + az * az)
        if abs(size - 1.0) > DRIFT_ACCEL_G:
            return
        self.gravity_samples += 1
        vx, vy = (r00 * ax + r01 * ay + r02 * az) / size, (r10 * ax + r11 * ay + r12 * az) / size
        tau = t_s - self.start_s
        weight = 0.5 - 0.5 * math.cos(2 * math.pi * min(tau / DRIFT_WINDOW_S, 1.0))
        wx0, wx1, wx2, wy0, wy1, wy2 = weight * h0, weight * h1, weight * h2, weight * h3, weight * h4, weight * h5
        sums = self.sums
        sums[0] += weight
        sums[1] += weight * vx
        sums[2] += weight * vy
        sums[3] += wx0
        sums[4] += wx1
        sums[5] += wx2
        sums[6] += wy0
        sums[7] += wy1
        sums[8] += wy2
        sums[9] += wx0 * h0 + wy0 * h3
        sums[10] += wx1 * h1 + wy1 * h4
        sums[11] += wx2 * h2 + wy2 * h5
        sums[12] += wx0 * h1 + wy0 * h4
        sums[13] += wx0 * h2 + wy0 * h5
        sums[14] += wx1 * h2 + wy1 * h5
        sums[15] += wy0 * vx - wx0 * vy
        sums[16] += wy1 * vx - wx1 * vy
        sums[17] += wy2 * vx - wx2 * vy
        sums[18] += weight * tau
        sums[19] += weight * tau * tau

    def fit(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(info, seen): info d = seen for the residual offset d (deg/s); None if the window saw too little gravity.

        Both are scaled so that a window of a board lying level gives info = the projection across
        gravity (I - g g^T) and seen = d across gravity, whatever the window's length and rate.
        """
        sums = self.sums
        n = sums[0]
        if self.gravity_samples < 10 or self.gravity_samples < 0.5 * self.samples or n <= 0:
            return None  # too little of the window was gravity alone
        mean_t = sums[18] / n
        spread = sums[19] / n - mean_t * mean_t  # the variance of the samples' times, as weighted
        if spread <= (0.1 * DRIFT_WINDOW_S) ** 2:
            return None  # the gravity samples were bunched together: no slope to see
        hx, hy = np.array(sums[3:6]) / n, np.array(sums[6:9]) / n
        xx, yy, zz, xy, xz, yz = (v / n for v in sums[9:15])
        info = np.array([[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]]) - np.outer(hx, hx) - np.outer(hy, hy)
        seen = np.array(sums[15:18]) / n - (hy * (sums[1] / n) - hx * (sums[2] / n))
        return info / spread, np.degrees(seen) / spread


class TiltEstimator:
    """Roll and pitch from accelerometer + gyroscope (+ magnetometer) with imufusion's AHRS, offset removed.

    The gyroscope offset (bias, deg/s) is removed four ways: whenever the board lies still for
    ``STILL_BLOCK_S`` (steady accelerometer and gyroscope) the gyroscope's mean there *is* the
    offset, whatever its size; imufusion's ``Bias`` refines it while the board is stationary; on a
    board that never rests, drift windows (``_DriftWindow``) measure an offset of any size from how
    the gyroscope drifts away from the accelerometer, taken once ``DRIFT_WINDOWS`` windows in a row
    agree on it (``_learn_drift``); and the accelerometer's disagreement with the estimate feeds the
    offset slowly (an integral term on imufusion's proportional one, ``_learn_moving``). Until an
    offset is known the AHRS starts from the accelerometer alone for a block; until it is measured
    at rest or judged by drift windows, imufusion's gain is ``UNJUDGED_GAIN`` and it never ignores
    the accelerometer, so an offset of 30 deg/s cannot run the tilt round while it is being learnt.
    When an offset has just been learnt (or the accelerometer alone led a moving board) and the
    estimate is further from the accelerometer than imufusion accepts, the estimate is put back on
    the accelerometer's tilt (``snaps``) rather than wait out imufusion's rejection. A gap in the
    data (a link outage, a restarted board) restarts the AHRS, which then takes the accelerometer's
    tilt within a fraction of a second.
    """

    def __init__(self, rate_hz: float = NOMINAL_RATE_HZ, gain: float = AHRS_GAIN) -> None:
        self.rate_hz = rate_hz
        self.gain = gain
        self.ahrs = imufusion.Ahrs()
        self.bias = imufusion.Bias()
        self._offset_trusted = False  # measured at rest or judged by drift windows: imufusion's own settings
        self._configure(rate_hz)
        self.offset_dps: Vec3 = (0.0, 0.0, 0.0)  # Proprio's estimate; imufusion's Bias holds a small rest on top
        self.offset_known = False  # an offset has been measured on a still board
        self.still_offset_dps: Vec3 = (0.0, 0.0, 0.0)  # the last one measured so: the gyroscope's mean at rest
        self.restarts = 0  # gaps that restarted the fusion
        self._last_t: float | None = None
        self._since_restart_s = 0.0
        self._block: _StillBlock | None = None
        self._drift: _DriftWindow | None = None
        self._forget_drift()
        self._error_mean: Vec3 = (0.0, 0.0, 0.0)  # the accelerometer's error (sin of its angle), running mean
        self._error_size = 0.0  # and the running mean of its size
        self._leading = True  # the previous sample was fused without the gyroscope (offset unknown)
        self.snaps = 0  # times the estimate was put back onto the accelerometer's tilt
        self._period_s = 1.0 / rate_hz  # running estimate of the device's sample period

    def _configure(self, rate_hz: float) -> None:
        """Give imufusion the sample rate (Hz) its timeouts and filters count samples with."""
        self.rate_hz = rate_hz
        self.ahrs.set_settings(imufusion.AhrsSettings(
            sample_rate=rate_hz,  # Hz
            convention=imufusion.CONVENTION_NWU,
            gain=self.gain if self._offset_trusted else max(self.gain, UNJUDGED_GAIN),  # dimensionless
            gyroscope_range=GYRO_MAX_DPS,  # deg/s: beyond it the AHRS restarts
            acceleration_rejection=ACCEL_REJECTION_DEG if self._offset_trusted else 0.0,  # degrees; 0: never
            magnetic_rejection=10.0,  # degrees
            rejection_timeout=REJECTION_TIMEOUT_S,  # seconds
        ))
        self.bias.set_settings(imufusion.BiasSettings(
            sample_rate=rate_hz,  # Hz
            stationary_threshold=BIAS_STATIONARY_THRESHOLD_DPS,  # deg/s
            stationary_period=BIAS_STATIONARY_PERIOD_S,  # seconds
        ))

    @property
    def gyro_offset_dps(self) -> tuple[float, float, float]:
        """The gyroscope offset being removed (deg/s, sensor axes)."""
        rest = self.bias.get_offset().tolist()
        return self.offset_dps[0] + rest[0], self.offset_dps[1] + rest[1], self.offset_dps[2] + rest[2]

    def restart(self) -> None:
        """Start the fusion again from the accelerometer (after a link outage); the offset is kept."""
        self.ahrs.restart()
        self.restarts += 1
        self._since_restart_s = 0.0
        self._block = None
        self._drift = None
        self._forget_drift()
        self._error_mean = (0.0, 0.0, 0.0)
        self._error_size = 0.0

    def update(self, sample: ImuSample) -> tuple[float, float]:
        """Advance the filter by one sample; return (roll_deg, pitch_deg)."""
        if self._last_t is None:
            dt = self._period_s
        else:
            dt = sample.t_s - self._last_t
            if not 0.0 < dt <= GAP_S:  # a link outage or a restarted clock
                self.restart()
                dt = self._period_s
            elif dt >= 1e-4:
                self._track_rate(dt)
            else:
                dt = self._period_s
        self._last_t = sample.t_s
        self._since_restart_s += dt
        gyro, accel, offset = sample.gyro_dps, sample.accel_g, self.offset_dps
        self._learn_still(sample.t_s, accel, gyro)
        corrected = self.bias.update(np.array((gyro[0] - offset[0], gyro[1] - offset[1], gyro[2] - offset[2])))
        moved = self._learn_drift(sample.t_s, dt, accel, corrected.tolist())
        lead_s = STARTUP_S if self.restarts == 0 else STILL_BLOCK_S
        leading = not (self.offset_known or self._drift_judged) and self._since_restart_s <= lead_s
        if leading:
            # An unknown offset (up to 20 deg/s) would tilt the start by degrees: until a still block has
            # measured it (the first one may not be still: noise, a touch) or drift windows have judged it,
            # the accelerometer alone leads, for imufusion's whole startup at power-on (its gain is ~10 then)
            # and for one block after an outage (so the tilt comes back within a second of data).
            corrected = _ZERO3
        snap = moved or (self._leading and not leading)
        self._leading = leading
        trusted = self.offset_known or self._drift_judged
        if trusted != self._offset_trusted:
            # Until the offset is measured or judged, the accelerometer holds the estimate harder and is never
            # ignored: an unknown offset of 30 deg/s would otherwise run the tilt round until it is learnt.
            self._offset_trusted = trusted
            self._configure(self.rate_hz)
        self.ahrs.set_sample_period(dt)
        if sample.mag is None:
            self.ahrs.update_no_magnetometer(corrected, np.array(accel))
        else:
            self.ahrs.update(corrected, np.array(accel), np.array(sample.mag))
        if snap:
            # The estimate was driven by a gyroscope offset just found (or by the accelerometer alone, lagging
            # a moving board): if it is further from the accelerometer than imufusion accepts, imufusion would
            # ignore the accelerometer for its rejection timeout and then come back at its gain's pace.
            self._snap_to_accelerometer(accel)
        if self._since_restart_s >= STARTUP_S:
            self._learn_moving(accel, dt)
        roll, pitch, _ = imufusion.quaternion_to_euler(self.ahrs.get_quaternion())
        return float(roll), float(pitch)

    def _track_rate(self, dt: float) -> None:
        """Follow the device's real rate; retune imufusion when it is far from the configured one."""
        self._period_s += 0.01 * (dt - self._period_s)
        measured_hz = 1.0 / self._period_s
        if abs(measured_hz - self.rate_hz) > RATE_RETUNE * self.rate_hz:
            self._configure(measured_hz)

    def _learn_still(self, t_s: float, accel: Vec3, gyro: Vec3) -> None:
        """Blocks of a still board give the offset directly (any size)."""
        block = self._block
        if block is None or t_s < block.start_s:
            block = self._block = _StillBlock(t_s)
        block.add(t_s, accel, gyro)
        if t_s - block.start_s < STILL_BLOCK_S:
            return
        offset = block.still_offset(t_s)
        self._block = _StillBlock(t_s)
        if offset is not None:
            self.offset_dps = _clip_offset(offset)
            self.bias.set_offset(_ZERO3)  # the block's mean already holds what imufusion had learnt
            self.offset_known = True
            self.still_offset_dps = self.offset_dps

    def _forget_drift(self) -> None:
        """Start judging drift windows afresh."""
        self._drift_windows: list[tuple[np.ndarray, np.ndarray]] = []  # the last few: (info, seen), oldest first
        self._drift_reference = np.zeros(3)  # the offset removed when they were seen
        self._drift_judged = False  # windows that agree have corrected the offset or found it right

    def _shift_drift(self, change: np.ndarray) -> None:
        """The remembered windows, as if seen with ``change`` more offset removed: each sees ``info`` change less."""
        self._drift_windows = [(info, seen - info @ change) for info, seen in self._drift_windows]
        self._drift_reference = self._drift_reference + change

    def _learn_drift(self, t_s: float, dt: float, accel: Vec3, corrected: Sequence[float]) -> bool:
        """Windows that drift as one constant offset would: that offset, any size. True when the offset moved.

        Each window sees the residual offset across its gravity direction (``_DriftWindow``). The
        last ``DRIFT_WINDOWS`` give, by least squares, the one offset that explains them all, and by
        how far each window's drift strays from it, how sure that offset is, direction by direction.
        An offset makes every window drift the same way, so the windows agree and it stands out;
        motion, a sensor off the pivot feeling the board's lurches, bumps, or a gyroscope in other
        units make windows that disagree, so nothing stands out and nothing is learnt. Only the
        parts that stand out (``DRIFT_SIGNIFICANCE`` times their uncertainty) are taken, a share at
        a time, capped: an offset about the axis that points up shows only as far as the board
        tilts, so it is learnt as the board's tilting shows it.
        """
        window = self._drift
        if window is None or t_s < window.start_s:
            self._drift = _DriftWindow(t_s, accel)
            return False
        window.add(t_s, dt, accel, corrected)
        if t_s - window.start_s < DRIFT_WINDOW_S:
            return False
        fitted = window.fit()
        self._drift = _DriftWindow(t_s, accel)
        if fitted is None:
            self._drift_windows.clear()  # windows that agree must follow one another
            return False
        self._shift_drift(np.array(self.gyro_offset_dps) - self._drift_reference)  # moved by the other learners
        self._drift_windows = [*self._drift_windows[1 - DRIFT_WINDOWS:], fitted]
        if len(self._drift_windows) < DRIFT_WINDOWS:
            return False  # a few windows alone cannot tell an offset from motion
        info = sum((i for i, _ in self._drift_windows), np.zeros((3, 3)))
        total = sum((s for _, s in self._drift_windows), np.zeros(3))
        weights, axes = np.linalg.eigh(info)  # what the windows saw, direction by direction
        seen = weights > 0.01 * DRIFT_WINDOWS  # along gravity, on a board that never tilted: nothing
        parts = np.where(seen, (axes.T @ total) / np.where(seen, weights, 1.0), 0.0)
        offset = axes @ parts
        residual = sum(float(np.sum((s - i @ offset) ** 2)) for i, s in self._drift_windows)
        spread = max(math.sqrt(residual / max(2 * DRIFT_WINDOWS - int(seen.sum()), 1)), DRIFT_SPREAD_MIN_DPS)
        uncertainty = spread / np.sqrt(np.where(seen, weights, 1.0))  # deg/s, each direction's
        sure = seen & (np.abs(parts) >= DRIFT_SIGNIFICANCE * uncertainty)
        step = axes @ np.where(sure, parts, 0.0)
        size = float(np.linalg.norm(step))
        if size < DRIFT_MIN_DPS:
            if float(np.max(np.where(seen, uncertainty, 0.0))) < DRIFT_JUDGED_DPS:
                self._drift_judged = True  # the windows pin the offset down, and the one in use is right
            return False  # the offset in use is right, or near enough for the integral term
        step *= min(DRIFT_LEARN, DRIFT_STEP_MAX_DPS / size)
        current = self.offset_dps
        self.offset_dps = _clip_offset((current[0] + step[0], current[1] + step[1], current[2] + step[2]))
        self._shift_drift(np.array(self.offset_dps) - np.array(current))
        return True

    def _snap_to_accelerometer(self, accel: Vec3) -> None:
        """Turn the estimate the shortest way onto the accelerometer's tilt, if it is beyond the rejection angle.

        The turn is about an axis across gravity, so the heading is kept. Not when the accelerometer is
        not gravity alone (a step, a bump): then the estimate waits for imufusion's own recovery.
        """
        size = _norm(accel)
        if abs(size - 1.0) > DRIFT_ACCEL_G:
            return
        w, x, y, z = self.ahrs.get_quaternion().tolist()
        gravity = (2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z)  # sensor axes
        if _angle_deg(accel, gravity) <= ACCEL_REJECTION_DEG:
            return
        a = (accel[0] / size, accel[1] / size, accel[2] / size)
        axis = _cross(a, gravity)  # the turn (sensor axes) that takes the accelerometer's direction onto the estimate's
        cw, cx, cy, cz = 1.0 + sum(a[i] * gravity[i] for i in range(3)), axis[0], axis[1], axis[2]
        norm = math.sqrt(cw * cw + cx * cx + cy * cy + cz * cz)
        if norm < 1e-6:
            return  # opposite directions: no shortest turn (a board upside down); imufusion's recovery decides
        cw, cx, cy, cz = cw / norm, cx / norm, cy / norm, cz / norm
        self.ahrs.set_quaternion(np.array((w * cw - x * cx - y * cy - z * cz, w * cx + x * cw + y * cz - z * cy,
                                           w * cy - x * cz + y * cw + z * cx, w * cz + x * cy - y * cx + z * cw)))
        self.snaps += 1

    def _learn_moving(self, accel: Vec3, dt: float) -> None:
        """Integral feedback: a lasting accelerometer error is an offset the proportional term leaves.

        Beyond imufusion's rejection angle an error is usually motion or a push, and imufusion ignores
        the accelerometer; the integral does too, unless the error has stayed beyond it, one way,
        for ``PERSIST_S`` (its running mean is beyond it and nearly as large as its running size):
        then it is an offset too large for the proportional term to hold within the angle, and the
        integral learns from that mean. Motion turns the error about, so its mean stays small.
        """
        size = _norm(accel)
        if not 0.9 <= size <= 1.1:
            return  # accelerating (a step, a bump): the accelerometer is not gravity alone
        cross = _cross(accel, self.ahrs.get_gravity().tolist())  # size * sin(angle), sensor axes
        error = (cross[0] / size, cross[1] / size, cross[2] / size)
        share = min(dt / PERSIST_S, 1.0)
        mean = self._error_mean
        self._error_mean = mean = (mean[0] + share * (error[0] - mean[0]), mean[1] + share * (error[1] - mean[1]),
                                   mean[2] + share * (error[2] - mean[2]))
        angle = _norm(error)
        self._error_size += share * (angle - self._error_size)
        if angle > _SIN_REJECTION:
            lasting = _norm(mean)
            if lasting <= _SIN_REJECTION or lasting < PERSIST_AGREE * self._error_size:
                return  # imufusion ignores the accelerometer now; so does the integral
            error = mean
        # deg/s of offset per unit of error, this sample; as much more as imufusion's gain is higher now (the
        # error it leaves is as much smaller)
        step = math.degrees(OFFSET_LEARN_PER_S2 * dt) * (1.0 if self._offset_trusted else UNJUDGED_GAIN / AHRS_GAIN)
        offset = self.offset_dps
        x, y, z = offset[0] - step * error[0], offset[1] - step * error[1], offset[2] - step * error[2]
        self.offset_dps = (x, y, z) if max(abs(x), abs(y), abs(z)) <= MAX_OFFSET_DPS else _clip_offset((x, y, z))


# Unit sanity: what a board in the wrong units looks like.
UNIT_WINDOW_S = 2.0  # seconds of samples judged at a time
UNIT_BLOCK_S = 0.1  # seconds: the accelerometer's direction and the gyroscope are averaged over blocks this long
ACCEL_MPS2_MEAN_G = 3.0  # a mean |acceleration| above this (in "g") is m/s^2: a board cannot average 3 g
UNIT_MIN_TURN_DEG = 5.0  # a window whose accelerometer turned less than this says nothing about the gyroscope
UNIT_MIN_PAIRS = 5  # steady block pairs a window needs before its ratio counts
GYRO_RATIO_RAD = 5.0  # accelerometer turning / gyroscope turning above this: rad/s (ratio ~57), not deg/s (~1)
UNIT_VOTES = 2  # windows in a row that must agree before the verdict on the gyroscope changes
UnitProblem = Literal["accel_mps2", "gyro_rad_s"]
UNIT_PROBLEMS: tuple[UnitProblem, ...] = ("accel_mps2", "gyro_rad_s")


class UnitCheck:
    """Tells when a raw board's readings are implausible for the declared units (g and deg/s).

    * Accelerations in m/s^2 sent as g: the mean |acceleration| over a window is ~9.8, not ~1.
    * A gyroscope in rad/s sent as deg/s: while the board moves, the accelerometer's direction
      turns ~57 times further than the gyroscope says (the body-frame gravity vector u turns as
      du/dt = -omega x u). Over each window, the least-squares ratio of the turn the accelerometer
      saw to the turn the gyroscope predicts is ~1 in deg/s (less with an offset or noise) and ~57
      in rad/s; only blocks near 1 g with a steady accelerometer count (a step or a bump turns the
      accelerometer without any rotation), and only windows where it turned ``UNIT_MIN_TURN_DEG``.
    """

    def __init__(self) -> None:
        self.problems: set[UnitProblem] = set()
        self.ratio: float | None = None  # the last moving window's turn ratio (accelerometer / gyroscope)
        self.reset()

    def reset(self) -> None:
        """Start judging afresh (a restarted board may have been fixed)."""
        self.problems.clear()
        self._votes = 0  # moving windows in a row that disagree with the current gyroscope verdict
        self._window_start: float | None = None
        self._accel_size_sum = 0.0
        self._n = 0
        self._block = [0.0] * 9  # accel sum x y z, accel^2 sum x y z, gyro sum x y z (plain floats: per sample)
        self._block_n = 0
        self._block_start = 0.0
        self._prev: tuple[np.ndarray, np.ndarray, float] | None = None  # direction, gyro mean, centre time
        self._first_dir: np.ndarray | None = None
        self._turned = 0.0
        self._sxy = 0.0
        self._syy = 0.0
        self._pairs = 0  # block pairs summed in the window

    def update(self, t_s: float, accel: Sequence[float], gyro: Sequence[float]) -> None:
        """Take one raw sample (accelerometer as sent, gyroscope as sent)."""
        if self._window_start is None or t_s < self._window_start:
            self._window_start, self._block_start = t_s, t_s
            self._block = [0.0] * 9
        self._accel_size_sum += _norm(accel)
        self._n += 1
        block = self._block
        for i in range(3):
            a = accel[i]
            block[i] += a
            block[3 + i] += a * a
            block[6 + i] += gyro[i]
        self._block_n += 1
        if t_s - self._block_start >= UNIT_BLOCK_S:
            self._close_block(t_s)
        if t_s - self._window_start >= UNIT_WINDOW_S:
            self._close_window(t_s)

    def _close_block(self, t_s: float) -> None:
        n, sums = self._block_n, np.asarray(self._block)
        a_sum, a_sq, g_sum = sums[0:3], sums[3:6], sums[6:9]
        centre = (self._block_start + t_s) / 2
        self._block, self._block_n, self._block_start = [0.0] * 9, 0, t_s
        mean_size = self._accel_size_sum / max(self._n, 1)  # the window's 1 g, whatever the unit
        a_mean = a_sum / n
        size = _norm(a_mean)
        spread = float(np.max(a_sq / n - a_mean * a_mean))
        steady = size > 0 and abs(size / mean_size - 1.0) <= 0.1 and spread <= (0.05 * mean_size) ** 2
        if not steady:
            self._prev = None  # a step or a bump: the accelerometer is not gravity alone
            return
        direction, gyro_rad = a_mean / size, np.radians(g_sum / n)
        if self._first_dir is None:
            self._first_dir = direction
        cos = float(direction @ self._first_dir)
        self._turned = max(self._turned, math.degrees(math.acos(max(-1.0, min(1.0, cos)))))
        if self._prev is not None:
            prev_dir, prev_gyro, prev_centre = self._prev
            middle = direction + prev_dir
            middle /= _norm(middle)
            seen = direction - prev_dir
            predicted = -np.cross((gyro_rad + prev_gyro) / 2, middle) * (centre - prev_centre)
            self._sxy += float(seen @ predicted)
            self._syy += float(predicted @ predicted)
            self._pairs += 1
        self._prev = (direction, gyro_rad, centre)

    def _close_window(self, t_s: float) -> None:
        mean_size = self._accel_size_sum / max(self._n, 1)
        if mean_size > ACCEL_MPS2_MEAN_G:
            self.problems.add("accel_mps2")
        elif 0.5 <= mean_size <= 2.0:
            self.problems.discard("accel_mps2")
        if self._turned >= UNIT_MIN_TURN_DEG and self._pairs >= UNIT_MIN_PAIRS:
            self.ratio = self._sxy / self._syy if self._syy > 0 else math.inf
            rad = self.ratio > GYRO_RATIO_RAD
            if rad != ("gyro_rad_s" in self.problems):
                self._votes += 1
                if self._votes >= UNIT_VOTES:
                    (self.problems.add if rad else self.problems.discard)("gyro_rad_s")
                    self._votes = 0
            else:
                self._votes = 0
        self._window_start, self._accel_size_sum, self._n = t_s, 0.0, 0
        self._first_dir, self._turned, self._sxy, self._syy, self._pairs = None, 0.0, 0.0, 0.0, 0


class ImuLineSource(ThreadedSource):
    """Base of the serial and UDP IMU sources: lines in, fused (roll, pitch) readings out.

    Raw samples in implausible units are told on screen (``status``) and counted per problem in
    ``unit_flagged``: accelerations in m/s^2 are still fused (imufusion uses their direction, and
    they are divided by 9.81 for the offset estimation), with a notice that does not pause the
    game; a gyroscope in rad/s would make every tilt wrong, so its samples are dropped (counted as
    ``out_of_range``) and the game pauses with the fix, until the board sends deg/s.
    """

    device_kind = "imu"
    raw_unit = "deg"

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.tilt = TiltEstimator()
        self.units = UnitCheck()
        self.unit_flagged: dict[UnitProblem, int] = dict.fromkeys(UNIT_PROBLEMS, 0)  # samples sent while flagged

    def handle_line(self, line: bytes | str) -> None:
        """Parse, check order, fuse, queue (or count the drop); never raises for bad input."""
        try:
            sample = parse_line(line)
        except ImuParseError as exc:
            self._drop(exc.reason)
            return
        self.handle_sample(sample)

    def handle_sample(self, sample: ImuSample | TiltSample | None) -> None:
        """Queue one parsed sample if its time moves forward."""
        if sample is None or not self._admit(sample.t_s):
            return
        if isinstance(sample, TiltSample):
            self._push(Reading(sample.t_s, sample.roll_deg, sample.pitch_deg))
            return
        problems = self.units.problems
        fused = sample
        if "accel_mps2" in problems:
            fused = ImuSample(sample.t_s, tuple(a / STANDARD_GRAVITY_MPS2 for a in sample.accel_g),  # type: ignore[arg-type]
                              sample.gyro_dps, sample.mag)
        restarts = self.tilt.restarts
        roll, pitch = self.tilt.update(fused)
        if self.tilt.restarts != restarts:
            self.units.reset()  # after an outage or a restart the board may send other units (a new sketch)
        # Judged without the offset measured at rest (in whatever unit the gyroscope sends, a large one would
        # hide a rad/s gyroscope), but not the one learnt while moving: that is learnt from the gyroscope's
        # own rotations, which a gyroscope in rad/s gets wrong, and could make rad/s look right.
        offset = self.tilt.still_offset_dps
        gyro = sample.gyro_dps
        self.units.update(sample.t_s, sample.accel_g, (gyro[0] - offset[0], gyro[1] - offset[1], gyro[2] - offset[2]))
        for problem in problems:
            self.unit_flagged[problem] += 1
        if "gyro_rad_s" in problems:
            self._drop("out_of_range")  # implausible for deg/s: not a tilt the game may use or keep
            return
        self._push(Reading(sample.t_s, roll, pitch))

    def status(self) -> DeviceStatus:
        """As for any device, and what to fix when the board's units are implausible."""
        base = super().status()
        problems = self.units.problems
        if not base.ready or not problems:
            return base
        if "gyro_rad_s" in problems:
            return DeviceStatus(False, f"{self.label} sends its gyroscope in rad/s, not deg/s: multiply it by 57.3 "
                                       "in the board's sketch (or send deg/s), then restart the board", "error")
        return DeviceStatus(True, f"{self.label} sends accelerations in m/s\u00b2, not g: Proprio divides them by "
                                  "9.81 for now; divide by 9.81 in the board's sketch")


def split_lines(buffer: bytearray, chunk: bytes, on_line: Callable[[bytes], None],
                on_garbage: Callable[[], None]) -> None:
    """Append a chunk to ``buffer`` and hand out each complete line; an endless line is garbage."""
    buffer.extend(chunk)
    while True:
        end = buffer.find(b"\n")
        if end < 0:
            break
        on_line(bytes(buffer[:end]))
        del buffer[:end + 1]
    if len(buffer) > MAX_LINE_CHARS:
        buffer.clear()
        on_garbage()
