"""A real lock on the database mid-level: the player sees it, the clinician is told, the session says what it lost."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from game.play.app import Game, PlayOptions
from game.play.clock import ManualClock
from game.play.pilot import Pilot
from game.views.factory import open_view
from telemetry.store.recorder import Recorder

LOCK_FROM_FRAME = 120  # 2 s of play at 60 frames per second
HOLD_FRAMES = 600  # then 10 s of play with the write lock held by another connection
_pause = threading.Event()  # never set: a bounded wait for the writer thread to meet the lock


def test_a_lock_longer_than_the_memory_budget_is_shown_told_and_stored_as_a_gap(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    lines: list[str] = []
    state: dict[str, object] = {}

    def lock_the_database(frame: int) -> None:
        if frame == LOCK_FROM_FRAME:
            blocker = sqlite3.connect(str(path), isolation_level=None)
            blocker.execute("BEGIN IMMEDIATE")
            state["blocker"] = blocker
        elif frame == LOCK_FROM_FRAME + 1:  # let the writer meet the lock before play goes on
            recording = game.recorder.current
            assert recording is not None
            for _ in range(2000):
                if recording.problem() is not None:
                    break
                _pause.wait(0.01)
        elif frame == LOCK_FROM_FRAME + HOLD_FRAMES:
            blocker = state.pop("blocker")
            assert isinstance(blocker, sqlite3.Connection)
            blocker.execute("ROLLBACK")
            blocker.close()
        elif frame == LOCK_FROM_FRAME + HOLD_FRAMES + 1:  # let the writer's retry land before play goes on
            recording = game.recorder.current
            assert recording is not None
            for _ in range(2000):
                if recording.problem() is None:
                    break
                _pause.wait(0.01)

    pilot = Pilot(open_view("2d", headless=True, sound=False), each_poll=lock_the_database)
    options = PlayOptions(level="sway-steps", player="kid-07", input="sim", seed=7, headless=True, duration_s=20.0,
                          db_path=path, sound=False)
    game = Game(options, view=pilot, clock=ManualClock(), notify=lines.append)
    game.recorder.close()  # the same database, with a short busy timeout and a 2 s memory budget (the game's: 60 s)
    game.recorder = Recorder(path, writer_busy_timeout_s=0.02, max_held_rows={"samples": 240})
    summary = game.run()

    outcome = summary.outcomes[0]
    assert outcome.status == "completed" and outcome.stored_status == "completed_with_gaps"
    notices = [d.text for d in pilot.drawn if d.what == "play" and d.text.startswith("Data not saved yet")]
    assert notices and "another program has locked the database" in notices[0]
    assert any("another program has locked the database" in line for line in lines)
    assert any(line.startswith("telemetry is being saved again") and "could not be kept" in line for line in lines)
    assert any("could not be saved" in line and "completed_with_gaps" in line for line in lines)
    db = sqlite3.connect(str(path))
    status, trials, lost_s, lost_rows, problem = db.execute(
        "select status, trials, lost_s, lost_rows, write_problem from sessions where id = ?",
        [outcome.session_id]).fetchone()
    samples = db.execute("select count(*) from samples where session_id = ?", [outcome.session_id]).fetchone()[0]
    stored_trials = db.execute("select count(*) from trials where session_id = ?", [outcome.session_id]).fetchone()[0]
    progress = db.execute("select count(*) from difficulty_state where player_id = 'kid-07'").fetchone()[0]
    db.close()
    assert status == "completed_with_gaps" and lost_s == outcome.lost_s > 0 and lost_rows >= lost_s * 120
    assert "locked" in problem
    assert samples + round(lost_s * 120) == 20 * 120  # every step is stored or counted as missing
    assert stored_trials == trials == outcome.trials  # trial rows are small: kept through the lock
    assert progress > 0  # the difficulty progress was saved after the gap
    assert summary.figures()["lost_s"] == outcome.lost_s
