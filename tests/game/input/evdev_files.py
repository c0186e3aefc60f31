"""Real Linux ``struct input_event`` bytes, read back through ``inputs``' own device classes.

A FIFO stands in for /dev/input/eventN: the test writes packed events into it and the
``inputs`` device class reads and unpacks them exactly as it does from the kernel. Only two
things differ from a real node, and the subclasses below supply them: the device's name
(``inputs`` reads it from sysfs) and what happens when the device goes away (the kernel
answers a read with ENODEV; a FIFO whose writer closed answers with end-of-file, on which
``inputs`` would spin, so end-of-file is turned into the kernel's ENODEV).
"""

from __future__ import annotations

import errno
import os
import struct
from pathlib import Path

import inputs

EV_SYN, EV_KEY, EV_ABS = 0x00, 0x01, 0x03
SYN_REPORT = 0
EVENT = struct.Struct(inputs.EVENT_FORMAT)  # long tv_sec, long tv_usec, u16 type, u16 code, s32 value


def event(t_s: float, ev_type: int, code: int, value: int) -> bytes:
    """One packed input_event."""
    sec = int(t_s)
    return EVENT.pack(sec, int(round((t_s - sec) * 1e6)), ev_type, code, value)


def frame(t_s: float, axes: dict[int, int]) -> bytes:
    """Absolute axis events followed by SYN_REPORT, as the kernel sends one report."""
    return b"".join(event(t_s, EV_ABS, code, value) for code, value in axes.items()) + event(t_s, EV_SYN, SYN_REPORT, 0)


class _KernelLike:
    def _set_name(self):
        self.name = "Test device"

    def _get_data(self, read_size):
        data = super()._get_data(read_size)
        if not data:
            raise OSError(errno.ENODEV, "No such device")
        return data


class FifoGamePad(_KernelLike, inputs.GamePad):
    """``inputs.GamePad`` reading a FIFO."""


class FifoOtherDevice(_KernelLike, inputs.OtherDevice):
    """``inputs.OtherDevice`` (what a balance board is to ``inputs``) reading a FIFO."""


class FakeNode:
    """A FIFO standing in for an event node; ``write`` events, ``unplug`` closes it."""

    def __init__(self, folder: Path, name: str = "event") -> None:
        self.path = folder / name
        os.mkfifo(self.path)
        self._fd: int | None = os.open(self.path, os.O_RDWR)  # a writer, so the reader's open does not block

    def write(self, data: bytes) -> None:
        os.write(self._fd, data)

    def unplug(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def gamepad(self) -> FifoGamePad:
        return FifoGamePad(inputs.devices, "/dev/input/by-id/usb-Test_Pad-event-joystick",
                           char_path_override=str(self.path))

    def board(self) -> FifoOtherDevice:
        return FifoOtherDevice(inputs.devices,
                               "/dev/input/by-id/bluetooth-Nintendo_Wii_Remote_Balance_Board-event-joystick",
                               char_path_override=str(self.path))


def key(t_s: float, code: int, value: int) -> bytes:
    """A button press (1) or release (0) followed by SYN_REPORT."""
    return event(t_s, EV_KEY, code, value) + event(t_s, EV_SYN, SYN_REPORT, 0)


def bitmask(codes) -> str:
    """A sysfs capability mask as the kernel writes it: hex words of a long, most significant first."""
    bits = struct.calcsize("l") * 8
    words: dict[int, int] = {}
    for code in codes:
        words[code // bits] = words.get(code // bits, 0) | (1 << (code % bits))
    top = max(words, default=0)
    return " ".join(f"{words.get(i, 0):x}" for i in range(top, -1, -1))


class FakeInputTree:
    """A fake ``/sys/class/input`` + ``/dev/input`` under ``root``: each device a sysfs folder and a FIFO node."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._fds: list[int] = []

    def add(self, number: int, name: str, ids: tuple[int, int, int, int], keys, axes) -> Path:
        """Describe ``eventN`` (name, bus/vendor/product/version, capabilities) and make its node; returns the node."""
        device = self.root / "sys" / "class" / "input" / f"event{number}" / "device"
        (device / "id").mkdir(parents=True)
        (device / "capabilities").mkdir()
        (device / "name").write_text(name + "\n")
        for field, value in zip(("bustype", "vendor", "product", "version"), ids, strict=True):
            (device / "id" / field).write_text(f"{value:04x}\n")
        (device / "capabilities" / "key").write_text(bitmask(keys) + "\n")
        (device / "capabilities" / "abs").write_text(bitmask(axes) + "\n")
        node = self.root / "dev" / "input" / f"event{number}"
        node.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(node)
        self._fds.append(os.open(node, os.O_RDWR))  # a writer, so opening it to read does not block
        return node

    def write(self, node: Path, data: bytes) -> None:
        """Events from the device, as the kernel would queue them on the node."""
        fd = os.open(node, os.O_WRONLY)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)

    def close(self) -> None:
        for fd in self._fds:
            os.close(fd)
        self._fds = []
