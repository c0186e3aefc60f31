"""Fusion that holds and units that are checked, on physics-built signals with known angles (imu_signals)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.input.imu import GAP_S, ImuLineSource, ImuSample, TiltEstimator, UnitCheck
from tests.game.input import imu_signals
from tests.game.input.imu_signals import DEG_PER_RAD, STANDARD_GRAVITY_MPS2, ImuSignal

NOISE = {"gyro_noise_dps": 0.1, "accel_noise_g": 0.005}  # an MPU-6050 at 100 Hz, roughly
REACH_DEG = 10.0  # the default calibration: 10 degrees = 1 limit of stability


def fuse(signal: ImuSignal, rate_hz: float = 100.0) -> np.ndarray:
    """(roll_deg, pitch_deg) after each sample, straight through the estimator."""
    tilt = TiltEstimator(rate_hz=rate_hz)
    out = np.empty((len(signal), 2))
    for i, (t, a, g) in enumerate(zip(signal.t_s, signal.accel_g, signal.gyro_dps, strict=True)):
        out[i] = tilt.update(ImuSample(float(t), tuple(a), tuple(g)))
    return out


def rms_error_deg(signal: ImuSignal, got: np.ndarray) -> float:
    return float(np.sqrt(np.mean((got[:, 0] - signal.roll_deg) ** 2 + (got[:, 1] - signal.pitch_deg) ** 2)))


offsets = st.floats(-20.0, 20.0, allow_nan=False)


@settings(max_examples=10, deadline=None)
@given(st.tuples(offsets, offsets, offsets), st.integers(0, 1000))
def test_property_a_still_board_with_any_gyro_offset_up_to_20_dps_stays_centred_for_minutes(offset, seed):
    signal = imu_signals.still(180.0, 100.0, gyro_bias_dps=offset, seed=seed, **NOISE)
    got = fuse(signal)
    assert np.max(np.abs(got)) / REACH_DEG < 0.05  # |x| and |y| from the very first sample


@pytest.mark.parametrize("offset", [(20.0, 20.0, 20.0), (-20.0, 20.0, -20.0), (6.0, 0.0, 0.0)])
def test_the_worst_offsets_at_1_khz_stay_centred(offset):
    signal = imu_signals.still(60.0, 1000.0, gyro_bias_dps=offset, **NOISE)
    got = fuse(signal, rate_hz=1000.0)
    assert np.max(np.abs(got)) / REACH_DEG < 0.05


def test_a_tilted_still_board_with_an_offset_reads_its_tilt():
    signal = imu_signals.still(120.0, 100.0, 8.0, -5.0, gyro_bias_dps=(-15.0, 12.0, 4.0), **NOISE)
    got = fuse(signal)
    assert np.max(np.abs(got[100:] - (8.0, -5.0))) < 0.5


@pytest.mark.parametrize("rate_hz", [100.0, 1000.0])
def test_recorded_style_motion_up_to_60_deg_gives_the_angles_within_1_deg_rms(rate_hz):
    signal = imu_signals.wobbling(60.0, rate_hz, amplitude_deg=60.0, gyro_bias_dps=(5.0, -4.0, 3.0), seed=3, **NOISE)
    assert np.max(np.abs(signal.roll_deg)) == pytest.approx(60.0)
    got = fuse(signal, rate_hz)
    assert rms_error_deg(signal, got) < 1.0


def test_an_offset_is_learnt_while_moving_when_the_board_never_lay_still():
    signal = imu_signals.wobbling(180.0, 100.0, amplitude_deg=20.0, rest_s=0.0, gyro_bias_dps=(4.0, -4.0, 2.0),
                                  seed=5, **NOISE)
    tilt = TiltEstimator()
    errors = []
    for t, a, g, roll, pitch in zip(signal.t_s, signal.accel_g, signal.gyro_dps, signal.roll_deg, signal.pitch_deg,
                                    strict=True):
        got = tilt.update(ImuSample(float(t), tuple(a), tuple(g)))
        errors.append(math.hypot(got[0] - roll, got[1] - pitch))
    assert not tilt.offset_known  # it never lay still: the offset came from the integral term
    assert np.sqrt(np.mean(np.square(errors[-6000:]))) < 1.0  # the last minute
    assert np.asarray(tilt.gyro_offset_dps)[:2] == pytest.approx([4.0, -4.0], abs=1.0)


@pytest.mark.parametrize("offset", [(0.0, 0.0, 0.0), (12.0, -9.0, 3.0)])
def test_a_board_tipped_during_a_link_outage_shows_its_tilt_within_a_second_of_data(offset):
    signal, back_s = imu_signals.tipped_during_outage(100.0, outage_s=3.0, gyro_bias_dps=offset, **NOISE)
    assert 3.0 > GAP_S
    got = fuse(signal)
    after = signal.t_s >= back_s + 1.0
    assert np.max(np.abs(got[after, 0] - 15.0)) < 1.0


# -- units ---------------------------------------------------------------------------------
def feed(signal: ImuSignal, **scales: float) -> ImuLineSource:
    source = ImuLineSource("the IMU on test")
    for i, line in enumerate(signal.lines(**scales)):
        source.handle_line(line)
        if i % 200 == 0:
            source.readings()  # as the recorder does; keeps the queue short
    return source


def first_flag_s(signal: ImuSignal, problem: str, **scales: float) -> float | None:
    check = UnitCheck()
    for t, a, g in zip(signal.t_s, signal.accel_g * scales.get("accel", 1.0), signal.gyro_dps * scales.get("gyro", 1.0),
                       strict=True):
        check.update(float(t), a, g)
        if problem in check.problems:
            return float(t)
    return None


def test_a_gyroscope_in_rad_s_is_told_within_seconds_of_movement_and_its_samples_are_dropped():
    signal = imu_signals.wobbling(20.0, 100.0, amplitude_deg=20.0, rest_s=2.0, **NOISE)
    flagged = first_flag_s(signal, "gyro_rad_s", gyro=1 / DEG_PER_RAD)
    assert flagged is not None and flagged <= 2.0 + 6.0  # movement starts at 2 s
    source = feed(signal, gyro_scale=1 / DEG_PER_RAD)
    status = source.status()
    assert not status.ready and status.reason == "error" and "rad/s" in status.notice and "57.3" in status.notice
    assert source.stats().dropped_by_reason["out_of_range"] == source.unit_flagged["gyro_rad_s"] > 1000
    assert source.unit_flagged["accel_mps2"] == 0


def test_accelerations_in_m_s2_are_told_and_the_tilt_stays_right():
    signal = imu_signals.wobbling(20.0, 100.0, amplitude_deg=20.0, gyro_bias_dps=(3.0, 0.0, 0.0), **NOISE)
    assert first_flag_s(signal, "accel_mps2", accel=STANDARD_GRAVITY_MPS2) <= 2.1
    source = feed(signal, accel_scale=STANDARD_GRAVITY_MPS2)
    status = source.status()
    assert status.ready and "m/s" in status.notice and "9.81" in status.notice
    assert source.unit_flagged["accel_mps2"] > 1500 and source.stats().dropped == 0
    last = source.poll(0.0)
    assert last.raw_x == pytest.approx(signal.roll_deg[-1], abs=1.0)


def test_a_board_that_restarts_with_the_right_units_is_cleared():
    wrong = imu_signals.wobbling(12.0, 100.0, amplitude_deg=20.0, rest_s=1.0, **NOISE)
    source = feed(wrong, gyro_scale=1 / DEG_PER_RAD)
    assert not source.status().ready
    for line in imu_signals.still(3.0, 100.0).lines():  # reflashed: its clock starts again from 0
        source.handle_line(line)
    assert source.status().ready and source.status().notice is None


@settings(max_examples=25, deadline=None)
@given(st.sampled_from([100.0, 250.0, 1000.0]), st.floats(3.0, 60.0), st.floats(0.0, 2.0), st.floats(0.0, 0.03),
       st.tuples(offsets, offsets, offsets), st.integers(0, 10_000))
def test_property_correct_units_are_never_flagged(rate_hz, amplitude, gyro_noise, accel_noise, offset, seed):
    signal = imu_signals.wobbling(16.0, rate_hz, amplitude_deg=amplitude, rest_s=1.0, gyro_bias_dps=offset,
                                  gyro_noise_dps=gyro_noise, accel_noise_g=accel_noise, seed=seed)
    assert first_flag_s(signal, "gyro_rad_s") is None
    assert first_flag_s(signal, "accel_mps2") is None


def test_correct_units_through_steps_and_bumps_are_not_flagged():
    """Linear accelerations (someone stepping on) turn the accelerometer with no rotation at all."""
    signal = imu_signals.still(20.0, 100.0, **NOISE)
    rng = np.random.default_rng(7)
    accel = signal.accel_g.copy()
    for start in range(100, 2000, 150):  # a 0.3 s push sideways every 1.5 s
        accel[start:start + 30, 1] += rng.uniform(0.2, 0.5)
    bumped = ImuSignal(signal.t_s, accel, signal.gyro_dps, signal.roll_deg, signal.pitch_deg)
    assert first_flag_s(bumped, "gyro_rad_s") is None
