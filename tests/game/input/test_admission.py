"""Admission that cannot be poisoned: a bad stamp or value costs that sample only (issue 16, defect 2)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.input.device import MAX_DEVICE_T_S
from game.input.pose import Reading
from game.input.replay import poses_from_rows
from game.input.threaded import (
    ARRIVAL_TOLERANCE,
    FUTURE_SLACK_S,
    HOLD_SLACK_S,
    HOLD_STEPS,
    RESTART_RUN,
    ThreadedSource,
)
from tests.game.input.support import FakeClock

PERIOD_S = 1 / 240  # a 240 Hz board


class Pushed(ThreadedSource):
    """A device whose 'reader thread' is the test: each sample arrives one period after the last."""

    name = "pushed"

    def __init__(self, raw_unit: str = "deg") -> None:
        self.raw_unit = raw_unit
        self.clock = FakeClock()
        super().__init__("a test device", clock=self.clock)

    def _run(self) -> None:
        """No thread: the test sends."""

    def send(self, t_s: float, x: float = 1.0, y: float = 1.0, arrival_gap_s: float = PERIOD_S) -> None:
        self.clock.now += arrival_gap_s
        if self._admit(t_s):
            self._push(Reading(t_s, x, y))


def steady(device: Pushed, count: int, start_s: float = 10.0) -> float:
    """``count`` good samples from ``start_s``; the device time of the last one."""
    for i in range(count):
        device.send(start_s + i * PERIOD_S)
    return start_s + (count - 1) * PERIOD_S


@pytest.mark.parametrize(("stamp", "reason"), [(1e308, "implausible"), (-1e308, "implausible"),
                                               (MAX_DEVICE_T_S * 2, "implausible"), (math.inf, "nonfinite"),
                                               (math.nan, "nonfinite"), ("+30", "future"), ("+1e9", "future")])
def test_one_poisoned_stamp_costs_that_sample_and_no_good_one(stamp, reason):
    device = Pushed()
    last = steady(device, 50)
    device.send(last + float(stamp[1:]) if isinstance(stamp, str) else stamp, 99.0, 99.0)
    assert device._last_t_s == last  # the bad stamp never becomes what the next ones are judged against
    steady(device, 120, start_s=last + PERIOD_S)
    stats = device.stats()
    assert stats.accepted == 170 and stats.dropped == 1 and stats.dropped_by_reason[reason] == 1
    kept = device.readings()
    assert len(kept) == 170 and all(r.raw_x == 1.0 and r.t_s < 11.0 for r in kept)
    assert device.clock_restarts == 0


@pytest.mark.parametrize("ahead_s", [0.5, 1.0, FUTURE_SLACK_S - 0.01])
def test_a_stamp_a_little_ahead_is_held_and_dropped_when_the_stream_runs_on_from_before_it(ahead_s):
    device = Pushed()
    last = steady(device, 50)
    device.send(last + ahead_s, 99.0, 99.0)  # within the slack: not "future" yet, but a jump the arrivals deny
    assert device.stats().accepted == 50 and device.readings()[-1].t_s == last  # held, not offered
    steady(device, 120, start_s=last + PERIOD_S)  # the next one runs on from before it: it was poisoned
    stats = device.stats()
    assert stats.accepted == 170 and stats.dropped == 1 and stats.dropped_by_reason["future"] == 1
    assert all(r.raw_x == 1.0 for r in device.readings()) and device.clock_restarts == 0


def test_a_real_jump_is_held_for_one_sample_then_released():
    device = Pushed()
    last = steady(device, 50)
    jumped = last + 1.0  # the board skipped a second of samples (its sensor stalled, the link did not)
    device.send(jumped, 5.0, 5.0)
    assert device.poll(0.0).raw_x == 1.0  # one sample's delay
    steady(device, 10, start_s=jumped + PERIOD_S)  # the stream runs on from the jump: it was real
    kept = device.readings()
    assert device.stats().accepted == 61 and device.stats().dropped == 0
    assert [r.t_s for r in kept[49:52]] == [last, jumped, jumped + PERIOD_S]


def test_a_stamp_ahead_by_no_more_than_the_silence_allows_is_accepted():
    device = Pushed()
    last = steady(device, 10)
    device.send(last + 10.0, arrival_gap_s=10.0)  # ten seconds without a sample (Wi-Fi away): ten seconds on
    device.send(last + 10.0 + 10.0 * ARRIVAL_TOLERANCE + FUTURE_SLACK_S + 0.5, arrival_gap_s=10.0)  # too far
    assert device.stats().accepted == 11 and device.stats().dropped_by_reason["future"] == 1


@pytest.mark.parametrize(("raw_unit", "x", "y"), [("deg", 400.0, 0.0), ("deg", 0.0, -181.0), ("mm", 5000.0, 0.0),
                                                  ("stick", 0.0, 1.6), ("deg", 1e308, 0.0)])
def test_an_absurd_value_is_dropped_and_its_time_taken_back(raw_unit, x, y):
    device = Pushed(raw_unit)
    last = steady(device, 20)
    device.send(last + 0.5, x, y)  # a plausible time, an impossible reading
    assert device._last_t_s == last
    device.send(last + PERIOD_S, 0.5, 0.5)  # earlier than the refused one: not late, since that one never counted
    stats = device.stats()
    assert stats.accepted == 21 and stats.dropped_by_reason["implausible"] == 1
    assert all(abs(r.raw_x) <= 1.0 and abs(r.raw_y) <= 1.0 for r in device.readings())


def test_a_nan_value_is_counted_as_nonfinite_and_its_time_taken_back():
    device = Pushed()
    last = steady(device, 5)
    device.send(last + 1.0, math.nan, 0.0)
    device.send(last + PERIOD_S)
    assert device.stats().dropped_by_reason["nonfinite"] == 1 and device.stats().accepted == 6


def test_a_device_clock_that_jumps_forward_and_runs_on_is_followed_after_a_run():
    device = Pushed()
    last = steady(device, 10)
    jumped = 1.8e9  # the board set its clock from the network: Unix time from now on
    for i in range(RESTART_RUN + 10):
        device.send(jumped + i * PERIOD_S)
    stats = device.stats()
    assert stats.dropped_by_reason["future"] == RESTART_RUN - 1 and device.clock_restarts == 1
    assert stats.accepted == 10 + 11 and device._last_t_s > last


def test_a_device_clock_restart_after_silence_and_while_streaming_still_works():
    device = Pushed()
    steady(device, 10, start_s=50.0)
    device.send(0.1, arrival_gap_s=2.0)  # the board rebooted after two seconds of silence
    assert device.clock_restarts == 1 and device.stats().accepted == 11
    device.send(0.05)  # a late one right after is still late
    steady(device, 200, start_s=0.2)
    for i in range(RESTART_RUN + 5):  # its clock wrapped round while streaming
        device.send(i * PERIOD_S)
    stats = device.stats()
    assert device.clock_restarts == 2 and stats.dropped_by_reason["late"] == 1 + RESTART_RUN - 1
    assert stats.accepted == 11 + 200 + 6


def test_stored_rows_with_a_poisoned_stamp_or_value_replay_without_it():
    rows = [(i / 120, 0.1, 0.2, 1.0, 2.0, "deg") for i in range(10)]
    rows.insert(3, (1e308, 0.1, 0.2, 1.0, 2.0, "deg"))  # absurd
    rows.insert(6, (5000.0, 0.1, 0.2, 1.0, 2.0, "deg"))  # a plausible number far ahead: a spike
    rows.insert(8, (8 / 120 - 0.001, 0.1, 0.2, 400.0, 2.0, "deg"))  # a tilt no board reports
    rows.insert(9, (8 / 120 - 0.0005, 1e308, 0.2, 1.0, 2.0, "los"))
    poses, dropped = poses_from_rows(rows)
    assert [p.t_s for p in poses] == [i / 120 for i in range(10)] and dropped == 4


# -- fuzz ------------------------------------------------------------------------------------
BAD_STAMPS = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308]),
    st.floats(MAX_DEVICE_T_S * 1.01, 1e300),
    st.floats(FUTURE_SLACK_S + 0.1, 1e9).map(lambda ahead: ("ahead", ahead)),
    st.floats(0.0, 1.0).map(lambda share: ("near", share)),  # ahead, but within the slack: held, then dropped
)
BAD_VALUES = st.one_of(st.floats(180.5, 1e308), st.floats(-1e308, -180.5), st.sampled_from([math.nan, math.inf]))
EVENTS = st.lists(st.one_of(st.just("good"), BAD_STAMPS.map(lambda s: ("stamp", s)),
                            BAD_VALUES.map(lambda v: ("value", v))), min_size=1, max_size=300)


@settings(max_examples=200, deadline=None)
@given(events=EVENTS, rate_hz=st.floats(20.0, 1000.0))
def test_fuzz_good_samples_are_never_dropped_and_bad_ones_never_kept(events, rate_hz):
    device = Pushed()
    period = 1.0 / rate_hz
    t_s = 100.0
    for _ in range(5):  # the stream is steady
        t_s += period
        device.send(t_s, arrival_gap_s=period)
    good = 5
    since_good_s = 0.0  # arrival time since the last good sample
    previous: object = "good"
    for event in events:
        since_good_s += period
        if event == "good":
            t_s += period
            device.send(t_s, arrival_gap_s=period)
            good += 1
            since_good_s = 0.0
        elif event[0] == "stamp":
            stamp = event[1]
            if isinstance(stamp, tuple) and stamp[0] == "near" and previous == "good":
                # a lone stamp ahead by more than a jump may be, less than "future": held, then dropped
                low = since_good_s * ARRIVAL_TOLERANCE + max(HOLD_SLACK_S, HOLD_STEPS * period) + 0.01
                high = since_good_s * ARRIVAL_TOLERANCE + FUTURE_SLACK_S - 0.01
                stamp = t_s + low + stamp[1] * (high - low)
            elif isinstance(stamp, tuple):  # ahead of the stream by more than the arrival time and slack allow
                stamp = t_s + since_good_s * ARRIVAL_TOLERANCE + FUTURE_SLACK_S + 0.1 + stamp[1]
            device.send(stamp, 99.0, 99.0, arrival_gap_s=period)
        else:
            device.send(t_s + period / 2, event[1], 0.0, arrival_gap_s=period)  # a good time, a bad value
        previous = event
    t_s += period
    device.send(t_s, arrival_gap_s=period)  # one more good sample settles a held one
    good += 1
    stats = device.stats()
    kept = device.readings()
    assert stats.accepted == good == len(kept) and stats.dropped == len(events) + 6 - good
    assert all(r.raw_x == 1.0 for r in kept) and device.clock_restarts == 0
    assert all(a.t_s < b.t_s for a, b in zip(kept, kept[1:], strict=False))


ROW_POISONS = st.one_of(
    st.tuples(st.sampled_from([math.nan, math.inf, 1e308, -1e308, 5e3, 1e9]), st.just(1.0)),  # a bad stamp
    st.tuples(st.just(None), st.sampled_from([400.0, -181.0, 1e308, math.nan])),  # a good stamp, a bad tilt
)


@settings(max_examples=200, deadline=None)
@given(good=st.integers(25, 200), poisons=st.lists(st.tuples(st.integers(0, 198), ROW_POISONS), max_size=20))
def test_fuzz_a_recording_keeps_every_good_row_and_no_bad_one(good, poisons):
    rows: list[tuple[float, float, float, float, float, str]] = [(i / 120, 0.1, 0.2, 1.0, 2.0, "deg")
                                                                 for i in range(good)]
    for position, (stamp, raw_x) in sorted(poisons, key=lambda poison: poison[0], reverse=True):
        # more good rows after it than there are poisons: stamps far ahead are then spikes, not the recording's end
        at = min(position, good - 22)
        t_s = stamp if stamp is not None else rows[at][0] - 1e-6
        rows.insert(at, (t_s, 0.1, 0.2, raw_x, 2.0, "deg"))
    poses, dropped = poses_from_rows(rows)
    assert [p.t_s for p in poses] == [i / 120 for i in range(good)] and dropped == len(poisons)
    assert all(p.raw_x == 1.0 for p in poses)
