"""A due rest break ends a long trial within REST_GRACE_S: uncounted, unscored, logged, and the trial played again."""

from __future__ import annotations

import pytest

from game.core.world import STEP_S, World
from game.input.pose import Pose
from game.level.loader import load_level, shipped_levels
from game.limits import ClinicianLimits, PlayerLimits
from game.session import Session, SessionStep, start_session
from game.session.sitting import REST_GRACE_S
from tests.game.helpers import HOLD, level, wavy_poses, with_changes

LONG_TRACK = {"kind": "track", "title": "Long", "instruction": "Follow", "path": "circle", "size": 0.4,
              "trials": 2, "trial_s": 120.0, "success_fraction": 0.5,
              "knobs": {"speed": {"easy": 0.2, "hard": 0.4}, "radius": {"easy": 0.2, "hard": 0.1}}}


def rests(every_s: float, rest_s: float) -> PlayerLimits:
    return PlayerLimits("kid-07", (ClinicianLimits("all", rest_every_s=every_s, rest_s=rest_s),))


def follow(session: Session, until_s: float) -> list[SessionStep]:
    """A perfect follower (on the target each step) until ``until_s`` of play or the first rest's end."""
    steps = []
    while not session.finished and session.t_s < until_s:
        snap = session.snapshot()
        here = (snap.targets[0].x, snap.targets[0].y) if snap.targets else (0.0, 0.0)
        steps.append(session.advance(Pose(session.t_s, *here, 0.0, 0.0, "deg") if session.wants_pose else None))
        if any(e.kind == "rest_end" for e in steps[-1].events):
            break
    return steps


def kinds(steps: list[SessionStep]) -> list[tuple[float, str, int]]:
    wanted = ("trial_start", "trial_interrupted", "rest_start", "rest_end", "trial_success", "trial_fail")
    return [(round(e.t_s, 6), e.kind, e.trial) for s in steps for e in s.events if e.kind in wanted]


def test_a_rest_due_at_6_s_ends_a_120_s_trial_at_8_s_and_the_trial_is_played_again():
    session = start_session(level(LONG_TRACK), 1, limits=rests(6.0, 5.0))
    before = session.scalers[0].difficulty
    steps = follow(session, 200.0)
    seen = kinds(steps)
    first_rest = next(t for t, kind, _ in seen if kind == "rest_start")
    assert first_rest == pytest.approx(6.0 + REST_GRACE_S) and first_rest == pytest.approx(8.0)
    interrupted = [e for s in steps for e in s.events if e.kind == "trial_interrupted"]
    assert len(interrupted) == 1 and interrupted[0].t_s == first_rest and interrupted[0].trial == 1
    assert interrupted[0].challenge == 0 and interrupted[0].data["counted"] is False
    assert "rest break" in interrupted[0].data["reason"]
    # not a fail for the scaler, not in the success rate, not a result anywhere
    assert not any(s.results or s.changes for s in steps)
    assert session.totals.trials == 0 and session.totals.success_rate is None
    assert session.scalers[0].trials == 0 and session.scalers[0].difficulty == before
    # after the rest the same trial number starts again
    assert [k for k in seen if k[1] == "trial_start"][-1][2] == 1
    more = follow(session, session.t_s + 3.0)
    assert [k[2] for k in kinds(more) if k[1] == "trial_start"] == [1]


def test_a_trial_that_ends_within_the_grace_is_not_interrupted():
    hold = with_changes(HOLD, trials=6, timeout_s=5.0)  # off target: trial 1 runs from 0.5 s to 5.5 s
    session = start_session(level(hold), 1, limits=rests(5.0, 2.0))
    steps = []
    while not any(e.kind == "rest_start" for s in steps for e in s.events):
        steps.append(session.advance(Pose(session.t_s, 0.9, 0.9, 0.0, 0.0, "deg")))
    seen = kinds(steps)
    assert "trial_interrupted" not in [k for _, k, _ in seen]
    rest_t = next(t for t, kind, _ in seen if kind == "rest_start")
    fail_t = [t for t, kind, _ in seen if kind == "trial_fail"][-1]
    assert 5.0 < rest_t < 5.0 + REST_GRACE_S and rest_t == pytest.approx(fail_t + STEP_S) == pytest.approx(5.5)
    assert session.totals.trials == 1  # it ended by itself, so it counts


def test_world_interrupt_trial_is_pure_and_only_acts_on_a_running_trial():
    world = World(level(HOLD), seed=2)
    assert world.interrupt_trial() is None  # the intro: no trial running
    while world.snapshot().phase != "trial":
        world.step((0.9, 0.9))
    for _ in range(60):
        world.step((0.9, 0.9))
    cut = world.interrupt_trial()
    assert cut is not None and (cut.challenge, cut.kind, cut.trial) == (0, "hold", 1)
    assert cut.duration_s == pytest.approx(60 * STEP_S, abs=STEP_S)
    assert world.interrupt_trial() is None and world.score == 0
    step = world.step((0.9, 0.9))  # no feedback pause: the same trial number begins again
    starts = [e for e in step.events if e.kind == "trial_start"]
    assert [e.trial for e in starts] == [1] and not step.results


def test_simulate_and_play_meet_the_same_interruption():
    """Two sessions fed the same samples (as simulate and play are) interrupt at the same step."""
    def run() -> list[tuple[float, str, int]]:
        session = start_session(level(LONG_TRACK), 4, limits=rests(6.0, 5.0))
        return kinds(follow(session, 40.0))

    assert run() == run() and "trial_interrupted" in [k for _, k, _ in run()]


@pytest.mark.parametrize("path", shipped_levels(), ids=lambda p: p.name)
def test_every_kind_plays_the_interrupted_trial_again(path):
    world = World(load_level(path).level, seed=3)
    poses = iter(wavy_poses(120 * 60, STEP_S))

    def control() -> tuple[float, float]:
        """Wander, but go onto a waiting target (a track's start) so that trials begin."""
        snap, pose = world.snapshot(), next(poses)
        return (snap.targets[0].x, snap.targets[0].y) if snap.phase == "home" and snap.targets else (pose.x, pose.y)

    while world.snapshot().phase != "trial":
        world.step(control())
    for _ in range(30):
        world.step(control())
    if world.snapshot().phase != "trial":
        pytest.skip("the first trial ended within 30 steps")
    cut = world.interrupt_trial()
    assert cut is not None and cut.trial == 1
    restarted: list[int] = []
    while not restarted:
        step = world.step(control())
        assert not step.results  # nothing ends before the trial begins again
        restarted = [e.trial for e in step.events if e.kind == "trial_start"]
    assert restarted == [1]
