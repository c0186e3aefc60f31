"""The pure running order of an assessment: instruction, countdown, trial, rest, over and over.

No clock, no device, no drawing: the screen (``game/play/screens/assess.py``) advances it in
fixed steps and asks what to show; a test advances it by hand. The order of trials is fixed by
the protocol: each condition in turn, its trials one after another (for limits of stability,
every direction once per round, in the listed order, for ``trials`` rounds).

Phases: ``instruction`` (the condition's words, waiting for the clinician or player to confirm;
shown before the first trial of each condition), ``get_ready`` (a countdown with the words still
shown; the half second before a limits-of-stability cue is the onset detector's baseline),
``trial`` (recorded as one trial; ends after ``trial_s`` or when the clinician marks it stopped,
e.g. the lifted foot touched down), ``rest`` and ``done``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from game.assess.model import Condition, Protocol

RunnerPhase = Literal["instruction", "get_ready", "trial", "rest", "done"]
TrialOutcome = Literal["completed", "stopped", "aborted"]
"""completed: the full trial_s; stopped: ended early by the clinician (a touch-down, a step, a fall
prevented); aborted: the assessment was ended during the trial."""


@dataclass(frozen=True)
class PlannedTrial:
    """One trial of the protocol, numbered from 1 in the order played."""

    number: int
    condition: Condition
    repeat: int  # 1..trials within its condition (a round, for limits of stability)
    direction_deg: float | None = None
    target: tuple[float, float] | None = None  # LOS units (x right, y forward)


@dataclass(frozen=True)
class FinishedTrial:
    """A trial as it happened, on the assessment's own time line (seconds of steps since it began)."""

    planned: PlannedTrial
    started_t_s: float
    duration_s: float
    outcome: TrialOutcome


def plan_trials(protocol: Protocol) -> list[PlannedTrial]:
    """Every trial of the protocol in the order it is played."""
    trials: list[PlannedTrial] = []
    for condition in protocol.conditions:
        for repeat in range(1, protocol.trials + 1):
            for direction in protocol.directions_deg or (None,):
                target = None
                if direction is not None:
                    angle = math.radians(direction)
                    distance = protocol.target_distance_los
                    target = (round(distance * math.cos(angle), 12), round(distance * math.sin(angle), 12))
                trials.append(PlannedTrial(len(trials) + 1, condition, repeat, direction, target))
    return trials


class AssessmentRunner:
    """Where an assessment is: phase, seconds left in it, the current trial, the finished ones."""

    def __init__(self, protocol: Protocol) -> None:
        self.protocol = protocol
        self.plan = plan_trials(protocol)
        self.index = 0
        self.phase: RunnerPhase = "instruction"
        self.phase_left_s = 0.0
        self.t_s = 0.0
        self.finished: list[FinishedTrial] = []
        self._trial_start_s = 0.0

    @property
    def current(self) -> PlannedTrial | None:
        """The trial being prepared, run or rested after (None when done)."""
        return self.plan[self.index] if self.index < len(self.plan) else None

    @property
    def done(self) -> bool:
        return self.phase == "done"

    @property
    def recording_trial(self) -> bool:
        return self.phase == "trial"

    def confirm(self) -> None:
        """The instruction was read and the player is in position: start the countdown."""
        if self.phase == "instruction":
            self._enter("get_ready", self.protocol.get_ready_s)

    def stop_trial(self) -> FinishedTrial | None:
        """The clinician ends the running trial early (outcome ``stopped``); None outside a trial."""
        if self.phase != "trial":
            return None
        return self._end_trial("stopped")

    def skip_rest(self) -> None:
        """Go on before the rest is over (the player is ready)."""
        if self.phase == "rest":
            self.phase_left_s = 0.0

    def interrupt(self) -> tuple[PlannedTrial, float] | None:
        """Set the running trial aside: it is not kept or counted, and it is played again after its countdown.

        Returns the trial and how long it had run (None outside a trial). For a question put to the
        person during a trial ("End the assessment?"): the words cover the screen (a limits-of-stability
        target is hidden), so what follows is not the protocol's trial any more.
        """
        if self.phase != "trial":
            return None
        current = self.current
        assert current is not None
        ran_s = self.t_s - self._trial_start_s
        self._enter("get_ready", self.protocol.get_ready_s)
        return current, ran_s

    def abort(self) -> FinishedTrial | None:
        """End the assessment now; a running trial is kept as ``aborted``."""
        ended = self._end_trial("aborted") if self.phase == "trial" else None
        self.phase = "done"
        return ended

    def advance(self, dt_s: float) -> list[FinishedTrial | PlannedTrial]:
        """Move on by one step of ``dt_s`` seconds; return the trials that started (Planned) or ended (Finished)."""
        changes: list[FinishedTrial | PlannedTrial] = []
        if self.phase == "done":
            return changes
        self.t_s += dt_s
        if self.phase == "instruction":
            return changes
        self.phase_left_s -= dt_s
        if self.phase_left_s > 1e-9:
            return changes
        if self.phase == "get_ready":
            current = self.current
            assert current is not None
            self._trial_start_s = self.t_s
            self._enter("trial", self.protocol.trial_s)
            changes.append(current)
        elif self.phase == "trial":
            changes.append(self._end_trial("completed"))
        elif self.phase == "rest":
            self._next()
        return changes

    def _end_trial(self, outcome: TrialOutcome) -> FinishedTrial:
        current = self.current
        assert current is not None
        finished = FinishedTrial(current, self._trial_start_s, self.t_s - self._trial_start_s, outcome)
        self.finished.append(finished)
        if outcome != "aborted":
            last = self.index + 1 >= len(self.plan)
            if last:
                self.phase = "done"
            else:
                self._enter("rest", self.protocol.rest_s)
                if self.protocol.rest_s == 0:
                    self._next()
        return finished

    def _next(self) -> None:
        previous = self.current
        self.index += 1
        upcoming = self.current
        if upcoming is None:
            self.phase = "done"
        elif previous is None or upcoming.condition.name != previous.condition.name:
            self.phase, self.phase_left_s = "instruction", 0.0
        else:
            self._enter("get_ready", self.protocol.get_ready_s)

    def _enter(self, phase: RunnerPhase, seconds: float) -> None:
        self.phase, self.phase_left_s = phase, seconds

    def headline(self) -> tuple[str, list[str]]:
        """What the screen says now: a title and lines (large text; also what speech would read)."""
        current = self.current
        protocol = self.protocol
        if self.phase == "done" or current is None:
            return (f"{protocol.title}: finished", [f"{len(self.finished)} trials recorded. Thank you!"])
        condition = current.condition
        where = (f"Trial {current.number} of {len(self.plan)}: {condition.title}"
                 + (f", direction {current.direction_deg:g}°" if current.direction_deg is not None else ""))
        if self.phase == "instruction":
            return (condition.title, [condition.instruction, "", "When ready: Enter (A) or click Ready.",
                                      "Esc (B): end the assessment.", where])
        seconds = max(0, math.ceil(self.phase_left_s - 1e-9))
        if self.phase == "get_ready":
            return (f"Get ready: {seconds}", [condition.instruction, where])
        if self.phase == "trial":
            stop = "  Space: stop this trial (foot down, step)." if protocol.kind == "single_leg" else ""
            if protocol.kind == "limits_of_stability":
                return (f"Lean to the target, as far and as straight as you can: {seconds} s", [where + "."])
            eyes = "Eyes closed. " if condition.vision == "closed" else ""
            return (f"{eyes}Hold still: {seconds} s", [where + "." + stop])
        return (f"Rest: {seconds} s", ["Relax. The next trial starts by itself.", "Enter (A): go on now.", where])
