"""The check-in's questions and what a view draws for one of them: pure data, no window, no store.

Pain is the 0-10 numeric rating scale with six faces at 0, 2, 4, 6, 8 and 10 (the layout of the
Wong-Baker FACES and Faces Pain Scale-Revised, which children read from about age four); effort is
the Borg CR10 range (0 nothing, 10 maximal) with the same six steps. Each step is said in words
beside its face, never by colour alone. ``CheckinScreen`` (game/play/screens/checkin.py) moves the
value; a view draws a ``CheckinPicture``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """One 0-10 question: what is stored, what is asked, and the words for each step."""

    key: str  # "pain_before", "pain_after" or "effort" (the checkins columns)
    ask: str
    words: tuple[tuple[int, str, str], ...]  # (from value, face in characters, words), ascending

    def say(self, value: int) -> tuple[str, str]:
        """The face and words for a value (those of the nearest step at or below it)."""
        face, words = self.words[0][1], self.words[0][2]
        for start, step_face, step_words in self.words:
            if value >= start:
                face, words = step_face, step_words
        return face, words

    def step(self, value: int) -> int:
        """Which of the steps (0 = the first face) a value falls on."""
        return max(i for i, (start, _, _) in enumerate(self.words) if value >= start or i == 0)


_PAIN_WORDS = ((0, "(^_^)", "no hurt at all"), (2, "(^-^)", "hurts a tiny bit"), (4, "(o_o)", "hurts a bit more"),
               (6, "(-_-)", "hurts quite a lot"), (8, "(;_;)", "hurts a whole lot"), (10, "(T_T)", "the worst hurt"))
_EFFORT_WORDS = ((0, "(-.-)", "resting, no effort"), (2, "(^_^)", "easy"), (4, "(o_o)", "somewhat hard"),
                 (6, "(>_<)", "hard"), (8, "(>o<)", "very hard"), (10, "(X_X)", "as hard as I can"))

QUESTIONS = {
    "pain_before": Question("pain_before", "Before we play: how does your body feel right now?", _PAIN_WORDS),
    "pain_after": Question("pain_after", "How does your body feel now?", _PAIN_WORDS),
    "effort": Question("effort", "How hard was that?", _EFFORT_WORDS),
}

KEYS_HINT = "Left / Right: choose  ·  Enter or a click: answer  ·  Esc: skip"


@dataclass(frozen=True)
class CheckinPicture:
    """One moment of a check-in as a view draws it: the question, six faces with their words, the 0-10 row."""

    ask: str
    value: int  # 0-10, the one chosen now
    words: str  # the chosen value's words
    faces: tuple[tuple[int, str], ...]  # (value the face stands for, its words), six of them, ascending
    face: int  # which face (0-5) the chosen value falls on: 0 smiles, 5 cries
    number: int  # this question's number, from 1
    count: int  # how many questions
    kind: str = "pain"  # "pain" or "effort": the faces cry, or sweat, at the top of the scale
    hint: str = KEYS_HINT

    @property
    def heading(self) -> str:
        """'2 of 10: hurts a tiny bit'."""
        return f"{self.value} of 10: {self.words}"

    @property
    def progress(self) -> str:
        """'Question 1 of 2' (empty for a single question)."""
        return f"Question {self.number} of {self.count}" if self.count > 1 else ""


def picture(question: Question, value: int, number: int = 1, count: int = 1) -> CheckinPicture:
    """What a view draws for ``question`` with ``value`` chosen."""
    return CheckinPicture(ask=question.ask, value=value, words=question.say(value)[1],
                          faces=tuple((start, words) for start, _, words in question.words),
                          face=question.step(value), number=number, count=count,
                          kind="effort" if question.key == "effort" else "pain")


class CheckinLines(list[str]):
    """The check-in said as message lines (any view can show them), carrying the picture a view may draw instead.

    ``View.draw_message(title, lines)`` is how every view shows a screen of words; the 2D and 3D menus
    look for ``picture`` on the lines and draw the faces and the big 0-10 targets from it.
    """

    def __init__(self, lines: Iterable[str], picture: CheckinPicture) -> None:
        super().__init__(lines)
        self.picture = picture


def picture_of(lines: object) -> CheckinPicture | None:
    """The check-in picture carried by message lines, if they are a check-in's."""
    found = getattr(lines, "picture", None)
    return found if isinstance(found, CheckinPicture) else None


Point = tuple[float, float]


@dataclass(frozen=True)
class FaceShape:
    """A face's strokes on a face of radius 1 centred at (0, 0), y down: the same face in 2D and 3D."""

    eyes: tuple[Point, ...]
    eye_radius: float
    brows: tuple[tuple[Point, Point], ...]  # worried brows from the middle face on
    mouth: tuple[Point, ...]  # a polyline: a smile at 0, flat in the middle, a frown at 5
    tears: tuple[Point, ...]  # on the last face


def face_shape(mood: int, kind: str = "pain") -> FaceShape:
    """The face for a step (0 smiles broadly ... 5 cries, or sweats for effort): drawn, so it reads the same at any
    size and in any font."""
    mood = max(0, min(5, mood))
    bend = 1.0 - 2.0 * mood / 5.0  # +1 a smile, -1 a frown
    mouth = tuple((x, 0.38 - 0.08 * bend + 0.22 * bend * (1.0 - (x / 0.45) ** 2))
                  for x in (-0.45 + 0.09 * i for i in range(11)))
    lift = 0.06 * max(0, mood - 2)  # the inner ends of the brows rise as it hurts more
    brows = (((-0.5, -0.5), (-0.18, -0.5 - lift - 0.04)), ((0.18, -0.5 - lift - 0.04), (0.5, -0.5))) \
        if mood >= 3 else ()
    if kind == "effort":
        tears: tuple[Point, ...] = ((0.66, -0.5), (-0.66, -0.42))[: max(0, mood - 3)]  # sweat drops
    else:
        tears = ((-0.36, 0.05), (0.36, 0.05)) if mood >= 5 else ()
    return FaceShape(eyes=((-0.34, -0.2), (0.34, -0.2)), eye_radius=0.11, brows=brows, mouth=mouth, tears=tears)
