from __future__ import annotations

import math

import numpy as np
import pytest

from game.core.world import STEP_S
from game.errors import InputSpecError
from game.input import KeyboardSource, SimulatedPlayer, open_source
from game.input.keyboard import travel
from game.level.loader import load_level
from game.session import Session


def test_a_held_key_tilts_the_board_and_release_leaves_it_tilted():
    keys = KeyboardSource()
    keys.set_held(frozenset({"right"}))
    poses = [keys.poll(i * STEP_S) for i in range(97)]
    assert poses[-1].x == pytest.approx(travel(0.8)) and poses[-1].y == 0.0
    assert poses[60].x == pytest.approx(travel(0.5))
    assert poses[-1].raw_unit == "deg" and poses[-1].raw_x == pytest.approx(15.0 * travel(0.8))
    keys.set_held(frozenset())
    later = [keys.poll((97 + i) * STEP_S) for i in range(120)]
    assert later[-1].x == poses[-1].x  # no spring back: an untouched keyboard stays where it was left


def test_keyboard_refuses_unknown_directions():
    with pytest.raises(ValueError, match="sideways"):
        KeyboardSource().set_held(frozenset({"sideways"}))


def _play(skill: float, seed: int, name: str = "garden-balance"):
    session = Session(load_level(name).level, seed)
    player = SimulatedPlayer(skill, seed)
    poses = []
    while not session.finished and session.t_s < 240:
        player.observe(session.snapshot())
        pose = player.poll(session.t_s)
        poses.append(pose)
        session.advance(pose)
    return session, poses


def test_the_simulated_player_is_repeatable_for_a_seed():
    _, a = _play(0.5, 7)
    _, b = _play(0.5, 7)
    _, c = _play(0.5, 8)
    assert a == b
    assert a != c


def test_less_skill_means_more_sway():
    def sway_rms(skill):
        player = SimulatedPlayer(skill, 1)
        xs = np.array([player.poll(i * STEP_S).x for i in range(120 * 30)])
        return float(np.sqrt(np.mean((xs - xs.mean()) ** 2)))

    low, high = sway_rms(0.1), sway_rms(0.9)
    assert low > 2 * high
    assert 0.005 < high < 0.1  # a steady player still sways a little


def test_skill_shows_in_reach_success():
    rates = []
    for skill in (0.05, 0.95):
        successes = trials = 0
        for seed in range(4):
            session, _ = _play(skill, seed, "space-reach")
            successes += session.totals.successes
            trials += session.totals.trials
        rates.append(successes / trials)
    assert rates[1] > rates[0]


def test_open_source_knows_keyboard_and_sim():
    assert open_source("keyboard").name == "keyboard"
    assert open_source("sim").name == "sim:0.60"
    assert open_source("sim:0.25").name == "sim:0.25"


@pytest.mark.parametrize("spec", ["joystick", "sim:1.5", "sim:abc", "keyboard:1", ""])
def test_a_bad_input_spec_names_the_valid_choices(spec):
    with pytest.raises(InputSpecError) as info:
        open_source(spec)
    assert "keyboard" in str(info.value) or "SKILL" in str(info.value)


def test_simulated_player_skill_must_be_in_range():
    with pytest.raises(ValueError):
        SimulatedPlayer(math.nan)
