"""Playing for real: one loop handed a clock, a view, a pose source and a recorder, running small screens.

``Game`` (app.py) opens things, runs the plan and closes things; ``Loop`` (loop.py) runs one
screen at a time; the screens (screens/) are the title, the level with its pause menu, the
results and the calibration; ``clock.py`` is the only module that reads the wall clock.
"""

from __future__ import annotations

from game.play.app import Game, PlayOptions
from game.play.outcome import LevelOutcome, RunSummary

__all__ = ["Game", "LevelOutcome", "PlayOptions", "RunSummary"]
