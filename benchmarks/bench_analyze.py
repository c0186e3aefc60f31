"""``proprio analyze``'s reading of text recordings, per trial, beside ``numpy.loadtxt`` in the same run.

Usage: python benchmarks/bench_analyze.py [BDS_DIR] [--repeats R] [--game-root PATH]
(BDS_DIR defaults to ../shared/data/bds next to the repository: 6,000-row, 9-column trials.)

CPU medians (wall beside), each repeat covering every trial:

* baseline: ``numpy.loadtxt(file, skiprows=1)`` (C parser, every column, no checks);
* ``read_table`` + the three columns ``proprio analyze --time Time --ml COPy --ap COPx`` uses
  (decoding, delimiter and header checks, the line and column of any bad cell kept findable);
* ``analyze_file``: the above plus the rate from the time column and the 14 sway measures;
* a 6,000-row trial with one bad cell in its middle: the time to the error naming its line.

Goal (issue 15): ``read_table`` + columns at most 1.5x ``numpy.loadtxt`` per trial.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    add_bds_argument,
    add_game_root_option,
    bds_trials,
    footer,
    header,
    interleaved,
    use_game_root,
)

GAME_ROOT = use_game_root()

import numpy as np  # noqa: E402

from telemetry.measures.analysis import analyze_file  # noqa: E402
from telemetry.measures.textfile import TextFileError, read_table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_bds_argument(parser)
    parser.add_argument("--repeats", type=int, default=5)
    add_game_root_option(parser)
    args = parser.parse_args(argv)
    files = bds_trials(args.bds_dir)
    if not files:
        return 1
    header(f"proprio analyze's reader over {len(files)} trials of {args.bds_dir}; CPU medians of "
           f"{max(3, args.repeats)} repeats", GAME_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        lines = files[0].read_text().splitlines()
        middle = len(lines) // 2
        cells = lines[middle].split("\t")
        cells[7] = "1,5"  # COPx, a decimal comma
        lines[middle] = "\t".join(cells)
        bad = Path(tmp) / "bad.txt"
        bad.write_text("\n".join(lines) + "\n")

        def bad_cell() -> None:
            try:
                read_table(bad).column("COPx")
            except TextFileError as exc:
                assert f"line {middle + 1}" in exc.message, exc.message
                return
            raise AssertionError("the bad cell was not found")

        steps = {
            "loadtxt": lambda: [np.loadtxt(f, skiprows=1) for f in files],
            "read": lambda: [[t.column(c) for c in ("Time", "COPx", "COPy")] for t in map(read_table, files)],
            "file": lambda: [analyze_file(f, ml_column="COPy", ap_column="COPx", time_column="Time") for f in files],
            "bad": bad_cell,
        }
        timings = interleaved(steps, args.repeats)
    n = len(files)
    base = timings["loadtxt"].per(n)
    labels = {"loadtxt": "numpy.loadtxt, every column (baseline)", "read": "read_table + 3 columns",
              "file": "analyze_file (read + rate + 14 measures)"}
    print(f"\n  {'per trial':44s} {'CPU ms':>9s} {'wall ms':>9s} {'x loadtxt':>10s}")
    for key, label in labels.items():
        t = timings[key].per(n)
        print(f"  {label:44s} {1e3 * t.cpu_s:9.2f} {1e3 * t.wall_s:9.2f} {t.ratio(base):9.2f}x")
    t = timings["bad"]
    print(f"  {'a bad cell mid-trial, named by line':44s} {1e3 * t.cpu_s:9.2f} {1e3 * t.wall_s:9.2f} "
          f"{t.ratio(base):9.2f}x")
    footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
