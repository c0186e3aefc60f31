"""Bayesian drift tracker: the documented model by an independent computation, placement, sessions, rebinding."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.difficulty import (
    BayesDriftScaler,
    DifficultyConfigError,
    create_scaler,
    rebind,
    restore_scaler,
)
from game.difficulty.base import fmt_percent
from game.difficulty.simulation import LogisticPlayer
from tests.game.difficulty.strategies import levels as bands
from tests.game.difficulty.strategies import outcomes

SMALL = {
    "n_thresholds": 21,
    "n_spreads": 2,
    "min_spread": 0.05,
    "max_spread": 0.15,
    "drift_modes": [[0.0, 0.0, 0.5], [0.0, 0.15, 0.3], [0.05, 0.05, 0.2]],
    "mode_switch": 0.1,
    "lapse_rates": [0.01, 0.1],
    "prior_sd": 0.4,
    "prior_threshold": 0.5,
}
COLD = {"target": 0.8, "start": 0.2, "floor": 0.0, "ceiling": 1.0}


def _kernel(sd: float, spacing: float, shift: float) -> dict[int, float]:
    """The drift step as docs/difficulty.md states it: exact 3-point moments below a cell, else a sampled Gaussian."""
    if sd == 0.0 and shift == 0.0:
        return {0: 1.0}
    if sd < spacing and abs(shift) < spacing:
        mean = shift / spacing
        second = max((sd / spacing) ** 2 + mean**2, abs(mean))
        return {-1: (second - mean) / 2, 0: 1 - second, 1: (second + mean) / 2}
    half = math.ceil((abs(shift) + 3.0 * sd) / spacing)
    raw = {j: math.exp(-0.5 * ((j * spacing - shift) / max(sd, spacing / 2)) ** 2) for j in range(-half, half + 1)}
    total = sum(raw.values())
    return {j: w / total for j, w in raw.items()}


def reference_threshold(played: list[tuple[float, float]]) -> tuple[float, float]:
    """Posterior mean and sd of the threshold after (level, outcome) pairs, with plain loops (no numpy)."""
    n_t = SMALL["n_thresholds"]
    ts = [-0.4 + 1.8 * i / (n_t - 1) for i in range(n_t)]
    spacing = ts[1] - ts[0]
    spreads = [0.05, 0.15]
    rates = SMALL["lapse_rates"]
    classes = [(g, lp) for g in rates for lp in rates]
    class_prior = [0.5, 0.2, 0.2, 0.1]
    modes = SMALL["drift_modes"]
    mode_prior = [m[2] / sum(m2[2] for m2 in modes) for m in modes]
    prior_t = [math.exp(-0.5 * ((t - 0.5) / 0.4) ** 2) for t in ts]
    prior_t = [w / sum(prior_t) for w in prior_t]
    post = {
        (m, s, c, i): mode_prior[m] * class_prior[c] / sum(class_prior) * prior_t[i] / len(spreads)
        for m in range(len(modes)) for s in range(len(spreads)) for c in range(len(classes)) for i in range(n_t)
    }
    for level, score in played:
        for (m, s, c, i) in post:
            g, lp = classes[c]
            p = g + (1 - g - lp) / (1 + math.exp((level - ts[i]) / spreads[s]))
            post[(m, s, c, i)] *= p**score * (1 - p) ** (1 - score)
        total = sum(post.values())
        post = {k: v / total for k, v in post.items()}
        moved = dict.fromkeys(post, 0.0)
        for (m, s, c, i), v in post.items():
            for j, w in _kernel(modes[m][1], spacing, modes[m][0]).items():
                if 0 <= i + j < n_t:
                    moved[(m, s, c, i + j)] += v * w
        rest = {(s, c, i): sum(moved[(m, s, c, i)] for m in range(len(modes)))
                for s in range(len(spreads)) for c in range(len(classes)) for i in range(n_t)}
        switch = SMALL["mode_switch"]
        post = {(m, s, c, i): (1 - switch) * v + switch * mode_prior[m] * rest[(s, c, i)]
                for (m, s, c, i), v in moved.items()}
        total = sum(post.values())
        post = {k: v / total for k, v in post.items()}
    marginal = [sum(v for (m, s, c, i), v in post.items() if i == k) for k in range(n_t)]
    mean = sum(w * t for w, t in zip(marginal, ts, strict=True))
    return mean, math.sqrt(sum(w * (t - mean) ** 2 for w, t in zip(marginal, ts, strict=True)))


@pytest.mark.parametrize("played", [[1, 1, 1, 0, 1, 1, 0, 1], [0, 0, 1, 0.5, 0.8, 1, 1, 0, 0.25]])
def test_posterior_matches_an_independent_computation_of_the_model(played: list[float]) -> None:
    scaler = BayesDriftScaler(**COLD, **SMALL)
    pairs = []
    for score in played:
        pairs.append((scaler.difficulty, float(score)))
        scaler.record(score)
    mean, sd = scaler.threshold_estimate()
    ref_mean, ref_sd = reference_threshold(pairs)
    assert mean == pytest.approx(ref_mean, abs=1e-9)
    assert sd == pytest.approx(ref_sd, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(played=st.lists(outcomes, min_size=1, max_size=25))
def test_each_trial_is_placed_where_the_predicted_success_is_the_target(played: list[float]) -> None:
    scaler = BayesDriftScaler(**COLD, balance_gain=0.0)  # without the session balance (tested below)
    assert scaler.predicted_success(scaler.difficulty) == pytest.approx(0.8, abs=1e-3)  # the prior's centre
    for score in played:
        scaler.record(score)
        level = scaler.difficulty
        if 0.0 < level < 1.0:  # not cut by the band
            assert scaler.predicted_success(level) == pytest.approx(0.8, abs=2e-3)
        elif level == 0.0:
            assert scaler.predicted_success(level) <= 0.8 + 2e-3
        else:
            assert scaler.predicted_success(level) >= 0.8 - 2e-3


def test_successes_climb_to_the_ceiling_and_failures_descend_to_the_floor() -> None:
    up = create_scaler(**COLD, method="bayes")
    levels = [up.record(True).new for _ in range(40)]
    assert all(b >= a for a, b in zip(levels, levels[1:], strict=False))
    assert levels[0] > 0.2 and levels[-1] == 1.0
    down = create_scaler(target=0.8, start=0.9, floor=0.1, ceiling=1.0, method="bayes")
    levels = [down.record(False).new for _ in range(40)]
    assert all(b <= a for a, b in zip(levels, levels[1:], strict=False))
    assert levels[-1] == 0.1


def test_a_graded_score_lands_between_failure_and_success() -> None:
    def after(score: float) -> float:
        return create_scaler(**COLD, method="bayes").record(score).new

    assert after(0.0) < after(0.5) < after(1.0)


def test_the_drift_rate_is_learnt_from_a_learning_or_tiring_player() -> None:
    def drift(direction: float) -> float:  # mean over three seeded players: one player's last stretch can mislead
        estimates = []
        for seed in (4, 5, 6):
            scaler = BayesDriftScaler(**COLD)
            player = LogisticPlayer(threshold=0.5, spread=0.05, rng=np.random.default_rng(seed))
            for k in range(120):
                player.threshold = 0.5 + direction * 0.004 * k
                scaler.record(player.attempt(scaler.difficulty))
            estimates.append(scaler.drift_estimate())
        return sum(estimates) / len(estimates)

    assert drift(+1.0) > 0.001
    assert drift(-1.0) < -0.001
    assert abs(drift(0.0)) < 0.001


def test_reason_names_the_prediction_the_estimate_and_the_method() -> None:
    decision = BayesDriftScaler(**COLD, balance_gain=0.0).record(True)
    assert decision.reason.startswith("success at 0.2: harder by ")
    assert "; predicted success there 80 %; estimated 50 % threshold " in decision.reason
    assert decision.reason.endswith("a trial (Bayesian drift tracker, target 80 %)")
    balanced = create_scaler(**COLD, method="bayes").record(True)  # the default balances the easy first trial
    assert "; aiming at 79.7 % to balance this session's easier trials so far (predicted success " in balanced.reason
    assert " over 1 trial); estimated 50 % threshold " in balanced.reason


def _played(scaler: BayesDriftScaler, played: list[float]) -> BayesDriftScaler:
    for score in played:
        scaler.record(score)
    return scaler


def test_a_new_session_widens_the_belief_by_the_stated_amount_and_survives_restore() -> None:
    scaler = _played(BayesDriftScaler(**COLD), [1, 1, 0, 1, 1, 1, 0, 1, 1, 1] * 3)
    mean, sd = scaler.threshold_estimate()
    reason = scaler.new_session()
    new_mean, new_sd = scaler.threshold_estimate()
    assert new_mean == pytest.approx(mean, abs=0.01)
    assert new_sd == pytest.approx(math.hypot(sd, 0.1), abs=0.01)  # session_sd = 0.1
    assert reason.startswith("new session after 30 trials: threshold belief widened by sd 0.1 to ")
    assert scaler.state()["sessions"] == [[30, 0.1]]
    scaler.new_session(widen_sd=0.05)
    resumed = restore_scaler(json.loads(json.dumps(scaler.state())))
    assert resumed.difficulty == scaler.difficulty
    assert [resumed.record(o) for o in (True, False, True)] == [scaler.record(o) for o in (True, False, True)]


def test_the_history_survives_a_changed_band_and_target() -> None:
    scaler = _played(BayesDriftScaler(**COLD), [1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0])
    before = scaler.threshold_estimate()
    moved = restore_scaler(rebind(scaler.state(), target=0.7, floor=0.1, ceiling=0.3))
    assert isinstance(moved, BayesDriftScaler)
    assert moved.trials == 12 and moved.threshold_estimate() == before  # same history, same belief
    assert (moved.target, moved.floor, moved.ceiling) == (0.7, 0.1, 0.3)
    assert 0.1 <= moved.difficulty <= 0.3
    assert moved.state()["levels"] == scaler.state()["levels"]
    reason = scaler.rebind(target=0.7, floor=0.1, ceiling=0.3)
    assert reason.startswith("band now [0.1, 0.3], target 70 %, 12 earlier trials kept: ")
    assert [moved.record(o) for o in (True, True)] == [scaler.record(o) for o in (True, True)]


@settings(max_examples=25, deadline=None)
@given(
    past=st.lists(outcomes, max_size=15),
    band=st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)).map(sorted),
    target=st.floats(0.05, 0.95),
    future=st.lists(outcomes, min_size=1, max_size=10),
)
def test_a_rebound_state_restores_exactly_and_stays_in_its_band(
    past: list[float], band: list[float], target: float, future: list[float]
) -> None:
    scaler = _played(BayesDriftScaler(**COLD), past)
    state = rebind(scaler.state(), target=target, floor=band[0], ceiling=band[1])
    first, second = restore_scaler(state), restore_scaler(json.loads(json.dumps(state)))
    for score in future:
        decision = first.record(score)
        assert decision == second.record(score)
        assert band[0] <= decision.new <= band[1]


def test_rebinding_a_method_whose_history_is_tied_to_its_band_is_refused() -> None:
    stair = create_scaler(**COLD, method="staircase")
    stair.record(True)
    with pytest.raises(DifficultyConfigError, match="method 'staircase' cannot keep its history under a new band"):
        rebind(stair.state(), ceiling=0.5)


@pytest.mark.parametrize(
    ("settings_", "fragment"),
    [
        ({"drift_modes": []}, "drift_modes must be a non-empty list"),
        ({"drift_modes": [[0.0, 0.01]]}, "drift mode [0.0, 0.01] is not [drift, sd, weight]"),
        ({"drift_modes": [[0.5, 0.01, 1.0]]}, "is out of range: drift in [-0.1, 0.1]"),
        ({"drift_modes": [[0.0, 0.01, 0.0]]}, "is out of range"),
        ({"mode_switch": 1.0}, "mode_switch 1.0 is outside [0, 1)"),
        ({"lapse_rates": [0.0]}, "lapse_rates value 0.0 is outside [0.001, 0.2]"),
        ({"lapse_rates": [0.01, 0.02, 0.03]}, "lapse_rates takes one or two rates, got 3"),
        ({"lapse_rates": [0.01, 0.01]}, "repeats a value"),
        ({"session_sd": 0.0}, "session_sd 0.0 is outside (0, 1.0]"),
        ({"prior_sd": math.nan}, "prior_sd must be a finite number, got nan"),
        ({"prior_threshold": 3.0}, "prior_threshold 3.0 is outside [-0.4, 1.4]"),
        ({"min_spread": 0.3, "max_spread": 0.1}, "min_spread 0.3 is larger than max_spread 0.1"),
        ({"n_thresholds": 2}, "n_thresholds must be an integer >= 3, got 2 (int)"),
        ({"balance_gain": -0.1}, "balance_gain -0.1 is outside [0, 5]"),
        ({"balance_gain": math.inf}, "balance_gain must be a finite number"),
        ({"balance_cap": 0.5}, "balance_cap 0.5 is outside [0, 0.2]"),
        ({"balance_horizon": 0.0}, "balance_horizon 0.0 is outside (0, 1000.0]"),
        ({"balance_on": "levels"}, "balance_on 'levels' is not one of outcomes, predicted"),
    ],
)
def test_bad_parameters_are_refused(settings_: dict, fragment: str) -> None:
    with pytest.raises(DifficultyConfigError) as info:
        BayesDriftScaler(**COLD, **settings_)
    assert fragment in str(info.value)


def test_bad_session_and_rebind_arguments_are_refused_and_change_nothing() -> None:
    scaler = _played(BayesDriftScaler(**COLD), [1, 0, 1])
    before = scaler.state()
    with pytest.raises(DifficultyConfigError, match="widen_sd -0.1 is outside"):
        scaler.new_session(widen_sd=-0.1)
    with pytest.raises(DifficultyConfigError, match="floor 0.6 is above ceiling 0.4"):
        scaler.rebind(floor=0.6, ceiling=0.4)
    with pytest.raises(DifficultyConfigError, match="target success rate 1.0 is outside"):
        scaler.rebind(target=1.0)
    assert scaler.state() == before


@pytest.mark.parametrize(
    ("tamper", "fragment"),
    [
        (lambda s: {**s, "levels": s["levels"][:-1]}, "needs 'levels' and 'outcomes' lists of the same length"),
        (lambda s: {**s, "levels": [*s["levels"][:-1], 1.5]}, "has a level 1.5 outside [0, 1]"),
        (lambda s: {**s, "sessions": [[99, 0.1]]}, "malformed session break [99, 0.1]"),
        (lambda s: {**s, "sessions": "none"}, "'sessions' must be a list"),
        (lambda s: {**s, "difficulty": 0.999}, "scaler state does not replay"),
    ],
)
def test_damaged_bayes_states_are_refused(tamper, fragment: str) -> None:  # noqa: ANN001
    state = _played(BayesDriftScaler(**COLD), [1, 1, 0]).state()
    with pytest.raises(DifficultyConfigError) as info:
        restore_scaler(tamper(state))
    assert fragment in str(info.value)


# -- session balance: aim each trial to even out this session's predicted success ----------------
BALANCE = {"balance_gain": 1.0, "balance_cap": 0.02, "balance_horizon": 40.0}


def _expected_aim(scaler: BayesDriftScaler, played: list[float], gain: float, cap: float, horizon: float) -> float:
    """The documented aim: target + clip(gain * (target * n - sum of predicted success at the n levels) / horizon)."""
    shortfall = 0.8 * len(played) - sum(scaler.predicted_success(level) for level in played)
    return 0.8 + min(cap, max(-cap, gain * shortfall / horizon))


def test_easy_trials_early_in_a_session_are_balanced_by_aiming_a_little_harder() -> None:
    scaler = BayesDriftScaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, **BALANCE)
    plain = BayesDriftScaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, balance_gain=0.0)
    played = []
    for _ in range(3):  # three successes at very easy levels: far above 80 % by any estimate
        played.append(scaler.difficulty)
        decision = scaler.record(True)
        plain.record(True)
    aim = _expected_aim(scaler, played, 1.0, 0.02, 40.0)
    assert aim < 0.8
    assert scaler.predicted_success(scaler.difficulty) == pytest.approx(aim, abs=2e-3)
    assert scaler.predicted_success(scaler.difficulty) < plain.predicted_success(plain.difficulty) - 0.005
    assert f"; aiming at {fmt_percent(round(aim, 3))} to balance this session's easier trials so far" in decision.reason
    assert "over 3 trials)" in decision.reason


def test_the_aim_follows_the_documented_rule_and_its_cap() -> None:
    for gain, cap, horizon in [(1.0, 0.02, 40.0), (2.0, 0.05, 20.0), (0.5, 0.01, 200.0)]:
        scaler = BayesDriftScaler(**COLD, balance_gain=gain, balance_cap=cap, balance_horizon=horizon)
        played = []
        for outcome in [1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1]:
            played.append(scaler.difficulty)
            scaler.record(outcome)
        aim = _expected_aim(scaler, played, gain, cap, horizon)
        assert abs(aim - 0.8) <= cap + 1e-12
        level = scaler.difficulty
        assert 0.0 < level < 1.0
        assert scaler.predicted_success(level) == pytest.approx(aim, abs=2e-3)


def test_a_new_session_starts_its_own_balance() -> None:
    scaler = _played(BayesDriftScaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, **BALANCE), [1, 1, 1, 1])
    scaler.new_session()
    assert scaler.predicted_success(scaler.difficulty) == pytest.approx(0.8, abs=2e-3)  # nothing played yet
    decision = scaler.record(True)
    assert "over 1 trial)" in decision.reason or "aiming at" not in decision.reason


def test_without_balance_every_trial_aims_at_the_target() -> None:
    scaler = BayesDriftScaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, balance_gain=0.0)
    for _ in range(3):
        decision = scaler.record(True)
    assert "aiming at" not in decision.reason
    assert scaler.predicted_success(scaler.difficulty) == pytest.approx(0.8, abs=2e-3)


@settings(max_examples=60, deadline=None)
@given(
    config=bands(),
    played=st.lists(outcomes, max_size=40),
    gain=st.floats(0.0, 5.0),
    cap=st.floats(0.0, 0.2),
    horizon=st.floats(0.5, 1000.0),
    break_at=st.integers(0, 40),
)
def test_balanced_placement_never_leaves_the_band_and_restores_exactly(
    config: dict, played: list[float], gain: float, cap: float, horizon: float, break_at: int
) -> None:
    scaler = BayesDriftScaler(**config, balance_gain=gain, balance_cap=cap, balance_horizon=horizon)
    for i, score in enumerate(played):
        if i == break_at:
            scaler.new_session()
        decision = scaler.record(score)
        assert config["floor"] <= decision.new <= config["ceiling"]
    resumed = restore_scaler(json.loads(json.dumps(scaler.state())))
    assert resumed.difficulty == scaler.difficulty
    assert [resumed.record(o) for o in (True, False)] == [scaler.record(o) for o in (True, False)]


# -- the cost-cutting paths compute what the plain ones do ------------------------------------


@pytest.mark.parametrize(
    ("sd", "shift"), [(0.0, 0.0), (0.002, 0.0), (0.006, 0.004), (0.006, -0.004), (0.02, 0.0), (0.05, 0.03)]
)
def test_the_one_pass_drift_step_moves_mass_as_the_documented_slices_do(sd: float, shift: float) -> None:
    from game.difficulty.bayes import _convolve, _diffuse, _gauss_kernel

    kernel = _gauss_kernel(sd, 0.01, shift)
    post = np.random.default_rng(3).random((2, 3, 41))
    post[..., :2] = 0.5  # mass at both ends: what the step moves off the grid is lost in both
    post[..., -2:] = 0.7
    out = np.empty_like(post)
    _convolve(post, np.ascontiguousarray(kernel[::-1]), out)
    assert np.allclose(out, _diffuse(post, kernel), rtol=0.0, atol=1e-15)


def _reason_past(reason: str) -> tuple[float, int]:
    """The session's predicted success rate and trial count the reason states (a % with one decimal)."""
    match = re.search(r"\(predicted success ([0-9.]+) % over ([0-9]+) trials?\)", reason)
    assert match, reason
    return float(match.group(1)) / 100, int(match.group(2))


def test_the_sessions_predicted_success_in_the_reason_is_that_of_the_levels_played() -> None:
    scaler = BayesDriftScaler(**COLD, **BALANCE)
    played = []
    for outcome in [1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0]:
        played.append(scaler.difficulty)
        decision = scaler.record(outcome)
    rate, trials = _reason_past(decision.reason)
    assert trials == 12
    # read off the placement's table (levels 0.01 apart), so within a few tenths of a percent
    assert rate == pytest.approx(sum(scaler.predicted_success(level) for level in played) / 12, abs=3e-3)
    scaler.new_session()  # the next session counts from its own first trial
    level = scaler.difficulty
    decision = scaler.record(True)
    rate, trials = _reason_past(decision.reason)
    assert trials == 1
    assert rate == pytest.approx(scaler.predicted_success(level), abs=3e-3)


def test_balancing_on_outcomes_evens_out_the_sessions_scores() -> None:
    settings_ = {"balance_gain": 1.0, "balance_cap": 0.1, "balance_horizon": 20.0, "balance_on": "outcomes"}
    scaler = BayesDriftScaler(target=0.8, start=0.5, floor=0.0, ceiling=1.0, **settings_)
    for score in [1, 1, 0, 1, 0.5, 0, 1, 1, 0, 1]:  # 6.5 of 10: below 80 %
        decision = scaler.record(score)
    aim = 0.8 + min(0.1, (0.8 * 10 - 6.5) / 20.0)
    assert aim == pytest.approx(0.875)
    level = scaler.difficulty
    assert 0.0 < level < 1.0
    assert scaler.predicted_success(level) == pytest.approx(aim, abs=2e-3)
    assert "; aiming at 87.5 % to balance this session's harder trials so far (success rate 65 % over 10 trials)" in (
        decision.reason
    )
    for score in [1, 1, 1, 1, 1, 1]:  # 12.5 of 16: the aim follows the running score down towards the target
        decision = scaler.record(score)
    assert scaler.predicted_success(scaler.difficulty) == pytest.approx(0.8 + (0.8 * 16 - 12.5) / 20.0, abs=2e-3)
    assert scaler.params()["balance_on"] == "outcomes"
    assert "balance_on" not in BayesDriftScaler(**COLD).params()  # the default: stored states from before match
    resumed = restore_scaler(json.loads(json.dumps(scaler.state())))
    assert [resumed.record(o) for o in (True, False)] == [scaler.record(o) for o in (True, False)]
    scaler.new_session()  # a new session balances its own scores only
    decision = scaler.record(True)
    assert "(success rate 100 % over 1 trial)" in decision.reason


def test_the_default_scaler_plays_without_loading_scipy():
    """scipy's import costs 0.24 s CPU in every process that plays: the scaler's drift step is numpy only."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from game.difficulty.bayes import BayesDriftScaler\n"
            "s = BayesDriftScaler(target=0.8, start=0.2, floor=0.0, ceiling=1.0)\n"
            "for ok in (True, False, True, True):\n"
            "    s.record(ok)\n"
            "print(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
