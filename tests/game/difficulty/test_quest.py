"""QUEST scaler: matches an independent pure-Python computation of the documented model, and behaves."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from game.difficulty import QuestScaler, create_scaler

SMALL_GRID = {"n_thresholds": 21, "n_spreads": 3, "min_spread": 0.04, "max_spread": 0.16}


def reference_levels(
    outcomes: list[float], *, target: float, start: float, floor: float, ceiling: float,
    prior_sd: float, lapse: float, hazard: float, n_thresholds: int, n_spreads: int,
    min_spread: float, max_spread: float,
) -> list[float]:
    """The model as docs/difficulty.md states it, written with plain loops (no numpy)."""
    thresholds = [-0.5 + 2.0 * i / (n_thresholds - 1) for i in range(n_thresholds)]
    spreads = [min_spread * (max_spread / min_spread) ** (j / (n_spreads - 1)) for j in range(n_spreads)]
    median_spread = sorted(spreads)[n_spreads // 2]
    centre = start + median_spread * math.log(target / (1 - target))
    prior_t = [math.exp(-0.5 * ((t - centre) / prior_sd) ** 2) for t in thresholds]
    prior_t = [w / sum(prior_t) for w in prior_t]
    post = {(i, j): prior_t[i] / n_spreads for i in range(n_thresholds) for j in range(n_spreads)}
    core = (target - lapse / 2) / (1 - lapse)
    level = {(i, j): thresholds[i] + spreads[j] * math.log(1 / core - 1) for (i, j) in post}
    d, out = start, []
    for s in outcomes:
        for (i, j) in post:
            p = lapse / 2 + (1 - lapse) / (1 + math.exp((d - thresholds[i]) / spreads[j]))
            post[(i, j)] *= p**s * (1 - p) ** (1 - s)
        total = sum(post.values())
        post = {k: v / total for k, v in post.items()}
        spread_marginal = [sum(post[(i, j)] for i in range(n_thresholds)) for j in range(n_spreads)]
        post = {(i, j): (1 - hazard) * v + hazard * prior_t[i] * spread_marginal[j] for (i, j), v in post.items()}
        cumulative, median = 0.0, None
        for key in sorted(post, key=lambda k: level[k]):
            cumulative += post[key]
            if cumulative >= 0.5:
                median = level[key]
                break
        d = min(ceiling, max(floor, median))
        out.append(d)
    return out


@pytest.mark.parametrize("hazard", [0.0, 0.02])
@pytest.mark.parametrize(
    "outcomes",
    [
        [1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1],
        [0, 0, 1, 0.5, 0.8, 1, 1, 0, 1, 0.25],
    ],
)
def test_levels_match_an_independent_computation_of_the_model(outcomes: list[float], hazard: float) -> None:
    settings = {"target": 0.8, "start": 0.2, "floor": 0.0, "ceiling": 1.0, "prior_sd": 0.5, "lapse": 0.04}
    quest = QuestScaler(**settings, hazard=hazard, **SMALL_GRID)
    levels = [quest.record(float(o)).new for o in outcomes]
    assert levels == pytest.approx(reference_levels(outcomes, **settings, hazard=hazard, **SMALL_GRID), abs=1e-9)


def test_first_trial_is_at_start_and_successes_climb_to_the_ceiling() -> None:
    quest = create_scaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, method="quest")
    assert quest.difficulty == 0.0
    levels = [quest.record(True).new for _ in range(30)]
    assert all(b >= a for a, b in pairwise(levels))
    assert levels[0] > 0.1  # a Bayesian estimator jumps, a staircase would creep
    assert levels[-1] == 1.0


def test_failures_descend_to_the_floor() -> None:
    quest = create_scaler(target=0.8, start=1.0, floor=0.1, ceiling=1.0, method="quest")
    levels = [quest.record(False).new for _ in range(30)]
    assert all(b <= a for a, b in pairwise(levels))
    assert levels[-1] == 0.1


def test_a_graded_score_lands_between_failure_and_success() -> None:
    def after(outcome: float) -> float:
        quest = create_scaler(target=0.8, start=0.4, floor=0.0, ceiling=1.0, method="quest")
        return quest.record(outcome).new

    assert after(0.0) < after(0.5) < after(1.0)


def test_reason_reports_estimate_and_prediction() -> None:
    quest = create_scaler(target=0.8, start=0.3, floor=0.0, ceiling=1.0, method="quest")
    decision = quest.record(True)
    assert decision.reason.startswith("success at 0.3: harder by ")
    assert "estimated 50 % threshold" in decision.reason
    assert decision.reason.endswith("(Bayesian QUEST, target 80 %)")


def test_predicted_success_at_the_chosen_level_approaches_target_with_consistent_data() -> None:
    quest = QuestScaler(target=0.8, start=0.5, floor=0.0, ceiling=1.0, hazard=0.0)
    pattern = [True, True, True, True, False] * 12  # 80 % success wherever it is played
    for outcome in pattern:
        quest.record(outcome)
    assert quest.predicted_success(quest.difficulty) == pytest.approx(0.8, abs=0.06)
