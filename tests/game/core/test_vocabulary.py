"""The closed sets the core types as ``Literal``s are the ones it really uses at run time."""

from __future__ import annotations

import math
import typing

import pytest

from game.core.events import EVENT_KINDS, UI_EVENT_KINDS, Event
from game.core.phases import ChallengePhase, SnapshotPhase, WorldPhase
from game.core.snapshot import Outcome
from game.core.world import _RUNS, World
from game.level.loader import load_level, shipped_levels
from game.level.model import KINDS, AnyChallenge


def test_every_challenge_kind_has_a_model_and_a_run():
    models = typing.get_args(AnyChallenge)
    tags = {tag for model in models for tag in typing.get_args(model.model_fields["kind"].annotation)}
    assert set(KINDS) == tags == set(_RUNS)
    assert all(_RUNS[kind].kind == kind for kind in KINDS)


def test_core_and_ui_event_kinds_do_not_overlap():
    assert not set(EVENT_KINDS) & set(UI_EVENT_KINDS)
    assert len(set(EVENT_KINDS)) == len(EVENT_KINDS) and len(set(UI_EVENT_KINDS)) == len(UI_EVENT_KINDS)
    assert Event(0.0, "rest_start", -1, 0).kind in UI_EVENT_KINDS


def test_challenge_phases_are_a_subset_of_what_a_snapshot_shows():
    assert set(typing.get_args(ChallengePhase)) <= set(typing.get_args(SnapshotPhase))


@pytest.mark.parametrize("path", shipped_levels(), ids=lambda p: p.name)
def test_a_played_level_stays_inside_the_typed_vocabulary(path):
    world = World(load_level(path).level, seed=5)
    kinds, phases, world_phases, outcomes = set(), set(), set(), set()
    for i in range(120 * 60):
        t = i / 120
        step = world.step((0.7 * math.sin(0.9 * t), 0.7 * math.cos(0.6 * t)))
        kinds.update(e.kind for e in step.events)
        snap = world.snapshot()
        phases.add(snap.phase)
        world_phases.add(world.phase)
        outcomes.add(snap.last_outcome)
        if world.finished:
            break
    assert {"level_start", "challenge_start"} <= kinds <= set(EVENT_KINDS)
    assert phases <= set(typing.get_args(SnapshotPhase))
    assert world_phases <= set(typing.get_args(WorldPhase))
    assert outcomes <= {None, *typing.get_args(Outcome)}
