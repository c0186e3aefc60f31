"""The balance board at its own rate: every frame one reading, at the frame's time; the rate is the board's."""

from __future__ import annotations

import pytest

from game.input.balance_board import BalanceBoardSource
from tests.game.input.evdev_files import FakeNode, frame
from tests.game.input.support import FakeClock, wait_until

TR, BR, TL, BL = 0x10, 0x11, 0x12, 0x13  # ABS_HAT0X, ABS_HAT0Y, ABS_HAT1X, ABS_HAT1Y
RATE_HZ = 59.0  # what a real board sends while someone sways on it


def test_a_59_hz_board_gives_59_readings_a_second_none_repeated_and_reports_59_hz(tmp_path):
    node = FakeNode(tmp_path)
    clock = FakeClock()  # the arrival clock: moved one frame period after each frame is taken
    source = BalanceBoardSource(finder=lambda: [node.board()], clock=clock)
    frames = int(3 * RATE_HZ)
    times = [200.0 + i / RATE_HZ for i in range(frames)]
    try:
        for i, t in enumerate(times):
            right = 1500 + 40 * (i % 9)  # 15-18.2 kg on each right cell, 15 kg on each left: swaying
            node.write(frame(t, {TR: right, BR: right, TL: 1500, BL: 1500}))
            assert wait_until(lambda i=i: source.stats().accepted == i + 1)
            assert source.poll(0.0).t_s == pytest.approx(t, abs=1e-6)  # the game still steps on the newest
            clock.now += 1.0 / RATE_HZ
        kept = source.readings()
        assert [r.t_s for r in kept] == pytest.approx(times, abs=1e-6)  # one per frame, at its own time
        span_s = kept[-1].t_s - kept[0].t_s
        assert (len(kept) - 1) / span_s == pytest.approx(RATE_HZ, rel=1e-3)
        assert all(a.t_s < b.t_s for a, b in zip(kept, kept[1:], strict=False))  # nothing repeated
        assert source.readings() == []  # each reading handed over once
        rate = source.stats().rate_hz
        assert rate is not None and rate == pytest.approx(RATE_HZ, rel=0.02)  # was 120: the resampling grid
    finally:
        source.close()
        node.unplug()


def test_a_reading_is_the_frames_own_centre_of_pressure(tmp_path):
    node = FakeNode(tmp_path)
    source = BalanceBoardSource(finder=lambda: [node.board()])
    try:
        node.write(frame(10.0, {TR: 1800, BR: 1800, TL: 1200, BL: 1200}))  # 60 % on the right
        node.write(frame(10.017, {TR: 1200, BR: 1200, TL: 1800, BL: 1800}))  # 60 % on the left
        assert wait_until(lambda: source.stats().accepted == 2)
        kept = source.readings()
        flat = [value for r in kept for value in (r.t_s, r.raw_x, r.raw_y)]
        assert flat == pytest.approx([10.0, 43.3, 0.0, 10.017, -43.3, 0.0])
    finally:
        source.close()
        node.unplug()
