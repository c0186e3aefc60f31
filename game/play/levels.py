"""One level, start to close: the session from the store, the recording, the level screen, the closing row."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from game import __version__
from game.core.world import STEP_HZ
from game.input.calibration import CalibrationError
from game.input.device import InputMeter
from game.input.source import PoseSource
from game.level.loader import LoadedLevel
from game.level.watch import LevelWatcher
from game.play.loop import Loop, QuitGame
from game.play.outcome import LevelOutcome, RunSummary, frame_figures
from game.play.screens.level import LevelScreen
from game.session import Session, Sitting, start_session
from telemetry.store.recorder import LevelRecording, Recorder
from telemetry.store.sessions import closing_status

if TYPE_CHECKING:
    from game.play.app import PlayOptions


class LevelPlayer:
    """Plays levels on one loop for one run: each player's sitting carries over from level to level."""

    def __init__(self, loop: Loop, recorder: Recorder, source: PoseSource, options: PlayOptions, seed: int,
                 notify: Callable[[str], None] | None = None, played: list[LevelOutcome] | None = None) -> None:
        self.loop = loop
        self.recorder = recorder
        self.source = source
        self.options = options
        self.seed = seed
        self.notify = notify
        self.played_s = 0.0  # play time of this run's levels (for --duration)
        self._sittings: dict[str, Sitting] = {}  # per player: play time and rest breaks across levels
        self.meter = InputMeter(source)  # one for the run: each level counts its drops from where the last stopped
        self.played: list[LevelOutcome] = [] if played is None else played  # every level started, however it ended

    def time_left(self) -> float | None:
        """Play time left under ``--duration`` (None: no duration was given)."""
        if self.options.duration_s is None:
            return None
        return max(0.0, self.options.duration_s - self.played_s)

    def play(self, player: str, loaded: LoadedLevel, plan_name: str, watcher: LevelWatcher | None = None, *,
             has_next: bool = False) -> tuple[LevelOutcome, LoadedLevel | None]:
        """Play one level; return its outcome and, when a watched file changed, its new version.

        The outcome is in ``played`` from the moment the level starts, so a run that ends with the
        window closed, Quit game or Ctrl-C still reports the level and its seconds. ``has_next``:
        the pause menu offers "Next level".
        """
        recorder, level = self.recorder, loaded.level
        limits = recorder.limits(player)
        sitting = self._sittings.setdefault(player, Sitting(limits.session))
        sitting.limits = limits.session
        session = start_session(level, self.seed, stored=recorder.stored_scalers(player), limits=limits,
                                sitting=sitting, stop_at_s=self.time_left())  # a limit it cannot honour stops here
        recording = recorder.begin({
            "player_id": player, "level": loaded.name, "level_title": level.title,
            "level_path": str(loaded.path), "level_sha256": loaded.sha256, "plan": plan_name,
            "device": self.source.name, "view": self.options.view, "seed": self.seed,
            "step_hz": float(STEP_HZ), "app_version": __version__,
            "calibration_id": self._apply_calibration(player),
        }, session.plan.starts)
        outcome = LevelOutcome(recording.session_id, loaded.name, level.title, "running", 0.0, 0, 0, 0,
                               session.world.max_score, 0, session.scalers[0].difficulty, player=player)
        self.played.append(outcome)
        screen = LevelScreen(session, self.source, recording, watcher, self.meter,
                             device_timeout_s=self.options.device_timeout, notify=self.notify, has_next=has_next,
                             pause_when_hidden=not self.options.headless)
        try:
            self.loop.run(screen, outcome.frame_ms)
            outcome.status = screen.status or "aborted"
            outcome.ended_by = screen.ended_by
        except (KeyboardInterrupt, QuitGame):
            outcome.status = "aborted"
            raise
        finally:
            self._close(session, screen, recording, outcome)
        outcome.time_up = outcome.status == "completed" and session.time_up
        return outcome, screen.reloaded

    def play_watched(self, player: str, loaded: LoadedLevel, summary: RunSummary) -> None:
        """Play one level over and over, restarting it with each new valid version of its file."""
        watcher = LevelWatcher(loaded.path, loaded.sha256)
        while self.time_left() != 0.0:
            sitting = self._sittings.get(player)
            if sitting is not None and sitting.time_up(0.0):  # the clinician's session length is used up
                return
            outcome, reloaded = self.play(player, loaded, str(loaded.path), watcher)
            if outcome.time_up:  # the clinician's session length is used up: no new session, however long it waits
                return
            if reloaded is not None:
                loaded = reloaded
                continue
            if outcome.status != "completed":
                summary.status = outcome.status
                return

    def _apply_calibration(self, player: str) -> int | None:
        """Give the device the player's stored calibration; its id for the session row (None: default)."""
        calibration = self.recorder.calibration(player, self.source.description)
        if calibration is None:
            return None
        try:
            self.source.set_calibration(calibration)
        except (CalibrationError, ValueError):
            return None
        return calibration.id

    def _close(self, session: Session, screen: LevelScreen, recording: LevelRecording,
               outcome: LevelOutcome) -> None:
        session.end()
        snap = session.snapshot()
        outcome.duration_s = session.t_s
        outcome.trials = session.totals.trials
        outcome.successes = session.totals.successes
        outcome.score = session.world.score
        outcome.stars = snap.stars
        outcome.dropped_steps = screen.stepper.dropped_steps
        outcome.difficulty_reached = max(s.difficulty for s in session.scalers)
        self.played_s += session.t_s
        problem = recording.problem()
        if problem is not None and self.notify is not None:
            self.notify(f"{problem}; saving this level's data, waiting up to {self.recorder.finish_wait_s:.0f} s")
        losses = recording.finish({
            "status": outcome.status, "duration_s": round(session.t_s, 6), "trials": outcome.trials,
            "successes": outcome.successes, "success_rate": session.totals.success_rate, "score": outcome.score,
            "max_score": outcome.max_score, "stars": outcome.stars, "difficulty_reached": outcome.difficulty_reached,
            "dropped_steps": outcome.dropped_steps, **screen.device.figures(), **frame_figures(outcome.frame_ms),
        }, session.plan.to_store())
        outcome.lost_s, outcome.lost_rows = losses.lost_s, losses.lost_rows
        outcome.stored_status = closing_status(outcome.status, losses.lost_rows)
        if losses.lost_rows and self.notify is not None:
            self.notify(f"{losses.lost_s:.1f} s of play ({losses.lost_rows} rows) could not be saved"
                        f" ({losses.problem}); session {outcome.session_id} is stored as {outcome.stored_status}"
                        " with the seconds missing."
                        " The difficulty progress was saved.")
