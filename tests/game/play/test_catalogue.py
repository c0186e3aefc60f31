"""The title screen's playlists state the minutes they really play (a simulated player of low and high skill)."""

from __future__ import annotations

import pytest

from game.level.loader import load_plan
from game.play.catalogue import shipped_level_infos, shipped_playlists, stated_minutes
from game.simulate import simulate

SLACK_MIN = 0.5  # rounding: "about 4 to 5 minutes" holds from 3.5 to 5.5


def test_minutes_are_read_from_the_description():
    assert stated_minutes("Five short games, about 4 to 5 minutes of play.") == (4, 5)
    assert stated_minutes("about 2 minutes") == (2, 2)
    assert stated_minutes("About 6 to 5 minutes") == (5, 6)
    assert stated_minutes("no time given") is None


def test_the_title_lists_every_shipped_playlist_first_steps_first_and_every_level():
    playlists = shipped_playlists()
    assert playlists[0].name == "default" and {p.name for p in playlists} >= {"kids-adventure", "adult-program"}
    assert all(p.minutes is not None for p in playlists), "every shipped playlist states its minutes"
    assert "min" in playlists[0].label
    assert len(shipped_level_infos()) >= 10


@pytest.mark.parametrize("playlist", shipped_playlists(), ids=lambda p: p.name)
def test_a_playlist_plays_the_minutes_its_description_states(playlist):
    assert playlist.minutes is not None
    low, high = playlist.minutes
    sim = simulate(load_plan(playlist.spec), players=2, skill_low=0.2, skill_high=0.8, seed=0)
    played = [run.play_s / 60 for run in sim.players]
    for minutes in played:
        assert low - SLACK_MIN <= minutes <= high + SLACK_MIN, (
            f"{playlist.name} plays {minutes:.1f} min for a simulated player; its description says about {low} to"
            f" {high} minutes: change the description (levels/{playlist.name}.playlist.toml)")
