"""After the first game of a sitting, a player with a prescribed programme is asked how it felt (and may skip)."""

from __future__ import annotations

from sqlite_utils import Database

from game.play import Game, PlayOptions
from game.play.catalogue import shipped_playlists
from game.play.clock import ManualClock
from game.play.pilot import Pilot
from game.views.factory import open_view
from telemetry.store.clinic import set_plan
from telemetry.store.recorder import Recorder

FIRST_LEVEL = len(shipped_playlists())


def _play_one_level(db_path, answers: list[str]) -> Pilot:
    """Title: the first level, then End level (confirmed), results, the check-in answers, then close."""
    script: dict[int, list[str]] = {2: ["right"] + ["down"] * FIRST_LEVEL, 3: ["confirm"]}
    pilot = Pilot(open_view("2d", headless=True, sound=False), script=script)
    state = {"answered": False, "ended": False}

    def steer(frame: int) -> None:
        shown = [d.what for d in pilot.drawn]
        if not state["ended"] and shown and shown[-1] == "play" and frame > 40:
            script[frame] = ["pause", "down", "confirm", "down", "confirm"]  # End level, yes
            state["ended"] = True
        elif shown and shown[-1] == "results" and frame % 30 == 0:
            script[frame] = ["back"]
        elif shown and shown[-1] == "message" and not state["answered"]:
            script[frame] = answers
            state["answered"] = True
        elif shown and shown[-1] == "title" and state["ended"] and frame % 30 == 0:
            script[frame] = ["quit"]
        if frame > 4000:
            script[frame] = ["quit"]

    pilot.each_poll = steer
    Game(PlayOptions(input="keyboard", seed=3, db_path=db_path, sound=False, player="kid-07"), view=pilot,
         clock=ManualClock()).run()
    return pilot


def test_a_player_with_a_programme_is_asked_once_and_the_answers_are_stored(tmp_path):
    db_path = tmp_path / "p.db"
    recorder = Recorder(db_path)
    set_plan(recorder.db, "kid-07", sessions_per_week=3, minutes_per_session=10, start_date="2026-11-01", weeks=6)
    recorder.close()
    pilot = _play_one_level(db_path, ["right", "right", "confirm", "left", "confirm"])  # pain 2; effort stays 0
    asked = [d.text for d in pilot.drawn if d.what == "message"]
    assert asked, "the check-in was not shown"
    rows = list(Database(db_path).query("select session_id, pain_after, effort from checkins"))
    assert len(rows) == 1 and rows[0]["pain_after"] == 2 and rows[0]["effort"] == 0
    assert rows[0]["session_id"] == Database(db_path).execute("select max(id) from sessions").fetchone()[0]


def test_without_a_programme_nobody_is_asked(tmp_path):
    pilot = _play_one_level(tmp_path / "p.db", ["confirm", "confirm"])
    assert not [d for d in pilot.drawn if d.what == "message"]
    assert not Database(tmp_path / "p.db")["checkins"].exists() or Database(tmp_path / "p.db")["checkins"].count == 0
