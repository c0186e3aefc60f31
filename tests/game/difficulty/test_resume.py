"""Resuming a player's scalers across sessions, and same-kind challenges sharing one scaler."""

from __future__ import annotations

import json

import pytest

from game.core.world import STEP_S
from game.difficulty import create_scaler, rebind, restore_scaler
from game.input.pose import Pose
from game.limits import ClinicianLimits, PlayerLimits, fmt
from game.session import Session, StoredScaler, resume_scalers, scalers_for
from tests.game.helpers import HOLD, REACH, level, with_changes

OUTCOMES = [True, True, False, True, True, True, False, True, True, True]


def _stored_after(outcomes, **band) -> StoredScaler:
    settings = {"target": 0.8, "start": 0.0, "floor": 0.0, "ceiling": 1.0, **band}
    scaler = create_scaler(**settings, method="quest")  # a method whose history is tied to its band
    for outcome in outcomes:
        scaler.record(outcome)
    return StoredScaler(scaler.difficulty, json.dumps(scaler.state()))


STATE = json.loads(_stored_after(OUTCOMES).state)
CALM = with_changes(HOLD, timeout_s=4.0, knobs={**HOLD["knobs"], "push": {"easy": 0.0, "hard": 0.001}})


def test_without_a_stored_scaler_each_kind_starts_at_the_level_start():
    plan = resume_scalers(level(with_changes(HOLD, difficulty={**HOLD["difficulty"], "start": 0.3}), REACH),
                          method="quest")
    assert [s.source for s in plan.starts] == ["new", "new"]
    assert [s.difficulty for s in plan.starts] == [0.3, 0.0]
    assert plan.starts[0].reason == "new hold scaler at the level's start 0.3; quest, target 80 %, band [0, 1]"


def test_a_compatible_stored_scaler_is_restored_and_decides_exactly_as_if_never_interrupted():
    uninterrupted = create_scaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, method="quest")
    for outcome in OUTCOMES:
        uninterrupted.record(outcome)
    plan = resume_scalers(level(HOLD), {"hold": _stored_after(OUTCOMES)}, method="quest")
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
    start = resume_scalers(level(HOLD), {"hold": stored}, limits, method="quest").starts[0]
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
    start = resume_scalers(level(HOLD), {"hold": stored}, method="quest").starts[0]
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
    plan = resume_scalers(lvl, {"hold": _stored_after(OUTCOMES)}, method="quest")
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


# -- bayes: a band-free history, a new session once per sitting ------------------------------------
def _bayes_state(outcomes=OUTCOMES, **band) -> dict:
    settings = {"target": 0.8, "start": 0.0, "floor": 0.0, "ceiling": 1.0, **band}
    scaler = create_scaler(method="bayes", **settings)
    for outcome in outcomes:
        scaler.record(outcome)
    return scaler.state()


def test_a_stored_bayes_history_survives_the_clinicians_changed_limits_through_rebind():
    state = _bayes_state()
    limits = PlayerLimits("kid-1", (ClinicianLimits("hold", target_success=0.7, floor=0.1, ceiling=0.5),))
    plan = resume_scalers(level(HOLD), {"hold": StoredScaler(state["difficulty"], json.dumps(state))}, limits,
                          method="bayes")
    start, scaler = plan.starts[0], plan.scalers[0]
    expected = restore_scaler(rebind(state, target=0.7, floor=0.1, ceiling=0.5))
    assert start.source == "restored" and start.trials_before == len(OUTCOMES) == scaler.trials
    assert scaler.state() == expected.state()
    assert (scaler.target, scaler.floor, scaler.ceiling) == (0.7, 0.1, 0.5)
    assert start.difficulty == expected.difficulty
    assert start.reason == (
        f"restored the player's hold scaler: 10 earlier trials kept under the new limits (stored with target 80 %,"
        f" band [0, 1]), continues at {fmt(expected.difficulty)}; bayes, target 70 %, band [0.1, 0.5]:"
        " target 70 % from the clinician (hold); ceiling 0.5 from the clinician (hold);"
        " floor 0.1 from the clinician (hold)")
    for outcome in [False, True, True, False, True]:  # and it decides exactly as the rebound history would
        assert scaler.record(outcome) == expected.record(outcome)


def test_a_bayes_history_with_the_same_band_is_restored_without_a_rebind_and_another_start_is_no_obstacle():
    state = _bayes_state(start=0.3)  # start and prior_threshold belong to the history, not to the model
    plan = resume_scalers(level(HOLD), {"hold": StoredScaler(state["difficulty"], state)}, method="bayes")
    assert plan.starts[0].source == "restored"
    assert plan.scalers[0].state() == restore_scaler(state).state()
    assert plan.starts[0].reason == (f"restored the player's hold scaler: 10 earlier trials, continues at"
                                     f" {fmt(state['difficulty'])}; bayes, target 80 %, band [0, 1]")


@pytest.mark.parametrize("change", [{"session_sd": 0.2}, {"n_spreads": 5}, {"mode_switch": 0.05},
                                    {"balance_cap": 0.05}])
def test_a_bayes_history_with_other_model_parameters_is_not_replayed(change):
    state = _bayes_state()
    state = {**state, "params": {**state["params"], **change}}
    start = resume_scalers(level(HOLD), {"hold": StoredScaler(0.4, state)}, method="bayes").starts[0]
    assert start.source == "new" and start.difficulty == 0.4 and start.trials_before == 0
    assert start.reason == ("new hold scaler at the player's stored difficulty 0.4; history not replayed:"
                            " the bayes parameters changed since it was stored; bayes, target 80 %, band [0, 1]")


def test_the_first_level_of_a_sitting_begins_a_new_bayes_session_and_the_reason_says_so():
    state = _bayes_state()
    stored = {"hold": StoredScaler(state["difficulty"], state)}
    expected = restore_scaler(state)
    widened = expected.new_session()
    plan = resume_scalers(level(HOLD), stored, method="bayes", new_sitting={"hold"})
    start, scaler = plan.starts[0], plan.scalers[0]
    assert scaler.state() == expected.state() and scaler.state()["sessions"] == [[10, 0.1]]
    assert start.difficulty == expected.difficulty and start.trials_before == 10
    assert start.reason == (f"restored the player's hold scaler: 10 earlier trials, continues at"
                            f" {fmt(state['difficulty'])}; bayes, target 80 %, band [0, 1];"
                            f" first level of this sitting, {widened}")
    # a kind that is not new to the sitting, or a method without sessions, continues as stored
    assert resume_scalers(level(HOLD), stored, method="bayes", new_sitting={"reach"}).scalers[0].state() == state
    quest = {"hold": _stored_after(OUTCOMES)}
    assert (resume_scalers(level(HOLD), quest, method="quest", new_sitting={"hold"}).starts[0].reason
            == resume_scalers(level(HOLD), quest, method="quest").starts[0].reason)


def test_same_kind_challenges_sharing_a_bayes_scaler_widen_it_once():
    state = _bayes_state()
    plan = resume_scalers(level(HOLD, REACH, HOLD), {"hold": StoredScaler(state["difficulty"], state)},
                          method="bayes", new_sitting={"hold", "reach"})
    assert plan.scalers[0] is plan.scalers[2] and plan.starts[2].source == "shared"
    assert plan.scalers[0].state()["sessions"] == [[10, 0.1]]
    assert plan.starts[1].source == "new" and "first level of this sitting" not in plan.starts[1].reason
