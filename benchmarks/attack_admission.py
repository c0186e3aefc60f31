"""Attack: poisoned device timestamps over UDP (issue 16, defect 2). Prints what the game lost.

Run:  python benchmarks/attack_admission.py [--seconds 5] [--rate 240] [--every 0.5] [--poison 1e308]

A sender thread on 127.0.0.1 sends one fused-tilt line (``t_s,roll,pitch``) at ``--rate`` Hz,
stamped with its own elapsed time, and every ``--every`` seconds one extra datagram stamped
``--poison`` (1e308, or e.g. ``+30`` for 30 s in the future). The game side polls an
``ImuUdpSource`` at the fixed 120 Hz step and takes ``readings()`` as the recorder does.
Printed: good samples sent and accepted, good samples dropped (and why), the share of steps that
ran on a frozen reading (the pose is older than 50 ms behind the newest good sample sent before
the step, or is a poisoned one), and how many implausible readings reached the recorder.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.core.world import STEP_S  # noqa: E402
from game.input.udp_source import ImuUdpSource  # noqa: E402

FROZEN_BEHIND_S = 0.05  # a step whose pose is older than this behind the newest good sample runs on a frozen one
POISON_PITCH_DEG = 0.0  # poisoned lines carry this pitch, good ones 1.0: what tells them apart once stored


def run(seconds: float, rate_hz: float, every_s: float, poison: str) -> dict[str, float]:
    """One attack run; the figures printed."""
    source = ImuUdpSource("127.0.0.1", 0)
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.connect(source.address)
    start = time.perf_counter()
    newest_sent = [-1.0]  # the newest good device time sent (written by the sender, read by the game side)
    sent = [0, 0]  # good, poisoned

    def send() -> None:
        period = 1.0 / rate_hz
        next_poison = every_s
        i = 0
        while True:
            due = i * period
            now = time.perf_counter() - start
            if now >= seconds:
                return
            if due > now:
                time.sleep(due - now)
            t_s = 1.0 + due
            sender.send(f"{t_s:.6f},{(i % 100) / 10:.1f},1.0\n".encode())
            newest_sent[0] = t_s
            sent[0] += 1
            if due >= next_poison:
                stamp = f"{t_s + float(poison[1:]):.6f}" if poison.startswith("+") else poison
                sender.send(f"{stamp},0.0,{POISON_PITCH_DEG}\n".encode())
                sent[1] += 1
                next_poison += every_s
            i += 1

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    steps = frozen = 0
    kept = []
    next_step = start + 0.2  # the first good samples have arrived
    while thread.is_alive():
        now = time.perf_counter()
        if now < next_step:
            time.sleep(next_step - now)
        next_step += STEP_S
        newest = newest_sent[0]
        pose = source.poll(0.0)
        kept.extend(source.readings())
        steps += 1
        if pose.raw_y == POISON_PITCH_DEG or pose.t_s < newest - FROZEN_BEHIND_S:
            frozen += 1
    time.sleep(0.1)
    source.poll(0.0)
    kept.extend(source.readings())
    stats = source.stats()
    source.close()
    sender.close()
    good_kept = sum(1 for r in kept if r.raw_y != POISON_PITCH_DEG)
    return {
        "good_sent": sent[0], "poison_sent": sent[1], "good_accepted": good_kept,
        "good_dropped": sent[0] - good_kept, "steps": steps, "frozen_share": frozen / max(steps, 1),
        "implausible_stored": len(kept) - good_kept, **{f"dropped_{k}": v for k, v in stats.dropped_by_reason.items()},
        "clock_restarts": source.clock_restarts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=240.0, help="good samples per second")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between poisoned datagrams")
    parser.add_argument("--poison", default="1e308", help="the poisoned stamp, or +S: S seconds ahead of the stream")
    args = parser.parse_args()
    figures = run(args.seconds, args.rate, args.every, args.poison)
    print(f"UDP at {args.rate:g} Hz for {args.seconds:g} s, one datagram stamped {args.poison} every {args.every:g} s")
    for key, value in figures.items():
        print(f"  {key:20s} {value:.3f}" if isinstance(value, float) else f"  {key:20s} {value}")


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    run_reported(main)
