"""What a run of levels produced: each level's closing figures, the run's summary, the results words."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from game.play.clock import FRAME_S

FRAME_BUDGET_S = FRAME_S  # the 60 Hz display budget; a frame over it counts as dropped


@dataclass
class LevelOutcome:
    """One played level: its session row's closing figures."""

    session_id: int
    level: str
    title: str
    status: str
    duration_s: float
    trials: int
    successes: int
    score: int
    max_score: int
    stars: int
    difficulty_reached: float
    frame_ms: list[float] = field(default_factory=list, repr=False)
    dropped_steps: int = 0
    time_up: bool = False  # the clinician's maximum session length ended this level
    lost_s: float = 0.0  # seconds of play whose samples never reached the database (full disk, long lock)
    lost_rows: int = 0  # rows of any table that never reached the database
    stored_status: str | None = None  # the status the session row holds (``completed_with_gaps`` after a loss)
    player: str = ""  # who played it (a run may switch player)
    ended_by: str | None = None  # the pause menu's "end", "skip" or "switch" (None: it ended by itself)


@dataclass
class RunSummary:
    """What ``proprio play`` prints at the end."""

    db_path: Path
    player: str
    device: str
    seed: int
    outcomes: list[LevelOutcome]
    status: str
    warnings: list[str] = field(default_factory=list)
    stop_signal: int | None = None  # SIGINT (Ctrl-C), SIGTERM or SIGHUP when one ended the run

    @property
    def frame_ms(self) -> list[float]:
        """Every frame's work time, milliseconds."""
        return [ms for o in self.outcomes for ms in o.frame_ms]

    def figures(self) -> dict[str, Any]:
        """The summary as plain numbers (also what --format json would print)."""
        frames = np.array(self.frame_ms) if self.frame_ms else np.array([0.0])
        trials = sum(o.trials for o in self.outcomes)
        successes = sum(o.successes for o in self.outcomes)
        return {
            "status": self.status,
            "player": self.player,
            "players": list(dict.fromkeys(o.player for o in self.outcomes if o.player)) or [self.player],
            "device": self.device,
            "seed": self.seed,
            "levels": [o.level for o in self.outcomes],
            "sessions": [o.session_id for o in self.outcomes],
            "level_results": [{"level": o.level, "session": o.session_id, "status": o.status,
                               "duration_s": round(o.duration_s, 3), "trials": o.trials, "successes": o.successes,
                               "player": o.player} for o in self.outcomes],
            "duration_s": round(sum(o.duration_s for o in self.outcomes), 3),
            "trials": trials,
            "successes": successes,
            "success_rate": round(successes / trials, 3) if trials else None,
            "score": sum(o.score for o in self.outcomes),
            "lost_s": round(sum(o.lost_s for o in self.outcomes), 3),
            "frame_p50_ms": round(float(np.percentile(frames, 50)), 3),
            "frame_p99_ms": round(float(np.percentile(frames, 99)), 3),
            "frames": len(self.frame_ms),
            "dropped_frames": int(np.sum(frames > FRAME_BUDGET_S * 1000)) if self.frame_ms else 0,
            "db": str(self.db_path),
        }


def frame_figures(frame_ms: list[float]) -> dict[str, Any]:
    """p50/p99 frame time and dropped frames for one session row."""
    if not frame_ms:
        return {"frame_p50_ms": None, "frame_p99_ms": None, "frames": 0, "dropped_frames": 0}
    values = np.array(frame_ms)
    return {
        "frame_p50_ms": round(float(np.percentile(values, 50)), 3),
        "frame_p99_ms": round(float(np.percentile(values, 99)), 3),
        "frames": len(frame_ms),
        "dropped_frames": int(np.sum(values > FRAME_BUDGET_S * 1000)),
    }


def improvements(current: LevelOutcome, previous: dict[str, Any] | None) -> tuple[str, ...]:
    """Plain-language lines comparing this level with the player's last finished try, saying what really happened.

    Never "Last time: 100 % success" alone: the counts of both tries are given, and when today's
    games were set harder or easier than last time's, that is said too (a lower share at a harder
    level is not a step back).
    """
    if current.trials == 0:
        return ("No trials finished this time.",)
    if previous is None:
        return ("First time on this level: a great start!",)
    lines = []
    old_trials, old_successes = int(previous.get("trials") or 0), int(previous.get("successes") or 0)
    rate = current.successes / current.trials
    old_rate = old_successes / old_trials if old_trials else float(previous.get("success_rate") or 0.0)
    if rate > old_rate + 1e-9:
        lines.append(f"+ Success {old_rate:.0%} -> {rate:.0%}")
    if current.score > (previous.get("score") or 0):
        lines.append(f"+ Score {previous.get('score') or 0} -> {current.score}")
    old_difficulty = previous.get("difficulty_reached")
    if old_difficulty is not None and current.difficulty_reached > old_difficulty + 0.01:
        lines.append(f"+ Harder challenge reached: {old_difficulty:.2f} -> {current.difficulty_reached:.2f}")
    if lines:
        return tuple(lines)
    today = f"Today {current.successes} of {current.trials}, last time {old_successes} of {old_trials}"
    if old_difficulty is not None and current.difficulty_reached < old_difficulty - 0.01:
        return (f"{today}, at an easier setting than last time.",)
    return (f"{today}. Practice makes progress!",)
