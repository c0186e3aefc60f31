"""Rules of each challenge kind, on scripted inputs."""

from __future__ import annotations

import math

import pytest

from game.core.world import STEP_S, World
from tests.game.helpers import level


def run(world: World, control, seconds: float, stop=None):
    events = []
    for _ in range(int(round(seconds / STEP_S))):
        c = control(world.snapshot()) if callable(control) else control
        events += world.step(c).events
        if stop and stop(events):
            break
    return events


def on_target(snap):
    return (snap.targets[0].x, snap.targets[0].y) if snap.targets else (0.0, 0.0)


WEIGHT_SHIFT = {
    "kind": "weight_shift", "title": "W", "instruction": "W", "pattern": "side_to_side", "cycles": 2, "timeout_s": 5.0,
    "knobs": {"distance": {"easy": 0.5, "hard": 0.8}, "radius": {"easy": 0.2, "hard": 0.1},
              "hold_s": {"easy": 0.5, "hard": 1.0}},
    "difficulty": {"start": 0.0},
}


def test_weight_shift_alternates_sides_without_returning_home():
    world = World(level(WEIGHT_SHIFT), 0)
    events = run(world, on_target, 30, stop=lambda e: any(x.kind == "level_end" for x in e))
    starts = [e.data["direction_deg"] for e in events if e.kind == "trial_start"]
    assert starts == [0.0, 180.0, 0.0, 180.0]
    assert not any(e.kind == "home_reached" for e in events)
    assert sum(e.kind == "trial_success" for e in events) == 4


def test_weight_shift_custom_needs_directions():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="custom"):
        level({**WEIGHT_SHIFT, "pattern": "custom"})


LOS = {
    "kind": "limits_of_stability", "title": "L", "instruction": "L", "order": "clockwise",
    "knobs": {"distance": {"easy": 0.6, "hard": 1.0}, "radius": {"easy": 0.15, "hard": 0.08},
              "hold_s": {"easy": 0.3, "hard": 1.0}},
    "difficulty": {"start": 0.0},
}


def test_limits_of_stability_cues_eight_directions_each_from_a_steady_centre():
    world = World(level(LOS), 0)
    events = run(world, on_target, 60, stop=lambda e: any(x.kind == "level_end" for x in e))
    kinds = [e.kind for e in events if e.kind in ("home_reached", "trial_start")]
    assert kinds == ["home_reached", "trial_start"] * 8  # the first cue waits for home too
    starts = [e.data["direction_deg"] for e in events if e.kind == "trial_start"]
    assert starts == [90.0, 45.0, 0.0, 315.0, 270.0, 225.0, 180.0, 135.0]
    first = next(e for e in events if e.kind == "trial_start")
    assert math.hypot(first.data["target_x"], first.data["target_y"]) == pytest.approx(0.6)


TRACK = {
    "kind": "track", "title": "T", "instruction": "T", "path": "circle", "size": 0.5, "trials": 1, "trial_s": 4.0,
    "success_fraction": 0.6, "knobs": {"speed": {"easy": 0.3, "hard": 0.6}, "radius": {"easy": 0.15, "hard": 0.1},
                                       "push": {"easy": 0.0, "hard": 0.001}},  # calm: see test_push.py
    "difficulty": {"start": 0.0},
}


def test_tracking_on_the_target_succeeds_and_standing_still_fails():
    follow = run(World(level(TRACK), 0), on_target, 20, stop=lambda e: any(x.kind == "level_end" for x in e))
    result = next(e for e in follow if e.kind in ("trial_success", "trial_fail"))
    assert result.kind == "trial_success" and result.data["on_target"] > 0.95

    def wait_then_stay(snap):  # get onto the start point, then stop moving
        return (0.0, 0.5) if snap.phase == "home" or snap.phase == "intro" else (0.0, 0.5)

    still = run(World(level(TRACK), 0), wait_then_stay, 20, stop=lambda e: any(x.kind == "level_end" for x in e))
    result = next(e for e in still if e.kind in ("trial_success", "trial_fail"))
    assert result.kind == "trial_fail" and result.data["on_target"] < 0.3


def test_the_track_target_moves_at_the_knob_speed():
    world = World(level(TRACK), 0)
    run(world, on_target, 0.5 + 0.3 + 0.05)  # intro, start dwell, a few steps
    assert world.snapshot().phase == "trial"
    a = on_target(world.snapshot())
    run(world, on_target, 1.0)
    b = on_target(world.snapshot())
    chord = math.dist(a, b)  # 0.3 LOS of arc on a 0.5 circle: chord = 2 r sin(s / 2r)
    assert chord == pytest.approx(2 * 0.5 * math.sin(0.3 / (2 * 0.5)), abs=0.01)


MAZE = {
    "kind": "maze", "title": "M", "instruction": "M", "walls": [[-0.9, 0.0, 0.9, 0.0]], "start": [0.0, -0.5],
    "goal": [0.0, 0.5], "trials": 1, "timeout_s": 6.0,
    "knobs": {"tilt_accel": {"easy": 2.0, "hard": 3.0}, "goal_radius": {"easy": 0.15, "hard": 0.1}},
    "difficulty": {"start": 0.0},
}


def test_a_wall_stops_the_ball():
    world = World(level(MAZE), 0)
    events = run(world, (0.0, 1.0), 7)  # tilt forward the whole time
    snap_y = [e for e in events if e.kind == "trial_fail"]
    assert snap_y, "the ball must not pass through the wall to the goal"
    assert any(e.kind == "wall_hit" for e in events)


def test_an_open_maze_is_solved_by_tilting_toward_the_goal():
    world = World(level({**MAZE, "walls": [[0.5, -0.2, 0.9, -0.2]]}), 0)
    events = run(world, (0.0, 1.0), 7)
    assert any(e.kind == "trial_success" for e in events)
    assert world.snapshot().marker[1] > 0.3


def test_a_maze_start_inside_a_wall_is_refused():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="overlaps walls"):
        level({**MAZE, "start": [0.0, 0.01]})


COLLECT = {
    "kind": "collect_avoid", "title": "C", "instruction": "C", "trials": 2, "wave_s": 10.0, "success_fraction": 0.3,
    "max_hits": 50, "knobs": {"item_speed": {"easy": 0.3, "hard": 0.6}, "spawn_per_s": {"easy": 1.0, "hard": 2.0},
                             "obstacle_share": {"easy": 0.3, "hard": 0.6}},
    "difficulty": {"start": 0.0},
}


def chase(snap):
    goods = [i for i in snap.items if i.role == "collect"]
    if not goods:
        return (0.0, 0.0)
    nearest = min(goods, key=lambda i: math.dist((i.x, i.y), snap.control))
    return (max(-1, min(1, nearest.x)), max(-1, min(1, nearest.y)))


def test_collecting_items_scores_and_the_spawns_are_seeded():
    events = run(World(level(COLLECT), 3), chase, 30, stop=lambda e: any(x.kind == "level_end" for x in e))
    collected = [e for e in events if e.kind == "item_collected"]
    assert len(collected) >= 5
    waves = [e for e in events if e.kind in ("trial_success", "trial_fail")]
    assert len(waves) == 2 and all(w.data["offered"] > 0 for w in waves)
    again = run(World(level(COLLECT), 3), chase, 30, stop=lambda e: any(x.kind == "level_end" for x in e))
    assert again == events
    other = run(World(level(COLLECT), 4), chase, 30, stop=lambda e: any(x.kind == "level_end" for x in e))
    assert other != events


def test_standing_in_the_way_of_obstacles_counts_hits():
    only_rocks = {**COLLECT, "knobs": {**COLLECT["knobs"], "obstacle_share": {"easy": 0.9, "hard": 0.8},
                                       "item_speed": {"easy": 0.6, "hard": 0.7},
                                       "spawn_per_s": {"easy": 5.0, "hard": 4.0}}}
    events = run(World(level(only_rocks), 1), (0.0, 0.0), 25, stop=lambda e: any(x.kind == "level_end" for x in e))
    assert any(e.kind == "obstacle_hit" for e in events)


def test_a_level_duration_cap_ends_the_level():
    world = World(level(TRACK, duration_s=2.0), 0)
    events = run(world, (0.0, 0.0), 3)
    end = [e for e in events if e.kind == "level_end"]
    assert len(end) == 1 and end[0].data["reason"] == "duration" and end[0].t_s == pytest.approx(2.0)


def test_level_feedback_words_and_sounds_reach_the_snapshot_and_events():
    hold = {"kind": "hold", "title": "H", "instruction": "H", "trials": 1, "timeout_s": 5.0,
            "knobs": {"radius": {"easy": 0.3, "hard": 0.1}, "hold_s": {"easy": 0.5, "hard": 1.0},
                      "push": {"easy": 0.0, "hard": 0.001}},  # calm: this is about the words
            "feedback": {"success_messages": ["Yay!"], "success_sound": "fanfare"}}
    world = World(level(hold), 0)
    events = run(world, (0.0, 0.0), 1.5)
    success = next(e for e in events if e.kind == "trial_success")
    assert success.data["sound"] == "fanfare"
    assert world.snapshot().message == "Yay!"


def test_segment_geometry_shared_by_validator_and_core():
    from game.geometry import closest_on_segment, segment_distance

    assert closest_on_segment((0.5, 1.0), (0.0, 0.0, 1.0, 0.0)) == (0.5, 0.0)
    assert closest_on_segment((2.0, 1.0), (0.0, 0.0, 1.0, 0.0)) == (1.0, 0.0)  # clamped to the end
    assert segment_distance((0.3, 0.4), (0.0, 0.0, 0.0, 0.0)) == pytest.approx(0.5)  # a point segment
