"""`proprio play LEVEL --watch` ends when the clinician's session length is used up: no loop of empty sessions."""

from __future__ import annotations

import shutil

from sqlite_utils import Database

from game.paths import levels_dir
from game.play import Game, PlayOptions
from game.play.clock import ManualClock
from game.play.pilot import Pilot
from game.views.factory import open_view
from telemetry.store.database import open_db
from telemetry.store.limits import save_limits

GUARD_FRAMES = 5_000  # far more than 6 s of play needs; reached only by a run that never stops


def test_a_session_length_limit_ends_a_watched_level_after_one_session(tmp_path):
    db_path, level = tmp_path / "p.db", tmp_path / "mine.toml"
    shutil.copy(levels_dir() / "still-pond.toml", level)
    db = open_db(db_path)
    save_limits(db, "kid-7", "all", max_session_s=6.0)
    db.close()

    def guard(frame: int) -> None:
        if frame > GUARD_FRAMES:
            raise KeyboardInterrupt  # the old loop: stop it so that the assertions can say what happened

    pilot = Pilot(open_view("2d", headless=True, sound=False), each_poll=guard)
    options = PlayOptions(level=str(level), input="sim:0.6", headless=True, fast=True, seed=1, player="kid-7",
                          db_path=db_path, watch=True)
    summary = Game(options, view=pilot, clock=ManualClock()).run()
    rows = list(Database(db_path).query("select status, duration_s from sessions order by id"))
    assert [(r["status"], r["duration_s"]) for r in rows] == [("completed", 6.0)]
    assert summary.status == "completed" and len(summary.outcomes) == 1 and summary.outcomes[0].time_up
    assert "session_limit" in {r["kind"] for r in Database(db_path).query("select kind from events")}
