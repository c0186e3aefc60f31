"""The 3D view reads instructions out by the same rule as the 2D view (panda3d offscreen, its null audio)."""

from __future__ import annotations

import pytest

pytest.importorskip("panda3d")


def test_the_3d_view_reads_out_an_assessment_instruction_and_a_level_instruction(monkeypatch):
    monkeypatch.setenv("PROPRIO_SPEECH", "1")
    from game.assess.loader import load_protocol
    from game.assess.runner import AssessmentRunner
    from game.core.snapshot import Frame
    from game.views.p3d_scene import sample_snapshot
    from game.views.panda3d_view import Panda3dView
    from game.views.speech import speech_key

    runner = AssessmentRunner(load_protocol("mctsib").protocol)
    instruction = speech_key(runner.protocol.conditions[0].instruction)
    view = Panda3dView(offscreen=True, sound=False)
    try:
        speech = view.sounds.speech
        view.draw_message(*runner.headline())
        view.present()
        assert speech.said == [instruction]
        runner.confirm()
        view.draw_message(*runner.headline())  # get ready: the same words, not read again
        view.present()
        view.draw_play(Frame(snap := sample_snapshot("garden", instruction="Keep the ladybird on the leaf!",
                                                     phase="intro"), snap, 1.0))
        view.present()
        assert speech.said == [instruction, "Keep the ladybird on the leaf!"]
        view.present()  # nothing drawn: the run is over
        assert speech.spoken is None
    finally:
        view.close()
