"""Compare the difficulty methods on seeded simulated players: convergence, accuracy, tracking, speed.

Run from the repository root (machines are shared: nice it):

    nice -n 19 .venv/bin/python benchmarks/bench_difficulty.py [--players 400] [--seed 20240]
    nice -n 19 .venv/bin/python benchmarks/bench_difficulty.py --quick      # a minute, for iteration
    nice -n 19 .venv/bin/python benchmarks/bench_difficulty.py --no-methods --oracle --also-seeds 20241,20242

The last one (about 15 minutes CPU) plays the stationary cohort with idealised, not shippable,
placers that bound what any method can reach there (docs/difficulty.md, "the stationary target
against oracles").

Two parts: the method tables (cold start, tiring; as before) and the patient cohorts (issue 14):
each method against the classic Kaernbach weighted up-down on the same players and the same
random draws, with 90 % paired bootstrap intervals. Every column but the timings is
deterministic for a given seed and player count.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.difficulty import (  # noqa: E402
    DEFAULT_METHOD,
    BayesDriftScaler,
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
    Row("bayes", by_method("bayes")),
    Row("levitt 1u/2d", by_method("levitt")),
    Row("fixed @0.0", by_method("fixed")),
    Row(f"fixed @{MIDDLE}", by_method("fixed", MIDDLE)),
)

_COLD: dict[str, Any] = {"target": TARGET, "start": 0.0, "floor": 0.0, "ceiling": 1.0}
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


# ---------------------------------------------------------------------------------------------
# Patient cohorts (issue 14): every method against the classic weighted up-down, paired.
# ---------------------------------------------------------------------------------------------

COHORT_TRIALS = 80
COHORT_START = 0.2
WITHIN = 0.08
BOOTSTRAP = 2000
CI_PERCENT = 90

COHORT_DEFINITIONS = f"""\\
Cohorts (target {TARGET}, band [0, 1], start {COHORT_START}, {COHORT_TRIALS} trials, unless the cohort says otherwise):
  p(success | d, trial k) = guess + (1 - guess - lapse) / (1 + exp((d - threshold_k) / spread));
  threshold uniform 0.3-0.8, spread log-uniform 0.03-0.1, guess = lapse = 0.
  stationary       as above
  tiring           threshold 0.2 lower from trial 41
  lapses           guess and lapse each uniform 0.02-0.10
  shallow          spread log-uniform 0.10-0.25
  steep            spread log-uniform 0.01-0.03
  learning         threshold from uniform 0.3-0.6 rising linearly by uniform 0.1-0.3 over the session
  gradual fatigue  threshold uniform 0.4-0.8, falling linearly by uniform 0.1-0.3 over trials 21-80
  next day         80 trials, a break (bayes: new_session(); the others continue), 40 scored trials
                   with the threshold shifted by uniform -0.15..+0.15
  short            25 trials from a cold start
  clipped          every other player: ceiling 0.45, the others floor 0.5 (start 0.5)
  mix              spread log-uniform 0.02-0.2, guess and lapse uniform 0-0.08, 25-80 trials, and one
                   of: steady, a 0.2 drop at a trial in 20-60, learning or fatigue of 0.1-0.3 (a quarter each)
Classic: Kaernbach's weighted up-down, step 0.2 split as {1 - TARGET:g} x step harder after a success and
  {TARGET:g} x step easier after a failure, step x0.8 at each reversal (from the reversing move on), min 0.02.
Paired: both methods meet the same players and the same uniform draw per trial (success = draw < p).
miss: per player |mean over the scored trials of the true p(d_k) - target|. ratio: median miss of the
  method / median miss of the classic, with a {CI_PERCENT} % paired bootstrap interval ({BOOTSTRAP} resamples
  of players).
noise: median over players of |mean over the scored trials of (true p - outcome)|, each method on its own
  trials. This part of a session's mean p is outcome noise no method sees: a method that brought every
  session's realised success rate exactly onto the target would miss by it (80 outcomes at p = 0.8:
  sd sqrt(0.16/80) = 0.045, median 0.030; less where trials sit near p = 1, as the classic's easy first
  trials do). So noise / classic's miss is about the best ratio a method playing its trials can reach.
within: share of players with miss <= {WITHIN}. bias: mean over players of (mean p - target).
|p-T|: median over all scored trials of all players of |p(d_k) - target|.
recover (tiring): median trials after trial 40 until the mean p over the tired trials of the last
  {WINDOW_TRIALS} is within {TARGET} +/- {BAND}.
cost: median wall and CPU time of one record() call (2000 calls, seeded outcomes at 80 %)."""


class ClassicWeightedUpDown:
    """Kaernbach's weighted up-down as the issue defines the classic: step 0.2, x0.8 at reversals, min 0.02."""

    def __init__(self, *, target: float, start: float, floor: float, ceiling: float,
                 step: float = 0.2, shrink: float = 0.8, min_step: float = 0.02) -> None:
        self.target, self.level, self.floor, self.ceiling = target, start, floor, ceiling
        self.step, self.shrink, self.min_step = step, shrink, min_step
        self.direction = 0

    @property
    def difficulty(self) -> float:
        """Level of the next trial."""
        return self.level

    def record(self, success: bool) -> None:
        """Step harder by (1 - target) x step after a success, easier by target x step after a failure."""
        direction = 1 if success else -1
        if self.direction and direction != self.direction:
            self.step = max(self.min_step, self.step * self.shrink)
        self.direction = direction
        move = (1.0 - self.target) * self.step if success else -self.target * self.step
        self.level = min(self.ceiling, max(self.floor, self.level + move))


@dataclass
class CohortPlayer:
    """One simulated patient: threshold per trial, curve, band, sessions and the paired uniform draws."""

    threshold: np.ndarray
    spread: float
    guess: float
    lapse: float
    draws: np.ndarray
    floor: float = 0.0
    ceiling: float = 1.0
    start: float = COHORT_START
    sessions: tuple[int, ...] = (COHORT_TRIALS,)
    extra: dict[str, Any] = field(default_factory=dict)

    def p(self, difficulty: float, k: int) -> float:
        """True success probability at ``difficulty`` on the 0-based trial ``k``."""
        z = min(700.0, (difficulty - float(self.threshold[k])) / self.spread)
        return self.guess + (1.0 - self.guess - self.lapse) / (1.0 + math.exp(z))


def _log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _make_player(name: str, rng: np.random.Generator, index: int) -> CohortPlayer:
    """Draw one player of cohort ``name`` (see COHORT_DEFINITIONS)."""
    t0 = rng.uniform(0.3, 0.8)
    spread = _log_uniform(rng, 0.03, 0.1)
    guess = lapse = 0.0
    floor, ceiling, start = 0.0, 1.0, COHORT_START
    sessions: tuple[int, ...] = (COHORT_TRIALS,)
    extra: dict[str, Any] = {}
    if name == "lapses":
        guess, lapse = rng.uniform(0.02, 0.1), rng.uniform(0.02, 0.1)
    elif name == "shallow":
        spread = _log_uniform(rng, 0.1, 0.25)
    elif name == "steep":
        spread = _log_uniform(rng, 0.01, 0.03)
    elif name == "short":
        sessions = (25,)
    elif name == "next day":
        sessions = (COHORT_TRIALS, 40)
    elif name == "clipped":
        if index % 2:
            floor = start = 0.5
        else:
            ceiling = 0.45
    elif name == "mix":
        spread = _log_uniform(rng, 0.02, 0.2)
        guess, lapse = rng.uniform(0.0, 0.08), rng.uniform(0.0, 0.08)
        sessions = (int(rng.integers(25, COHORT_TRIALS + 1)),)
    n = sum(sessions)
    k = np.arange(n)
    threshold = np.full(n, t0)
    if name == "tiring":
        threshold[40:] -= 0.2
        extra["drop_trial"] = 40
    elif name == "learning":
        threshold = rng.uniform(0.3, 0.6) + rng.uniform(0.1, 0.3) * k / (n - 1)
    elif name == "gradual fatigue":
        threshold = rng.uniform(0.4, 0.8) - rng.uniform(0.1, 0.3) * np.clip((k - 20) / 59, 0.0, 1.0)
    elif name == "next day":
        threshold[COHORT_TRIALS:] += rng.uniform(-0.15, 0.15)
    elif name == "mix":
        kind = int(rng.integers(4))
        if kind == 1:
            threshold[int(rng.integers(20, 61)):] -= 0.2
        elif kind == 2:
            threshold = t0 + rng.uniform(0.1, 0.3) * k / max(1, n - 1)
        elif kind == 3:
            threshold = t0 - rng.uniform(0.1, 0.3) * k / max(1, n - 1)
    return CohortPlayer(threshold, spread, float(guess), float(lapse), rng.random(n), floor, ceiling, start,
                        sessions, extra)


COHORTS = ("stationary", "tiring", "lapses", "shallow", "steep", "learning", "gradual fatigue", "next day",
           "short", "clipped", "mix")

#: Issue 14's targets for the median-miss ratio against the classic (and none above 1.05).
RATIO_TARGETS = {"stationary": 0.88, "tiring": 0.90, "learning": 0.80, "next day": 0.80,
                 "gradual fatigue": 0.70, "mix": 0.85, "short": 1.0}
RATIO_CAP = 1.05


def cohort_players(name: str, n_players: int, seed: int) -> list[CohortPlayer]:
    """A reproducible cohort: one spawned stream per player, so a player does not depend on the count."""
    streams = np.random.default_rng([seed, *name.encode()]).spawn(n_players)
    return [_make_player(name, rng, i) for i, rng in enumerate(streams)]


def make_cohort_scaler(method: str, player: CohortPlayer) -> Any:
    """A fresh scaler for ``player``'s band; 'classic' is the benchmark's reference."""
    band = {"target": TARGET, "start": player.start, "floor": player.floor, "ceiling": player.ceiling}
    if method == "classic":
        return ClassicWeightedUpDown(**band)
    return create_scaler(**band, method=method)


def play_cohort_player(method: str, player: CohortPlayer) -> tuple[np.ndarray, np.ndarray]:
    """Play every session; return the true p and the outcome (0/1) of each scored (last-session) trial."""
    scaler = make_cohort_scaler(method, player)
    k, scored, outcomes = 0, list[float](), list[float]()
    for index, n in enumerate(player.sessions):
        if index and isinstance(scaler, BayesDriftScaler):
            scaler.new_session()
        scored, outcomes = [], []
        for _ in range(n):
            p = player.p(scaler.difficulty, k)
            success = bool(player.draws[k] < p)
            scaler.record(success)
            scored.append(p)
            outcomes.append(float(success))
            k += 1
    return np.asarray(scored), np.asarray(outcomes)


def recovery(p: np.ndarray, drop_trial: int) -> int | None:
    """Trials after ``drop_trial`` until the mean p over the last (tired) trials is in the band."""
    for k in range(drop_trial, len(p)):
        if in_band(float(np.mean(p[max(drop_trial, k - WINDOW_TRIALS + 1) : k + 1]))):
            return k - drop_trial + 1
    return None


@dataclass
class CohortResult:
    """Per-player figures of one method on one cohort."""

    miss: np.ndarray
    mean_p: np.ndarray
    abs_dev: np.ndarray
    recover: list[int | None]
    noise: np.ndarray
    """Per player |mean of (true p - outcome)| over the scored trials: the part of the miss no method can see."""


def run_cohort(method: str, players: Sequence[CohortPlayer]) -> CohortResult:
    """Play the cohort through one method."""
    miss, mean_p, devs, recover, noise = [], [], [], [], []
    for player in players:
        p, outcomes = play_cohort_player(method, player)
        miss.append(abs(float(p.mean()) - TARGET))
        noise.append(abs(float((p - outcomes).mean())))
        mean_p.append(float(p.mean()))
        devs.append(np.abs(p - TARGET))
        if "drop_trial" in player.extra:
            recover.append(recovery(p, player.extra["drop_trial"]))
    return CohortResult(np.asarray(miss), np.asarray(mean_p), np.concatenate(devs), recover, np.asarray(noise))


def paired_ratio(miss: np.ndarray, base: np.ndarray, seed: int) -> tuple[float, float, float]:
    """Median-miss ratio and its paired bootstrap interval (players resampled together)."""
    rng = np.random.default_rng(seed)
    index = rng.integers(0, len(miss), size=(BOOTSTRAP, len(miss)))
    ratios = np.median(miss[index], axis=1) / np.median(base[index], axis=1)
    tail = (100 - CI_PERCENT) / 2
    lo, hi = np.percentile(ratios, [tail, 100 - tail])
    return float(np.median(miss) / np.median(base)), float(lo), float(hi)


def verdict(name: str, ratio: float) -> str:
    """'ok' or 'MISSED' against the issue's target for the cohort (and the 1.05 cap for every cohort)."""
    limit = min(RATIO_TARGETS.get(name, RATIO_CAP), RATIO_CAP)
    return f"<={limit:g} {'ok' if ratio <= limit else 'MISSED'}"


def cohort_table(method: str, results: dict[str, tuple[CohortResult, CohortResult]], seed: int) -> str:
    """One row per cohort: the method against the classic."""
    header = ["cohort", "miss", "classic", f"ratio [{CI_PERCENT} % CI]", "target", "noise", "within", "bias",
              "|p-T|", "recover"]
    rows = []
    for name, (mine, base) in results.items():
        ratio, lo, hi = paired_ratio(mine.miss, base.miss, seed)
        recover = "-"
        if mine.recover:
            _, a = censored_median(mine.recover, COHORT_TRIALS)
            _, b = censored_median(base.recover, COHORT_TRIALS)
            recover = f"{a} / {b}"
        rows.append([
            name,
            f"{np.median(mine.miss):.4f}",
            f"{np.median(base.miss):.4f}",
            f"{ratio:.3f} [{lo:.3f}-{hi:.3f}]",
            verdict(name, ratio),
            f"{np.median(mine.noise):.4f} / {np.median(base.noise):.4f}",
            f"{np.mean(mine.miss <= WITHIN):.2f} / {np.mean(base.miss <= WITHIN):.2f}",
            f"{np.mean(mine.mean_p) - TARGET:+.3f} / {np.mean(base.mean_p) - TARGET:+.3f}",
            f"{np.median(mine.abs_dev):.3f} / {np.median(base.abs_dev):.3f}",
            recover,
        ])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True)))
             for line in [header, ["-" * w for w in widths], *rows]]
    note = (f"{method} vs classic (two figures: {method} / classic); miss and classic are median misses;"
            " target: the issue's bound for the ratio")
    return note + "\n" + "\n".join(lines)


def decision_cost(method: str) -> tuple[float, float]:
    """Median wall and CPU microseconds of one record() call over 2000 seeded calls."""
    outcomes = (np.random.default_rng(7).random(SPEED_CALLS) < TARGET).tolist()
    player = CohortPlayer(np.zeros(1), 0.1, 0.0, 0.0, np.zeros(1))
    scaler = make_cohort_scaler(method, player)
    walls, cpus = [], []
    for outcome in outcomes:
        w0, c0 = time.perf_counter_ns(), time.thread_time_ns()
        scaler.record(outcome)
        cpus.append(time.thread_time_ns() - c0)
        walls.append(time.perf_counter_ns() - w0)
    return statistics.median(walls) / 1000, statistics.median(cpus) / 1000


def run_cohorts(methods: Sequence[str], names: Sequence[str], n_players: int, seed: int,
                extra_seeds: Sequence[int] = ()) -> None:
    """Print the cohort definitions, one table per method against the classic, and the cost per decision.

    With ``extra_seeds`` each cohort is the players of every seed together (``n_players`` each),
    a larger and so less draw-dependent comparison; the bootstrap still uses ``seed``.
    """
    print("\n" + COHORT_DEFINITIONS)
    started = time.perf_counter()
    results: dict[str, dict[str, tuple[CohortResult, CohortResult]]] = {m: {} for m in methods}
    seeds = [seed, *extra_seeds]
    for name in names:
        players = [player for s in seeds for player in cohort_players(name, n_players, s)]
        base = run_cohort("classic", players)
        for method in methods:
            results[method][name] = (run_cohort(method, players), base)
    pooled = f"{n_players} players per cohort and seed, seeds {', '.join(map(str, seeds))} together" if extra_seeds \
        else f"{n_players} players per cohort, seed {seed}"
    print(f"\n{pooled}, paired with the classic;"
          f" DEFAULT_METHOD = {DEFAULT_METHOD!r} ({time.perf_counter() - started:.0f} s)")
    for method in methods:
        print("\n" + cohort_table(method, results[method], seed))
    print("\ncost per decision (median of 2000 record() calls; the machine may be shared):")
    for method in ("classic", "staircase", *methods):
        wall, cpu = decision_cost(method)
        print(f"  {method:10s} wall {wall:8.1f} us   cpu {cpu:8.1f} us")


# ---------------------------------------------------------------------------------------------
# Oracles (issue 14, the stationary target): idealised placers on the same players and draws as
# the classic. They are not shippable (each is told something a game never knows: the player's
# curve, its slope, or the cohort's exact generative distribution); they bound what any method
# can reach on the stationary cohort's metric.
# ---------------------------------------------------------------------------------------------

#: The stationary cohort's threshold prior, uniform 0.3-0.8: midpoints of 200 equal bins.
ORACLE_THRESHOLDS = 0.3 + (np.arange(200) + 0.5) * (0.5 / 200)
#: Its spread prior, log-uniform 0.03-0.1: midpoints (in log) of 24 equal bins.
ORACLE_SPREADS = np.exp(math.log(0.03) + (np.arange(24) + 0.5) * (math.log(0.1 / 0.03) / 24))
#: Levels at which the posterior-predictive success is tabulated before refining inside a bracket.
ORACLE_LEVELS = np.linspace(0.0, 1.0, 101)
#: Refinements of the crossing inside a 0.01 bracket, each cutting it into 8: 1.6e-4 in level, then linear.
ORACLE_REFINEMENTS = 2
ORACLE_SUBDIVISIONS = 8
ORACLE_CAP = 0.05


@dataclass(frozen=True)
class Oracle:
    """One idealised placer: what it is told about the player, and its session balance cap (0: none)."""

    label: str
    knows: str
    """'curve' (the true psychometric function), 'slope' (spread, guess, lapse; not the threshold) or
    'prior' (nothing about the player: the cohort's generative distribution over threshold and spread)."""
    balance_cap: float = 0.0
    balance_horizon: int | None = None
    """Trials the shortfall is spread over: None for the trials left in the session, a number as ``bayes``'s."""


ORACLES = (
    Oracle("(a) knows the curve", "curve"),
    Oracle("(b) knows the slope", "slope"),
    Oracle(f"(c) knows the slope + balance {ORACLE_CAP:g}", "slope", ORACLE_CAP),
    Oracle("(d) knows the prior", "prior"),
    Oracle(f"(e) knows the prior + balance {ORACLE_CAP:g}", "prior", ORACLE_CAP),
    Oracle("(e) with cap 0.02", "prior", 0.02),
    Oracle("(e) with cap 0.1", "prior", 0.1),
    Oracle("(f) (d) + bayes's balance", "prior", 0.01, 40),
    Oracle("(g) (d) + balance 0.1 over 40", "prior", 0.1, 40),
)

ORACLE_DEFINITIONS = f"""\
Oracles (stationary players only; each plays the classic's players with the classic's draws):
  (a) knows the player's curve: every trial at the level where the true p is the target {TARGET}.
  (b) knows spread, guess and lapse, not the threshold: exact posterior over the threshold on the
      cohort's true prior (uniform 0.3-0.8, {ORACLE_THRESHOLDS.size} cells); no drift.
  (d) knows nothing about the player: exact posterior over threshold and spread on the cohort's true
      generative distribution (threshold as (b), spread log-uniform 0.03-0.1, {ORACLE_SPREADS.size} cells):
      the Bayes-optimal stationary placer.
  (b)-(e) play trial 1 at start {COHORT_START} like every method, then each trial where the
      posterior-predictive success E[p(d)] equals the aim.
  aim: the target; with a balance (c, e) target + clip((target * n - sum over the n trials played of
      E[p(d_j)] under the CURRENT posterior) / trials left, -cap, cap): the expected session-mean p,
      past trials re-evaluated, lands on the target if the trials left hit their aims.
  (f), (g): (d) with the shortfall spread over 40 trials, not the trials left (bayes does not know
      the session's length): (f) cap 0.01, bayes's own balance; (g) cap 0.1.
  end sd: median over players of the posterior sd of the session's mean p after the last outcome:
      what the oracle, knowing all it is told, still cannot know of the figure it is judged on."""


#: The logistic's exponent is cut at +/-ORACLE_Z (success 2e-22 from 1 or 0): beyond it, products of
#: tiny numbers become subnormal floats, which the CPU handles tens of times slower.
ORACLE_Z = 50.0
#: Posterior cells below this are set to 0 after each update, for the same reason.
ORACLE_FLUSH = 1e-150
# The matrix-vector products use einsum, not @: OpenBLAS's threads, spinning on this shared machine,
# made one (4800 x 101) product cost 4 ms of CPU instead of 0.2 ms (measured).


def _oracle_curve(level: float, thresholds: np.ndarray, spreads: np.ndarray) -> np.ndarray:
    """Lapse-free success at ``level`` for every (spread, threshold) cell, flattened."""
    z = np.clip((level - thresholds[None, :]) / spreads[:, None], -ORACLE_Z, ORACLE_Z)
    return np.asarray(1.0 / (1.0 + np.exp(z))).ravel()


def play_oracle(oracle: Oracle, player: CohortPlayer) -> tuple[np.ndarray, np.ndarray, float]:
    """Play one stationary player's session with an oracle: the true p and outcome of every trial, and the
    posterior sd of the session's mean p after the last outcome (what the oracle still does not know of it)."""
    if player.sessions != (COHORT_TRIALS,) or np.ptp(player.threshold) > 0.0:
        raise ValueError("the oracles model stationary players in one session only")
    n = COHORT_TRIALS
    scored, outcomes = [], []
    if oracle.knows == "curve":
        share = 1.0 - player.guess - player.lapse
        level = float(player.threshold[0]) + player.spread * math.log(share / (TARGET - player.guess) - 1.0)
        level = min(player.ceiling, max(player.floor, level))
        for k in range(n):
            p = player.p(level, k)
            scored.append(p)
            outcomes.append(float(player.draws[k] < p))
        return np.asarray(scored), np.asarray(outcomes), 0.0
    spreads = np.array([player.spread]) if oracle.knows == "slope" else ORACLE_SPREADS
    guess, share = player.guess, 1.0 - player.guess - player.lapse  # known in (b)-(c); 0 and 1 in the cohort
    table = guess + share * np.stack([_oracle_curve(d, ORACLE_THRESHOLDS, spreads) for d in ORACLE_LEVELS], axis=1)
    post = np.full(table.shape[0], 1.0 / table.shape[0])  # both priors are uniform on their cells
    played_sum = np.zeros_like(post)  # per cell, the sum of p over the levels played so far
    level = player.start
    for k in range(n):
        p = player.p(level, k)
        success = bool(player.draws[k] < p)
        scored.append(p)
        outcomes.append(float(success))
        cell_p = guess + share * _oracle_curve(level, ORACLE_THRESHOLDS, spreads)
        played_sum += cell_p
        post *= cell_p if success else 1.0 - cell_p
        post /= post.sum()
        post[post < ORACLE_FLUSH] = 0.0
        aim = TARGET
        if oracle.balance_cap and k + 1 < n:
            shortfall = TARGET * (k + 1) - float(post @ played_sum)
            spread_over = oracle.balance_horizon or n - k - 1
            aim += min(oracle.balance_cap, max(-oracle.balance_cap, shortfall / spread_over))
        predicted = np.einsum("c,cl->l", post, table)  # falls with the level
        if predicted[0] <= aim:
            level = 0.0
        elif predicted[-1] >= aim:
            level = 1.0
        else:
            j = int(np.argmax(predicted < aim))
            lo, hi = float(ORACLE_LEVELS[j - 1]), float(ORACLE_LEVELS[j])
            for _ in range(ORACLE_REFINEMENTS):  # the bracket cut into ORACLE_SUBDIVISIONS, exact predictions
                levels = np.linspace(lo, hi, ORACLE_SUBDIVISIONS + 1)
                z = np.clip((levels[None, None, :] - ORACLE_THRESHOLDS[None, :, None]) / spreads[:, None, None],
                            -ORACLE_Z, ORACLE_Z)
                exact = guess + share * np.einsum("c,cl->l", post, (1.0 / (1.0 + np.exp(z))).reshape(post.size, -1))
                i = max(1, int(np.argmax(exact < aim)))  # exact[0] > aim >= exact[-1] (up to rounding)
                lo, hi, p_lo, p_hi = float(levels[i - 1]), float(levels[i]), float(exact[i - 1]), float(exact[i])
            level = lo + (p_lo - aim) * (hi - lo) / (p_lo - p_hi) if p_lo > p_hi else lo
        level = min(player.ceiling, max(player.floor, level))
    session_mean = played_sum / n  # per cell
    centre = float(post @ session_mean)
    return np.asarray(scored), np.asarray(outcomes), math.sqrt(max(0.0, float(post @ (session_mean - centre) ** 2)))


def run_oracle(oracle: Oracle, players: Sequence[CohortPlayer]) -> tuple[CohortResult, np.ndarray]:
    """Play the cohort through one oracle: the figures run_cohort gives a method, and each player's end sd."""
    miss, mean_p, devs, noise, end_sd = [], [], [], [], []
    for player in players:
        p, outcomes, sd = play_oracle(oracle, player)
        end_sd.append(sd)
        miss.append(abs(float(p.mean()) - TARGET))
        noise.append(abs(float((p - outcomes).mean())))
        mean_p.append(float(p.mean()))
        devs.append(np.abs(p - TARGET))
    result = CohortResult(np.asarray(miss), np.asarray(mean_p), np.concatenate(devs), [], np.asarray(noise))
    return result, np.asarray(end_sd)


def oracle_table(title: str, rows: dict[str, CohortResult], base: CohortResult, seed: int,
                 end_sd: dict[str, np.ndarray]) -> str:
    """One row per placer against the classic on the same players."""
    header = ["placer", "miss", "classic", f"ratio [{CI_PERCENT} % CI]", "noise", "end sd", "within", "bias",
              "|p-T|"]
    body = []
    for label, mine in rows.items():
        ratio, lo, hi = paired_ratio(mine.miss, base.miss, seed)
        body.append([
            label,
            f"{np.median(mine.miss):.4f}",
            f"{np.median(base.miss):.4f}",
            f"{ratio:.3f} [{lo:.3f}-{hi:.3f}]",
            f"{np.median(mine.noise):.4f}",
            f"{np.median(end_sd[label]):.4f}" if label in end_sd else "-",
            f"{np.mean(mine.miss <= WITHIN):.2f}",
            f"{np.mean(mine.mean_p) - TARGET:+.4f}",
            f"{np.median(mine.abs_dev):.3f}",
        ])
    body.append(["classic", f"{np.median(base.miss):.4f}", "", "", f"{np.median(base.noise):.4f}", "-",
                 f"{np.mean(base.miss <= WITHIN):.2f}", f"{np.mean(base.mean_p) - TARGET:+.4f}",
                 f"{np.median(base.abs_dev):.3f}"])
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True)))
             for line in [header, ["-" * w for w in widths], *body]]
    return title + "\n" + "\n".join(lines)


def _pooled(results: Sequence[CohortResult]) -> CohortResult:
    """Several seeds' players as one cohort."""
    return CohortResult(np.concatenate([r.miss for r in results]), np.concatenate([r.mean_p for r in results]),
                        np.concatenate([r.abs_dev for r in results]), [], np.concatenate([r.noise for r in results]))


def run_oracles(methods: Sequence[str], n_players: int, seeds: Sequence[int]) -> None:
    """Print, per seed and pooled, the oracles and ``methods`` against the classic on the stationary cohort."""
    print("\n" + ORACLE_DEFINITIONS)
    per_seed: list[tuple[dict[str, CohortResult], CohortResult]] = []
    end_sds: list[dict[str, np.ndarray]] = []
    for seed in seeds:
        started, cpu = time.perf_counter(), time.process_time()
        players = cohort_players("stationary", n_players, seed)
        base = run_cohort("classic", players)
        played = {oracle.label: run_oracle(oracle, players) for oracle in ORACLES}
        rows = {label: result for label, (result, _) in played.items()}
        rows.update({method: run_cohort(method, players) for method in methods})
        per_seed.append((rows, base))
        end_sds.append({label: sd for label, (_, sd) in played.items()})
        title = (f"stationary, {n_players} players, seed {seed}, paired with the classic"
                 f" ({time.perf_counter() - started:.0f} s wall, {time.process_time() - cpu:.0f} s CPU)")
        print("\n" + oracle_table(title, rows, base, seed, end_sds[-1]))
    if len(seeds) > 1:
        pooled = {label: _pooled([rows[label] for rows, _ in per_seed]) for label in per_seed[0][0]}
        base = _pooled([b for _, b in per_seed])
        title = f"stationary, seeds {', '.join(map(str, seeds))} pooled ({n_players * len(seeds)} players)"
        end_sd = {label: np.concatenate([sds[label] for sds in end_sds]) for label in end_sds[0]}
        print("\n" + oracle_table(title, pooled, base, seeds[0], end_sd))


def main(argv: Sequence[str] | None = None) -> None:
    """Evaluate the methods and the parameter variants, then the patient cohorts; print every table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--players", type=int, default=None,
                        help="simulated players per row and cohort (default 400; 60 with --quick)")
    parser.add_argument("--seed", type=int, default=20240, help="population seed (default 20240)")
    parser.add_argument("--also-seeds", default="",
                        help="comma-separated further seeds whose cohorts join the --seed ones (cohorts only):"
                             " a pooled, less draw-dependent comparison")
    parser.add_argument("--no-variants", action="store_true", help="skip the parameter-choice table")
    parser.add_argument("--no-methods", action="store_true", help="skip the method tables (cohorts only)")
    parser.add_argument("--no-cohorts", action="store_true", help="skip the patient cohorts")
    parser.add_argument("--cohort-methods", default="quest,bayes",
                        help="methods compared with the classic on the cohorts (default quest,bayes)")
    parser.add_argument("--cohorts", default=None, help="comma-separated cohorts (default all)")
    parser.add_argument("--oracle", action="store_true",
                        help="the stationary cohort's oracle study instead of the cohort tables: idealised placers"
                             " (not shippable) bounding what a method can reach, per seed (--seed and --also-seeds)"
                             " and pooled; --cohort-methods are shown beside them")
    parser.add_argument("--quick", action="store_true",
                        help="60 players, no variant table, method tables at <= 100 players: a couple of minutes")
    args = parser.parse_args(argv)
    players = args.players or (60 if args.quick else 400)
    table_players = min(players, 100) if args.quick else players

    if not args.no_methods:
        methods = {row.label: evaluate(row, table_players, args.seed) for row in METHOD_ROWS}
        add_ratios(methods, methods["staircase"])
        print(DEFINITIONS)
        print(f"\n{table_players} players per row, seed {args.seed}, {N_TRIALS} trials each;"
              f" DEFAULT_METHOD = {DEFAULT_METHOD!r}\n")
        print(table(methods, COLUMNS))
        if not (args.no_variants or args.quick):
            variants = {row.label: evaluate(row, table_players, args.seed) for row in VARIANT_ROWS}
            add_ratios(variants, methods["staircase"])
            print("\nParameter choices (defaults: staircase min_step 1/16, quest hazard 0.02):\n")
            print(table(variants, COLUMNS))
    if args.oracle and args.cohorts not in (None, "stationary"):
        parser.error("--oracle studies the stationary cohort only; leave --cohorts out or pass stationary")
    if not args.no_cohorts:
        names = [n.strip() for n in (args.cohorts or ",".join(COHORTS)).split(",") if n.strip()]
        unknown = sorted(set(names) - set(COHORTS))
        if unknown:
            parser.error(f"unknown cohort(s) {unknown}; known: {', '.join(COHORTS)}")
        try:
            extra = [int(v) for v in args.also_seeds.split(",") if v.strip()]
        except ValueError:
            parser.error(f"--also-seeds takes comma-separated integers, got {args.also_seeds!r}")
        cohort_methods = [m.strip() for m in args.cohort_methods.split(",") if m.strip()]
        if args.oracle:
            run_oracles(cohort_methods, players, [args.seed, *extra])
        else:
            run_cohorts(cohort_methods, names, players, args.seed, extra)


if __name__ == "__main__":
    main()
