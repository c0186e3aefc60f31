"""The level screen: steps the session in fixed steps from an accumulator, with its pause menu.

Every rule of play is the session's (scalers, the clinician's rest breaks and session length);
this screen only turns frames into fixed steps, pauses for the pause menu or an absent
device, hands rows to the recording, and draws the interpolated frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

from game.actions import UiAction, item_of
from game.core.events import Event
from game.core.snapshot import Frame
from game.core.stepper import FixedStepper
from game.core.world import STEP_S
from game.input.device import DeviceStatus, DeviceWatch, InputMeter
from game.input.source import PoseSource
from game.level.loader import LoadedLevel
from game.level.watch import LevelWatcher
from game.menu import PauseChoice, PauseMenu
from game.play.loop import QuitGame, Screen
from game.session import Session, step_from
from game.views.base import View
from telemetry.store.recorder import LevelRecording

LevelStatus = Literal["completed", "aborted", "device_lost"]
WATCH_EVERY_FRAMES = 30  # look at a watched level file twice a second at 60 frames per second
FOCUS_LOST_REASON = "The game paused because its window was hidden or lost focus."


def device_words(status: DeviceStatus) -> str | None:
    """What the player reads while the device is not ready: what happened, what to do, and that nothing is lost."""
    if status.notice is None:
        return None
    if status.ready:
        return status.notice
    notice = status.notice.rstrip(". ")
    return f"{notice[:1].upper()}{notice[1:]}. The game is paused and nothing is lost."


def rest_words(seconds_left: float) -> str:
    """The clinician's rest break: what it is and what to do."""
    return f"Rest break: relax for {math.ceil(seconds_left - 1e-9)} s. The game goes on by itself."


class LevelScreen(Screen):
    """One level in play; ``status`` says how it ended, ``reloaded`` holds a watched file's new version."""

    steers = True

    def __init__(self, session: Session, source: PoseSource, recording: LevelRecording,
                 watcher: LevelWatcher | None = None, meter: InputMeter | None = None, *,
                 device_timeout_s: float | None = None, notify: Callable[[str], None] | None = None,
                 has_next: bool = False, pause_when_hidden: bool = True) -> None:
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
        self.ended_by: PauseChoice | None = None  # the pause menu's end, skip, switch (None: the level ended itself)
        self.has_next = has_next  # the plan has a level after this one (the pause menu offers "Next level")
        self.pause_when_hidden = pause_when_hidden  # False headless: nobody could resume a run paused by its window
        self.reloaded: LoadedLevel | None = None
        self.frames = 0
        self._sounds: list[Event | str] = []
        self._notice: str | None = None
        self._problem: str | None = None  # the recording's notice while telemetry cannot keep up
        self.device_timeout_s = device_timeout_s  # silent this long (frame time): the level ends as device_lost
        self.quiet_s = 0.0  # how long the device has not been ready
        self.notify = notify  # headless: a line for the person watching the terminal
        self.raw_unit = source.description.raw_unit
        source.readings()  # readings from before this level (title, results) belong to no session

    @property
    def done(self) -> bool:
        return self.status is not None

    @property
    def idle(self) -> bool:
        """Waiting for a device: even --fast sleeps rather than spin."""
        return not self.device.status.ready

    def handle(self, action: UiAction) -> None:
        t_s = self.session.t_s
        if action == "recentre":  # re-zero the device on its current reading
            if self.source.recentre():
                self.recording.event(t_s, "recentre")
            return
        if action == "focus_lost" and not self.pause_when_hidden:
            return
        if self.pause is None:
            item = item_of(action)
            if item is not None and item.kind == "pick" and item.list == "play":
                action = "pause"  # a click on the playing screen's pause corner
            if action in ("pause", "back", "focus_lost"):
                reason = FOCUS_LOST_REASON if action == "focus_lost" else ""
                self.pause = PauseMenu(has_next=self.has_next, reason=reason)
                self._sounds.append("pause")
                self.recording.event(t_s, "pause", {"why": "focus_lost"} if reason else None)
            return
        self._chosen(self.pause.handle(action))

    def _chosen(self, choice: PauseChoice | None) -> None:
        """Act on the pause menu's choice: resume at once; end, skip or switch end the level (aborted, data kept)."""
        if choice is None:
            return
        if choice == "resume":
            self.pause = None
            self._sounds.append("resume")
            self.recording.event(self.session.t_s, "resume")
        elif choice == "quit":
            raise QuitGame
        else:
            self.ended_by, self.status = choice, "aborted"

    def update(self, dt_s: float) -> None:
        session, recording = self.session, self.recording
        recording.readings(self.source.readings(), self.raw_unit)  # every reading, paused or not
        self._watch_device(dt_s)
        if self.pause is not None and self.status is None:
            self._chosen(self.pause.update(dt_s))  # a confirmed leave happens after its countdown
        if self.status is not None:
            return
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
            self._notice = rest_words(session.rest_left_s)
        self._watch_recording()
        self._notice = device_words(self.device.status) or self._problem or self._notice

    def _watch_recording(self) -> None:
        """Show the recording's problem (disk full, locked) while it lasts; headless, say when it starts and ends."""
        problem = self.recording.problem()
        if (problem is None) != (self._problem is None) and self.notify is not None:
            t_s = self.session.t_s
            if problem is not None:
                self.notify(f"{problem} (at {t_s:.1f} s of play)")
            else:
                losses = self.recording.losses()
                self.notify(f"telemetry is being saved again (at {t_s:.1f} s of play); "
                            + (f"{losses.lost_s:.1f} s of play ({losses.lost_rows} rows) could not be kept"
                               if losses.lost_rows else "nothing was lost"))
        self._problem = problem

    def _watch_device(self, dt_s: float) -> None:
        """Log (and, headless, say) the device going quiet and coming back; end the level past the timeout."""
        t_s = self.session.t_s
        change = self.device.check()
        if change is not None:
            self.recording.event(t_s, change[0], change[1])
            self._sounds.append("device_lost" if change[0] == "device_pause" else "device_back")
            if self.notify is not None:
                self.notify(f"{self.device.status.notice or 'The device is not ready'} (at {t_s:.1f} s of play)"
                            if change[0] == "device_pause" else
                            f"{self.source.name} is back after {self.quiet_s:.1f} s; play goes on")
        self.quiet_s = 0.0 if self.device.status.ready else self.quiet_s + dt_s
        timeout = self.device_timeout_s
        if timeout is not None and self.quiet_s >= timeout:
            self.recording.event(t_s, "device_lost", {"quiet_s": round(self.quiet_s, 3),
                                                      "notice": self.device.status.notice})
            if self.notify is not None:
                self.notify(f"{self.source.name} stayed silent for {self.quiet_s:.0f} s: the level ends here"
                            " (its data is kept). Check the cable, the power or the network, then play again.")
            self.status = "device_lost"

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
