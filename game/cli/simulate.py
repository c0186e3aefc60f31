"""``proprio simulate``: preview how a level's difficulty moves for simulated players of spread skills."""

from __future__ import annotations

import json
from pathlib import Path

import click

from game.vocabulary import DEFAULT_METHOD, DIFFICULTY_METHODS


@click.command()
@click.argument("level")
@click.option("--players", type=int, default=5, show_default=True, metavar="N", help="Number of simulated players.")
@click.option("--skill", "skill_range", default="0.2..0.9", show_default=True, metavar="LOW..HIGH",
              help="Skills spread evenly over this range, 0 (beginner) to 1 (expert).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seeds the level (wind, order) and the players.")
@click.option("--sessions", type=int, default=1, show_default=True, metavar="K",
              help="Plays per player; the scalers carry over between plays as in proprio play.")
@click.option("--method", type=click.Choice(sorted(DIFFICULTY_METHODS)), default=DEFAULT_METHOD, show_default=True,
              help="Difficulty method.")
@click.option("--target", type=float, help="Clinician target success rate for every kind (0 to 1).")
@click.option("--floor", type=float, help="Clinician floor of difficulty for every kind (0 to 1).")
@click.option("--ceiling", type=float, help="Clinician ceiling of difficulty for every kind (0 to 1).")
@click.option("--max-distance", type=float, metavar="LOS", help="Clinician maximum target distance, fraction of LOS.")
@click.option("--max-session-min", type=float, metavar="MIN",
              help="Clinician play time after which a sitting ends (as in proprio limits set).")
@click.option("--rest-every-min", type=float, metavar="MIN", help="Clinician rest break after this much play.")
@click.option("--rest-s", type=float, metavar="SECONDS", help="Length of each rest break (with --rest-every-min).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Draw the difficulty paths to this PNG (or .svg, .pdf).")
@click.option("--jobs", type=int, metavar="N",
              help="Processes playing players side by side (default: every core; 1: this process only)."
                   " The result is the same whatever N.")
def simulate(level: str, players: int, skill_range: str, seed: int, sessions: int, method: str,
             target: float | None, floor: float | None, ceiling: float | None, max_distance: float | None,
             max_session_min: float | None, rest_every_min: float | None, rest_s: float | None, fmt: str,
             plot_path: Path | None, jobs: int | None) -> None:
    """Play LEVEL with simulated players of spread skills and print each one's difficulty path.

    No window and no database. Per player and challenge kind: the trials, the success rate,
    the success rate over the last half of the trials, and the difficulty each trial was
    played at (0 easiest, 1 hardest). The clinician options preview a player's limits, the
    session length and rest breaks included (each play is one sitting, as in proprio play;
    --format json lists the rest_start, rest_end and session_limit events).

    \b
    Examples:
      proprio simulate garden-balance --players 5 --skill 0.2..0.9 --seed 1
      proprio simulate space-reach --players 8 --sessions 5 --max-distance 0.6 --plot paths.png
      proprio simulate garden-balance --players 1 --skill 0.6 --max-session-min 1 --rest-every-min 0.5 --rest-s 5
    """
    from game.level.loader import load_plan
    from game.limits import ClinicianLimits, PlayerLimits
    from game.simulate import check_plot_path, format_text, parse_skill_range, plot, worker_count
    from game.simulate import simulate as run_simulation

    low, high = parse_skill_range(skill_range)
    if jobs is not None:
        worker_count(jobs, players)  # a bad --jobs is refused before anything runs
    if plot_path is not None:
        check_plot_path(plot_path)
    limits = None
    clinician = {"target_success": target, "floor": floor, "ceiling": ceiling, "max_distance_los": max_distance,
                 "max_session_s": None if max_session_min is None else max_session_min * 60.0,
                 "rest_every_s": None if rest_every_min is None else rest_every_min * 60.0, "rest_s": rest_s}
    if any(v is not None for v in clinician.values()):
        limits = PlayerLimits("simulated", (ClinicianLimits("all", **clinician),))
    plan = load_plan(level)
    result = run_simulation(plan, players=players, skill_low=low, skill_high=high, seed=seed, sessions=sessions,
                            limits=limits, method=method, name=level, jobs=jobs)
    if plot_path is not None:
        plot(result, plot_path)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict()))
    else:
        click.echo(format_text(result))
        if plot_path is not None:
            click.echo(f"Plot: {plot_path}")
