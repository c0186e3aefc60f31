"""The check-in screen: "How does it feel?" before or after a session, for children and adults alike.

Each question is a 0-10 scale moved with left/right (a gamepad's d-pad, the arrows, a wobble
board's menu moves) and chosen with confirm; back skips a question (nothing is stored for it). The
mouse (or a touch) points at a face or a 0-10 box to move the value there and clicks it to answer
(or clicks Skip).
Pain uses the 0-10 numeric rating scale; effort the Borg CR10 range (0 nothing, 10 maximal). Every
step is said in words and as a face drawn in characters, never by colour alone.

The screen only decides: ``answers`` holds the values (None: skipped) once ``done``. The flow
that runs it stores them with ``telemetry.store.clinic.add_checkin(db, player, session_id=...,
pain_before=..., pain_after=..., effort=...)``. It draws with ``View.draw_message`` so both views
show it: the lines carry a ``CheckinPicture`` (game/checkin.py) from which the 2D and 3D menus draw
six faces with their words and a row of big 0-10 targets; any other view shows the words.
"""

from __future__ import annotations

from game.actions import UiAction, item_of
from game.checkin import QUESTIONS, CheckinLines, Question, picture
from game.play.loop import Screen
from game.views.base import View

__all__ = ["QUESTIONS", "CheckinScreen", "Question"]


class CheckinScreen(Screen):
    """Ask the given questions in turn; ``answers`` maps each key to 0-10 or None (skipped)."""

    def __init__(self, keys: tuple[str, ...] = ("pain_after", "effort"), start: int = 0) -> None:
        unknown = [k for k in keys if k not in QUESTIONS]
        if unknown or not keys:
            raise ValueError(f"unknown check-in questions {unknown}; choose from {sorted(QUESTIONS)}")
        self.questions = [QUESTIONS[k] for k in keys]
        self.answers: dict[str, int | None] = {}
        self.value = max(0, min(10, start))
        self.start = self.value
        self._index = 0

    @property
    def done(self) -> bool:
        """True once every question was answered or skipped (or the window closed)."""
        return self._index >= len(self.questions)

    @property
    def question(self) -> Question | None:
        """The question being asked (None when done)."""
        return None if self.done else self.questions[self._index]

    def _next(self, value: int | None) -> None:
        question = self.question
        if question is None:
            return
        self.answers[question.key] = value
        self._index += 1
        self.value = self.start

    def handle(self, action: UiAction) -> None:
        """left/right (or down/up) move along the scale, confirm answers, back skips, quit skips the rest; the
        pointer on a 0-10 box (or a face: its value) moves the value there, a click on one answers with it, a click
        on Skip skips."""
        if self.done:
            return
        item = item_of(action)
        question = self.question
        if item is not None and question is not None:
            if item.list == "skip" and item.index == 0:
                if item.kind == "pick":
                    self._next(None)  # the Skip button: as Esc, nothing is stored for this question
                return
            if item.list == "scale" and item.index <= 10:
                self.value = item.index
            elif item.list == "face" and item.index < len(question.words):
                self.value = question.words[item.index][0]
            else:
                return  # an item of another screen: nothing here
            if item.kind == "pick":
                self._next(self.value)
            return
        if action in ("left", "down"):
            self.value = max(0, self.value - 1)
        elif action in ("right", "up"):
            self.value = min(10, self.value + 1)
        elif action == "confirm":
            self._next(self.value)
        elif action == "back":
            self._next(None)
        elif action == "quit":
            while not self.done:
                self._next(None)

    def lines(self) -> list[str]:
        """What the screen says: the chosen step's face and words, the scale with it marked, and the keys."""
        question = self.question
        if question is None:
            return []
        face, words = question.say(self.value)
        scale = " ".join(f"[{n}]" if n == self.value else str(n) for n in range(11))
        shown = picture(question, self.value, self._index + 1, len(self.questions))
        return CheckinLines([f"{face}   {self.value} of 10: {words}", "", scale,
                             "0 = " + question.say(0)[1] + ",  10 = " + question.say(10)[1], "",
                             "Left / right to choose, confirm to answer, back to skip",
                             f"Question {self._index + 1} of {len(self.questions)}"], shown)

    def draw(self, view: View) -> None:
        """Draw the question as a message screen whose lines carry the faces' picture (see ``CheckinLines``)."""
        question = self.question
        if question is not None:
            view.draw_message(question.ask, self.lines())
