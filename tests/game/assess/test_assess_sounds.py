"""An assessment is heard as well as seen: its instruction is read out, and a sound marks each trial's start and end."""

from __future__ import annotations

from game.play.assess import Assessment, AssessOptions
from game.play.clock import ManualClock

EYES_CLOSED = """\
schema_version = 1
title = "Closed"
kind = "quiet_stance"
trials = 2
trial_s = 3.0
get_ready_s = 1.0
rest_s = 0.5

[[conditions]]
name = "eyes_closed_firm"
title = "Eyes closed"
vision = "closed"
instruction = "Close your eyes and stand still until you hear the end."
"""


def test_a_sound_marks_each_trials_start_and_end_for_a_player_with_eyes_closed(tmp_path):
    from game.play.pilot import Pilot
    from game.views.factory import open_view

    path = tmp_path / "closed.toml"
    path.write_text(EYES_CLOSED, encoding="utf-8")
    pilot = Pilot(open_view("2d", headless=True), script={10: ["confirm"], 900: ["confirm"]})
    options = AssessOptions(protocol=str(path), player="kid-07", input="sim:0.9", db_path=tmp_path / "c.db", seed=2)
    run = Assessment(options, view=pilot, clock=ManualClock()).run()
    assert run.status == "completed" and len(run.trials) == 2
    kinds = [kind for _, kind in pilot.sounds]
    assert kinds == ["trial_start", "challenge_end", "trial_start", "challenge_end"]
    frames = [frame for frame, _ in pilot.sounds]
    assert frames == sorted(frames) and frames[1] - frames[0] >= 3.0 * 60 - 2  # the end comes after trial_s
