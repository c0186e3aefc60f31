"""A real device in real play: every reading kept at its own rate, silence said and ended, buttons in menus.

A UDP IMU board on 127.0.0.1 sends fused tilt lines (``t_s,roll_deg,pitch_deg``) from a thread;
``proprio play --headless`` reads it through the real reader thread, loop and recorder.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from sqlite_utils import Database

from game.input.pose import Pose
from game.input.source import PoseSource
from game.menu import TitleMenu
from game.play.clock import ManualClock
from game.play.loop import Loop
from game.play.pilot import Pilot
from game.play.screens.menus import TitleScreen
from game.views.factory import open_view
from tests.cli import run_cli
from tests.game.input.support import free_udp_port


class Board(threading.Thread):
    """Sends tilt lines at ``rate_hz``; ``pause_s`` of silence after ``pause_after`` lines; stops when told."""

    def __init__(self, port: int, rate_hz: float, pause_after: int | None = None, pause_s: float = 0.0) -> None:
        super().__init__(daemon=True)
        self.address = ("127.0.0.1", port)
        self.period_s = 1.0 / rate_hz
        self.pause_after, self.pause_s = pause_after, pause_s
        self.stop = threading.Event()
        self.sent: list[float] = []

    def run(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        start = time.monotonic()
        n = 0
        while not self.stop.is_set():
            if self.pause_after is not None and n == self.pause_after:
                self.stop.wait(self.pause_s)
                start += self.pause_s
            t_s = round(n * self.period_s, 6)
            sock.sendto(f"{t_s:.6f},2.0,-1.0\n".encode(), self.address)
            self.sent.append(t_s)
            n += 1
            delay = start + n * self.period_s - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        sock.close()


def _play(tmp_path, capsys, port: int, *extra: str) -> tuple[int, str, Database]:
    db = tmp_path / "p.db"
    code, _, err = run_cli(["play", "garden-balance", "--input", f"imu-udp:127.0.0.1:{port}", "--headless",
                            "--player", "kid-07", "--seed", "1", "--db", str(db), *extra], capsys)
    return code, err, Database(db)


def test_every_reading_is_kept_at_the_devices_own_rate_beside_the_120_hz_steps(tmp_path, capsys):
    port = free_udp_port()
    board = Board(port, rate_hz=500.0)
    board.start()
    try:
        code, err, db = _play(tmp_path, capsys, port, "--duration", "2")
    finally:
        board.stop.set()
        board.join(5)
    assert code == 0, err
    readings = list(db.query("select seq, device_t_s, raw_x, raw_y, raw_unit from readings order by seq"))
    samples = db["samples"].count
    assert samples == 240  # 2 s of play at 120 steps a second
    assert [r["seq"] for r in readings] == list(range(len(readings)))
    times = [r["device_t_s"] for r in readings]
    assert all(b > a for a, b in zip(times, times[1:], strict=False))  # none repeated, none out of order
    assert set(times) <= set(board.sent)
    # Not thinned to the steps: the board's 2 ms spacing, about 500 a second while the level ran.
    gaps = sorted(b - a for a, b in zip(times, times[1:], strict=False))
    assert gaps[len(gaps) // 2] == pytest.approx(0.002, abs=1e-6)
    assert len(readings) > 2 * samples
    assert {(r["raw_x"], r["raw_y"], r["raw_unit"]) for r in readings} == {(2.0, -1.0, "deg")}
    rate = db["sessions"].get(1)["input_rate_hz"]
    assert 350 < rate < 650  # the measured delivery rate, not the 120 Hz of the steps


def test_a_device_that_never_sends_ends_a_headless_run_with_a_message_and_exit_3(tmp_path, capsys):
    port = free_udp_port()  # nobody sends to it
    code, err, db = _play(tmp_path, capsys, port, "--device-timeout", "0.5")
    assert code == 3
    assert "stayed silent" in err and "Check the cable" in err and "Traceback" not in err
    session = db["sessions"].get(1)
    assert session["status"] == "device_lost" and session["duration_s"] == 0.0
    lost = list(db.query("select data from events where kind = 'device_lost'"))
    assert len(lost) == 1


def test_a_device_that_goes_quiet_is_reported_and_its_data_so_far_kept(tmp_path, capsys):
    port = free_udp_port()
    board = Board(port, rate_hz=200.0, pause_after=300, pause_s=60.0)  # 1.5 s of data, then silence
    board.start()
    try:
        code, err, db = _play(tmp_path, capsys, port, "--device-timeout", "1")
    finally:
        board.stop.set()
        board.join(5)
    assert code == 3
    lines = [line for line in err.splitlines() if line.startswith("proprio: ")]
    assert any("No data from" in line for line in lines)  # said when it went quiet...
    assert any("stayed silent" in line for line in lines)  # ...and when the level ended
    session = db["sessions"].get(1)
    assert session["status"] == "device_lost" and session["duration_s"] > 0.5
    assert db["samples"].count == round(session["duration_s"] * 120)
    assert db["readings"].count > 100


def test_a_device_that_comes_back_within_the_timeout_lets_play_go_on(tmp_path, capsys):
    port = free_udp_port()
    board = Board(port, rate_hz=200.0, pause_after=200, pause_s=1.5)
    board.start()
    try:
        code, err, db = _play(tmp_path, capsys, port, "--duration", "3", "--device-timeout", "10")
    finally:
        board.stop.set()
        board.join(5)
    assert code == 0, err
    assert any("is back after" in line for line in err.splitlines())
    assert db["sessions"].get(1)["status"] == "completed"
    kinds = [r["kind"] for r in db.query("select kind from events where kind like 'device_%' order by id")]
    assert kinds == ["device_pause", "device_resume"]


class Buttons(PoseSource):
    """A source whose buttons press the given actions at the given frames (a gamepad, in effect)."""

    name = "buttons"

    def __init__(self, presses: dict[int, list[str]]) -> None:
        self.presses, self.frame = presses, 0

    def poll(self, t_s: float) -> Pose:
        return Pose(t_s, 0.0, 0.0, 0.0, 0.0, "stick")

    def ui_actions(self) -> list[str]:
        self.frame += 1
        return self.presses.get(self.frame, [])


def test_a_devices_buttons_drive_the_menus():
    menu = TitleMenu(["kid-07"], [("default", "All levels"), ("still-pond", "Still Pond")])
    screen = TitleScreen(menu)
    pilot = Pilot(open_view("2d", headless=True, sound=False))
    try:
        Loop(ManualClock(), pilot, Buttons({3: ["right"], 4: ["down"], 6: ["confirm"]})).run(screen)
    finally:
        pilot.close()
    assert screen.choice == "start" and menu.level_spec == "still-pond" and pilot.frame == 6


def test_a_headless_calibration_on_a_silent_device_ends_with_an_error_and_stores_nothing(tmp_path, capsys):
    port = free_udp_port()  # nobody sends to it
    db = tmp_path / "p.db"
    code, out, err = run_cli(["calibrate", "--input", f"imu-udp:127.0.0.1:{port}", "--player", "kid-07",
                              "--headless", "--device-timeout", "0.5", "--db", str(db)], capsys)
    assert code == 1 and err.startswith("Error: ") and "nothing was stored" in err and "Check the cable" in err
    assert "Traceback" not in out + err
    assert Database(db)["calibrations"].count == 0
