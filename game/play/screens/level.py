"""The level screen: steps the session in fixed steps from an accumulator, with its pause menu.

Every rule of play is the session's (scalers, the clinician's rest breaks and session length);
this screen only turns frames into fixed steps, pauses for the pause menu or an absent
device, hands rows to the recording, and draws the interpolated frame.
"""

from __future__ import annotations

import math
from typing import Literal

from game.core.events import Event
from game.core.snapshot import Frame
from game.core.stepper import FixedStepper
from game.core.world import STEP_S
from game.input.device import DeviceWatch, InputMeter
from game.input.source import PoseSource
from game.level.loader import LoadedLevel
from game.level.watch import LevelWatcher
from game.menu import PauseMenu
from game.play.loop import QuitGame, Screen
from game.session import Session, step_from
from game.views.base import View
from telemetry.store.recorder import LevelRecording

LevelStatus = Literal["completed", "aborted"]
WATCH_EVERY_FRAMES = 30  # look at a watched level file twice a second at 60 frames per second


class LevelScreen(Screen):
    """One level in play; ``status`` says how it ended, ``reloaded`` holds a watched file's new version."""

    steers = True

    def __init__(self, session: Session, source: PoseSource, recording: LevelRecording,
                 watcher: LevelWatcher | None = None, meter: InputMeter | None = None) -> None:
        self.session = session
        self.source = source
        self.recording = recording
        self.watcher = watcher
        self.stepper = FixedStepper(STEP_S)
        self.device = DeviceWatch(source, meter)  # pauses for an absent device; dropped samples, input rate
        self.pause: PauseMenu | None = None
        self.prev = self.curr = session.snapshot()
        self.alpha = 0.0
        self.status: LevelStatus | None = None
        self.reloaded: LoadedLevel | None = None
        self.frames = 0
        self._sounds: list[Event | str] = []
        self._notice: str | None = None

    @property
    def done(self) -> bool:
        return self.status is not None

    @property
    def idle(self) -> bool:
        """Waiting for a device: even --fast sleeps rather than spin."""
        return not self.device.status.ready

    def handle(self, action: str) -> None:
        t_s = self.session.t_s
        if action == "recentre":  # re-zero the device on its current reading
            if self.source.recentre():
                self.recording.event(t_s, "recentre")
            return
        if self.pause is None:
            if action in ("pause", "back"):
                self.pause = PauseMenu()
                self._sounds.append("pause")
                self.recording.event(t_s, "pause")
            return
        choice = self.pause.handle(action)
        if choice == "resume":
            self.pause = None
            self._sounds.append("resume")
            self.recording.event(t_s, "resume")
        elif choice == "end":
            self.status = "aborted"
        elif choice == "quit":
            raise QuitGame

    def update(self, dt_s: float) -> None:
        session, recording = self.session, self.recording
        change = self.device.check()
        if change is not None:
            recording.event(session.t_s, change[0], change[1])
        running = self.pause is None and self.device.status.ready
        steps, self.alpha = self.stepper.advance(dt_s if running else 0.0)
        for _ in range(steps):
            step = step_from(session, self.source)
            recording.step(step)
            self.prev, self.curr = (self.curr, session.snapshot()) if step.played else (self.curr, self.curr)
            self._sounds.extend(step.events)
            if session.finished:
                self.status = "completed"
                break
        self.frames += 1
        self._notice = self._watch_file() if self.watcher is not None else None
        if session.resting:
            self._notice = f"Rest break  {math.ceil(session.rest_left_s - 1e-9)} s"
        self._notice = self.device.status.notice or self._notice

    def _watch_file(self) -> str | None:
        assert self.watcher is not None
        if self.frames % WATCH_EVERY_FRAMES == 0 and self.status is None:
            reloaded = self.watcher.poll()
            if reloaded is not None:
                self.recording.event(self.session.t_s, "level_reloaded")
                self.reloaded, self.status = reloaded, "aborted"  # replaced by the file's new version
        return self.watcher.notice()

    def draw(self, view: View) -> None:
        view.draw_play(Frame(self.prev, self.curr, self.alpha if self.status is None else 1.0), self.pause,
                       self._notice)
        view.play_sounds(self._sounds)  # type: ignore[arg-type]
        self._sounds = []
