"""Effort wins (issue 12): how often doing nothing wins, beside a simulated player of middle skill, on every level.

Run from the repository root:

    .venv/bin/python benchmarks/bench_effort.py [--seeds 5] [--plays 3] [--skill 0.5] [--levels a,b]

For every shipped level, two players play it through the game's own session
(``start_session`` / ``step_from``, the level's own scalers carried from play to play as
``proprio play`` carries them):

* idle keyboard: a ``KeyboardSource`` nobody touches (it stays level);
* simulated player: ``SimulatedPlayer(skill)``, middle skill 0.5 by default.

Each seed is ``--plays`` plays in a row. A play is capped at 600 s of play: an idle player
never starts a track run (the target waits on its start for the player), and the trials it
never played count as not won. Printed per level and per challenge kind: the success rate
(successes / planned trials, median over seeds, with the range), the simulated player's rate
over the last half of its trials (where the scaler has settled) and the difficulty the scaler
ended at, and the level's target. The idle-to-simulated ratio is the baseline comparison
(both measured in the same run). CPU and wall seconds per level are printed beside the load
average, since the machine may be busy; every rate is deterministic for the seeds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.input.keyboard import KeyboardSource  # noqa: E402
from game.input.sim import SimulatedPlayer  # noqa: E402
from game.input.source import PoseSource  # noqa: E402
from game.level.loader import level_name, load_level, shipped_levels  # noqa: E402
from game.level.model import Level  # noqa: E402
from game.session import StoredScaler, start_session, step_from  # noqa: E402

PLAY_CAP_S = 600.0


@dataclass
class KindTally:
    """One player's trials of one kind over the plays of one seed."""

    planned: int = 0
    outcomes: list[bool] = field(default_factory=list)
    last_difficulty: float | None = None

    @property
    def rate(self) -> float:
        """Successes over planned trials (a trial never played is not won)."""
        return sum(self.outcomes) / self.planned if self.planned else 0.0

    @property
    def late_rate(self) -> float | None:
        """Success over the last half of the trials played."""
        late = self.outcomes[len(self.outcomes) // 2:]
        return sum(late) / len(late) if late else None


def play(level: Level, seed: int, plays: int, idle: bool, skill: float) -> dict[str, KindTally]:
    """``plays`` plays in a row by one player, the scalers carried; tallies per kind."""
    stored: dict[str, StoredScaler] = {}
    tallies: dict[str, KindTally] = {}
    for number in range(plays):
        source: PoseSource = KeyboardSource() if idle else SimulatedPlayer(skill, seed=seed * 1000 + number)
        session = start_session(level, seed * 1000 + number, stored=stored, stop_at_s=PLAY_CAP_S)
        for challenge in level.challenges:
            tallies.setdefault(challenge.kind, KindTally()).planned += challenge.trials
        while not session.finished:
            step = step_from(session, source)
            for result in step.results:
                tally = tallies[result.kind]
                tally.outcomes.append(result.success)
            for change in step.changes:
                tallies[change.kind].last_difficulty = change.new
        session.end()
        for kind, scaler in session.plan.to_store().items():
            stored[kind] = StoredScaler(scaler.difficulty, scaler.state())
    return tallies


def fmt_rate(values: list[float]) -> str:
    """Median and range of rates, as percentages."""
    if not values:
        return "-"
    return f"{statistics.median(values):4.0%} ({min(values):.0%}-{max(values):.0%})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds per level and player (default 5)")
    parser.add_argument("--plays", type=int, default=3, help="plays in a row per seed, scalers carried (default 3)")
    parser.add_argument("--skill", type=float, default=0.5, help="the simulated player's skill (default 0.5)")
    parser.add_argument("--levels", default="", help="comma-separated level names (default: every shipped level)")
    args = parser.parse_args()
    if args.seeds < 1 or args.plays < 1 or not 0.0 <= args.skill <= 1.0:
        parser.error("--seeds and --plays must be at least 1, --skill in [0, 1]")
    names = [n for n in args.levels.split(",") if n] or [level_name(p) for p in shipped_levels()]
    one, five, fifteen = os.getloadavg()
    print(f"bench_effort: {args.seeds} seeds x {args.plays} plays per player; simulated skill {args.skill:g};"
          f" load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores at the start")
    header = (f"{'level':<22} {'kind':<20} {'target':>6}  {'idle keyboard':<16} {'simulated':<16}"
              f" {'sim last half':<16} {'sim ends at d':<13} {'idle/sim':>8}  {'cpu s':>6} {'wall s':>6}")
    print(header)
    print("-" * len(header))
    for name in names:
        level = load_level(name).level
        wall0, cpu0 = time.perf_counter(), time.process_time()
        idle = [play(level, seed, args.plays, True, args.skill) for seed in range(1, args.seeds + 1)]
        sim = [play(level, seed, args.plays, False, args.skill) for seed in range(1, args.seeds + 1)]
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        targets: dict[str, float] = {}
        for challenge in level.challenges:
            targets.setdefault(challenge.kind, challenge.difficulty.target_success)
        for row, (kind, target) in enumerate(targets.items()):
            idle_rates = [t[kind].rate for t in idle]
            sim_rates = [t[kind].rate for t in sim]
            late = [r for t in sim if (r := t[kind].late_rate) is not None]
            ends = [d for t in sim if (d := t[kind].last_difficulty) is not None]
            sim_median = statistics.median(sim_rates)
            ratio = f"{statistics.median(idle_rates) / sim_median:8.2f}" if sim_median else f"{'-':>8}"
            timing = f"{cpu:6.1f} {wall:6.1f}" if row == 0 else ""
            ended = f"{statistics.median(ends):.2f}" if ends else "-"
            print(f"{name if row == 0 else '':<22} {kind:<20} {target:6.0%}  {fmt_rate(idle_rates):<16}"
                  f" {fmt_rate(sim_rates):<16} {fmt_rate(late):<16} {ended:<13} {ratio}  {timing}")
    one, five, fifteen = os.getloadavg()
    print(f"(load average {one:.2f} {five:.2f} {fifteen:.2f} at the end; rates: median over seeds (min-max);"
          " 'sim ends at d': median difficulty the scaler left the kind at)")


if __name__ == "__main__":
    main()
