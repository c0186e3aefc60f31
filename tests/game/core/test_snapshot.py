"""The step path's cheap constructors build the very objects the frozen dataclasses' own constructors build.

``World.snapshot`` fills a ``SnapshotDraft`` (and ``target_view``, ``item_view``, the simulated
player's poses and the session's steps are made the same way) instead of calling the frozen
dataclass's ``__init__``: these tests hold them to the same fields, values, equality, hashing,
immutability and pickling, on every shipped level.
"""

from __future__ import annotations

import dataclasses
import math
import pickle
from typing import Any

import pytest

from game.core import snapshot as snapshot_module
from game.core.challenge import clamp_point
from game.core.snapshot import (
    ItemView,
    Snapshot,
    SnapshotDraft,
    TargetView,
    item_view,
    target_view,
)
from game.core.world import World
from game.input import sim as sim_module
from game.input.pose import Pose
from game.input.sim import SimulatedPlayer
from game.level.loader import level_name, load_plan, shipped_levels
from game.session import SessionStep, start_session, step_from
from game.session import session as session_module


def _annotations(cls: type) -> list[tuple[str, str]]:
    return [(name, str(kind)) for name, kind in cls.__annotations__.items()]


@pytest.mark.parametrize(("draft", "frozen"), [
    (SnapshotDraft, Snapshot),
    (snapshot_module._TargetViewDraft, TargetView),
    (snapshot_module._ItemViewDraft, ItemView),
    (sim_module._PoseDraft, Pose),
    (session_module._SessionStepDraft, SessionStep),
])
def test_each_draft_has_the_fields_and_types_of_its_dataclass(draft: Any, frozen: Any) -> None:
    assert draft.__slots__ == frozen.__slots__ == tuple(f.name for f in dataclasses.fields(frozen))
    assert _annotations(draft) == _annotations(frozen)


def _full_snapshot() -> Snapshot:
    fields: dict[str, Any] = {f.name: f"value of {f.name}" for f in dataclasses.fields(Snapshot)}
    fields["control"] = (0.25, -0.5)
    return Snapshot(**fields)  # (any values: only the sameness of the two ways matters)


def test_a_finished_draft_is_the_snapshot_its_constructor_makes() -> None:
    made = _full_snapshot()
    draft = SnapshotDraft()
    for f in dataclasses.fields(Snapshot):
        setattr(draft, f.name, getattr(made, f.name))
    done = draft.done()
    assert type(done) is Snapshot
    assert done == made and hash(done) == hash(made) and repr(done) == repr(made)
    assert pickle.loads(pickle.dumps(done)) == made
    assert dataclasses.replace(done, t_s=2.0).t_s == 2.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        done.t_s = 1.0  # type: ignore[misc]


def test_a_draft_refuses_a_misspelt_field_and_a_left_out_one_cannot_be_read() -> None:
    draft = SnapshotDraft()
    with pytest.raises(AttributeError):
        draft.t = 1.0  # type: ignore[attr-defined]
    done = draft.done()
    with pytest.raises(AttributeError):
        _ = done.t_s


def test_target_and_item_views_are_the_dataclasses_own() -> None:
    made = target_view(0.5, -0.25, 0.1, "zone", True)
    assert type(made) is TargetView and made == TargetView(0.5, -0.25, 0.1, "zone", True)
    item = item_view(0.5, -0.25, 0.1, "avoid")
    assert type(item) is ItemView and item == ItemView(0.5, -0.25, 0.1, "avoid")
    assert hash(item) == hash(ItemView(0.5, -0.25, 0.1, "avoid"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.x = 0.0  # type: ignore[misc]


def test_the_sim_players_pose_and_the_sessions_step_are_the_dataclasses_own() -> None:
    pose = sim_module._tilt_pose(1.5, 0.25, -0.5, 3.0, -6.0)
    assert type(pose) is Pose and pose == Pose(1.5, 0.25, -0.5, 3.0, -6.0, "deg")
    with pytest.raises(dataclasses.FrozenInstanceError):
        pose.x = 0.0  # type: ignore[misc]
    step = session_module._played_step(3, 0.025, pose, [], [], [])
    assert type(step) is SessionStep and step == SessionStep(3, 0.025, pose, [], [], [])
    assert step.played


@pytest.mark.parametrize("name", [level_name(path) for path in shipped_levels()])
def test_every_snapshot_of_a_played_level_is_complete_and_what_the_constructor_makes(name: str) -> None:
    """Each field set (a left-out one would raise here), and the same as Snapshot(**fields)."""
    level = load_plan(name)[0].level
    session, player = start_session(level, 4), SimulatedPlayer(0.7, seed=4)
    phases = set()
    for _ in range(2500):
        if session.finished:
            break
        step_from(session, player)
        snap = session.snapshot()
        assert type(snap) is Snapshot
        rebuilt = Snapshot(**{f.name: getattr(snap, f.name) for f in dataclasses.fields(Snapshot)})
        assert snap == rebuilt and hash(snap) == hash(rebuilt)
        phases.add(snap.phase)
    assert {"intro", "trial"} <= phases


def test_a_targets_tuple_is_shared_while_nothing_in_it_changes_and_new_when_something_does() -> None:
    level = load_plan("garden-balance")[0].level
    world = World(level, seed=1)
    while world.snapshot().phase != "trial":
        world.step((0.0, 0.0))
    run = world._runs[0]
    run.marker = (0.0, 0.0)  # on the zone (garden-balance's is at the middle)
    first = run.targets()
    assert run.targets() is first  # the same values: the same (immutable) tuple
    run.marker = (5.0, 5.0)  # far off the zone: inside turns False
    moved = run.targets()
    assert moved is not first and moved[0].inside is False and first[0].inside is True
    assert moved == (TargetView(first[0].x, first[0].y, first[0].radius, "zone", False),)


@pytest.mark.parametrize("value", [-2.0, -1.2, -1.0, -0.0, 0.0, 0.7, 1.2, 1.5, math.inf, -math.inf, math.nan])
def test_clamp_point_is_max_min_written_out(value: float) -> None:
    expected = max(-1.2, min(1.2, value))
    got = clamp_point(value, -value)
    assert repr(got) == repr((expected, max(-1.2, min(1.2, -value))))  # repr: -0.0 and nan compared too
