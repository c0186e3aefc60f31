"""Content tests for levels/: every file valid, every kind covered, every level playable."""

from __future__ import annotations

import pytest

from game.input.sim import SimulatedPlayer
from game.level.loader import level_name, load_level, load_plan, shipped_levels
from game.level.model import KINDS
from game.paths import levels_dir
from game.session import Session

LEVELS = shipped_levels()


def test_the_library_covers_every_kind_for_children_and_adults():
    assert len(LEVELS) >= 14
    kinds = {c.kind for p in LEVELS for c in load_level(p).level.challenges}
    assert kinds == set(KINDS)
    audiences = [set(load_level(p).level.players) for p in LEVELS]
    assert sum("child" in a for a in audiences) >= 5 and sum("adult" in a for a in audiences) >= 5
    assert {load_level(p).level.theme for p in LEVELS} >= {"garden", "space", "ocean"}


@pytest.mark.parametrize("path", LEVELS, ids=level_name)
def test_each_level_is_played_to_its_end_by_the_simulated_player(path):
    level = load_level(path).level
    session = Session(level, seed=1)
    player = SimulatedPlayer(0.6, seed=1)
    kinds_seen, ends = set(), 0
    while not session.finished and session.t_s < 1200:
        player.observe(session.snapshot())
        step = session.advance(player.poll(session.t_s))
        kinds_seen |= {r.kind for r in step.results}
        ends += sum(e.kind == "level_end" for e in step.events)
    assert session.finished and ends == 1
    expected = sum(c.trials for c in level.challenges)
    assert session.totals.trials == expected or level.duration_s is not None
    assert kinds_seen == {c.kind for c in level.challenges}
    assert session.totals.successes > 0  # a mid-skill player succeeds sometimes


@pytest.mark.parametrize("path", sorted(levels_dir().glob("*.playlist.toml")), ids=lambda p: p.name)
def test_every_playlist_loads(path):
    plan = load_plan(str(path))
    assert plan and all(loaded.level.challenges for loaded in plan)


def test_the_published_json_schema_matches_the_model():
    from pathlib import Path

    from game.level.catalogue import json_schema

    shipped = Path(__file__).resolve().parents[2] / "docs" / "level.schema.json"
    regenerate = "regenerate: proprio levels schema > docs/level.schema.json"
    assert shipped.read_text() == json_schema("level") + "\n", regenerate
