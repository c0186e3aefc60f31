"""Views decide nothing: the same level, seed and input give the same telemetry in 2D and 3D."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from game.play import Game, PlayOptions

TABLES = {
    "samples": "step, t_s, x, y, raw_x, raw_y, raw_unit, device_t_s",
    "events": "t_s, kind, challenge, trial, data",
    "trials": "challenge, trial, kind, outcome, started_t_s, duration_s, difficulty, params, points, progress",
    "difficulty_changes": "t_s, challenge, kind, trial, old, new, reason, recent_success_rate",
}


def play(tmp_path: Path, view: str, level: str) -> Database:
    db_path = tmp_path / f"{view}.db"
    options = PlayOptions(level=level, player="kid-07", input="sim:0.7", view=view, seed=11, headless=True, fast=True,
                          duration_s=12.0, db_path=db_path)
    if view != "2d":
        pytest.importorskip("panda3d")
        from game.views.p3d_app import ViewUnavailableError

        try:
            Game(options).run()
        except ViewUnavailableError as exc:
            pytest.skip(f"this machine cannot make an offscreen OpenGL buffer: {exc.message}")
    else:
        Game(options).run()
    return Database(db_path)


def rows(db: Database, table: str, columns: str) -> list[tuple]:
    return [tuple(r.values()) for r in db.query(f"select {columns} from {table} order by rowid")]


@pytest.mark.parametrize("level", ["garden-balance", "space-reach"])
def test_2d_and_3d_record_identical_telemetry(tmp_path, level):
    flat, deep = play(tmp_path, "2d", level), play(tmp_path, "3d", level)
    assert flat["samples"].count == 12 * 120  # a whole run was recorded
    for table, columns in TABLES.items():
        assert rows(flat, table, columns) == rows(deep, table, columns), table
    assert rows(flat, "trials", "outcome")  # trials happened, so the comparison is not of empty tables
    assert [s["view"] for s in deep["sessions"].rows] == ["3d"]
    assert [s["view"] for s in flat["sessions"].rows] == ["2d"]
