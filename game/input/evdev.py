"""Linux evdev devices through the ``inputs`` package: finding them, opening them, axis ranges.

``inputs`` parses the kernel's ``struct input_event`` for us; what it lacks is the range of
each absolute axis (``EVIOCGABS``), which this module asks the kernel for, and a way to
look a device up again after it was unplugged (a fresh ``DeviceManager`` scan).
"""

from __future__ import annotations

import glob
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.errors import DeviceError
from game.input.threaded import ThreadedSource

INPUT_GROUP_FIX = ("Add yourself to the input group: sudo usermod -aG input $USER, then log out and back in "
                   "(or install a udev rule that gives your user the device).")
_ABSINFO = struct.Struct("6i")  # value, minimum, maximum, fuzz, flat, resolution
RESCAN_S = 1.0  # how often to look for the device again while it is unplugged


def eviocgabs(code: int) -> int:
    """The ioctl request number of EVIOCGABS(code): _IOR('E', 0x40 + code, struct input_absinfo)."""
    return (2 << 30) | (_ABSINFO.size << 16) | (ord("E") << 8) | (0x40 + code)


def abs_range(device: Any, code: int) -> tuple[int, int, int] | None:
    """(minimum, maximum, flat) of an absolute axis from the kernel, or None if it will not say."""
    try:
        import fcntl

        handle = device._character_device  # the open file inputs reads from
        raw = fcntl.ioctl(handle.fileno(), eviocgabs(code), bytes(_ABSINFO.size))
    except (ImportError, OSError, AttributeError, ValueError):
        return None
    _, minimum, maximum, _, flat, _ = _ABSINFO.unpack(raw)
    if maximum <= minimum:
        return None
    return minimum, maximum, flat


def open_for_reading(device: Any) -> None:
    """Open the device's character file now, so a permission problem is reported at start."""
    try:
        device._character_device  # noqa: B018 (the property opens the file)
    except PermissionError:
        raise DeviceError(f"permission denied reading {device.get_char_device_path()}",
                          remedy=INPUT_GROUP_FIX) from None
    except OSError as exc:
        raise DeviceError(f"cannot open {device.get_char_device_path()} ({exc.strerror or exc})",
                          remedy="Plug the device in again; `proprio devices` lists what is found.") from None


def find_gamepads() -> list[Any]:
    """Gamepads plugged in now (a fresh scan, so a pad plugged in mid-session is found)."""
    import inputs

    try:
        return list(inputs.DeviceManager().gamepads)
    except (OSError, RuntimeError, IndexError, ValueError):
        return []


def event_nodes() -> list[tuple[str, str]]:
    """(/dev/input/eventN, kernel device name) for every evdev node."""
    nodes = []
    for folder in sorted(glob.glob("/sys/class/input/event*")):
        try:
            name = Path(folder, "device", "name").read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            continue
        nodes.append((os.path.join("/dev/input", os.path.basename(folder)), name))
    return nodes


def readable(path: str) -> bool:
    """Whether this user may read the device node."""
    return os.access(path, os.R_OK)


class EvdevSource(ThreadedSource):
    """A device read through ``inputs``: attach, read events in the thread, re-find it when unplugged."""

    what = "device"  # the word for the player: "gamepad", "balance board"
    # A read blocked in the kernel cannot be interrupted from another thread (closing the file
    # would wait for the read's lock), so close() does not wait: the daemon thread ends at the
    # device's next event or with the process.
    join_timeout_s = 0.05

    def __init__(self, label: str, finder: Callable[[], list[Any]], *, rescan_s: float = RESCAN_S,
                 **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self._finder, self.rescan_s = finder, rescan_s
        found = finder()
        if not found:
            raise self._missing()
        self._device: Any = None
        self._attach(found[0])
        self._set_connected(True)
        self.start()

    def _attach(self, device: Any) -> None:
        open_for_reading(device)  # a DeviceError naming the input group when permission is missing
        self._prepare(device)
        self._device = device

    def _missing(self) -> DeviceError:
        """The error for 'none plugged in', with what to do."""
        return DeviceError(f"no {self.what} found", remedy="`proprio devices` lists what is found.")

    def _prepare(self, device: Any) -> None:
        """Read what the device says about itself (axis ranges) and reset the decoding state."""

    def _handle(self, event: Any) -> None:
        """Decode one ``inputs.InputEvent``."""
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            device = self._device
            if device is None:
                if self._stop.wait(self.rescan_s):
                    return
                self._look_again()
                continue
            try:
                events = device.read()
            except OSError:  # ENODEV: pulled out, switched off, out of range
                if self._stop.is_set():
                    return
                self._device = None
                _close_quietly(device)
                self._set_connected(False, f"The {self.what} was disconnected: connect it again", "disconnected")
                continue
            for event in events:
                self._handle(event)

    def _look_again(self) -> None:
        for candidate in self._finder():
            try:
                self._attach(candidate)
            except DeviceError as exc:
                self._set_connected(False, exc.message, "disconnected")
                continue
            self._set_connected(True)
            return


def _close_quietly(device: Any) -> None:
    handle = getattr(device, "_character_file", None)
    if handle is not None:
        try:
            handle.close()
        except OSError:
            pass
