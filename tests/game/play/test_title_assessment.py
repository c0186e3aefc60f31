"""The title screen offers the fixed assessments (game/assess) and runs one for the chosen player."""

from __future__ import annotations

from sqlite_utils import Database

from game.assess.loader import load_protocol, shipped_protocols
from game.play import Game, PlayOptions
from game.play.clock import ManualClock
from game.play.pilot import Pilot
from game.views.factory import open_view


def test_the_title_lists_every_shipped_assessment(tmp_path):
    game = Game(PlayOptions(input="keyboard", seed=1, db_path=tmp_path / "p.db", sound=False),
                view=Pilot(open_view("2d", headless=True, sound=False)), clock=ManualClock())
    try:
        rows = dict(game._title_menu().levels)
    finally:
        game.source.close()
        game.recorder.close()
    for path in shipped_protocols():
        assert rows["assess:" + path.stem] == "Assessment: " + load_protocol(path).protocol.title


def test_choosing_an_assessment_on_the_title_runs_and_stores_it(tmp_path):
    script: dict[int, list[str]] = {}
    pilot = Pilot(open_view("2d", headless=True, sound=False), script=script)
    game = Game(PlayOptions(input="sim:0.6", seed=2, db_path=tmp_path / "p.db", sound=False, player="ann-02"),
                view=pilot, clock=ManualClock())
    row = [spec for spec, _ in game._title_menu().levels].index("assess:weight-distribution")

    def steer(frame: int) -> None:
        shown = [d.what for d in pilot.drawn]
        if frame == 2:
            script[2] = ["right"] + ["down"] * row
        elif frame == 3:
            script[3] = ["confirm"]
        elif "message" in shown and shown[-1] == "title":
            script[frame] = ["quit"]  # back on the title with the results seen: close the window
        elif frame > 3 and frame % 20 == 0 and shown and shown[-1] != "title":
            script[frame] = ["confirm"]  # read each instruction, then the results
        if frame > 60 * 600:
            script[frame] = ["quit"]  # a safety net: the test must end

    pilot.each_poll = steer
    game.run()
    db = Database(tmp_path / "p.db")
    sessions = list(db.query("select id, level, status from sessions where player_id = 'ann-02'"))
    assert [s["level"] for s in sessions] == ["assessment:weight-distribution"]
    assert sessions[0]["status"] == "completed"
    trials = list(db.query("select protocol, condition from assessment_trials where session_id = ?",
                           [sessions[0]["id"]]))
    assert len(trials) == load_protocol("weight-distribution").protocol.trial_count
    assert pilot.last_title is not None and "saved for ann-02" in pilot.last_title.message
