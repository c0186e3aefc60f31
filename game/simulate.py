"""Preview a level's difficulty for simulated players of spread skills: no window, no database, fast.

Each simulated player (``game.input.sim.SimulatedPlayer``) plays the level (or playlist)
through the pure ``Session`` as many times as asked, its scalers carried from one play to
the next exactly as ``proprio play`` carries them, inside optional clinician limits, with
the same session rules (the session length ends a sitting, rest breaks pause it): every
play is a sitting started with ``start_session`` and stepped with ``step_from``, as in the
game. Player 1's first play uses the seeds ``proprio play --input sim:SKILL --seed S
--headless`` uses, so it is that very game. The result holds, per player and challenge
kind, the difficulty each trial was played at, the outcomes, the success rate over the last
half of the trials, and the sitting's rest and time-limit events.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.core.world import STEP_S
from game.difficulty import DEFAULT_METHOD, METHODS
from game.errors import ProprioError
from game.input.sim import SimulatedPlayer
from game.level.loader import LoadedLevel
from game.limits import PlayerLimits
from game.session import Sitting, StoredScaler, start_session, step_from

SITTING_EVENTS = ("rest_start", "rest_end", "session_limit", "trial_interrupted")

MAX_PLAYERS = 1000
MAX_SESSIONS = 200
MAX_JOBS = 256
MIN_PLAYERS_PER_WORKER = 4  # fewer players per process than this: starting processes costs more than it saves
MAX_PLAY_S = 4 * 3600.0  # one play of a level longer than this is a level that never ends
PLOT_SUFFIXES = (".png", ".svg", ".pdf")


class SimulateError(ProprioError, ValueError):
    """A simulation request that cannot run: bad skill range, player count, sessions or plot path."""


def parse_skill_range(text: str) -> tuple[float, float]:
    """'0.2..0.9' -> (0.2, 0.9); a single '0.6' -> (0.6, 0.6); both ends in [0, 1], low <= high."""
    parts = str(text).split("..")
    if len(parts) not in (1, 2):
        raise SimulateError(f"skill range {text!r} is not LOW..HIGH",
                            remedy="write it like 0.2..0.9 (or one skill, 0.6)")
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise SimulateError(f"skill range {text!r} is not LOW..HIGH: {part.strip()!r} is not a number",
                                remedy="write it like 0.2..0.9 (or one skill, 0.6)") from None
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            raise SimulateError(f"skill {value!r} in {text!r} is outside [0, 1]",
                                remedy="skills go from 0 (beginner) to 1 (expert), e.g. 0.2..0.9")
        values.append(value)
    low, high = values[0], values[-1]
    if low > high:
        raise SimulateError(f"skill range {text!r} runs backwards ({low:g} > {high:g})",
                            remedy=f"write {high:g}..{low:g}")
    return low, high


def spread_skills(players: int, low: float, high: float) -> list[float]:
    """Skills evenly spread from low to high (one player: the middle of the range)."""
    check_count("players", players, MAX_PLAYERS)
    if players == 1:
        return [(low + high) / 2.0]
    return [low + (high - low) * i / (players - 1) for i in range(players - 1)] + [high]  # both ends exact


def check_count(name: str, value: Any, maximum: int) -> int:
    """A whole number from 1 to ``maximum``, or a SimulateError naming it."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise SimulateError(f"{name} must be a whole number from 1 to {maximum}, got {value!r}",
                            remedy=f"pass --{name} N with 1 <= N <= {maximum}")
    return value


def check_plot_path(path: Path) -> Path:
    """Refuse a plot path matplotlib cannot write, before the simulation runs."""
    path = Path(path)
    if path.suffix.lower() not in PLOT_SUFFIXES:
        raise SimulateError(f"plot file {path} must end in {', '.join(PLOT_SUFFIXES)}", remedy="e.g. --plot paths.png")
    if not path.parent.is_dir():
        raise SimulateError(f"cannot write the plot {path}: folder {path.parent} does not exist",
                            remedy="create the folder first or choose another path")
    return path


@dataclass
class KindPath:
    """One player's trials of one challenge kind, in order, across every play."""

    kind: str
    difficulties: list[float] = field(default_factory=list)
    """Normalized difficulty each trial was played at."""
    outcomes: list[bool] = field(default_factory=list)
    next_difficulty: float | None = None
    """Where the scaler left the kind after the last trial (the next trial's difficulty)."""
    floor: float = 0.0
    ceiling: float = 1.0
    target: float = 0.8

    @property
    def trials(self) -> int:
        """Trials played."""
        return len(self.outcomes)

    @property
    def success_rate(self) -> float | None:
        """Share of all trials that succeeded."""
        return sum(self.outcomes) / self.trials if self.trials else None

    @property
    def last_half(self) -> list[bool]:
        """Outcomes of the second half of the trials (the middle trial of an odd count included)."""
        return self.outcomes[self.trials // 2:]

    @property
    def last_half_success_rate(self) -> float | None:
        """Success rate over the last half: where the scaler has had time to settle."""
        half = self.last_half
        return sum(half) / len(half) if half else None

    def as_dict(self) -> dict[str, Any]:
        """Plain numbers for --format json."""
        rate, late = self.success_rate, self.last_half_success_rate
        return {
            "trials": self.trials, "successes": sum(self.outcomes),
            "success_rate": None if rate is None else round(rate, 4),
            "last_half_trials": len(self.last_half),
            "last_half_success_rate": None if late is None else round(late, 4),
            "path": [round(d, 4) for d in self.difficulties],
            "outcomes": [int(o) for o in self.outcomes],
            "next": None if self.next_difficulty is None else round(self.next_difficulty, 4),
            "target": self.target, "floor": self.floor, "ceiling": self.ceiling,
        }


@dataclass
class PlayerRun:
    """One simulated player's plays."""

    player: int
    skill: float
    seed: int
    play_s: float = 0.0
    paths: dict[str, KindPath] = field(default_factory=dict)
    sitting_events: list[dict[str, Any]] = field(default_factory=list)
    """The clinician's rest breaks and session limit as they happened: play, level, t_s, kind."""

    def as_dict(self) -> dict[str, Any]:
        """Plain numbers for --format json."""
        return {"player": self.player, "skill": round(self.skill, 4), "seed": self.seed,
                "play_s": round(self.play_s, 3), "kinds": {k: p.as_dict() for k, p in self.paths.items()},
                "sitting_events": self.sitting_events}


@dataclass
class Simulation:
    """Every player's run of one level or playlist."""

    level: str
    title: str
    seed: int
    skill_low: float
    skill_high: float
    sessions: int
    method: str
    players: list[PlayerRun]

    def as_dict(self) -> dict[str, Any]:
        """Plain numbers for --format json."""
        return {"level": self.level, "title": self.title, "seed": self.seed, "skill": [self.skill_low, self.skill_high],
                "sessions": self.sessions, "method": self.method, "players": [p.as_dict() for p in self.players]}


def play_once(loaded: LoadedLevel, world_seed: int, player: SimulatedPlayer, run: PlayerRun,
              stored: dict[str, StoredScaler], limits: PlayerLimits | None, method: str,
              sitting: Sitting | None = None, play: int = 1) -> bool:
    """Play one level to its end, appending to the run's paths and updating the stored scalers.

    Returns False when the clinician's session length is used up (the sitting's plan ends).
    """
    session = start_session(loaded.level, world_seed, stored=stored, limits=limits, sitting=sitting, method=method)
    for start in session.plan.starts:
        path = run.paths.setdefault(start.kind, KindPath(start.kind))
        path.floor, path.ceiling, path.target = start.floor, start.ceiling, start.target
    max_steps = int(MAX_PLAY_S / STEP_S)
    world = session.world
    while not session.finished:  # (every step: most have no result and no event, and cost nothing here)
        if world.steps >= max_steps:
            raise SimulateError(f"{loaded.name}: one play lasted over {MAX_PLAY_S / 3600:g} h of simulated time",
                                remedy="check the level's timeouts")
        step = step_from(session, player)
        if step.results:
            for result, change in zip(step.results, step.changes, strict=True):
                path = run.paths[result.kind]
                path.difficulties.append(result.difficulty)
                path.outcomes.append(bool(result.success))
                path.next_difficulty = change.new
        if step.events:
            run.sitting_events.extend({"play": play, "level": loaded.name, "t_s": round(event.t_s, 6),
                                       "kind": event.kind} for event in step.events if event.kind in SITTING_EVENTS)
    session.end()
    run.play_s += session.t_s
    for kind, scaler in session.plan.to_store().items():
        stored[kind] = StoredScaler(scaler.difficulty, scaler.state())
    return not session.time_up


def simulate(plan: list[LoadedLevel], *, players: int, skill_low: float, skill_high: float, seed: int,
             sessions: int = 1, limits: PlayerLimits | None = None, method: str = DEFAULT_METHOD,
             name: str | None = None, jobs: int | None = 1) -> Simulation:
    """Let ``players`` simulated players of evenly spread skills play the plan ``sessions`` times each.

    Each play of the plan is one sitting: the clinician's session length and rest breaks
    (``limits.session``) count across its levels, as in ``proprio play``. The players are
    independent, so they can be shared out over ``jobs`` worker processes (None: every core
    this process may use; this process alone when ``jobs`` is 1, the default, or the players are
    few); the result is the same, in the same order, however many processes play it. Worker
    processes are started afresh ("spawn"), so a script that asks for them needs the usual
    ``if __name__ == "__main__":`` guard.
    """
    check_count("sessions", sessions, MAX_SESSIONS)
    if method not in METHODS:
        raise SimulateError(f"unknown difficulty method {method!r}", remedy=f"methods: {', '.join(sorted(METHODS))}")
    if not plan:
        raise SimulateError("nothing to simulate: the plan has no level")
    skills = spread_skills(players, skill_low, skill_high)
    setup = _Setup(plan, seed, sessions, limits, method)
    workers = worker_count(jobs, len(skills))
    if workers == 1:
        runs = [setup.play(index, skill) for index, skill in enumerate(skills)]
    else:
        runs = _play_in_pool(setup, skills, workers)
    title = plan[0].level.title if len(plan) == 1 else " + ".join(loaded.level.title for loaded in plan)
    return Simulation(name or plan[0].name, title, seed, skill_low, skill_high, sessions, method, runs)


def default_jobs() -> int:
    """The cores this process may use (its CPU affinity where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on every system
        return max(1, os.cpu_count() or 1)


def worker_count(jobs: int | None, players: int) -> int:
    """Worker processes for ``players`` players: at most ``jobs`` (default: the cores), 1 when few players."""
    if jobs is None:
        jobs = default_jobs()
    check_count("jobs", jobs, MAX_JOBS)
    return max(1, min(jobs, players // MIN_PLAYERS_PER_WORKER))


@dataclass(frozen=True)
class _Setup:
    """What every player of one simulation shares (sent once to each worker process)."""

    plan: list[LoadedLevel]
    seed: int
    sessions: int
    limits: PlayerLimits | None
    method: str

    def play(self, index: int, skill: float) -> PlayerRun:
        """Player ``index`` (from 0) plays the plan ``sessions`` times; depends on nothing else."""
        run = PlayerRun(index + 1, skill, self.seed + index * 1_000_003)
        stored: dict[str, StoredScaler] = {}
        for session_index in range(self.sessions):
            sitting = Sitting(self.limits.session) if self.limits is not None else Sitting()
            for loaded in self.plan:
                # player 1's first play: the seeds of `proprio play --input sim:SKILL --seed S`
                sim = SimulatedPlayer(skill, seed=run.seed + session_index * 1009)
                if not play_once(loaded, self.seed + session_index, sim, run, stored, self.limits, self.method,
                                 sitting, play=session_index + 1):
                    break
        return run


_worker_setup: _Setup | None = None  # a worker process's copy of the simulation's setup


def _start_worker(setup: _Setup) -> None:
    """In each worker: keep the setup, and leave Ctrl-C to the parent (which stops the workers itself)."""
    global _worker_setup
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_setup = setup


def _play_in_worker(task: tuple[int, float]) -> PlayerRun:
    assert _worker_setup is not None, "the worker was not started with a setup"
    return _worker_setup.play(*task)


def _play_in_pool(setup: _Setup, skills: list[float], workers: int) -> list[PlayerRun]:
    """The players shared out over ``workers`` processes, results in player order; Ctrl-C stops them all."""
    context = multiprocessing.get_context("spawn")  # the same on every system; nothing inherited by accident
    pool = context.Pool(workers, initializer=_start_worker, initargs=(setup,))
    try:
        runs = list(pool.imap(_play_in_worker, enumerate(skills), chunksize=1))
    except BaseException:  # Ctrl-C or a failed player: stop every worker now, and say what happened
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()
    return runs


def format_text(sim: Simulation, max_path: int = 24) -> str:
    """Per player and kind: trials, success, success over the last half, and the difficulty path."""
    lines = [f"Simulated {sim.level} ({sim.title}): {len(sim.players)} player(s), skill"
             f" {sim.skill_low:g}..{sim.skill_high:g}, seed {sim.seed}, {sim.sessions} play(s) each,"
             f" method {sim.method}"]
    header = ("player", "skill", "kind", "trials", "success", "last half", "difficulty path (each trial -> next)")
    rows = [header]
    for run in sim.players:
        for kind, path in run.paths.items():
            rate, late = path.success_rate, path.last_half_success_rate
            shown = [f"{d:.2f}" for d in path.difficulties]
            if len(shown) > max_path:
                shown = shown[: max_path // 2] + ["..."] + shown[-max_path // 2:]
            tail = "" if path.next_difficulty is None else f" -> {path.next_difficulty:.2f}"
            rows.append((
                str(run.player), f"{run.skill:.2f}", kind, str(path.trials),
                "-" if rate is None else f"{rate:.0%}",
                "-" if late is None else f"{late:.0%} of {len(path.last_half)}",
                " ".join(shown) + tail,
            ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    for r in rows:
        lines.append("  ".join(cell.rjust(w) if i in (0, 3) else cell.ljust(w) for i, (cell, w) in
                               enumerate(zip(r, widths, strict=False))) + "  " + r[-1])  # the last column is not padded
    bands: dict[str, tuple[float, float, float]] = {}
    for run in sim.players:
        for kind, path in run.paths.items():
            bands.setdefault(kind, (path.target, path.floor, path.ceiling))
    for kind, (target, floor, ceiling) in bands.items():
        lines.append(f"{kind}: target {target:.0%}, difficulty band [{floor:.3g}, {ceiling:.3g}]"
                     " (0 easiest, 1 hardest)")
    return "\n".join(lines)


def plot(sim: Simulation, path: Path) -> Path:
    """Draw every player's difficulty path per kind (matplotlib, Agg backend) and save it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = check_plot_path(path)
    kinds = list(dict.fromkeys(k for run in sim.players for k in run.paths))
    fig, axes = plt.subplots(len(kinds) or 1, 1, figsize=(9, 3.2 * max(1, len(kinds))), squeeze=False)
    cmap = plt.get_cmap("viridis")
    for ax, kind in zip(axes[:, 0], kinds, strict=False):  # one empty axis when no kind played
        band = None
        for run in sim.players:
            kind_path = run.paths.get(kind)
            if kind_path is None or not kind_path.trials:
                continue
            band = (kind_path.target, kind_path.floor, kind_path.ceiling)
            colour = cmap(0.9 * (run.skill - sim.skill_low) / ((sim.skill_high - sim.skill_low) or 1.0))
            trials = list(range(1, kind_path.trials + 1))
            ax.plot(trials, kind_path.difficulties, "-", color=colour, lw=1.4,
                    label=f"skill {run.skill:.2f}: {kind_path.last_half_success_rate:.0%}")
            hits = [(t, d) for t, d, o in zip(trials, kind_path.difficulties, kind_path.outcomes, strict=True) if o]
            misses = [(t, d) for t, d, o in zip(trials, kind_path.difficulties, kind_path.outcomes, strict=True)
                      if not o]
            if hits:
                ax.plot(*zip(*hits, strict=True), "o", color=colour, ms=4)
            if misses:
                ax.plot(*zip(*misses, strict=True), "x", color=colour, ms=5)
        if band is not None:
            target, floor, ceiling = band
            for value, label in ((floor, "floor"), (ceiling, "ceiling")):
                if 0.0 < value < 1.0:
                    ax.axhline(value, color="0.5", ls="--", lw=0.8)
                    ax.annotate(label, (1, value), xytext=(2, 2), textcoords="offset points", fontsize=8, color="0.4")
            ax.set_title(f"{kind}: target {target:.0%} (o success, x miss)", fontsize=10)
        ax.set_ylim(-0.03, 1.03)
        ax.set_ylabel("difficulty (0 easy, 1 hard)")
        ax.grid(alpha=0.3)
        if len(sim.players) <= 12:
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="success, last half",
                      title_fontsize=7)
    axes[-1, 0].set_xlabel("trial")
    fig.suptitle(f"{sim.title}: {len(sim.players)} simulated player(s), {sim.sessions} play(s) each,"
                 f" {sim.method}, seed {sim.seed}", fontsize=11)
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=110)
    except OSError as exc:
        raise SimulateError(f"cannot write the plot {path} ({exc.strerror or exc})",
                            remedy="choose a path in a folder you can write to") from None
    finally:
        plt.close(fig)
    return path
