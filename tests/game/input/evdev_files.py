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
