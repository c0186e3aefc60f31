"""IMU fusion on signals with known answers: drift with a gyro offset, accuracy, link outages, wrong units.

Run:  python benchmarks/bench_imu.py [--seconds 300] [--rate 100] [--game-root OLD_CHECKOUT] [--before OLD_CHECKOUT]

``--game-root`` measures the ``game`` package of another checkout (for example the commit before
the fix) with the same signals. ``--before`` also runs section 5 with another checkout's
``game/input/imu.py`` (the rest of the game from this one), printing its rows beside these.

The signals come from ``tests/game/input/imu_signals.py`` (built from physics: the accelerometer
is gravity seen from the board, the gyroscope the angular velocity along the chosen angles, plus
offset and noise). Each is sent line by line through ``ImuLineSource.handle_line`` (the reader
thread's path, without a thread), and every reading is compared with the truth. Prints:

1. a still, level board with a constant gyroscope offset: the largest |x|, |y| (in limits of
   stability, the default 10-degree reach) after the first second, and the share of the time
   either is >= 0.05 (the goal: never);
2. a wobbling board (+-60 deg, noise, offset 3 deg/s) after 2 s at rest: RMS error of roll and pitch;
3. a board tipped 15 deg while the link is down: seconds of data after the link returns until
   roll is within 1 deg of 15;
4. wrong units: the gyroscope in rad/s and the accelerometer in m/s^2 sent where deg/s and g are
   declared: RMS error, what the source said (status notice) and how many samples it dropped;
5. a board that never rests (no still block to measure the offset on), for gyro offsets of
   1-30 deg/s on each axis: the worst tilt error in each 15 s, and when it was last beyond 3 deg
   ("settled"), for a regular wobble, a child's irregular lurches, and those with the sensor
   10 cm above the pivot (it feels the lurches as tilts).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if "--game-root" in sys.argv:  # before the imports below: measure another checkout's game package
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--game-root") + 1]).resolve()))
else:
    sys.path.insert(0, str(REPO))

from game.input.imu import ImuLineSource  # noqa: E402

_spec = importlib.util.spec_from_file_location("imu_signals", REPO / "tests/game/input/imu_signals.py")
assert _spec is not None and _spec.loader is not None
imu_signals = importlib.util.module_from_spec(_spec)
sys.modules["imu_signals"] = imu_signals  # dataclasses look their module up by name
_spec.loader.exec_module(imu_signals)

NOISE = {"gyro_noise_dps": 0.1, "accel_noise_g": 0.005}


def run(lines: list[bytes], kind: type[ImuLineSource] = ImuLineSource) -> tuple[ImuLineSource, np.ndarray]:
    """Feed the lines; (source, readings as rows of t_s, roll_deg, pitch_deg)."""
    arrival = [0.0]  # the arrival clock follows the signal's own time, as it does on a live link
    try:
        source = kind("bench", clock=lambda: arrival[0])
    except TypeError:  # an older checkout without the clock argument
        source = kind("bench")
    take = getattr(source, "readings", None) or (lambda: _drained(source))  # an older checkout: its queue
    rows = []
    for i, line in enumerate(lines):
        arrival[0] = float(line.split(b",", 1)[0])
        source.handle_line(line)
        if i % 100 == 99:
            rows.extend((r.t_s, r.raw_x, r.raw_y) for r in take())
    rows.extend((r.t_s, r.raw_x, r.raw_y) for r in take())
    return source, np.array(rows).reshape(-1, 3)


def _drained(source: ImuLineSource) -> list:
    """Every queued reading (a checkout from before ``readings()`` existed)."""
    queue = source._queue
    return [queue.popleft() for _ in range(len(queue))]


def errors(signal: imu_signals.ImuSignal, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Roll and pitch errors (deg) at the samples the source kept."""
    index = np.searchsorted(signal.t_s, rows[:, 0])
    return rows[:, 1] - signal.roll_deg[index], rows[:, 2] - signal.pitch_deg[index]


def rms(values: np.ndarray) -> float:
    return float(np.sqrt(np.mean(values ** 2))) if len(values) else math.nan


def said(source: ImuLineSource) -> str:
    status = source.status()
    notice = status.notice or "nothing"
    return f"{notice[:70]!r} (ready={status.ready}), dropped {source.stats().dropped}"


def still_offsets(seconds: float, rate_hz: float) -> None:
    print(f"1. Still level board, {seconds:g} s at {rate_hz:g} Hz, noise {NOISE}; x, y in LOS (10 deg reach)")
    for offset in (0.0, 2.0, 5.0, 6.0, 10.0, 20.0, -20.0):
        bias = (offset, -0.7 * offset, 0.5 * offset)
        signal = imu_signals.still(seconds, rate_hz, gyro_bias_dps=bias, seed=int(offset) + 50, **NOISE)
        source, rows = run(signal.lines())
        x, y = rows[:, 1] / 10.0, rows[:, 2] / 10.0  # the default calibration: 10 deg = 1 LOS
        late = rows[:, 0] >= 1.0
        worst = max(float(np.max(np.abs(x[late]))), float(np.max(np.abs(y[late]))))
        share = float(np.mean((np.abs(x[late]) >= 0.05) | (np.abs(y[late]) >= 0.05)))
        print(f"   gyro offset {bias[0]:+6.1f},{bias[1]:+6.1f},{bias[2]:+6.1f} deg/s:"
              f"  max |x|,|y| {worst:6.3f}   time at >= 0.05: {share:6.1%}")


def wobbling(rate_hz: float) -> None:
    signal = imu_signals.wobbling(120.0, rate_hz, amplitude_deg=60.0, gyro_bias_dps=(3.0, -3.0, 2.0), **NOISE)
    _, rows = run(signal.lines())
    roll_err, pitch_err = errors(signal, rows)
    print(f"2. Wobbling board +-60 deg, 120 s at {rate_hz:g} Hz, offset (3,-3,2) deg/s: RMS error"
          f" roll {rms(roll_err):.2f} deg, pitch {rms(pitch_err):.2f} deg")


def outage(rate_hz: float) -> None:
    signal, back_s = imu_signals.tipped_during_outage(rate_hz, after_s=300.0, **NOISE)
    _, rows = run(signal.lines())
    after = rows[rows[:, 0] >= back_s]
    near = np.abs(after[:, 1] - 15.0) <= 1.0
    settled = next((i for i in range(len(near)) if near[i:].all()), None)
    took = "never" if settled is None else f"{after[settled, 0] - back_s:.2f} s"
    print(f"3. Tipped 15 deg during a 3 s outage: roll within 1 deg of 15 (and staying) after {took};"
          f" roll 1 s after return {after[np.searchsorted(after[:, 0], back_s + 1.0), 1]:.1f} deg")


def wrong_units(rate_hz: float) -> None:
    signal = imu_signals.wobbling(30.0, rate_hz, amplitude_deg=20.0, **NOISE)
    print("4. Wrong units on a board wobbling +-20 deg, 30 s:")
    for label, kwargs in (("correct units", {}),
                          ("gyroscope in rad/s as deg/s", {"gyro_scale": 1 / imu_signals.DEG_PER_RAD}),
                          ("accelerometer in m/s^2 as g", {"accel_scale": imu_signals.STANDARD_GRAVITY_MPS2})):
        source, rows = run(signal.lines(**kwargs))
        roll_err, pitch_err = errors(signal, rows)
        print(f"   {label:<30} RMS error {rms(np.hypot(roll_err, pitch_err)):6.2f} deg;  said: {said(source)}")


def load_before(root: Path) -> type[ImuLineSource]:
    """``ImuLineSource`` of another checkout's ``game/input/imu.py``, loaded beside this one's."""
    spec = importlib.util.spec_from_file_location("imu_before", root / "game/input/imu.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["imu_before"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    kind: type[ImuLineSource] = module.ImuLineSource
    return kind


def never_still(rate_hz: float, before: type[ImuLineSource] | None) -> None:
    """A board moving from its first sample: no still block, so the offset must be learnt while it moves."""
    seconds, window_s = 90.0, 15
    print(f"5. A board that never rests ({seconds:g} s from the first sample), by gyro offset: worst |error| of roll"
          f" or pitch in each {window_s} s (deg), and when it was last > 3 deg")
    signals = {
        "wobble +-20": lambda bias, seed: imu_signals.wobbling(seconds, rate_hz, amplitude_deg=20.0, rest_s=0.0,
                                                               gyro_bias_dps=bias, seed=seed, **NOISE),
        "child +-20": lambda bias, seed: imu_signals.irregular_wobbling(seconds, rate_hz, amplitude_deg=20.0,
                                                                        gyro_bias_dps=bias, seed=seed, **NOISE),
        "child, 10 cm lever": lambda bias, seed: imu_signals.with_lever_arm(imu_signals.irregular_wobbling(
            seconds, rate_hz, amplitude_deg=20.0, gyro_bias_dps=bias, seed=seed, **NOISE), 0.1),
    }
    offsets = {
        "wobble +-20": [(1.0, 0.0, 0.0), (4.0, 0.0, 0.0), (10.0, 0.0, 0.0), (20.0, 0.0, 0.0), (30.0, 0.0, 0.0),
                        (0.0, -30.0, 0.0), (0.0, 0.0, 30.0), (20.0, -20.0, 10.0)],
        "child +-20": [(10.0, 0.0, 0.0), (-30.0, 0.0, 0.0), (0.0, 20.0, 0.0), (0.0, 0.0, -30.0), (20.0, -20.0, 10.0)],
        "child, 10 cm lever": [(5.0, 0.0, 0.0), (30.0, 0.0, 0.0), (0.0, -20.0, 0.0), (0.0, 0.0, 20.0)],
    }
    kinds = [("after", ImuLineSource)] + ([("before", before)] if before is not None else [])
    for name, make in signals.items():
        for seed, bias in enumerate(offsets[name]):
            signal = make(bias, seed)
            for label, kind in kinds:
                _, rows = run(signal.lines(), kind)
                roll_err, pitch_err = errors(signal, rows)
                worst = np.maximum(np.abs(roll_err), np.abs(pitch_err))
                per = [float(np.max(worst[(rows[:, 0] >= w) & (rows[:, 0] < w + window_s)], initial=0.0))
                       for w in range(0, int(seconds), window_s)]
                beyond = rows[worst > 3.0, 0]
                settled = "never" if len(beyond) and beyond[-1] > seconds - window_s else (
                    f"{beyond[-1]:5.1f} s" if len(beyond) else "  0.0 s")
                offset = ",".join(f"{v:+.0f}" for v in bias)
                print(f"   {name:<19} ({offset:>11}) deg/s {label:>6}: " + " ".join(f"{v:5.1f}" for v in per)
                      + f"   settled {settled}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="length of each still-board run")
    parser.add_argument("--rate", type=float, default=100.0, help="sample rate, Hz")
    parser.add_argument("--game-root", type=Path, help="measure this checkout's game package instead")
    parser.add_argument("--before", type=Path, help="also run section 5 with this checkout's game/input/imu.py")
    args = parser.parse_args()
    print(f"game package: {sys.modules[ImuLineSource.__module__].__file__}")
    start = time.perf_counter()
    still_offsets(args.seconds, args.rate)
    wobbling(args.rate)
    outage(args.rate)
    wrong_units(args.rate)
    never_still(args.rate, load_before(args.before) if args.before else None)
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    run_reported(main)
