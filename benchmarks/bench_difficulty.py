"""Compare the difficulty methods on seeded simulated players: convergence, accuracy, tracking, speed.

Run from the repository root:

    /tmp/venv/bin/python benchmarks/bench_difficulty.py [--players 400] [--seed 20240]

Every column but dec/s is deterministic for a given seed and player count.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.difficulty import (  # noqa: E402
    DEFAULT_METHOD,
    DifficultyScaler,
    QuestScaler,
    WeightedStaircase,
    create_scaler,
)
from game.difficulty.simulation import LogisticPlayer, run_trials, sample_players  # noqa: E402

TARGET = 0.8
BAND = 0.05
WINDOW_TRIALS = 10
N_TRIALS = 120
FATIGUE_TRIAL = 41  # first tired trial: the threshold drops after 40 trials
FATIGUE_DROP = 0.2
MIDDLE = 0.5
SPEED_REPEATS = 5
SPEED_CALLS = 2000

DEFINITIONS = f"""\
Players: thresholds uniform in [0.4, 1.0], spreads log-uniform in [0.03, 0.12];
  p(success | d) = 1 / (1 + exp((d - threshold) / spread)); each player has its own seeded stream.
Scalers: target {TARGET}, floor 0, ceiling 1, start 0.0 (cold start) unless the row says otherwise.
R(k), the running success rate: mean of the player's TRUE success probability p(d_j) over the last
  {WINDOW_TRIALS} trials j = k-{WINDOW_TRIALS - 1}..k. (True p, not 0/1 outcomes: a 10-outcome rate moves in
  steps of 0.1 and its binomial SD at 0.8 is 0.13, so it could never stay within +/-{BAND}.)
reach: first trial k >= {WINDOW_TRIALS} with R(k) within {TARGET} +/- {BAND}; median over players.
settle: first trial k >= {WINDOW_TRIALS} from which R stays within {TARGET} +/- {BAND} at every trial up to
  {N_TRIALS}; median over players, '>{N_TRIALS}' when most never settle; 'settled' = share that do.
x stair: median reach (settle) divided by the staircase's; '<' / '>' bounds when one side never settles.
succ 21-80: realized success rate (0/1 outcomes) over trials 21-80: median [IQR] across players.
|p-T| 21-80: per player, mean over trials 21-80 of |p(d_k) - {TARGET}|; median across players (how far
  single trials stray from the target, which an averaged success rate hides).
Tired: the same players, but the threshold drops by {FATIGUE_DROP} from trial {FATIGUE_TRIAL} on.
  succ 41-80 tired: realized success rate over trials 41-80: median [IQR].
  recover: trials after trial {FATIGUE_TRIAL - 1} until R'(k) is first within the band, R' being R over
  tired trials only (mean p over trials max({FATIGUE_TRIAL}, k-{WINDOW_TRIALS - 1})..k); median over players.
dec/s: scaler.record() calls per second on this machine, median of {SPEED_REPEATS} repeats of {SPEED_CALLS} calls."""


@dataclass(frozen=True)
class Row:
    """One scaler configuration under test."""

    label: str
    make: Callable[[], DifficultyScaler]


def by_method(method: str, start: float = 0.0) -> Callable[[], DifficultyScaler]:
    """Factory for a method with its default parameters, as the game gets it."""
    return partial(create_scaler, target=TARGET, start=start, floor=0.0, ceiling=1.0, method=method)


METHOD_ROWS = (
    Row("staircase", by_method("staircase")),
    Row("quest", by_method("quest")),
    Row("levitt 1u/2d", by_method("levitt")),
    Row("fixed @0.0", by_method("fixed")),
    Row(f"fixed @{MIDDLE}", by_method("fixed", MIDDLE)),
)

_COLD = {"target": TARGET, "start": 0.0, "floor": 0.0, "ceiling": 1.0}
VARIANT_ROWS = (
    Row("staircase min_step 1/16", partial(WeightedStaircase, **_COLD, min_step=1 / 16)),
    Row("staircase min_step 1/32", partial(WeightedStaircase, **_COLD, min_step=1 / 32)),
    Row("quest hazard 0.02", partial(QuestScaler, **_COLD, hazard=0.02)),
    Row("quest hazard 0 (plain)", partial(QuestScaler, **_COLD, hazard=0.0)),
    Row("quest hazard 0.05", partial(QuestScaler, **_COLD, hazard=0.05)),
)


def running(p: Sequence[float], first_trial: int = 1) -> list[float]:
    """R(k) for k = 1..n: mean of p over trials max(first_trial, k-9)..k (nan before first_trial)."""
    out: list[float] = []
    for k in range(1, len(p) + 1):
        lo = max(first_trial, k - WINDOW_TRIALS + 1)
        out.append(float(np.mean(p[lo - 1 : k])) if k >= lo else float("nan"))
    return out


def in_band(rate: float) -> bool:
    """Whether a running rate is within TARGET +/- BAND."""
    return abs(rate - TARGET) <= BAND


def reach_trial(rates: Sequence[float], first: int) -> int | None:
    """First 1-based trial >= ``first`` at which the rate is in the band, or None."""
    return next((k for k in range(first, len(rates) + 1) if in_band(rates[k - 1])), None)


def settle_trial(rates: Sequence[float], first: int) -> int | None:
    """First 1-based trial >= ``first`` from which every later rate is in the band, or None."""
    settled: int | None = None
    for k in range(len(rates), first - 1, -1):
        if not in_band(rates[k - 1]):
            break
        settled = k
    return settled


def play(row: Row, player: LogisticPlayer) -> tuple[list[float], list[float]]:
    """Run one player through a fresh scaler; return the true success probabilities and outcomes."""
    decisions = run_trials(row.make(), player, N_TRIALS)
    return [player.p_success(d.old, trial=d.trial) for d in decisions], [d.outcome for d in decisions]


def quartiles(values: Sequence[float]) -> str:
    """'median [q1-q3]'."""
    q1, med, q3 = np.percentile(values, [25, 50, 75])
    return f"{med:.3f} [{q1:.3f}-{q3:.3f}]"


def censored_median(values: Sequence[int | None], limit: int) -> tuple[float, str]:
    """Median where None means 'after the horizon' (counted as limit + 1); value and text."""
    med = statistics.median(v if v is not None else limit + 1 for v in values)
    return med, (f">{limit}" if med > limit else f"{med:g}")


def ratio(value: float, base: float) -> str:
    """value / base, as a bound when either median is censored (beyond N_TRIALS)."""
    censored_value, censored_base = value > N_TRIALS, base > N_TRIALS
    if censored_value and censored_base:
        return "-"
    if censored_base:
        return f"<{value / base:.2f}"
    if censored_value:
        return f">{value / base:.2f}"
    return f"{value / base:.2f}"


def decisions_per_second(row: Row) -> float:
    """Median record() rate over repeats, with a fixed seeded outcome stream."""
    outcomes = (np.random.default_rng(7).random(SPEED_CALLS) < TARGET).tolist()
    rates = []
    for _ in range(SPEED_REPEATS):
        scaler = row.make()
        t0 = time.perf_counter()
        for outcome in outcomes:
            scaler.record(outcome)
        rates.append(SPEED_CALLS / (time.perf_counter() - t0))
    return statistics.median(rates)


def evaluate(row: Row, n_players: int, seed: int) -> dict[str, str | float]:
    """Every figure for one row."""
    reach, settle, succ, dev = [], [], [], []
    for player in sample_players(n_players, seed):
        p, outcomes = play(row, player)
        rates = running(p)
        reach.append(reach_trial(rates, WINDOW_TRIALS))
        settle.append(settle_trial(rates, WINDOW_TRIALS))
        succ.append(float(np.mean(outcomes[20:80])))
        dev.append(float(np.mean(np.abs(np.asarray(p[20:80]) - TARGET))))
    succ_tired, recover = [], []
    for player in sample_players(n_players, seed, fatigue_trial=FATIGUE_TRIAL, fatigue_drop=FATIGUE_DROP):
        p, outcomes = play(row, player)
        succ_tired.append(float(np.mean(outcomes[FATIGUE_TRIAL - 1 : 80])))
        k = reach_trial(running(p, FATIGUE_TRIAL), FATIGUE_TRIAL)
        recover.append(None if k is None else k - (FATIGUE_TRIAL - 1))
    reach_value, reach_text = censored_median(reach, N_TRIALS)
    settle_value, settle_text = censored_median(settle, N_TRIALS)
    _, recover_text = censored_median(recover, N_TRIALS - FATIGUE_TRIAL + 1)
    return {
        "reach_value": reach_value,
        "reach": reach_text,
        "settle_value": settle_value,
        "settle": settle_text,
        "settled": f"{100 * sum(s is not None for s in settle) / len(settle):.0f} %",
        "succ 21-80": quartiles(succ),
        "|p-T| 21-80": f"{statistics.median(dev):.3f}",
        "succ 41-80 tired": quartiles(succ_tired),
        "recover": recover_text,
        "dec/s": f"{decisions_per_second(row):,.0f}",
    }


def add_ratios(results: dict[str, dict[str, str | float]], base: dict[str, str | float]) -> None:
    """Fill the 'x stair' columns against the staircase row."""
    for r in results.values():
        r["reach x stair"] = ratio(float(r["reach_value"]), float(base["reach_value"]))
        r["settle x stair"] = ratio(float(r["settle_value"]), float(base["settle_value"]))


def table(results: dict[str, dict[str, str | float]], columns: Sequence[str]) -> str:
    """Plain fixed-width table, first column left-aligned."""
    header = ["method", *columns]
    body = [[label, *(str(r[c]) for c in columns)] for label, r in results.items()]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]

    def fmt(line: list[str]) -> str:
        cells = zip(line, widths, strict=True)
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells))

    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *(fmt(line) for line in body)])


COLUMNS = (
    "reach",
    "reach x stair",
    "settle",
    "settled",
    "settle x stair",
    "succ 21-80",
    "|p-T| 21-80",
    "succ 41-80 tired",
    "recover",
    "dec/s",
)


def main(argv: Sequence[str] | None = None) -> None:
    """Evaluate the methods and the parameter variants, then print the definitions and both tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--players", type=int, default=400, help="simulated players per row (default 400)")
    parser.add_argument("--seed", type=int, default=20240, help="population seed (default 20240)")
    parser.add_argument("--no-variants", action="store_true", help="skip the parameter-choice table")
    args = parser.parse_args(argv)

    methods = {row.label: evaluate(row, args.players, args.seed) for row in METHOD_ROWS}
    add_ratios(methods, methods["staircase"])
    print(DEFINITIONS)
    print(f"\n{args.players} players per row, seed {args.seed}, {N_TRIALS} trials each;"
          f" DEFAULT_METHOD = {DEFAULT_METHOD!r}\n")
    print(table(methods, COLUMNS))
    if not args.no_variants:
        variants = {row.label: evaluate(row, args.players, args.seed) for row in VARIANT_ROWS}
        add_ratios(variants, methods["staircase"])
        print("\nParameter choices (defaults: staircase min_step 1/16, quest hazard 0.02):\n")
        print(table(variants, COLUMNS))


if __name__ == "__main__":
    main()
