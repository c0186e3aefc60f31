"""QUEST-like Bayesian scaler (Watson & Pelli 1983): place each trial where success is predicted at target.

Model: the player succeeds at difficulty ``d`` with probability
``p(d) = lapse / 2 + (1 - lapse) / (1 + exp((d - threshold) / spread))``, a logistic that
falls through 50 % at ``threshold`` with width ``spread``; the small ``lapse`` keeps one
fluke (a slip on an easy trial, a lucky pass on a hard one) from ruling a threshold out.

The scaler keeps a grid posterior over (threshold, spread): a Gaussian prior on the
threshold centred where ``start`` would be the target level (sd ``prior_sd``), a uniform
prior over log-spaced spreads. After each outcome ``s`` it multiplies in the likelihood
``p**s * (1 - p)**(1 - s)`` (a graded score is a fractional success, the Bernoulli
quasi-likelihood). Players tire or warm up, so the threshold is modelled as steady with a
``hazard`` chance per trial of jumping to a fresh draw from the prior (a hidden Markov
model; with ``hazard=0`` this is plain QUEST): the posterior keeps a small broad component,
so a run of surprising outcomes moves the estimate within a few trials instead of being
outvoted by everything seen before.

The next trial goes to the posterior median of the target level
``threshold + spread * ln(1 / c - 1)``, where ``c = (target - lapse/2) / (1 - lapse)`` is the
lapse-free success that gives ``target`` once lapses are counted, clamped to [floor, ceiling].
QUEST used the posterior mode and King-Smith et al. (1994) the mean; the median is used
here because the benchmark measured it closer to target than the mean once the hazard's
broad component is present (docs/difficulty.md).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from game.difficulty.base import ScalerBase, fmt_level, fmt_outcome, fmt_percent
from game.difficulty.errors import DifficultyConfigError
from game.difficulty.validation import check_count, check_positive, real_number

#: Threshold grid (normalized difficulty): wider than [0, 1] so a player who beats the
#: hardest setting or fails the easiest still has a posterior that can say so.
THRESHOLD_GRID = (-0.5, 1.5)

#: Smallest probability the model gives any outcome, so no grid cell is ever ruled out for
#: good (matters only when a target very near 0 or 1 forces a tiny lapse).
LIKELIHOOD_FLOOR = 1e-12

#: Lapse rate used unless one is given (capped for targets near 0 or 1, see ``_default_lapse``).
DEFAULT_LAPSE = 0.04


def _default_lapse(target: float) -> float:
    """DEFAULT_LAPSE, or less when ``target`` is so near 0 or 1 that lapses would make it unreachable."""
    return min(DEFAULT_LAPSE, target, 1.0 - target)


def _logit_complement(rate: float) -> float:
    """ln(1/rate - 1), infinite (not an error) when rounding puts a target-like rate at 0 or 1."""
    if rate <= 0.0:
        return math.inf
    if rate >= 1.0:
        return -math.inf
    return math.log1p(-rate) - math.log(rate)


class QuestScaler(ScalerBase):
    """Grid-Bayesian estimator of the player's threshold and slope, aiming trials at ``target``."""

    method = "quest"

    def __init__(
        self,
        *,
        target: float,
        start: float,
        floor: float,
        ceiling: float,
        prior_sd: float = 0.5,
        lapse: float | None = None,
        hazard: float = 0.02,
        min_spread: float = 0.02,
        max_spread: float = 0.2,
        n_spreads: int = 7,
        n_thresholds: int = 201,
    ) -> None:
        super().__init__(target=target, start=start, floor=floor, ceiling=ceiling)
        self._prior_sd = check_positive("prior_sd", prior_sd)
        self._lapse = _default_lapse(self._target) if lapse is None else real_number("lapse", lapse)
        limit = min(0.5, 2.0 * min(self._target, 1.0 - self._target))
        if not 0.0 < self._lapse < limit:
            message = f"lapse {self._lapse!r} is outside (0, {limit:.6g})"
            if self._lapse > 0.0 and limit < 0.5:
                message += f"; with target {self._target!r} a larger lapse makes the target unreachable"
            raise DifficultyConfigError(
                message, remedy="pass a small lapse such as 0.04, or leave it out for the default"
            )
        self._hazard = real_number("hazard", hazard)
        if not 0.0 <= self._hazard < 1.0:
            raise DifficultyConfigError(
                f"hazard {self._hazard!r} is outside [0, 1)", remedy="pass a small hazard such as 0.02"
            )
        self._min_spread = check_positive("min_spread", min_spread)
        self._max_spread = check_positive("max_spread", max_spread)
        if self._min_spread > self._max_spread:
            raise DifficultyConfigError(
                f"min_spread {self._min_spread!r} is larger than max_spread {self._max_spread!r}",
                remedy="pass min_spread <= max_spread",
            )
        self._n_spreads = check_count("n_spreads", n_spreads, minimum=1)
        self._n_thresholds = check_count("n_thresholds", n_thresholds, minimum=2)

        thresholds = np.linspace(*THRESHOLD_GRID, self._n_thresholds)
        spreads = np.geomspace(self._min_spread, self._max_spread, self._n_spreads)
        self._t, self._s = np.meshgrid(thresholds, spreads, indexing="ij")
        core = (self._target - 0.5 * self._lapse) / (1.0 - self._lapse)
        target_level = (self._t + self._s * _logit_complement(core)).ravel()
        self._order = np.argsort(target_level, kind="stable")
        self._sorted_level = target_level[self._order]

        centre = self._start - float(np.median(spreads)) * _logit_complement(self._target)
        centre = min(max(centre, THRESHOLD_GRID[0]), THRESHOLD_GRID[1])  # finite even for targets near 0 or 1
        prior_t = np.exp(-0.5 * ((thresholds - centre) / self._prior_sd) ** 2)
        self._prior_t = prior_t / prior_t.sum()
        self._post = np.outer(self._prior_t, np.full(self._n_spreads, 1.0 / self._n_spreads))

    def params(self) -> dict[str, Any]:
        """Shared settings plus the prior, lapse, hazard and grid."""
        return {
            **super().params(),
            "prior_sd": self._prior_sd,
            "lapse": self._lapse,
            "hazard": self._hazard,
            "min_spread": self._min_spread,
            "max_spread": self._max_spread,
            "n_spreads": self._n_spreads,
            "n_thresholds": self._n_thresholds,
        }

    def _p_success(self, difficulty: float) -> np.ndarray:
        """Success probability at ``difficulty`` for every grid cell, lapse included."""
        z = np.clip((difficulty - self._t) / self._s, -700.0, 700.0)
        p = 0.5 * self._lapse + (1.0 - self._lapse) / (1.0 + np.exp(z))
        return np.clip(p, LIKELIHOOD_FLOOR, 1.0 - LIKELIHOOD_FLOOR)

    def threshold_estimate(self) -> tuple[float, float]:
        """Posterior mean and standard deviation of the player's 50 % threshold."""
        mean = float((self._post * self._t).sum())
        sd = math.sqrt(max(0.0, float((self._post * (self._t - mean) ** 2).sum())))
        return mean, sd

    def predicted_success(self, difficulty: float) -> float:
        """Posterior-predictive success probability at ``difficulty``."""
        return float((self._post * self._p_success(difficulty)).sum())

    def _decide(self, outcome: float) -> tuple[float, str]:
        """Fold the outcome into the posterior, allow for a jump, and move to the median target level."""
        old = self._difficulty
        p = self._p_success(old)  # never 0 or 1, so no cell is ever ruled out for good
        post = self._post * p**outcome * (1.0 - p) ** (1.0 - outcome)
        post /= post.sum()
        if self._hazard > 0.0:
            post = (1.0 - self._hazard) * post + self._hazard * np.outer(self._prior_t, post.sum(axis=0))
        self._post = post / post.sum()
        cdf = np.cumsum(self._post.ravel()[self._order])
        index = min(int(np.searchsorted(cdf, 0.5 * cdf[-1])), cdf.size - 1)
        intended = float(self._sorted_level[index])
        new = self._clamp(intended)
        mean, sd = self.threshold_estimate()
        reason = (
            f"{fmt_outcome(outcome)} at {fmt_level(old)}: {self._move_text(old, intended, new)}"
            f"; estimated 50 % threshold {fmt_level(mean)} +/- {fmt_level(sd)}"
            f", predicted success there {fmt_percent(round(self.predicted_success(new), 3))}"
            f" (Bayesian QUEST, target {fmt_percent(self._target)})"
        )
        return new, reason
