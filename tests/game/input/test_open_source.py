"""Every --input value: what opens, and what a mistake is told."""

from __future__ import annotations

import pytest

from game.errors import DeviceError, InputSpecError
from game.input import INPUT_CHOICES, DeviceDescription, KeyboardSource, open_source
from game.input.replay import ReplaySource
from telemetry.store.recordings import read_recording
from tests.game.input.support import free_udp_port


def test_every_documented_choice_is_listed_for_an_unknown_value():
    with pytest.raises(InputSpecError) as info:
        open_source("wiimote")
    text = str(info.value)
    for choice in ("keyboard", "gamepad", "imu-serial:PORT[@BAUD]", "imu-udp:HOST:PORT", "lsl:STREAM",
                   "balance-board", "replay:FILE", "sim[:SKILL]"):
        assert choice in text and choice in INPUT_CHOICES


@pytest.mark.parametrize("spec, message", [
    ("imu-serial:", "name the serial port"),
    ("imu-serial:/dev/ttyUSB0@fast", "not a baud rate"),
    ("imu-serial:/dev/ttyUSB0@12", "not a baud rate"),
    ("imu-udp:9000", "HOST:PORT"),
    ("imu-udp:127.0.0.1:http", "not a port number"),
    ("imu-udp:127.0.0.1:70000", "not a port number"),
    ("lsl:", "name the LSL stream"),
    ("replay:", "name the recording"),
    ("replay:x.db#last", "not a session number"),
    ("gamepad:2", "Valid choices"),
    ("balance-board:left", "Valid choices"),
])
def test_malformed_values_say_what_is_wrong_with_an_example(spec, message):
    with pytest.raises(InputSpecError, match=message) as info:
        open_source(spec)
    assert "--input" in str(info.value)


def test_an_imu_over_udp_opens_on_the_given_port():
    port = free_udp_port()
    source = open_source(f"imu-udp:127.0.0.1:{port}")
    try:
        assert source.name == f"imu-udp:127.0.0.1:{port}" and source.address == ("127.0.0.1", port)
        assert source.description == DeviceDescription(
            f"imu-udp:127.0.0.1:{port}", "imu", f"udp:127.0.0.1:{port}", "deg", needs_calibration=True)
    finally:
        source.close()


def test_a_serial_port_that_does_not_exist_is_a_device_error(tmp_path):
    with pytest.raises(DeviceError, match="no serial port"):
        open_source(f"imu-serial:{tmp_path}/ttyACM7@9600")


def test_a_replay_file_that_does_not_exist_is_a_device_error(tmp_path):
    with pytest.raises(DeviceError, match="cannot read the recording"):
        open_source(f"replay:{tmp_path}/missing.csv")
    with pytest.raises(DeviceError, match="no database"):
        open_source(f"replay:{tmp_path}/missing.db#3", read_session=read_recording)


def test_replay_hash_id_reads_the_db_database(tmp_path):
    from telemetry.store.database import open_db
    from telemetry.store.sessions import create_session

    db = open_db(tmp_path / "p.db")
    sid = create_session(db, {"player_id": "p1", "level": "x", "seed": 9})
    db["samples"].insert_all([{"session_id": sid, "step": i, "t_s": i / 120, "x": 0.1, "y": 0.2, "raw_x": 1.0,
                               "raw_y": 2.0, "raw_unit": "deg", "device_t_s": i / 120} for i in range(3)])
    db.close()
    source = open_source(f"replay:#{sid}", db_path=tmp_path / "p.db", read_session=read_recording)
    assert isinstance(source, ReplaySource) and source.recorded_seed == 9
    assert source.description == DeviceDescription(f"replay:p.db#{sid}", "replay", f"replay:p.db#{sid}", "deg", False)


def test_a_drag_on_the_field_steers_the_keyboard_board():
    keys = KeyboardSource()
    keys.set_pointer((0.6, -0.3))
    poses = [keys.poll(i / 120) for i in range(61)]
    assert (poses[-1].x, poses[-1].y) == pytest.approx((0.6, -0.3))
    assert poses[1].x < 0.6  # it moves there quickly but not in one jump
    keys.set_pointer((5.0, float("nan")))  # off the field or nonsense: ignored
    keys.set_pointer(None)  # released: it stays, like the keys
    later = [keys.poll(0.5 + i / 120) for i in range(120)]
    assert (later[-1].x, later[-1].y) == pytest.approx((0.6, -0.3))


def test_screen_pixels_map_to_field_units_forward_up():
    from game.views.pygame_view import screen_to_field  # moved to the view; this test belongs in tests/game/views

    field = (640.0, 388.8, 266.4)  # centre x, centre y, radius in pixels
    assert screen_to_field((640.0, 388.8), field) == (0.0, 0.0)
    assert screen_to_field((640.0 + 266.4, 388.8), field) == pytest.approx((1.0, 0.0))
    assert screen_to_field((640.0, 388.8 - 133.2), field) == pytest.approx((0.0, 0.5))
