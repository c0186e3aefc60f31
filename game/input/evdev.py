"""Linux evdev devices through the ``inputs`` package: finding them, opening them, axis ranges.

``inputs`` parses the kernel's ``struct input_event`` for us; what it lacks is the range of
each absolute axis (``EVIOCGABS``), which this module asks the kernel for, and a full look
at what is plugged in: ``inputs.DeviceManager`` only follows the ``/dev/input/by-id`` and
``by-path`` links udev makes, and udev makes none for most Bluetooth pads. So every
``/dev/input/eventN`` is looked at through sysfs (``/sys/class/input/eventN/device``: its
name, its ``id/`` bus, vendor, product and version, and its ``capabilities/``), which is
also what the gamepad mapping needs. The root of both trees is a parameter, so a test can
lay out a fake one.
"""

from __future__ import annotations

import errno
import glob
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.errors import DeviceError
from game.input.threaded import ThreadedSource

INPUT_GROUP_FIX = ("Add yourself to the input group: sudo usermod -aG input $USER, then log out and back in "
                   "(or install a udev rule that gives your user the device).")
_ABSINFO = struct.Struct("6i")  # value, minimum, maximum, fuzz, flat, resolution
RESCAN_S = 1.0  # how often to look for the device again while it is unplugged
SYSTEM_ROOT = Path("/")
EV_KEY, EV_ABS = 0x01, 0x03
ABS_X, ABS_Y = 0x00, 0x01
BTN_MISC, BTN_JOYSTICK, BTN_GAMEPAD, BTN_DIGI, BTN_DPAD_UP = 0x100, 0x120, 0x130, 0x140, 0x220
BUS_BLUETOOTH = 0x05
BUS_NAMES = {0x03: "USB", 0x05: "Bluetooth", 0x06: "virtual", 0x11: "PS/2", 0x19: "host"}


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


def parse_bitmask(text: str) -> frozenset[int]:
    """The codes set in a sysfs capability mask: hex words of the kernel's long, most significant first."""
    bits = struct.calcsize("l") * 8
    codes: set[int] = set()
    for position, word in enumerate(reversed(text.split())):
        try:
            value = int(word, 16)
        except ValueError:
            return frozenset()
        codes.update(position * bits + i for i in range(bits) if value >> i & 1)
    return frozenset(codes)


@dataclass(frozen=True)
class EvdevNode:
    """One /dev/input/eventN as sysfs describes it: name, ids and the keys and axes it has."""

    path: str  # the event node, e.g. /dev/input/event7
    name: str
    bustype: int = 0
    vendor: int = 0
    product: int = 0
    version: int = 0
    keys: frozenset[int] = frozenset()
    axes: frozenset[int] = frozenset()  # absolute axes

    @property
    def char_name(self) -> str:
        """``event7``: how sysfs and ``inputs`` name the node."""
        return os.path.basename(self.path)

    @property
    def bus(self) -> str:
        """USB, Bluetooth, ... for the player."""
        return BUS_NAMES.get(self.bustype, f"bus 0x{self.bustype:x}")

    def is_gamepad(self) -> bool:
        """A stick and joystick or gamepad buttons (as udev's input_id decides), not a board, tablet or touchpad."""
        has_stick = {ABS_X, ABS_Y} <= self.axes
        has_pad_buttons = any(BTN_JOYSTICK <= k < BTN_DIGI for k in self.keys)
        return has_stick and has_pad_buttons and "Balance Board" not in self.name


def _read(folder: Path, *parts: str) -> str:
    try:
        return folder.joinpath(*parts).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _hex(text: str) -> int:
    try:
        return int(text, 16)
    except ValueError:
        return 0


def read_node(char_name: str, root: Path = SYSTEM_ROOT) -> EvdevNode | None:
    """What sysfs says about ``eventN`` under ``root`` (None when sysfs has no such node)."""
    device = root / "sys" / "class" / "input" / char_name / "device"
    name = _read(device, "name")
    if not name and not device.is_dir():
        return None
    ids = [_hex(_read(device, "id", field)) for field in ("bustype", "vendor", "product", "version")]
    bustype, vendor, product, version = ids
    return EvdevNode(str(root / "dev" / "input" / char_name), name, bustype, vendor, product, version,
                     keys=parse_bitmask(_read(device, "capabilities", "key")),
                     axes=parse_bitmask(_read(device, "capabilities", "abs")))


def scan_nodes(root: Path = SYSTEM_ROOT) -> list[EvdevNode]:
    """Every evdev node sysfs knows, in number order (USB, Bluetooth, anything: no udev links needed)."""
    folders = glob.glob(str(root / "sys" / "class" / "input" / "event*"))
    numbered = sorted(folders, key=lambda f: (len(os.path.basename(f)), os.path.basename(f)))
    return [node for node in (read_node(os.path.basename(f), root) for f in numbered) if node is not None]


def event_nodes(root: Path = SYSTEM_ROOT) -> list[tuple[str, str]]:
    """(/dev/input/eventN, kernel device name) for every evdev node."""
    return [(node.path, node.name) for node in scan_nodes(root)]


def gamepad_nodes(root: Path = SYSTEM_ROOT) -> list[EvdevNode]:
    """The evdev nodes that are gamepads or joysticks."""
    return [node for node in scan_nodes(root) if node.is_gamepad()]


def open_pad(node: EvdevNode) -> Any:
    """An ``inputs.GamePad`` reading this node, named from sysfs, carrying the node (``.evdev_node``)."""
    import inputs

    class NodePad(inputs.GamePad):  # type: ignore[misc]  # inputs has no type hints
        """``inputs.GamePad`` on a node found by scanning: no udev link needed, ENODEV on a dead node."""

        def _set_name(self) -> None:
            self.name = node.name

        def _get_data(self, read_size: int) -> bytes:
            data: bytes = super()._get_data(read_size)
            if not data:  # an event node never reads empty while the device is there
                raise OSError(errno.ENODEV, "No such device")
            return data

    # inputs derives the kind of device from a by-id style path; the node itself is read.
    protocol = "bluetooth" if node.bustype == BUS_BLUETOOTH else "usb"
    link = f"/dev/input/by-id/{protocol}-{node.char_name}-event-joystick"
    pad = NodePad(inputs.devices, link, char_path_override=node.path)
    pad.evdev_node = node
    return pad


def find_gamepads(root: Path = SYSTEM_ROOT) -> list[Any]:
    """Gamepads plugged in now, as ``inputs`` devices (a fresh scan, so a pad plugged in mid-session is found)."""
    pads = []
    for node in gamepad_nodes(root):
        try:
            pads.append(open_pad(node))
        except (OSError, RuntimeError, IndexError, ValueError):
            continue
    return pads


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
            except IndexError:  # inputs.UnknownEventCode: a code inputs has no name for (one event, skipped)
                continue
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
