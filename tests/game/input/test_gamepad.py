"""Gamepads: real evdev bytes through inputs' GamePad class; the stick model; hot-plugging."""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.errors import DeviceError
from game.input.gamepad import ABS_CODES, GamepadSource, StickState, radial_dead_zone
from tests.game.input.evdev_files import EV_KEY, FakeNode, event, frame
from tests.game.input.support import wait_until

X, Y, RX, RY = ABS_CODES["ABS_X"], ABS_CODES["ABS_Y"], ABS_CODES["ABS_RX"], ABS_CODES["ABS_RY"]
LT, RT, HX, HY = ABS_CODES["ABS_Z"], ABS_CODES["ABS_RZ"], ABS_CODES["ABS_HAT0X"], ABS_CODES["ABS_HAT0Y"]
BTN_SOUTH = 0x130


@pytest.fixture
def pads(tmp_path):
    """Fake event nodes and the sources made on them, all closed at the end."""
    made = {"nodes": [], "sources": []}

    def node(name="event0") -> FakeNode:
        made["nodes"].append(FakeNode(tmp_path, name))
        return made["nodes"][-1]

    def source(finder, **kwargs) -> GamepadSource:
        made["sources"].append(GamepadSource(finder=finder, **kwargs))
        return made["sources"][-1]

    yield node, source
    for node_ in made["nodes"]:
        node_.unplug()
    for source_ in made["sources"]:
        source_.close()


def test_stick_events_become_x_right_and_y_forward(pads):
    node, source = pads
    fifo = node()
    pad = source(lambda: [fifo.gamepad()])
    fifo.write(frame(10.0, {X: 32767, Y: 0}))  # full right
    assert wait_until(lambda: pad.stats().accepted == 1)
    pose = pad.poll(0.0)
    assert pose.x == pytest.approx(1.0) and pose.y == pytest.approx(0.0, abs=1e-4)
    assert pose.raw_unit == "stick" and pose.t_s == 10.0
    fifo.write(frame(10.01, {X: 0, Y: -32768}))  # pushed away from the player: forward
    fifo.write(event(10.015, EV_KEY, BTN_SOUTH, 1))  # a button press in between changes nothing
    assert wait_until(lambda: pad.stats().accepted == 2)
    pose = pad.poll(0.0)
    assert pose.x == pytest.approx(0.0, abs=1e-4) and pose.y == pytest.approx(1.0)


def test_small_stick_drift_is_inside_the_dead_zone_and_only_the_left_stick_steers(pads):
    node, source = pads
    fifo = node()
    pad = source(lambda: [fifo.gamepad()], dead_zone=0.15)
    fifo.write(frame(1.0, {X: 3000, Y: -3000}))  # about 0.13 of the throw: drift
    fifo.write(frame(1.01, {RX: 32767}))  # the right stick pushed all the way: not the steering stick
    assert wait_until(lambda: pad.stats().accepted == 2)
    assert (pad.poll(0.0).x, pad.poll(0.0).y) == (0.0, 0.0)
    fifo.write(frame(1.02, {X: 16384, Y: 0}))  # the left stick half way: just over 0.4 after the dead zone
    assert wait_until(lambda: pad.stats().accepted == 3)
    pose = pad.poll(0.0)
    assert pose.x == pytest.approx((0.5 - 0.15) / 0.85, abs=0.01) and pose.y == pytest.approx(0.0, abs=1e-4)


def test_triggers_do_not_steer_and_the_dpad_does():
    state = StickState()
    state.feed("ABS_RZ", 255)
    assert state.vector() == (0.0, 0.0)  # a trigger (or a generic pad's right stick) is not a lean
    state.feed("ABS_Z", 255)
    assert state.vector() == (0.0, 0.0)
    state.feed("ABS_HAT0Y", -1)  # d-pad up: not a lean (the stick's), a direction to move the board
    assert state.vector() == (0.0, 0.0) and state.dpad() == (0.0, 1.0)
    state.feed("ABS_HAT0X", 1)
    assert state.dpad() == (1.0, 1.0)


def test_the_dpad_moves_the_board_like_the_arrow_keys_and_the_stick_leans_on_top(pads):
    from game.core.world import STEP_S
    from game.input.keyboard import travel

    node, source = pads
    fifo = node()
    pad = source(lambda: [fifo.gamepad()])
    fifo.write(frame(1.0, {HX: 1}))  # d-pad right, held for half a second of play
    assert wait_until(lambda: pad.stats().accepted == 1)
    poses = [pad.poll(i * STEP_S) for i in range(61)]
    assert poses[-1].x == pytest.approx(travel(0.5)) and poses[-1].y == pytest.approx(0.0, abs=1e-4)
    fifo.write(frame(1.5, {HX: 0}))  # let go: the board stays where it is
    assert wait_until(lambda: pad.stats().accepted == 2)
    assert pad.poll(2.0).x == pytest.approx(travel(0.5))
    fifo.write(frame(2.0, {X: 16384}))  # the stick half right leans on top of the board
    assert wait_until(lambda: pad.stats().accepted == 3)
    assert pad.poll(2.1).x == pytest.approx(travel(0.5) + (0.5 - 0.15) / 0.85, abs=0.01)
    fifo.write(frame(2.5, {X: 0, HX: 1, HY: -1}))  # up and right for long: the field's edge, not the square's corner
    assert wait_until(lambda: pad.stats().accepted == 4)
    last = [pad.poll(2.1 + i * STEP_S) for i in range(1, 400)][-1]
    assert math.hypot(last.x, last.y) == pytest.approx(1.0)
    fifo.write(frame(3.0, {HX: 0, HY: 0}))
    assert wait_until(lambda: pad.stats().accepted == 5)
    pad.recentre()  # R: the board back to level (and the stick re-zeroed on its reading)
    pose = pad.poll(6.0)
    assert (pose.x, pose.y) == pytest.approx((0.0, 0.0), abs=1e-4)


def test_an_untouched_pad_steers_to_the_middle_and_the_wind_then_fails_its_holds():
    """Position control: a stick at rest is a level board, and the level's push (in the core) does the rest."""
    from game.core.world import STEP_S
    from game.input.pose import Pose
    from game.level.loader import load_level
    from game.session import start_session

    state = StickState()
    assert state.vector() == (0.0, 0.0)
    session = start_session(load_level("garden-balance").level, 1, stop_at_s=60.0)
    results = []
    while not session.finished:
        x, y = state.vector()
        results.extend(session.advance(Pose(session.t_s, x, y, x, y, "stick")).results)
    assert results and not any(r.success for r in results)
    assert session.t_s >= 60.0 - STEP_S


def test_a_pad_that_reports_0_to_255_sticks_is_centred_from_its_range():
    state = StickState({"ABS_X": (0, 255), "ABS_Y": (0, 255)})
    state.feed("ABS_X", 128)
    state.feed("ABS_Y", 127)
    assert state.vector() == (0.0, 0.0)
    state.feed("ABS_X", 255)
    assert state.vector()[0] == pytest.approx(1.0, abs=0.01)


def test_pulling_the_pad_out_pauses_and_plugging_one_in_resumes(pads):
    node, source = pads
    plugged = [node("event0")]
    pad = source(lambda: [n.gamepad() for n in plugged], rescan_s=0.02)
    plugged[0].write(frame(5.0, {X: 32767}))
    assert wait_until(lambda: pad.stats().accepted == 1)
    assert pad.status().ready  # a pad at rest sends nothing, yet it is ready
    gone = plugged.pop()
    gone.unplug()
    assert wait_until(lambda: not pad.status().ready)
    status = pad.status()
    assert status.reason == "disconnected" and "gamepad" in status.notice.lower()
    plugged.append(node("event1"))  # another pad (or the same one again) appears
    assert wait_until(lambda: pad.status().ready)
    plugged[0].write(frame(1.0, {X: -32768}))  # its own clock, earlier than the first pad's
    assert wait_until(lambda: pad.stats().accepted == 2)
    assert pad.poll(0.0).x == pytest.approx(-1.0)


def test_no_gamepad_names_the_fix():
    with pytest.raises(DeviceError, match="no gamepad found") as info:
        GamepadSource(finder=lambda: [])
    assert "proprio devices" in str(info.value)


def test_a_pad_that_vanished_before_it_was_opened_is_an_error_not_a_crash(tmp_path):
    fifo = FakeNode(tmp_path)
    pad = fifo.gamepad()
    fifo.path.unlink()  # the node vanished between the scan and the open
    with pytest.raises(DeviceError, match="cannot open"):
        GamepadSource(finder=lambda: [pad])
    fifo.unplug()


def test_a_pad_this_user_may_not_read_names_the_input_group(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root, so the kernel grants every permission")
    fifo = FakeNode(tmp_path)
    fifo.path.chmod(0)
    try:
        with pytest.raises(DeviceError, match="permission denied") as info:
            GamepadSource(finder=lambda: [fifo.gamepad()])
        assert "usermod -aG input" in str(info.value)
    finally:
        fifo.unplug()


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(ABS_CODES)), st.integers(-2**31, 2**31 - 1)), st.floats(0.0, 0.9))
def test_property_any_axis_values_steer_inside_the_unit_square_with_the_dead_zone_kept(values, dead_zone):
    state = StickState(dead_zone=dead_zone)
    for code, value in values.items():
        state.feed(code, value)
    x, y = state.vector()
    assert math.isfinite(x) and math.isfinite(y)
    assert -1.0 <= x <= 1.0 and -1.0 <= y <= 1.0


@settings(max_examples=300, deadline=None)
@given(st.floats(-1, 1), st.floats(-1, 1), st.floats(0.0, 0.9))
def test_property_radial_dead_zone(x, y, dead_zone):
    ox, oy = radial_dead_zone(x, y, dead_zone)
    if math.hypot(x, y) <= dead_zone:
        assert (ox, oy) == (0.0, 0.0)
    else:
        assert math.hypot(ox, oy) <= 1.0 + 1e-12
        assert ox * x >= 0 and oy * y >= 0  # never flips a direction
