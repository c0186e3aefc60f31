"""Time the sway measures over the 18 shared BDS trials, beside baselines measured in the same run.

Usage: python benchmarks/bench_metrics.py [BDS_DIR] [--repeats N]
(BDS_DIR defaults to ../shared/data/bds next to the repository.)

Prints the median CPU time (wall time beside, and the load average) of each step over N repeats
(each repeat covers all trials) and ratios to the baselines: parsing with numpy.loadtxt, and
computing only the path length.
"""

from __future__ import annotations

import argparse
import platform
import sys
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
from telemetry.measures.sway import mean_power_frequency, path_length, sway_measures  # noqa: E402
from telemetry.measures.textfile import read_table  # noqa: E402

RATE_HZ = 100.0


def main(argv: list[str] | None = None) -> int:
    """Run every step over all trials and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_bds_argument(parser)
    parser.add_argument("--repeats", type=int, default=7)
    add_game_root_option(parser)
    args = parser.parse_args(argv)
    files = bds_trials(args.bds_dir)
    if not files:
        return 1
    # COPx (column 8) is antero-posterior, COPy (column 9) medio-lateral.
    traces = [(data[:, 8], data[:, 7]) for data in (np.loadtxt(f, skiprows=1) for f in files)]
    n_samples = sum(ml.size for ml, _ in traces)

    steps = {  # key: (label, step)
        "loadtxt": ("parse: numpy.loadtxt (baseline)", lambda: [np.loadtxt(f, skiprows=1) for f in files]),
        "read": ("parse: read_table + 3 columns", lambda: [
            [t.column(c) for c in ("Time", "COPx", "COPy")] for t in map(read_table, files)
        ]),
        "path": ("path_length only (baseline)", lambda: [path_length(ml, ap, RATE_HZ) for ml, ap in traces]),
        "mpf": ("mean_power_frequency only", lambda: [mean_power_frequency(ml, ap, RATE_HZ) for ml, ap in traces]),
        "all": ("sway_measures (all 14)", lambda: [sway_measures(ml, ap, RATE_HZ) for ml, ap in traces]),
        "file": ("analyze_file (parse + rate + all 14)", lambda: [
            analyze_file(f, ml_column="COPy", ap_column="COPx", time_column="Time") for f in files
        ]),
    }
    header(f"{len(files)} trials, {n_samples} samples; CPU medians of {max(3, args.repeats)} repeats (wall beside); "
           f"Python {platform.python_version()}, numpy {np.__version__}", GAME_ROOT)
    timings = interleaved({key: step for key, (_, step) in steps.items()}, args.repeats)
    medians = {key: t.cpu_s for key, t in timings.items()}
    for key, (label, _) in steps.items():
        seconds = medians[key]
        print(f"  {label:40s} {1e3 * seconds:9.2f} ms   {1e3 * seconds / len(files):7.3f} ms/trial"
              f"   (wall {1e3 * timings[key].wall_s:9.2f} ms)")
    print("ratios (CPU):")
    for top, bottom in [("all", "path"), ("mpf", "all"), ("read", "loadtxt"), ("file", "loadtxt"), ("all", "file")]:
        name = f"{steps[top][0].split(' (')[0]} / {steps[bottom][0].split(' (')[0]}"
        print(f"  {name:60s} {medians[top] / medians[bottom]:7.2f}")
    footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
