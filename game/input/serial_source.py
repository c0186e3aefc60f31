"""An IMU board on a serial port (USB cable to an Arduino or ESP32), with replugging."""

from __future__ import annotations

import errno
from typing import Any

import serial

from game.errors import DeviceError
from game.input.imu import ImuLineSource, split_lines

DEFAULT_BAUD = 115200
READ_TIMEOUT_S = 0.2
RECONNECT_S = 1.0
DIALOUT_FIX = ("Add yourself to the dialout group: sudo usermod -aG dialout $USER, "
               "then log out and back in (on Arch: the uucp group).")


def open_port(port: str, baud: int) -> serial.SerialBase:
    """Open the port, or raise a DeviceError that names the fix."""
    try:
        return serial.serial_for_url(port, baudrate=baud, timeout=READ_TIMEOUT_S)
    except serial.SerialException as exc:
        code = getattr(exc, "errno", None)
        if code == errno.ENOENT:
            raise DeviceError(f"there is no serial port {port}",
                              remedy="Plug the board in; `proprio devices` lists the ports found.") from None
        if code == errno.EACCES:
            raise DeviceError(f"permission denied opening {port}", remedy=DIALOUT_FIX) from None
        if code == errno.EBUSY:
            raise DeviceError(f"{port} is in use by another program",
                              remedy="Close the other program (an Arduino serial monitor?) and try again.") from None
        raise DeviceError(f"cannot open {port} ({exc})",
                          remedy="Check the cable; `proprio devices` lists the ports found.") from None
    except (ValueError, OSError) as exc:
        raise DeviceError(
            f"cannot open {port} ({exc})",
            remedy="Check the port name and baud rate, e.g. --input imu-serial:/dev/ttyUSB0@115200.") from None


class ImuSerialSource(ImuLineSource):
    """Reads newline-terminated samples from a serial port; an unplugged board pauses the game."""

    def __init__(self, port: str, baud: int = DEFAULT_BAUD, *, reconnect_s: float = RECONNECT_S,
                 **kwargs: Any) -> None:
        super().__init__(f"the IMU on {port}", **kwargs)
        self.name = f"imu-serial:{port}@{baud}"
        self.device_id = f"serial:{port}"
        self.port, self.baud, self.reconnect_s = port, baud, reconnect_s
        self._serial: serial.SerialBase | None = open_port(port, baud)
        self.start()

    def _run(self) -> None:
        try:
            self._read_loop()
        finally:
            link, self._serial = self._serial, None
            if link is not None:
                try:
                    link.close()
                except (serial.SerialException, OSError):
                    pass

    def _read_loop(self) -> None:
        buffer = bytearray()
        while not self._stop.is_set():
            link = self._serial
            if link is None:
                if self._stop.wait(self.reconnect_s):
                    return
                try:
                    self._serial = open_port(self.port, self.baud)
                except DeviceError:
                    continue
                buffer.clear()  # whatever half line was pending belongs to the old connection
                self._set_connected(True)
                continue
            try:
                chunk = link.read(max(1, link.in_waiting))
            except (serial.SerialException, OSError, TypeError, AttributeError):
                if self._stop.is_set():
                    return
                self._unplugged(link)
                continue
            if chunk:
                split_lines(buffer, chunk, self.handle_line, lambda: self._drop("malformed"))

    def _unplugged(self, link: serial.SerialBase) -> None:
        self._serial = None
        try:
            link.close()
        except (serial.SerialException, OSError):
            pass
        self._set_connected(False, f"{self.label} was unplugged: plug it back in")

    def _release(self) -> None:
        link = self._serial
        if link is not None:
            try:
                link.cancel_read()
            except (AttributeError, serial.SerialException, OSError):
                pass
