"""``proprio devices`` and ``proprio calibrate`` end to end (real SQLite, pygame's dummy driver)."""

from __future__ import annotations

import json
import uuid

import pygame
import pytest
from sqlite_utils import Database

from game.input import SimulatedPlayer
from game.input.calibration import Calibration
from game.play.clock import ManualClock
from game.play.loop import Loop
from game.play.pilot import Pilot
from game.play.screens.calibration import CalibrationCancelled, flow_for, run_calibration
from game.views.factory import open_view
from telemetry.store.recorder import Recorder
from tests.cli import run_cli


def test_devices_lists_the_ways_to_play_with_their_input_values(capsys):
    code, out, err = run_cli(["devices", "--lsl-wait", "0", "--format", "json"], capsys)
    assert code == 0, err
    found = {d["input"]: d for d in json.loads(out)}
    for spec in ("keyboard", "sim[:SKILL]", "replay:FILE", "imu-udp:0.0.0.0:9000"):
        assert found[spec]["ready"]
    code, out, _ = run_cli(["devices", "--lsl-wait", "0"], capsys)
    assert code == 0 and "--input keyboard" in out


def test_devices_shows_an_lsl_stream_that_is_running(capsys):
    pylsl = pytest.importorskip("pylsl")
    name = f"proprio-devices-{uuid.uuid4().hex[:6]}"
    outlet = pylsl.StreamOutlet(pylsl.StreamInfo(name, "Tilt", 2, 100, "float32", name))
    if not pylsl.resolve_byprop("name", name, 1, 5.0):
        pytest.skip("liblsl cannot resolve a stream published on this machine")
    code, out, _ = run_cli(["devices", "--lsl-wait", "1.5", "--format", "json"], capsys)
    assert code == 0 and f"lsl:{name}" in {d["input"] for d in json.loads(out)}
    del outlet


def test_headless_calibration_with_the_simulated_player_is_stored(tmp_path, capsys):
    db_path, shot = tmp_path / "p.db", tmp_path / "cal.png"
    code, out, err = run_cli(["calibrate", "--input", "sim", "--player", "kid-07", "--headless", "--seed", "3",
                              "--db", str(db_path), "--hold", "1.0", "--format", "json", "--screenshot", str(shot)],
                             capsys)
    assert code == 0, err
    summary = json.loads(out)
    row = Database(db_path)["calibrations"].get(summary["calibration_id"])
    assert row["player_id"] == "kid-07" and row["device_kind"] == "sim" and row["raw_unit"] == "deg"
    calibration = Calibration.from_row(row)
    for direction, reach in calibration.reach().items():
        assert 8.0 < reach < 15.0, direction  # the simulated board tilts 12 degrees at its limits, plus aim and sway
    image = pygame.image.load(str(shot))
    colours = {tuple(image.get_at((x, y)))[:3] for x in range(0, 1280, 16) for y in range(0, 720, 16)}
    assert len(colours) > 5  # the calibration screen was drawn


@pytest.mark.parametrize("args, message", [
    (["--input", "wiimote", "--player", "kid-07"], "Valid choices"),
    (["--input", "sim", "--player", "Jane Doe"], "is not valid"),
    (["--input", "sim", "--player", "kid-07", "--hold", "0"], "--hold must be a positive"),
])
def test_calibrate_refuses_bad_options_with_an_error_line(tmp_path, capsys, args, message):
    code, out, err = run_cli(["calibrate", "--headless", "--db", str(tmp_path / "p.db"), *args], capsys)
    assert code == 1 and err.startswith("Error: ") and message in err
    assert "Traceback" not in out + err


def test_esc_cancels_and_enter_confirms_on_the_calibration_screen(tmp_path):
    recorder = Recorder(tmp_path / "p.db")
    view = open_view("2d", headless=True, sound=False)
    try:
        esc = Pilot(view, each_poll=lambda frame: pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, unicode="", mod=0, scancode=0)))
        with pytest.raises(CalibrationCancelled, match="nothing was stored"):
            run_calibration(Loop(ManualClock(), esc, SimulatedPlayer(0.6, 1)), recorder, "kid-07", step_limit_s=60.0)
        assert recorder.db["calibrations"].count == 0
        # Enter on every frame: each step is confirmed as soon as a quarter second has been seen
        enter = Pilot(view, script={frame: ["confirm"] for frame in range(1, 2000)})
        calibration = run_calibration(Loop(ManualClock(), enter, SimulatedPlayer(0.6, 1)), recorder, "kid-07",
                                      hold_s=30.0, step_limit_s=60.0)
        assert calibration.id == 1 and recorder.db["calibrations"].count == 1
        assert enter.frame < 2000 and enter.texts("calibration")
    finally:
        view.close()
        recorder.close()


def test_the_screen_draws_the_step_the_live_reading_and_the_recorded_limits():
    view = open_view("2d", headless=True, sound=False)
    try:
        source = SimulatedPlayer(0.6, 1)
        flow = flow_for(source, hold_s=0.5)
        t = 0.0
        while flow.index < 4:
            source.observe(flow.snapshot(t))
            pose = source.poll(t)
            flow.feed(t, pose.raw_x, pose.raw_y)
            t += 1 / 120
        view.draw_calibration(flow.picture(t, notice="No data from the board for 2 s"))
        screen = view.screen
        w, h = screen.get_size()
        yellow = (240, 228, 66)
        sky = (86, 180, 233)
        pixels = {tuple(screen.get_at((x, y)))[:3] for x in range(0, w, 4) for y in range(0, h, 4)}
        assert yellow in pixels and sky in pixels  # the live dot and the recorded limits
    finally:
        view.close()
