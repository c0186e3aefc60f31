"""Simulated players, and scalers driving whole seeded populations to their target success rates."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from game.difficulty import DifficultyConfigError, create_scaler
from game.difficulty.levitt import LEVITT_RATE
from game.difficulty.simulation import LogisticPlayer, level_for_rate, run_trials, sample_players


def test_logistic_player_follows_its_curve() -> None:
    player = LogisticPlayer(threshold=0.6, spread=0.05, rng=np.random.default_rng(0))
    assert player.p_success(0.6) == 0.5
    assert player.p_success(level_for_rate(0.8, 0.6, 0.05)) == pytest.approx(0.8)
    assert player.p_success(0.0) > 0.99999 and player.p_success(1.0) < 0.001
    assert player.p_success(1e6) == 0.0 and player.p_success(-1e6) == 1.0  # no overflow


def test_fatigue_lowers_the_threshold_from_its_trial_on() -> None:
    player = LogisticPlayer(0.6, 0.05, np.random.default_rng(0), fatigue_trial=3, fatigue_drop=0.2)
    assert [player.threshold_at(t) for t in (1, 2, 3, 4)] == [0.6, 0.6, pytest.approx(0.4), pytest.approx(0.4)]
    player.attempt(0.5)
    player.attempt(0.5)
    assert player.p_success(0.4) == pytest.approx(0.5)  # the next attempt is trial 3


def test_attempts_are_reproducible_and_match_the_probability() -> None:
    draws = [LogisticPlayer(0.6, 0.05, np.random.default_rng(42)).attempt(0.6) for _ in range(3)]
    assert draws[0] == draws[1] == draws[2]
    player = LogisticPlayer(0.6, 0.05, np.random.default_rng(1))
    rate = np.mean([player.attempt(level_for_rate(0.8, 0.6, 0.05)) for _ in range(4000)])
    assert rate == pytest.approx(0.8, abs=0.025)


def test_bad_players_are_refused() -> None:
    with pytest.raises(DifficultyConfigError, match="spread 0.0 is outside"):
        LogisticPlayer(0.5, 0.0, np.random.default_rng(0))
    with pytest.raises(DifficultyConfigError, match="rng must be a numpy.random.Generator"):
        LogisticPlayer(0.5, 0.1, 123)  # type: ignore[arg-type]


def test_run_trials_plays_at_the_scalers_level() -> None:
    scaler = create_scaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, method="staircase")
    player = LogisticPlayer(0.7, 0.05, np.random.default_rng(3))
    decisions = run_trials(scaler, player, 25)
    assert [d.trial for d in decisions] == list(range(1, 26))
    assert all(b.old == a.new for a, b in pairwise(decisions))
    assert player.trials_done == 25


def test_sample_players_is_reproducible_and_spread_out() -> None:
    a, b = sample_players(50, seed=9), sample_players(50, seed=9)
    assert [(p.threshold, p.spread) for p in a] == [(p.threshold, p.spread) for p in b]
    assert min(p.threshold for p in a) < 0.5 < 0.9 < max(p.threshold for p in a)
    assert all(0.03 <= p.spread <= 0.12 for p in a)


def population_rate(method: str, n_players: int = 200, seed: int = 5) -> float:
    """Success rate over trials 21-80, averaged over a seeded population from a cold start."""
    rates = []
    for player in sample_players(n_players, seed):
        scaler = create_scaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, method=method)
        decisions = run_trials(scaler, player, 80)
        rates.append(np.mean([d.outcome for d in decisions[20:80]]))
    return float(np.mean(rates))


@pytest.mark.parametrize(
    ("method", "expected"), [("staircase", 0.8), ("quest", 0.8), ("bayes", 0.8), ("levitt", LEVITT_RATE)]
)
def test_population_lands_near_the_rate_the_method_aims_at(method: str, expected: float) -> None:
    # 200 players x 60 trials: the standard error of this mean is about 0.004.
    assert population_rate(method) == pytest.approx(expected, abs=0.025)


def test_fixed_difficulty_misses_the_target_which_the_adaptive_methods_hit() -> None:
    assert population_rate("fixed", n_players=50) > 0.95  # start 0.0 is trivially easy for everyone


def early_error(method: str) -> float:
    """Median over players of mean |p - 0.8| over trials 11-40 from a cold start."""
    errors = []
    for player in sample_players(100, seed=12):
        decisions = run_trials(create_scaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, method=method), player, 40)
        p = [player.p_success(d.old, trial=d.trial) for d in decisions]
        errors.append(np.mean(np.abs(np.asarray(p[10:40]) - 0.8)))
    return float(np.median(errors))


def test_quest_converges_sooner_than_the_staircase_from_a_cold_start() -> None:
    quest, stair = early_error("quest"), early_error("staircase")
    assert quest < 0.85 * stair, (quest, stair)


@pytest.mark.parametrize("method", ["staircase", "quest", "bayes"])
def test_staircase_and_quest_follow_a_tiring_player(method: str) -> None:
    # The threshold drops by 0.2 after trial 40. Within 10-30 trials the scaler should be back
    # at the tired player's 80 % level (plain QUEST, hazard 0, measured +0.043 and 0.49 here).
    offsets, rates = [], []
    for player in sample_players(100, seed=8, fatigue_trial=41, fatigue_drop=0.2):
        scaler = create_scaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, method=method)
        decisions = run_trials(scaler, player, 70)
        tired_level = level_for_rate(0.8, player.threshold - 0.2, player.spread)
        offsets.append(np.median([d.old for d in decisions[50:70]]) - tired_level)
        rates.append(np.mean([d.outcome for d in decisions[40:70]]))
    assert abs(float(np.median(offsets))) < 0.02
    assert float(np.mean(rates)) > 0.62
