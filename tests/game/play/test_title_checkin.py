"""A player with a prescribed programme is asked how it feels before the first game of a sitting and how it felt
after it (each skippable); the answers share one check-in row, and an answer given before survives a game left early."""

from __future__ import annotations

from datetime import date, timedelta

from sqlite_utils import Database

from game.checkin import QUESTIONS
from game.play import Game, PlayOptions
from game.play.catalogue import shipped_playlists
from game.play.clock import ManualClock
from game.play.pilot import Pilot
from game.views.factory import open_view
from telemetry.store.clinic import set_plan
from telemetry.store.recorder import Recorder

FIRST_LEVEL = len(shipped_playlists())


def _play_one_level(db_path, answers: list[str], before: list[str] | None = None, *, quit_in_play: bool = False,
                    player: str = "kid-07", games: int = 1) -> Pilot:
    """Title: the first level (after the "right now?" answers ``before``, if asked), then End level (confirmed)
    or, with ``quit_in_play``, the window closed mid-game; results, the after check-in ``answers``, then close."""
    script: dict[int, list[str]] = {2: ["right"] + ["down"] * FIRST_LEVEL, 3: ["confirm"]}
    pilot = Pilot(open_view("2d", headless=True, sound=False), script=script)
    state = {"before": False, "answered": False, "ended": False, "games": 1}

    def steer(frame: int) -> None:
        shown = [d for d in pilot.drawn]
        last = shown[-1] if shown else None
        if last is None:
            return
        if last.what == "message" and last.text == QUESTIONS["pain_before"].ask and not state["before"]:
            script[frame] = list(before or ["back"])
            state["before"] = True
        elif not state["ended"] and last.what == "play" and frame > 40:
            script[frame] = ["quit"] if quit_in_play else ["pause", "down", "confirm", "down", "confirm"]
            state["ended"] = True
        elif last.what == "results" and frame % 30 == 0:
            script[frame] = ["back"]
        elif last.what == "message" and last.text != QUESTIONS["pain_before"].ask and not state["answered"]:
            script[frame] = answers
            state["answered"] = True
        elif last.what == "title" and state["ended"] and frame % 30 == 0 and state["games"] < games:
            script[frame] = ["confirm"]  # the same game again, in the same sitting
            state["games"] += 1
            state["ended"] = False
        elif last.what == "title" and state["ended"] and frame % 30 == 0:
            script[frame] = ["quit"]
        if frame > 4000:
            script[frame] = ["quit"]

    pilot.each_poll = steer
    Game(PlayOptions(input="keyboard", seed=3, db_path=db_path, sound=False, player=player), view=pilot,
         clock=ManualClock()).run()
    return pilot


def _prescribe(db_path, player: str = "kid-07") -> None:
    recorder = Recorder(db_path)
    set_plan(recorder.db, player, sessions_per_week=3, minutes_per_session=10, start_date="2026-11-01", weeks=6)
    recorder.close()


def _rows(db_path) -> list[dict]:
    return list(Database(db_path).query("select session_id, at, pain_before, pain_after, effort from checkins"))


def _last_session(db_path) -> int:
    return Database(db_path).execute("select max(id) from sessions").fetchone()[0]


def test_a_player_with_a_programme_is_asked_once_and_the_answers_are_stored(tmp_path):
    db_path = tmp_path / "p.db"
    _prescribe(db_path)
    pilot = _play_one_level(db_path, ["right", "right", "confirm", "left", "confirm"])  # pain 2; effort stays 0
    asked = [d.text for d in pilot.drawn if d.what == "message"]
    assert asked == [QUESTIONS["pain_before"].ask, QUESTIONS["pain_after"].ask]  # effort was answered unseen
    rows = _rows(db_path)
    assert len(rows) == 1 and rows[0]["pain_after"] == 2 and rows[0]["effort"] == 0
    assert rows[0]["pain_before"] is None  # skipped before the game: nothing stored for it
    assert rows[0]["session_id"] == _last_session(db_path)


def test_the_before_answer_shares_the_row_of_the_after_answers(tmp_path):
    db_path = tmp_path / "p.db"
    _prescribe(db_path)
    pilot = _play_one_level(db_path, ["right", "confirm", "right", "right", "right", "confirm"],
                            before=["right", "right", "right", "confirm"])
    first_play = next(i for i, d in enumerate(pilot.drawn) if d.what == "play")
    assert QUESTIONS["pain_before"].ask in [d.text for d in pilot.drawn[:first_play]], "not asked before the game"
    rows = _rows(db_path)
    assert [(r["pain_before"], r["pain_after"], r["effort"]) for r in rows] == [(3, 1, 3)]
    assert rows[0]["session_id"] == _last_session(db_path)


def test_skipping_everything_stores_nothing_and_the_game_still_starts(tmp_path):
    db_path = tmp_path / "p.db"
    _prescribe(db_path)
    pilot = _play_one_level(db_path, ["back", "back"], before=["back"])
    assert any(d.what == "play" for d in pilot.drawn)
    assert _rows(db_path) == []


def test_a_game_left_early_keeps_the_answer_given_before(tmp_path):
    db_path = tmp_path / "p.db"
    _prescribe(db_path)
    summary_pilot = _play_one_level(db_path, [], before=["right", "right", "right", "right", "confirm"],
                                    quit_in_play=True)
    assert not [d for d in summary_pilot.drawn if d.text == QUESTIONS["pain_after"].ask]  # never reached
    rows = _rows(db_path)
    assert [(r["pain_before"], r["pain_after"], r["effort"]) for r in rows] == [(4, None, None)]
    assert rows[0]["session_id"] == _last_session(db_path) and rows[0]["at"]


def test_without_a_programme_nobody_is_asked(tmp_path):
    pilot = _play_one_level(tmp_path / "p.db", ["confirm", "confirm"])
    assert not [d for d in pilot.drawn if d.what == "message"]
    assert not Database(tmp_path / "p.db")["checkins"].exists() or Database(tmp_path / "p.db")["checkins"].count == 0


def test_the_title_says_todays_goal_from_the_plan_and_counts_the_session(tmp_path):
    db_path = tmp_path / "p.db"
    recorder = Recorder(db_path)
    set_plan(recorder.db, "kid-07", sessions_per_week=3, minutes_per_session=15, start_date=date.today(), weeks=4,
             levels=["garden-balance", "still-pond"])
    set_plan(recorder.db, "kid-08", sessions_per_week=2, minutes_per_session=10, start_date=date.today(), weeks=4)
    recorder.close()
    pilot = _play_one_level(db_path, ["back", "back"], before=["back"], player="kid-08")
    titles = [d for d in pilot.drawn if d.what == "title"]
    assert titles and pilot.last_title is not None
    progress = pilot.last_title.progress
    assert progress["kid-08"].week_words() == "1 of 2 sessions this week"  # the game just played counts
    assert progress["kid-08"].today_words().startswith("Today's goal: 10 minutes")


def test_a_plan_says_its_levels_by_title_and_when_it_starts(tmp_path):
    db_path = tmp_path / "p.db"
    recorder = Recorder(db_path)
    start = date.today() + timedelta(days=3)
    set_plan(recorder.db, "kid-07", sessions_per_week=3, minutes_per_session=15, start_date=start, weeks=4)
    set_plan(recorder.db, "kid-09", sessions_per_week=3, minutes_per_session=15, start_date=date.today(), weeks=4,
             levels=["garden-balance", "still-pond"])
    recorder.close()
    game = Game(PlayOptions(input="keyboard", seed=3, db_path=db_path, sound=False, player="kid-07"),
                view=Pilot(open_view("2d", headless=True, sound=False)), clock=ManualClock())
    try:
        assert game.progress("kid-07").today_words().startswith("Your plan starts on ")
        assert game.progress("kid-07").today_words().endswith(": 3 a week, 15 minutes each")
        assert game.progress("kid-09").today_words() == "Today's goal: 15 minutes · Garden Balance, Still Pond"
        assert game.progress("kid-09").week_words() == "0 of 3 sessions this week"
        assert game.progress("nobody").plan is None and game.progress("nobody").today_words().startswith("Today:")
    finally:
        game.recorder.close()
        game.source.close()


def test_the_prescribed_levels_come_first_on_the_game_list(tmp_path):
    db_path = tmp_path / "p.db"
    recorder = Recorder(db_path)
    set_plan(recorder.db, "kid-07", sessions_per_week=3, minutes_per_session=15, start_date=date.today(), weeks=4,
             levels=["still-pond", "garden-balance"])
    set_plan(recorder.db, "kid-10", sessions_per_week=3, minutes_per_session=15, start_date=date.today(), weeks=4,
             playlist="kids-adventure")
    recorder.close()
    for player, expected in (("kid-07", ["Still Pond (your plan)", "Garden Balance (your plan)"]),
                             ("kid-10", ["Kids' adventure: 4-5 min (your plan)"])):
        game = Game(PlayOptions(input="keyboard", seed=3, db_path=db_path, sound=False, player=player),
                    view=Pilot(open_view("2d", headless=True, sound=False)), clock=ManualClock())
        try:
            labels = [label for _, label in game._title_menu().levels]
        finally:
            game.recorder.close()
            game.source.close()
        assert labels[:len(expected)] == expected
        assert sum(label.endswith("(your plan)") for label in labels) == len(expected)
        assert len(labels) > len(expected) + 10  # every other game is still offered


def test_the_questions_are_asked_once_a_sitting(tmp_path):
    db_path = tmp_path / "p.db"
    _prescribe(db_path)
    pilot = _play_one_level(db_path, ["right", "confirm", "confirm"], before=["right", "confirm"], games=2)
    plays = [i for i, d in enumerate(pilot.drawn) if d.what == "play" and (i == 0 or pilot.drawn[i - 1].what != "play")]
    assert len(plays) == 2, "two games were played"
    asked = [d.text for d in pilot.drawn if d.what == "message"]
    assert asked == [QUESTIONS["pain_before"].ask, QUESTIONS["pain_after"].ask]  # not again for the second game
    rows = _rows(db_path)
    assert [(r["pain_before"], r["pain_after"], r["effort"]) for r in rows] == [(1, 1, 0)]
