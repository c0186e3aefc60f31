"""Bayesian drift tracker: plays each trial where the expected success over everything believed equals the target.

Model. The player succeeds at difficulty ``d`` on trial ``k`` with probability
``p(d) = guess + (1 - guess - lapse) / (1 + exp((d - threshold_k) / spread))``. Between trials
the threshold moves by ``N(drift, sd**2)`` in one of a few change modes (``drift_modes``:
steady, wandering, learning, tiring), and which mode applies is not known but learnt from the
outcomes: the posterior keeps a weight per mode (a mixture of hidden Markov models), so a
steady player is tracked with the tightness of a static estimate and a tiring or learning one
with a drift that follows it; ``mode_switch`` lets the mode change during play. ``guess`` and
``lapse`` are each one of ``lapse_rates`` (four classes by default), also learnt; ``spread`` is
one of ``n_spreads`` log-spaced values.

Posterior. A grid over (mode, spread, guess/lapse class, threshold), threshold on [-0.4, 1.4]
so a player beyond either end of the scale is representable. Prior: Gaussian on the threshold
(sd ``prior_sd``) centred at ``prior_threshold``, by default chosen so that the prior's
predicted success at ``start`` is exactly the target (the first trial is then played where the
placement rule would put it); uniform over spreads; the modes' weights; ``LAPSE_CLASS_PRIOR``
over the guess/lapse classes. Each outcome ``s`` (a score in [0, 1]: True is 1) multiplies in
``p**s * (1 - p)**(1 - s)``; then each mode's slice drifts, then the mode switch mixes.

Placement. The next trial goes to the difficulty where the posterior-predictive success,
``E[p(d)]`` averaged over the whole posterior (not the success at a point estimate), equals
the target, clamped to [floor, ceiling]. While the estimate is uncertain this plays easier
than the best single guess would, which is what keeps early trials at the target on average.

Session balance. A tracker aimed at the target every trial keeps its early errors (a cold
start far below the player, an overshoot) in the session's success rate for good. So each
trial is aimed at ``target + clip(balance_gain * shortfall / balance_horizon, -balance_cap,
balance_cap)``, where the shortfall is ``target * n`` minus the success the current posterior
predicts at the ``n`` levels already played this session (since the last ``new_session()``):
after an easy start the aim is a little below the target ("aiming at 79.5 % to balance this
session's easier trials so far"), after a hard stretch a little above. This is integral action
on the session's realised success, the figure the clinician's report shows; the cap keeps
single trials near the target. With ``balance_on="outcomes"`` the shortfall is ``target * n``
minus the scores recorded this session instead (model-free, as the classic staircase's).

Sessions and bands. ``new_session()`` widens the threshold posterior by ``session_sd`` (a
returning player may have gained or lost since last time) and returns the modes to their
prior. The history is the list of levels actually played with their outcomes and the session
breaks, so it does not depend on the band: ``rebind(target=, floor=, ceiling=)`` (or
``game.difficulty.rebind(state, ...)`` on a
stored state) keeps every trial and only changes where the next trials may go.

References: Watson (2017) QUEST+, J Vision 17(3):10 (placement over the full posterior);
Kontsevich & Tyler (1999) Vision Res 39:2729-2737 (threshold and slope on a grid); Wilson
et al. (2019) eLife 8:e49547 (model checks by simulation, the way the benchmark judges this).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from game.difficulty.base import ScalerBase, fmt_level, fmt_outcome, fmt_percent, fmt_step
from game.difficulty.errors import DifficultyConfigError
from game.difficulty.validation import check_count, check_levels, check_outcome, check_positive, real_number

Array = npt.NDArray[np.float64]

#: Threshold grid (normalized difficulty): wider than [0, 1] so players beyond the scale fit.
THRESHOLD_GRID = (-0.4, 1.4)

#: Candidate difficulties at which the predicted success is tabulated before refining (on [0, 1]).
N_CANDIDATES = 101

#: Secant refinements of the crossing between two tabulated candidates (at most; they stop once
#: the exact prediction is within ``REFINED`` of the aim).
REFINE_STEPS = 2
REFINED = 1e-4

#: A threshold whose posterior mass is at most this is left out of the placement's sums (its
#: share of any prediction is below 1e-12 a cell).
HELD_MASS = 1e-12

#: What the session balance evens out: the scores recorded this session, or the success the model
#: predicts at the levels played this session.
BALANCE_SOURCES = ("outcomes", "predicted")

#: Smallest guess or lapse rate: the model then never calls an outcome impossible, so no grid
#: cell is ruled out for good by one fluke.
MIN_RATE = 0.001

#: Drift kernels reach this many standard deviations either side before being cut.
KERNEL_REACH_SD = 3.0

#: Change modes ``(drift per trial, sd per trial, prior weight)``: steady, wandering (sudden
#: changes), learning and tiring. Which one applies is learnt from the outcomes.
DEFAULT_DRIFT_MODES: tuple[tuple[float, float, float], ...] = (
    (0.0, 0.002, 0.5),
    (0.0, 0.02, 0.1),
    (0.004, 0.006, 0.2),
    (-0.004, 0.006, 0.2),
)

#: Prior weight of a guess/lapse class: the first rate of ``lapse_rates`` (a reliable player)
#: for both guess and lapse is likelier than a class with frequent guesses or slips.
LAPSE_CLASS_PRIOR = {0: 0.5, 1: 0.2, 2: 0.2, 3: 0.1}


def _gauss_kernel(sd: float, spacing: float, shift: float = 0.0) -> Array:
    """Weights of one step of mean ``shift`` and sd ``sd`` on a grid of ``spacing`` (odd length, centred).

    Below one grid cell a three-point step matches the mean and variance exactly (the variance is
    raised to the least a three-point step with that mean allows, ``|shift| * (spacing - |shift|)``).
    """
    if sd <= 0.0 and shift == 0.0:
        return np.ones(1)
    if sd < spacing and abs(shift) < spacing:
        mean = shift / spacing
        second = max((sd / spacing) ** 2 + mean**2, abs(mean))
        up, down = 0.5 * (second + mean), 0.5 * (second - mean)
        return np.array([down, 1.0 - up - down, up])
    half = max(1, math.ceil((abs(shift) + KERNEL_REACH_SD * sd) / spacing))
    offsets = np.arange(-half, half + 1) * spacing
    weights = np.exp(-0.5 * ((offsets - shift) / max(sd, 0.5 * spacing)) ** 2)
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def _diffuse(post: Array, kernel: Array) -> Array:
    """Move mass along the last axis: ``kernel[j]`` of each cell goes ``j - len // 2`` cells up (off the ends: lost)."""
    half = kernel.size // 2
    out: Array = kernel[half] * post
    n = post.shape[-1]
    for j, weight in enumerate(kernel):
        offset = j - half
        if offset > 0 and weight > 0.0:
            out[..., offset:] += weight * post[..., : n - offset]
        elif offset < 0 and weight > 0.0:
            out[..., : n + offset] += weight * post[..., -offset:]
    return out


def _convolve(post: Array, reversed_kernel: Array, out: Array) -> None:
    """``_diffuse(post, reversed_kernel[::-1])`` into ``out``: a slice per kernel weight, numpy only.

    ``out[..., i] = sum_m reversed_kernel[m] * post[..., i - half + m]``, mass off the ends lost.
    scipy.ndimage's correlate1d does it in one compiled pass (0.31 against 0.45 ms a decision,
    measured), but importing it costs 0.24 s CPU in every process that plays, once, before the
    first trial; one decision a trial does not earn that back.
    """
    half = reversed_kernel.size // 2
    np.multiply(post, reversed_kernel[half], out=out)
    n = post.shape[-1]
    for m, weight in enumerate(reversed_kernel):
        offset = half - m  # cell i takes weight * post[i - offset]
        if offset > 0 and weight > 0.0:
            out[..., offset:] += weight * post[..., : n - offset]
        elif offset < 0 and weight > 0.0:
            out[..., : n + offset] += weight * post[..., -offset:]


def _as_modes(values: Any) -> tuple[tuple[float, float, float], ...]:
    """Validate ``drift_modes``: a non-empty list of ``[drift per trial, sd per trial, prior weight]``."""
    remedy = "pass drift_modes such as [[0.0, 0.002, 0.5], [0.0, 0.02, 0.5]]: drift and sd per trial, weight"
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
        raise DifficultyConfigError(f"drift_modes must be a non-empty list, got {values!r}", remedy=remedy)
    modes: list[tuple[float, float, float]] = []
    for mode in values:
        if isinstance(mode, (str, bytes)) or not isinstance(mode, Sequence) or len(mode) != 3:
            raise DifficultyConfigError(f"drift mode {mode!r} is not [drift, sd, weight]", remedy=remedy)
        shift, sd, weight = (real_number("drift mode", v) for v in mode)
        if not (abs(shift) <= 0.1 and 0.0 <= sd <= 0.5 and weight > 0.0):
            raise DifficultyConfigError(
                f"drift mode {list(mode)!r} is out of range: drift in [-0.1, 0.1], sd in [0, 0.5], weight > 0",
                remedy=remedy,
            )
        modes.append((shift, sd, weight))
    return tuple(modes)


def _as_rates(name: str, values: Any, *, low: float, high: float, allow_zero: bool) -> tuple[float, ...]:
    """Validate a short list of rates (e.g. drift sds) and return it as a tuple of floats."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
        raise DifficultyConfigError(
            f"{name} must be a non-empty list of numbers, got {values!r}", remedy=f"pass {name} such as [0.0, 0.01]"
        )
    rates = tuple(real_number(name, v) for v in values)
    for rate in rates:
        if not (low <= rate <= high if allow_zero else low < rate <= high):
            bounds = f"[{low}, {high}]" if allow_zero else f"({low}, {high}]"
            raise DifficultyConfigError(f"{name} value {rate!r} is outside {bounds}", remedy=f"pass {name} in {bounds}")
    if len(set(rates)) != len(rates):
        raise DifficultyConfigError(f"{name} {list(rates)!r} repeats a value", remedy=f"pass distinct {name}")
    return rates


class BayesDriftScaler(ScalerBase):
    """Tracks a drifting threshold with a learnt drift rate and plays where predicted success is the target."""

    method = "bayes"

    def __init__(
        self,
        *,
        target: float,
        start: float,
        floor: float,
        ceiling: float,
        prior_sd: float = 0.45,
        prior_threshold: float | None = None,
        drift_modes: Sequence[Sequence[float]] = DEFAULT_DRIFT_MODES,
        mode_switch: float = 0.02,
        lapse_rates: Sequence[float] = (0.005, 0.06),
        session_sd: float = 0.1,
        min_spread: float = 0.01,
        max_spread: float = 0.25,
        n_spreads: int = 6,
        n_thresholds: int = 181,
        balance_gain: float = 1.0,
        balance_cap: float = 0.01,
        balance_horizon: float = 40.0,
        balance_on: str = "predicted",
    ) -> None:
        super().__init__(target=target, start=start, floor=floor, ceiling=ceiling)
        self._prior_sd = check_positive("prior_sd", prior_sd, at_most=2.0)
        self._modes = _as_modes(drift_modes)
        self._mode_switch = real_number("mode_switch", mode_switch)
        if not 0.0 <= self._mode_switch < 1.0:
            raise DifficultyConfigError(
                f"mode_switch {self._mode_switch!r} is outside [0, 1)", remedy="pass a small rate such as 0.02"
            )
        self._lapse_rates = _as_rates("lapse_rates", lapse_rates, low=MIN_RATE, high=0.2, allow_zero=True)
        if len(self._lapse_rates) > 2:
            raise DifficultyConfigError(
                f"lapse_rates takes one or two rates, got {len(self._lapse_rates)}",
                remedy="pass lapse_rates such as [0.005, 0.06]",
            )
        self._session_sd = check_positive("session_sd", session_sd, at_most=1.0)
        self._min_spread = check_positive("min_spread", min_spread)
        self._max_spread = check_positive("max_spread", max_spread)
        if self._min_spread > self._max_spread:
            raise DifficultyConfigError(
                f"min_spread {self._min_spread!r} is larger than max_spread {self._max_spread!r}",
                remedy="pass min_spread <= max_spread",
            )
        self._n_spreads = check_count("n_spreads", n_spreads, minimum=1)
        self._n_thresholds = check_count("n_thresholds", n_thresholds, minimum=3)
        self._balance_gain = real_number("balance_gain", balance_gain)
        if not 0.0 <= self._balance_gain <= 5.0:
            raise DifficultyConfigError(
                f"balance_gain {self._balance_gain!r} is outside [0, 5]",
                remedy="pass a balance_gain such as 1.0, or 0 to aim every trial at the target",
            )
        self._balance_cap = real_number("balance_cap", balance_cap)
        if not 0.0 <= self._balance_cap <= 0.2:
            raise DifficultyConfigError(
                f"balance_cap {self._balance_cap!r} is outside [0, 0.2]",
                remedy="pass a small balance_cap such as 0.02 (a success rate)",
            )
        self._balance_horizon = check_positive("balance_horizon", balance_horizon, at_most=1000.0)
        if balance_on not in BALANCE_SOURCES:
            raise DifficultyConfigError(
                f"balance_on {balance_on!r} is not one of {', '.join(BALANCE_SOURCES)}",
                remedy="pass balance_on='outcomes' (the session's scores) or 'predicted' (the model's success)",
            )
        self._balance_on = balance_on

        self._t = np.linspace(*THRESHOLD_GRID, self._n_thresholds)
        self._spacing = float(self._t[1] - self._t[0])
        self._spreads = np.geomspace(self._min_spread, self._max_spread, self._n_spreads)
        pairs = [(g, lapse) for g in self._lapse_rates for lapse in self._lapse_rates]
        self._guess = np.array([g for g, _ in pairs])
        self._slope_share = np.array([1.0 - g - lapse for g, lapse in pairs])  # 1 - guess - lapse
        class_prior = np.array([LAPSE_CLASS_PRIOR[i] for i in range(len(pairs))])
        self._class_prior = class_prior / class_prior.sum()
        self._kernels = [_gauss_kernel(sd, self._spacing, shift) for shift, sd, _ in self._modes]
        weights = np.array([w for _, _, w in self._modes])
        self._mode_prior = weights / weights.sum()
        self._mode_shifts = np.array([shift for shift, _, _ in self._modes])
        self._candidates = np.linspace(0.0, 1.0, N_CANDIDATES)
        z = (self._candidates[None, None, :] - self._t[None, :, None]) / self._spreads[:, None, None]
        curve = 1.0 / (1.0 + np.exp(np.clip(z, -700.0, 700.0)))  # (spread, threshold, candidate)
        # threshold-major, so the thresholds that hold mass are one contiguous block of rows:
        # one matrix-vector product over them tabulates the predicted success at every candidate
        self._curve_table = np.ascontiguousarray(curve.transpose(1, 0, 2))  # (threshold, spread, candidate)
        self._inv_spreads = 1.0 / self._spreads[:, None]
        # the logistic's exponent can only overflow for spreads below (grid width) / 700
        self._clip_z = (THRESHOLD_GRID[1] - THRESHOLD_GRID[0]) / self._min_spread > 700.0
        self._marginal: Array = np.empty(0)
        self._marginal_t: Array = np.empty(0)
        # the levels played this session as linear-interpolation weights on the candidates, so that
        # the sum of the predicted success at them is one dot product with the placement's table
        self._session_weights = np.zeros(N_CANDIDATES)
        self._session_trials = 0
        self._session_score = 0.0
        self._reversed_kernels = [np.ascontiguousarray(kernel[::-1]) for kernel in self._kernels]
        self._held = (0, self._n_thresholds)
        self._last_curve: tuple[float, Array] = (math.nan, np.empty(0))

        if prior_threshold is None:
            self._prior_threshold = self._centre_for_start()
        else:
            self._prior_threshold = real_number("prior_threshold", prior_threshold)
            if not THRESHOLD_GRID[0] <= self._prior_threshold <= THRESHOLD_GRID[1]:
                raise DifficultyConfigError(
                    f"prior_threshold {self._prior_threshold!r} is outside {list(THRESHOLD_GRID)!r}",
                    remedy="pass a prior_threshold on the threshold grid, or leave it out",
                )
        self._post: Array = np.empty(0)
        self._set_post(self._prior(self._prior_threshold))
        self._levels: list[float] = []
        self._sessions: list[tuple[int, float]] = []

    # -- model ---------------------------------------------------------------------------------

    def _prior(self, centre: float) -> Array:
        """Prior over (rate, spread, class, threshold), normalized."""
        prior_t = np.exp(-0.5 * ((self._t - centre) / self._prior_sd) ** 2)
        prior_t /= prior_t.sum()
        post = (
            self._mode_prior[:, None, None, None]
            * self._class_prior[None, None, :, None]
            * prior_t[None, None, None, :]
            / self._n_spreads
        )
        return np.repeat(post, self._n_spreads, axis=1)

    def _curve(self, difficulty: float) -> Array:
        """Lapse-free success at ``difficulty`` for every (spread, threshold): shape (spreads, thresholds).

        The last one computed is kept: the placement's last refinement is usually the level the
        next outcome comes from.
        """
        if self._last_curve[0] == difficulty:
            return self._last_curve[1]
        z = (difficulty - self._t)[None, :] * self._inv_spreads
        if self._clip_z:
            np.clip(z, -700.0, 700.0, out=z)
        curve: Array = 1.0 / (1.0 + np.exp(z))
        self._last_curve = (difficulty, curve)
        return curve

    def _p_success(self, difficulty: float) -> Array:
        """Success probability at ``difficulty`` per (spread, class, threshold), guess and lapse included."""
        curve = self._curve(difficulty)
        # never 0 or 1: every guess and lapse rate is at least MIN_RATE, so no cell is ruled out for good
        return self._guess[None, :, None] + self._slope_share[None, :, None] * curve[:, None, :]

    def _predicted(self, difficulty: float) -> float:
        """Posterior-predictive success at one difficulty."""
        return float((self._marginal * self._p_success(difficulty)).sum())

    def _centre_for_start(self) -> float:
        """Prior centre at which the prior predicts exactly ``target`` at ``start`` (bisection; clipped to the grid)."""
        spread_class = self._class_prior[None, :, None] / self._n_spreads
        at_start = (self._p_success(self._start) * spread_class).sum(axis=(0, 1))  # success per threshold

        def predicted(centre: float) -> float:
            prior_t = np.exp(-0.5 * ((self._t - centre) / self._prior_sd) ** 2)
            return float((prior_t * at_start).sum() / prior_t.sum())

        lo, hi = THRESHOLD_GRID
        if predicted(hi) <= self._target:
            return hi
        if predicted(lo) >= self._target:
            return lo
        for _ in range(40):  # the prediction rises with the centre
            mid = 0.5 * (lo + hi)
            if predicted(mid) < self._target:
                lo = mid
            else:
                hi = mid
        return round(0.5 * (lo + hi), 9)  # rounded so it reads well in state() and restores exactly

    def _observe(self, level: float, outcome: float) -> None:
        """Fold one outcome at ``level`` into the posterior, then let each rate's threshold drift one trial."""
        p = self._p_success(level)
        if outcome == 1.0:
            like = p
        elif outcome == 0.0:
            like = 1.0 - p
        else:
            like = p**outcome * (1.0 - p) ** (1.0 - outcome)
        post = self._post * like  # normalized once, in _set_post: every step until then is linear
        moved = np.empty_like(post)
        for mode, kernel in enumerate(self._reversed_kernels):
            _convolve(post[mode], kernel, moved[mode])
        self._set_post(moved, switch=True)
        self._levels.append(level)
        cell = min(N_CANDIDATES - 2, int(level * (N_CANDIDATES - 1)))
        upper = level * (N_CANDIDATES - 1) - cell
        self._session_weights[cell] += 1.0 - upper
        self._session_weights[cell + 1] += upper
        self._session_trials += 1
        self._session_score += outcome

    def _set_post(self, post: Array, *, switch: bool = False) -> None:
        """Store ``post`` normalized (after the mode switch when ``switch``) and its marginal over the modes.

        The switch mixes ``mode_switch`` of each cell's mass into the modes' prior; it leaves the
        sum over the modes unchanged, so that sum (the marginal every prediction uses) is taken once.
        """
        rest = post.sum(axis=0)  # (spread, class, threshold)
        total = float(rest.sum())
        if switch and self._mode_switch > 0.0:  # the switch and the normalization in two passes
            post *= (1.0 - self._mode_switch) / total
            post += (self._mode_switch / total * self._mode_prior)[:, None, None, None] * rest[None, ...]
        else:
            post /= total
        self._post = post
        self._marginal = rest / total
        self._marginal_t = self._marginal.sum(axis=(0, 1))
        held = np.flatnonzero(self._marginal_t > HELD_MASS)
        self._held = (int(held[0]), int(held[-1]) + 1) if held.size else (0, self._n_thresholds)

    def _widen(self, sd: float) -> None:
        """A break between sessions: spread the threshold belief by ``sd``, return the change modes to their prior."""
        post = _diffuse(self._post, _gauss_kernel(sd, self._spacing)).sum(axis=0)
        self._set_post(self._mode_prior[:, None, None, None] * post[None, ...])
        self._session_weights = np.zeros(N_CANDIDATES)
        self._session_trials = 0
        self._session_score = 0.0

    def _session_start(self) -> int:
        """Index of the first trial of the current session (after the last ``new_session()``)."""
        return self._sessions[-1][0] if self._sessions else 0

    def _aim(self, table: Array) -> tuple[float, float | None]:
        """Success rate to aim the next trial at: the target, moved to balance this session's past trials.

        ``table`` is the posterior-predictive success at the candidate levels. The session's shortfall
        ``target * n - sum of the predicted success at the n levels played`` (negative when the
        past trials were easier than the target) is spread over ``balance_horizon`` trials:
        ``target + clip(balance_gain * shortfall / balance_horizon, -balance_cap, balance_cap)``.
        Returns the aim and the session's mean predicted success so far (None before its first trial).
        """
        target = self._target
        played = self._session_trials
        if self._balance_gain == 0.0 or not played:
            return target, None
        if self._balance_on == "outcomes":
            past = self._session_score
        else:
            past = float(self._session_weights @ table)  # = sum of np.interp(levels played, candidates, table)
        shift = self._balance_gain * (target * played - past) / self._balance_horizon
        shift = min(self._balance_cap, max(-self._balance_cap, shift))
        aim = min(0.5 * (1.0 + target), max(0.5 * target, target + shift))  # stays inside (0, 1)
        return aim, past / played

    def _placement(self) -> tuple[float, float, float, float | None]:
        """Where predicted success equals the aim (before the band, on [0, 1]), that prediction, the aim, past rate."""
        first, last = self._held  # thresholds outside hold less than HELD_MASS each: left out of the sums
        marginal = self._marginal[:, :, first:last]  # (spread, class, threshold)
        constant = float(self._marginal.sum(axis=(0, 2)) @ self._guess)
        weight: Array = np.matmul(self._slope_share, marginal)  # (spread, threshold): the class summed out
        table = constant + weight.T.ravel() @ self._curve_table[first:last].reshape(-1, N_CANDIDATES)  # falls with d
        target, past = self._aim(table)
        if table[0] <= target:
            return 0.0, float(table[0]), target, past
        if table[-1] >= target:
            return 1.0, float(table[-1]), target, past
        j = int(np.argmax(table < target))  # first candidate predicted below target
        lo, hi = float(self._candidates[j - 1]), float(self._candidates[j])
        p_lo, p_hi = float(table[j - 1]), float(table[j])
        level, predicted = lo, p_lo
        for _ in range(REFINE_STEPS):  # secant steps inside the bracket, exact predictions
            level = lo + (p_lo - target) * (hi - lo) / (p_lo - p_hi)
            predicted = constant + float(np.vdot(weight, self._curve(level)[:, first:last]))
            if predicted > target:
                lo, p_lo = level, predicted
            else:
                hi, p_hi = level, predicted
            if hi - lo < 1e-9 or abs(predicted - target) < REFINED:
                break
        return level, predicted, target, past

    def _next_difficulty(self) -> float:
        """The placement clamped to the band; ``start`` until a trial has been played."""
        if not self._outcomes and not self._levels:
            return self._start
        return self._clamp(self._placement()[0])

    # -- public --------------------------------------------------------------------------------

    def params(self) -> dict[str, Any]:
        """Shared settings plus the prior, drift rates, guess/lapse rates, session widening and grid."""
        return {
            **super().params(),
            "prior_sd": self._prior_sd,
            "prior_threshold": self._prior_threshold,
            "drift_modes": [list(mode) for mode in self._modes],
            "mode_switch": self._mode_switch,
            "lapse_rates": list(self._lapse_rates),
            "session_sd": self._session_sd,
            "min_spread": self._min_spread,
            "max_spread": self._max_spread,
            "n_spreads": self._n_spreads,
            "n_thresholds": self._n_thresholds,
            "balance_gain": self._balance_gain,
            "balance_cap": self._balance_cap,
            "balance_horizon": self._balance_horizon,
            # only when not the default: states stored before the option existed stay compatible
            # (the session layer compares parameters to decide whether a stored history continues)
            **({} if self._balance_on == "predicted" else {"balance_on": self._balance_on}),
        }

    def state(self) -> dict[str, Any]:
        """Base state plus the level of every trial and the session breaks: the history, free of the band."""
        return {
            **super().state(),
            "levels": list(self._levels),
            "sessions": [[trials, sd] for trials, sd in self._sessions],
        }

    def threshold_estimate(self) -> tuple[float, float]:
        """Posterior mean and standard deviation of the player's current 50 % threshold."""
        marginal_t = self._marginal_t
        mean = float((marginal_t * self._t).sum())
        sd = math.sqrt(max(0.0, float((marginal_t * (self._t - mean) ** 2).sum())))
        return mean, sd

    def drift_estimate(self) -> float:
        """Posterior mean of the threshold's drift per trial (positive: the player is getting better)."""
        weights = self._post.reshape(len(self._modes), -1).sum(axis=1)
        return float(weights @ self._mode_shifts)

    def predicted_success(self, difficulty: float) -> float:
        """Posterior-predictive success probability at ``difficulty`` (guess and lapse included)."""
        return self._predicted(real_number("difficulty", difficulty))

    def new_session(self, widen_sd: float | None = None) -> str:
        """Mark a break before the next trial: widen the threshold belief by ``widen_sd`` (default ``session_sd``).

        Returns the reason to log. The break is part of the history, so ``state()`` and
        ``restore_scaler`` keep it; call it once when a returning player starts a new session.
        """
        sd = self._session_sd if widen_sd is None else check_positive("widen_sd", widen_sd, at_most=1.0)
        old = self._difficulty
        self._widen(sd)
        self._sessions.append((len(self._outcomes), sd))
        self._difficulty = self._next_difficulty()
        mean, spread = self.threshold_estimate()
        return (
            f"new session after {len(self._outcomes)} trials: threshold belief widened by sd {fmt_step(sd)}"
            f" to {fmt_level(mean)} +/- {fmt_level(spread)}; {self._move_text(old, self._difficulty, self._difficulty)}"
            f" (Bayesian drift tracker, target {fmt_percent(self._target)})"
        )

    def rebind(self, *, target: float | None = None, floor: float | None = None, ceiling: float | None = None) -> str:
        """Move to a new target and/or band, keeping the whole history; returns the reason to log."""
        new_target = self._target if target is None else target
        new_floor = self._floor if floor is None else floor
        new_ceiling = self._ceiling if ceiling is None else ceiling
        check_levels(target=new_target, start=new_floor, floor=new_floor, ceiling=new_ceiling)
        start = min(max(self._start, float(new_floor)), float(new_ceiling))
        self._target, self._start, self._floor, self._ceiling = check_levels(
            target=new_target, start=start, floor=new_floor, ceiling=new_ceiling
        )
        old = self._difficulty
        self._difficulty = self._next_difficulty()
        return (
            f"band now [{fmt_level(self._floor)}, {fmt_level(self._ceiling)}], target {fmt_percent(self._target)},"
            f" {len(self._outcomes)} earlier trials kept: {self._move_text(old, self._difficulty, self._difficulty)}"
            f" (Bayesian drift tracker)"
        )

    def replay(self, state: dict[str, Any]) -> None:
        """Rebuild the history from ``state()``'s levels, outcomes and session breaks (used by ``restore_scaler``)."""
        levels, outcomes, sessions = state.get("levels"), state.get("outcomes"), state.get("sessions", [])
        if not isinstance(levels, list) or not isinstance(outcomes, list) or len(levels) != len(outcomes):
            raise DifficultyConfigError(
                "bayes scaler state needs 'levels' and 'outcomes' lists of the same length",
                remedy="pass the dict that state() returned, unchanged",
            )
        breaks = _session_breaks(sessions, len(outcomes))
        pending = list(breaks)
        for index, (level, outcome) in enumerate(zip(levels, outcomes, strict=True)):
            while pending and pending[0][0] == index:
                self._widen(pending.pop(0)[1])
            played = real_number("levels", level)
            if not 0.0 <= played <= 1.0:
                raise DifficultyConfigError(
                    f"bayes scaler state has a level {played!r} outside [0, 1]",
                    remedy="the state was edited; start a new scaler",
                )
            score = check_outcome(outcome)
            self._observe(played, score)
            self._outcomes.append(score)
        for _, sd in pending:
            self._widen(sd)
        self._sessions = breaks
        self._difficulty = self._next_difficulty()

    def _decide(self, outcome: float) -> tuple[float, str]:
        """Fold the outcome in and move to where the posterior-predictive success equals the aim."""
        old = self._difficulty
        self._observe(old, outcome)
        intended, predicted, aim, past = self._placement()
        new = self._clamp(intended)
        if new != intended:
            predicted = self._predicted(new)
        mean, sd = self.threshold_estimate()
        balance = ""
        if past is not None and round(aim, 3) != round(self._target, 3):
            kind = "easier" if aim < self._target else "harder"
            n = len(self._levels) - self._session_start()
            measure = "success rate" if self._balance_on == "outcomes" else "predicted success"
            balance = (
                f"; aiming at {fmt_percent(round(aim, 3))} to balance this session's {kind} trials so far"
                f" ({measure} {fmt_percent(round(past, 3))} over {n} trial{'' if n == 1 else 's'})"
            )
        reason = (
            f"{fmt_outcome(outcome)} at {fmt_level(old)}: {self._move_text(old, intended, new)}"
            f"; predicted success there {fmt_percent(round(predicted, 3))}{balance}"
            f"; estimated 50 % threshold {fmt_level(mean)} +/- {fmt_level(sd)},"
            f" drift {fmt_step(self.drift_estimate())} a trial"
            f" (Bayesian drift tracker, target {fmt_percent(self._target)})"
        )
        return new, reason


def _session_breaks(sessions: Any, n_trials: int) -> list[tuple[int, float]]:
    """Validate the stored session breaks: ``[[trials_before, widen_sd], ...]`` in trial order."""
    breaks: list[tuple[int, float]] = []
    if not isinstance(sessions, list):
        raise DifficultyConfigError(
            "bayes scaler state 'sessions' must be a list", remedy="pass the dict that state() returned"
        )
    for entry in sessions:
        if (
            not isinstance(entry, list)
            or len(entry) != 2
            or isinstance(entry[0], bool)
            or not isinstance(entry[0], int)
            or not 0 <= entry[0] <= n_trials
            or (breaks and entry[0] < breaks[-1][0])
        ):
            raise DifficultyConfigError(
                f"bayes scaler state has a malformed session break {entry!r}",
                remedy="the state was edited; start a new scaler",
            )
        breaks.append((entry[0], check_positive("widen_sd", entry[1], at_most=1.0)))
    return breaks
