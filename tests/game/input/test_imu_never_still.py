"""A board that never rests: no still block ever measures the gyroscope offset, so the fusion must learn it moving.

A child who keeps the board moving from power-on: irregular lurches with a tremor on top
(``imu_signals.irregular_wobbling``), an MPU-6050's noise and an offset of 5-30 deg/s on any axis.
The drift windows (``_DriftWindow``) measure the offset whatever the motion; the tilt must be
within a few degrees ``SETTLED_S`` after power-on and stay there. A gyroscope sent in rad/s must
still be told, and a normal board (offset measured at rest) must not have its offset moved.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.input.imu import ImuLineSource, ImuSample, TiltEstimator, _DriftWindow
from tests.game.input import imu_signals
from tests.game.input.imu_signals import DEG_PER_RAD, ImuSignal

NOISE = {"gyro_noise_dps": 0.1, "accel_noise_g": 0.005}  # an MPU-6050 at 100 Hz, roughly
SETTLED_S = 15.0  # seconds after power-on by which a never-resting board's tilt is right
SETTLED_DEG = 3.0  # ... within this, and stays so
ROUGH_DEG = 20.0  # before that, it never runs further than this (the offset is held off until it is learnt)


def fuse(signal: ImuSignal) -> tuple[TiltEstimator, np.ndarray]:
    """The estimator after the signal, and the tilt error (deg, roll and pitch together) at each sample."""
    tilt = TiltEstimator()
    got = np.empty((len(signal), 2))
    for i, (t, a, g) in enumerate(zip(signal.t_s, signal.accel_g, signal.gyro_dps, strict=True)):
        got[i] = tilt.update(ImuSample(float(t), tuple(a), tuple(g)))
    return tilt, np.hypot(got[:, 0] - signal.roll_deg, got[:, 1] - signal.pitch_deg)


def test_the_child_never_lets_the_board_rest():
    """The signal these tests use has no half second still enough to measure an offset on."""
    signal = imu_signals.irregular_wobbling(60.0, 100.0, amplitude_deg=20.0, seed=1, **NOISE)
    tilt, _ = fuse(signal)
    assert not tilt.offset_known
    assert np.max(np.abs(signal.roll_deg)) > 15.0 and np.max(np.abs(signal.pitch_deg)) > 15.0


@pytest.mark.parametrize("offset, seed", [
    ((5.0, 0.0, 0.0), 1),
    ((0.0, -10.0, 0.0), 2),
    ((-20.0, 0.0, 0.0), 3),
    ((0.0, 30.0, 0.0), 4),
    ((-30.0, 0.0, 0.0), 5),
    ((0.0, 0.0, 30.0), 6),  # about the axis that points up: seen only as far as the board tilts
    ((20.0, -20.0, 10.0), 7),
    ((-10.0, 5.0, -20.0), 8),
])
def test_an_offset_up_to_30_dps_on_any_axis_is_learnt_moving_and_the_tilt_settles(offset, seed):
    signal = imu_signals.irregular_wobbling(60.0, 100.0, amplitude_deg=20.0, gyro_bias_dps=offset, seed=seed, **NOISE)
    tilt, error = fuse(signal)
    settled = signal.t_s >= SETTLED_S
    assert not tilt.offset_known  # never measured at rest: learnt moving
    assert np.max(error[~settled]) < ROUGH_DEG
    assert np.max(error[settled]) < SETTLED_DEG
    assert np.sqrt(np.mean(error[signal.t_s >= 40.0] ** 2)) < 1.0  # the last 20 s
    assert np.asarray(tilt.gyro_offset_dps)[:2] == pytest.approx(offset[:2], abs=1.0)  # the axes across gravity


def test_once_the_offset_is_learnt_a_push_is_ignored_again():
    """Until it is learnt the accelerometer is never ignored; afterwards imufusion rejects a push sideways again."""
    signal = imu_signals.irregular_wobbling(45.0, 100.0, amplitude_deg=20.0, gyro_bias_dps=(20.0, 0.0, 0.0), seed=12,
                                            **NOISE)
    accel = signal.accel_g.copy()
    pushed = (signal.t_s >= 40.0) & (signal.t_s < 40.4)
    accel[pushed, 1] += 0.3  # 17 degrees off for 0.4 s, |acceleration| still within 5% of 1 g
    _, error = fuse(ImuSignal(signal.t_s, accel, signal.gyro_dps, signal.roll_deg, signal.pitch_deg))
    assert np.max(error[signal.t_s >= 39.0]) < SETTLED_DEG


def test_the_offset_is_learnt_again_after_a_link_outage_while_learning():
    signal = imu_signals.with_outage(imu_signals.irregular_wobbling(60.0, 100.0, amplitude_deg=20.0,
                                                                   gyro_bias_dps=(20.0, 0.0, -20.0), seed=9, **NOISE),
                                     start_s=8.0, seconds=2.0)
    tilt, error = fuse(signal)
    assert tilt.restarts == 1
    assert np.max(error[signal.t_s >= SETTLED_S + 2.0]) < SETTLED_DEG


@pytest.mark.parametrize("offset", [(30.0, 0.0, 0.0), (0.0, -20.0, 0.0), (-10.0, 10.0, 0.0)])
def test_a_sensor_off_the_pivot_feeling_the_lurches_still_settles(offset):
    """10 cm above the pivot the accelerometer feels the board's lurches as tilts of several degrees."""
    signal = imu_signals.with_lever_arm(imu_signals.irregular_wobbling(60.0, 100.0, amplitude_deg=20.0,
                                                                       gyro_bias_dps=offset, seed=11, **NOISE), 0.1)
    _, error = fuse(signal)
    assert np.max(error[signal.t_s >= 20.0]) < SETTLED_DEG


def test_a_drift_window_measures_the_offset_across_gravity_on_a_moving_board():
    signal = imu_signals.wobbling(3.0, 100.0, amplitude_deg=20.0, rest_s=0.0, gyro_bias_dps=(3.0, -2.0, 5.0), seed=2)
    window = _DriftWindow(float(signal.t_s[100]), tuple(signal.accel_g[100]))
    for t, a, g in zip(signal.t_s[101:201], signal.accel_g[101:201], signal.gyro_dps[101:201], strict=True):
        window.add(float(t), 0.01, tuple(a), tuple(g))
    fitted = window.fit()
    assert fitted is not None
    info, seen = fitted
    gravity = signal.accel_g[150] / np.linalg.norm(signal.accel_g[150])
    assert info == pytest.approx(np.eye(3) - np.outer(gravity, gravity), abs=0.1)  # it saw across gravity
    assert seen == pytest.approx(info @ np.array([3.0, -2.0, 5.0]), abs=0.3)


def test_a_window_of_steps_on_measures_nothing():
    """Someone stepping on presses the board down: the accelerometer reads more than gravity, and is left out."""
    signal = imu_signals.still(1.5, 100.0, **NOISE)
    accel = signal.accel_g.copy()
    accel[20:140, 2] += 0.4
    window = _DriftWindow(0.0, tuple(accel[0]))
    for t, a, g in zip(signal.t_s[1:], accel[1:], signal.gyro_dps[1:], strict=True):
        window.add(float(t), 0.01, tuple(a), tuple(g))
    assert window.fit() is None


@pytest.mark.parametrize("disturbance", ["lever arm", "bumps"])
def test_a_normal_board_keeps_the_offset_it_measured_at_rest(disturbance):
    """Rest, then a child on the board, the sensor off the pivot or kicked: the learners must not chase that."""
    offset = (4.0, -2.0, 1.0)
    rest = imu_signals.still(2.0, 100.0, gyro_bias_dps=offset, seed=4, **NOISE)
    moving = imu_signals.irregular_wobbling(120.0, 100.0, amplitude_deg=20.0, gyro_bias_dps=offset, seed=4, **NOISE)
    if disturbance == "lever arm":
        moving = imu_signals.with_lever_arm(moving, 0.15)
    else:
        moving = imu_signals.with_bumps(moving, 2.0, push_g=0.3, seed=4)  # sideways: |acceleration| stays near 1 g
    signal = ImuSignal(np.concatenate([rest.t_s, moving.t_s + 2.0]),
                       *(np.concatenate([getattr(rest, f), getattr(moving, f)])
                         for f in ("accel_g", "gyro_dps", "roll_deg", "pitch_deg")))
    tilt = TiltEstimator()
    moved = []
    for t, a, g in zip(signal.t_s, signal.accel_g, signal.gyro_dps, strict=True):
        tilt.update(ImuSample(float(t), tuple(a), tuple(g)))
        moved.append(np.linalg.norm(np.asarray(tilt.gyro_offset_dps)[:2] - offset[:2]))
    assert tilt.offset_known
    assert max(moved[300:]) < 1.0  # never thrown off by more than 1 deg/s across gravity
    assert tilt.snaps == 0


def feed(signal: ImuSignal, **scales: float) -> ImuLineSource:
    source = ImuLineSource("the IMU on test")
    for i, line in enumerate(signal.lines(**scales)):
        source.handle_line(line)
        if i % 200 == 0:
            source.readings()
    return source


@pytest.mark.parametrize("amplitude, offset, seed", [(60.0, (20.0, 10.0, -5.0), 2), (20.0, (-30.0, 0.0, 10.0), 3)])
def test_a_gyroscope_in_rad_s_on_a_board_that_never_rests_is_still_told(amplitude, offset, seed):
    """Whatever the fusion learns moving is learnt from the gyroscope's own rotations: the unit check never uses it."""
    signal = imu_signals.irregular_wobbling(30.0, 100.0, amplitude_deg=amplitude, gyro_bias_dps=offset, seed=seed,
                                            **NOISE)
    source = feed(signal, gyro_scale=1 / DEG_PER_RAD)
    assert "gyro_rad_s" in source.units.problems
    assert not source.status().ready
    assert source.unit_flagged["gyro_rad_s"] > 1500  # told within the first 15 s, and kept
