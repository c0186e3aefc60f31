"""Property tests: for any valid settings and any outcomes, every method stays within [floor, ceiling]."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.difficulty import METHODS, RECENT_WINDOW_TRIALS, create_scaler
from tests.game.difficulty.strategies import levels, outcomes


@pytest.mark.parametrize("method", sorted(METHODS))
@settings(max_examples=150, deadline=None)
@given(config=levels(), played=st.lists(outcomes, max_size=60))
def test_difficulty_stays_within_floor_and_ceiling(method: str, config: dict, played: list) -> None:
    scaler = create_scaler(**config, method=method)
    assert config["floor"] <= scaler.difficulty <= config["ceiling"]
    previous = scaler.difficulty
    for i, outcome in enumerate(played, start=1):
        decision = scaler.record(outcome)
        assert config["floor"] <= decision.new <= config["ceiling"]
        assert math.isfinite(decision.new)
        assert decision.new == scaler.difficulty
        assert decision.old == previous
        assert decision.trial == i
        recent = [float(x) for x in played[max(0, i - RECENT_WINDOW_TRIALS) : i]]
        assert decision.recent_success_rate == pytest.approx(sum(recent) / len(recent))
        assert decision.reason
        previous = decision.new


@pytest.mark.parametrize("method", sorted(METHODS))
@settings(max_examples=40, deadline=None)
@given(config=levels(), played=st.lists(outcomes, max_size=30))
def test_same_inputs_give_the_same_decisions(method: str, config: dict, played: list) -> None:
    first, second = create_scaler(**config, method=method), create_scaler(**config, method=method)
    assert [first.record(o) for o in played] == [second.record(o) for o in played]
