"""The check-in screen: a 0-10 scale chosen with left/right and confirm, skipped with back; said in words."""

from __future__ import annotations

import pytest

from game.play.screens.checkin import QUESTIONS, CheckinScreen


class Recorder:
    """The one View call the screen makes."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str]]] = []

    def draw_message(self, title: str, lines: list[str]) -> None:
        self.messages.append((title, lines))


def test_answers_are_chosen_with_the_arrows_and_confirmed():
    screen = CheckinScreen(("pain_before", "effort", "pain_after"))
    for action in ("right", "right", "right", "confirm", "back", "right", "left", "left", "confirm"):
        screen.handle(action)
    assert screen.done and screen.answers == {"pain_before": 3, "effort": None, "pain_after": 0}


def test_the_scale_stops_at_0_and_10_and_quit_skips_the_rest():
    screen = CheckinScreen(("effort", "pain_after"), start=9)
    for _ in range(5):
        screen.handle("right")
    assert screen.value == 10
    screen.handle("confirm")
    assert screen.value == 9  # the next question starts again where it was set to
    screen.handle("quit")
    assert screen.done and screen.answers == {"effort": 10, "pain_after": None}


def test_every_step_is_said_in_words_and_a_face_not_colour():
    screen = CheckinScreen(("pain_after",))
    view = Recorder()
    screen.handle("right")
    screen.handle("right")
    screen.draw(view)
    ((title, lines),) = view.messages
    assert title == QUESTIONS["pain_after"].ask
    assert lines[0].endswith("2 of 10: hurts a tiny bit") and "[2]" in lines[2]
    assert "0 = no hurt at all,  10 = the worst hurt" in lines


def test_unknown_questions_are_refused():
    with pytest.raises(ValueError, match="unknown check-in questions"):
        CheckinScreen(("mood",))
