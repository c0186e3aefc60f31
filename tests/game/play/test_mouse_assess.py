"""A whole assessment by mouse (or touch) only: real pygame clicks on the buttons the view drew, nothing scripted.

The real ``Assessment`` runs on a ``ManualClock`` with a ``Pilot`` around a real ``PygameView`` on
SDL's dummy driver. Before each poll the test looks at the last frame (its title and the buttons
the view says it drew, ``menu_items``) and posts real mouse events there: "Ready: start", a click
on nothing during a trial, "Stop this trial", "End the assessment" answered "No, go on", "Go on
now", and "Close" on the results.
"""

from __future__ import annotations

import json
import sqlite3

import pygame
import pytest

from game.play.assess import Assessment, AssessOptions, result_lines
from game.play.clock import ManualClock
from game.play.pilot import Pilot
from game.play.screens.assess import ASSESS_CHOICES
from game.views.factory import open_view
from tests.game.assess.test_assessment_flow import LEGS, LOS


def _click(pos: tuple[int, int]) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False))
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=pos, button=1, touch=True))


def test_an_assessment_from_its_first_instruction_to_its_results_with_the_mouse_only(tmp_path):
    path = tmp_path / "legs.toml"
    path.write_text(LEGS, encoding="utf-8")
    pilot = Pilot(open_view("2d", headless=True, sound=False))
    pygame.event.clear()
    done: list[str] = []
    seen: dict[str, int] = {}  # the frame each trial's screen was first drawn

    def button(choice: str) -> pygame.Rect | None:
        items = {(name, index): rect for rect, name, index in pilot.view.menu_items}  # type: ignore[attr-defined]
        return items.get(("assess", ASSESS_CHOICES.index(choice)) if choice != "close" else ("message", 0))

    def press(step: str, choice: str) -> None:
        rect = button(choice)
        assert rect is not None, f"{step}: no {choice} button on '{pilot.drawn[-1].text}'"
        assert rect.height >= 48
        pilot.view.screenshot(tmp_path / f"{len(done)}-{choice}.png")  # type: ignore[attr-defined]
        _click(rect.center)
        done.append(step)

    def mouse(frame: int) -> None:
        if not pilot.drawn:
            return
        title = pilot.drawn[-1].text
        if title == "Standing on the left leg" and frame >= 30 and "ready left" not in done:
            press("ready left", "confirm")
        elif title.startswith("Hold still") and "ready right" not in done:
            start = seen.setdefault("left", frame)
            if frame == start + 10:
                _click((5, 5))  # on no button, during the trial: nothing happens
                done.append("click on nothing")
            elif frame == start + 30:
                press("stop", "stop")  # the foot touched down: as Space
        elif title.startswith("Rest") and "go on" not in done:
            if "end?" not in done:
                press("end?", "end")  # asks first
            elif "stay" not in done:
                assert button("confirm") is None and button("leave") is not None  # only the question's answers
                press("stay", "stay")
            else:
                press("go on", "confirm")
        elif title == "Standing on the right leg" and "ready right" not in done:
            press("ready right", "confirm")
        elif title.endswith(": results") and "close" not in done:
            press("close", "close")

    pilot.each_poll = mouse
    options = AssessOptions(protocol=str(path), player="kid-07", input="sim:0.9", db_path=tmp_path / "m.db", seed=2)
    run = Assessment(options, view=pilot, clock=ManualClock()).run()
    assert done == ["ready left", "click on nothing", "stop", "end?", "stay", "go on", "ready right", "close"]
    assert run.status == "completed"
    left, right = run.trials
    assert left.outcome == "stopped" and left.duration_s == pytest.approx(0.5, abs=2 / 60)  # the stray click: nothing
    assert right.outcome == "completed" and right.duration_s == pytest.approx(3.0)
    titles = [d.text for d in pilot.drawn if d.what == "message"]
    assert titles[:29] == ["Standing on the left leg"] * 29  # waited for the click: nothing ran meanwhile


def test_in_a_limits_of_stability_trial_the_corner_says_esc_ends_and_a_click_there_asks_first(tmp_path):
    """The trial's playing screen cannot pause: its corner says "Esc: end the assessment", not "Space: pause",
    and a real click there asks the assessment's question; "No, go on" goes back to the trial, "Yes" ends it."""
    path = tmp_path / "los.toml"
    path.write_text(LOS, encoding="utf-8")
    pilot = Pilot(open_view("2d", headless=True, sound=False))
    pygame.event.clear()
    done: list[str] = []
    end = ("assess", ASSESS_CHOICES.index("end"))
    seen: dict[str, int] = {}  # the frame the trial's screen was first drawn (its 1.5 s get-ready, then 4 s)

    def items() -> dict[tuple[str, int], pygame.Rect]:
        return {(name, index): rect for rect, name, index in pilot.view.menu_items}  # type: ignore[attr-defined]

    def mouse(frame: int) -> None:
        if not pilot.drawn:
            return
        shown = items()
        if pilot.drawn[-1].what == "play":
            assert list(shown) == [end]  # the corner names "End the assessment", never a level's pause
            start = seen.setdefault("play", frame)
            if ("corner" not in done and frame == start + 120) or ("stay" in done and "corner again" not in done):
                pilot.view.screenshot(f"/tmp/hint-2d-los-trial-{len(done)}.png")  # type: ignore[attr-defined]
                _click(shown[end].center)
                done.append("corner" if "corner" not in done else "corner again")
        elif ("assess", ASSESS_CHOICES.index("leave")) in shown:  # the question, with its two answers
            assert list(shown) == [("assess", ASSESS_CHOICES.index("stay")), ("assess", ASSESS_CHOICES.index("leave"))]
            if done[-1] == "corner":
                pilot.view.screenshot("/tmp/hint-2d-los-question.png")  # type: ignore[attr-defined]
                _click(shown[("assess", ASSESS_CHOICES.index("stay"))].center)
                done.append("stay")
            elif done[-1] == "corner again":
                _click(shown[("assess", ASSESS_CHOICES.index("leave"))].center)
                done.append("leave")
        elif shown.get(("assess", ASSESS_CHOICES.index("confirm"))) is not None and "ready" not in done:
            _click(shown[("assess", ASSESS_CHOICES.index("confirm"))].center)
            done.append("ready")
        elif ("message", 0) in shown and "close" not in done:  # the results (of the trials so far)
            _click(shown[("message", 0)].center)
            done.append("close")

    pilot.each_poll = mouse
    options = AssessOptions(protocol=str(path), player="kid-07", input="sim:0.9", db_path=tmp_path / "l.db", seed=2)
    run = Assessment(options, view=pilot, clock=ManualClock()).run()
    assert done == ["ready", "corner", "stay", "corner again", "leave", "close"]
    assert run.status == "aborted"
    questions = [d for d in pilot.drawn if d.what == "message"]
    assert questions  # the question was on the words' screen, between the two trial screens
    plays = [d.frame for d in pilot.drawn if d.what == "play"]
    assert plays and max(plays) > min(d.frame for d in questions)  # "No, go on": back to the trial's screen
    # The first question covered the target of the running trial (clicked half a second into it): set aside, an
    # event and no row; the second came during the countdown of its replay (the corner is drawn then too).
    db = sqlite3.connect(tmp_path / "l.db")
    cut = [json.loads(data) for (data,) in db.execute("select data from events where kind = 'trial_interrupted'")]
    rows = db.execute("select trial from assessment_trials").fetchall()
    db.close()
    assert [c["trial"] for c in cut] == [1] and cut[0]["counted"] is False
    assert cut[0]["duration_s"] == pytest.approx(120 / 60 - 1.5, abs=0.05)  # 2 s after the 1.5 s countdown began
    assert rows == [] and run.trials == []  # no trial ran undisturbed: nothing to measure
    assert run.result is not None and result_lines(run.result)[0].startswith("No trial was recorded")  # not blank
