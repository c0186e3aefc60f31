"""Try to get past a clinician's limits (issue 16, defect 5): four scenarios, each printed with its figure.

Run: python benchmarks/attack_limits.py [--seeds 60] [--timeout 6]

1. max distance 0.5 LOS on ``random_smooth`` tracks: the furthest target the sessions place, over seeds;
2. rest every 6 s (5 s rest) during one 120 s tracking run: when the first rest starts;
3. a 6 s session-length limit with ``proprio play --watch``: sessions created before the timeout;
4. player IDs with a trailing newline, a space or a control character: accepted or refused, per entry point.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.errors import ProprioError  # noqa: E402
from game.input.pose import Pose  # noqa: E402
from game.level.model import Level  # noqa: E402
from game.limits import ClinicianLimits, LimitsError, PlayerLimits  # noqa: E402
from game.paths import levels_dir  # noqa: E402
from game.players import check_player_id  # noqa: E402
from game.session import Session, start_session  # noqa: E402


def track_level(path: str, size: float, trial_s: float, trials: int = 1) -> Level:
    """One tracking challenge whose target runs fast enough to cover its whole path in a run."""
    return Level.model_validate({
        "schema_version": 1, "title": "Attack", "intro_s": 0.5, "rest_s": 0.5,
        "challenges": [{"kind": "track", "title": "T", "instruction": "Follow", "path": path, "size": size,
                        "trials": trials, "trial_s": trial_s, "success_fraction": 0.5,
                        "knobs": {"speed": {"easy": 1.9, "hard": 2.0}, "radius": {"easy": 0.12, "hard": 0.1}}}],
    })


def follow(session: Session, until_s: float) -> tuple[float, float | None]:
    """Step a perfect follower (on the target each step); (furthest target from the centre, first rest start)."""
    furthest, rest_at = 0.0, None
    while not session.finished and session.t_s < until_s:
        snap = session.snapshot()
        here = (snap.targets[0].x, snap.targets[0].y) if snap.targets else (0.0, 0.0)
        for target in snap.targets:
            furthest = max(furthest, math.hypot(target.x, target.y))
        pose = Pose(session.t_s, *here, here[0] * 10, here[1] * 10, "deg")
        step = session.advance(pose if session.wants_pose else None)
        for event in step.events:
            if event.kind == "rest_start" and rest_at is None:
                rest_at = event.t_s
                return furthest, rest_at
    return furthest, rest_at


def max_distance(seeds: int) -> str:
    limits = PlayerLimits("kid-07", (ClinicianLimits("all", max_distance_los=0.5),))
    lines = []
    for shape in ("line", "circle", "figure_eight", "random_smooth"):
        level = track_level(shape, 0.5, 4.0)
        worst, refused = 0.0, 0
        for seed in range(seeds):
            try:
                session = start_session(level, seed, limits=limits)
            except LimitsError:
                refused += 1
                continue
            worst = max(worst, follow(session, 60.0)[0])
        verdict = "BEYOND" if worst > 0.5 + 1e-9 else "within"
        lines.append(f"  {shape:<13} size 0.5, limit 0.5 LOS, {seeds} seeds: furthest target {worst:.3f} LOS"
                     f" ({verdict}; {refused} refused)")
    return "\n".join(lines)


def rest_in_long_trial() -> str:
    limits = PlayerLimits("kid-07", (ClinicianLimits("all", rest_every_s=6.0, rest_s=5.0),))
    session = start_session(track_level("circle", 0.4, 120.0), 1, limits=limits)
    _, rest_at = follow(session, 200.0)
    where = "never within 200 s" if rest_at is None else f"at {rest_at:.2f} s of play"
    return f"  rest every 6 s, one 120 s run: first rest {where}"


def cli(args: list[str], timeout_s: float) -> tuple[int | str, str]:
    try:
        done = subprocess.run([sys.executable, "-m", "game", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return done.returncode, (lines[-1] if lines else "")[:100]


def watch_with_session_limit(folder: Path, timeout_s: float) -> str:
    db, level = folder / "watch.db", folder / "mine.toml"
    shutil.copy(levels_dir() / "still-pond.toml", level)
    cli(["limits", "set", "--player", "kid-07", "--kind", "all", "--max-session-min", "0.1", "--db", str(db)], 60)
    code, _ = cli(["play", str(level), "--watch", "--headless", "--fast", "--input", "sim:0.6", "--seed", "1",
                   "--player", "kid-07", "--db", str(db)], timeout_s)
    import sqlite3

    con = sqlite3.connect(db)
    count, empty = con.execute("select count(*), sum(duration_s = 0) from sessions").fetchone()
    con.close()
    return (f"  6 s session limit with --watch: {count} sessions ({empty or 0} of 0 s), exit {code}"
            f" (timeout {timeout_s:g} s)")


def player_ids(folder: Path) -> str:
    lines = []
    for raw in ("kid-07\n", "kid-07 ", "kid\t07", "kid-07\x00", "ｋｉｄ０７"):
        try:
            check_player_id(raw)
            verdict = "ACCEPTED"
        except ProprioError:
            verdict = "refused"
        lines.append(f"  check_player_id({raw!r}): {verdict}")
    db = folder / "ids.db"
    code, err = cli(["limits", "set", "--player", "kid-07\n", "--kind", "all", "--max-session-min", "1",
                     "--db", str(db)], 60)
    lines.append(f"  limits set --player 'kid-07\\n': exit {code} {err}")
    code, err = cli(["play", "still-pond", "--player", "kid-07\n", "--headless", "--fast", "--input", "sim",
                     "--duration", "1", "--db", str(db)], 60)
    lines.append(f"  play --player 'kid-07\\n': exit {code} {err}")
    code, err = cli(["export", "--player", "kid-07\n", "--out", str(folder / "out"), "--db", str(db)], 60)
    lines.append(f"  export --player 'kid-07\\n': exit {code} {err}")
    if db.exists():
        import sqlite3

        con = sqlite3.connect(db)
        stored = [row[0] for row in con.execute("select id from players")]
        con.close()
        lines.append(f"  players stored: {json.dumps(stored)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=60, help="seeds per track shape")
    parser.add_argument("--timeout", type=float, default=6.0, help="seconds the --watch run may take")
    args = parser.parse_args()
    print("1. maximum distance on every track shape")
    print(max_distance(args.seeds))
    print("2. a rest break due during a long trial")
    print(rest_in_long_trial())
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print("3. session-length limit with --watch")
        print(watch_with_session_limit(folder, args.timeout))
        print("4. player IDs")
        print(player_ids(folder))


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    run_reported(main)
