"""Seeded simulated players, so scalers can be tested and benchmarked without a person on the board.

A player succeeds at difficulty ``d`` with the logistic psychometric probability
``p(d) = 1 / (1 + exp((d - threshold) / spread))``: 50 % at ``threshold``, falling faster
for a smaller ``spread``. Fatigue lowers the threshold by ``fatigue_drop`` from trial
``fatigue_trial`` on. All randomness comes from the ``numpy.random.Generator`` passed in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from game.difficulty.base import Decision, DifficultyScaler
from game.difficulty.errors import DifficultyConfigError
from game.difficulty.validation import check_positive, real_number


def logistic_p_success(difficulty: float, threshold: float, spread: float) -> float:
    """Probability of success at ``difficulty`` for a logistic player (overflow-safe)."""
    z = (difficulty - threshold) / spread
    if z >= 0:
        e = math.exp(-z)
        return e / (1.0 + e)
    return 1.0 / (1.0 + math.exp(z))


def level_for_rate(rate: float, threshold: float, spread: float) -> float:
    """Difficulty at which a logistic player succeeds with probability ``rate`` (the inverse curve)."""
    return threshold + spread * math.log(1.0 / rate - 1.0)


@dataclass
class LogisticPlayer:
    """A simulated player with a logistic psychometric curve and optional fatigue."""

    threshold: float
    spread: float
    rng: np.random.Generator = field(repr=False)
    fatigue_trial: int | None = None
    fatigue_drop: float = 0.0
    trials_done: int = 0

    def __post_init__(self) -> None:
        self.threshold = real_number("threshold", self.threshold)
        self.spread = check_positive("spread", self.spread)
        self.fatigue_drop = real_number("fatigue_drop", self.fatigue_drop)
        if not isinstance(self.rng, np.random.Generator):
            raise DifficultyConfigError(
                f"rng must be a numpy.random.Generator, got {type(self.rng).__name__}",
                remedy="pass numpy.random.default_rng(seed) so every run is reproducible",
            )

    def threshold_at(self, trial: int) -> float:
        """Threshold in force on the 1-based ``trial``, fatigue included."""
        if self.fatigue_trial is not None and trial >= self.fatigue_trial:
            return self.threshold - self.fatigue_drop
        return self.threshold

    def p_success(self, difficulty: float, trial: int | None = None) -> float:
        """True success probability at ``difficulty`` on ``trial`` (default: the next attempt)."""
        when = self.trials_done + 1 if trial is None else trial
        return logistic_p_success(difficulty, self.threshold_at(when), self.spread)

    def attempt(self, difficulty: float) -> bool:
        """Play one trial at ``difficulty``: one uniform draw from the player's generator."""
        p = self.p_success(difficulty)
        self.trials_done += 1
        return bool(self.rng.random() < p)


def run_trials(scaler: DifficultyScaler, player: LogisticPlayer, n_trials: int) -> list[Decision]:
    """Let ``player`` play ``n_trials`` trials at the scaler's chosen difficulty; return every decision."""
    return [scaler.record(player.attempt(scaler.difficulty)) for _ in range(n_trials)]


def sample_players(
    n_players: int,
    seed: int,
    *,
    threshold_range: tuple[float, float] = (0.4, 1.0),
    spread_range: tuple[float, float] = (0.03, 0.12),
    fatigue_trial: int | None = None,
    fatigue_drop: float = 0.0,
) -> list[LogisticPlayer]:
    """A reproducible population: thresholds uniform, spreads log-uniform, each player with its own stream."""
    root = np.random.default_rng(seed)
    thresholds = root.uniform(*threshold_range, size=n_players)
    spreads = np.exp(root.uniform(math.log(spread_range[0]), math.log(spread_range[1]), size=n_players))
    streams = root.spawn(n_players)
    return [
        LogisticPlayer(
            threshold=float(t),
            spread=float(s),
            rng=stream,
            fatigue_trial=fatigue_trial,
            fatigue_drop=fatigue_drop,
        )
        for t, s, stream in zip(thresholds, spreads, streams, strict=True)
    ]
