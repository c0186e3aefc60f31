"""A returning player's bayes scaler begins a new session once per sitting, not once per level."""

from __future__ import annotations

from game.difficulty import create_scaler, restore_scaler
from game.session import Sitting, StoredScaler, start_session
from tests.game.helpers import HOLD, REACH, level

OUTCOMES = [True, True, False, True, True, True, False, True]


def _stored() -> dict[str, StoredScaler]:
    scaler = create_scaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0, method="bayes")
    for outcome in OUTCOMES:
        scaler.record(outcome)
    return {"hold": StoredScaler(scaler.difficulty, scaler.state())}


def _sessions(stored: dict[str, StoredScaler], kind: str = "hold") -> object:
    state = stored[kind].state
    assert isinstance(state, dict)
    return state["sessions"]


def test_the_first_level_of_a_sitting_widens_the_belief_and_later_levels_of_that_sitting_do_not():
    stored, sitting = _stored(), Sitting()
    first = start_session(level(HOLD), 1, stored=stored, sitting=sitting, method="bayes")
    assert sitting.scaler_kinds == {"hold"}
    assert first.plan.starts[0].source == "restored" and "first level of this sitting, new session" \
        in first.plan.starts[0].reason
    assert first.scalers[0].state()["sessions"] == [[len(OUTCOMES), 0.1]]
    # the next level of the same sitting continues the scaler as it was left (here: as stored after the first)
    stored = {"hold": StoredScaler(first.scalers[0].difficulty, first.scalers[0].state())}
    second = start_session(level(HOLD, REACH), 1, stored=stored, sitting=sitting, method="bayes")
    assert second.scalers[0].state() == first.scalers[0].state()
    assert "first level of this sitting" not in second.plan.starts[0].reason
    assert sitting.scaler_kinds == {"hold", "reach"}
    # a new sitting (the next day) widens again: two breaks in the history
    third = start_session(level(HOLD), 1, stored=stored, sitting=Sitting(), method="bayes")
    assert third.scalers[0].state()["sessions"] == [[len(OUTCOMES), 0.1], [len(OUTCOMES), 0.1]]


def test_without_a_sitting_a_session_is_a_sitting_of_its_own():
    stored = _stored()
    session = start_session(level(HOLD), 1, stored=stored, method="bayes")
    expected = restore_scaler(_stored()["hold"].state)  # type: ignore[arg-type]
    reason = expected.new_session()  # type: ignore[attr-defined]
    assert session.scalers[0].state() == expected.state()
    assert session.plan.starts[0].reason.endswith(f"; first level of this sitting, {reason}")
    assert _sessions(stored) == []  # the stored dict itself is not changed
