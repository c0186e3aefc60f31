"""The session's rules beyond the core: the clinician's sitting (session length, rest breaks) as phases."""

from __future__ import annotations

import pytest

from game.core.world import STEP_S
from game.input.pose import Pose
from game.limits import ClinicianLimits, PlayerLimits, SessionLimits
from game.session import Session, Sitting, start_session
from tests.game.helpers import HOLD, level

STILL = Pose(0.0, 0.0, 0.0, 0.0, 0.0, "deg")


def test_the_sitting_counts_across_levels_and_schedules_rests_from_the_last_one():
    sitting = Sitting(SessionLimits(max_session_s=100.0, rest_every_s=30.0, rest_s=5.0))
    assert not sitting.rest_due(29.9) and sitting.rest_due(30.0)
    sitting.rested(31.0)
    assert not sitting.rest_due(60.9) and sitting.rest_due(61.0)
    sitting.end_level(70.0)
    assert sitting.total_s(10.0) == 80.0 and not sitting.time_up(29.0) and sitting.time_up(30.0)
    data = sitting.time_up_data(30.0)
    assert data["played_s"] == 100.0 and "maximum session length of 1.66667 min (100 s)" in data["reason"]
    assert "5 s after every 0.5 min (30 s) of play" in sitting.rest_data(0.0)["reason"]
    free = Sitting(SessionLimits())
    assert not free.time_up(1e9) and not free.rest_due(1e9)


def _play(session: Session, max_steps: int = 200_000) -> list:
    steps = []
    while not session.finished and len(steps) < max_steps:
        steps.append(session.advance(STILL if session.wants_pose else None))
    return steps


def _limits(**values: float) -> PlayerLimits:
    return PlayerLimits("p", (ClinicianLimits("all", **values),))


def test_a_rest_break_freezes_the_world_for_its_length_in_steps_and_never_cuts_a_trial():
    lvl = level(dict(HOLD, trials=6))
    session = start_session(lvl, seed=1, limits=_limits(rest_every_s=4.0, rest_s=2.0))
    steps = _play(session)
    kinds = [(e.kind, e.t_s) for s in steps for e in s.events if e.kind in ("rest_start", "rest_end")]
    assert kinds and kinds[0][0] == "rest_start" and len(kinds) % 2 == 0
    for (start, t0), (end, t1) in zip(kinds[::2], kinds[1::2], strict=True):
        assert (start, end) == ("rest_start", "rest_end") and t0 == t1 >= 4.0 - 1e-9
    resting = [s for s in steps if not s.played]
    assert len(resting) == round(2.0 / STEP_S) * (len(kinds) // 2)  # 240 world-frozen steps per rest
    assert all(s.results == [] and s.changes == [] for s in resting)
    played_t = [s.t_s for s in steps if s.played]
    assert played_t == sorted(played_t) and len(set(played_t)) == len(played_t)  # world time never repeats
    trial_windows, opened = [], None
    for s in steps:
        for e in s.events:
            if e.kind == "trial_start":
                opened = e.t_s
            elif e.kind in ("trial_success", "trial_fail"):
                trial_windows.append((opened, e.t_s))
    for _, t0 in kinds[::2]:
        assert not any(a < t0 < b for a, b in trial_windows)


def test_the_session_length_ends_the_level_at_the_limit_and_the_time_carries_to_the_next_level():
    lvl = level(dict(HOLD, trials=20))
    sitting = Sitting(SessionLimits(max_session_s=12.0))
    first = start_session(lvl, seed=1, sitting=sitting, stop_at_s=5.0)
    _play(first)
    assert first.finished and first.ended_by == "duration" and first.t_s == pytest.approx(5.0)
    first.end()
    first.end()  # banked once
    assert sitting.played_s == pytest.approx(5.0) and not first.time_up
    second = start_session(lvl, seed=2, sitting=sitting)
    steps = _play(second)
    assert second.ended_by == "session_limit" and second.time_up
    assert second.t_s == pytest.approx(7.0)  # 12 s of the sitting less the first level's 5 s
    last = steps[-1]
    assert [e.kind for e in last.events] == ["session_limit"] and not last.played
    assert last.events[0].data["played_s"] == pytest.approx(12.0)
    with pytest.raises(RuntimeError):
        second.advance(STILL)


def test_a_playing_session_needs_a_sample_and_a_level_without_limits_has_no_sitting_event():
    session = start_session(level(HOLD), seed=3)
    with pytest.raises(ValueError):
        session.advance(None)
    steps = _play(session)
    assert session.ended_by == "level_end"
    assert not any(e.kind in ("rest_start", "rest_end", "session_limit") for s in steps for e in s.events)
