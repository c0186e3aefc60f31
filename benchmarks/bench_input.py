"""Input benchmarks: IMU line parsing + fusion throughput, UDP and serial sample-to-step latency at 1 kHz.

Run:  python benchmarks/bench_input.py [--lines 100000] [--repeats 5] [--seconds 5]
      python benchmarks/bench_input.py --only serial [--seconds 5] [--load-threads 1] [--load-procs 2]

1. Throughput on one core (samples per second, median of the repeats) of
   * the baseline: ``bytes.split(b",")`` and ``float()`` of each field, nothing else;
   * ``parse_line`` alone (checks: ASCII, field count, finite, ranges);
   * the whole reader path, ``ImuLineSource.handle_line``: parse, order check, imufusion AHRS
     update, queue; for raw 7-field lines, already-fused 3-field lines and JSON lines.
2. Latency with a sender process on 127.0.0.1 sending one raw IMU line per millisecond, each
   stamped with its send time (``time.perf_counter``: CLOCK_MONOTONIC, shared by processes):
   * baseline: a bare thread blocked in ``recv`` (no parsing): send -> received;
   * the input layer alone: a loop polling ``ImuUdpSource`` as fast as it can: send -> available;
   * the game's use: the play loop (60 Hz frames, fixed 120 Hz steps from an accumulator,
     ``poll`` once per step): send -> the step that uses it, and how often a step did NOT use the
     newest sample sent at least 1 ms before it (the goal is never).
3. Serial: the same game loop on ``ImuSerialSource`` reading a real pseudo-terminal
   (``os.openpty``) that a sender process writes one raw line per millisecond into, first on an
   idle machine, then under CPU load (``--load-threads`` busy Python threads in the game's own
   process, competing for the GIL, and ``--load-procs`` busy processes competing for the cores).
   Printed: wall time and the game process's CPU time, the median and p99 age of the sample a
   step uses, its excess over the newest sample sent before the step asked (the part of the age
   the input path added), and the share of steps that used an older sample than the newest sent
   >= 1 ms before the step called ``poll`` (the goal: under 1 %).

Latency figures count only the steps that asked while the sender was still sending: the loop runs
on until the sender's process has exited, and a step after the last send can only use that last,
ever older sample (on a loaded machine those ages reached 360 ms and made up the whole tail).
The load average is printed at the start and the end (benchmarks/_common.py).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import multiprocessing
import os
import random
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import footer, header, measure, use_game_root  # noqa: E402

GAME_ROOT = use_game_root()

from game.core.stepper import FixedStepper  # noqa: E402
from game.core.world import STEP_S  # noqa: E402
from game.input.imu import ImuLineSource, parse_line  # noqa: E402
from game.input.serial_source import ImuSerialSource  # noqa: E402
from game.input.udp_source import ImuUdpSource  # noqa: E402


def make_lines(count: int, kind: str) -> list[bytes]:
    """Realistic lines: a board swaying a few degrees, 1 kHz timestamps."""
    rng = random.Random(1)
    lines = []
    for i in range(count):
        t = i / 1000.0
        roll, pitch = 5 * math.sin(0.5 * t), 3 * math.sin(0.3 * t)
        r, p = math.radians(roll), math.radians(pitch)
        ax, ay, az = -math.sin(p), math.sin(r) * math.cos(p), math.cos(r) * math.cos(p)
        gx, gy, gz = (rng.gauss(0, 0.5) for _ in range(3))
        if kind == "raw":
            lines.append(f"{t:.3f},{ax:.5f},{ay:.5f},{az:.5f},{gx:.3f},{gy:.3f},{gz:.3f}".encode())
        elif kind == "fused":
            lines.append(f"{t:.3f},{roll:.3f},{pitch:.3f}".encode())
        else:
            lines.append(json.dumps({"t_s": round(t, 3), "ax": round(ax, 5), "ay": round(ay, 5), "az": round(az, 5),
                                     "gx": round(gx, 3), "gy": round(gy, 3), "gz": round(gz, 3)}).encode())
    return lines


def rate(fn, lines: list[bytes], repeats: int) -> tuple[float, float]:
    """Median samples per second of ``fn`` over the lines, per CPU second and per wall second."""
    t = measure(lambda: fn(lines), repeats, warmup=False)
    return len(lines) / t.cpu_s, len(lines) / t.wall_s


def baseline(lines):
    for line in lines:
        [float(v) for v in line.split(b",")]


def parse_only(lines):
    for line in lines:
        parse_line(line)


def reader_path(lines):
    source = ImuLineSource("bench")  # no thread: the reader's work, on this core
    for line in lines:
        source.handle_line(line)
    assert source.stats().dropped == 0


def throughput(count: int, repeats: int) -> None:
    raw, fused, js = make_lines(count, "raw"), make_lines(count, "fused"), make_lines(count, "json")
    base, base_wall = rate(baseline, raw, repeats)
    rows = [
        ("baseline: split + float (raw line)", (base, base_wall)),
        ("parse_line (raw line)", rate(parse_only, raw, repeats)),
        ("reader path: parse + order + fusion (raw line)", rate(reader_path, raw, repeats)),
        ("reader path: fused line (t,roll,pitch)", rate(reader_path, fused, repeats)),
        ("reader path: JSON line + fusion", rate(reader_path, js, repeats)),
    ]
    print(f"IMU line throughput, one core, {count} lines, median of {max(3, repeats)} (per CPU second; per wall second"
          " beside)")
    for label, (value, wall) in rows:
        print(f"  {label:<50} {value:>12,.0f} samples/s (wall {wall:>10,.0f})   {value / base:5.2f} x baseline"
              f"   {value / 1000:7.0f} x a 1 kHz board")


def _send(address, seconds: float, sent, count, started) -> None:
    """The sender process: one raw IMU line per millisecond, stamped with its send time.

    ``time.perf_counter`` is CLOCK_MONOTONIC on Linux, one clock for every process, so the
    receiver can subtract the stamp from its own reading. Send times also go to shared memory.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    started.set()
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < seconds and n < len(sent):
        due = start + n / 1000.0
        while time.perf_counter() < due:
            pass  # a busy wait: sleep() cannot keep a 1 ms period
        t = time.perf_counter()
        sock.sendto(f"{t!r},0.0,0.0872,0.9962,0.1,0.0,0.0\n".encode(), address)
        sent[n] = t
        n += 1
        count.value = n
    sock.close()


class Sender:
    """A separate process, like a real board: it does not compete with the game for the GIL."""

    def __init__(self, address, seconds: float) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.sent = ctx.Array("d", int(seconds * 1000) + 10, lock=False)
        self.count = ctx.Value("l", 0, lock=False)
        self._started = ctx.Event()
        self._process = ctx.Process(target=_send, args=(address, seconds, self.sent, self.count, self._started),
                                    daemon=True)

    def start(self) -> None:
        self._process.start()
        self._started.wait(30)

    def running(self) -> bool:
        return self._process.is_alive()

    def newest_before(self, t: float) -> float | None:
        """Send time of the newest sample sent at or before ``t``."""
        n = self.count.value
        index = bisect.bisect_right(self.sent, t, 0, n) - 1
        return self.sent[index] if index >= 0 else None


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q / 100 * len(values)))]


def bare_socket_latency(seconds: float) -> list[float]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    sender = Sender(sock.getsockname(), seconds)
    out = []
    sender.start()
    while sender.running():
        try:
            data = sock.recv(65535)
        except TimeoutError:
            continue
        out.append((time.perf_counter() - float(data.split(b",", 1)[0])) * 1000)
    sock.close()
    return out


def input_layer_latency(seconds: float) -> list[float]:
    source = ImuUdpSource("127.0.0.1", 0)
    sender = Sender(source.address, seconds)
    out, last = [], None
    sender.start()
    while sender.running():
        pose = source.poll(0.0)
        if pose.t_s != last and pose.t_s > 0:
            out.append((time.perf_counter() - pose.t_s) * 1000)
            last = pose.t_s
        time.sleep(0.0001)  # poll ten times per sample period
    source.close()
    return out


def while_sending(steps: list[tuple[float, float, float]], sender: Sender) -> list[tuple[float, float, float]]:
    """The steps that asked for a sample while the sender was still sending (its last send at the latest).

    The loop runs on until the sender's process has exited; a step after the last send can only use
    that last sample, ever older, which says nothing about the input path (on a loaded machine those
    ages reached 360 ms and filled the tail of the distribution)."""
    n = sender.count.value
    if n == 0:
        return []
    last = sender.sent[n - 1]
    return [step for step in steps if step[0] <= last]


def step_figures(steps: list[tuple[float, float, float]], sender: Sender) -> dict[str, list[float] | int]:
    """Per step (asked, now, sample's send time), while sending: its age, its excess over the newest sent, staleness.

    * age: now - the send time of the sample the step used;
    * excess: how much older that sample is than the newest one sent before the step asked (0 when it
      used the newest: the part of the age the input path added, beyond transport);
    * stale: the step used a sample older than the newest sent at least 1 ms before it asked.
    """
    ages, excess, stale = [], [], 0
    for asked, now, sample_t in steps:
        ages.append((now - sample_t) * 1000)
        newest = sender.newest_before(asked)
        excess.append(max(0.0, (newest - sample_t) * 1000) if newest is not None else 0.0)
        newest_due = sender.newest_before(asked - 0.001)
        if newest_due is not None and sample_t < newest_due:
            stale += 1
    return {"ages": ages, "excess": excess, "stale": stale, "steps": len(steps)}


def game_loop_latency(seconds: float) -> tuple[dict[str, list[float] | int], int]:
    """The 60 Hz / 120 Hz game loop polling ImuUdpSource: figures of the steps run while the sender sends."""
    source = ImuUdpSource("127.0.0.1", 0)
    sender = Sender(source.address, seconds)
    stepper = FixedStepper(STEP_S)
    steps: list[tuple[float, float, float]] = []
    sender.start()
    last = time.perf_counter()
    while sender.running():
        frame_start = time.perf_counter()
        n_steps, _ = stepper.advance(frame_start - last)
        last = frame_start
        for _ in range(n_steps):
            asked = time.perf_counter()
            pose = source.poll(0.0)
            now = time.perf_counter()
            if pose.t_s > 0:
                steps.append((asked, now, pose.t_s))
        spare = 1 / 60 - (time.perf_counter() - frame_start)
        if spare > 0:
            time.sleep(spare)
    source.close()
    sent = list(sender.sent[:sender.count.value])
    game_loop_latency.send_gaps_ms = [(b - a) * 1000 for a, b in itertools.pairwise(sent)]
    kept = while_sending(steps, sender)
    return step_figures(kept, sender), len(steps) - len(kept)


def latency(seconds: float) -> None:
    print(f"\nUDP latency on 127.0.0.1, a raw IMU line every 1 ms for {seconds:g} s (milliseconds)")
    wall0, cpu0 = time.perf_counter(), time.process_time()
    bare = bare_socket_latency(seconds)
    layer = input_layer_latency(seconds)
    figures, after = game_loop_latency(seconds)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    ages, excess = figures["ages"], figures["excess"]
    for label, values in (("baseline: bare recv, no parsing", bare),
                          ("input layer: send -> poll() has it", layer),
                          ("game loop: send -> the 120 Hz step that uses it", ages),
                          ("game loop: excess over the newest sample sent", excess)):
        print(f"  {label:<50} p50 {pct(values, 50):6.3f}   p99 {pct(values, 99):6.3f}   max {max(values):7.3f}"
              f"   n={len(values)}")
    gaps = game_loop_latency.send_gaps_ms
    print(f"  {'sender: interval between sends (ideal 1.000)':<50} p50 {pct(gaps, 50):6.3f}   p99 {pct(gaps, 99):6.3f}"
          f"   max {max(gaps):.1f}")
    print(f"  steps that did not use the newest sample sent >= 1 ms before them: {figures['stale']} of "
          f"{figures['steps']}; {after} steps after the last send not counted")
    print(f"  (game loop: only steps that asked while the sender was sending; the excess is the part of the age"
          f" the input path added; this section: cpu {cpu:.2f} s, wall {wall:.2f} s)")


# -- serial through a pseudo-terminal, with a CPU load -------------------------------------
def _send_pty(fd: int, seconds: float, sent, count, started, go) -> None:
    """The sender process for the serial run: one raw line per millisecond into the pty's master."""
    started.set()
    go.wait(30)
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < seconds and n < len(sent):
        due = start + n / 1000.0
        while time.perf_counter() < due:
            pass
        t = time.perf_counter()
        os.write(fd, f"{t!r},0.0,0.0872,0.9962,0.1,0.0,0.0\n".encode())
        sent[n] = t
        n += 1
        count.value = n


class PtySender(Sender):
    """A board on a serial port: a forked process (it keeps the pty's master) writing lines into it."""

    def __init__(self, fd: int, seconds: float) -> None:
        ctx = multiprocessing.get_context("fork")  # forked before any thread starts, so it holds the fd
        self.sent = ctx.Array("d", int(seconds * 1000) + 10, lock=False)
        self.count = ctx.Value("l", 0, lock=False)
        self._started, self._go = ctx.Event(), ctx.Event()
        self._process = ctx.Process(target=_send_pty, args=(fd, seconds, self.sent, self.count, self._started,
                                                            self._go), daemon=True)
        self._process.start()
        self._started.wait(30)

    def start(self) -> None:
        self._go.set()


def _burn(stop) -> None:
    """CPU load: a busy loop until told to stop (a thread holds the GIL, a process a core)."""
    x = 0
    while not stop.is_set():
        for _ in range(10_000):
            x += 1


class Load:
    """Busy threads in this process and busy processes beside it, for the length of a ``with``."""

    def __init__(self, threads: int, procs: int) -> None:
        self.threads, self.procs = threads, procs

    def __enter__(self) -> Load:
        ctx = multiprocessing.get_context("spawn")
        self._stop_thread, self._stop_proc = threading.Event(), ctx.Event()
        self._workers = [threading.Thread(target=_burn, args=(self._stop_thread,), daemon=True)
                         for _ in range(self.threads)]
        self._workers += [ctx.Process(target=_burn, args=(self._stop_proc,), daemon=True) for _ in range(self.procs)]
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop_thread.set()
        self._stop_proc.set()
        for worker in self._workers:
            worker.join(timeout=5)


def serial_game_loop(seconds: float, threads: int, procs: int) -> dict[str, float]:
    """The 120 Hz game loop on ImuSerialSource over a pty fed at 1 kHz; figures for one run."""
    master, slave = os.openpty()
    sender = PtySender(master, seconds)
    source = ImuSerialSource(os.ttyname(slave))
    stepper = FixedStepper(STEP_S)
    steps: list[tuple[float, float, float]] = []
    with Load(threads, procs):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        sender.start()
        last = time.perf_counter()
        while sender.running():
            frame_start = time.perf_counter()
            n_steps, _ = stepper.advance(frame_start - last)
            last = frame_start
            for _ in range(n_steps):
                asked = time.perf_counter()
                pose = source.poll(0.0)
                now = time.perf_counter()
                if pose.t_s > 0:
                    steps.append((asked, now, pose.t_s))
            spare = 1 / 60 - (time.perf_counter() - frame_start)
            if spare > 0:
                time.sleep(spare)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    source.close()
    os.close(slave)
    os.close(master)
    # Only the steps that asked while the sender was sending (see while_sending). Stale: a sample sent >= 1 ms
    # before the step asked for it was not used (one sent while poll ran does not count: the OS may deschedule
    # the game mid-poll on a loaded machine).
    kept = while_sending(steps, sender)
    figures = step_figures(kept, sender)
    ages, excess = figures["ages"], figures["excess"]
    return {"wall_s": wall, "cpu_s": cpu, "steps": figures["steps"], "stale": figures["stale"],
            "age_p50": statistics.median(ages) if ages else math.nan,
            "age_p99": pct(ages, 99) if ages else math.nan,
            "excess_p50": statistics.median(excess) if excess else math.nan,
            "excess_p99": pct(excess, 99) if excess else math.nan,
            "after": len(steps) - len(kept), "accepted": source.stats().accepted, "sent": sender.count.value}


def serial_latency(seconds: float, threads: int, procs: int) -> None:
    print(f"\nSerial through a pseudo-terminal, a raw IMU line every 1 ms for {seconds:g} s, game loop 60 Hz frames,"
          " 120 Hz steps")
    for label, (t, p) in (("idle", (0, 0)), (f"load: {threads} busy thread(s) + {procs} busy process(es)",
                                             (threads, procs))):
        f = serial_game_loop(seconds, t, p)
        share = f["stale"] / f["steps"] if f["steps"] else math.nan
        print(f"  {label:<44} wall {f['wall_s']:5.2f} s  cpu {f['cpu_s']:5.2f} s  age p50 {f['age_p50']:6.3f} ms"
              f"  p99 {f['age_p99']:7.3f} ms  excess over newest sent p50 {f['excess_p50']:6.3f}"
              f"  p99 {f['excess_p99']:7.3f} ms  stale steps {f['stale']} of {f['steps']} ({share:.1%})"
              f"  samples {f['accepted']}/{f['sent']}  ({f['after']} steps after the last send not counted)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--switch-interval-ms", type=float, default=None,
                        help="set sys.setswitchinterval (the GIL hand-over period; Python's default is 5 ms)")
    parser.add_argument("--only", choices=("throughput", "udp", "serial"), default=None)
    parser.add_argument("--load-threads", type=int, default=1, help="busy threads in the game process (serial run)")
    parser.add_argument("--load-procs", type=int, default=2, help="busy processes beside it (serial run)")
    parser.add_argument("--game-root", type=Path, default=None, help="measure the game in this checkout")
    args = parser.parse_args()
    header("Input benchmarks", GAME_ROOT)
    if args.switch_interval_ms is not None:
        sys.setswitchinterval(args.switch_interval_ms / 1000)
    print(f"(GIL switch interval {sys.getswitchinterval() * 1000:g} ms)")
    if args.only in (None, "serial"):  # first: its sender is forked before any other thread exists
        serial_latency(args.seconds, args.load_threads, args.load_procs)
    if args.only in (None, "throughput"):
        throughput(args.lines, args.repeats)
    if args.only in (None, "udp"):
        latency(args.seconds)
    footer()


if __name__ == "__main__":
    main()
