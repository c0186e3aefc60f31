"""What a person can ask of the game, by name: the closed set of UI actions and typed characters.

Views (keys, mouse, window), devices (a gamepad's buttons) and test pilots all speak it; the
screens of the play loop take it. ``Action`` is a ``Literal``, so mypy refuses a misspelt one;
a typed character is a ``TypedChar`` (``"text:k"``), made only by ``typed``; the mouse (or a
touch, which SDL reports as the mouse) on a menu item is a ``PointerAction`` made by ``hover``
and ``pick`` (``"pick:pause:1"``), read back with ``item_of``. The view knows where it drew each
item, so it names the item; the menu decides what choosing it does.
"""

from __future__ import annotations

from dataclasses import dataclass
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
PointerAction = NewType("PointerAction", str)
"""The pointer on a menu item: ``"hover:<list>:<index>"`` (moved onto it: the selection follows, as with the
arrows), ``"pick:<list>:<index>"`` (a left click or a touch on it: chosen, as if selected and Enter pressed), or
``CLICK`` (a click on no item, or another button: it chooses nothing, and stops a countdown as any key does)."""
MenuList = Literal["player", "level", "book", "pause", "confirm", "face", "scale", "skip", "results", "play"]
"""The lists of items a view draws: the title's two columns, the sticker book's Back button, the pause menu's
rows, the "are you sure?" answers (0: the safe one), the check-in's six faces, its 0-10 boxes and its Skip
button, the results' buttons, and the playing screen's "pause" corner (a click there pauses, as Space does)."""
MENU_LISTS: tuple[MenuList, ...] = get_args(MenuList)
CLICK = PointerAction("click")
UiAction: TypeAlias = Action | TypedChar | PointerAction


def typed(char: str) -> TypedChar:
    """The action for one typed character."""
    if len(char) != 1:
        raise ValueError(f"one character is typed at a time, got {char!r}")
    return TypedChar(TEXT_PREFIX + char)


@dataclass(frozen=True)
class MenuItem:
    """A pointer action read back: moved onto (``hover``) or chosen (``pick``) item ``index`` of ``list``."""

    kind: Literal["hover", "pick"]
    list: MenuList
    index: int


def _pointer_action(kind: Literal["hover", "pick"], list_name: str, index: int) -> PointerAction:
    if list_name not in MENU_LISTS:
        raise ValueError(f"unknown menu list {list_name!r}; expected one of {', '.join(MENU_LISTS)}")
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"a menu item's index is a whole number from 0, got {index!r}")
    return PointerAction(f"{kind}:{list_name}:{index}")


def hover(list_name: MenuList, index: int) -> PointerAction:
    """The pointer moved onto item ``index`` of ``list_name`` (the selection follows it)."""
    return _pointer_action("hover", list_name, index)


def pick(list_name: MenuList, index: int) -> PointerAction:
    """Item ``index`` of ``list_name`` was clicked or touched (chosen, as if selected and Enter pressed)."""
    return _pointer_action("pick", list_name, index)


def item_of(action: str) -> MenuItem | None:
    """The menu item a ``hover``/``pick`` action names; None for any other action (``CLICK`` included)."""
    kind, _, rest = action.partition(":")
    list_name, _, index = rest.partition(":")
    if kind not in ("hover", "pick") or list_name not in MENU_LISTS or not index.isdigit() or not index.isascii():
        return None
    for name in MENU_LISTS:  # the Literal member itself, so the result is typed without a cast
        if name == list_name:
            return MenuItem("hover" if kind == "hover" else "pick", name, int(index))
    return None


def is_ui_action(name: str) -> bool:
    """True for a fixed action name, a typed character ("text:" and exactly one character) or a pointer action."""
    return (name in ACTIONS or (name.startswith(TEXT_PREFIX) and len(name) == len(TEXT_PREFIX) + 1)
            or name == CLICK or item_of(name) is not None)
