"""Every reading kept (issue 11, defect 8): what the database holds for a 1 kHz and a 59 Hz board.

Run:  python benchmarks/bench_readings.py [--rates 1000 59] [--seconds 3] [--game-root OLD_CHECKOUT]

A sender thread here sends fused tilt lines over UDP on 127.0.0.1 at each rate while
``proprio play --headless --input imu-udp:...`` (a subprocess, the game of ``--game-root`` or of
this checkout) plays for ``--seconds``. Printed per rate: the 120 Hz ``samples`` rows and how
many distinct device readings they hold, the ``readings`` rows (absent before the fix), the
session's measured input rate, and the wall and CPU time of the game process.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _send(port: int, rate_hz: float, stop: threading.Event) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        n, start = 0, time.monotonic()
        while not stop.is_set():
            sock.sendto(f"{n / rate_hz:.6f},2.0,-1.0\n".encode(), ("127.0.0.1", port))
            n += 1
            delay = start + n / rate_hz - time.monotonic()
            if delay > 0:
                time.sleep(delay)


def measure(root: Path, rate_hz: float, seconds: float) -> str:
    """Play ``seconds`` on a board sending at ``rate_hz``; describe what was kept."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "p.db"
        env = {**os.environ, "PYTHONPATH": str(root), "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
               "PROPRIO_DATA_DIR": folder, "PROPRIO_CONFIG_DIR": folder}
        stop = threading.Event()
        sender = threading.Thread(target=_send, args=(port, rate_hz, stop), daemon=True)
        sender.start()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        subprocess.run([sys.executable, "-m", "game", "play", "garden-balance", "--headless", "--seed", "1",
                        "--duration", str(seconds), "--input", f"imu-udp:127.0.0.1:{port}", "--db", str(db)],
                       env=env, cwd=root, capture_output=True, check=True)
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        stop.set()
        sender.join(2)
        con = sqlite3.connect(db)
        tables = {row[0] for row in con.execute("select name from sqlite_master where type = 'table'")}
        rows, distinct = con.execute("select count(*), count(distinct device_t_s) from samples").fetchone()
        kept = con.execute("select count(*) from readings").fetchone()[0] if "readings" in tables else "no table"
        rate = con.execute("select input_rate_hz from sessions").fetchone()[0]
        con.close()
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return (f"{rate_hz:g} Hz board, {seconds:g} s: samples {rows} rows ({distinct} distinct readings),"
            f" readings {kept}, input rate {rate:.1f} Hz; game wall {wall:.2f} s, cpu {cpu:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=float, nargs="+", default=[1000.0, 59.0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--game-root", type=Path, default=REPO, help="the checkout whose game plays")
    args = parser.parse_args(argv)
    print(f"game: {args.game_root}")
    for rate in args.rates:
        print("  " + measure(args.game_root.resolve(), rate, args.seconds))
    return 0


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    sys.exit(run_reported(main))
