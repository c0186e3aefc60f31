"""The calibration screen's ways out: keys after a problem, and a headless run that ends instead of looping."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from game.calibration_flow import KEYS_PROBLEM, MAX_ATTEMPTS
from game.core.snapshot import Snapshot
from game.input import SimulatedPlayer
from game.input.calibration import CalibrationError
from game.play.screens.calibration import CalibrationScreen
from tests.cli import run_cli


class ConfusedPlayer(SimulatedPlayer):
    """The simulated player, but it leans right when asked forward-right and forward-right when asked right."""

    def observe(self, snapshot: Snapshot) -> None:
        if snapshot.phase == "trial" and snapshot.targets:
            target = snapshot.targets[0]
            angle = round(math.degrees(math.atan2(target.y, target.x))) % 360
            swap = {45: 0, 0: 45}.get(angle)
            if swap is not None:
                a = math.radians(swap)
                snapshot = replace(snapshot, targets=(replace(target, x=math.cos(a), y=math.sin(a)),))
        super().observe(snapshot)


def run_screen(screen: CalibrationScreen, limit_s: float = 900.0) -> None:
    while not screen.done and screen.t_s < limit_s and (screen.flow.problem is None or screen.max_attempts):
        screen.update(0.1)


def test_headless_a_problem_is_retried_then_ends_with_an_error_that_names_it():
    screen = CalibrationScreen(ConfusedPlayer(0.8, 2), hold_s=1.0, step_limit_s=60.0, max_attempts=MAX_ATTEMPTS)
    with pytest.raises(CalibrationError, match="order|same way") as caught:
        run_screen(screen)
    assert f"in {MAX_ATTEMPTS} attempts" in caught.value.message and caught.value.remedy
    assert screen.flow.attempts == MAX_ATTEMPTS and not screen.done


def test_with_a_person_a_problem_waits_for_a_key_and_each_key_is_a_way_out():
    screen = CalibrationScreen(ConfusedPlayer(0.8, 2), hold_s=1.0)
    run_screen(screen)
    assert screen.flow.problem is not None and not screen.done
    picture = screen.flow.picture(screen.t_s)
    assert picture.keys == KEYS_PROBLEM and picture.message.startswith("Problem:")
    screen.handle("confirm")  # Enter: measure the limits again
    assert screen.flow.problem is None and screen.flow.index == 2
    run_screen(screen)
    assert screen.flow.problem is not None and screen.flow.attempts == 2
    screen.handle("text:s")  # S: default limits around the measured centre
    assert screen.done and len(screen.calibration.skipped) == 8


def test_an_off_level_stance_gives_the_stance_as_centre_and_real_leans_as_limits():
    from game.calibration_flow import CalibrationFlow

    player = SimulatedPlayer(0.8, 4, stance_deg=(0.0, 2.5))
    flow = CalibrationFlow("deg", hold_s=2.0, centre_needs_movement=True)
    t = 0.0
    while not flow.done and t < 300.0:
        player.observe(flow.snapshot(t))
        pose = player.poll(t)
        flow.feed(t, pose.raw_x, pose.raw_y)
        t += 1 / 120
    cal = flow.calibration()
    assert cal.zero == pytest.approx((0.0, 0.0), abs=0.01)  # the board was empty and level
    assert cal.centre == pytest.approx((0.0, 2.5), abs=1.2)  # the stance, within the simulated sway
    for name, reach in cal.reach().items():
        assert 8.0 < reach < 16.0, name  # the simulated player leans 12 degrees from where it stands


def test_the_cli_ends_a_calibration_that_keeps_failing_with_an_error_line(tmp_path, capsys, monkeypatch):
    import game.cli.calibrate as calibrate_cli

    monkeypatch.setattr(calibrate_cli, "open_source", lambda spec, seed, **kw: ConfusedPlayer(0.8, seed))
    code, out, err = run_cli(["calibrate", "--input", "sim", "--player", "kid-07", "--headless", "--seed", "2",
                              "--db", str(tmp_path / "p.db"), "--hold", "1.0"], capsys)
    assert code == 1 and err.startswith("Error: ") and "limits of stability" in err and "Traceback" not in err


def test_the_cli_summary_is_honest_about_what_it_stored(tmp_path, capsys):
    code, out, err = run_cli(["calibrate", "--input", "sim", "--player", "kid-07", "--headless", "--seed", "5",
                              "--db", str(tmp_path / "p.db"), "--hold", "1.0", "--format", "json"], capsys)
    assert code == 0, err
    assert json.loads(out)["skipped"] == []  # every limit was measured
