"""Input devices: each is a ``PoseSource`` that yields normalized ``Pose`` samples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from game.errors import InputSpecError
from game.input.keyboard import KeyboardSource
from game.input.pose import Pose
from game.input.sim import SimulatedPlayer
from game.input.source import DeviceDescription, PoseSource, ScreenObserver
from game.vocabulary import INPUT_CHOICES as INPUT_CHOICES  # with the command line's names (light)

if TYPE_CHECKING:
    from game.input.replay import Recording

DEFAULT_SIM_SKILL = 0.6
SessionReader = Callable[[Path, int], "Recording"]
"""Reads a stored session's samples (``telemetry.store.recordings.read_recording``): input never opens SQLite."""
_EXAMPLES = {
    "imu-serial": "--input imu-serial:/dev/ttyUSB0 or --input imu-serial:/dev/ttyACM0@115200",
    "imu-udp": "--input imu-udp:0.0.0.0:9000 (a board on the network) or --input imu-udp:127.0.0.1:9000",
    "lsl": "--input lsl:WobbleBoard (the stream's name)",
    "replay": "--input replay:session.csv, --input replay:export/samples.csv#12, --input replay:proprio.db#12 "
              "or --input replay:#12 (the --db database)",
}


def _bad(spec: str, what: str, kind: str) -> InputSpecError:
    return InputSpecError(f"--input {spec}: {what}", remedy=f"For example: {_EXAMPLES[kind]}.")


def open_source(spec: str, seed: int = 0, *, db_path: Path | None = None,
                read_session: SessionReader | None = None) -> PoseSource:
    """Open the device an ``--input`` value names, or explain the valid choices."""
    name, _, arg = spec.strip().partition(":")
    if name == "keyboard" and not arg:
        return KeyboardSource()
    if name == "sim":
        if not arg:
            return SimulatedPlayer(DEFAULT_SIM_SKILL, seed)
        try:
            skill = float(arg)
        except ValueError:
            skill = float("nan")
        if not 0.0 <= skill <= 1.0:
            raise InputSpecError(
                f"--input {spec}: SKILL must be a number from 0 to 1",
                remedy="For example: --input sim:0.3 (a beginner) or --input sim:0.9 (an expert).",
            )
        return SimulatedPlayer(skill, seed)
    if name == "gamepad" and not arg:
        from game.input.gamepad import GamepadSource

        return GamepadSource()
    if name == "balance-board" and not arg:
        from game.input.balance_board import BalanceBoardSource

        return BalanceBoardSource()
    if name == "imu-serial":
        serial_port, baud = _serial_arg(spec, arg)
        from game.input.serial_source import ImuSerialSource

        return ImuSerialSource(serial_port, baud)
    if name == "imu-udp":
        host, udp_port = _udp_arg(spec, arg)
        from game.input.udp_source import ImuUdpSource

        return ImuUdpSource(host, udp_port)
    if name == "lsl":
        if not arg.strip():
            raise _bad(spec, "name the LSL stream", "lsl")
        from game.input.lsl_source import LslSource

        return LslSource(arg.strip())
    if name == "replay":
        return _replay(spec, arg, db_path, read_session)
    raise InputSpecError(
        f"unknown --input '{spec}'",
        remedy=f"Valid choices: {', '.join(INPUT_CHOICES)}.",
    )


def _serial_arg(spec: str, arg: str) -> tuple[str, int]:
    from game.input.serial_source import DEFAULT_BAUD

    port, at, baud_text = arg.rpartition("@")
    if not at:
        port, baud_text = arg, ""
    if not port.strip():
        raise _bad(spec, "name the serial port", "imu-serial")
    if not baud_text:
        return port.strip(), DEFAULT_BAUD
    if not baud_text.isdigit() or not 300 <= int(baud_text) <= 4_000_000:
        raise _bad(spec, f"BAUD '{baud_text}' is not a baud rate (300 to 4000000)", "imu-serial")
    return port.strip(), int(baud_text)


def _udp_arg(spec: str, arg: str) -> tuple[str, int]:
    host, colon, port_text = arg.rpartition(":")
    if not colon or not host.strip():
        raise _bad(spec, "give HOST:PORT", "imu-udp")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise _bad(spec, f"PORT '{port_text}' is not a port number (1 to 65535)", "imu-udp")
    return host.strip(), int(port_text)


def _replay(spec: str, arg: str, db_path: Path | None, read_session: SessionReader | None) -> PoseSource:
    from game.input.replay import ReplaySource, is_sqlite, read_csv

    file_part, hash_, session_text = arg.rpartition("#")
    if hash_:
        if not session_text.isdigit():
            raise _bad(spec, f"'{session_text}' is not a session number", "replay")
        if file_part:
            path = Path(file_part)
        else:
            from game.paths import default_db_path

            path = Path(db_path or default_db_path())
        if path.is_file() and not is_sqlite(path):
            return ReplaySource(read_csv(path, int(session_text)))  # an export's samples.csv
        if read_session is None:
            raise _bad(spec, "a stored session needs the telemetry store to read it", "replay")
        return ReplaySource(read_session(path, int(session_text)))
    if not arg.strip():
        raise _bad(spec, "name the recording", "replay")
    return ReplaySource(read_csv(Path(arg.strip())))


__all__ = [
    "INPUT_CHOICES", "DeviceDescription", "KeyboardSource", "Pose", "PoseSource", "ScreenObserver", "SimulatedPlayer",
    "open_source",
]
