"""The difficulty methods on the real game: the game's own SimulatedPlayer playing shipped levels.

Run from the repository root:

    .venv/bin/python benchmarks/bench_simulate.py [--part all|speed|simulate|difficulty] [--seeds 5]
        [--calibration-trials 30] [--jobs 2] [--repeats 3] [--players 100] [--level-players 4]
        [--seconds 60] [--speed-jobs N] [--game-root PATH] [--baseline-root PATH]

bench_difficulty.py compares the methods on abstract logistic players. This benchmark plays
the real levels instead (garden-balance: hold; space-reach: reach) through the pure Session,
session after session with the scalers carried over exactly as ``proprio play`` carries them
(resume_scalers), with ``game.input.sim.SimulatedPlayer`` on the board. The true success
probability of a SimulatedPlayer at a difficulty is not known in closed form, so it is first
measured (calibration) and fitted with a logistic curve per skill. Every figure but the
timings is deterministic for the seeds.

Speed (``--part speed``, printed first; ``--part difficulty`` runs only the figures above). Each
measure runs in a fresh child process of the checkout measured (this one, or ``--game-root
PATH`` for a before/after), timed around the work only (imports and start-up left out: the
level's first session is started, and so its scalers' modules loaded, before the clock starts):

* ``proprio simulate LEVEL --players N`` in one process, on every shipped level: simulated play
  seconds per CPU second ("x real time per core"), with ``--baseline-root PATH`` beside the
  same figures of that checkout (an old commit: ``git archive``), their runs taken in turns so
  both see the same load, and the ratio (``--part simulate`` prints this table alone); then N
  players on one level with every core (``--jobs``, when the checkout has it) against the
  one-process run of the same players;
* one step of ``step_from`` (the simulated player looks at the snapshot, the session steps)
  against one ``World.snapshot()`` call, in microseconds;
* ``proprio play LEVEL --headless --fast --input sim`` (the real loop, view and telemetry
  writer), plain and with ``--screenshot``, against the same run with a view that draws
  nothing (the baseline: what the game costs without drawing).

CPU time is the processes' user + system time (pool workers and the telemetry writer
included), wall time beside it, medians over ``--repeats``, the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
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



# -- speed --------------------------------------------------------------------------------------------
# Runs inside a child process with the measured checkout first on sys.path; prints one JSON line.
SPEED_CHILD = r"""
import inspect, json, os, resource, sys, tempfile, time
task = json.loads(sys.argv[1])

def cpu():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

def measured(work):
    c0, w0 = cpu(), time.perf_counter()
    out = work()
    return out, cpu() - c0, time.perf_counter() - w0

if task["what"] == "simulate":
    from game.level.loader import load_plan
    from game.session import start_session
    from game.simulate import simulate
    plan = load_plan(task["level"])
    start_session(plan[0].level, 0)  # start-up, not timed: the scalers' modules (numpy, scipy) load here
    kwargs = {}
    if "jobs" in task:  # an int, or None: simulate's every-core default
        if "jobs" not in inspect.signature(simulate).parameters:
            print(json.dumps({"skip": "this checkout's simulate has no jobs"}))
            sys.exit(0)
        kwargs["jobs"] = task["jobs"]
    sim, c, w = measured(lambda: simulate(plan, players=task["players"], skill_low=0.2, skill_high=0.9, seed=1,
                                         **kwargs))
    print(json.dumps({"sim_s": sum(run.play_s for run in sim.players), "cpu": c, "wall": w}))
elif task["what"] == "step":
    from game.input.sim import SimulatedPlayer
    from game.level.loader import load_plan
    from game.session import start_session, step_from
    level = load_plan(task["level"])[0].level
    steps = task["steps"]
    def play():
        session, player, n = start_session(level, 3), SimulatedPlayer(0.6, seed=3), 0
        while n < steps:
            if session.finished:
                session, player = start_session(level, 3 + n), SimulatedPlayer(0.6, seed=3 + n)
            step_from(session, player)
            n += 1
        return session
    session, c, w = measured(play)
    world = session.world
    _, cs, ws = measured(lambda: [world.snapshot() for _ in range(steps)])
    print(json.dumps({"step_us": 1e6 * c / steps, "snapshot_us": 1e6 * cs / steps, "wall_step_us": 1e6 * w / steps}))
elif task["what"] == "play":
    os.environ.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    from game.play import Game, PlayOptions
    view = None
    if task["mode"] == "nodraw":
        class NoDraw:  # the baseline: a view that draws nothing
            def poll(self): return [], frozenset()
            def pointer(self): return None
            def draw_play(self, frame, pause=None, notice=None): pass
            def draw_title(self, menu): pass
            def draw_results(self, results): pass
            def draw_message(self, title, lines): pass
            def draw_calibration(self, picture): pass
            def present(self): pass
            def screenshot(self, path): pass
            def play_sounds(self, events): pass
            def close(self): pass
        view = NoDraw()
    with tempfile.TemporaryDirectory() as tmp:
        shot = os.path.join(tmp, "shot.png") if task["mode"] == "screenshot" else None
        options = PlayOptions(level=task["level"], player="bench", input="sim:0.6", seed=2, headless=True, fast=True,
                              duration_s=task["seconds"], db_path=os.path.join(tmp, "p.db"), screenshot=shot)
        game = Game(options, view=view) if view is not None else Game(options)
        summary, c, w = measured(game.run)
    figures = summary.figures()
    print(json.dumps({"sim_s": figures["duration_s"], "cpu": c, "wall": w, "status": figures["status"]}))
"""


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (this machine is shared)."""
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


def child(root: Path, task: dict[str, object]) -> dict[str, float]:
    """Run one speed task in a fresh process of the checkout at ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", SPEED_CHILD, json.dumps(task)], cwd=root, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"speed task {task} failed in {root}:\n{done.stderr.strip()[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def medians(root: Path, task: dict[str, object], repeats: int) -> dict[str, float] | None:
    """Median of each figure over ``repeats`` runs (None when the checkout cannot run the task)."""
    return paired_medians([root], task, repeats)[0]


def paired_medians(roots: Sequence[Path], task: dict[str, object], repeats: int) -> list[dict[str, float] | None]:
    """``medians`` for each checkout, their runs taken in turns (so a change of load hits them alike)."""
    runs: list[list[dict[str, float]]] = [[] for _ in roots]
    for _ in range(repeats):
        for done, root in zip(runs, roots, strict=True):
            done.append(child(root, task))
    return [None if any("skip" in run for run in done) else
            {key: statistics.median(float(run[key]) for run in done) for key in done[0]
             if isinstance(done[0][key], (int, float))}
            for done in runs]


def per_level(root: Path, baseline: Path | None, repeats: int, level_players: int) -> None:
    """``proprio simulate LEVEL`` on every shipped level, one process: x real time per core, beside the baseline."""
    shipped = sorted(p.stem for p in (root / "levels").glob("*.toml") if not p.name.endswith(".playlist.toml"))
    print(f"\nproprio simulate LEVEL --players {level_players}, one process (x real time = simulated play s / CPU s):")
    head = f"  {'level':20s} {'play s':>7s} {'CPU s':>6s} {'wall s':>6s} {'x per core':>10s}"
    if baseline is not None:
        head += f"  | baseline {'CPU s':>6s} {'wall s':>6s} {'x per core':>10s}  {'now/baseline':>12s}"
    print(head)
    rates, base_rates = [], []
    for name in shipped:
        task = {"what": "simulate", "level": name, "players": level_players}
        has_base = baseline is not None and (baseline / "levels" / f"{name}.toml").is_file()
        roots = [root, baseline] if has_base and baseline is not None else [root]
        figures = paired_medians(roots, task, repeats)
        m = figures[0]
        assert m is not None
        rates.append(m["sim_s"] / m["cpu"])
        line = f"  {name:20s} {m['sim_s']:7.0f} {m['cpu']:6.2f} {m['wall']:6.2f} {rates[-1]:10.0f}"
        if len(figures) == 2 and figures[1] is not None:
            b = figures[1]
            base_rates.append(b["sim_s"] / b["cpu"])
            line += (f"  | {'':8s} {b['cpu']:6.2f} {b['wall']:6.2f} {base_rates[-1]:10.0f}"
                     f"  {rates[-1] / base_rates[-1]:11.2f}x")
        elif baseline is not None:
            line += "  | (no such level in the baseline)"
        print(line)
    summary = (f"  {'every level':20s} median {statistics.median(rates):.0f}x, slowest {min(rates):.0f}x"
               " real time per core")
    if base_rates:
        summary += (f"; baseline median {statistics.median(base_rates):.0f}x, slowest {min(base_rates):.0f}x"
                    f" ({statistics.median(rates) / statistics.median(base_rates):.2f}x the baseline's median)")
    print(summary)


def speed(root: Path, repeats: int, players: int, level_players: int, seconds: float, jobs: int | None,
          baseline: Path | None = None, only_levels: bool = False) -> None:
    """The speed figures: simulate per level and with every core, one step, and --fast --headless play."""
    print(f"Speed of {root} ({os.cpu_count()} CPU(s)), medians of {repeats}; load average before: {load_average()}")
    if baseline is not None:
        print(f"Baseline: {baseline}")
    per_level(root, baseline, repeats, level_players)
    if only_levels:
        print(f"\nLoad average after: {load_average()}")
        return
    one = medians(root, {"what": "simulate", "level": "garden-balance", "players": players, "jobs": 1}, repeats)
    if one is None:
        one = medians(root, {"what": "simulate", "level": "garden-balance", "players": players}, repeats)
    assert one is not None
    print(f"\nproprio simulate garden-balance --players {players}:")
    print(f"  one process      {one['sim_s']:8.0f} play s  CPU {one['cpu']:7.2f} s  wall {one['wall']:7.2f} s"
          f"  {one['sim_s'] / one['cpu']:5.0f}x real time per core, {one['sim_s'] / one['wall']:5.0f}x in wall time")
    many = medians(root, {"what": "simulate", "level": "garden-balance", "players": players, "jobs": jobs}, repeats)
    if many is None:
        print("  every core       (this checkout has no --jobs)")
    else:
        print(f"  --jobs {str(jobs or 'default'):9s} {many['sim_s']:8.0f} play s  CPU {many['cpu']:7.2f} s"
              f"  wall {many['wall']:7.2f} s  {many['sim_s'] / many['cpu']:5.0f}x real time per core,"
              f" {many['sim_s'] / many['wall']:5.0f}x in wall time ({one['wall'] / many['wall']:.2f}x the one-process"
              " wall time)")
    step = medians(root, {"what": "step", "level": "garden-balance", "steps": 20000}, repeats)
    assert step is not None
    print(f"\nOne step of step_from (player looks, session steps): {step['step_us']:.1f} us CPU;"
          f" one World.snapshot(): {step['snapshot_us']:.1f} us"
          f" ({step['snapshot_us'] / step['step_us']:.0%} of a step)")
    print(f"\nproprio play garden-balance --headless --fast --input sim:0.6 --duration {seconds:g}:")
    base = medians(root, {"what": "play", "level": "garden-balance", "seconds": seconds, "mode": "nodraw"}, repeats)
    assert base is not None
    for label, mode in (("a view that draws nothing (baseline)", "nodraw"), ("as shipped", "plain"),
                        ("with --screenshot", "screenshot")):
        m = base if mode == "nodraw" else medians(
            root, {"what": "play", "level": "garden-balance", "seconds": seconds, "mode": mode}, repeats)
        assert m is not None
        rate, base_rate = m["sim_s"] / m["cpu"], base["sim_s"] / base["cpu"]
        print(f"  {label:38s} CPU {m['cpu']:6.2f} s  wall {m['wall']:6.2f} s  {rate:6.1f}x real time in CPU"
              f" ({rate / base_rate:.2f}x the baseline's rate)")
    print(f"\nLoad average after: {load_average()}")


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
    parser.add_argument("--part", choices=("all", "speed", "simulate", "difficulty"), default="all",
                        help="speed figures, only their per-level simulate table, difficulty figures, or speed and"
                             " difficulty (default)")
    parser.add_argument("--repeats", type=int, default=3, help="speed: runs of each measure (median; default 3)")
    parser.add_argument("--players", type=int, default=100, help="speed: players of the every-core run (default 100)")
    parser.add_argument("--level-players", type=int, default=4, help="speed: players per shipped level (default 4)")
    parser.add_argument("--seconds", type=float, default=60.0, help="speed: seconds of --fast play (default 60)")
    parser.add_argument("--speed-jobs", type=int, default=None,
                        help="speed: --jobs of the every-core simulate run (default: simulate's own default)")
    parser.add_argument("--game-root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="speed: the checkout to measure (default: this one)")
    parser.add_argument("--baseline-root", type=Path, default=None,
                        help="speed: measure this checkout too, beside the other in the per-level table"
                             " (e.g. the commit before: git archive HEAD | tar -x -C DIR)")
    args = parser.parse_args(argv)
    baseline = args.baseline_root.resolve() if args.baseline_root is not None else None
    if baseline is not None and not (baseline / "game" / "simulate.py").is_file():
        parser.error(f"--baseline-root {baseline}: no game/simulate.py there (give a Proprio checkout)")
    if args.part in ("all", "speed", "simulate"):
        speed(args.game_root.resolve(), args.repeats, args.players, args.level_players, args.seconds, args.speed_jobs,
              baseline, only_levels=args.part == "simulate")
    if args.part in ("speed", "simulate"):
        return
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
