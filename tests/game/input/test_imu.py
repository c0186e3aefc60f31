from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.input.imu import (
    MAX_LINE_CHARS,
    ImuLineSource,
    ImuParseError,
    ImuSample,
    TiltEstimator,
    TiltSample,
    parse_line,
    split_lines,
)


def test_the_three_csv_forms_and_json():
    assert parse_line(b"1.5,0.01,0.02,0.99,0.5,-0.5,0.0\n") == ImuSample(1.5, (0.01, 0.02, 0.99), (0.5, -0.5, 0.0))
    with_mag = parse_line("2,0,0,1,0,0,0,20.5,-3,40")
    assert with_mag.mag == (20.5, -3.0, 40.0)
    assert parse_line(" 3.0 , 4.5 , -2.25 ") == TiltSample(3.0, 4.5, -2.25)
    assert parse_line('{"t_s": 4, "roll_deg": 1.5, "pitch_deg": -3}') == TiltSample(4.0, 1.5, -3.0)
    raw = {"t_s": 5, "ax": 0, "ay": 0.1, "az": 0.99, "gx": 1, "gy": 2, "gz": 3, "extra": "ignored"}
    assert parse_line(json.dumps(raw)) == ImuSample(5.0, (0.0, 0.1, 0.99), (1.0, 2.0, 3.0))
    assert parse_line(json.dumps({**raw, "mx": 1, "my": 2, "mz": 3})).mag == (1.0, 2.0, 3.0)


@pytest.mark.parametrize("line", ["", "   ", "# proprio imu sender v1", b"\r"])
def test_blank_and_comment_lines_are_not_samples(line):
    assert parse_line(line) is None


@pytest.mark.parametrize("line, reason", [
    (b"1,2", "malformed"),  # truncated
    (b"1.0,0.1,0.2,0.9,0.0,0.1", "malformed"),  # one value short
    (b"t_s,ax,ay,az,gx,gy,gz", "malformed"),  # a header
    (b"1,abc,2", "malformed"),
    (b"\xff\xfe\x00garbage", "malformed"),
    ("1,\u0661,2", "malformed"),  # an Arabic-Indic digit: not ASCII
    (b"1,nan,0", "nonfinite"),
    (b"1,0,0,1,0,0,inf", "nonfinite"),
    (b'{"t_s": 1, "roll_deg": NaN, "pitch_deg": 0}', "nonfinite"),
    (b"-1,0,0", "out_of_range"),
    (b"1,181,0", "out_of_range"),
    (b"1,0,91", "out_of_range"),
    (b"1,0,0,17,0,0,0", "out_of_range"),  # beyond +-16 g
    (b"1,0,0,1,0,0,2500", "out_of_range"),  # beyond 2000 deg/s
    (b"1,0,0,0,0,0,0", "out_of_range"),  # no gravity: a sensor stuck at zero
    (b"1,0,0,1,0,0,0,0,0,99999", "out_of_range"),
    (b'{"t_s": 1, "roll_deg": true, "pitch_deg": 0}', "malformed"),
    (b'{"t_s": 1, "roll_deg": "2", "pitch_deg": 0}', "malformed"),
    (b'{"t_s": 1}', "malformed"),
    (b"[1, 2, 3]", "malformed"),
    (b"{not json", "malformed"),
    (b"1," * 400, "malformed"),  # longer than any sample line
])
def test_bad_lines_say_which_counter_they_go_to(line, reason):
    with pytest.raises(ImuParseError) as info:
        parse_line(line)
    assert info.value.reason == reason


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=600))
def test_fuzz_arbitrary_bytes_either_parse_to_a_checked_sample_or_raise_parse_error(data):
    try:
        sample = parse_line(data)
    except ImuParseError as exc:
        assert exc.reason in ("malformed", "nonfinite", "out_of_range")
        return
    if sample is None:
        return
    values = (sample.t_s, sample.roll_deg, sample.pitch_deg) if isinstance(sample, TiltSample) else (
        sample.t_s, *sample.accel_g, *sample.gyro_dps, *(sample.mag or ()))
    assert all(math.isfinite(v) for v in values)


numbers = st.floats(allow_nan=True, allow_infinity=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(numbers, st.text(max_size=8)), max_size=12), st.booleans())
def test_fuzz_structured_lines_and_json(values, as_json):
    if as_json:
        keys = ["t_s", "ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"]
        line = json.dumps(dict(zip(keys, values, strict=False)))
    else:
        line = ",".join(str(v) for v in values)
    try:
        sample = parse_line(line)
    except ImuParseError:
        return
    assert sample is None or math.isfinite(sample.t_s)


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1e6), st.floats(-16, 16), st.floats(-16, 16), st.floats(-16, 16),
       st.floats(-2000, 2000), st.floats(-2000, 2000), st.floats(-2000, 2000))
def test_property_a_written_sample_reads_back_exactly(t, ax, ay, az, gx, gy, gz):
    line = ",".join(repr(v) for v in (t, ax, ay, az, gx, gy, gz))
    if not any((ax, ay, az)):
        return
    assert parse_line(line.encode()) == ImuSample(t, (ax, ay, az), (gx, gy, gz))


def test_split_lines_keeps_half_lines_and_drops_endless_garbage():
    buffer, lines, garbage = bytearray(), [], []
    split_lines(buffer, b"1,2,3\n4,5", lines.append, lambda: garbage.append(1))
    split_lines(buffer, b",6\n", lines.append, lambda: garbage.append(1))
    assert lines == [b"1,2,3", b"4,5,6"] and not garbage
    split_lines(buffer, b"x" * (MAX_LINE_CHARS + 1), lines.append, lambda: garbage.append(1))
    assert garbage == [1] and not buffer


def still(t_s: float, roll_deg: float, pitch_deg: float) -> ImuSample:
    """A board held still at a tilt: the accelerometer sees gravity only (sensor x forward, y left, z up)."""
    r, p = math.radians(roll_deg), math.radians(pitch_deg)
    accel = (-math.sin(p), math.sin(r) * math.cos(p), math.cos(r) * math.cos(p))
    return ImuSample(t_s, accel, (0.0, 0.0, 0.0))


@pytest.mark.parametrize("roll, pitch", [(10.0, 0.0), (0.0, 8.0), (-6.0, -4.0)])
def test_fusion_settles_on_a_held_tilt_with_the_project_signs(roll, pitch):
    tilt = TiltEstimator(rate_hz=100.0)
    for i in range(300):
        got = tilt.update(still(i / 100, roll, pitch))
    assert got == pytest.approx((roll, pitch), abs=0.05)


def test_fusion_follows_a_rotation_from_the_gyroscope():
    tilt = TiltEstimator(rate_hz=200.0)
    for i in range(400):  # settle level
        tilt.update(still(i / 200, 0.0, 0.0))
    # roll right at 20 deg/s for 0.5 s; the accelerometer agrees with the rotation
    for i in range(100):
        t = 2.0 + (i + 1) / 200
        sample = still(t, 20.0 * (i + 1) / 200, 0.0)
        roll, _ = tilt.update(ImuSample(t, sample.accel_g, (20.0, 0.0, 0.0)))
    assert roll == pytest.approx(10.0, abs=0.3)


def test_a_line_source_counts_every_kind_of_bad_line_and_keeps_good_ones():
    source = ImuLineSource("test")  # no thread: lines handed over directly
    for line in [b"1.0,2.0,3.0", b"garbage", b"1.5,nan,0", b"0.5,1,1", b"2.0,400,0", b"2.5,4.0,5.0", b"# hello"]:
        source.handle_line(line)
    stats = source.stats()
    assert stats.accepted == 2
    assert stats.dropped_by_reason == {"malformed": 1, "nonfinite": 1, "late": 1, "out_of_range": 1,
                                      "future": 0, "implausible": 0}
    pose = source.poll(0.0)
    assert (pose.raw_x, pose.raw_y, pose.t_s) == (4.0, 5.0, 2.5)


def test_a_device_clock_reset_while_streaming_is_accepted_after_a_run_but_a_short_burst_is_dropped():
    from game.input.threaded import RESTART_RUN

    source = ImuLineSource("test")
    for i in range(10):
        source.handle_line(f"{100 + i * 0.01:.2f},1,1".encode())
    for i in range(5):  # a short burst of stragglers
        source.handle_line(f"{99 + i * 0.01:.2f},2,2".encode())
    source.handle_line(b"100.1,3,3")
    assert source.stats().accepted == 11 and source.stats().dropped_by_reason["late"] == 5
    for i in range(RESTART_RUN + 10):  # the board's clock wrapped round and keeps streaming from 0
        source.handle_line(f"{i * 0.01:.2f},4,4".encode())
    stats = source.stats()
    assert stats.dropped_by_reason["late"] == 5 + RESTART_RUN - 1
    assert stats.accepted == 11 + 11 and source.clock_restarts == 1
    assert source.poll(0.0).raw_x == 4.0
