"""The menus' logic: typing a player code, the level column, and leaving only when it is meant."""

from __future__ import annotations

import random

from game.actions import ACTIONS, CLICK, MENU_LISTS, hover, pick, typed
from game.menu import CLOSE_DELAY_S, COLLECTION, Confirm, PauseMenu, ResultsView, TitleEntry, TitleMenu, ask_first
from game.play.screens.menus import ResultsScreen
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


# -- the pointer (a mouse or a touch) ------------------------------------------------------------------
def test_the_pointer_selects_and_a_click_chooses_in_the_prompt():
    confirm = Confirm("Quit the game?", "Yes, quit")
    assert confirm.handle(hover("confirm", 1)) is None and confirm.index == 1  # moving onto "yes" selects it
    assert confirm.handle(hover("confirm", 0)) is None and confirm.index == 0
    assert confirm.handle(CLICK) is None and confirm.closing_s is None  # a click on nothing: nothing
    assert confirm.handle(pick("pause", 1)) is None and confirm.closing_s is None  # not this prompt's item
    assert confirm.handle(pick("confirm", 2)) is None and confirm.index == 0  # no such answer
    assert confirm.handle(pick("confirm", 0)) == "no"  # a click on the safe answer: back
    confirm = Confirm("Quit the game?", "Yes, quit")
    assert confirm.handle(pick("confirm", 1)) is None and confirm.closing_s == CLOSE_DELAY_S  # "yes": a countdown
    assert confirm.handle(hover("confirm", 0)) is None and confirm.index == 1  # the pointer moving is not a "stay"
    assert confirm.update(CLOSE_DELAY_S / 2) is None
    assert confirm.handle(CLICK) == "no"  # a click anywhere while counting down: stay
    for stay in (pick("confirm", 1), pick("pause", 0), "down"):
        confirm = Confirm("Quit the game?", "Yes, quit")
        confirm.handle(pick("confirm", 1))
        assert confirm.handle(stay) == "no"  # even a second click on "yes": a masher's double click stays


def test_the_pause_menu_follows_the_pointer_and_resume_is_one_click():
    menu = PauseMenu(has_next=False)
    assert menu.handle(hover("pause", 2)) is None and menu.index == 2 and menu.confirm is None
    assert menu.handle(hover("pause", 4)) is None and menu.index == 2  # only four rows without "Next level"
    assert menu.handle(pick("level", 0)) is None and menu.handle(CLICK) is None and menu.confirm is None
    assert menu.handle(pick("pause", 3)) is None and menu.pending == "quit"  # "Quit game" is asked
    assert menu.confirm is not None and menu.confirm.index == 0  # with the safe answer selected
    assert menu.handle(pick("pause", 0)) is None and menu.confirm is not None  # the rows under the prompt: nothing
    assert menu.handle(pick("confirm", 0)) is None and menu.confirm is None
    assert menu.handle(pick("pause", 0)) == "resume"


def test_a_click_on_a_game_plays_it_but_the_player_column_needs_a_click_and_starts_nothing():
    menu = TitleMenu(["kid-1", "kid-2"], [("a", "A"), ("b", "B"), (COLLECTION, "Stickers")])
    assert menu.handle(hover("player", 1)) is None and menu.player == "kid-1"  # passing over a name: nothing
    assert menu.handle(hover("level", 1)) is None and (menu.focus, menu.level_spec) == ("level", "b")
    assert menu.handle(pick("player", 1)) is None and (menu.focus, menu.player) == ("player", "kid-2")
    assert menu.handle(pick("player", 2)) is None and menu.typing  # "+ New player"
    assert menu.handle(pick("level", 0)) is None and "Type a player code" in menu.message
    assert menu.handle(hover("level", 1)) is None and "Type a player code" in menu.message  # still there to read
    assert menu.handle(CLICK) is None and menu.message
    assert menu.handle(pick("player", 3)) is None and menu.handle(pick("level", 5)) is None  # no such rows
    menu.handle(pick("player", 0))
    assert menu.handle(pick("level", 2)) is None and menu.page == "stickers"
    assert menu.handle(pick("level", 0)) is None and menu.page == "stickers"  # the games are not on this page
    assert menu.handle(pick("book", 0)) is None and menu.page == "menu"
    assert menu.handle(pick("level", 1)) == "start" and menu.level_spec == "b"


def test_the_results_buttons_move_with_the_pointer_only():
    results = ResultsView("Sam", "Garden", 10, 20, 1, 2, 1, 0.3, (), "Space Reach")
    assert results.buttons == ["Next level: Space Reach", "Back to the title"]
    screen = ResultsScreen(results)
    for key in ("down", "right", "tab"):
        screen.handle(key)
    assert screen.results.selected == 0 and screen.choice is None  # keys move nothing: Enter means what hints say
    screen.handle(hover("results", 1))
    screen.handle("pause")
    assert screen.choice == "title"
    screen = ResultsScreen(results)
    screen.handle(pick("results", 0))
    assert screen.choice == "next"
    screen = ResultsScreen(ResultsView("Sam", "Garden", 10, 20, 1, 2, 1, 0.3, (), None))
    screen.handle(pick("results", 1))  # only one button at the end of a plan
    assert screen.choice is None
    screen.handle(pick("results", 0))
    assert screen.choice == "title"


def test_random_clicks_and_keys_together_never_leave_the_title_or_the_pause_menu():
    pointer = [f(name, i) for f in (hover, pick) for name in MENU_LISTS for i in range(6)] + [CLICK] * 10
    keys = [a for a in ACTIONS if a not in ("quit",)] + pointer
    for seed in range(20):
        rng = random.Random(seed)
        title = TitleMenu(["kid-07"], [("default", "All"), ("a", "A"), (COLLECTION, "Stickers")])
        pause = PauseMenu(has_next=True)
        countdowns = 0
        for _ in range(60 * 30):  # 30 s of frames, an action or three on most of them
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                key = rng.choice(keys)
                title.handle(key)
                if title.confirm is not None and title.confirm.closing_s == CLOSE_DELAY_S:
                    countdowns += 1
                answer = pause.handle(key)
                assert answer in (None, "resume")
                if pause.confirm is not None and pause.confirm.closing_s == CLOSE_DELAY_S:
                    countdowns += 1
                if answer == "resume":
                    pause = PauseMenu(has_next=True)
            assert title.update(FRAME_S) is None
            assert pause.update(FRAME_S) is None
        assert countdowns > 0  # the mashing did reach "yes" and was kept from leaving


def test_ask_first_esc_asks_esc_again_answers_yes_and_enter_answers_no():
    assert ask_first("back", False) == "ask" and ask_first("back", True) == "yes"
    assert ask_first("confirm", True) == "no" and ask_first("confirm", False) is None  # Enter only answers a question
    for action in ("pause", "up", "recentre", "text:s", "focus_lost"):  # other keys: the screen's own meaning
        assert ask_first(action, True) is None and ask_first(action, False) is None
