"""A Lab Streaming Layer stream as input: subscribe by name, the research-lab standard for sensors.

What the stream's channels mean is read from its channel labels (the LSL metadata
``desc/channels/channel/label``):

* ``roll_deg`` and ``pitch_deg``: a fused tilt, degrees;
* ``cop_ml_mm`` and ``cop_ap_mm``: a force plate's centre of pressure, mm;
* otherwise 6 or 9 channels: ``ax ay az`` (g), ``gx gy gz`` (deg/s) [, ``mx my mz``], fused
  here with imufusion like the serial and UDP boards;
* otherwise the first two channels, in the unit the stream declares for them.
"""

from __future__ import annotations

import math
import os
from typing import Any, Literal

from game.errors import DeviceError
from game.input.device import DeviceStatus
from game.input.imu import ImuParseError, TiltEstimator, TiltSample, sample_from_values
from game.input.threaded import Reading, ThreadedSource

RESOLVE_TIMEOUT_S = 3.0
PULL_TIMEOUT_S = 0.2
_CONFIG_FILES = ("lsl_api.cfg", "~/lsl_api/lsl_api.cfg", "/etc/lsl_api/lsl_api.cfg")
# "pair": two channels are the reading as they are; "imu": raw accelerometer + gyroscope channels, fused here.
LslMode = Literal["pair", "imu"]


def quiet_lsl(pylsl: Any) -> None:
    """Keep liblsl's INFO lines off the terminal, unless the user has an LSL configuration of their own."""
    if os.environ.get("LSLAPICFG") or any(os.path.exists(os.path.expanduser(p)) for p in _CONFIG_FILES):
        return
    try:
        pylsl.set_config_content("[log]\nlevel = -2\n")
    except Exception:
        pass


def _channels(info: Any) -> list[tuple[str, str]]:
    """(label, unit) of each channel, lower-case; empty strings where the stream says nothing."""
    out: list[tuple[str, str]] = []
    channel = info.desc().child("channels").child("channel")
    while not channel.empty() and len(out) < info.channel_count():
        out.append((channel.child_value("label").strip().lower(), channel.child_value("unit").strip().lower()))
        channel = channel.next_sibling("channel")
    return out + [("", "")] * (info.channel_count() - len(out))


def _layout(channels: list[tuple[str, str]]) -> tuple[LslMode, tuple[int, ...], str]:
    """(mode, channel indices, raw unit) for a stream's channels."""
    labels = [label for label, _ in channels]
    for pair, unit in ((("roll_deg", "pitch_deg"), "deg"), (("cop_ml_mm", "cop_ap_mm"), "mm")):
        if all(name in labels for name in pair):
            return "pair", tuple(labels.index(name) for name in pair), unit
    if len(channels) in (6, 9):
        return "imu", tuple(range(len(channels))), "deg"
    if len(channels) >= 2:
        unit = channels[0][1] if channels[0][1] in ("deg", "mm") else (channels[0][1] or "lsl")
        return "pair", (0, 1), unit
    raise DeviceError("the LSL stream has fewer than two channels",
                      remedy="Send roll_deg and pitch_deg, cop_ml_mm and cop_ap_mm, or ax..gz (6 or 9 channels).")


class LslSource(ThreadedSource):
    """Pulls chunks from a named LSL stream in a thread; a silent stream pauses the game."""

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
        inlet = pylsl.StreamInlet(found[0], max_buflen=2, recover=True)
        try:
            full = inlet.info(timeout=resolve_timeout_s)
        except Exception as exc:  # pylsl's TimeoutError / LostError
            raise DeviceError(f"the LSL stream '{stream}' did not answer ({exc})",
                              remedy="Check that the sender is still running.") from None
        self.mode, self.channels, self.raw_unit = _layout(_channels(full))
        self.irregular = full.nominal_srate() == pylsl.IRREGULAR_RATE
        super().__init__(f"the LSL stream '{stream}'", **kwargs)
        self.name = f"lsl:{stream}"
        self.device_id = f"lsl:{stream}:{full.source_id() or full.hostname()}"
        self.tilt = TiltEstimator(full.nominal_srate() or 100.0) if self.mode == "imu" else None
        self._inlet = inlet
        self._set_connected(True)
        self.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                chunk, stamps = self._inlet.pull_chunk(timeout=PULL_TIMEOUT_S, max_samples=1024)
            except Exception as exc:  # LostError once recovery gave up
                if self._stop.is_set():
                    return
                self._set_connected(False, f"{self.label} was lost ({exc})", "disconnected")
                self._stop.wait(1.0)
                continue
            for values, t_s in zip(chunk, stamps, strict=False):
                self.handle_values(float(t_s), values)

    def handle_values(self, t_s: float, values: Any) -> None:
        """One LSL sample: checked, fused if raw IMU, queued (or counted as dropped)."""
        try:
            picked = [float(values[i]) for i in self.channels]
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
