"""``proprio assess`` as a library: open the device, the store and the view, run one protocol, close everything.

The same pieces as ``proprio play`` (``game.input.open_source``, the ``Recorder`` and its writer
thread, ``game.views.factory.open_view``, one ``Loop``), but no level, no session rules and no
scaler: the protocol fixes every value, so two assessments of a player can be compared. After the
last trial the results are measured from what was stored (``telemetry.store.assessments``) and,
in a window, shown until Enter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from game import __version__
from game.assess.loader import LoadedProtocol, load_protocol
from game.assess.runner import AssessmentRunner, FinishedTrial
from game.core.world import STEP_HZ
from game.errors import InputSpecError, ProprioError
from game.input.calibration import CalibrationError
from game.input.device import InputMeter
from game.input.source import PoseSource
from game.play.app import device_timeout, open_run
from game.play.clock import Clock
from game.play.loop import Loop, QuitGame
from game.play.outcome import frame_figures
from game.play.screens.assess import AssessScreen, MessageScreen
from game.play.stop_signal import stop_reason
from game.views.base import View
from game.views.factory import VIEW_CHOICES, open_view
from telemetry.measures.assessment import HEADLINES
from telemetry.measures.reference import ReferenceError, age_band
from telemetry.store.assessments import AssessmentResult, assessment_result, save_assessment, save_trial
from telemetry.store.recorder import Recorder
from telemetry.store.sessions import closing_status


@dataclass(frozen=True)
class AssessOptions:
    """Everything ``proprio assess PROTOCOL`` can be told."""

    protocol: str
    player: str | None = None
    input: str = "keyboard"
    view: str = "2d"
    headless: bool = False
    fast: bool = False
    db_path: Path | None = None
    age_years: float | None = None
    seed: int | None = None
    fullscreen: bool = False
    sound: bool = True
    device_timeout_s: float | None = None


@dataclass
class AssessmentRun:
    """What one run did: the stored session, how it ended, the trials kept, and the measured result."""

    session_id: int | None
    player: str
    protocol: str
    device: str
    status: str = "aborted"
    trials: list[FinishedTrial] = field(default_factory=list)
    result: AssessmentResult | None = None
    warnings: list[str] = field(default_factory=list)
    stop_signal: int | None = None  # SIGINT (Ctrl-C), SIGTERM or SIGHUP when one ended the run


class Assessment:
    """Runs one protocol for one player on any device; ``run`` returns what happened (an aborted run too)."""

    def __init__(self, options: AssessOptions, *, view: View | None = None, clock: Clock | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.options = options
        self.notify = notify
        if options.view not in VIEW_CHOICES:
            raise InputSpecError(f"unknown --view '{options.view}'",
                                 remedy=f"Valid choices: {', '.join(VIEW_CHOICES)}.")
        self.timeout_s = device_timeout(options.device_timeout_s, options.headless)
        self.age_band = None
        if options.age_years is not None:
            try:
                self.age_band = age_band(options.age_years)
            except ReferenceError as exc:
                raise InputSpecError(f"--age {options.age_years:g}: {exc.message}",
                                     remedy="Give the player's age in whole years, e.g. --age 72.") from None
        # A broken protocol stops us before anything opens.
        self.loaded: LoadedProtocol = load_protocol(options.protocol)
        self.player, self.seed, self.source, self.recorder, self.clock = open_run(
            player=options.player, seed=options.seed, input_spec=options.input, db_path=options.db_path,
            fast=options.fast, clock=clock)
        if self.age_band is None:  # no --age: the band stored for the player (proprio players set --age), if any
            from telemetry.store.players import stored_age_band

            self.age_band = stored_age_band(self.recorder.db, self.player)
        self._view = view

    def run(self) -> AssessmentRun:
        """Open the view, run the protocol, measure it, close everything."""
        loaded = self.loaded
        run = AssessmentRun(None, self.player, loaded.name, self.source.name)
        view = self._view
        try:
            if view is None:
                view = open_view(self.options.view, headless=self.options.headless,
                                 fullscreen=self.options.fullscreen, sound=self.options.sound)
            loop = Loop(self.clock, view, self.source)
            self._run(loop, run)
            if run.result is not None and not self.options.headless:
                loop.run(MessageScreen(f"{loaded.protocol.title}: results", result_lines(run.result)))
        except QuitGame:
            run.status = "aborted" if run.status == "running" else run.status
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM / SIGHUP (game/play/stop_signal.py)
            run.status = "aborted" if run.status == "running" else run.status
            run.stop_signal, words = stop_reason(exc)
            run.warnings.append(f"{words}; the trials so far are kept")
        finally:
            if view is not None:
                view.close()
            self.source.close()
            self.recorder.close()
        return run

    def _run(self, loop: Loop, run: AssessmentRun) -> None:
        run_protocol(loop, self.recorder, self.source, self.loaded, self.player, view=self.options.view,
                     seed=self.seed, age_band=self.age_band, headless=self.options.headless,
                     device_timeout_s=self.timeout_s, notify=self.notify, run=run)


def run_protocol(loop: Loop, recorder: Recorder, source: PoseSource, loaded: LoadedProtocol, player: str, *,
                 view: str = "2d", seed: int = 0, age_band: str | None = None, headless: bool = False,
                 device_timeout_s: float | None = None, notify: Callable[[str], None] | None = None,
                 run: AssessmentRun | None = None) -> AssessmentRun:
    """Run one protocol for ``player`` on an open loop, recorder and device; store and measure it.

    The one place an assessment is run: ``proprio assess`` calls it, and so can the title
    screen (with its own loop, recorder and device). Raises ``QuitGame``/``KeyboardInterrupt``
    after closing the session when the window is closed or Ctrl-C is pressed.
    """
    run = run if run is not None else AssessmentRun(None, player, loaded.name, source.name)
    protocol = loaded.protocol
    calibration_id = None
    calibration = recorder.calibration(player, source.description)
    if calibration is not None:
        try:
            source.set_calibration(calibration)
            calibration_id = calibration.id
        except (CalibrationError, ValueError):
            calibration_id = None
    recording = recorder.begin({
        "player_id": player, "level": f"assessment:{loaded.name}", "level_title": protocol.title,
        "level_path": str(loaded.path), "level_sha256": loaded.sha256, "plan": "assessment",
        "device": source.name, "view": view, "seed": seed, "step_hz": float(STEP_HZ),
        "app_version": __version__, "calibration_id": calibration_id,
    }, [])
    run.session_id = recording.session_id
    run.status = "running"
    description = source.description
    save_assessment(recorder.db, recorder.path, {
        "session_id": recording.session_id, "player_id": player, "protocol": loaded.name,
        "protocol_title": protocol.title, "protocol_kind": protocol.kind, "protocol_path": str(loaded.path),
        "protocol_sha256": loaded.sha256, "age_band": age_band, "raw_unit": description.raw_unit,
        "device_kind": description.kind,
    })

    def store(trial: FinishedTrial) -> None:
        run.trials.append(trial)
        planned = trial.planned
        condition = planned.condition
        save_trial(recorder.db, recorder.path, {
            "session_id": recording.session_id, "trial": planned.number, "protocol": loaded.name,
            "condition": condition.name, "condition_title": condition.title, "vision": condition.vision,
            "surface": condition.surface, "stance": condition.stance, "side": condition.side,
            "repeat": planned.repeat, "direction_deg": planned.direction_deg,
            "target_x": planned.target[0] if planned.target else None,
            "target_y": planned.target[1] if planned.target else None,
            "target_radius": protocol.target_radius_los if planned.target else None,
            "started_t_s": round(trial.started_t_s, 6), "duration_s": round(trial.duration_s, 6),
            "planned_s": protocol.trial_s, "outcome": trial.outcome,
        })

    screen = AssessScreen(AssessmentRunner(protocol), source, recording, store, meter=InputMeter(source),
                          headless=headless, device_timeout_s=device_timeout_s, notify=notify)
    frame_ms: list[float] = []
    try:
        loop.run(screen, frame_ms)
        run.status = screen.status or "aborted"
    except (KeyboardInterrupt, QuitGame):
        screen.runner.abort()
        run.status = "aborted"
        raise
    finally:
        # No successes and no success rate: an assessment trial is neither won nor lost (its outcome is in
        # assessment_trials), and training figures must not count it.
        losses = recording.finish({
            "status": run.status, "duration_s": round(screen.t_s, 6), "trials": len(run.trials),
            **screen.device.figures(), **frame_figures(frame_ms),
        }, {})
        if losses.lost_rows:
            run.warnings.append(f"{losses.lost_s:.1f} s of the assessment could not be saved ({losses.problem});"
                                f" session {run.session_id} is stored as"
                                f" {closing_status(run.status, losses.lost_rows)}")
    try:
        run.result = assessment_result(recorder.db, recording.session_id)
    except (ProprioError, KeyError, ValueError) as exc:
        run.warnings.append(f"the results could not be measured: {exc}")
    return run


def result_lines(result: AssessmentResult, *, width: int = 100) -> list[str]:
    """The results in plain words: per condition, the headline figures (mean ± SD), the reference band."""
    interrupted = (["Interrupted by the question 'End the assessment now?', not measured: trial "
              + ", ".join(str(number) for number in result.interrupted) + "."] if result.interrupted else [])
    if not result.conditions:
        return ["No trial was recorded: the assessment ended before its first trial was complete.",
                "Nothing could be measured. Run it again when the player is ready.", *interrupted]
    lines: list[str] = []
    names = HEADLINES.get(result.kind, ())
    for condition in result.conditions:
        side = f" ({condition.side})" if condition.side else ""
        lines.append(f"{condition.title}{side}: {condition.trials} trials, {condition.completed} complete")
        for name in names:
            figure = condition.figures.get(name) or condition.figures.get(f"{name}_los")
            if figure is not None:
                digits = 0 if name == "targets_reached" else 2
                lines.append(f"  {_label(figure.name)}: {figure.text(digits)}")
        for direction, values in sorted(condition.per_direction.items()):
            reached = values.get("time_to_target_s")
            lines.append(f"  {direction:5.0f}°: reaction {values['reaction_time_s']:.2f} s, velocity"
                         f" {values['movement_velocity_per_s']:.0f} % LOS/s,"
                         f" endpoint {values['endpoint_excursion_pct']:.0f} %,"
                         f" max {values['max_excursion_pct']:.0f} %, direction control"
                         f" {values['directional_control_pct']:.0f} %"
                         + (f", target in {reached:.2f} s" if reached is not None else ", target not reached"))
        for comparison in result.references.get(condition.condition, []):
            row = comparison.row
            lines.append(f"  vs {row.age_band} adults: {_label(comparison.measure)} {comparison.band}"
                         f" (median {row.p50:.3g} {row.unit}, 5-95 %: {row.p5:.3g}-{row.p95:.3g})")
        lines.extend(f"  ! {problem}"[:width] for problem in condition.problems)
    if result.reference_note:
        lines.append(result.reference_note)
    return lines + interrupted


LABELS = {
    "mean_velocity": "sway velocity", "mean_velocity_los": "sway velocity", "ellipse_area_95": "95 % ellipse area",
    "ellipse_area_95_los": "95 % ellipse area", "rms_ml": "RMS side to side", "rms_ap": "RMS front to back",
    "rms_ml_los": "RMS side to side", "rms_ap_los": "RMS front to back",
    "mean_power_frequency": "mean frequency", "mean_power_frequency_los": "mean frequency",
    "stability_index": "stability index", "stability_index_los": "stability index", "time_held_s": "time held",
    "right_load_pct": "weight on the right foot", "mean_ml": "mean lean to the right",
    "mean_ml_los": "mean lean to the right", "reaction_time_s": "reaction time",
    "movement_velocity_per_s": "movement velocity", "endpoint_excursion_pct": "endpoint excursion",
    "max_excursion_pct": "maximum excursion", "directional_control_pct": "directional control",
    "overall_score_pct": "overall score", "time_to_complete_s": "time to complete",
    "targets_reached": "targets reached",
}


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))
