"""`proprio play LEVEL --watch`: a valid edit restarts the level, an invalid one keeps the old."""

from __future__ import annotations

from sqlite_utils import Database

from game.paths import levels_dir
from game.runner import PlayOptions, Runner
from game.views.pygame_view import PygameView


def test_watch_reloads_valid_edits_and_keeps_the_last_good_version(tmp_path, monkeypatch):
    level = tmp_path / "mine.toml"
    original = (levels_dir() / "garden-balance.toml").read_text()
    level.write_text(original)
    notices = []
    frame = {"n": 0}
    real_draw = PygameView.draw_play

    def draw_play(view, frame_, pause=None, notice=None):
        frame["n"] += 1
        if frame["n"] == 100:  # an invalid edit: the game keeps going and says why
            level.write_text(original.replace("trials = 6", "trials = 0"))
        if frame["n"] == 200:  # fixed: the level restarts with the new version
            level.write_text(original.replace("trials = 6", "trials = 2"))
        notices.append(notice)
        return real_draw(view, frame_, pause, notice)

    monkeypatch.setattr(PygameView, "draw_play", draw_play)
    options = PlayOptions(level=str(level), input="sim", headless=True, fast=True, seed=1, duration_s=20,
                          db_path=tmp_path / "p.db", watch=True)
    summary = Runner(options).run()
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
        Runner(PlayOptions(level="default", headless=True, watch=True, db_path=tmp_path / "p.db"))
