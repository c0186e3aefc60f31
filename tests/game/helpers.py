"""Small builders shared by the game tests: levels from dicts, scripted sample streams."""

from __future__ import annotations

import copy
import math

from game.input.pose import Pose
from game.level.model import Level

HOLD = {
    "kind": "hold",
    "title": "Hold",
    "instruction": "Hold still",
    "trials": 3,
    "timeout_s": 5.0,
    "knobs": {
        "radius": {"easy": 0.3, "hard": 0.1},
        "hold_s": {"easy": 1.0, "hard": 3.0},
        "push": {"easy": 0.0, "hard": 0.2},
    },
    "difficulty": {"start": 0.0, "floor": 0.0, "ceiling": 1.0, "target_success": 0.8},
}
REACH = {
    "kind": "reach",
    "title": "Reach",
    "instruction": "Reach",
    "directions_deg": [90, 0, 270, 180],
    "order": "listed",
    "timeout_s": 4.0,
    "knobs": {
        "distance": {"easy": 0.5, "hard": 0.9},
        "radius": {"easy": 0.2, "hard": 0.1},
        "dwell_s": {"easy": 0.5, "hard": 1.0},
    },
    "difficulty": {"start": 0.0, "floor": 0.0, "ceiling": 1.0, "target_success": 0.8},
}


def level(*challenges: dict, **fields) -> Level:
    """A valid level made of the given challenge dicts (deep-copied)."""
    data = {"schema_version": 1, "title": "Test", "intro_s": 0.5, "rest_s": 0.5, **fields}
    data["challenges"] = [copy.deepcopy(c) for c in challenges]
    return Level.model_validate(data)


def with_changes(base: dict, **changes) -> dict:
    """A copy of a challenge dict with top-level fields replaced."""
    out = copy.deepcopy(base)
    out.update(changes)
    return out


def wavy_poses(n: int, step_s: float, seed: int = 0) -> list[Pose]:
    """A deterministic, wandering input stream that visits the whole field."""
    poses = []
    for i in range(n):
        t = i * step_s
        x = 0.8 * math.sin(0.7 * t + seed) * math.cos(0.13 * t)
        y = 0.8 * math.sin(0.45 * t + 2 * seed)
        poses.append(Pose(t, x, y, x * 10, y * 10, "deg"))
    return poses
