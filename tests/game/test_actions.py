"""The UI actions: a closed set of names, typed characters made one way, every view speaking only them."""

from __future__ import annotations

import pytest

from game.actions import ACTIONS, TEXT_PREFIX, is_ui_action, typed
from game.menu import TitleMenu


def test_a_typed_character_is_one_character_behind_the_prefix():
    assert typed("k") == "text:k" and is_ui_action(typed("7"))
    for bad in ("", "ab"):
        with pytest.raises(ValueError):
            typed(bad)
    assert not is_ui_action("text:") and not is_ui_action("K_SPACE") and not is_ui_action("pasue")
    assert set(ACTIONS) == {"quit", "pause", "back", "confirm", "up", "down", "left", "right", "tab", "backspace",
                            "recentre", "focus_lost"} and TEXT_PREFIX == "text:"


def test_every_key_a_view_maps_is_a_known_action():
    from game.views import panda3d_view, pygame_view

    for mapping in (pygame_view._KEY_ACTIONS, panda3d_view._KEY_ACTIONS):
        assert set(mapping.values()) <= set(ACTIONS)


def test_r_types_an_r_in_a_new_player_code():
    menu = TitleMenu(["kid-07"], [("default", "All levels")], player_index=1)
    for action in (typed("k"), "recentre", typed("2")):
        menu.handle(action)
    assert menu.typed == "kr2"
