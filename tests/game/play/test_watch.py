"""`proprio play LEVEL --watch`: a valid edit restarts the level, an invalid one keeps the old."""

from __future__ import annotations

from sqlite_utils import Database

from game.paths import levels_dir
from game.play import Game, PlayOptions
from game.play.clock import ManualClock
from game.play.pilot import Pilot
from game.views.factory import open_view


def test_watch_reloads_valid_edits_and_keeps_the_last_good_version(tmp_path):
    level = tmp_path / "mine.toml"
    original = (levels_dir() / "garden-balance.toml").read_text()
    level.write_text(original)

    def edit(frame: int) -> None:
        if frame == 100:  # an invalid edit: the game keeps going and says why
            level.write_text(original.replace("trials = 6", "trials = 0"))
        if frame == 200:  # fixed: the level restarts with the new version
            level.write_text(original.replace("trials = 6", "trials = 2"))

    pilot = Pilot(open_view("2d", headless=True, sound=False), each_poll=edit)
    options = PlayOptions(level=str(level), input="sim", headless=True, fast=True, seed=1, duration_s=20,
                          db_path=tmp_path / "p.db", watch=True)
    summary = Game(options, view=pilot, clock=ManualClock()).run()
    notices = [n or None for n in pilot.texts("play")]
    shown = [n for n in notices if n]
    assert shown and "challenges[0].trials" in shown[0] and shown[0].startswith("Level not reloaded")
    assert notices[-1] is None  # gone once the file is valid again
    db = Database(tmp_path / "p.db")
    sessions = list(db.query("select status, level_sha256 from sessions order by id"))
    assert sessions[0]["status"] == "aborted" and len({s["level_sha256"] for s in sessions}) >= 2
    assert "level_reloaded" in {r["kind"] for r in db.query("select kind from events")}
    assert summary.status == "completed"


def test_watch_needs_one_level(tmp_path):
    import pytest

    from game.errors import InputSpecError

    with pytest.raises(InputSpecError, match="--watch needs one level file"):
        Game(PlayOptions(level="default", headless=True, watch=True, db_path=tmp_path / "p.db"))
