"""Evdev device figures (issue 11, defects 6 and 8): gamepad sticks, finding pads, the balance board's rate.

Run:  python benchmarks/bench_evdev.py

Real ``struct input_event`` bytes go through a FIFO read by the ``inputs`` library's own device
classes, as the tests do; a fake ``/sys`` + ``/dev`` tree in a temporary folder describes the
pads (name, bus/vendor/product/version, key and axis capabilities) as the kernel would.

1. Steering, per pad layout (Xbox 360-like, PlayStation-like, a generic USB pad whose right
   stick is ``ABS_Z``/``ABS_RZ``): ``x`` when the RIGHT stick is pushed fully right (the left
   stick at rest), and ``x`` when the LEFT stick is pushed fully right. Goal: 0 and 1.
2. Pads found: a USB pad with a ``/dev/input/by-id`` link and a Bluetooth pad with only its
   ``/dev/input/eventN`` node. Goal: both.
3. A balance board sending 59 frames a second for 3 s (device time; the arrival clock moves
   with it): readings the recorder gets, readings not at a frame's own time (interpolated or
   repeated), and ``stats().rate_hz``. Goal: 177 readings, none made up, 59 Hz.
"""

from __future__ import annotations

import errno
import glob as glob_module
import inspect
import os
import struct
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import inputs  # noqa: E402

from game.input import evdev as evdev_module  # noqa: E402
from game.input.balance_board import BalanceBoardSource  # noqa: E402
from game.input.gamepad import GamepadSource  # noqa: E402

EV_SYN, EV_KEY, EV_ABS = 0x00, 0x01, 0x03
EVENT = struct.Struct(inputs.EVENT_FORMAT)
ABS_X, ABS_Y, ABS_Z, ABS_RX, ABS_RY, ABS_RZ, HAT0X, HAT0Y = 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x11
XPAD_KEYS = [0x130, 0x131, 0x133, 0x134, 0x136, 0x137, 0x13A, 0x13B, 0x13C, 0x13D, 0x13E]
PS_KEYS = [0x130, 0x131, 0x133, 0x134, 0x136, 0x137, 0x138, 0x139, 0x13A, 0x13B, 0x13C, 0x13D, 0x13E]
GENERIC_KEYS = list(range(0x120, 0x12C))  # BTN_TRIGGER .. BTN_BASE6: a hid-generic pad's 12 buttons
LAYOUTS: dict[str, dict[str, Any]] = {
    # name, (bus, vendor, product, version), keys, axes, the right stick's axes and their centre
    "xbox-360": {"name": "Microsoft X-Box 360 pad", "id": (3, 0x045E, 0x028E, 0x0114), "keys": XPAD_KEYS,
                 "axes": [ABS_X, ABS_Y, ABS_Z, ABS_RX, ABS_RY, ABS_RZ, HAT0X, HAT0Y],
                 "left": (ABS_X, 32767, 0), "right": (ABS_RX, 32767, 0), "rest": {ABS_Z: 0, ABS_RZ: 0}},
    "playstation": {"name": "Sony Interactive Entertainment Wireless Controller", "id": (3, 0x054C, 0x09CC, 0x8111),
                    "keys": PS_KEYS, "axes": [ABS_X, ABS_Y, ABS_Z, ABS_RX, ABS_RY, ABS_RZ, HAT0X, HAT0Y],
                    "left": (ABS_X, 32767, 0), "right": (ABS_RX, 32767, 0), "rest": {ABS_Z: 0, ABS_RZ: 0}},
    "generic-z-rz": {"name": "Generic USB Joystick", "id": (3, 0x1234, 0x5678, 0x0111), "keys": GENERIC_KEYS,
                     "axes": [ABS_X, ABS_Y, ABS_Z, ABS_RZ, HAT0X, HAT0Y],
                     "left": (ABS_X, 32767, 0), "right": (ABS_Z, 255, 128), "rest": {ABS_Z: 128, ABS_RZ: 128}},
}


def packed(t_s: float, ev_type: int, code: int, value: int) -> bytes:
    sec = int(t_s)
    return EVENT.pack(sec, int(round((t_s - sec) * 1e6)), ev_type, code, value)


def report(t_s: float, axes: dict[int, int]) -> bytes:
    return b"".join(packed(t_s, EV_ABS, c, v) for c, v in axes.items()) + packed(t_s, EV_SYN, 0, 0)


def bitmask(codes: list[int]) -> str:
    """The kernel's sysfs capability text: hex words (64 bits) most significant first."""
    words: dict[int, int] = {}
    for code in codes:
        words[code // 64] = words.get(code // 64, 0) | (1 << (code % 64))
    top = max(words) if words else 0
    return " ".join(f"{words.get(i, 0):x}" for i in range(top, -1, -1))


def fake_node(root: Path, number: int, layout: dict[str, Any], bus: int | None = None) -> Path:
    """/sys/class/input/eventN/device/... and a FIFO at /dev/input/eventN, as the kernel lays them out."""
    device = root / "sys" / "class" / "input" / f"event{number}" / "device"
    (device / "id").mkdir(parents=True)
    (device / "capabilities").mkdir()
    (device / "name").write_text(layout["name"] + "\n")
    for field, value in zip(("bustype", "vendor", "product", "version"), layout["id"], strict=True):
        value = bus if field == "bustype" and bus is not None else value
        (device / "id" / field).write_text(f"{value:04x}\n")
    (device / "capabilities" / "key").write_text(bitmask(layout["keys"]) + "\n")
    (device / "capabilities" / "abs").write_text(bitmask(layout["axes"]) + "\n")
    (device / "capabilities" / "ev").write_text("1b\n")
    node = root / "dev" / "input" / f"event{number}"
    node.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(node)
    return node


class _KernelLike:
    """An ``inputs`` device on a FIFO: its name from the layout, end-of-file read as the kernel's ENODEV."""

    fake_name = "Test device"

    def _set_name(self) -> None:
        self.name = self.fake_name

    def _get_data(self, read_size: int) -> bytes:
        data = super()._get_data(read_size)  # type: ignore[misc]
        if not data:
            raise OSError(errno.ENODEV, "No such device")
        return data  # type: ignore[no-any-return]


class FifoGamePad(_KernelLike, inputs.GamePad):
    pass


class FifoOtherDevice(_KernelLike, inputs.OtherDevice):
    pass


def wait(condition: Any, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.002)
    return bool(condition())


def steering(root: Path) -> None:
    takes_root = "root" in inspect.signature(GamepadSource).parameters
    for number, (label, layout) in enumerate(LAYOUTS.items()):
        node = fake_node(root, number, layout)
        writer = os.open(node, os.O_RDWR)
        pad = FifoGamePad(inputs.devices, f"/dev/input/by-id/usb-Bench_{number}-event-joystick",
                          char_path_override=str(node))
        pad.name = layout["name"]
        source = GamepadSource(finder=lambda pad=pad: [pad], **({"root": root} if takes_root else {}))
        try:
            rest = {ABS_X: 0, ABS_Y: 0, **layout["rest"]}
            code, full, centre = layout["right"]
            os.write(writer, report(1.0, {**rest, code: full}))
            wait(lambda source=source: source.stats().accepted >= 1)
            right_x = source.poll(0.0).x
            os.write(writer, report(1.01, {**rest, code: centre}))
            left_code, left_full, _ = layout["left"]
            os.write(writer, report(1.02, {**rest, left_code: left_full}))
            wait(lambda source=source: source.stats().accepted >= 3)
            left_x = source.poll(0.0).x
            print(f"  {label:<13} right stick full right: x = {right_x:+.2f}   "
                  f"left stick full right: x = {left_x:+.2f}")
        finally:
            source.close()
            os.close(writer)


def finding(root: Path) -> None:
    usb = fake_node(root, 10, LAYOUTS["xbox-360"])
    fake_node(root, 11, LAYOUTS["playstation"], bus=5)  # Bluetooth: no by-id link (udev makes none)
    link = root / "dev" / "input" / "by-id" / "usb-Microsoft_X-Box_360_pad-event-joystick"
    link.parent.mkdir(parents=True)
    link.symlink_to(usb)
    writers = [os.open(p, os.O_RDWR) for p in (usb, root / "dev" / "input" / "event11")]
    try:
        if "root" in inspect.signature(evdev_module.find_gamepads).parameters:
            found = evdev_module.find_gamepads(root=root)  # type: ignore[call-arg]
        else:
            found = _legacy_find(root)
        names = sorted(getattr(pad, "name", "?") for pad in found)
        print(f"  pads found: {len(found)} of 2 (USB with a by-id link, Bluetooth with only its event node): {names}")
    finally:
        for fd in writers:
            os.close(fd)


def _legacy_find(root: Path) -> list[Any]:
    """The code before the fix scans ``/dev/input/by-id`` and ``by-path`` through inputs: redirected to the tree."""
    real_glob, real_open = glob_module.glob, open

    def rooted(pattern: str, *args: Any, **kwargs: Any) -> list[str]:
        if pattern.startswith(("/dev/", "/sys/")):
            return [p[len(str(root)):] for p in real_glob(str(root) + pattern, *args, **kwargs)]
        return real_glob(pattern, *args, **kwargs)

    real_realpath = os.path.realpath

    def realpath(path: Any, *args: Any, **kwargs: Any) -> str:
        if isinstance(path, str) and path.startswith("/dev/"):
            resolved = real_realpath(str(root) + path, *args, **kwargs)
            return resolved[len(str(root)):] if resolved.startswith(str(root)) else resolved
        return real_realpath(path, *args, **kwargs)

    def opener(path: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(path, str) and path.startswith("/sys/"):
            return real_open(str(root) + path, *args, **kwargs)
        return real_open(path, *args, **kwargs)

    inputs.glob.glob, inputs.os.path.realpath = rooted, realpath  # type: ignore[attr-defined]
    inputs.__builtins__["open"] = opener  # type: ignore[index]
    try:
        return list(evdev_module.find_gamepads())
    finally:
        inputs.glob.glob, inputs.os.path.realpath = real_glob, real_realpath  # type: ignore[attr-defined]
        inputs.__builtins__["open"] = real_open  # type: ignore[index]


class StepClock:
    """The arrival clock: moved by the bench one frame period after each frame is taken."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def board_rate(root: Path, rate_hz: float = 59.0, seconds: float = 3.0) -> None:
    node = root / "dev" / "input" / "event20"
    node.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(node)
    writer = os.open(node, os.O_RDWR)
    board = FifoOtherDevice(inputs.devices,
                            "/dev/input/by-id/bluetooth-Nintendo_Wii_Remote_Balance_Board-event-joystick",
                            char_path_override=str(node))
    clock = StepClock()
    source = BalanceBoardSource(finder=lambda: [board], clock=clock)
    frames = int(rate_hz * seconds)
    try:
        for i in range(frames):
            t = 50.0 + i / rate_hz
            lean = round(100 * (15.0 + 5.0 * (i % 7) / 7))  # a person swaying: a new load every frame
            os.write(writer, report(t, {0x10: lean, 0x11: lean, 0x12: 1500, 0x13: 1500}))
            # the reader took this frame (admitted at the clock's now) before the clock moves on
            wait(lambda t=t: source._last_t_s is not None and abs(source._last_t_s - t) < 1e-5)

            clock.now += 1.0 / rate_hz
        kept = source.readings()
        frame_times = {round(50.0 + i / rate_hz, 6) for i in range(frames)}
        made_up = sum(1 for r in kept if round(r.t_s, 6) not in frame_times)  # interpolated or repeated
        span = kept[-1].t_s - kept[0].t_s if len(kept) > 1 else 0.0
        per_s = (len(kept) - 1) / span if span > 0 else float("nan")
        rate = source.stats().rate_hz
        print(f"  {frames} frames at {rate_hz:g} Hz: {len(kept)} readings ({per_s:.1f}/s of device time), "
              f"{made_up} not at a frame's own time, stats().rate_hz = {rate if rate is None else round(rate, 1)}")
    finally:
        source.close()
        os.close(writer)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        print("1. steering (x right +1):")
        steering(Path(folder, "steer"))
        print("2. finding pads:")
        finding(Path(folder, "find"))
        print("3. balance board native rate:")
        board_rate(Path(folder, "board"))


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    run_reported(main)
