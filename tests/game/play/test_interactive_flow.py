"""The interactive path (title, play, pause menu, results, calibration) scripted into a headless view.

The real ``Game`` runs on a ``ManualClock`` (no waiting) with a ``Pilot`` around a real
``PygameView`` on SDL's dummy driver: scripted actions, or real pygame key events posted
before a poll, drive it. Nothing is patched.
"""

from __future__ import annotations

import pygame
from sqlite_utils import Database

from game.level.loader import level_name, shipped_levels
from game.menu import CLOSE_DELAY_S
from game.play import Game, PlayOptions
from game.play.catalogue import shipped_playlists
from game.play.clock import ManualClock
from game.play.pilot import Pilot
from game.players import remembered_players
from game.views.factory import open_view

FIRST_LEVEL = len(shipped_playlists())  # the game column lists the playlists, then the levels
COUNTDOWN = round(CLOSE_DELAY_S * 60)  # frames a confirmed "leave" waits for a key that would cancel it


def _pilot(**kwargs) -> Pilot:
    return Pilot(open_view("2d", headless=True, sound=False), **kwargs)


def _keys(script: dict[int, list[tuple[int, str]]]):
    """Post real pygame key presses before the given polls (the view maps them to actions itself)."""
    def post(frame: int) -> None:
        for key, char in script.get(frame, []):
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, unicode=char, mod=0, scancode=0))
    return post


def test_title_play_pause_end_results_title_quit_with_real_keys(tmp_path):
    end = 62 + COUNTDOWN  # "End level", "Yes" at frame 62, then the countdown
    pilot = _pilot(each_poll=_keys({
        2: [(pygame.K_DOWN, "")],  # "+ New player"
        3: [(pygame.K_k, "k"), (pygame.K_7, "7")],  # type "k7"
        4: [(pygame.K_RIGHT, "")] + [(pygame.K_DOWN, "")] * FIRST_LEVEL,  # game column: the first shipped level
        5: [(pygame.K_RETURN, "")],  # play
        60: [(pygame.K_ESCAPE, "")],  # pause menu during the intro
        61: [(pygame.K_DOWN, ""), (pygame.K_RETURN, "")],  # "End level": are you sure?
        62: [(pygame.K_DOWN, ""), (pygame.K_RETURN, "")],  # "Yes, end the level": ends after the countdown
        end + 10: [(pygame.K_ESCAPE, "")],  # results -> title
        end + 20: [(pygame.K_ESCAPE, "")],  # title -> "Leave Proprio?"
        end + 21: [(pygame.K_DOWN, ""), (pygame.K_RETURN, "")],  # "Yes, leave": leaves after the countdown
    }))
    options = PlayOptions(input="keyboard", seed=3, db_path=tmp_path / "p.db", sound=False)
    summary = Game(options, view=pilot, clock=ManualClock()).run()
    assert end + 21 + COUNTDOWN - 2 <= pilot.frame <= end + 21 + COUNTDOWN + 1
    # A choice ends its screen at once: frame 5 (Enter) and end + 10 (Esc) draw nothing.
    assert [(d.frame, d.what) for d in pilot.drawn if d.frame in (4, 5, 6, 60, 61, 62, end + 10, end + 11)] == [
        (4, "title"), (6, "play"), (60, "play"), (61, "play"), (62, "play"), (end + 11, "title")]
    assert "results" in [d.what for d in pilot.drawn if end - 2 <= d.frame <= end + 9]
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
    assert summary.outcomes[0].ended_by == "end"


def test_nothing_moves_while_the_pause_menu_is_open_and_resume_goes_on(tmp_path):
    pilot = _pilot(script={2: ["right"] + ["down"] * FIRST_LEVEL, 3: ["confirm"], 30: ["pause"], 90: ["pause"],
                           150: ["back"], 151: ["down", "confirm"], 152: ["down", "confirm"], 400: ["quit"]})
    Game(PlayOptions(input="keyboard", seed=3, db_path=tmp_path / "p.db", sound=False), view=pilot,
         clock=ManualClock()).run()
    db = Database(tmp_path / "p.db")
    events = [(r["kind"], r["t_s"]) for r in
              db.query("select kind, t_s from events where kind in ('pause', 'resume') order by id")]
    assert [kind for kind, _ in events] == ["pause", "resume", "pause"]
    assert events[0][1] == events[1][1] < events[2][1]  # 60 frames paused: simulation time stood still
    steps = [r[0] for r in db.execute("select step from samples order by step")]
    # 150 - 4 frames played less the 60 paused, 2 steps a frame (120 Hz at 60 frames a second)
    assert len(steps) == 2 * (150 - 4 - 60) and steps == list(range(len(steps)))
    paused = [d.frame for d in pilot.drawn if d.what == "play" and d.text == "paused"]
    assert [f for f in paused if f < 150] == list(range(30, 90))  # the frame that opened it to the one before resume
    assert paused[-1] > 150 + COUNTDOWN - 5  # "End level" waited out its countdown, paused


def test_calibration_from_the_title_screen_can_be_cancelled(tmp_path):
    pilot = _pilot(script={2: ["right", "up"], 3: ["confirm"], 10: ["back"], 11: ["back"], 14: ["quit"]})  # Esc asks
    summary = Game(PlayOptions(input="keyboard", db_path=tmp_path / "p.db", sound=False), view=pilot,
                   clock=ManualClock()).run()
    assert pilot.texts("calibration")  # the calibration was on screen
    assert any("calibration cancelled" in m for m in pilot.texts("title"))
    assert summary.outcomes == []  # no level was played
    assert Database(tmp_path / "p.db")["calibrations"].count == 0


def test_r_still_types_an_r_in_a_new_player_code_on_the_title_screen(tmp_path):
    pilot = _pilot(each_poll=_keys({
        2: [(pygame.K_DOWN, "")],  # "+ New player"
        3: [(pygame.K_r, "r"), (pygame.K_2, "2")],  # type "r2": R is also the re-zero key
        4: [(pygame.K_RIGHT, "")] + [(pygame.K_DOWN, "")] * FIRST_LEVEL,
        5: [(pygame.K_RETURN, "")],  # play
        40: [(pygame.K_r, "r")],  # during play R re-zeroes
        60: [(pygame.K_ESCAPE, "")],
        61: [(pygame.K_DOWN, ""), (pygame.K_RETURN, "")],  # End level
        62: [(pygame.K_DOWN, ""), (pygame.K_RETURN, "")],  # Yes
    }))
    pilot.script = {62 + COUNTDOWN + 10: ["quit"]}
    Game(PlayOptions(input="keyboard", seed=3, db_path=tmp_path / "p.db", sound=False), view=pilot,
         clock=ManualClock()).run()
    db = Database(tmp_path / "p.db")
    assert [r["player_id"] for r in db["sessions"].rows] == ["r2"]
    assert db["events"].count_where("kind = 'recentre'") <= 1  # the title's R typed a letter; only play's may re-zero


def test_closing_the_window_during_play_aborts_and_keeps_every_step(tmp_path):
    pilot = _pilot(script={2: ["right"] + ["down"] * FIRST_LEVEL, 3: ["confirm"], 50: ["quit"]})
    summary = Game(PlayOptions(input="keyboard", seed=3, db_path=tmp_path / "p.db", sound=False), view=pilot,
                   clock=ManualClock()).run()
    db = Database(tmp_path / "p.db")
    assert summary.status == "aborted" and db["sessions"].get(1)["status"] == "aborted"
    assert db["samples"].count == 2 * (50 - 4)  # every step of frames 4..49 reached the database
