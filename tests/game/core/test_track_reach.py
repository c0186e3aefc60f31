"""A distance limit bounds the path a track really plays, for every shape and seed."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.core.track import SAMPLES, TrackRun, path_reach_los
from game.input.pose import Pose
from game.level.model import Level, TrackChallenge
from game.limits import ClinicianLimits, LimitsError, PlayerLimits, challenge_band
from game.session import start_session

SHAPES = ("line", "circle", "figure_eight", "random_smooth")
ROUNDING = 1e-12  # points are sums of floats: compare with that much room, a billionth of a millimetre of LOS


def track(shape: str, size: float, centre: tuple[float, float] = (0.0, 0.0), angle_deg: float = 0.0,
          trial_s: float = 3.0, trials: int = 1) -> dict:
    return {"kind": "track", "title": "T", "instruction": "Follow", "path": shape, "size": size, "centre": centre,
            "angle_deg": angle_deg, "trials": trials, "trial_s": trial_s, "success_fraction": 0.5,
            "knobs": {"speed": {"easy": 1.9, "hard": 2.0}, "radius": {"easy": 0.12, "hard": 0.1}}}


def one_track_level(challenge: dict) -> Level:
    return Level.model_validate({"schema_version": 1, "title": "T", "intro_s": 0.5, "rest_s": 0.5,
                                 "challenges": [challenge]})


@st.composite
def tracks(draw) -> TrackChallenge:
    """Any valid track challenge: shape, size, centre and direction (the path stays on the field)."""
    size = draw(st.floats(0.06, 1.0))
    room = 1.0 - size
    radius, angle = draw(st.floats(0.0, room)), draw(st.floats(0.0, math.tau))
    centre = (radius * math.cos(angle), radius * math.sin(angle))
    challenge = track(draw(st.sampled_from(SHAPES)), size, centre, draw(st.floats(-180.0, 180.0)))
    try:
        return TrackChallenge.model_validate(challenge)
    except ValueError:  # |centre| + size a rounding over 1
        return TrackChallenge.model_validate({**challenge, "centre": (0.0, 0.0)})


@given(tracks(), st.integers(0, 2**31 - 1))
@settings(max_examples=150, deadline=None)
def test_no_point_of_the_played_path_is_further_than_its_reach(spec, seed):
    run = TrackRun(0, spec, random.Random(seed), lambda: 0.5, 1 / 120)
    reach = path_reach_los(spec)
    assert reach <= math.hypot(*spec.centre) + spec.size + ROUNDING  # what the level model promises too
    length = run._lengths[-1]
    points = run._path_points + [run._at(length * i / (3 * SAMPLES)) for i in range(3 * SAMPLES + 1)]
    assert max(math.hypot(x, y) for x, y in points) <= reach + ROUNDING


@pytest.mark.parametrize("seed", range(40))
def test_random_smooth_reaches_exactly_its_size_and_no_further(seed):
    spec = TrackChallenge.model_validate(track("random_smooth", 0.5))
    run = TrackRun(0, spec, random.Random(f"proprio/{seed}/0"), lambda: 0.5, 1 / 120)
    furthest = max(math.hypot(x, y) for x, y in run._path_points)
    assert furthest == pytest.approx(0.5, abs=1e-9) and furthest <= 0.5  # before: up to 0.672 for size 0.5


def test_the_fixed_shapes_reach_their_furthest_vertex():
    line = TrackChallenge.model_validate(track("line", 0.4, (0.3, 0.0), angle_deg=90.0))
    assert path_reach_los(line) == pytest.approx(0.5)  # the ends of the line, (0.3, +-0.4)
    circle = TrackChallenge.model_validate(track("circle", 0.4, (0.3, 0.0)))
    assert path_reach_los(circle) == pytest.approx(0.7)


@given(tracks(), st.integers(0, 2**31 - 1), st.floats(0.05, 1.0))
@settings(max_examples=40, deadline=None)
def test_a_session_under_a_distance_limit_never_places_the_target_beyond_it(spec, seed, limit):
    level = one_track_level(spec.model_dump())
    limits = PlayerLimits("kid-07", (ClinicianLimits("all", max_distance_los=limit),))
    try:
        session = start_session(level, seed, limits=limits)
    except LimitsError:
        challenge = level.challenges[0]
        assert isinstance(challenge, TrackChallenge)
        push = min(challenge.knobs.push.easy, challenge.knobs.push.hard)  # the lean the current asks at its weakest
        assert path_reach_los(challenge) + push > limit  # refused only when path and current really go beyond
        return
    furthest = 0.0
    while not session.finished:  # a perfect follower, so every run is played to its end
        snap = session.snapshot()
        for point in [(t.x, t.y) for t in snap.targets] + list(snap.path):
            furthest = max(furthest, math.hypot(*point))
        here = (snap.targets[0].x, snap.targets[0].y) if snap.targets else (0.0, 0.0)
        session.advance(Pose(session.t_s, *here, 0.0, 0.0, "deg") if session.wants_pose else None)
    assert furthest <= limit + ROUNDING


def test_the_band_note_names_the_path_reach():
    spec = TrackChallenge.model_validate(track("random_smooth", 0.65))
    # the path reaches 0.65 and the current (push 0.1 easy to 0.3 hard) asks 0.1 to 0.3 more of a lean
    with pytest.raises(LimitsError, match=r"asks the player to lean at least 0.75 LOS from the centre \(0.65 to its"):
        challenge_band(spec, PlayerLimits("kid-07", (ClinicianLimits("all", max_distance_los=0.7),)).for_kind("track"))
    band = challenge_band(spec, PlayerLimits("kid-07", (ClinicianLimits("all", max_distance_los=0.96),))
                          .for_kind("track"))
    assert (band.floor, band.ceiling) == (0.0, 1.0)
    capped = challenge_band(spec, PlayerLimits("kid-07", (ClinicianLimits("all", max_distance_los=0.85),))
                            .for_kind("track"))
    assert capped.floor == 0.0 and capped.ceiling == pytest.approx(0.5)  # 0.65 + push 0.2 at difficulty 0.5
