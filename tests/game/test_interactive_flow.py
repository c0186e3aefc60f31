"""The interactive path (title, play, pause menu, results) driven by real pygame key events."""

from __future__ import annotations

import pygame
from sqlite_utils import Database

from game.level.loader import level_name, shipped_levels
from game.players import remembered_players
from game.runner import PlayOptions, Runner
from game.views.pygame_view import PygameView


def press(key, unicode=""):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, unicode=unicode, mod=0, scancode=0))


def test_title_play_pause_end_results_title_quit(tmp_path, monkeypatch):
    script = {
        2: [(pygame.K_DOWN, "")],  # "+ New player"
        3: [(pygame.K_k, "k"), (pygame.K_7, "7")],  # type "k7"
        4: [(pygame.K_RIGHT, ""), (pygame.K_DOWN, "")],  # level column: the first shipped level
        5: [(pygame.K_RETURN, "")],  # play
        60: [(pygame.K_ESCAPE, "")],  # pause menu during the intro
        61: [(pygame.K_DOWN, ""), (pygame.K_RETURN, "")],  # "End level"
        65: [(pygame.K_ESCAPE, "")],  # results -> title
        70: [(pygame.K_ESCAPE, "")],  # title -> quit
    }
    frame = {"n": 0}
    real_poll = PygameView.poll

    def poll(view):
        frame["n"] += 1
        for key, char in script.get(frame["n"], []):
            press(key, char)
        return real_poll(view)

    monkeypatch.setattr(PygameView, "poll", poll)
    monkeypatch.setattr("game.runner.time.sleep", lambda s: None)
    options = PlayOptions(input="keyboard", fast=True, seed=3, db_path=tmp_path / "p.db", sound=False)
    summary = Runner(options).run()
    assert frame["n"] >= 70
    db = Database(tmp_path / "p.db")
    rows = list(db["sessions"].rows)
    assert len(rows) == 1
    assert rows[0]["player_id"] == "k7" and rows[0]["status"] == "aborted"
    assert rows[0]["level"] == level_name(shipped_levels()[0])  # the row under "All levels"
    kinds = [r["kind"] for r in db.query("select kind from events order by id")]
    assert "pause" in kinds
    last, players = remembered_players()
    assert last == "k7" and "k7" in players  # remembered for the next title screen
    assert summary.outcomes and summary.outcomes[0].status == "aborted"


def test_calibration_from_the_title_screen_can_be_cancelled(tmp_path, monkeypatch):
    script = {
        2: [(pygame.K_RIGHT, ""), (pygame.K_UP, "")],  # level column, wrap to the last row: Calibrate
        3: [(pygame.K_RETURN, "")],  # open the calibration
        10: [(pygame.K_ESCAPE, "")],  # cancel it: back on the title with a message
        14: [(pygame.K_ESCAPE, "")],  # quit
    }
    frame = {"n": 0}
    messages = []
    real_poll = PygameView.poll
    real_title = PygameView.draw_title

    def poll(view):
        frame["n"] += 1
        for key, char in script.get(frame["n"], []):
            press(key, char)
        return real_poll(view)

    def draw_title(view, menu):
        messages.append(menu.message)
        return real_title(view, menu)

    monkeypatch.setattr(PygameView, "poll", poll)
    monkeypatch.setattr(PygameView, "draw_title", draw_title)
    monkeypatch.setattr("game.runner.time.sleep", lambda s: None)
    summary = Runner(PlayOptions(input="keyboard", fast=True, db_path=tmp_path / "p.db", sound=False)).run()
    assert any("calibration cancelled" in m for m in messages)
    assert summary.outcomes == []  # no level was played
    assert Database(tmp_path / "p.db")["calibrations"].count == 0
