"""Child-proof and therapist-friendly, through the real game (Pilot, ManualClock, real pygame view, real SQLite).

Key mashing never leaves the game; a hidden window pauses; the therapist ends, skips or switches
player from the pause menu; closing the window keeps every level's data and the summary says so;
the title greets by display name and the results say "new best!" against the player's own record.
"""

from __future__ import annotations

import random

import pygame
import pytest
from sqlite_utils import Database

from game.cli.play import print_summary
from game.input.device import DeviceStatus
from game.input.pose import Pose
from game.input.source import PoseSource
from game.level.loader import load_level
from game.menu import CLOSE_DELAY_S
from game.play import Game, PlayOptions
from game.play.catalogue import shipped_playlists
from game.play.clock import ManualClock
from game.play.levels import LevelPlayer
from game.play.loop import Loop, QuitGame
from game.play.pilot import Pilot
from game.views.factory import open_view
from telemetry.store.database import open_db
from telemetry.store.players import set_identity
from telemetry.store.recorder import Recorder

FIRST_LEVEL = len(shipped_playlists())
COUNTDOWN = round(CLOSE_DELAY_S * 60)
MASH_KEYS = [(pygame.K_ESCAPE, ""), (pygame.K_SPACE, " "), (pygame.K_RETURN, "\r"), (pygame.K_UP, ""),
             (pygame.K_DOWN, ""), (pygame.K_LEFT, ""), (pygame.K_RIGHT, ""), (pygame.K_TAB, "\t"),
             (pygame.K_BACKSPACE, ""), (pygame.K_r, "r"), (pygame.K_q, "q"), (pygame.K_y, "y"), (pygame.K_k, "k"),
             (pygame.K_7, "7"), (pygame.K_s, "s")]


def _pilot(**kwargs) -> Pilot:
    return Pilot(open_view("2d", headless=True, sound=False), **kwargs)


def _post(key: int, char: str) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, unicode=char, mod=0, scancode=0))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_burst_of_random_keys_never_quits_the_game(tmp_path, seed):
    rng = random.Random(seed)
    mash_frames = 1500  # 25 s of a child hitting keys, often several a frame

    def mash(frame: int) -> None:
        if frame <= mash_frames:
            for _ in range(rng.choice([1, 1, 2, 3])):
                _post(*rng.choice(MASH_KEYS))

    pilot = _pilot(each_poll=mash, script={mash_frames + 1: ["quit"]})
    summary = Game(PlayOptions(input="keyboard", seed=3, db_path=tmp_path / "p.db", sound=False), view=pilot,
                   clock=ManualClock()).run()
    assert pilot.frame == mash_frames + 1  # only the window's close button ended the run
    assert summary.status == "aborted"
    screens = {d.what for d in pilot.drawn}
    assert screens & {"title", "play"}  # the mashing went through the menus and into levels without leaving
    db = Database(tmp_path / "p.db")
    if db["sessions"].exists():
        assert all(row["ended_at"] for row in db["sessions"].rows)  # every level it started was closed and kept


def test_a_hidden_or_unfocused_window_pauses_the_level(tmp_path):
    def hide(frame: int) -> None:
        if frame == 40:
            pygame.event.post(pygame.event.Event(pygame.WINDOWFOCUSLOST))
        if frame == 80:
            pygame.event.post(pygame.event.Event(pygame.WINDOWMINIMIZED))  # already paused: stays paused

    pilot = _pilot(each_poll=hide, script={2: ["right"] + ["down"] * FIRST_LEVEL, 3: ["confirm"], 100: ["pause"],
                                           130: ["quit"]})
    Game(PlayOptions(input="keyboard", seed=3, db_path=tmp_path / "p.db", sound=False), view=pilot,
         clock=ManualClock()).run()
    paused = [d.frame for d in pilot.drawn if d.what == "play" and d.text == "paused"]
    assert paused == list(range(40, 100))
    assert pilot.last_pause is not None and "hidden or lost focus" in pilot.last_pause.reason
    db = Database(tmp_path / "p.db")
    pauses = list(db.query("select kind, t_s, data from events where kind in ('pause', 'resume') order by id"))
    assert [p["kind"] for p in pauses] == ["pause", "resume"] and "focus_lost" in pauses[0]["data"]
    assert pauses[0]["t_s"] == pauses[1]["t_s"]  # nothing moved while the window was away
    assert db["samples"].count == 2 * ((40 - 4) + (130 - 100))


def test_a_headless_run_never_waits_on_its_window(tmp_path):
    def hide(frame: int) -> None:
        if frame == 10:
            pygame.event.post(pygame.event.Event(pygame.WINDOWFOCUSLOST))

    pilot = _pilot(each_poll=hide, script={2000: ["quit"]})  # were it paused, the window's close would end it
    summary = Game(PlayOptions(level="still-pond", input="sim", headless=True, fast=True, seed=3, duration_s=3.0,
                               db_path=tmp_path / "p.db", sound=False), view=pilot, clock=ManualClock()).run()
    assert summary.status == "completed" and 10 < pilot.frame < 2000
    assert Database(tmp_path / "p.db")["events"].count_where("kind = 'pause'") == 0


def _choose_in_pause(row: int, frame: int) -> dict[int, list]:
    """Esc, move to a pause row, Enter, then "Yes" and Enter: the choice happens after the countdown."""
    return {frame: ["back"], frame + 1: ["down"] * row + ["confirm"], frame + 2: ["down", "confirm"]}


def test_the_therapist_skips_to_the_next_level_then_switches_player(tmp_path):
    first_steps = 0  # the game column's first row: "First steps" (two levels)
    skip_at, switch_at = 30, 30 + 3 + COUNTDOWN + 40
    script = {2: ["right"] + ["down"] * first_steps, 3: ["confirm"],
              **_choose_in_pause(2, skip_at),  # Resume, End level, Next level
              **_choose_in_pause(2, switch_at)}  # the last level has no "Next level": Resume, End level, Switch player
    end = switch_at + 2 + COUNTDOWN + 10
    script[end] = ["quit"]
    pilot = _pilot(script=script)
    summary = Game(PlayOptions(input="keyboard", player="kid-07", seed=3, db_path=tmp_path / "p.db", sound=False),
                   view=pilot, clock=ManualClock()).run()
    db = Database(tmp_path / "p.db")
    rows = list(db.query("select level, status from sessions order by id"))
    assert rows == [{"level": "garden-balance", "status": "aborted"}, {"level": "space-reach", "status": "aborted"}]
    assert [o.ended_by for o in summary.outcomes] == ["skip", "switch"]
    assert not [d for d in pilot.drawn if d.what == "results"]  # skipping and switching show no results screen
    assert pilot.last_title is not None and pilot.last_title.focus == "player"
    assert "Who plays next" in pilot.texts("title")[-1]


def test_closing_the_window_keeps_the_data_and_the_summary_says_what_was_played(tmp_path, capsys):
    pilot = _pilot(script={2: ["right"] + ["down"] * FIRST_LEVEL, 3: ["confirm"], 300: ["quit"]})
    summary = Game(PlayOptions(input="keyboard", seed=3, db_path=tmp_path / "p.db", sound=False), view=pilot,
                   clock=ManualClock()).run()
    assert summary.status == "aborted" and len(summary.outcomes) == 1
    outcome = summary.outcomes[0]
    assert outcome.status == "aborted" and outcome.duration_s == pytest.approx((300 - 4) / 60, abs=0.02)
    figures = summary.figures()
    assert figures["levels"] == [outcome.level]
    assert figures["duration_s"] == pytest.approx(outcome.duration_s, abs=0.001)
    assert figures["level_results"][0]["status"] == "aborted"
    capsys.readouterr()
    print_summary(summary, as_json=False)
    text = capsys.readouterr().out
    assert "no level played" not in text and "0.0 s of play" not in text
    assert outcome.level in text and f"{outcome.duration_s:.1f} s" in text
    assert "kept" in text and str(tmp_path / "p.db") in text
    row = Database(tmp_path / "p.db")["sessions"].get(outcome.session_id)
    assert row["status"] == "aborted" and row["duration_s"] == pytest.approx(outcome.duration_s)


def test_the_title_greets_by_name_and_the_results_say_new_best(tmp_path):
    db_path = tmp_path / "p.db"
    first = Game(PlayOptions(level="still-pond", input="sim:0.05", player="kid-07", headless=True, fast=True,
                             seed=5, db_path=db_path, sound=False), view=_pilot(), clock=ManualClock())
    before = first.run().outcomes[0]
    assert before.status == "completed"
    db = open_db(db_path)
    set_identity(db, "kid-07", display_name="Sam")
    db.close()

    pilot = _pilot(script={2: ["right"], 3: ["confirm"]})  # the level named on the command line is the first row

    def close_after_results(frame: int) -> None:
        if pilot.last_results is not None:
            pilot.script = {frame: ["quit"]}

    pilot.each_poll = close_after_results
    summary = Game(PlayOptions(level="still-pond", input="sim:0.95", player="kid-07", seed=5, db_path=db_path,
                               sound=False), view=pilot, clock=ManualClock()).run()  # today: the sessions' own day
    assert pilot.last_title is not None and pilot.last_title.greeting == "Hello, Sam!"
    after, results = summary.outcomes[0], pilot.last_results
    assert results is not None and after.status == "completed"
    assert results.player == "Sam" and "Sam" in results.heading
    assert after.score > before.score  # the stronger simulated player did better: a record to celebrate
    assert f"New best score! {after.score} (before: {before.score})" in results.new_bests
    assert (after.stars > before.stars) == any(line.startswith("New best!") for line in results.new_bests)
    assert results.week.endswith("this week!") or results.week.endswith("days this week")
    share = after.successes / after.trials
    assert ("Well done" in results.heading) == (0.5 <= share < 0.8)


class Flaky(PoseSource):
    """A board that stops sending between two frames of play and then comes back."""

    name = "flaky board"

    def __init__(self, quiet: range) -> None:
        self.quiet, self.frame = quiet, 0

    def poll(self, t_s: float) -> Pose:
        return Pose(t_s, 0.0, 0.0, 0.0, 0.0, "deg")

    def status(self) -> DeviceStatus:
        self.frame += 1
        if self.frame in self.quiet:
            return DeviceStatus(False, "No data from the wobble board for 2 s: check its cable or battery", "stale")
        return DeviceStatus(True)


def test_a_device_dropping_out_sounds_says_what_to_do_and_coming_back_sounds_again(tmp_path):
    source = Flaky(range(30, 90))
    pilot = _pilot()
    options = PlayOptions(input="keyboard", seed=3, db_path=tmp_path / "p.db", sound=False)
    recorder = Recorder(tmp_path / "p.db")
    try:
        levels = LevelPlayer(Loop(ManualClock(), pilot, source), recorder, source, options, 3)
        pilot.script = {150: ["quit"]}
        with pytest.raises(QuitGame):
            levels.play("kid-07", load_level("garden-balance"), "garden-balance")
    finally:
        recorder.close()
    kinds = [kind for _, kind in pilot.sounds]
    assert kinds.count("device_lost") == 1 and kinds.count("device_back") == 1
    assert kinds.index("device_lost") < kinds.index("device_back")
    notices = [d.text for d in pilot.drawn if d.what == "play" and d.text.startswith("No data")]
    assert notices and notices[0] == ("No data from the wobble board for 2 s: check its cable or battery."
                                      " The game is paused and nothing is lost.")
    assert levels.played[0].status == "aborted"  # the window closed: the level is kept as aborted
