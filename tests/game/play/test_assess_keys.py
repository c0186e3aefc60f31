"""Esc (B) during an assessment asks first: a stray press loses nothing, a second one ends it, trials kept.

Real key presses (pygame ``KEYDOWN`` events into a real ``PygameView`` on SDL's dummy driver),
the real ``Assessment`` on a ``ManualClock``: the view maps Esc to "back" and Enter to "confirm"
as it does for a person at the keyboard (a gamepad's B and A are the same actions).
"""

from __future__ import annotations

import json
import sqlite3

import pygame
import pytest
from click.testing import CliRunner

from game.cli import cli
from game.play.assess import Assessment, AssessOptions, result_lines
from game.play.clock import ManualClock
from game.play.pilot import Pilot
from game.play.screens.assess import ASSESS_CHOICES
from game.views.factory import open_view
from tests.game.assess.test_assessment_flow import LEGS

QUESTION = ("assess", ASSESS_CHOICES.index("leave"))  # "Yes, end the assessment": shown only with the question


def _press(key: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0))


def _run(tmp_path, keys_at) -> tuple[object, Pilot, list[tuple[str, int, bool]]]:
    """Run the two-trial single-leg protocol; ``keys_at(title, frame, seen)`` names the keys to press now."""
    path = tmp_path / "legs.toml"
    path.write_text(LEGS, encoding="utf-8")
    pilot = Pilot(open_view("2d", headless=True, sound=False))
    pygame.event.clear()
    seen: dict[str, int] = {}
    log: list[tuple[str, int, bool]] = []  # (title, frame, the question shown) of every frame drawn

    def each_poll(frame: int) -> None:
        if frame > 60 * 180:  # three minutes of frames: the protocol takes under one
            raise AssertionError(f"the assessment did not end; last screen: {pilot.drawn[-1].text!r}")
        if not pilot.drawn:
            return
        asking = QUESTION in {(name, index) for _, name, index in pilot.view.menu_items}  # type: ignore[attr-defined]
        title = pilot.drawn[-1].text
        log.append((title, frame, asking))
        for key in keys_at(title, frame, seen, asking):
            _press(key)

    pilot.each_poll = each_poll
    options = AssessOptions(protocol=str(path), player="kid-07", input="sim:0.9", db_path=tmp_path / "k.db", seed=2)
    run = Assessment(options, view=pilot, clock=ManualClock()).run()
    return run, pilot, log


def test_a_stray_esc_during_a_trial_only_asks_and_enter_goes_on_with_the_trial(tmp_path):
    def keys(title: str, frame: int, seen: dict[str, int], asking: bool) -> list[int]:
        if title == "Standing on the left leg" and "ready" not in seen and frame >= 10:
            seen["ready"] = frame
            return [pygame.K_RETURN]
        if asking and "esc" in seen and "enter" not in seen:
            seen["enter"] = frame
            return [pygame.K_RETURN]  # "No, go on"
        if title.startswith("Hold still") and "ready" in seen:
            start = seen.setdefault("trial", frame)
            if frame == start + 30:
                seen["esc"] = frame
                return [pygame.K_ESCAPE]  # a stray press, half a second into the left leg's 3 s
        if title == "Standing on the right leg" or title.startswith("Rest"):
            return [pygame.K_RETURN] if frame % 20 == 0 else []
        if title.endswith(": results"):
            return [pygame.K_RETURN]
        return []

    run, _, log = _run(tmp_path, keys)
    asked = [frame for _, frame, asking in log if asking]
    assert asked, "the first Esc showed the question"
    assert run.status == "completed"  # the stray Esc ended nothing
    # The question covered the trial, so that trial was set aside (an event, no row) and played again, whole.
    left, right = run.trials
    assert left.outcome == "completed" and left.duration_s == pytest.approx(3.0)
    assert right.outcome == "completed"
    db = sqlite3.connect(tmp_path / "k.db")
    cut = [json.loads(data) for (data,) in db.execute("select data from events where kind = 'trial_interrupted'")]
    rows = db.execute("select trial, outcome, duration_s from assessment_trials order by trial").fetchall()
    db.close()
    assert len(cut) == 1 and cut[0]["trial"] == 1 and cut[0]["counted"] is False
    assert cut[0]["duration_s"] == pytest.approx(30 / 60, abs=0.05)  # the Esc came half a second in
    assert [(trial, outcome) for trial, outcome, _ in rows] == [(1, "completed"), (2, "completed")]
    assert left.started_t_s > cut[0]["started_t_s"] + cut[0]["duration_s"]  # played again after the question
    assert run.result is not None and run.result.interrupted == [1]
    said = "Interrupted by the question 'End the assessment now?', not measured: trial 1."
    assert result_lines(run.result)[-1] == said
    stored = CliRunner().invoke(cli, ["assess", "results", "--db", str(tmp_path / "k.db"), "--format", "json"])
    assert stored.exit_code == 0, stored.output
    assert [entry["interrupted"] for entry in json.loads(stored.output)] == [[1]]  # read back from the database


def test_esc_twice_ends_the_assessment_and_keeps_the_trials_so_far(tmp_path):
    def keys(title: str, frame: int, seen: dict[str, int], asking: bool) -> list[int]:
        if title == "Standing on the left leg" and "ready" not in seen and frame >= 10:
            seen["ready"] = frame
            return [pygame.K_RETURN]
        if title.startswith("Rest"):
            if "esc" not in seen:
                seen["esc"] = frame
                return [pygame.K_ESCAPE]
            if asking and "again" not in seen:
                seen["again"] = frame
                return [pygame.K_ESCAPE]
        if title.endswith(": results"):
            return [pygame.K_RETURN]
        return []

    run, _, log = _run(tmp_path, keys)
    assert [asking for title, _, asking in log if title.startswith("Rest")][:1] == [False]
    assert any(asking for _, _, asking in log), "the first Esc asked"
    assert run.status == "aborted"
    assert [trial.outcome for trial in run.trials] == ["completed"]  # the left leg's trial is kept
