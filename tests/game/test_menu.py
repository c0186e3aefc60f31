"""The menus' logic: typing a player code, the level column, and leaving only when it is meant."""

from __future__ import annotations

import random

from game.actions import ACTIONS, typed
from game.menu import CLOSE_DELAY_S, COLLECTION, Confirm, PauseMenu, TitleEntry, TitleMenu
from game.progress import Progress

FRAME_S = 1 / 60


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


def _run(menu: TitleMenu | PauseMenu, seconds: float) -> str | None:
    """Let frames pass with no key; the first choice the menu makes."""
    for _ in range(round(seconds / FRAME_S)):
        choice = menu.update(FRAME_S)
        if choice is not None:
            return choice
    return None


def test_esc_on_the_title_asks_and_leaves_only_after_the_countdown():
    menu = TitleMenu(["p"], [("default", "All"), ("a", "A"), ("b", "B")])
    menu.handle("right")
    menu.handle("up")
    assert menu.level_spec == "b"
    menu.handle("text:x")  # letters do nothing outside the new-player row
    assert menu.typed == ""
    assert menu.handle("back") is None and menu.confirm is not None  # "Leave Proprio?"
    assert menu.confirm.items[menu.confirm.index] == "No, stay"  # the safe answer is selected first
    assert menu.handle("confirm") is None and menu.confirm is None  # Enter on "No, stay": back to the menu
    menu.handle("back")
    menu.handle("down")  # "Yes, leave"
    assert menu.handle("confirm") is None  # nothing yet: a countdown any key stops
    assert menu.confirm is not None and menu.confirm.lines()[0] == "Closing in 2 s."
    assert _run(menu, CLOSE_DELAY_S / 2) is None
    menu.handle("up")  # a key during the countdown: stay
    assert menu.confirm is None and _run(menu, 5.0) is None
    menu.handle("back")
    menu.handle("down")
    menu.handle("confirm")
    assert _run(menu, CLOSE_DELAY_S + FRAME_S) == "quit"


def test_pause_menu_choices_resume_at_once_and_leave_only_when_confirmed():
    menu = PauseMenu(has_next=True)
    assert menu.items == ["Resume", "End level", "Next level", "Switch player", "Quit game"]
    assert menu.handle("pause") == "resume"
    for index, choice in enumerate(["end", "skip", "switch", "quit"], start=1):
        menu = PauseMenu(has_next=True, index=index)
        assert menu.handle("confirm") is None and menu.confirm is not None and menu.pending == choice
        menu.handle("down")  # the "yes" answer
        assert menu.handle("confirm") is None
        assert _run(menu, CLOSE_DELAY_S + FRAME_S) == choice
    menu = PauseMenu(has_next=False)
    assert "Next level" not in menu.items and menu.choices == ["resume", "end", "switch", "quit"]
    menu.handle("up")
    assert menu.items[menu.index] == "Quit game"
    menu.handle("confirm")
    assert menu.handle("back") is None and menu.confirm is None  # Esc in the prompt: back to the pause menu
    assert menu.handle("back") == "resume"


def test_a_window_that_loses_focus_neither_confirms_nor_cancels():
    confirm = Confirm("Quit the game?", "Yes, quit")
    confirm.handle("down")
    confirm.handle("confirm")
    assert confirm.handle("focus_lost") is None and confirm.closing_s is not None


def test_a_burst_of_random_keys_never_leaves_the_title_or_the_pause_menu():
    keys = [a for a in ACTIONS if a not in ("quit",)] + [typed(c) for c in "qwertyuiopasdfghjklzxcvbnm1234567890"]
    for seed in range(20):
        rng = random.Random(seed)
        title = TitleMenu(["kid-07"], [("default", "All"), ("a", "A"), (COLLECTION, "Stickers")])
        pause = PauseMenu(has_next=True)
        for _ in range(60 * 30):  # 30 s of frames, a key or three on most of them (a child mashing)
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                key = rng.choice(keys)
                assert title.handle(key) != "quit"
                answer = pause.handle(key)
                assert answer in (None, "resume")
                if answer == "resume":  # play goes on; the next Esc or Space opens a fresh pause menu
                    pause = PauseMenu(has_next=True)
            assert title.update(FRAME_S) is None
            assert pause.update(FRAME_S) is None


def test_the_title_greets_by_display_name_and_counts_stars():
    progress = Progress(best_stars={"garden-balance": 2, "space-reach": 3})
    menu = TitleMenu(["kid-07", "kid-08"], [("default", "First steps"), ("gb", "Garden Balance"), ("x", "X")],
                     names={"kid-07": "Sam"}, progress={"kid-07": progress},
                     entries={"default": TitleEntry("playlist", ("garden-balance", "space-reach")),
                              "gb": TitleEntry("level", ("garden-balance",))})
    assert menu.greeting == "Hello, Sam!"
    assert menu.stars_for("default") == (5, 6) and menu.stars_for("gb") == (2, 3) and menu.stars_for("x") is None
    menu.handle("down")
    assert menu.greeting == "Hello, kid-08!" and menu.stars_for("gb") == (0, 3)  # no progress yet
    menu.handle("down")  # "+ New player"
    assert menu.greeting.startswith("Welcome")


def test_the_sticker_book_is_a_page_of_the_title():
    menu = TitleMenu(["p"], [("default", "All"), (COLLECTION, "My sticker book")])
    menu.handle("right")
    menu.handle("down")
    assert menu.handle("confirm") is None and menu.page == "stickers"
    assert menu.handle("down") is None and menu.page == "stickers"
    menu.handle("back")  # Esc leaves the book, not the game
    assert menu.page == "menu" and menu.confirm is None


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
