"""A returning player's first trial of a kind in a sitting is a warm-up a stated step below where they left off."""

from __future__ import annotations

import pytest

from game.input.pose import Pose
from game.session import Sitting, StoredScaler, start_session
from game.session.session import WARM_UP_STEP
from tests.game.helpers import HOLD, level, with_changes


def _first_trial_difficulty(session) -> float:
    while True:
        step = session.advance(Pose(session.t_s, 0.0, 0.0, 0.0, 0.0, "deg"))
        if step.results:
            return step.results[0].difficulty


def test_the_first_trial_is_played_a_step_below_the_stored_level_and_the_scaler_is_untouched():
    stored = {"hold": StoredScaler(0.6)}
    session = start_session(level(HOLD), 1, stored=stored, sitting=Sitting())
    start = session.plan.starts[0]
    assert session.scalers[0].difficulty == pytest.approx(0.6)  # the scaler goes on from its own level
    assert start.warm_up == pytest.approx(0.6 - WARM_UP_STEP)
    assert "warm-up" in start.event_data()["warm_up_reason"] and "0.6" in start.event_data()["warm_up_reason"]
    assert _first_trial_difficulty(session) == pytest.approx(0.6 - WARM_UP_STEP)


def test_no_warm_up_for_a_new_player_or_a_later_level_of_the_same_sitting():
    fresh = start_session(level(HOLD), 1, stored={}, sitting=Sitting())
    assert fresh.plan.starts[0].warm_up is None and "warm_up" not in fresh.plan.starts[0].event_data()
    sitting = Sitting()
    start_session(level(HOLD), 1, stored={"hold": StoredScaler(0.6)}, sitting=sitting)
    later = start_session(level(HOLD), 1, stored={"hold": StoredScaler(0.6)}, sitting=sitting)
    assert later.plan.starts[0].warm_up is None
    assert _first_trial_difficulty(later) == pytest.approx(0.6)


def test_the_warm_up_never_goes_below_the_band_floor():
    floored = with_changes(HOLD, difficulty={"start": 0.6, "floor": 0.55, "ceiling": 1.0, "target_success": 0.8})
    session = start_session(level(floored), 1, stored={"hold": StoredScaler(0.6)}, sitting=Sitting())
    assert session.plan.starts[0].warm_up == pytest.approx(0.55)
    at_floor = start_session(level(floored), 1, stored={"hold": StoredScaler(0.55)}, sitting=Sitting())
    assert at_floor.plan.starts[0].warm_up is None  # nothing easier inside the band: no warm-up to claim
