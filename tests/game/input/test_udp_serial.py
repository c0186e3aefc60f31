"""IMU boards over real UDP sockets on 127.0.0.1 and over a real pseudo-terminal (a serial port)."""

from __future__ import annotations

import errno
import math
import os
import socket

import pytest
import serial

from game.errors import DeviceError
from game.input.calibration import DIRECTIONS_DEG, Calibration
from game.input.serial_source import ImuSerialSource, open_port
from game.input.udp_source import ImuUdpSource
from tests.game.input.support import FakeClock, wait_until


@pytest.fixture
def udp():
    sources = []

    def make(**kwargs) -> tuple[ImuUdpSource, socket.socket]:
        source = ImuUdpSource("127.0.0.1", 0, **kwargs)
        sources.append(source)
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sender.connect(source.address)
        sources.append(sender)
        return source, sender

    yield make
    for thing in sources:
        thing.close()


def test_the_newest_udp_sample_is_what_poll_gives(udp):
    source, sender = udp()
    for i in range(50):
        sender.send(f"{i * 0.01:.2f},{i * 0.1:.1f},-1.0\n".encode())
    assert wait_until(lambda: source.stats().accepted == 50)
    pose = source.poll(3.0)
    assert (pose.t_s, pose.raw_x, pose.raw_y, pose.raw_unit) == (0.49, 4.9, -1.0, "deg")
    assert pose.x == pytest.approx(0.49) and pose.y == pytest.approx(-0.1)  # the default 10-degree reach
    assert source.status().ready


def test_bad_packets_are_counted_and_dropped_and_the_reader_survives(udp):
    source, sender = udp()
    bad = [
        b"\x00\xff\xfe" * 50,  # garbage bytes
        b"1.0,0.1",  # truncated
        b"2.0,nan,0",  # NaN
        b"2.5,0,inf",
        b"3.0,500,0",  # out of range
        b'{"t_s": 3.5, "roll_deg": 1}',  # JSON missing a key
        b"",  # an empty datagram
    ]
    for packet in bad:
        sender.send(packet)
    sender.send(b"10.0,1.0,2.0\n9.0,5,5\n9.5,5,5\n10.5,3.0,4.0")  # two late samples between good ones
    assert wait_until(lambda: source.stats().accepted == 2)
    stats = source.stats()
    assert stats.dropped_by_reason == {"malformed": 3, "nonfinite": 2, "out_of_range": 1, "late": 2,
                                      "future": 0, "implausible": 0}
    assert stats.dropped == 8
    assert (source.poll(0.0).raw_x, source.poll(0.0).raw_y) == (3.0, 4.0)


def test_raw_imu_lines_over_udp_are_fused_into_roll(udp):
    source, sender = udp()
    for start in range(0, 300, 10):  # a board held rolled right by about 10 degrees, 100 Hz, 10 per datagram
        sender.send(b"".join(f"{i / 100:.2f},0,0.1736,0.9848,0,0,0\n".encode() for i in range(start, start + 10)))
    assert wait_until(lambda: source.stats().accepted == 300)
    pose = source.poll(5.0)
    assert pose.raw_x == pytest.approx(10.0, abs=0.1) and pose.raw_y == pytest.approx(0.0, abs=0.01)


def test_a_stored_calibration_and_recentre_change_x_but_not_raw(udp):
    source, sender = udp()
    circle = tuple((2.0 + 4.0 * math.cos(math.radians(d)), 4.0 * math.sin(math.radians(d))) for d in DIRECTIONS_DEG)
    source.set_calibration(Calibration("deg", (0.0, 0.0), (2.0, 0.0), circle))  # centre 2 deg right, reach 4 deg
    assert not source.recentre()  # nothing read yet
    sender.send(b"1.0,4.0,0.0\n")
    assert wait_until(lambda: source.stats().accepted == 1)
    pose = source.poll(0.0)
    assert (pose.x, pose.raw_x) == (pytest.approx(0.5), 4.0)
    assert source.recentre()
    pose = source.poll(0.0)
    assert (pose.x, pose.raw_x) == (pytest.approx(0.0), 4.0)


def test_silence_pauses_and_a_restarted_device_clock_is_accepted():
    clock = FakeClock()
    source = ImuUdpSource("127.0.0.1", 0, clock=clock)
    try:
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sender.connect(source.address)
        status = source.status()
        assert not status.ready and status.reason == "waiting" and "127.0.0.1" in status.notice
        sender.send(b"50.0,1,1\n")
        assert wait_until(lambda: source.stats().accepted == 1)
        assert source.status().ready
        clock.now += 2.0  # two seconds without a sample
        status = source.status()
        assert not status.ready and status.reason == "stale" and "No data" in status.notice
        sender.send(b"0.1,2,2\n")  # the board rebooted: its clock starts again
        assert wait_until(lambda: source.stats().accepted == 2)
        assert source.clock_restarts == 1 and source.status().ready
        sender.send(b"0.05,3,3\n")  # but a late sample right after is still late
        assert wait_until(lambda: source.stats().dropped == 1)
        sender.close()
    finally:
        source.close()


def test_a_udp_port_in_use_names_the_fix():
    taken = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    taken.bind(("127.0.0.1", 0))
    try:
        with pytest.raises(DeviceError, match="already in use") as info:
            ImuUdpSource("127.0.0.1", taken.getsockname()[1])
        assert "another port" in str(info.value)
    finally:
        taken.close()
    with pytest.raises(DeviceError, match="not an address of this computer"):
        ImuUdpSource("192.0.2.1", 9000)  # TEST-NET-1: never a local address


# -- serial -------------------------------------------------------------------------------
class Pty:
    """A pseudo-terminal: the game opens the slave like /dev/ttyUSB0; the test writes to the master."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.name = os.ttyname(slave)
        os.close(slave)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def unplug(self) -> None:
        os.close(self.master)


def test_serial_lines_arrive_whole_even_when_split_across_reads():
    pty = Pty()
    source = ImuSerialSource(pty.name, 115200)
    try:
        pty.write(b"garbage from mid-line\n1.0,2.0,3.0\n2.0,4.")
        assert wait_until(lambda: source.stats().accepted == 1)
        pty.write(b"0,5.0\n")
        assert wait_until(lambda: source.stats().accepted == 2)
        pose = source.poll(0.0)
        assert (pose.raw_x, pose.raw_y) == (4.0, 5.0)
        assert source.stats().dropped_by_reason["malformed"] == 1
        assert source.name == f"imu-serial:{pty.name}@115200"
    finally:
        source.close()
        pty.unplug()


class SerialWithoutReader(ImuSerialSource):
    """A serial source whose reader thread never reads: a game on a machine too busy to schedule it."""

    def _run(self) -> None:
        self._stop.wait()


def test_poll_drains_the_serial_port_itself_when_the_reader_thread_does_not_run():
    pty = Pty()
    source = SerialWithoutReader(pty.name)
    try:
        pty.write(b"1.0,1.0,1.0\n2.0,2.0,2.0\n3.0,3.")
        assert wait_until(lambda: source.poll(0.0).t_s == 2.0)  # every whole line, the newest for the step
        pty.write(b"5,-3.0\n")  # the rest of a line split across two polls
        assert wait_until(lambda: source.poll(0.0).t_s == 3.0)
        pose = source.poll(0.0)
        assert (pose.raw_x, pose.raw_y) == (3.5, -3.0)
        assert [r.t_s for r in source.readings()] == [1.0, 2.0, 3.0]  # each one kept, in order
        assert source.stats().accepted == 3 and source.stats().dropped == 0
    finally:
        source.close()
        pty.unplug()


def test_serial_samples_stay_in_order_when_poll_and_the_reader_thread_both_drain():
    pty = Pty()
    source = ImuSerialSource(pty.name)
    try:
        for start in range(0, 2000, 100):
            pty.write(b"".join(f"{i / 1000:.3f},{i % 90},0\n".encode() for i in range(start, start + 100)))
            source.poll(0.0)
        assert wait_until(lambda: source.poll(0.0).t_s == 1.999)
        times = [r.t_s for r in source.readings()]
        assert times == [i / 1000 for i in range(2000)]
        assert source.stats().dropped == 0
    finally:
        source.close()
        pty.unplug()


def test_an_unplugged_serial_board_pauses_and_is_picked_up_again(tmp_path):
    first = Pty()
    link = tmp_path / "ttyIMU"
    link.symlink_to(first.name)
    source = ImuSerialSource(str(link), 115200, reconnect_s=0.05)
    try:
        first.write(b"1.0,1.0,1.0\n")
        assert wait_until(lambda: source.stats().accepted == 1)
        first.unplug()
        link.unlink()
        assert wait_until(lambda: source.status().reason == "disconnected")
        assert "unplugged" in source.status().notice
        second = Pty()
        link.symlink_to(second.name)
        assert wait_until(lambda: source.status().reason != "disconnected")
        second.write(b"0.5,7.0,8.0\n")  # the board restarted: its clock is behind, which is fine after a replug
        assert wait_until(lambda: source.stats().accepted == 2)
        assert source.poll(0.0).raw_x == 7.0
        second.unplug()
    finally:
        source.close()


def test_a_missing_port_names_the_fix(tmp_path):
    with pytest.raises(DeviceError, match="no serial port") as info:
        ImuSerialSource(str(tmp_path / "ttyUSB9"))
    assert "proprio devices" in str(info.value)


def test_permission_denied_names_the_dialout_group(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root, so the kernel grants every permission; the mapping is checked below")
    port = tmp_path / "ttyLocked"
    port.write_bytes(b"")
    port.chmod(0)
    with pytest.raises(DeviceError, match="permission denied") as info:
        open_port(str(port), 9600)
    assert "dialout" in str(info.value)


def test_pyserials_permission_error_is_turned_into_the_dialout_fix(monkeypatch):
    # pyserial raises SerialException(errno, message) from a failed os.open; feed it that exact exception.
    def refuse(*args, **kwargs):
        raise serial.SerialException(errno.EACCES, "could not open port /dev/ttyUSB0: [Errno 13] Permission denied")

    monkeypatch.setattr(serial, "serial_for_url", refuse)
    with pytest.raises(DeviceError, match="permission denied") as info:
        open_port("/dev/ttyUSB0", 115200)
    assert "usermod -aG dialout" in str(info.value)


def test_drops_before_the_first_level_and_between_levels_are_counted_once(udp):
    from game.input.device import InputMeter

    source, sender = udp()
    sender.send(b"garbage")  # before any level started
    assert wait_until(lambda: source.stats().dropped == 1)
    meter = InputMeter(source)  # kept over the run's levels
    sender.send(b"1.0,1,1\n1.0,1,1\n")  # a duplicate time: late
    assert wait_until(lambda: source.stats().dropped == 2)
    assert meter.figures()["dropped_samples"] == 2  # the first level: from the opening
    sender.send(b"nan")  # between levels
    assert wait_until(lambda: source.stats().dropped == 3)
    assert meter.figures()["dropped_samples"] == 1  # the second level: from where the first stopped
    assert meter.figures()["dropped_samples"] == 0
    assert not hasattr(source, "_proprio_meter_mark")  # the mark lives in the meter, not on the device


def test_a_new_meter_given_the_previous_mark_counts_from_there(udp):
    from game.input.device import InputMeter

    source, sender = udp()
    sender.send(b"garbage\n2.0,1,1\n")
    assert wait_until(lambda: source.stats().dropped == 1 and source.stats().accepted == 1)
    first = InputMeter(source)
    assert first.figures()["dropped_samples"] == 1
    sender.send(b"nan\n3.0,1,1\n")
    assert wait_until(lambda: source.stats().dropped == 2 and source.stats().accepted == 2)
    assert InputMeter(source, since=first.mark).figures()["dropped_samples"] == 1
    assert InputMeter(source).figures()["dropped_samples"] == 2  # no mark given: from the opening
