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
from typing import Any

import imufusion
import numpy as np

from game.input.device import DropReason
from game.input.threaded import Reading, ThreadedSource

ACCEL_MAX_G = 16.0  # the widest common accelerometer range
GYRO_MAX_DPS = 2000.0  # the widest common gyroscope range
MAG_MAX = 5000.0  # generous for uT or mG magnetometers
MAX_LINE_CHARS = 512  # a "line" longer than this is garbage (a sender without newlines)
NOMINAL_RATE_HZ = 100.0
RAW_KEYS = ("ax", "ay", "az", "gx", "gy", "gz")
MAG_KEYS = ("mx", "my", "mz")
TILT_KEYS = ("roll_deg", "pitch_deg")


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


class TiltEstimator:
    """Roll and pitch from accelerometer + gyroscope (+ magnetometer) with imufusion's AHRS."""

    def __init__(self, rate_hz: float = NOMINAL_RATE_HZ, gain: float = 0.5) -> None:
        self.rate_hz = rate_hz
        self.ahrs = imufusion.Ahrs()
        self.ahrs.set_settings(imufusion.AhrsSettings(
            sample_rate=rate_hz, convention=imufusion.CONVENTION_NWU, gain=gain,
            gyroscope_range=GYRO_MAX_DPS, acceleration_rejection=10.0, magnetic_rejection=10.0,
            rejection_timeout=int(5 * rate_hz),
        ))
        self._last_t: float | None = None

    def update(self, sample: ImuSample) -> tuple[float, float]:
        """Advance the filter by one sample; return (roll_deg, pitch_deg)."""
        dt = 1.0 / self.rate_hz if self._last_t is None else sample.t_s - self._last_t
        self._last_t = sample.t_s
        if not 1e-4 <= dt <= 0.1:  # a gap or a restarted clock: integrate one nominal period
            dt = 1.0 / self.rate_hz
        self.ahrs.set_sample_period(dt)
        gyro = np.array(sample.gyro_dps, dtype=float)
        accel = np.array(sample.accel_g, dtype=float)
        if sample.mag is None:
            self.ahrs.update_no_magnetometer(gyro, accel)
        else:
            self.ahrs.update(gyro, accel, np.array(sample.mag, dtype=float))
        roll, pitch, _ = imufusion.quaternion_to_euler(self.ahrs.get_quaternion())
        return float(roll), float(pitch)


class ImuLineSource(ThreadedSource):
    """Base of the serial and UDP IMU sources: lines in, fused (roll, pitch) readings out."""

    device_kind = "imu"
    raw_unit = "deg"

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.tilt = TiltEstimator()

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
        else:
            roll, pitch = self.tilt.update(sample)
            self._push(Reading(sample.t_s, roll, pitch))


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
