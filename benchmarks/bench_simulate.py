"""The difficulty methods on the real game: the game's own SimulatedPlayer playing shipped levels.

Run from the repository root:

    /tmp/venv/bin/python benchmarks/bench_simulate.py [--seeds 5] [--calibration-trials 30] [--jobs 2]

bench_difficulty.py compares the methods on abstract logistic players. This benchmark plays
the real levels instead (garden-balance: hold; space-reach: reach) through the pure Session,
session after session with the scalers carried over exactly as ``proprio play`` carries them
(resume_scalers), with ``game.input.sim.SimulatedPlayer`` on the board. The true success
probability of a SimulatedPlayer at a difficulty is not known in closed form, so it is first
measured (calibration) and fitted with a logistic curve per skill. Every figure but the
timings is deterministic for the seeds.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.difficulty import create_scaler, restore_scaler  # noqa: E402
from game.input.sim import SimulatedPlayer  # noqa: E402
from game.level.loader import load_plan  # noqa: E402
from game.level.model import Level  # noqa: E402
from game.session import Session, StoredScaler, resume_scalers  # noqa: E402

LEVELS = ("garden-balance", "space-reach")
SKILLS = (0.45, 0.55, 0.65, 0.75)  # skills whose 80 % difficulty lies inside (0, 1) on both levels
FATIGUE_DROP = 0.15  # skill lost from trial FATIGUE_TRIAL on
FATIGUE_TRIAL = 41
N_TRIALS = 80
WINDOW_TRIALS = 10
BAND = 0.05
GRID = tuple(round(0.1 * i, 1) for i in range(11))
METHODS = (("staircase", "staircase"), ("quest", "quest"), ("levitt 1u/2d", "levitt"), ("fixed @start", "fixed"))

DEFINITIONS = f"""\
Levels: the shipped garden-balance (hold, 6 trials a play) and space-reach (reach, 8 a play), each
  played over and over until {N_TRIALS} trials, the scalers carried from play to play by resume_scalers
  (state restored), with the level's own limits: target 0.8, floor 0, ceiling 1, start 0.2.
Players: game.input.sim.SimulatedPlayer(skill, seed), skills {', '.join(map(str, SKILLS))}, SEEDS seeds each.
Calibration: per level and skill, CAL trials at each fixed difficulty 0, 0.1, ..., 1 (fixed method), fitted
  by maximum likelihood with p(d) = (1 - lapse) / (1 + exp((d - threshold) / spread)); p(d) below is
  that fit, d80 the difficulty where it is 0.8 (clamped to [0, 1]).
R(k): mean of p(d_j) over the last {WINDOW_TRIALS} trials (the fitted p, as in bench_difficulty.py).
reach / settle / settled: first trial k >= {WINDOW_TRIALS} with R(k) within 0.8 +/- {BAND} / from which R stays
  within it up to trial {N_TRIALS} (median over players; '>{N_TRIALS}' when most never do) / share that settle.
succ 21-80: realized success (0/1 outcomes) over trials 21-80, median [IQR] over players.
|p-T| 21-80: per player mean |p(d_k) - 0.8| over trials 21-80, median over players.
|d-d80| 61-80: per player mean |d_k - d80| over trials 61-80, median: how near the right difficulty it plays.
Tired: the same players lose {FATIGUE_DROP} skill from trial {FATIGUE_TRIAL} on (a fresh SimulatedPlayer of the lower
  skill takes over right after trial {FATIGUE_TRIAL - 1}); succ 41-80 tired realized; recover: trials after
  {FATIGUE_TRIAL - 1} until R over tired trials only is first within the band (p of the tired skill)."""


# -- playing ---------------------------------------------------------------------------------------
@cache
def _level(name: str) -> Level:
    return load_plan(name)[0].level


@cache
def _long_level(name: str, trials: int) -> Level:
    """The level with one long challenge, for calibration at a fixed difficulty."""
    data = _level(name).model_dump()
    challenge = data["challenges"][0]
    if challenge["kind"] == "hold":
        challenge["trials"] = trials
    else:
        challenge["repeats"] = math.ceil(trials / len(challenge["directions_deg"]))
    return Level.model_validate(data)


def calibrate_one(task: tuple[str, float, float, int, int]) -> tuple[str, float, float, int, int]:
    """Successes out of ``trials`` at one fixed difficulty."""
    name, skill, difficulty, trials, seed = task
    scaler = create_scaler(target=0.8, start=difficulty, floor=0.0, ceiling=1.0, method="fixed")
    session = Session(_long_level(name, trials), seed, [scaler])
    player = SimulatedPlayer(skill, seed=seed)
    played = successes = 0
    while not session.finished and played < trials:
        player.observe(session.snapshot())
        for result in session.advance(player.poll(session.t_s)).results:
            played += 1
            successes += int(result.success)
    return name, skill, difficulty, successes, played


def play_one(task: tuple[str, str, float, int, float | None]) -> tuple[list[float], list[bool], float]:
    """One player, one method: N_TRIALS trials over as many plays as it takes. Returns (d_k, outcomes, seconds)."""
    name, method, skill, seed, tired_skill = task
    level = _level(name)
    stored: dict[str, StoredScaler] = {}
    difficulties: list[float] = []
    outcomes: list[bool] = []
    t0 = time.perf_counter()
    play = 0
    current = skill
    while len(outcomes) < N_TRIALS:
        plan = resume_scalers(level, stored, None, method)
        session = Session(level, seed * 1000 + play, plan.scalers)
        player = SimulatedPlayer(current, seed=seed * 1000 + play)
        while not session.finished and len(outcomes) < N_TRIALS:
            player.observe(session.snapshot())
            for result in session.advance(player.poll(session.t_s)).results:
                difficulties.append(result.difficulty)
                outcomes.append(bool(result.success))
                if tired_skill is not None and len(outcomes) == FATIGUE_TRIAL - 1:
                    current = tired_skill
                    player = SimulatedPlayer(current, seed=seed * 1000 + play + 500)
        stored = {kind: StoredScaler(s.difficulty, s.state()) for kind, s in plan.to_store().items()}
        play += 1
    return difficulties[:N_TRIALS], outcomes[:N_TRIALS], time.perf_counter() - t0


# -- the curve fit ----------------------------------------------------------------------------------
def curve(d: np.ndarray | float, threshold: float, spread: float, lapse: float) -> np.ndarray | float:
    """The fitted psychometric curve."""
    return (1.0 - lapse) / (1.0 + np.exp(np.clip((np.asarray(d) - threshold) / spread, -50, 50)))


def fit(points: list[tuple[float, int, int]]) -> tuple[float, float, float]:
    """Maximum-likelihood (threshold, spread, lapse) from (difficulty, successes, trials)."""
    d = np.array([p[0] for p in points])
    k = np.array([p[1] for p in points], dtype=float)
    n = np.array([p[2] for p in points], dtype=float)

    def nll(x: np.ndarray) -> float:
        p = np.clip(curve(d, x[0], math.exp(x[1]), 0.3 / (1 + math.exp(-x[2]))), 1e-9, 1 - 1e-9)
        return float(-np.sum(k * np.log(p) + (n - k) * np.log(1 - p)))

    best = min((minimize(nll, np.array([t0, math.log(0.1), -3.0]), method="Nelder-Mead",
                         options={"xatol": 1e-6, "fatol": 1e-8, "maxiter": 4000}) for t0 in (0.3, 0.6, 0.9)),
               key=lambda r: r.fun)
    return float(best.x[0]), math.exp(best.x[1]), 0.3 / (1 + math.exp(-best.x[2]))


def d80(params: tuple[float, float, float]) -> float:
    """Difficulty where the fit predicts 80 % (clamped to [0, 1])."""
    threshold, spread, lapse = params
    c = 0.8 / (1.0 - lapse)
    if c >= 1.0:
        return 0.0
    return min(1.0, max(0.0, threshold + spread * math.log(1.0 / c - 1.0)))


# -- figures (as in bench_difficulty.py) ---------------------------------------------------------------
def running(p: Sequence[float], first_trial: int = 1) -> list[float]:
    """R(k): mean p over trials max(first_trial, k-9)..k (nan before first_trial)."""
    out = []
    for k in range(1, len(p) + 1):
        lo = max(first_trial, k - WINDOW_TRIALS + 1)
        out.append(float(np.mean(p[lo - 1:k])) if k >= lo else float("nan"))
    return out


def reach_trial(rates: Sequence[float], first: int) -> int | None:
    """First trial >= first with R in the band."""
    return next((k for k in range(first, len(rates) + 1) if abs(rates[k - 1] - 0.8) <= BAND), None)


def settle_trial(rates: Sequence[float], first: int) -> int | None:
    """First trial >= first from which R stays in the band."""
    settled = None
    for k in range(len(rates), first - 1, -1):
        if not abs(rates[k - 1] - 0.8) <= BAND:
            break
        settled = k
    return settled


def censored(values: Sequence[int | None], limit: int) -> str:
    """Median where None counts as beyond the horizon."""
    med = statistics.median(v if v is not None else limit + 1 for v in values)
    return f">{limit}" if med > limit else f"{med:g}"


def quartiles(values: Sequence[float]) -> str:
    """'median [q1-q3]'."""
    q1, med, q3 = np.percentile(values, [25, 50, 75])
    return f"{med:.3f} [{q1:.3f}-{q3:.3f}]"


def table(rows: dict[str, dict[str, str]], columns: Sequence[str]) -> str:
    """Fixed-width table."""
    header = ["method", *columns]
    body = [[label, *(r[c] for c in columns)] for label, r in rows.items()]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(line, widths, strict=True)))
                     for line in [header, ["-" * w for w in widths], *body])


COLUMNS = ("reach", "settle", "settled", "succ 21-80", "|p-T| 21-80", "|d-d80| 61-80", "succ 41-80 tired", "recover",
           "s/player")


def restore_cost(method: str, trials: int) -> tuple[float, float]:
    """Milliseconds to restore a stored history of ``trials`` outcomes, and to create a fresh scaler (baseline)."""
    scaler = create_scaler(target=0.8, start=0.2, floor=0.0, ceiling=1.0, method=method)
    rng = np.random.default_rng(3)
    for outcome in (rng.random(trials) < 0.8).tolist():
        scaler.record(outcome)
    state = scaler.state()
    restore, fresh = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        restore_scaler(state)
        restore.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        create_scaler(target=0.8, start=0.2, floor=0.0, ceiling=1.0, method=method)
        fresh.append(time.perf_counter() - t0)
    return statistics.median(restore) * 1000, statistics.median(fresh) * 1000


def main(argv: Sequence[str] | None = None) -> None:
    """Calibrate, play every method on both levels, print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="players per skill (default 5)")
    parser.add_argument("--calibration-trials", type=int, default=30, help="trials per calibration point (default 30)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args(argv)
    t_start = time.perf_counter()
    skills = sorted({*SKILLS, *(round(s - FATIGUE_DROP, 2) for s in SKILLS)})
    cal_tasks = [(name, skill, d, args.calibration_trials, 7919 * i + 17)
                 for name in LEVELS for skill in skills for i, d in enumerate(GRID)]
    play_tasks = [(name, method, skill, 100 * i + j, tired)
                  for name in LEVELS for _, method in METHODS for i, skill in enumerate(SKILLS)
                  for j in range(args.seeds) for tired in (None, round(skill - FATIGUE_DROP, 2))]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        cal_results = list(pool.map(calibrate_one, cal_tasks, chunksize=4))
        play_results = list(pool.map(play_one, play_tasks, chunksize=2))
    fits: dict[tuple[str, float], tuple[float, float, float]] = {}
    print(DEFINITIONS.replace("SEEDS", str(args.seeds)).replace("CAL", str(args.calibration_trials)))
    print("\nCalibration (fixed difficulty, measured success and the fitted curve):")
    for name in LEVELS:
        print(f"\n{name}: skill  " + "  ".join(f"{d:4.1f}" for d in GRID)
              + "   threshold spread lapse   d80  max|fit-data|")
        for skill in skills:
            points = [(d, k, n) for (lv, sk, d, k, n) in cal_results if lv == name and sk == skill]
            params = fit(points)
            fits[(name, skill)] = params
            worst = max(abs(k / n - float(curve(d, *params))) for d, k, n in points)
            rates = "  ".join(f"{k / n:4.2f}" for _, k, n in points)
            print(f"  {skill:4.2f}        {rates}   {params[0]:9.3f} {params[1]:6.3f} {params[2]:5.3f}"
                  f"  {d80(params):5.3f}  {worst:.3f}")
    for name in LEVELS:
        rows: dict[str, dict[str, list]] = {label: {k: [] for k in
                                                    ("reach", "settle", "succ", "dev", "dd", "tired", "recover", "s")}
                                            for label, _ in METHODS}
        for task, (ds, outcomes, seconds) in zip(play_tasks, play_results, strict=True):
            level_name, method, skill, _, tired = task
            if level_name != name:
                continue
            label = next(lbl for lbl, m in METHODS if m == method)
            acc = rows[label]
            acc["s"].append(seconds)
            if tired is None:
                p = [float(curve(d, *fits[(name, skill)])) for d in ds]
                rates = running(p)
                acc["reach"].append(reach_trial(rates, WINDOW_TRIALS))
                acc["settle"].append(settle_trial(rates, WINDOW_TRIALS))
                acc["succ"].append(float(np.mean(outcomes[20:80])))
                acc["dev"].append(float(np.mean(np.abs(np.array(p[20:80]) - 0.8))))
                acc["dd"].append(float(np.mean(np.abs(np.array(ds[60:80]) - d80(fits[(name, skill)])))))
            else:
                p = [float(curve(d, *fits[(name, skill if k < FATIGUE_TRIAL - 1 else tired)]))
                     for k, d in enumerate(ds)]
                acc["tired"].append(float(np.mean(outcomes[FATIGUE_TRIAL - 1:80])))
                k = reach_trial(running(p, FATIGUE_TRIAL), FATIGUE_TRIAL)
                acc["recover"].append(None if k is None else k - (FATIGUE_TRIAL - 1))
        figures = {
            label: {
                "reach": censored(acc["reach"], N_TRIALS),
                "settle": censored(acc["settle"], N_TRIALS),
                "settled": f"{100 * sum(s is not None for s in acc['settle']) / len(acc['settle']):.0f} %",
                "succ 21-80": quartiles(acc["succ"]),
                "|p-T| 21-80": f"{statistics.median(acc['dev']):.3f}",
                "|d-d80| 61-80": f"{statistics.median(acc['dd']):.3f}",
                "succ 41-80 tired": quartiles(acc["tired"]),
                "recover": censored(acc["recover"], N_TRIALS - FATIGUE_TRIAL + 1),
                "s/player": f"{statistics.median(acc['s']):.2f}",
            }
            for label, acc in rows.items()
        }
        players = len(SKILLS) * args.seeds
        print(f"\n{name}: {players} players per row ({args.seeds} per skill), {N_TRIALS} trials each\n")
        print(table(figures, COLUMNS))
    print("\nRestoring a stored scaler (replays its whole history) against creating a new one, same run:")
    for method in ("quest", "staircase"):
        for trials in (100, 1000):
            restore_ms, fresh_ms = restore_cost(method, trials)
            print(f"  {method:9s} {trials:5d} stored trials: restore {restore_ms:8.2f} ms,"
                  f" new scaler {fresh_ms:6.3f} ms ({restore_ms / fresh_ms:,.0f} x)")
    print(f"\nTotal wall time {time.perf_counter() - t_start:.0f} s with {args.jobs} worker process(es).")


if __name__ == "__main__":
    main()
