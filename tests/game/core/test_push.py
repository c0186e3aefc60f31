"""The level's push (game/core/push.py): a seeded wandering wind whose displacement builds up until leaned against."""

from __future__ import annotations

import math
import random
import statistics

import pytest
from pydantic import ValidationError

from game.core.push import GUST_LOW, Pusher, Wind
from game.core.world import STEP_S, World
from game.level.model import HoldKnobs, TrackKnobs
from tests.game.helpers import level

WINDY_HOLD = {
    "kind": "hold", "title": "H", "instruction": "H", "trials": 2, "timeout_s": 6.0,
    "knobs": {"radius": {"easy": 0.2, "hard": 0.1}, "hold_s": {"easy": 2.0, "hard": 3.0},
              "push": {"easy": 0.3, "hard": 0.5}},
    "difficulty": {"start": 0.0},
}
WINDY_TRACK = {
    "kind": "track", "title": "T", "instruction": "T", "path": "circle", "size": 0.5, "trials": 1, "trial_s": 6.0,
    "success_fraction": 0.6,
    "knobs": {"speed": {"easy": 0.3, "hard": 0.6}, "radius": {"easy": 0.15, "hard": 0.1},
              "push": {"easy": 0.3, "hard": 0.5}},
    "difficulty": {"start": 0.0},
}


def test_the_wind_is_seeded_smooth_gusting_and_turns_within_seconds():
    spells = []
    for seed in range(20):
        wind = Wind.seeded(random.Random(seed))
        assert wind == Wind.seeded(random.Random(seed))
        headings = [wind.heading(i * STEP_S) for i in range(120 * 60)]
        steps = [abs(b - a) for a, b in zip(headings, headings[1:], strict=False)]
        assert max(steps) < 1.0 * STEP_S  # never turns faster than 1 rad/s: smooth enough to follow
        spans = [max(headings[i:i + 120 * 8]) - min(headings[i:i + 120 * 8]) for i in range(0, 120 * 52, 120 * 8)]
        spells.extend(spans)
        strengths = [wind.strength(i * 0.05) for i in range(1200)]
        assert GUST_LOW - 1e-12 <= min(strengths) and max(strengths) <= 1.0 + 1e-12
    assert Wind.seeded(random.Random(1)) != Wind.seeded(random.Random(2))
    assert statistics.median(spells) > 1.0  # in eight seconds the wind usually turns through a radian or more
    assert sum(span > 0.5 for span in spells) >= 0.85 * len(spells) and min(spells) > 0.15


def test_the_displacement_builds_up_to_the_push_and_never_beyond():
    pusher = Pusher(random.Random(4), STEP_S, 0.4)
    sizes = [math.hypot(*pusher.blow()) for _ in range(120 * 60)]
    assert sizes[0] < 0.01  # it starts from still air ...
    assert sizes[120 * 2] > 0.25  # ... and within two seconds has carried the marker most of the way
    assert max(sizes) <= 0.4 + 1e-12
    assert min(sizes[120 * 3:]) > 0.7 * 0.4  # and keeps it there for as long as the wind blows


def _play(lvl, control):
    world = World(lvl, 7)
    results, pushes = [], []
    while not world.finished:
        snap = world.snapshot()
        step = world.step(control(snap))
        results.extend(step.results)
        pushes.append((world.snapshot().phase, world.snapshot().push))
    return results, pushes, world


def test_doing_nothing_fails_a_windy_hold_and_leaning_against_the_wind_wins_it():
    idle, pushes, _ = _play(level(WINDY_HOLD), lambda snap: (0.0, 0.0))
    assert [r.success for r in idle] == [False, False]
    assert idle[0].params["push"] == pytest.approx(0.3)

    def lean_against(snap):  # lean by the displacement it sees (marker - control), the other way
        return (snap.control[0] - snap.marker[0], snap.control[1] - snap.marker[1])

    leaned, _, _ = _play(level(WINDY_HOLD), lean_against)
    assert [r.success for r in leaned] == [True, True]
    trial_pushes = [math.hypot(*p) for phase, p in pushes if phase == "trial"]
    assert min(trial_pushes) >= GUST_LOW * 0.3 - 1e-9 and max(trial_pushes) <= 0.3 + 1e-9
    assert all(p == (0.0, 0.0) for phase, p in pushes if phase in ("rest", "done"))


def test_the_wind_is_the_same_on_the_same_seed_whatever_the_frame_and_differs_between_seeds():
    a = [World(level(WINDY_HOLD), 3) for _ in range(2)] + [World(level(WINDY_HOLD), 4)]
    markers = [[w.step((0.1, 0.0)) and w.snapshot().marker for _ in range(600)] for w in a]
    assert markers[0] == markers[1] and markers[0] != markers[2]


def test_a_track_is_calm_on_its_start_and_the_current_carries_the_marker_while_the_target_moves():
    _, pushes, _ = _play(level(WINDY_TRACK), lambda snap: (snap.targets[0].x, snap.targets[0].y)
                         if snap.targets else (0.0, 0.0))
    assert all(p == (0.0, 0.0) for phase, p in pushes if phase in ("home", "feedback"))
    assert any(math.hypot(*p) > 0.2 for phase, p in pushes if phase == "trial")
    world = World(level(WINDY_TRACK), 7)
    while world.snapshot().phase != "trial":  # stand on the start: calm, the marker where the player leans
        snap = world.snapshot()
        target = (snap.targets[0].x, snap.targets[0].y) if snap.targets else (0.0, 0.5)
        world.step(target)
        if world.snapshot().phase == "home":
            assert world.snapshot().marker == world.snapshot().control
    for _ in range(240):
        world.step((0.0, 0.5))
    snap = world.snapshot()
    assert math.dist(snap.marker, snap.control) > 0.2  # two seconds into the run the current has carried it off


def test_older_files_name_the_push_wobble_and_both_names_together_are_refused():
    old = HoldKnobs.model_validate({"radius": {"easy": 0.3, "hard": 0.1}, "hold_s": {"easy": 1.0, "hard": 2.0},
                                    "wobble": {"easy": 0.1, "hard": 0.2}})
    assert (old.push.easy, old.push.hard) == (0.1, 0.2)
    with pytest.raises(ValidationError, match="wobble is the old name of push; keep only push"):
        TrackKnobs.model_validate({"speed": {"easy": 0.1, "hard": 0.2}, "radius": {"easy": 0.2, "hard": 0.1},
                                   "wobble": {"easy": 0.1, "hard": 0.2}, "push": {"easy": 0.1, "hard": 0.2}})
    with pytest.raises(ValidationError, match=r"push.hard = 0.9 is outside \[0.0, 0.6\] LOS"):
        HoldKnobs.model_validate({"radius": {"easy": 0.3, "hard": 0.1}, "hold_s": {"easy": 1.0, "hard": 2.0},
                                  "push": {"easy": 0.1, "hard": 0.9}})


def test_a_zone_so_far_out_that_the_wind_cannot_be_leaned_against_is_refused_with_what_to_write():
    from game.level.model import HoldChallenge

    far = {"kind": "hold", "title": "H", "instruction": "H", "trials": 1, "timeout_s": 5.0, "centre": (0.8, 0.0),
           "knobs": {"radius": {"easy": 0.2, "hard": 0.1}, "hold_s": {"easy": 1.0, "hard": 2.0}}}
    with pytest.raises(ValidationError, match=r"lean 1.30 LOS .* write knobs.push with both ends at most 0.20"):
        HoldChallenge.model_validate(far)
    calm = HoldChallenge.model_validate({**far, "knobs": {**far["knobs"], "push": {"easy": 0.1, "hard": 0.2}}})
    assert calm.knobs.push.hard == 0.2
