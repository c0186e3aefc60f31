"""Resuming a player's scalers across sessions, and same-kind challenges sharing one scaler."""

from __future__ import annotations

import json

import pytest

from game.core.world import STEP_S
from game.difficulty import create_scaler, restore_scaler
from game.input.pose import Pose
from game.limits import ClinicianLimits, PlayerLimits
from game.session import Session, StoredScaler, resume_scalers, scalers_for
from tests.game.helpers import HOLD, REACH, level, with_changes

OUTCOMES = [True, True, False, True, True, True, False, True, True, True]


def _stored_after(outcomes, **band) -> StoredScaler:
    settings = {"target": 0.8, "start": 0.0, "floor": 0.0, "ceiling": 1.0, **band}
    scaler = create_scaler(**settings)
    for outcome in outcomes:
        scaler.record(outcome)
    return StoredScaler(scaler.difficulty, json.dumps(scaler.state()))


STATE = json.loads(_stored_after(OUTCOMES).state)
CALM = with_changes(HOLD, timeout_s=4.0, knobs={**HOLD["knobs"], "wobble": {"easy": 0.0, "hard": 0.001}})


def test_without_a_stored_scaler_each_kind_starts_at_the_level_start():
    plan = resume_scalers(level(with_changes(HOLD, difficulty={**HOLD["difficulty"], "start": 0.3}), REACH))
    assert [s.source for s in plan.starts] == ["new", "new"]
    assert [s.difficulty for s in plan.starts] == [0.3, 0.0]
    assert plan.starts[0].reason == "new hold scaler at the level's start 0.3; quest, target 80 %, band [0, 1]"


def test_a_compatible_stored_scaler_is_restored_and_decides_exactly_as_if_never_interrupted():
    uninterrupted = create_scaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0)
    for outcome in OUTCOMES:
        uninterrupted.record(outcome)
    plan = resume_scalers(level(HOLD), {"hold": _stored_after(OUTCOMES)})
    start = plan.starts[0]
    assert start.source == "restored" and start.trials_before == len(OUTCOMES)
    assert start.difficulty == uninterrupted.difficulty
    assert start.reason.startswith("restored the player's hold scaler: 10 earlier trials, continues at 0.")
    resumed = plan.scalers[0]
    for outcome in [False, True, True, False, True]:
        assert resumed.record(outcome) == uninterrupted.record(outcome)


def test_an_incompatible_band_starts_a_new_scaler_at_the_stored_difficulty_moved_into_the_band():
    stored = _stored_after(OUTCOMES)
    assert stored.difficulty > 0.2
    limits = PlayerLimits("kid-1", (ClinicianLimits("hold", ceiling=0.2),))
    start = resume_scalers(level(HOLD), {"hold": stored}, limits).starts[0]
    assert start.source == "new" and start.difficulty == 0.2 and start.ceiling == 0.2 and start.trials_before == 0
    assert start.reason == (
        f"new hold scaler at the player's stored difficulty {round(stored.difficulty, 3):g},"
        " moved into the band to 0.2;"
        " history not replayed: it was stored with target 80 %, band [0, 1], this challenge has target 80 %,"
        " band [0, 0.2]; quest, target 80 %, band [0, 0.2]: ceiling 0.2 from the clinician (hold)")


@pytest.mark.parametrize("state, problem", [
    ("{not json", "the stored state is not valid JSON"),
    ("[1, 2]", "the stored state is not a JSON object"),
    (json.dumps({**STATE, "difficulty": 0.123}), "the stored state does not restore (scaler state does not replay"),
    (json.dumps({**STATE, "method": "staircase"}), "it used method 'staircase', this session uses 'quest'"),
    (json.dumps({**STATE, "params": {**STATE["params"], "hazard": 0.05}}),
     "the quest parameters changed since it was stored"),
])
def test_a_stored_state_that_cannot_continue_is_not_replayed_and_the_reason_says_why(state, problem):
    stored = StoredScaler(0.4, state)
    start = resume_scalers(level(HOLD), {"hold": stored}).starts[0]
    assert start.source == "new" and start.difficulty == 0.4
    assert f"history not replayed: {problem}" in start.reason


def test_a_stored_difficulty_without_state_is_the_start_and_a_broken_one_is_ignored():
    assert resume_scalers(level(HOLD), {"hold": StoredScaler(0.45)}).starts[0].difficulty == 0.45
    start = resume_scalers(level(HOLD), {"hold": StoredScaler(float("nan"))}).starts[0]
    assert start.difficulty == 0.0 and "stored difficulty nan is not a number in [0, 1]" in start.reason
    assert [s.difficulty for s in scalers_for(level(HOLD), {"hold": 1.0})] == [1.0]  # the old entry point


def _play(session: Session, pose_for) -> tuple[list, list]:
    results, changes = [], []
    for _ in range(200_000):
        if session.finished:
            return results, changes
        step = session.advance(pose_for(session.snapshot()))
        results.extend(step.results)
        changes.extend(step.changes)
    raise AssertionError("the level did not end")


def _stay_home(snap) -> Pose:
    if snap.phase == "trial" and snap.targets:
        target = snap.targets[0]
        return Pose(snap.t_s, target.x, target.y, 0.0, 0.0, "deg")
    return Pose(snap.t_s, 0.0, 0.0, 0.0, 0.0, "deg")


def test_two_challenges_of_one_kind_with_the_same_band_share_one_scaler_through_the_session():
    lvl = level(with_changes(CALM, trials=3), REACH, with_changes(CALM, trials=2))
    plan = resume_scalers(lvl)
    assert plan.scalers[0] is plan.scalers[2] and plan.scalers[1] is not plan.scalers[0]
    assert plan.starts[2].source == "shared" and "shares the hold scaler of challenge 1" in plan.starts[2].reason
    session = Session(lvl, 3, plan.scalers)
    results, changes = _play(session, _stay_home)
    holds = [r for r in results if r.kind == "hold"]
    hold_changes = [c for c in changes if c.kind == "hold"]
    assert [r.challenge for r in holds] == [0, 0, 0, 2, 2] and all(r.success for r in holds)
    # The second hold challenge plays where the first left the shared scaler (not at the level's start 0).
    assert holds[3].difficulty == hold_changes[2].new > 0.0
    assert holds[4].difficulty == hold_changes[3].new
    assert [c.trial for c in hold_changes] == [1, 2, 3, 1, 2]  # trials still count per challenge
    assert plan.scalers[0].trials == 5
    assert plan.to_store() == {"hold": plan.scalers[0], "reach": plan.scalers[1]}


def test_same_kind_challenges_with_different_bands_get_their_own_scalers_and_the_last_played_is_stored():
    capped = with_changes(CALM, trials=2, difficulty={**HOLD["difficulty"], "ceiling": 0.5})
    lvl = level(with_changes(CALM, trials=2), capped)
    plan = resume_scalers(lvl, {"hold": _stored_after(OUTCOMES)})
    assert plan.scalers[0] is not plan.scalers[1]
    assert [s.source for s in plan.starts] == ["restored", "new"]
    assert plan.to_store() == {}  # nothing played yet: the stored row stays as it is
    session = Session(lvl, 1, plan.scalers)
    for _ in range(int(4.0 / STEP_S)):  # play into the first challenge only
        session.advance(_stay_home(session.snapshot()))
    assert plan.scalers[0].trials > len(OUTCOMES) and plan.scalers[1].trials == 0
    assert plan.to_store() == {"hold": plan.scalers[0]}
    _play(session, _stay_home)
    assert plan.to_store() == {"hold": plan.scalers[1]}  # the latest challenge that played wins


def test_restoring_through_the_json_the_runner_stores_replays_exactly():
    scaler = create_scaler(target=0.8, start=0.2, floor=0.0, ceiling=1.0)
    for outcome in OUTCOMES:
        scaler.record(outcome)
    text = json.dumps(scaler.state())
    assert restore_scaler(json.loads(text)).state() == scaler.state()
    plan = resume_scalers(level(HOLD), {"hold": StoredScaler(scaler.difficulty, text)})
    assert plan.scalers[0].state() == scaler.state()
