"""An IMU board sending lines over UDP (an ESP32 on Wi-Fi, or the laptop sender in examples/).

The reader thread waits for datagrams and handles them; ``poll`` also takes whatever is already
waiting in the socket (without blocking) before answering, so a step always uses the newest
sample that has arrived, even when the reader thread has not been scheduled since it came.
"""

from __future__ import annotations

import errno
import select
import socket
import threading
from typing import Any

from game.errors import DeviceError
from game.input.imu import ImuLineSource
from game.input.pose import Pose

RECV_TIMEOUT_S = 0.2  # how often the reader looks up to see whether it should stop
MAX_DATAGRAM = 65535
POLL_DRAIN_LIMIT = 64  # datagrams poll() handles itself at most; the reader thread takes the rest
RECV_BUFFER_BYTES = 1 << 20  # room for a burst of seconds of 1 kHz samples while the reader is descheduled
LISTEN_ADDRESS_FIX = "Use 127.0.0.1 (a sender on this computer) or 0.0.0.0 (a board on the network)."


class ImuUdpSource(ImuLineSource):
    """Listens on HOST:PORT; each datagram holds one or more newline-separated samples."""

    check_hint = "check the board's power and its Wi-Fi"

    def __init__(self, host: str, port: int, **kwargs: Any) -> None:
        super().__init__(f"the IMU on UDP {host}:{port}", **kwargs)
        self.name = f"imu-udp:{host}:{port}"
        self._sock = _bind(host, port)
        self._lock = threading.Lock()  # one drainer at a time keeps samples in order
        self.address: tuple[str, int] = self._sock.getsockname()[:2]
        self.device_id = f"udp:{host}:{self.address[1]}"
        self.start()

    def _run(self) -> None:
        sock = self._sock
        while not self._stop.is_set():
            try:
                readable, _, _ = select.select([sock], [], [], RECV_TIMEOUT_S)
            except (OSError, ValueError):  # the socket was closed under us
                if self._stop.is_set():
                    return
                raise
            if readable:
                with self._lock:
                    self._drain()

    def _drain(self, limit: int | None = None) -> None:
        """Handle the datagrams waiting in the socket (up to ``limit``), in order; the caller holds the lock."""
        while limit is None or limit > 0:
            if limit is not None:
                limit -= 1
            try:
                data = self._sock.recv(MAX_DATAGRAM)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                if self._stop.is_set():
                    return
                raise
            for line in data.split(b"\n"):
                self.handle_line(line)

    def poll(self, t_s: float) -> Pose:
        """Take what has arrived, even if the reader thread has not been scheduled yet, then the newest."""
        if self._lock.acquire(blocking=False):  # never waits: if the reader is at it, it is already draining
            try:
                self._drain(POLL_DRAIN_LIMIT)  # bounded: a flood of packets cannot stall a frame
            except OSError:
                pass  # the reader thread reports a broken socket
            finally:
                self._lock.release()
        return super().poll(t_s)

    def _release(self) -> None:
        try:
            self._sock.close()
        except OSError:
            pass


def _bind(host: str, port: int) -> socket.socket:
    """A UDP socket bound to (host, port), or a DeviceError that says what to change."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECV_BUFFER_BYTES)
    except OSError:
        pass  # the system's default buffer then
    try:
        sock.bind((host, port))
    except socket.gaierror:
        sock.close()
        raise DeviceError(f"--input imu-udp:{host}:{port}: '{host}' is not an address of this computer",
                          remedy=LISTEN_ADDRESS_FIX) from None
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise DeviceError(f"UDP port {port} is already in use by another program",
                              remedy=f"Close it, or pick another port (e.g. --input imu-udp:{host}:{port + 1}) "
                                     "and send to that one.") from None
        if exc.errno == errno.EACCES:
            raise DeviceError(f"UDP port {port} needs administrator rights",
                              remedy="Use a port from 1024 up, e.g. --input imu-udp:0.0.0.0:9000.") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise DeviceError(f"'{host}' is not an address of this computer", remedy=LISTEN_ADDRESS_FIX) from None
        raise DeviceError(f"cannot listen on UDP {host}:{port} ({exc.strerror or exc})") from None
    sock.setblocking(False)  # the reader waits in select(); recv never waits
    return sock
