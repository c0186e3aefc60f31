"""The Wii Balance Board: COP geometry, tare, and real evdev frames through inputs (one reading per frame)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.errors import DeviceError
from game.input.balance_board import (
    BalanceBoardSource,
    BoardState,
    centre_of_pressure,
)
from tests.game.input.evdev_files import FakeNode, frame
from tests.game.input.support import wait_until

TR, BR, TL, BL = 0x10, 0x11, 0x12, 0x13  # ABS_HAT0X, ABS_HAT0Y, ABS_HAT1X, ABS_HAT1Y


def loads(tr, br, tl, bl):
    """Corner loads in kg as the driver reports them (10 g units)."""
    return {TR: round(tr * 100), BR: round(br * 100), TL: round(tl * 100), BL: round(bl * 100)}


def test_cop_is_at_the_loaded_corner_and_in_the_middle_when_even():
    assert centre_of_pressure((40.0, 0.0, 0.0, 0.0)) == pytest.approx((216.5, 119.0, 40.0))
    assert centre_of_pressure((0.0, 0.0, 0.0, 40.0)) == pytest.approx((-216.5, -119.0, 40.0))
    assert centre_of_pressure((10.0, 10.0, 10.0, 10.0)) == pytest.approx((0.0, 0.0, 40.0))
    ml, ap, total = centre_of_pressure((15.0, 15.0, 5.0, 5.0))  # 3/4 of the weight on the right
    assert (ml, ap, total) == pytest.approx((216.5 * 0.5, 0.0, 40.0))


@settings(max_examples=300, deadline=None)
@given(st.tuples(*[st.floats(0.0, 150.0)] * 4))
def test_property_cop_stays_on_the_board(corners):
    ml, ap, total = centre_of_pressure(corners)
    assert abs(ml) <= 216.5 + 1e-9 and abs(ap) <= 119.0 + 1e-9
    assert total == pytest.approx(sum(corners))


def test_an_empty_board_tares_itself_and_presence_has_hysteresis():
    board = BoardState.fresh()
    for i, tr in enumerate([0.3] * 200):  # 0.3 kg of drift on one corner for about 1.5 s, empty
        board.loads = [tr, 0.0, 0.0, 0.0]
        board.frame(i / 120)
    assert board.tare[0] == pytest.approx(0.3) and not board.present
    board.loads = [20.3, 20.0, 20.0, 20.0]
    ml, ap, total = board.frame(2.0)
    assert board.present and total == pytest.approx(80.0) and ml == pytest.approx(0.0, abs=1e-9)
    board.loads = [2.0, 2.0, 2.0, 2.0]  # 8 kg: between the two thresholds, still present
    board.frame(2.1)
    assert board.present
    board.loads = [1.0, 1.0, 1.0, 1.0]
    board.frame(2.2)
    assert not board.present
    board.loads = [200.0, 0.0, 0.0, 0.0]
    assert board.frame(2.3) == "out_of_range"


def test_a_board_on_evdev_gives_cop_in_mm_one_reading_per_frame_and_pauses_when_stepped_off(tmp_path):
    node = FakeNode(tmp_path)
    source = BalanceBoardSource(finder=lambda: [node.board()])
    try:
        assert source.status().reason == "empty"
        t = 100.0
        for i in range(40):  # a person of 60 kg leaning right: 60 % of the weight on the right cells
            t += 0.008 + 0.006 * (i % 3)  # irregular frame timing
            node.write(frame(t, loads(18.0, 18.0, 12.0, 12.0)))
        expected = 40  # one reading per frame, at the frame's own time
        # wait for the reader thread to have taken every frame written (not just the first)
        assert wait_until(lambda: source.stats().accepted >= expected)
        assert source.status().ready
        pose = source.poll(0.0)
        assert pose.raw_unit == "mm"
        assert (pose.raw_x, pose.raw_y) == pytest.approx((43.3, 0.0), abs=1e-6)
        assert pose.x == pytest.approx(0.433)  # the default reach before calibration: 100 mm to the side
        stats = source.stats()
        assert stats.accepted == expected
        node.write(frame(t + 0.01, loads(0.5, 0.5, 0.5, 0.5)))  # stepped off
        assert wait_until(lambda: source.status().reason == "empty")
        assert "Step on the board" in source.status().notice
        node.write(frame(t + 0.02, {TR: 30000, BR: 0, TL: 0, BL: 0}))  # 300 kg on one corner: broken frame
        assert wait_until(lambda: source.stats().dropped_by_reason["out_of_range"] == 1)
        node.unplug()
        assert wait_until(lambda: source.status().reason == "disconnected")
    finally:
        source.close()


def test_no_board_explains_pairing():
    with pytest.raises(DeviceError, match="Balance Board") as info:
        BalanceBoardSource(finder=lambda: [])
    assert "bluetoothctl" in str(info.value)


def test_scanning_for_boards_reads_the_kernel_names_without_failing():
    from game.input.balance_board import find_balance_boards

    assert all("Balance" in b.name for b in find_balance_boards())  # usually none here; the scan must not fail


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([TR, BR, TL, BL, 0x00, 0x01]), st.integers(-2**31, 2**31 - 1)),
                max_size=40))
def test_fuzz_any_axis_values_give_a_finite_cop_on_the_board_or_a_refused_frame(events):
    board = BoardState.fresh()
    names = {TR: "ABS_HAT0X", BR: "ABS_HAT0Y", TL: "ABS_HAT1X", BL: "ABS_HAT1Y", 0x00: "ABS_X", 0x01: "ABS_Y"}
    for i, (code, value) in enumerate(events):
        board.feed(names[code], value)
        frame_ = board.frame(i / 100)
        if frame_ == "out_of_range":
            continue
        ml, ap, total = frame_
        assert math.isfinite(ml) and math.isfinite(ap) and math.isfinite(total)
        if total > 6.0:  # with somebody on it, the centre of pressure is on the board
            assert abs(ml) <= 216.5 + 5.0 and abs(ap) <= 119.0 + 5.0
