"""Time the assessment measures beside their unfiltered baselines, measured in the same run.

Usage: python benchmarks/bench_assessment.py [BDS_DIR] [--repeats N]
(BDS_DIR defaults to ../shared/data/bds next to the repository; without it the stance steps
are timed on a synthetic 60 s, 100 Hz trace.)

Steps: the plain sway measures of each trial (baseline), the assessment's stance measures
(even grid + 10 Hz zero-lag Butterworth + sway + stability figures), and the reach measures
of a 4 s, 120 Hz recorded-style reach with and without the filter. Medians over repeats, CPU
time beside wall time, the load average at the start and the end.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, add_game_root_option, footer, header, interleaved, use_game_root  # noqa: E402

GAME_ROOT = use_game_root()

import numpy as np  # noqa: E402

from telemetry.measures.assessment import stance_measures  # noqa: E402
from telemetry.measures.los import reach_measures  # noqa: E402
from telemetry.measures.sway import sway_measures  # noqa: E402
from telemetry.measures.textfile import read_table  # noqa: E402


def _traces(bds: Path) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    files = sorted(bds.glob("BDS0*.txt"))
    if not files:
        t = np.arange(6000) / 100.0
        rng = np.random.default_rng(0)
        return [(t, np.cumsum(rng.normal(0, 0.01, t.size)), np.cumsum(rng.normal(0, 0.01, t.size)))]
    traces = []
    for path in files:
        table = read_table(path)
        traces.append((table.column("Time[s]"), table.column("COPy"), table.column("COPx")))
    return traces


def _reach() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    t = np.arange(480) / 120.0
    tau = np.clip((t - 1.45) / 1.0, 0, 1)
    shape = 10 * tau**3 - 15 * tau**4 + 6 * tau**5
    return t, rng.normal(0, 0.6, t.size), 80 * shape + rng.normal(0, 0.6, t.size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bds_dir", nargs="?", type=Path, default=REPO.parent / "shared" / "data" / "bds")
    parser.add_argument("--repeats", type=int, default=5)
    add_game_root_option(parser)
    args = parser.parse_args(argv)
    traces = _traces(args.bds_dir)
    t, x, y = _reach()
    header(f"bench_assessment: {len(traces)} stance trace(s), one 4 s 120 Hz reach x 20; median of"
           f" {max(3, args.repeats)} repeats", GAME_ROOT)
    steps = {
        "sway_measures, raw (baseline)": lambda: [sway_measures(ml, ap, 100.0) for _, ml, ap in traces],
        "stance_measures (grid + filter + all)": lambda: [stance_measures(tt, ml, ap, "cm") for tt, ml, ap in traces],
        "reach_measures, filter_hz=None (baseline)": lambda: [
            reach_measures(t, x, y, cue_t_s=1.0, target_xy=(0.0, 100.0), filter_hz=None) for _ in range(20)],
        "reach_measures, 10 Hz filter": lambda: [
            reach_measures(t, x, y, cue_t_s=1.0, target_xy=(0.0, 100.0)) for _ in range(20)],
    }
    timings = interleaved(steps, args.repeats)
    for name, timing in timings.items():
        count = len(traces) if name.startswith(("sway", "stance")) else 20
        print(f"  {name:<45} {timing.ms()}   per item {timing.per(count).ms()}")
    names = list(timings)
    print("ratios (CPU time):")
    print(f"  stance_measures / sway_measures         {timings[names[1]].ratio(timings[names[0]]):6.2f}")
    print(f"  reach filtered / reach unfiltered        {timings[names[3]].ratio(timings[names[2]]):6.2f}")
    footer()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
