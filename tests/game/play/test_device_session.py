"""The runner with a real device: an IMU over UDP on 127.0.0.1, a stored calibration, a gap, re-zero."""

from __future__ import annotations

import math
import socket
import sqlite3
import threading
import time

import pygame
import pytest
from sqlite_utils import Database

from game.input.calibration import DIRECTIONS_DEG, Calibration
from game.play import Game, PlayOptions
from game.play.pilot import Pilot
from game.views.factory import open_view
from telemetry.store.calibrations import save_calibration
from telemetry.store.database import open_db
from tests.game.input.support import free_udp_port

ROLL_DEG = 5.0  # the player's steady lean: half of the calibrated 10-degree reach


def samples_written(db_path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("select count(*) from samples").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


class Board(threading.Thread):
    """An IMU board on UDP: streams, goes quiet for a while once the game runs, sends bad packets, streams again."""

    def __init__(self, port: int, db_path, gap_s: float = 1.2) -> None:
        super().__init__(daemon=True)
        self.address = ("127.0.0.1", port)
        self.db_path, self.gap_s = db_path, gap_s
        self.stop = threading.Event()
        self.streaming_again = threading.Event()
        self.t_s = 0.0

    def _send_for(self, sock, until) -> None:
        while not until() and not self.stop.is_set():
            self.t_s += 0.005
            sock.sendto(f"{self.t_s:.3f},{ROLL_DEG},0.0\n".encode(), self.address)
            time.sleep(0.005)

    def run(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        deadline = time.monotonic() + 30
        self._send_for(sock, lambda: samples_written(self.db_path) >= 60 or time.monotonic() > deadline)
        for bad in (b"\x00\x01garbage", b"1e9,nan,0", b"99999,720,0", b"0.001,1,1"):  # 4 drops, one each
            sock.sendto(bad, self.address)
        self.stop.wait(self.gap_s)
        self.streaming_again.set()
        self._send_for(sock, lambda: False)
        sock.close()


@pytest.fixture
def played(tmp_path):
    port = free_udp_port()
    db_path = tmp_path / "p.db"
    db = open_db(db_path)
    circle = tuple((10 * math.cos(math.radians(d)), 10 * math.sin(math.radians(d))) for d in DIRECTIONS_DEG)
    stored = save_calibration(db, "kid-07", "imu", f"udp:127.0.0.1:{port}",
                              Calibration("deg", (0.0, 0.0), (0.0, 0.0), circle).to_row())
    db.close()
    board = Board(port, db_path)
    pressed = {"done": False, "streaming_since": None}

    def press_r_once_streaming_again(frame: int) -> None:
        # Press R once the board has been streaming again for a moment: re-zero on the current lean.
        if board.streaming_again.is_set() and not pressed["done"]:
            pressed["streaming_since"] = pressed["streaming_since"] or time.monotonic()
            if time.monotonic() - pressed["streaming_since"] > 0.3:
                pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_r, unicode="r", mod=0, scancode=0))
                pressed["done"] = True

    pilot = Pilot(open_view("2d", headless=True, sound=False), each_poll=press_r_once_streaming_again)
    options = PlayOptions(level="garden-balance", player="kid-07", input=f"imu-udp:127.0.0.1:{port}", seed=1,
                          headless=True, duration_s=2.0, db_path=db_path, sound=False)
    runner = Game(options, view=pilot)
    board.start()
    try:
        summary = runner.run()
    finally:
        board.stop.set()
        board.join(5)
    return summary, Database(db_path), stored


def test_a_device_session_stores_its_calibration_drops_and_rate(played):
    summary, db, stored = played
    assert summary.status == "completed"
    row = db["sessions"].get(1)
    assert row["calibration_id"] == stored
    assert row["dropped_samples"] == 4
    assert row["input_rate_hz"] is not None and row["input_rate_hz"] > 0
    assert row["device"].startswith("imu-udp:127.0.0.1:")
    assert db["samples"].count == 240  # 2 s at 120 Hz: the silent stretch did not advance the game


def test_a_silent_device_pauses_the_game_and_it_resumes(played):
    _, db, _ = played
    events = list(db.query("select kind, data from events where kind in ('device_pause', 'device_resume') order by id"))
    kinds = [e["kind"] for e in events]
    stale = [i for i, e in enumerate(events) if e["kind"] == "device_pause" and '"stale"' in e["data"]]
    assert stale, kinds
    assert "device_resume" in kinds[stale[0] + 1:]


def test_the_recentre_key_re_zeroes_the_device_and_raw_readings_are_kept(played):
    _, db, _ = played
    recentred = list(db.query("select t_s from events where kind = 'recentre'"))
    assert len(recentred) == 1
    t_recentre = recentred[0]["t_s"]
    before = list(db.query("select x, raw_x from samples where t_s < ? and raw_x = ? order by step",
                           [t_recentre, ROLL_DEG]))
    after = list(db.query("select x, raw_x from samples where t_s > ? order by step", [t_recentre]))
    assert before and all(s["x"] == pytest.approx(0.5) for s in before)  # 5 of a calibrated 10 degrees
    assert after and all(s["x"] == pytest.approx(0.0) for s in after)  # the same lean is the new middle
    assert all(s["raw_x"] == ROLL_DEG for s in after)
