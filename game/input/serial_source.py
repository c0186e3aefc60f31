"""An IMU board on a serial port (USB cable to an Arduino or ESP32), with replugging.

Like the UDP source, ``poll`` also takes whatever bytes are already waiting in the port (without
blocking) before answering, so a step uses the newest sample that has arrived even when the
reader thread has not been scheduled since it came (a busy machine: the GIL or the cores taken).
While the game polls (at least every ``POLL_ACTIVE_S``), poll is the only drainer: a reader thread
that drained too could be descheduled holding the lock (a busy thread holding the GIL), and the
step would miss what it had read. The reader thread drains when the game does not poll (menus,
a stalled frame), waiting in ``select`` without the lock and reading under it, so the bytes stay
in order. A port without a file descriptor (``serial_for_url`` URLs such as ``socket://``, or
Windows) is read by the thread only.
"""

from __future__ import annotations

import errno
import math
import select
import threading
from typing import Any

import serial

from game.errors import DeviceError
from game.input.imu import MAX_LINE_CHARS, ImuLineSource
from game.input.pose import Pose

DEFAULT_BAUD = 115200
READ_TIMEOUT_S = 0.2
RECONNECT_S = 1.0
POLL_ACTIVE_S = 0.05  # a game polling at least this often drains the port itself (60 Hz frames: every 17 ms)
POLL_WAIT_S = 0.005  # poll() waits at most this for a reader thread finishing a line (one GIL switch interval)
POLL_DRAIN_BYTES = 16384  # bytes poll() handles itself at most (about 1.4 s of a 115200-baud port)
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

    check_hint = "check the USB cable and the board's power"

    def __init__(self, port: str, baud: int = DEFAULT_BAUD, *, reconnect_s: float = RECONNECT_S,
                 **kwargs: Any) -> None:
        super().__init__(f"the IMU on {port}", **kwargs)
        self.name = f"imu-serial:{port}@{baud}"
        self.device_id = f"serial:{port}"
        self.port, self.baud, self.reconnect_s = port, baud, reconnect_s
        self._serial: serial.SerialBase | None = open_port(port, baud)
        self._lock = threading.Lock()  # one drainer at a time (reader thread or poll) keeps bytes in order
        self._buffer = bytearray()  # a half line waiting for the rest, shared by both drainers
        self._polled_at = -math.inf  # when poll() last drained the port (monotonic seconds)
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
        while not self._stop.is_set():
            link = self._serial
            if link is None:
                if self._stop.wait(self.reconnect_s):
                    return
                try:
                    link = open_port(self.port, self.baud)
                except DeviceError:
                    continue
                with self._lock:
                    self._buffer.clear()  # whatever half line was pending belongs to the old connection
                    self._serial = link
                self._set_connected(True)
                continue
            try:
                if _fileno(link) is None:
                    chunk = link.read(max(1, link.in_waiting))  # no descriptor to wait on: the thread reads alone
                    with self._lock:
                        self._handle(chunk)
                    continue
                readable, _, _ = select.select([link], [], [], READ_TIMEOUT_S)  # waits without the lock
                if not readable:
                    continue
                if self._clock() - self._polled_at < POLL_ACTIVE_S:
                    self._stop.wait(POLL_ACTIVE_S / 2)  # the game drains at each step; look again soon
                    continue
                with self._lock:
                    self._drain(link, None)
                self._handle_lines_one_by_one()
            except (serial.SerialException, OSError, TypeError, AttributeError, ValueError):
                if self._stop.is_set():
                    return
                self._unplugged(link)

    def _drain(self, link: serial.SerialBase, limit: int | None) -> None:
        """Take the bytes waiting in the port (up to ``limit``) into the buffer, never waiting; lock held."""
        waiting = link.in_waiting
        if waiting == 0:
            if limit is not None or not select.select([link], [], [], 0)[0]:
                return  # poll() or the other side took it first
            waiting = 1  # readable with nothing waiting: the port is gone, and this read says so at once
        chunk = link.read(waiting if limit is None else min(waiting, limit))
        if chunk:
            self._buffer.extend(chunk)

    def _handle_next(self) -> bool:
        """Handle the oldest whole line in the buffer (lock held); False when there is none."""
        buffer = self._buffer
        end = buffer.find(b"\n")
        if end < 0:
            if len(buffer) > MAX_LINE_CHARS:  # a sender without newlines: garbage
                buffer.clear()
                self._drop("malformed")
            return False
        line = bytes(buffer[:end])
        del buffer[:end + 1]
        self.handle_line(line)
        return True

    def _handle(self, chunk: bytes) -> None:
        """The reader's path for a port without a descriptor (lock held)."""
        self._buffer.extend(chunk)
        while self._handle_next():
            pass

    def _handle_lines_one_by_one(self) -> None:
        """The reader thread's handling: the lock is taken per line, so a reader descheduled mid-way
        (a busy thread holding the GIL) keeps poll() waiting for one line at most, never a backlog."""
        while not self._stop.is_set():
            with self._lock:
                if not self._handle_next():
                    return

    def poll(self, t_s: float) -> Pose:
        """Take what has arrived, even if the reader thread has not been scheduled yet, then the newest."""
        link = self._serial
        if link is not None and _fileno(link) is not None and self._lock.acquire(timeout=POLL_WAIT_S):
            self._polled_at = self._clock()
            try:  # the reader holds the lock for one line at most: a bounded wait, then the port itself
                if link is self._serial:
                    self._drain(link, POLL_DRAIN_BYTES)  # bounded: a flood cannot stall a frame
                while self._handle_next():  # the bytes the reader took in too, in order
                    pass
            except (serial.SerialException, OSError, TypeError, AttributeError, ValueError):
                pass  # the reader thread finds the same fault and reports it
            finally:
                self._lock.release()
        return super().poll(t_s)

    def _unplugged(self, link: serial.SerialBase) -> None:
        with self._lock:
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


def _fileno(link: serial.SerialBase) -> int | None:
    """The port's file descriptor to wait on, or None (a URL handler, or Windows)."""
    try:
        fd = link.fileno()
    except (AttributeError, NotImplementedError, OSError, ValueError, serial.SerialException):
        return None
    return fd if isinstance(fd, int) and fd >= 0 else None
