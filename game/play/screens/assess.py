"""The assessment screen: a fixed protocol run on the play loop, every step recorded, no difficulty at all.

It steps the pure ``AssessmentRunner`` in the game's fixed 120 Hz steps, asks the device for a
pose at each step (the simulated player sees a snapshot first, as in a level), hands every step
and every raw device reading to the recording, and writes each trial's row as the trial ends.
The words are shown large with ``View.draw_message``; limits-of-stability trials show the target
and the player's marker with ``View.draw_play`` (a standing test shows no marker: feedback would
change the task).

Keys: Enter (A) confirms an instruction or ends a rest early; Space stops the running trial of a
single-leg test (the lifted foot touched down); Esc (B) asks whether to end the assessment (a
second Esc (B) ends it, the trials so far kept; Enter (A) goes on, so a stray press loses nothing);
R re-zeroes the device between trials.

The mouse (or a touch): the words' screens carry those choices as buttons (``ButtonLines``: "Ready:
start", "Go on now", "Stop this trial", "End the assessment"); a click chooses as the key does,
except "End the assessment", which asks first ("No, go on" first). A limits-of-stability trial shows the
playing field, whose bottom-right corner says "Esc: end the assessment" (``END_CORNER``: a timed trial has no
pause, so not a level's "Space: pause"); a click there asks the same question, on the words' screen. Any
other click, or the pointer moving, does nothing: a running trial is never disturbed by it.

Under the question the protocol waits (a rest or a countdown does not run out behind the words; the
device's samples are still recorded). A trial running when it is asked is interrupted: its words cover
the screen, and an LOS target with them, so it is not the protocol's trial any more. It is not kept or
counted, the recording gets a ``trial_interrupted`` event (its number, condition, start and length),
and after "No, go on" it is played again from its countdown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, get_args

from game.actions import CLICK, Button, ButtonLines, UiAction, item_of
from game.assess.runner import AssessmentRunner, FinishedTrial, PlannedTrial
from game.core.snapshot import Frame, Snapshot, TargetView
from game.core.stepper import FixedStepper
from game.core.world import STEP_S
from game.input.device import DeviceWatch, InputMeter
from game.input.source import PoseSource, ScreenObserver
from game.menu import ask_first
from game.play.loop import Screen
from game.session import SessionStep
from game.views.base import View
from telemetry.store.recorder import LevelRecording

#: Headless runs confirm each instruction after this long (nobody is there to press Enter).
HEADLESS_CONFIRM_S = 1.0
AssessChoice = Literal["confirm", "stop", "end", "stay", "leave"]
"""What an assessment button chooses: confirm (Enter: ready, or go on after a rest), stop the single-leg trial
(Space), end the assessment (asks first: "stay" goes on, "leave" is Esc)."""
ASSESS_CHOICES: tuple[AssessChoice, ...] = get_args(AssessChoice)
END_QUESTION = "End the assessment now? The trials so far are kept."
END_KEYS = "Esc (B) again: end  ·  Enter (A): go on"
"""Under the question: its answers by key (a stray Esc only asks; a second one ends)."""


def assess_button(choice: AssessChoice, label: str) -> Button:
    """The button for ``choice``: a click on it is ``pick("assess", ASSESS_CHOICES.index(choice))``."""
    return Button(label, "assess", ASSESS_CHOICES.index(choice))


END_CORNER = assess_button("end", "Esc: end the assessment")
"""The playing screen's corner during a limits-of-stability trial: a timed trial cannot pause, so instead of a
level's "Space: pause" the corner says how to end the assessment, and a click there asks first, as the
"End the assessment" button does."""


class AssessScreen(Screen):
    """Runs one assessment; ``status`` says how it ended (``completed``, ``aborted`` or ``device_lost``)."""

    steers = True

    def __init__(self, runner: AssessmentRunner, source: PoseSource, recording: LevelRecording,
                 on_trial: Callable[[FinishedTrial], None], *, meter: InputMeter | None = None,
                 headless: bool = False, device_timeout_s: float | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.runner = runner
        self.source = source
        self.recording = recording
        self.on_trial = on_trial
        self.headless = headless
        self.notify = notify
        self.device = DeviceWatch(source, meter)
        self.device_timeout_s = device_timeout_s
        self.quiet_s = 0.0
        self.stepper = FixedStepper(STEP_S)
        self.step = 0
        self.t_s = 0.0
        self.marker = (0.0, 0.0)
        self.status: str | None = None
        self._waiting_s = 0.0  # headless: time an instruction has been shown
        self._notice: str | None = None
        self._sounds: list[str] = []  # event kinds to sound at the next draw: a trial's start and end
        self.raw_unit = source.description.raw_unit
        self.asking_end = False  # "End the assessment" was clicked: "No, go on" or "Yes, end it" is shown
        source.readings()  # readings from before the assessment belong to no session

    @property
    def done(self) -> bool:
        return self.status is not None

    @property
    def idle(self) -> bool:
        """Waiting for the device or for an instruction to be confirmed: even --fast sleeps."""
        return not self.device.status.ready or (self.runner.phase == "instruction" and not self.headless)

    # -- actions ---------------------------------------------------------------------------------------
    def handle(self, action: UiAction) -> None:
        item = item_of(action)
        if item is not None or action == CLICK:
            self._pointer(action)
            return
        # Esc (B) asks first, as "End the assessment" does: a stray press loses nothing (game.menu.ask_first).
        answer = ask_first(action, self.asking_end) if self.status is None else None
        if answer == "ask":
            self._ask_end()
            return
        if answer == "yes":
            self._end()
            return
        if action != "focus_lost":
            self.asking_end = False  # a key answers the question by doing what it always does
        if answer == "no":
            return
        runner = self.runner
        if action == "confirm":
            if runner.phase == "instruction":
                runner.confirm()
            elif runner.phase == "rest":
                runner.skip_rest()
        elif action == "pause" and runner.phase == "trial" and runner.protocol.kind == "single_leg":
            self._finished(runner.stop_trial())
        elif action == "recentre" and runner.phase != "trial":
            if self.source.recentre():
                self.recording.event(self.t_s, "recentre")

    def _ask_end(self) -> None:
        """Put the question "End the assessment now?". The protocol waits under it; a trial it interrupts is
        played again (its words cover the screen, an LOS target too): logged as ``trial_interrupted``, not counted."""
        self.asking_end = True
        cut = self.runner.interrupt()
        if cut is None:
            return
        planned, ran_s = cut
        self.recording.event(self.t_s, "trial_interrupted", {
            "reason": "the person was asked whether to end the assessment during the trial", "trial": planned.number,
            "condition": planned.condition.name, "started_t_s": round(self.t_s - ran_s, 6),
            "duration_s": round(ran_s, 6), "counted": False})
        if self.notify is not None:
            self.notify(f"trial {planned.number}/{len(self.runner.plan)} {planned.condition.title}: interrupted after "
                        f"{ran_s:.1f} s by the question; it is played again")

    def _end(self) -> None:
        """End the assessment now ("Yes" to the question); the trials so far are kept. No trial runs then: the
        question set it aside (a trial is ``aborted`` only when the device or the window goes away during it)."""
        self.asking_end = False
        self._finished(self.runner.abort())
        self.status = "aborted"

    def _pointer(self, action: UiAction) -> None:
        """A click on a button chooses as its key does ("End" asks first); any other click or move changes nothing
        but closing the question."""
        item = item_of(action)
        if item is None or item.kind == "hover" or item.list != "assess":
            if item is None or item.kind == "pick":
                self.asking_end = False  # a click beside the question: the person goes on
            return
        choice = ASSESS_CHOICES[item.index] if item.index < len(ASSESS_CHOICES) else None
        if choice == "leave" and self.asking_end:
            self._end()
            return
        if choice == "end" and self.status is None:
            self._ask_end()
            return
        asked, self.asking_end = self.asking_end, False
        if asked:
            return  # "No, go on", or a button the question had covered: nothing else happens
        if choice == "confirm":
            self.handle("confirm")
        elif choice == "stop":
            self.handle("pause")  # stops only a running single-leg trial, as Space does

    def buttons(self) -> tuple[Button, ...]:
        """The choices of the moment as buttons, the one that goes on first ("End the assessment" last)."""
        if self.asking_end:
            return (assess_button("stay", "No, go on"), assess_button("leave", "Yes, end the assessment"))
        runner = self.runner
        shown: list[Button] = []
        if runner.phase == "instruction":
            shown.append(assess_button("confirm", "Ready: start"))
        elif runner.phase == "rest":
            shown.append(assess_button("confirm", "Go on now"))
        elif runner.phase == "trial" and runner.protocol.kind == "single_leg":
            shown.append(assess_button("stop", "Stop this trial (foot down)"))
        return (*shown, assess_button("end", "End the assessment"))

    def _finished(self, trial: FinishedTrial | None) -> None:
        if trial is not None:
            if trial.outcome != "aborted":
                self._sounds.append("challenge_end")  # heard with eyes closed: the trial is over
            self.on_trial(trial)
            if self.notify is not None:
                planned = trial.planned
                self.notify(f"trial {planned.number}/{len(self.runner.plan)} {planned.condition.title}"
                            + (f" {planned.direction_deg:g}°" if planned.direction_deg is not None else "")
                            + f": {trial.duration_s:.1f} s, {trial.outcome}")

    # -- time --------------------------------------------------------------------------------------------
    def update(self, dt_s: float) -> None:
        self.recording.readings(self.source.readings(), self.raw_unit)  # every reading, at the device's rate
        self._watch_device(dt_s)
        if self.status is not None:
            return
        runner = self.runner
        if self.headless and runner.phase == "instruction" and not self.asking_end:
            self._waiting_s += dt_s
            if self._waiting_s >= HEADLESS_CONFIRM_S:
                self._waiting_s = 0.0
                runner.confirm()
        steps, _ = self.stepper.advance(dt_s if self.device.status.ready else 0.0)
        for _ in range(steps):
            if isinstance(self.source, ScreenObserver):
                self.source.observe(self.snapshot())
            pose = self.source.poll(self.t_s)
            self.marker = (pose.x, pose.y)
            self.recording.step(SessionStep(self.step, self.t_s, pose, [], [], []))
            self.step += 1
            self.t_s = round(self.step * STEP_S, 9)
            if self.asking_end:
                continue  # the protocol waits under the question (the device's samples are still recorded)
            for change in runner.advance(STEP_S):
                if isinstance(change, FinishedTrial):
                    self._finished(change)
                else:
                    self._sounds.append("trial_start")
            if runner.done:
                self.status = "completed"
                break
        self.recording.readings(self.source.readings(), self.raw_unit)  # and those that came with these steps
        self._notice = self.device.status.notice or self.recording.problem()

    def _watch_device(self, dt_s: float) -> None:
        change = self.device.check()
        if change is not None:
            self.recording.event(self.t_s, change[0], change[1])
            if self.notify is not None and change[0] == "device_pause":
                self.notify(f"{self.device.status.notice or 'The device is not ready'} (at {self.t_s:.1f} s)")
        self.quiet_s = 0.0 if self.device.status.ready else self.quiet_s + dt_s
        if self.device_timeout_s is not None and self.quiet_s >= self.device_timeout_s:
            self.recording.event(self.t_s, "device_lost", {"quiet_s": round(self.quiet_s, 3)})
            self._finished(self.runner.abort())
            self.status = "device_lost"

    # -- drawing -------------------------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """What a limits-of-stability trial shows (and what the simulated player sees in every phase)."""
        runner = self.runner
        current: PlannedTrial | None = runner.current
        phase = runner.phase
        target = current.target if current is not None else None
        reaching = phase == "trial" and target is not None
        if reaching and target is not None:
            targets = (TargetView(target[0], target[1], runner.protocol.target_radius_los, "target", False),)
        else:
            targets = (TargetView(0.0, 0.0, 0.1, "home" if target is not None else "zone", True),)
        kind = "limits_of_stability" if runner.protocol.kind == "limits_of_stability" else "hold"
        title, lines = runner.headline()
        return Snapshot(
            t_s=self.t_s, theme="garden", level_title=runner.protocol.title, challenge_index=0, challenge_count=1,
            challenge_kind=kind, challenge_title=title, instruction=lines[0] if lines else "",
            phase="trial" if phase == "trial" else "home", phase_left_s=max(0.0, runner.phase_left_s),
            control=self.marker, marker=self.marker, targets=targets, progress=0.0,
            trial=current.number if current is not None else len(runner.plan), trials=len(runner.plan),
            difficulty=0.0, score=0, max_score=0, stars=0, last_outcome=None, last_points=0,
        )

    def draw(self, view: View) -> None:
        if self._sounds:
            view.play_sounds(self._sounds)
            self._sounds = []
        runner = self.runner
        title, lines = runner.headline()
        if runner.protocol.kind == "limits_of_stability" and runner.phase in ("get_ready", "trial") \
                and not self.asking_end:  # the question is asked on the words' screen, with its two answers
            snap = self.snapshot()
            view.draw_play(Frame(snap, snap, 1.0, END_CORNER), None, self._notice or title)
            return
        if self.asking_end:
            lines = [END_QUESTION, END_KEYS, "", *lines]
        if self._notice:
            lines = [*lines, "", self._notice]
        view.draw_message(title, ButtonLines(lines, self.buttons()))


class MessageScreen(Screen):
    """Words shown large until Enter or Esc, or a click on Close (an assessment's results)."""

    def __init__(self, title: str, lines: list[str]) -> None:
        self.title = title
        self.lines = lines
        self.closed = False

    @property
    def done(self) -> bool:
        return self.closed

    def handle(self, action: UiAction) -> None:
        item = item_of(action)
        if action in ("confirm", "back") or (item is not None and item.kind == "pick" and item.list == "message"
                                             and item.index == 0):
            self.closed = True

    def draw(self, view: View) -> None:
        view.draw_message(self.title, ButtonLines([*self.lines, "", "Enter (A) or a click on Close: close."],
                                                  (Button("Close", "message", 0),)))
