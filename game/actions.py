"""What a person can ask of the game, by name: the closed set of UI actions and typed characters.

Views (keys, mouse, window), devices (a gamepad's buttons) and test pilots all speak it; the
screens of the play loop take it. ``Action`` is a ``Literal``, so mypy refuses a misspelt one;
a typed character is a ``TypedChar`` (``"text:k"``), made only by ``typed``; the mouse (or a
touch, which SDL reports as the mouse) on a menu item is a ``PointerAction`` made by ``hover``
and ``pick`` (``"pick:pause:1"``), read back with ``item_of``. The view knows where it drew each
item, so it names the item; the menu decides what choosing it does. A screen that offers its keys' choices as
on-screen buttons (the calibration, an assessment) says so with ``Button`` (on message lines: ``ButtonLines``).
"""

from __future__ import annotations

from collections.abc import Iterable
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
MenuList = Literal["player", "level", "book", "pause", "confirm", "face", "scale", "skip", "results", "play",
                   "calibration", "assess", "message"]
"""The lists of items a view draws: the title's two columns, the sticker book's Back button, the pause menu's
rows, the "are you sure?" answers (0: the safe one), the check-in's six faces, its 0-10 boxes and its Skip
button, the results' buttons, the playing screen's "pause" corner (a click there pauses, as Space does), the
calibration's buttons, an assessment's buttons and a message screen's Close button. A button's index names its
choice, not its place (``Button``), so a click that lands as the buttons change never chooses another one."""
MENU_LISTS: tuple[MenuList, ...] = get_args(MenuList)
CLICK = PointerAction("click")
UiAction: TypeAlias = Action | TypedChar | PointerAction


@dataclass(frozen=True)
class Button:
    """A choice a screen offers as an on-screen button: its words, and the item a click or a touch on it names.

    The screen makes them and decides what ``pick(list, index)`` does; the view only draws them and
    keeps where. ``index`` stands for the choice itself (e.g. "skip this direction" is always the same
    index), whatever else is shown beside it.
    """

    label: str
    list: MenuList
    index: int

    def __post_init__(self) -> None:
        _pointer_action("pick", self.list, self.index)  # the same checks: a known list, a whole number from 0
        if not self.label.strip():
            raise ValueError("a button needs words to show")


class ButtonLines(list[str]):
    """Message lines (any view shows them as words) carrying the buttons a view may draw under them.

    ``View.draw_message(title, lines)`` is how every view shows a screen of words; the 2D view looks
    for ``buttons`` on the lines (``buttons_of``) and draws each as a big button a click chooses.
    """

    def __init__(self, lines: Iterable[str], buttons: Iterable[Button]) -> None:
        super().__init__(lines)
        self.buttons = tuple(buttons)


def buttons_of(lines: object) -> tuple[Button, ...]:
    """The buttons carried by message lines (none for plain lines)."""
    found = getattr(lines, "buttons", ())
    return tuple(b for b in found if isinstance(b, Button)) if isinstance(found, tuple) else ()


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
