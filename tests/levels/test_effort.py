"""Effort wins, on every input (issue 12): doing nothing fails the balance challenges, held keys reach every target.

Played headless through the same session the game steps (``start_session``/``step_from``):
an untouched keyboard against every shipped hold and track, the simulated player of middle
skill against the same challenges, and a keyboard player holding the arrow keys toward every
shipped reach, weight-shift and limits-of-stability target at the easiest and hardest settings.
"""

from __future__ import annotations

import math

import pytest

from game.core.world import World
from game.input.keyboard import KeyboardSource
from game.input.sim import SimulatedPlayer
from game.level.loader import level_name, load_level, shipped_levels
from game.level.model import Level
from game.session import StoredScaler, start_session, step_from
from game.session.session import SessionStep

BALANCE = ("hold", "track")  # the kinds whose perturbation makes doing nothing fail
TARGETS = ("reach", "weight_shift", "limits_of_stability")
LEVELS = {level_name(p): load_level(p).level for p in shipped_levels()}
PLAY_CAP_S = 600.0  # an idle player never starts a track run (it waits on the start): stop there


def _with(kinds: tuple[str, ...]) -> list[str]:
    return [name for name, level in LEVELS.items() if any(c.kind in kinds for c in level.challenges)]


def _play(level: Level, seed: int, source: KeyboardSource | SimulatedPlayer,
          stored: dict[str, StoredScaler]) -> list[SessionStep]:
    session = start_session(level, seed, stored=stored, stop_at_s=PLAY_CAP_S)
    steps = []
    while not session.finished:
        steps.append(step_from(session, source))
    session.end()
    for kind, scaler in session.plan.to_store().items():
        stored[kind] = StoredScaler(scaler.difficulty, scaler.state())
    return steps


@pytest.mark.parametrize("name", _with(BALANCE))
def test_an_untouched_keyboard_fails_the_holds_and_tracks(name):
    level = LEVELS[name]
    planned = sum(c.trials for c in level.challenges if c.kind in BALANCE)
    won = 0
    for seed in (1, 2):
        steps = _play(level, seed, KeyboardSource(), {})
        won += sum(r.success for s in steps for r in s.results if r.kind in BALANCE)
    assert won <= 0.25 * 2 * planned, f"{name}: an idle keyboard won {won} of {2 * planned} hold/track trials"


@pytest.mark.parametrize("name", _with(BALANCE))
def test_a_middle_skill_player_stays_near_the_target_success_rate(name):
    level = LEVELS[name]
    targets = {c.kind: c.difficulty.target_success for c in level.challenges if c.kind in BALANCE}
    outcomes: dict[str, list[bool]] = {kind: [] for kind in targets}
    stored: dict[str, StoredScaler] = {}
    for play in range(4):  # plays carry the scalers, as `proprio play` does from one sitting to the next
        steps = _play(level, 10 + play, SimulatedPlayer(0.5, seed=10 + play), stored)
        for result in (r for s in steps for r in s.results if r.kind in targets):
            outcomes[result.kind].append(result.success)
    for kind, results in outcomes.items():
        late = results[len(results) // 3:]  # once the scaler has had a few trials to find the player
        rate = sum(late) / len(late)
        assert abs(rate - targets[kind]) <= 0.2, f"{name} {kind}: {rate:.0%} of {len(late)} against {targets[kind]:.0%}"


class KeyPresser:
    """A keyboard player: holds the arrows toward the shown target (or home), lets go on it."""

    def __init__(self) -> None:
        self.keys = KeyboardSource()

    def press(self, world: World) -> tuple[float, float]:
        snap = world.snapshot()
        held: set[str] = set()
        if snap.phase in ("trial", "home") and snap.targets:
            target = snap.targets[0]
            tolerance = target.radius * 0.3
            dx, dy = target.x - snap.marker[0], target.y - snap.marker[1]
            if dx > tolerance:
                held.add("right")
            elif dx < -tolerance:
                held.add("left")
            if dy > tolerance:
                held.add("up")
            elif dy < -tolerance:
                held.add("down")
        self.keys.set_held(frozenset(held))
        pose = self.keys.poll(world.t_s)
        return (pose.x, pose.y)


@pytest.mark.parametrize("difficulty", [0.0, 1.0])
@pytest.mark.parametrize("name", _with(TARGETS))
def test_held_keys_acquire_every_target_at_both_ends_of_the_difficulty(name, difficulty):
    level = LEVELS[name]
    world = World(level, seed=3)
    for index in range(len(level.challenges)):
        world.set_difficulty(index, difficulty)
    player = KeyPresser()
    results = []
    while not world.finished and world.t_s < 3600:
        results.extend(world.step(player.press(world)).results)
    kinds = {r.kind for r in results}
    assert kinds >= {c.kind for c in level.challenges if c.kind in TARGETS}
    missed = [(r.kind, r.trial, r.params) for r in results if r.kind in TARGETS and not r.success]
    assert not missed, f"{name} at difficulty {difficulty}: held keys missed {missed}"


def test_the_keys_reach_the_furthest_shipped_target_well_within_its_timeout():
    furthest = max((c.knobs.distance.at(d), c.timeout_s) for level in LEVELS.values() for c in level.challenges
                   if c.kind in TARGETS for d in (0.0, 1.0))
    from game.input.keyboard import hold_needed

    assert math.isfinite(hold_needed(furthest[0])) and hold_needed(furthest[0]) < furthest[1] / 4
