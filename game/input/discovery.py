"""What is connected now, and the ``--input`` value that uses each (``proprio devices``)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from game.input.evdev import INPUT_GROUP_FIX, SYSTEM_ROOT, event_nodes, gamepad_nodes, readable

# The ways of playing `proprio devices` lists (the part of the --input value before any ':').
FoundKind = Literal["keyboard", "gamepad", "imu-serial", "imu-udp", "lsl", "balance-board", "replay", "sim"]
DIALOUT_FIX = ("Add yourself to the dialout group: sudo usermod -aG dialout $USER, "
               "then log out and back in (on Arch: the uucp group).")


@dataclass(frozen=True)
class FoundDevice:
    """One device (or way of playing) and how to use it."""

    kind: FoundKind
    input: str  # the --input value
    label: str
    ready: bool
    hint: str = ""
    details: tuple[str, ...] = ()  # more lines about the device (a gamepad's stick, buttons and mapping)

    def as_dict(self) -> dict[str, Any]:
        """Plain fields (for --format json)."""
        return asdict(self)


def list_devices(lsl_wait_s: float = 1.0) -> list[FoundDevice]:
    """Every device found now, then the ones that need no hardware."""
    found = [FoundDevice("keyboard", "keyboard", "Keyboard (arrows or WASD) and mouse/touch drag", True)]
    found += _gamepads()
    found += _balance_boards()
    found += _serial_ports()
    found += _lsl_streams(lsl_wait_s)
    found += [
        FoundDevice("imu-udp", "imu-udp:0.0.0.0:9000", "An IMU board sending over UDP (Wi-Fi)", True,
                    "Listens on port 9000; see examples/udp_sender.py and docs/devices.md."),
        FoundDevice("replay", "replay:FILE", "A recorded session (CSV export, or FILE.db#SESSION)", True),
        FoundDevice("sim", "sim[:SKILL]", "A simulated player, SKILL 0 (beginner) to 1 (expert)", True),
    ]
    return found


def _gamepads(root: Path = SYSTEM_ROOT) -> list[FoundDevice]:
    """Every pad under /dev/input (USB, Bluetooth, ...), with the stick and buttons it plays with."""
    from game.input.pad_mapping import layout_for

    out = []
    for node in gamepad_nodes(root):
        ok = readable(node.path)
        layout = layout_for(node.bustype, node.vendor, node.product, node.version, node.keys, node.axes)
        label = f"{node.name} ({node.bus}, {node.path})"
        out.append(FoundDevice("gamepad", "gamepad", label, ok, "" if ok else INPUT_GROUP_FIX,
                               tuple(layout.describe())))
    if not out and any(not readable(node) for node, _ in event_nodes(root)):
        out.append(FoundDevice("gamepad", "gamepad", "Input devices exist that this user may not read", False,
                               INPUT_GROUP_FIX))
    return out


def _balance_boards() -> list[FoundDevice]:
    out = []
    for node, name in event_nodes():
        if "Balance Board" in name:
            ok = readable(node)
            out.append(FoundDevice("balance-board", "balance-board", f"{name} ({node})", ok,
                                   "" if ok else INPUT_GROUP_FIX))
    return out


def _serial_ports() -> list[FoundDevice]:
    try:
        from serial.tools import list_ports
    except ImportError:
        return []
    out = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        ok = os.access(port.device, os.R_OK | os.W_OK) if os.path.exists(port.device) else True
        label = f"{port.device}: {port.description}" if port.description and port.description != "n/a" else port.device
        out.append(FoundDevice("imu-serial", f"imu-serial:{port.device}", label, ok, "" if ok else DIALOUT_FIX))
    return out


def _lsl_streams(wait_s: float) -> list[FoundDevice]:
    if wait_s <= 0:
        return []
    try:
        import pylsl

        from game.input.lsl_source import quiet_lsl

        quiet_lsl(pylsl)
        streams = pylsl.resolve_streams(wait_s)
    except Exception:  # no liblsl, no network: simply nothing to list
        return []
    return [_lsl_stream(pylsl, info) for info in streams]


def _lsl_stream(pylsl: Any, info: Any) -> FoundDevice:
    """One stream: its declared channel units, and whether the game can read a tilt or a COP from them."""
    from game.input.lsl_source import LSL_INFO_TIMEOUT_S, LslUnitsError, plan_stream, read_channels

    label = f"LSL stream '{info.name()}' ({info.type()}, {info.channel_count()} channels, " \
            f"{info.nominal_srate():g} Hz, from {info.hostname()})"
    spec = f"lsl:{info.name()}"
    if info.channel_format() == pylsl.cf_string:
        return FoundDevice("lsl", spec, label, False, "It sends text, not numbers: the game cannot steer with it.")
    try:  # a resolved stream carries no channel metadata: the full description comes through an inlet
        inlet = pylsl.StreamInlet(info, max_buflen=1)
        try:
            full = inlet.info(timeout=LSL_INFO_TIMEOUT_S)
        finally:
            inlet.close_stream()
        plan = plan_stream(read_channels(full), info.name())
    except LslUnitsError as exc:
        return FoundDevice("lsl", spec, f"{label}: not usable as it is", False, f"{exc.message}. {exc.hint}")
    except Exception as exc:  # pylsl's TimeoutError / LostError: listed, units unknown
        return FoundDevice("lsl", spec, f"{label}: its channel units could not be read ({exc})", False,
                           "Check that the sender is still running, then run proprio devices again.")
    return FoundDevice("lsl", spec, f"{label}: {plan.summary}", True)
