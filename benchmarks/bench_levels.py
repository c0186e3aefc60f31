"""Loading and validating levels: every shipped level, and a generated 1,000-challenge level.

Run: python benchmarks/bench_levels.py [--repeats 7]

The baseline in the same run is tomllib alone (parsing without validation), so the ratio
shows what the typed models and positioned errors cost. Medians over repeats.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.level.loader import load_level, shipped_levels  # noqa: E402
from game.level.templates import BODIES, starter  # noqa: E402

FRAME_MS = 1000 / 60


def big_level(count: int) -> str:
    """A valid level with ``count`` challenges cycling through every kind."""
    kinds = list(BODIES)
    first = starter(kinds[0], "Big")
    parts = [first]
    for i in range(1, count):
        kind = kinds[i % len(kinds)]
        parts.append(f'\n[[challenges]]\nkind = "{kind}"\ntitle = "C{i}"\ninstruction = "Go."\n' + BODIES[kind])
    return "".join(parts)


def timed(fn, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    files = shipped_levels()
    texts = [p.read_text() for p in files]
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.toml"
        big.write_text(big_level(1000))
        big_text = big.read_text()
        rows = [
            ("shipped: tomllib only (baseline)", timed(lambda: [tomllib.loads(t) for t in texts], args.repeats)),
            ("shipped: load_level (parse+validate)", timed(lambda: [load_level(p) for p in files], args.repeats)),
            ("1000 challenges: tomllib only", timed(lambda: tomllib.loads(big_text), args.repeats)),
            ("1000 challenges: load_level", timed(lambda: load_level(big), args.repeats)),
        ]
    print(f"{len(files)} shipped levels; a generated level of 1000 challenges ({len(big_text) / 1024:.0f} KiB); "
          f"median of {args.repeats}")
    for name, ms in rows:
        print(f"  {name:40s} {ms:9.2f} ms")
    per_level = rows[1][1] / len(files)
    print(f"  one shipped level, parse+validate       {per_level:9.2f} ms"
          f"  = {per_level / FRAME_MS:.1%} of a 60 Hz frame")
    print(f"  ratio validate/parse: shipped {rows[1][1] / rows[0][1]:.1f}x,"
          f" 1000 challenges {rows[3][1] / rows[2][1]:.1f}x")


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    run_reported(main)
