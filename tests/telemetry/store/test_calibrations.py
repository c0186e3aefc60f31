from __future__ import annotations

import json
import math

from game.input.calibration import DIRECTIONS_DEG, Calibration
from game.input.threaded import ThreadedSource
from telemetry.store.calibrations import (
    apply_stored_calibration,
    calibration_by_id,
    latest_calibration,
    record_device,
    save_calibration,
)
from telemetry.store.database import open_db


def circle(reach: float, centre=(0.0, 0.0), unit="deg") -> Calibration:
    points = tuple((centre[0] + reach * math.cos(math.radians(d)), centre[1] + reach * math.sin(math.radians(d)))
                   for d in DIRECTIONS_DEG)
    return Calibration(unit, (0.0, 0.0), centre, points)


class Board(ThreadedSource):
    """A device without a thread, for the storage glue."""

    device_kind = "imu"
    raw_unit = "deg"

    def __init__(self, device_id: str) -> None:
        super().__init__("a board")
        self.name = f"imu-udp:{device_id}"
        self.device_id = device_id


def test_the_newest_calibration_for_the_exact_device_wins_else_the_same_kind(tmp_path):
    db = open_db(tmp_path / "p.db")
    a = save_calibration(db, "kid-07", "imu", "udp:0.0.0.0:9000", circle(8).to_row())
    b = save_calibration(db, "kid-07", "imu", "serial:/dev/ttyUSB0", circle(12).to_row())
    save_calibration(db, "kid-08", "imu", "udp:0.0.0.0:9000", circle(20).to_row())
    assert latest_calibration(db, "kid-07", "imu", "udp:0.0.0.0:9000")["id"] == a
    assert latest_calibration(db, "kid-07", "imu", "udp:127.0.0.1:9001")["id"] == b  # another board: the newest
    assert latest_calibration(db, "kid-07", "balance-board") is None
    assert calibration_by_id(db, a)["los"] == circle(8).to_row()["los"]
    assert db["players"].count == 2  # the players were created with their calibrations


def test_a_device_gets_its_player_calibration_and_is_recorded(tmp_path):
    db = open_db(tmp_path / "p.db")
    stored = save_calibration(db, "kid-07", "imu", "udp:9000", circle(5, centre=(1.0, 0.0)).to_row())
    board = Board("udp:9000")
    assert apply_stored_calibration(db, "kid-07", board) == stored
    assert board.calibration.centre == (1.0, 0.0) and board.calibration.id == stored
    assert apply_stored_calibration(db, "someone-else", board) is None
    device = db["devices"].get("udp:9000")
    assert device["kind"] == "imu" and json.loads(device["info"])["raw_unit"] == "deg"
    first_seen = device["first_seen_at"]
    record_device(db, "udp:9000", "imu")
    assert db["devices"].get("udp:9000")["first_seen_at"] == first_seen


def test_a_damaged_or_foreign_calibration_is_skipped_not_fatal(tmp_path):
    db = open_db(tmp_path / "p.db")
    save_calibration(db, "kid-07", "imu", "udp:9000", {**circle(5).to_row(), "los": "{broken"})
    board = Board("udp:9000")
    assert apply_stored_calibration(db, "kid-07", board) is None
    assert board.calibration.default
    save_calibration(db, "kid-07", "imu", "udp:9000", circle(50, unit="mm").to_row())  # another unit
    assert apply_stored_calibration(db, "kid-07", board) is None and board.calibration.default


def test_sources_that_need_no_calibration_are_left_alone(tmp_path):
    from game.input import SimulatedPlayer

    db = open_db(tmp_path / "p.db")
    assert apply_stored_calibration(db, "kid-07", SimulatedPlayer(0.5, 1)) is None
    assert db["devices"].count == 0
