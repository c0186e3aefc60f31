from __future__ import annotations

from game.menu import PauseMenu, TitleMenu


def test_typing_a_new_player_code():
    menu = TitleMenu(["kid-1"], [("default", "All")])
    assert menu.player == "kid-1"
    menu.handle("down")  # the "+ New player" row
    assert menu.typing and menu.player is None
    assert menu.handle("confirm") is None and "Type a player code" in menu.message
    for char in "ab 7!":
        menu.handle(f"text:{char}")
    assert menu.typed == "ab7"
    menu.handle("backspace")
    assert menu.player == "ab"
    assert menu.handle("confirm") == "start"


def test_level_column_and_quit():
    menu = TitleMenu(["p"], [("default", "All"), ("a", "A"), ("b", "B")])
    menu.handle("right")
    menu.handle("up")
    assert menu.level_spec == "b"
    menu.handle("text:x")  # letters do nothing outside the new-player row
    assert menu.typed == ""
    assert menu.handle("back") == "quit"


def test_pause_menu_choices():
    menu = PauseMenu()
    assert menu.handle("pause") == "resume"
    menu.handle("down")
    assert menu.handle("confirm") == "end"
    menu.handle("down")
    assert menu.handle("confirm") == "quit"
    menu.handle("down")
    assert menu.index == 0 and menu.handle("back") == "resume"


def test_the_calibrate_row_and_the_r_key():
    from game.menu import CALIBRATE

    menu = TitleMenu(["p"], [("default", "All"), (CALIBRATE, "Calibrate the device")])
    menu.handle("right")
    menu.handle("down")
    assert menu.handle("confirm") == "calibrate"
    menu.handle("left")
    menu.handle("down")  # "+ New player"
    menu.handle("recentre")  # the R key types an r here
    assert menu.typed == "r"
