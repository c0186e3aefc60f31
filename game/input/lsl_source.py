"""A Lab Streaming Layer stream as input: subscribe by name, the research-lab standard for sensors.

What the stream's channels mean is read from its channel metadata, laid out as the XDF meta-data
recommendations say (``desc/channels/channel`` with ``label``, ``unit`` and ``type``):

* ``roll`` and ``pitch`` (or XDF types ``OrientationR``/``OrientationP``): a fused tilt, in an
  angle unit (``deg``, ``degrees``, ``°``, ``rad``...), read in degrees;
* ``cop_ml`` and ``cop_ap``: a force plate's centre of pressure, in a length unit (``mm``,
  ``cm``, ``m``...), read in mm;
* ``ax ay az gx gy gz`` [``mx my mz``]: raw IMU data (``g`` or ``m/s^2``; ``deg/s`` or
  ``rad/s``; any magnetic unit), fused here with imufusion like the serial and UDP boards;
* otherwise the first two channels, if both declare an angle or both a length.

Each channel the game uses must declare its unit, in its ``unit`` field or as a suffix of its
label (``roll_deg``, ``cop_ml_mm``: the project's units-in-names). A stream with no unit, an
unknown one, or only forces and moments (``N``, ``N·m``: not a position) is refused, with a
message that says how to declare units.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from game.errors import DeviceError
from game.input.device import DeviceStatus
from game.input.imu import ImuParseError, TiltEstimator, TiltSample, sample_from_values
from game.input.pose import Reading
from game.input.threaded import ThreadedSource

RESOLVE_TIMEOUT_S = 3.0
LSL_INFO_TIMEOUT_S = 1.0  # how long `proprio devices` waits for one stream's full description (seconds)
# How long one blocking pull_sample waits for the next sample when nothing was buffered (pylsl's
# timeout, in seconds: it returns as soon as a sample arrives, or (None, None) after this long). It
# only bounds how quickly the reader notices close(); it adds no delay to a sample.
PULL_WAIT_S = 0.05
CHUNK_MAX_SAMPLES = 1024  # the most samples one non-blocking pull_chunk takes (1 s at 1 kHz)
INLET_BUFFER_S = 2  # pylsl max_buflen: seconds of data liblsl keeps for a regular-rate stream (x100 samples if not)
_CONFIG_FILES = ("lsl_api.cfg", "~/lsl_api/lsl_api.cfg", "/etc/lsl_api/lsl_api.cfg")
# "pair": two channels are the reading as they are; "imu": raw accelerometer + gyroscope channels, fused here.
LslMode = Literal["pair", "imu"]
Quantity = Literal["angle", "length", "acceleration", "angular_rate", "magnetic", "force", "moment"]

G_M_S2 = 9.80665  # standard gravity: m/s^2 per g
_RAD = 180.0 / math.pi
_UNITS: dict[Quantity, dict[str, float]] = {  # spelling (normalized by _unit_key) -> factor to the game's unit
    "angle": {**dict.fromkeys(("deg", "degs", "degree", "degrees", "°", "arcdeg"), 1.0),
              **dict.fromkeys(("rad", "rads", "radian", "radians"), _RAD)},  # -> degrees
    "length": {**dict.fromkeys(("mm", "millimeter", "millimeters", "millimetre", "millimetres"), 1.0),
               **dict.fromkeys(("cm", "centimeter", "centimeters", "centimetre", "centimetres"), 10.0),
               **dict.fromkeys(("m", "meter", "meters", "metre", "metres"), 1000.0),
               **dict.fromkeys(("in", "inch", "inches"), 25.4)},  # -> mm
    "acceleration": {**dict.fromkeys(("g", "g0", "gn"), 1.0), "mg": 0.001,
                     **dict.fromkeys(("m/s^2", "m/s2", "m/s/s", "m*s^-2", "m s^-2", "m·s^-2", "m.s^-2", "ms^-2",
                                      "m/sec^2", "meters per second squared", "metres per second squared"),
                                     1.0 / G_M_S2)},  # -> g
    "angular_rate": {**dict.fromkeys(("deg/s", "dps", "°/s", "degree/s", "degrees/s", "deg/sec", "deg s^-1",
                                      "deg·s^-1", "degrees per second"), 1.0),
                     **dict.fromkeys(("rad/s", "rads/s", "rad/sec", "radian/s", "radians/s", "rad s^-1", "rad·s^-1",
                                      "radians per second"), _RAD)},  # -> deg/s
    "magnetic": {**dict.fromkeys(("ut", "microtesla", "microteslas"), 1.0), "nt": 0.001, "mt": 1000.0,
                 **dict.fromkeys(("t", "tesla"), 1e6), **dict.fromkeys(("g", "gauss"), 100.0),
                 **dict.fromkeys(("mg", "mgauss", "milligauss"), 0.1),
                 **dict.fromkeys(("a.u.", "au", "normalized", "normalised"), 1.0)},  # -> uT (only its direction counts)
    "force": dict.fromkeys(("n", "newton", "newtons", "kn", "kilonewton", "kilonewtons", "lbf", "kgf"), 1.0),
    "moment": dict.fromkeys(("nm", "n·m", "n*m", "n.m", "n m", "n-m", "nmm", "n·mm", "n*mm", "newton metre",
                             "newton metres", "newton meter", "newton meters", "newton-metre", "newton-meter"), 1.0),
}
_NEEDS: dict[Quantity, str] = {"angle": "an angle unit such as degrees", "length": "a length unit such as mm",
                               "acceleration": "g or m/s^2", "angular_rate": "deg/s or rad/s",
                               "magnetic": "a magnetic unit such as uT", "force": "N", "moment": "N·m"}

# Roles, from a channel's label without its unit suffix (lower case, spaces and dashes as "_").
_AXES = "xyz"
_ROLES: dict[str, tuple[str, Quantity]] = {
    "roll": ("roll", "angle"), "pitch": ("pitch", "angle"),
    **dict.fromkeys(("cop_ml", "copml"), ("cop_ml", "length")),
    **dict.fromkeys(("cop_ap", "copap"), ("cop_ap", "length")),
    **{f"{prefix}{axis}": (f"a{axis}", "acceleration") for axis in _AXES
       for prefix in ("a", "acc_", "acc", "accel_", "accel")},
    **{f"{prefix}{axis}": (f"g{axis}", "angular_rate") for axis in _AXES
       for prefix in ("g", "gyr_", "gyr", "gyro_", "gyro")},
    **{f"{prefix}{axis}": (f"m{axis}", "magnetic") for axis in _AXES for prefix in ("m", "mag_", "mag")},
}
_XDF_TYPES = {"orientationr": "roll", "orientationp": "pitch"}  # XDF MoCap Euler angles (roll, pitch)
_IMU_ROLES = ("ax", "ay", "az", "gx", "gy", "gz")
_MAG_ROLES = ("mx", "my", "mz")

UNITS_REMEDY = (
    "Declare each channel's unit in the stream's metadata, desc/channels/channel/unit, e.g. "
    "<channels><channel><label>roll</label><unit>degrees</unit></channel>"
    "<channel><label>pitch</label><unit>degrees</unit></channel></channels> "
    "(pylsl: ch = info.desc().append_child('channels').append_child('channel'); "
    "ch.append_child_value('label', 'roll'); ch.append_child_value('unit', 'degrees')). "
    "The game reads roll, pitch in deg, degrees, ° or rad; cop_ml, cop_ap in mm, cm or m; "
    "ax ay az in g or m/s^2 with gx gy gz in deg/s or rad/s. docs/devices.md lists every spelling."
)


UNITS_HINT = ("Declare each channel's unit in desc/channels/channel/unit, e.g. "
              "<channel><label>roll</label><unit>degrees</unit></channel> (docs/devices.md, Lab Streaming Layer).")


class LslUnitsError(DeviceError):
    """An LSL stream whose channels do not say, in a unit the game knows, what position they are."""

    def __init__(self, message: str, advice: str = "") -> None:
        super().__init__(message, remedy=f"{advice}{UNITS_REMEDY}")
        self.hint = f"{advice}{UNITS_HINT}"  # the same remedy in one short line, for `proprio devices`


def quiet_lsl(pylsl: Any) -> None:
    """Keep liblsl's INFO lines off the terminal, unless the user has an LSL configuration of their own."""
    if os.environ.get("LSLAPICFG") or any(os.path.exists(os.path.expanduser(p)) for p in _CONFIG_FILES):
        return
    try:
        pylsl.set_config_content("[log]\nlevel = -2\n")
    except Exception:
        pass


@dataclass(frozen=True, slots=True)
class LslChannel:
    """One channel's metadata as the stream declares it ("" where it says nothing)."""

    label: str
    unit: str = ""
    kind: str = ""  # the XDF channel <type>, e.g. "OrientationR"

    def shown(self) -> str:
        """The channel for a person: its label and declared unit."""
        return f"{self.label or '?'} [{self.unit or 'no unit'}]"


@dataclass(frozen=True, slots=True)
class LslPlan:
    """What the game reads from a stream: which channels, and the factor that puts each in the game's unit."""

    mode: LslMode
    channels: tuple[int, ...]
    scales: tuple[float, ...]  # picked value x scale = the value in raw_unit (or g, deg/s, uT for raw IMU)
    raw_unit: str  # "deg" or "mm": the unit of the readings
    summary: str  # for a person, e.g. "roll [degrees], pitch [degrees] -> tilt in deg"


def read_channels(info: Any) -> list[LslChannel]:
    """Each channel's label, unit and type from a full pylsl StreamInfo (``inlet.info()``)."""
    out: list[LslChannel] = []
    channel = info.desc().child("channels").child("channel")
    while not channel.empty() and len(out) < info.channel_count():
        out.append(LslChannel(channel.child_value("label").strip(), channel.child_value("unit").strip(),
                              channel.child_value("type").strip()))
        channel = channel.next_sibling("channel")
    return out + [LslChannel("")] * (info.channel_count() - len(out))


def _unit_key(text: str) -> str:
    """A unit spelling reduced for lookup: lower case, one space, micro as u, superscript 2 as ^2."""
    key = " ".join(text.strip().lower().split())
    return key.replace("µ", "u").replace("μ", "u").replace("²", "^2").replace("⁻", "^-").replace("¹", "1")


def unit_factor(unit: str, quantity: Quantity) -> float | None:
    """The factor that turns ``unit`` into the game's unit of ``quantity``; None if it is not such a unit."""
    return _UNITS[quantity].get(_unit_key(unit))


def quantity_of(unit: str) -> Quantity | None:
    """What a unit measures (the first match; "g" is an acceleration unless the channel is a magnetometer)."""
    key = _unit_key(unit)
    return next((q for q, table in _UNITS.items() if key in table), None)


def _role(channel: LslChannel) -> tuple[str, Quantity, str] | None:
    """(role, quantity, unit suffix of the label or "") of a channel the game knows, else None."""
    kind = _XDF_TYPES.get(channel.kind.strip().lower())
    name = re.sub(r"[\s\-.]+", "_", channel.label.strip().lower())
    base, _, suffix = name.rpartition("_")
    if base and base in _ROLES and quantity_of(suffix) is not None:
        role, quantity = _ROLES[base]
        return role, quantity, suffix
    if name in _ROLES:
        role, quantity = _ROLES[name]
        return role, quantity, ""
    if kind is not None:
        return kind, "angle", ""
    return None


class _Units:
    """Collects what is wrong with the channels a layout needs, to say it all at once."""

    def __init__(self, stream: str) -> None:
        self.stream = stream
        self.problems: list[str] = []

    def factor(self, channel: LslChannel, quantity: Quantity, suffix: str) -> float:
        """The channel's factor to the game's unit; a problem noted (and 1.0) when it has none."""
        declared = [u for u in (channel.unit, suffix) if u]
        if not declared:
            self.problems.append(f"{channel.label} declares no unit")
            return 1.0
        factors = [unit_factor(u, quantity) for u in declared]
        bad = [u for u, f in zip(declared, factors, strict=True) if f is None]
        if bad:
            other = quantity_of(bad[0])
            what = f"a {other.replace('_', ' ')} unit" if other else "a unit the game does not know"
            self.problems.append(f"{channel.label} is in '{bad[0]}' ({what}; it needs {_NEEDS[quantity]})")
            return 1.0
        if len(factors) == 2 and not math.isclose(factors[0] or 0.0, factors[1] or 0.0):
            self.problems.append(f"{channel.label}: its label says '{suffix}' but its unit says '{channel.unit}'")
        return float(factors[0] or 1.0)

    def check(self) -> None:
        """Refuse the stream if any needed channel had a problem."""
        if self.problems:
            raise LslUnitsError(f"the LSL stream{self.stream} cannot be used: " + "; ".join(self.problems))


def plan_stream(channels: Sequence[LslChannel], stream: str = "") -> LslPlan:
    """Which channels the game reads and how to scale them, from the stream's channel metadata.

    Raises LslUnitsError (with how to declare units) when the channels' units are missing, unknown,
    or not a tilt or a centre of pressure.
    """
    named = f" '{stream}'" if stream else ""
    if len(channels) < 2:
        raise LslUnitsError(f"the LSL stream{named} has fewer than two channels",
                            "Send roll and pitch (degrees), cop_ml and cop_ap (mm), or ax..gz (6 or 9 channels), "
                            "each with its unit. ")
    roles: dict[str, tuple[int, Quantity, str]] = {}
    for i, channel in enumerate(channels):
        found = _role(channel)
        if found is not None and found[0] not in roles:
            roles[found[0]] = (i, found[1], found[2])

    def layout(names: Sequence[str], mode: LslMode, raw_unit: str, what: str) -> LslPlan:
        units = _Units(named)
        indices = tuple(roles[n][0] for n in names)
        scales = tuple(units.factor(channels[roles[n][0]], roles[n][1], roles[n][2]) for n in names)
        units.check()
        shown = ", ".join(channels[i].shown() for i in indices)
        return LslPlan(mode, indices, scales, raw_unit, f"{shown} -> {what}")

    if "roll" in roles and "pitch" in roles:
        return layout(("roll", "pitch"), "pair", "deg", "tilt in deg")
    if "cop_ml" in roles and "cop_ap" in roles:
        return layout(("cop_ml", "cop_ap"), "pair", "mm", "centre of pressure in mm")
    if all(r in roles for r in _IMU_ROLES):
        mag = _MAG_ROLES if all(r in roles for r in _MAG_ROLES) else ()
        return layout((*_IMU_ROLES, *mag), "imu", "deg", "tilt in deg, fused here")
    declared = [quantity_of(c.unit) for c in channels]
    if any(q in ("force", "moment") for q in declared):
        raise LslUnitsError(
            f"the LSL stream{named} sends forces or moments ({', '.join(c.shown() for c in channels[:6])}), "
            "not a position the game can steer with",
            "Send the centre of pressure the force plate computes, as channels cop_ml and cop_ap in mm "
            "(medio-lateral, right positive; antero-posterior, forward positive), beside the forces if you like. ")
    first, second = channels[0], channels[1]
    pairs: tuple[tuple[Quantity, str, str], ...] = (("angle", "deg", "tilt in deg"),
                                                     ("length", "mm", "centre of pressure in mm"))
    for quantity, raw_unit, what in pairs:
        fx, fy = unit_factor(first.unit, quantity), unit_factor(second.unit, quantity)
        if fx is not None and fy is not None:
            return LslPlan("pair", (0, 1), (fx, fy), raw_unit,
                           f"{first.shown()}, {second.shown()} -> {what} (the first two channels, as x and y)")
    raise LslUnitsError(
        f"the LSL stream{named} does not say which of its channels are a tilt or a centre of pressure, and in "
        f"which unit ({', '.join(c.shown() for c in channels[:6])}{', ...' if len(channels) > 6 else ''})",
        "Label the channels roll and pitch, or cop_ml and cop_ap, or ax..gz. ")


class LslSource(ThreadedSource):
    """Pulls every available sample from a named LSL stream in a thread; a silent stream pauses the game."""

    check_hint = "check that the program sending the stream is running"

    device_kind = "lsl"

    def __init__(self, stream: str, *, resolve_timeout_s: float = RESOLVE_TIMEOUT_S, **kwargs: Any) -> None:
        try:
            import pylsl
        except (ImportError, RuntimeError) as exc:  # pylsl raises RuntimeError when liblsl is missing
            raise DeviceError(f"Lab Streaming Layer is not available ({exc})",
                              remedy="pip install pylsl (it ships liblsl for Linux, macOS and Windows).") from None
        quiet_lsl(pylsl)
        found = pylsl.resolve_byprop("name", stream, 1, resolve_timeout_s)
        if not found:
            raise DeviceError(f"no LSL stream named '{stream}' found within {resolve_timeout_s:g} s",
                              remedy="Start the program that sends it; `proprio devices` lists the streams seen "
                                     "(sender and game must share a network that allows multicast).")
        if found[0].channel_format() == pylsl.cf_string:
            raise DeviceError(f"the LSL stream '{stream}' sends text, not numbers",
                              remedy="Send a numeric stream (float32 or double64 channels).")
        inlet = pylsl.StreamInlet(found[0], max_buflen=INLET_BUFFER_S, recover=True)
        try:
            full = inlet.info(timeout=resolve_timeout_s)  # seconds; the full info carries desc/channels
        except Exception as exc:  # pylsl's TimeoutError / LostError
            raise DeviceError(f"the LSL stream '{stream}' did not answer ({exc})",
                              remedy="Check that the sender is still running.") from None
        try:
            self.plan = plan_stream(read_channels(full), stream)
        except LslUnitsError:
            inlet.close_stream()
            raise
        self.mode, self.channels, self.raw_unit = self.plan.mode, self.plan.channels, self.plan.raw_unit
        self._scales = self.plan.scales
        self.irregular = full.nominal_srate() == pylsl.IRREGULAR_RATE
        super().__init__(f"the LSL stream '{stream}'", **kwargs)
        self.name = f"lsl:{stream}"
        self.device_id = f"lsl:{stream}:{full.source_id() or full.hostname()}"
        self.tilt = TiltEstimator(full.nominal_srate() or 100.0) if self.mode == "imu" else None
        self._inlet = inlet
        self._set_connected(True)
        self.start()

    def _run(self) -> None:
        """Take every buffered sample at once; when none is waiting, block until the next one arrives."""
        inlet = self._inlet
        while not self._stop.is_set():
            try:
                # timeout=0.0 s: only the samples already buffered, without waiting (at most max_samples).
                chunk, stamps = inlet.pull_chunk(timeout=0.0, max_samples=CHUNK_MAX_SAMPLES)
                if not stamps:
                    # timeout in seconds: returns the moment a sample arrives, or (None, None) after PULL_WAIT_S.
                    values, t_s = inlet.pull_sample(timeout=PULL_WAIT_S)
                    if t_s is None:
                        continue
                    chunk, stamps = [values], [t_s]
            except Exception as exc:  # LostError once recovery gave up
                if self._stop.is_set():
                    return
                self._set_connected(False, f"{self.label} was lost ({exc})", "disconnected")
                self._stop.wait(1.0)
                continue
            for values, t_s in zip(chunk, stamps, strict=False):
                self.handle_values(float(t_s), values)

    def handle_values(self, t_s: float, values: Any) -> None:
        """One LSL sample: checked, put in the game's units, fused if raw IMU, queued (or counted as dropped)."""
        try:
            picked = [float(values[i]) * scale for i, scale in zip(self.channels, self._scales, strict=True)]
        except (TypeError, ValueError, IndexError):
            self._drop("malformed")
            return
        if not all(math.isfinite(v) for v in picked):
            self._drop("nonfinite")
            return
        if self.tilt is not None:  # raw IMU channels: fuse them
            try:
                sample = sample_from_values([max(t_s, 0.0), *picked])
            except ImuParseError as exc:
                self._drop(exc.reason)
                return
            if self._admit(t_s):
                roll, pitch = (sample.roll_deg, sample.pitch_deg) if isinstance(sample, TiltSample) else (
                    self.tilt.update(sample))
                self._push(Reading(t_s, roll, pitch))
            return
        if self._admit(t_s):
            self._push(Reading(t_s, picked[0], picked[1]))

    def status(self) -> DeviceStatus:
        """An irregular-rate stream may be quiet for a while; a regular one pauses the game when silent."""
        if self.irregular and self._problem is None:
            return DeviceStatus(True)
        return super().status()

    def _release(self) -> None:
        pass  # the reader closes the inlet when it stops

    def close(self) -> None:
        """Stop the reader, then close the inlet (pylsl is not safe to close under a pending pull)."""
        super().close()
        try:
            self._inlet.close_stream()
        except Exception:
            pass
