"""LSL benchmark: how old is the sample each 120 Hz game step uses, at 100 Hz and at 1 kHz.

Run:  python benchmarks/bench_lsl.py [--rates 100 1000] [--seconds 3] [--repeats 3] [--units]

A sender process on this machine publishes a real pylsl outlet (channels ``roll_deg`` and
``pitch_deg``, unit ``deg``) and pushes one sample per period, each stamped with
``pylsl.local_clock()`` at the moment it is pushed. In this process, for each rate and each
repeat (a fresh inlet each time):

* baseline: the play loop's shape (60 Hz frames, fixed 120 Hz steps from an accumulator) with a
  bare ``inlet.pull_chunk(timeout=0.0)`` at each step, no thread and no checks: the newest sample
  that could possibly be used;
* game: the same loop with the game's reader (``LslSource``: its own thread, order checks,
  queue) and ``poll()`` once per step, as the play loop does.

For each, the age of the sample a step uses (``local_clock()`` at the step minus the sample's LSL
timestamp: one clock, ``lsl_local_clock``, for both processes), p50 and p95 in milliseconds; how
many distinct new samples steps used per second; and the CPU time of this process (the loop, the
reader thread and liblsl's own threads; not the sender's) per second of wall time. Figures are
medians over the repeats.

``--units`` instead prints, for a 1.2 degree roll (pitch 0) sent by streams declaring their units
in different spellings, what the game reads: the raw unit, the reading and x (default limits of
stability: 10 degrees, 100 mm), or the refusal.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pylsl  # noqa: E402

from game.core.stepper import FixedStepper  # noqa: E402
from game.core.world import STEP_S  # noqa: E402
from game.errors import DeviceError  # noqa: E402
from game.input.lsl_source import LslSource, quiet_lsl  # noqa: E402

FRAME_S = 1 / 60


def _send(name: str, rate_hz: float, ready, stop) -> None:
    """The sender process: one sample per period, stamped with local_clock() when pushed."""
    quiet_lsl(pylsl)
    info = pylsl.StreamInfo(name, "Tilt", 2, rate_hz, "float32", name)
    channels = info.desc().append_child("channels")
    for label in ("roll_deg", "pitch_deg"):
        channel = channels.append_child("channel")
        channel.append_child_value("label", label)
        channel.append_child_value("unit", "deg")
    outlet = pylsl.StreamOutlet(info)
    ready.set()
    period_s = 1.0 / rate_hz
    start = pylsl.local_clock()
    n = 0
    while not stop.is_set():
        due = start + n * period_s
        wait_s = due - pylsl.local_clock()
        if wait_s > 0:
            time.sleep(wait_s)
        outlet.push_sample([1.0, -1.0], pylsl.local_clock())
        n += 1


class Sender:
    """A separate process, like real acquisition software: it does not share this process's GIL."""

    def __init__(self, rate_hz: float) -> None:
        self.name = f"proprio-bench-{uuid.uuid4().hex[:8]}"
        ctx = multiprocessing.get_context("spawn")
        self._ready, self._stop = ctx.Event(), ctx.Event()
        self._process = ctx.Process(target=_send, args=(self.name, rate_hz, self._ready, self._stop), daemon=True)

    def __enter__(self) -> Sender:
        self._process.start()
        if not self._ready.wait(30):
            raise RuntimeError("the sender did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._process.join(5)


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def play_loop(seconds: float, newest: Callable[[], float | None]) -> tuple[list[float], int, float, float]:
    """60 Hz frames, 120 Hz steps; ``newest()`` at each step gives the timestamp of the sample it uses.

    Returns (ages in ms, distinct samples used, wall s, CPU s of this process).
    """
    stepper = FixedStepper(STEP_S)
    ages: list[float] = []
    used: set[float] = set()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    last = wall0
    while time.perf_counter() - wall0 < seconds:
        frame_start = time.perf_counter()
        steps, _ = stepper.advance(frame_start - last)
        last = frame_start
        for _ in range(steps):
            t_s = newest()
            if t_s is None:
                continue
            ages.append((pylsl.local_clock() - t_s) * 1000)
            used.add(t_s)
        spare = FRAME_S - (time.perf_counter() - frame_start)
        if spare > 0:
            time.sleep(spare)
    return ages, len(used), time.perf_counter() - wall0, time.process_time() - cpu0


def baseline(name: str, seconds: float) -> tuple[list[float], int, float, float]:
    """A bare inlet drained with pull_chunk(timeout=0.0) at each step (0.0 s: only what is already buffered)."""
    found = pylsl.resolve_byprop("name", name, 1, 10.0)
    inlet = pylsl.StreamInlet(found[0], max_buflen=2)
    inlet.open_stream(10.0)
    state: dict[str, float] = {}

    def newest() -> float | None:
        _, stamps = inlet.pull_chunk(timeout=0.0, max_samples=1024)
        if stamps:
            state["t"] = stamps[-1]
        return state.get("t")

    try:
        return play_loop(seconds, newest)
    finally:
        inlet.close_stream()


def game(name: str, seconds: float) -> tuple[list[float], int, float, float]:
    """The game's reader: LslSource's thread and queue, poll() once per step."""
    source = LslSource(name, resolve_timeout_s=10.0)

    def newest() -> float | None:
        pose = source.poll(0.0)
        return pose.t_s if source.latest() is not None else None

    deadline = time.perf_counter() + 10.0
    while source.latest() is None and time.perf_counter() < deadline:  # the stream is open and flowing
        source.poll(0.0)
        time.sleep(0.01)
    try:
        return play_loop(seconds, newest)
    finally:
        source.close()


def run(rate_hz: float, seconds: float, repeats: int) -> None:
    """Both variants, interleaved, ``repeats`` times each, on one sender."""
    results: dict[str, list[tuple[float, float, float, float]]] = {"baseline": [], "game": []}
    with Sender(rate_hz) as sender:
        for _ in range(repeats):
            for label, fn in (("baseline", baseline), ("game", game)):
                ages, used, wall_s, cpu_s = fn(sender.name, seconds)
                results[label].append((pct(ages, 50), pct(ages, 95), used / wall_s, cpu_s / wall_s * 100))
    print(f"\n{rate_hz:g} Hz stream, {seconds:g} s x {repeats} repeats (medians of the repeats)")
    print(f"  {'':<46} {'age p50 ms':>10} {'age p95 ms':>10} {'new samples/s':>14} {'CPU % of wall':>14}")
    names = {"baseline": "baseline: bare pull_chunk(0.0) at each step",
             "game": "game: LslSource thread + poll() at each step"}
    for label, rows in results.items():
        p50, p95, used, cpu = (statistics.median(r[i] for r in rows) for i in range(4))
        print(f"  {names[label]:<46} {p50:>10.2f} {p95:>10.2f} {used:>14.1f} {cpu:>14.1f}")


UNIT_CASES = [  # (labels, declared units or None, the sample: a 1.2 degree roll / 1.2 cm COP to the right)
    (["roll", "pitch"], ["degrees"] * 2, [1.2, 0.0]),
    (["roll", "pitch"], ["deg"] * 2, [1.2, 0.0]),
    (["roll", "pitch"], ["°"] * 2, [1.2, 0.0]),
    (["roll", "pitch"], ["rad"] * 2, [0.020944, 0.0]),
    (["roll", "pitch"], None, [1.2, 0.0]),
    (["roll", "pitch"], ["furlongs"] * 2, [1.2, 0.0]),
    (["cop_ml", "cop_ap"], ["cm"] * 2, [1.2, 0.0]),
    (["fx", "fy", "fz"], ["N"] * 3, [1.2, 0.0, 600.0]),
]


def units() -> None:
    """What the game makes of each declared spelling (a figure, not a timing)."""
    print("\nA 1.2 deg roll (or 1.2 cm COP) on streams declaring units in different spellings")
    for labels, declared, values in UNIT_CASES:
        name = f"proprio-units-{uuid.uuid4().hex[:8]}"
        info = pylsl.StreamInfo(name, "Tilt", len(labels), 100, "float32", name)
        channels = info.desc().append_child("channels")
        for i, label in enumerate(labels):
            channel = channels.append_child("channel")
            channel.append_child_value("label", label)
            if declared:
                channel.append_child_value("unit", declared[i])
        outlet = pylsl.StreamOutlet(info)
        case = f"{','.join(labels)} [{declared[0] if declared else 'no unit'}]"
        try:
            source = LslSource(name, resolve_timeout_s=5.0)
        except DeviceError as exc:
            print(f"  {case:<28} refused: {exc.message}")
            continue
        outlet.wait_for_consumers(5.0)
        deadline = time.perf_counter() + 5.0
        while source.latest() is None and time.perf_counter() < deadline:
            outlet.push_sample(values, pylsl.local_clock())
            time.sleep(0.01)
            source.poll(0.0)
        pose = source.poll(0.0)
        print(f"  {case:<28} raw unit {source.raw_unit!r:<10} raw ({pose.raw_x:7.3f}, {pose.raw_y:6.3f})"
              f"   x {pose.x:+.3f}   y {pose.y:+.3f}")
        source.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=float, nargs="+", default=[100.0, 1000.0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--units", action="store_true", help="print what the game reads for declared units instead")
    args = parser.parse_args()
    quiet_lsl(pylsl)
    if args.units:
        units()
        return
    print(f"pylsl {pylsl.__version__}, liblsl {pylsl.library_version()}; steps every {STEP_S * 1000:.2f} ms,"
          f" frames every {FRAME_S * 1000:.2f} ms")
    for rate_hz in args.rates:
        run(rate_hz, args.seconds, args.repeats)
    print("\n(age: the LSL clock at the step minus the sample's timestamp; a 100 Hz stream alone makes the"
          " newest sample 0-10 ms old, 5 ms on average)")


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    run_reported(main)
