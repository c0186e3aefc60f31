"""What a person can ask of the game, by name: the closed set of UI actions and typed characters.

Views (keys, mouse, window), devices (a gamepad's buttons) and test pilots all speak it; the
screens of the play loop take it. ``Action`` is a ``Literal``, so mypy refuses a misspelt one;
a typed character is a ``TypedChar`` (``"text:k"``), made only by ``typed``.
"""

from __future__ import annotations

from typing import Literal, NewType, TypeAlias, get_args

Action = Literal["quit", "pause", "back", "confirm", "up", "down", "left", "right", "tab", "backspace", "recentre",
                 "focus_lost"]
"""quit: the window was closed; pause: Space (a gamepad's Start); back: Esc (B); confirm: Enter (A);
up/down/left/right: menu moves (arrows, d-pad); tab; backspace; recentre: R (re-zero the device, turn the VR view);
focus_lost: the window lost the keyboard focus, was hidden or minimised (a level pauses)."""

ACTIONS: tuple[Action, ...] = get_args(Action)
TEXT_PREFIX = "text:"
TypedChar = NewType("TypedChar", str)
"""A printable key typed, as ``"text:<char>"`` (a player code being typed)."""
UiAction: TypeAlias = Action | TypedChar


def typed(char: str) -> TypedChar:
    """The action for one typed character."""
    if len(char) != 1:
        raise ValueError(f"one character is typed at a time, got {char!r}")
    return TypedChar(TEXT_PREFIX + char)


def is_ui_action(name: str) -> bool:
    """True for a fixed action name or a typed character ("text:" and exactly one character)."""
    return name in ACTIONS or (name.startswith(TEXT_PREFIX) and len(name) == len(TEXT_PREFIX) + 1)
