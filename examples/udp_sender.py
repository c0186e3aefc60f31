#!/usr/bin/env python3
"""Send a recorded IMU file to Proprio over UDP, at the pace it was recorded (or faster).

Usage:
    python examples/udp_sender.py examples/sample_imu.csv              # to 127.0.0.1:9000
    python examples/udp_sender.py recording.csv --host 127.0.0.1 --port 9001 --loop
    python examples/udp_sender.py --demo                                # a made-up swaying board

then, in another terminal:
    proprio play --input imu-udp:127.0.0.1:9000

The file holds one sample per line in any of Proprio's wire formats (docs/devices.md):
``t_s,ax,ay,az,gx,gy,gz[,mx,my,mz]``, ``t_s,roll_deg,pitch_deg`` or a JSON object with
those keys. A header line, blank lines and ``#`` comments are skipped. Each line is sent
when its time comes (``t_s`` relative to the first line, divided by ``--speed``); with
``--loop`` the file starts again and the times keep counting up, so Proprio never sees time
go backwards. Only the standard library is used, so it runs on any laptop with Python 3.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import socket
import sys
import time


def read_recording(path: str) -> list[tuple[float, list[str] | dict]]:
    """(t_s, fields) per sample line of the file; other lines are skipped."""
    samples = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            if text.startswith("{"):
                try:
                    data = json.loads(text)
                    samples.append((float(data["t_s"]), data))
                except (ValueError, KeyError, TypeError):
                    continue
                continue
            cells = [c.strip() for c in text.split(",")]
            try:
                samples.append((float(cells[0]), cells))
            except ValueError:
                continue  # a header
    return samples


def demo_recording(seconds: float = 60.0, rate_hz: float = 100.0) -> list[tuple[float, list[str]]]:
    """A board swaying slowly (a few degrees, 0.1-0.5 Hz) with sensor noise, raw accelerometer + gyroscope."""
    rng = random.Random(7)
    samples = []
    for i in range(int(seconds * rate_hz)):
        t = i / rate_hz
        roll = 4.0 * math.sin(2 * math.pi * 0.13 * t) + 1.5 * math.sin(2 * math.pi * 0.41 * t)
        pitch = 3.0 * math.sin(2 * math.pi * 0.09 * t + 1.0) + 1.0 * math.sin(2 * math.pi * 0.37 * t)
        droll = 4.0 * 2 * math.pi * 0.13 * math.cos(2 * math.pi * 0.13 * t) + 1.5 * 2 * math.pi * 0.41 * math.cos(
            2 * math.pi * 0.41 * t)
        dpitch = 3.0 * 2 * math.pi * 0.09 * math.cos(2 * math.pi * 0.09 * t + 1.0) + 1.0 * 2 * math.pi * 0.37 * math.cos(
            2 * math.pi * 0.37 * t)
        r, p = math.radians(roll), math.radians(pitch)
        accel = (-math.sin(p), math.sin(r) * math.cos(p), math.cos(r) * math.cos(p))
        accel = [a + rng.gauss(0, 0.004) for a in accel]
        gyro = [droll + rng.gauss(0, 0.2), dpitch + rng.gauss(0, 0.2), rng.gauss(0, 0.2)]
        samples.append((t, [f"{t:.3f}", *(f"{a:.5f}" for a in accel), *(f"{g:.3f}" for g in gyro)]))
    return samples


def restamped(fields: list[str] | dict, t_s: float) -> bytes:
    """The sample with its time replaced (so looping keeps time moving forward)."""
    if isinstance(fields, dict):
        return (json.dumps({**fields, "t_s": round(t_s, 6)}) + "\n").encode()
    return (",".join([f"{t_s:.6f}", *fields[1:]]) + "\n").encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Send a recorded IMU file to Proprio over UDP.")
    parser.add_argument("file", nargs="?", help="recording to send (omit with --demo)")
    parser.add_argument("--host", default="127.0.0.1", help="where Proprio listens (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=9000, help="UDP port (default 9000)")
    parser.add_argument("--speed", type=float, default=1.0, help="play faster (2 = twice as fast); 0 = no waiting")
    parser.add_argument("--loop", action="store_true", help="start the file again at its end, forever")
    parser.add_argument("--demo", action="store_true", help="send a made-up swaying board instead of a file")
    parser.add_argument("--batch", type=int, default=1, help="lines per datagram (default 1)")
    args = parser.parse_args(argv)
    if args.demo:
        samples = demo_recording()
    elif args.file:
        try:
            samples = read_recording(args.file)
        except OSError as exc:
            print(f"Error: cannot read {args.file} ({exc.strerror or exc})", file=sys.stderr)
            return 1
    else:
        parser.error("give a FILE to send, or --demo")
    if not samples:
        print(f"Error: {args.file} holds no sample lines (see docs/devices.md for the format)", file=sys.stderr)
        return 1
    first, last = samples[0][0], samples[-1][0]
    period = (last - first) + (samples[1][0] - samples[0][0] if len(samples) > 1 else 0.01)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    start = time.perf_counter()
    loop = 0
    sent = 0
    pending: list[bytes] = []
    print(f"Sending {len(samples)} samples to {args.host}:{args.port}" + (" (looping; Ctrl-C stops)" if args.loop else ""))
    try:
        while True:
            for t_s, fields in samples:
                t_out = (t_s - first) + loop * period
                if args.speed > 0:
                    due = start + t_out / args.speed
                    delay = due - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                pending.append(restamped(fields, t_out))
                if len(pending) >= args.batch:
                    sock.sendto(b"".join(pending), (args.host, args.port))
                    sent += len(pending)
                    pending = []
            if not args.loop:
                break
            loop += 1
    except KeyboardInterrupt:
        pass
    finally:
        if pending:
            sock.sendto(b"".join(pending), (args.host, args.port))
            sent += len(pending)
        sock.close()
    print(f"Sent {sent} samples.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
