"""The mouse (or a touch, which SDL reports as the mouse) works the 2D menus: real pygame events, real pixels.

Each test draws a menu with the real ``PygameView`` on SDL's dummy driver, reads where the view
drew each item (``menu_items``), posts real MOUSEMOTION / MOUSEBUTTONDOWN / MOUSEBUTTONUP events
there, hands what ``poll`` reports to the real screen, draws again and looks at the pixels: the
highlight follows the pointer, a click chooses as Enter would, a click on nothing does nothing.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

from game.actions import CLICK, hover, item_of, pick  # noqa: E402
from game.core.snapshot import Frame  # noqa: E402
from game.menu import CLOSE_DELAY_S, COLLECTION, PauseMenu, ResultsView, TitleMenu  # noqa: E402
from game.play.screens.checkin import CheckinScreen  # noqa: E402
from game.play.screens.menus import ResultsScreen, TitleScreen  # noqa: E402
from game.views import theme as palette  # noqa: E402
from tests.game.views.test_pygame_view import SNAP  # noqa: E402

FRAME_S = 1 / 60
PLAY = Frame(SNAP, SNAP, 1.0)



def _rect(view, name: str, index: int) -> pygame.Rect:
    found = [rect for rect, n, i in view.menu_items if (n, i) == (name, index)]
    assert len(found) == 1, f"{name}:{index} is drawn once, items: {[(n, i) for _, n, i in view.menu_items]}"
    return found[0]


def _at(view, name: str, index: int) -> tuple[int, int]:
    return _rect(view, name, index).center


def _move(view, pos: tuple[int, int]) -> list[str]:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1), buttons=(0, 0, 0), touch=False))
    return view.poll()[0]


def _click(view, pos: tuple[int, int], button: int = 1, touch: bool = False) -> list[str]:
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=pos, button=button, touch=touch))
    return view.poll()[0]


def _framed(view, name: str, index: int, colour: tuple[int, int, int]) -> int:
    """Pixels of ``colour`` along the left edge of an item's area: where the selection frame's side is drawn."""
    rect = _rect(view, name, index)
    strip = pygame.Rect(rect.x, rect.y + rect.h // 3, 24, max(1, rect.h // 3))
    pixels = pygame.surfarray.pixels3d(view.screen)[strip.left:strip.right, strip.top:strip.bottom]
    return int((np.abs(pixels.astype(int) - colour).sum(axis=2) < 30).sum())


def _highlighted(view, name: str, colour: tuple[int, int, int]) -> list[int]:
    """The items of a list whose left edge shows the selection frame."""
    return [i for _, n, i in view.menu_items if n == name and _framed(view, n, i, colour) > 0]


def _title() -> TitleMenu:
    levels = [(f"l{i}", f"Game number {i}") for i in range(5)] + [(COLLECTION, "My sticker book")]
    return TitleMenu(["kid-01", "kid-02", "sam"], levels)


# -- the title ----------------------------------------------------------------------------------
def test_hovering_a_game_moves_the_highlight_and_a_click_plays_it(view, tmp_path):
    screen = TitleScreen(_title())
    screen.draw(view)
    assert _highlighted(view, "level", palette.SKY) == [0]  # not focused yet: the game column's frame is blue
    actions = _move(view, _at(view, "level", 3))
    assert actions == [hover("level", 3)]
    for action in actions:
        screen.handle(action)
    screen.draw(view)
    assert _highlighted(view, "level", palette.YELLOW) == [3]  # the frame went where the pointer is
    view.screenshot(tmp_path / "hovered.png")
    assert _move(view, _at(view, "level", 3)) == []  # moving within the same row says nothing more
    actions = _click(view, _rect(view, "level", 2).midleft)  # the row's far left end: the whole row is the target
    assert actions == [pick("level", 2)]
    screen.handle(actions[0])
    assert screen.choice == "start" and screen.menu.level_spec == "l2"


def test_the_player_column_is_chosen_by_a_click_and_never_by_passing_over(view):
    screen = TitleScreen(_title())
    screen.draw(view)
    for action in _move(view, _at(view, "player", 2)):  # the pointer crossing "sam" on its way to the games
        screen.handle(action)
    assert screen.menu.player == "kid-01" and screen.menu.focus == "player"
    actions = _click(view, _at(view, "player", 1))
    assert actions == [pick("player", 1)]
    screen.handle(actions[0])
    screen.draw(view)
    assert screen.choice is None and screen.menu.player == "kid-02"  # chosen, and no game started by surprise
    assert _highlighted(view, "player", palette.YELLOW) == [1]
    screen.handle(_click(view, _at(view, "player", 3))[0])  # "+ New player": the row that takes a typed code
    assert screen.menu.typing and screen.menu.focus == "player"
    screen.handle(_click(view, _at(view, "level", 0))[0])  # no code yet: it says so and starts nothing
    assert screen.choice is None and "Type a player code" in screen.menu.message


def test_a_click_on_no_item_does_nothing(view):
    screen = TitleScreen(_title())
    screen.draw(view)
    before = copy.deepcopy(screen.menu)
    w, h = view.screen.get_size()
    for pos in ((5, 5), (w // 2, 20), (w - 5, h - 5), (w // 2, h - 10)):
        assert _click(view, pos) == [CLICK]
        screen.handle(CLICK)
    assert _click(view, _at(view, "level", 2), button=3) == [CLICK]  # a right click chooses nothing either
    screen.handle(CLICK)
    assert screen.menu == before and screen.choice is None


def test_the_sticker_book_has_a_back_button(view):
    menu = _title()
    menu.focus, menu.level_index = "level", len(menu.levels) - 1
    screen = TitleScreen(menu)
    screen.handle(_click(view, (1, 1))[0])  # nothing drawn yet: nothing to point at
    screen.draw(view)
    screen.handle(_click(view, _at(view, "level", menu.level_index))[0])
    assert menu.page == "stickers" and screen.choice is None
    screen.draw(view)
    assert [n for _, n, _ in view.menu_items] == ["book"]  # the games under the page are not there to click
    assert _rect(view, "book", 0).height >= 48
    screen.handle(_click(view, _at(view, "book", 0))[0])
    assert menu.page == "menu"


def test_leave_proprio_answers_by_mouse_and_any_click_cancels_the_countdown(view):
    screen = TitleScreen(_title())
    screen.draw(view)
    under = _at(view, "level", 4)  # a game row, covered by the prompt once it is open
    screen.handle("back")  # Esc: "Leave Proprio?"
    screen.draw(view)
    assert {n for _, n, _ in view.menu_items} == {"confirm"}  # only the prompt's answers can be pointed at
    assert _highlighted(view, "confirm", palette.YELLOW) == [0]  # the safe answer first
    for action in _move(view, _at(view, "confirm", 1)):
        screen.handle(action)
    screen.draw(view)
    assert _highlighted(view, "confirm", palette.YELLOW) == [1]
    screen.handle(_click(view, _at(view, "confirm", 1))[0])  # "Yes, leave": a countdown, not a leave
    confirm = screen.menu.confirm
    assert confirm is not None and confirm.closing_s == CLOSE_DELAY_S and screen.choice is None
    for action in _move(view, _at(view, "confirm", 0)):  # moving the mouse is not a key: the countdown goes on
        screen.handle(action)
    assert screen.menu.confirm is confirm
    screen.update(CLOSE_DELAY_S / 2)
    assert _click(view, under) == [CLICK]  # a click anywhere, on no item, stays
    screen.handle(CLICK)
    assert screen.menu.confirm is None and screen.choice is None
    screen.draw(view)
    screen.handle(_click(view, under)[0])  # the prompt is gone: the row under it is a game again
    assert screen.choice == "start"


def test_a_click_on_the_safe_answer_goes_back_and_yes_leaves_after_the_countdown(view):
    screen = TitleScreen(_title())
    screen.handle("back")
    screen.draw(view)
    screen.handle(_click(view, _at(view, "confirm", 0))[0])
    assert screen.menu.confirm is None and screen.choice is None
    screen.handle("back")
    screen.draw(view)
    screen.handle(_click(view, _at(view, "confirm", 1), touch=True)[0])  # a finger on "Yes, leave"
    for _ in range(round(CLOSE_DELAY_S / FRAME_S) + 1):
        screen.update(FRAME_S)
    assert screen.choice == "quit"


# -- the pause menu -------------------------------------------------------------------------------
def test_the_pause_menu_follows_the_pointer_and_end_level_is_still_asked(view, tmp_path):
    menu = PauseMenu(has_next=True)
    view.draw_play(PLAY, menu)
    assert [i for _, n, i in view.menu_items if n == "pause"] == [0, 1, 2, 3, 4]
    for action in _move(view, _at(view, "pause", 1)):
        assert menu.handle(action) is None
    view.draw_play(PLAY, menu)
    assert menu.index == 1 and _highlighted(view, "pause", palette.SKY) == [1]
    view.screenshot(tmp_path / "pause.png")
    assert menu.handle(_click(view, _at(view, "pause", 1))[0]) is None  # "End level": are you sure?
    assert menu.confirm is not None and menu.pending == "end" and menu.confirm.index == 0
    view.draw_play(PLAY, menu)
    assert {n for _, n, _ in view.menu_items} == {"confirm"}
    assert menu.handle(_click(view, _at(view, "confirm", 1))[0]) is None  # "Yes": the countdown starts
    assert menu.update(CLOSE_DELAY_S - 0.1) is None
    assert menu.handle(_click(view, (3, 3))[0]) is None and menu.confirm is None  # a click stays
    assert menu.handle(_click(view, _at(view, "confirm", 1))[0]) is None  # where the prompt was, not yet redrawn
    assert menu.confirm is None and menu.index == 1  # the gone prompt's answer is no pause row: nothing happens
    view.draw_play(PLAY, menu)
    assert menu.handle(_click(view, _at(view, "pause", 0))[0]) == "resume"  # Resume needs no asking
    view.draw_play(PLAY, None)
    assert [n for _, n, _ in view.menu_items] == ["play"]  # playing: only the pause corner


def test_a_click_on_resume_pulls_the_board_nowhere_but_a_drag_on_the_field_does(view):
    menu = PauseMenu()
    view.draw_play(PLAY, menu)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=_at(view, "pause", 0), button=1, touch=False))
    view.poll()
    assert view._press_on_item  # the press began on a menu item: it steers nothing while held
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=_at(view, "pause", 0), button=1, touch=False))
    view.poll()
    view.draw_play(PLAY, None)
    field = view._to_px(0.2, 0.2)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=field, button=1, touch=False))
    assert view.poll()[0] == [CLICK] and not view._press_on_item


# -- the check-in ---------------------------------------------------------------------------------
def test_the_checkin_moves_with_the_pointer_and_a_click_answers(view, tmp_path):
    screen = CheckinScreen(("pain_before", "effort"))
    screen.draw(view)
    assert [i for _, n, i in view.menu_items if n == "scale"] == list(range(11))
    assert [i for _, n, i in view.menu_items if n == "face"] == list(range(6))
    for action in _move(view, _at(view, "scale", 7)):
        screen.handle(action)
    screen.draw(view)
    assert screen.value == 7 and _highlighted(view, "scale", palette.YELLOW) == [7]
    assert _highlighted(view, "face", palette.YELLOW) == [3]  # 7 falls on the fourth face
    view.screenshot(tmp_path / "checkin.png")
    for action in _move(view, _at(view, "face", 1)):  # a face stands for its value: 2
        screen.handle(action)
    assert screen.value == 2
    screen.handle(_click(view, _at(view, "scale", 9))[0])
    assert screen.answers == {"pain_before": 9} and not screen.done
    screen.draw(view)
    screen.handle(_click(view, _at(view, "face", 5))[0])
    assert screen.answers == {"pain_before": 9, "effort": 10} and screen.done
    screen = CheckinScreen(("pain_after", "effort"))
    screen.draw(view)
    for action in _move(view, _at(view, "skip", 0)):  # pointing at Skip moves nothing
        screen.handle(action)
    assert screen.value == 0 and screen.answers == {}
    screen.handle(_click(view, _at(view, "skip", 0))[0])  # as Esc: this question is skipped, nothing stored
    assert screen.answers == {"pain_after": None} and not screen.done


# -- the results ----------------------------------------------------------------------------------
def _results(next_label: str | None) -> ResultsView:
    return ResultsView("Sam", "Garden Balance", 900, 1000, 3, 6, 6, 0.4, (), next_label)


def test_the_results_buttons_follow_the_pointer_and_a_click_presses_one(view):
    screen = ResultsScreen(_results("Space Reach"))
    screen.draw(view)
    assert [i for _, n, i in view.menu_items if n == "results"] == [0, 1]
    assert _highlighted(view, "results", palette.YELLOW) == [0]
    for action in _move(view, _at(view, "results", 1)):
        screen.handle(action)
    screen.draw(view)
    assert _highlighted(view, "results", palette.YELLOW) == [1]
    screen.handle("confirm")  # Enter presses the framed button
    assert screen.choice == "title"
    screen = ResultsScreen(_results("Space Reach"))
    screen.draw(view)
    screen.handle(_click(view, _at(view, "results", 0))[0])
    assert screen.choice == "next"
    screen = ResultsScreen(_results(None))
    screen.draw(view)
    assert [i for _, n, i in view.menu_items if n == "results"] == [0]
    screen.handle(_click(view, _at(view, "results", 0))[0])
    assert screen.choice == "title"


# -- the hit areas --------------------------------------------------------------------------------
def test_every_item_is_a_generous_target_as_wide_as_its_row(view):
    """At 1280x720 every target is at least 48 px high, and the title's rows span their whole column."""
    menu = _title()
    menu.message = "Type a player code first (letters, digits, - or _)"  # a message box takes room from the rows
    view.draw_title(menu)
    areas = list(view.menu_items)
    view.draw_play(PLAY, PauseMenu(has_next=True))
    areas += view.menu_items
    pause = PauseMenu(index=1)
    pause.handle("confirm")
    view.draw_play(PLAY, pause)
    areas += view.menu_items
    view.draw_play(PLAY, None)
    areas += view.menu_items
    CheckinScreen(("pain_before",)).draw(view)
    areas += view.menu_items
    ResultsScreen(_results("Next")).draw(view)
    areas += view.menu_items
    assert {n for _, n, _ in areas} == {"player", "level", "pause", "confirm", "play", "face", "scale", "skip",
                                        "results"}
    assert all(rect.height >= 48 for rect, _, _ in areas), [(n, i, r) for r, n, i in areas if r.height < 48]
    w, _ = view.screen.get_size()
    players = [rect for rect, n, _ in areas if n == "player"]
    games = [rect for rect, n, _ in areas if n == "level"]
    assert all(rect.width > 0.3 * w for rect in players) and all(rect.width > 0.6 * w for rect in games)
    for column in (players, games):  # rows touch: no gap between them where a click would fall on nothing
        assert all(a.bottom == b.top for a, b in zip(column, column[1:], strict=False))


def test_a_long_column_scrolls_only_to_keep_the_selection_in_view(view):
    """Rows stay put under a pointer moving over them (a click lands on the row that was seen), and the wheel
    scrolls as the arrows do."""
    menu = TitleMenu(["kid-01"], [(f"l{i}", f"Game {i}") for i in range(30)], focus="level")
    screen = TitleScreen(menu)
    screen.draw(view)
    shown = [i for _, n, i in view.menu_items if n == "level"]
    assert shown[0] == 0 and len(shown) < 30
    last = shown[-1]
    for action in _move(view, _at(view, "level", last)):
        screen.handle(action)
    screen.draw(view)
    assert [i for _, n, i in view.menu_items if n == "level"] == shown  # hovering the last row scrolled nothing
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False, precise_x=0.0,
                                         precise_y=-1.0, touch=False))
    actions = view.poll()[0]
    assert actions == ["down"]
    screen.handle(actions[0])
    screen.draw(view)
    assert [i for _, n, i in view.menu_items if n == "level"] == [i + 1 for i in shown]
    assert _highlighted(view, "level", palette.YELLOW) == [last + 1]


def test_pointer_actions_are_named_items_and_bad_ones_are_refused():
    assert pick("pause", 2) == "pick:pause:2" and hover("scale", 10) == "hover:scale:10"
    item = item_of("pick:confirm:1")
    assert item is not None and (item.kind, item.list, item.index) == ("pick", "confirm", 1)
    for other in ("click", "confirm", "pick:confirm", "pick:confirm:-1", "pick:nowhere:1", "hover:pause:x",
                  "pick:pause:１"):
        assert item_of(other) is None
    with pytest.raises(ValueError, match="unknown menu list"):
        pick("nowhere", 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="whole number"):
        hover("pause", -1)
