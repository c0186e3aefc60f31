"""state() / restore_scaler(): a resumed scaler makes exactly the decisions the original would have."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.difficulty import METHODS, DifficultyConfigError, QuestScaler, create_scaler, restore_scaler
from game.difficulty.base import STATE_FORMAT
from tests.game.difficulty.strategies import levels, outcomes

GOOD = {"target": 0.8, "start": 0.3, "floor": 0.1, "ceiling": 0.9}
ALL_METHODS = sorted(METHODS)


@pytest.mark.parametrize("method", ALL_METHODS)
@settings(max_examples=40, deadline=None)
@given(config=levels(), past=st.lists(outcomes, max_size=40), future=st.lists(outcomes, min_size=1, max_size=20))
def test_restored_scaler_makes_identical_future_decisions(method: str, config: dict, past: list, future: list) -> None:
    original = create_scaler(**config, method=method)
    for o in past:
        original.record(o)
    saved = json.loads(json.dumps(original.state(), allow_nan=False))  # through real JSON text
    resumed = restore_scaler(saved)
    assert resumed.difficulty == original.difficulty
    assert [resumed.record(o) for o in future] == [original.record(o) for o in future]


def test_state_records_method_parameters_and_history() -> None:
    stair = create_scaler(**GOOD, method="staircase")
    for o in (True, False, 0.25):
        stair.record(o)
    assert stair.state() == {
        "format": STATE_FORMAT,
        "method": "staircase",
        "params": {**GOOD, "initial_step": 0.5, "min_step": 0.0625},
        "outcomes": [1.0, 0.0, 0.25],
        "trials": 3,
        "difficulty": stair.difficulty,
    }


def test_non_default_parameters_survive_the_round_trip() -> None:
    quest = QuestScaler(**GOOD, hazard=0.0, lapse=0.02, n_thresholds=51)
    for o in (True, True, False):
        quest.record(o)
    resumed = restore_scaler(quest.state())
    assert resumed.state() == quest.state()
    assert resumed.record(True) == quest.record(True)


def _state() -> dict:
    scaler = create_scaler(**GOOD, method="staircase")
    scaler.record(True)
    return scaler.state()


@pytest.mark.parametrize(
    ("tamper", "fragment"),
    [
        (lambda s: "not a dict", "scaler state must be a dict, got str"),
        (lambda s: {**s, "format": 99}, "scaler state format 99 is not supported"),
        (lambda s: {k: v for k, v in s.items() if k != "outcomes"}, "scaler state lacks outcomes"),
        (lambda s: {**s, "method": "stare"}, "unknown difficulty method 'stare'"),
        (lambda s: {**s, "params": {**s["params"], "bogus": 1}}, "parameters 'staircase' does not take"),
        (lambda s: {**s, "params": {**s["params"], "target": 2.0}}, "target success rate 2.0 is outside"),
        (lambda s: {**s, "outcomes": [1.0, 7.0]}, "outcome score 7.0 is outside [0, 1]"),
        (lambda s: {**s, "difficulty": 0.77}, "scaler state does not replay: saved difficulty 0.77"),
        (lambda s: {**s, "trials": 5}, "scaler state does not replay"),
        (lambda s: {**s, "outcomes": "1,0"}, "needs a 'params' dict and an 'outcomes' list"),
    ],
)
def test_damaged_states_are_refused(tamper, fragment: str) -> None:  # noqa: ANN001
    with pytest.raises(DifficultyConfigError) as info:
        restore_scaler(tamper(_state()))
    assert fragment in str(info.value)
