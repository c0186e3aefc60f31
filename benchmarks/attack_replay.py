"""Hostile replay files (issue 16): a large recording's memory, a pipe, a device, an unclosed quote.

Run:  python benchmarks/attack_replay.py [--mb 100] [--game-root OLD_CHECKOUT]

Each case runs ``game.input.replay.read_csv`` in a child process (the game package of
``--game-root`` or of this checkout) with a time limit, and prints what happened: the poses
read, the child's peak memory (ru_maxrss) and CPU time beside wall time, or its error line,
or that it hung and was stopped.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD = """
import sys
from game.input.replay import read_csv
try:
    rec = read_csv(sys.argv[1])
    print(f"read {len(rec.poses)} poses, {rec.dropped} dropped")
except Exception as exc:
    print(f"{type(exc).__name__}: {str(exc).splitlines()[0][:110]}")
"""


def run(root: Path, path: str, timeout_s: float) -> str:
    """read_csv(path) in a child; what it said, its peak memory and times."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, path], env={**os.environ, "PYTHONPATH": str(root)},
                              cwd=root, capture_output=True, text=True, timeout=timeout_s)
        said = (done.stdout.strip() or done.stderr.strip().splitlines()[-1])[:150]
    except subprocess.TimeoutExpired:
        said = f"HUNG: stopped after {timeout_s:g} s"
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return f"{said}  [peak {after.ru_maxrss / 1024:.0f} MB so far, wall {wall:.1f} s, cpu {cpu:.1f} s]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="size of the large recording")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--game-root", type=Path, default=REPO)
    args = parser.parse_args(argv)
    root = args.game_root.resolve()
    print(f"game: {root}")
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.csv"
        line = "0.000000,0.1234,-0.2345,1.851,-3.518,deg\n"
        rows = int(args.mb * 1024 * 1024 / len(line))
        with open(big, "w") as handle:
            handle.write("t_s,x,y,raw_x,raw_y,raw_unit\n")
            for i in range(rows):
                handle.write(f"{i / 1000:.6f},0.1234,-0.2345,1.851,-3.518,deg\n")
        quote = Path(folder) / "quote.csv"
        quote.write_text('t_s,x,y\n0.00,0.1,0.0\n0.01,"0.2,0.0\n' + "".join(f"{i / 100:.2f},0.1,0.0\n"
                                                                        for i in range(2, 20000)))
        fifo = Path(folder) / "pipe.csv"
        os.mkfifo(fifo)
        # First, the large file: ru_maxrss of children is the largest child so far.
        print(f"  {args.mb:g} MB ({rows} rows): {run(root, str(big), args.timeout)}")
        print(f"  unclosed quote: {run(root, str(quote), 20)}")
        print(f"  a FIFO:         {run(root, str(fifo), 5)}")
        print(f"  /dev/zero:      {run(root, '/dev/zero', 5)}")  # the child's memory is what grows
    return 0


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    sys.exit(run_reported(main))
