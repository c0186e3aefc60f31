"""The simulated player leans against the level's wind by what it sees, as a person does."""

from __future__ import annotations

import math

from game.core.world import World
from game.input.sim import SimulatedPlayer
from tests.game.helpers import level

WINDY = {
    "kind": "hold", "title": "H", "instruction": "H", "trials": 4, "timeout_s": 15.0,
    "knobs": {"radius": {"easy": 0.2, "hard": 0.1}, "hold_s": {"easy": 3.0, "hard": 4.0},
              "push": {"easy": 0.35, "hard": 0.5}},
    "difficulty": {"start": 0.0},
}


def _play(skill: float, seed: int) -> tuple[float, float, int]:
    """Mean distance of the marker from the zone and of the wind's displacement, in trials; successes."""
    world, player = World(level(WINDY), seed), SimulatedPlayer(skill, seed)
    off, blown, n, won = 0.0, 0.0, 0, 0
    while not world.finished:
        player.observe(world.snapshot())
        pose = player.poll(world.t_s)
        step = world.step((pose.x, pose.y))
        won += sum(r.success for r in step.results)
        snap = world.snapshot()
        if snap.phase == "trial":
            off += math.hypot(*snap.marker)
            blown += math.hypot(snap.marker[0] - snap.control[0], snap.marker[1] - snap.control[1])
            n += 1
    return off / n, blown / n, won


def test_a_middle_skill_player_keeps_the_marker_near_the_zone_against_a_wind_that_would_carry_it_off():
    for seed in (1, 2):
        off, blown, won = _play(0.5, seed)
        assert blown > 0.25  # the wind carries the marker about 0.3 LOS off where the player leans ...
        assert off < 0.5 * blown  # ... the player, leaning against it, keeps it much nearer (idle: off == blown)
        assert won >= 2


def test_skill_shows_in_how_well_the_wind_is_countered():
    weak = sum(_play(0.1, seed)[0] for seed in (1, 2))
    strong = sum(_play(0.9, seed)[0] for seed in (1, 2))
    assert strong < weak
