"""Play levels for real: the wall clock, the window, the device and the telemetry thread.

This is the only module that reads a clock. It owns the frame loop: poll the UI and the
device, advance the pure session in fixed steps from an accumulator, hand telemetry rows
to the writer thread, draw the interpolated frame.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game import __version__
from game.core.snapshot import Frame
from game.core.stepper import FixedStepper
from game.core.world import STEP_HZ, STEP_S
from game.errors import InputSpecError, ProprioError
from game.input import KeyboardSource, open_source
from game.input.device import DeviceWatch, recentre
from game.input.keyboard import field_pointer
from game.input.source import PoseSource
from game.level.loader import LoadedLevel, load_plan, shipped_levels
from game.level.watch import LevelWatcher
from game.menu import CALIBRATE, CALIBRATE_LABEL, PauseMenu, ResultsView, TitleMenu
from game.paths import default_db_path
from game.players import DEFAULT_PLAYER, check_player_id, remember_player, remembered_players
from game.limits import PlayClock, SessionLimits
from game.session import ScalerPlan, Session, SessionStep, StoredScaler, resume_scalers
from telemetry.calibrations import apply_stored_calibration
from telemetry.limits_store import load_limits
from telemetry.sessions import create_session, mark_interrupted, previous_result, utc_now
from telemetry.store import open_db
from telemetry.writer import Batch, TelemetryWriter, event_row

VIEW_CHOICES = ("2d", "3d", "vr", "vr-preview")
FRAME_BUDGET_S = 1.0 / 60.0  # the 60 Hz display budget; a frame over it counts as dropped
FAST_FRAME_S = 1.0 / 60.0  # the nominal frame time of --fast runs
HANDOFF_S = 0.25  # simulation seconds between hand-offs to the writer thread


@dataclass(frozen=True)
class PlayOptions:
    """Everything ``proprio play`` can be told."""

    level: str | None = None
    player: str | None = None
    input: str = "keyboard"
    view: str = "2d"
    seed: int | None = None
    headless: bool = False
    fast: bool = False
    duration_s: float | None = None
    db_path: Path | None = None
    screenshot: Path | None = None
    fullscreen: bool = False
    sound: bool = True
    watch: bool = False  # reload the level file when it changes (authoring loop)


@dataclass
class LevelOutcome:
    """One played level: its session row's closing figures."""

    session_id: int
    level: str
    title: str
    status: str
    duration_s: float
    trials: int
    successes: int
    score: int
    max_score: int
    stars: int
    difficulty_reached: float
    frame_ms: list[float] = field(default_factory=list, repr=False)
    dropped_steps: int = 0
    time_up: bool = False  # the clinician's maximum session length ended this level


@dataclass
class RunSummary:
    """What ``proprio play`` prints at the end."""

    db_path: Path
    player: str
    device: str
    seed: int
    outcomes: list[LevelOutcome]
    status: str
    warnings: list[str] = field(default_factory=list)

    @property
    def frame_ms(self) -> list[float]:
        """Every frame's work time, milliseconds."""
        return [ms for o in self.outcomes for ms in o.frame_ms]

    def figures(self) -> dict:
        """The summary as plain numbers (also what --format json would print)."""
        frames = np.array(self.frame_ms) if self.frame_ms else np.array([0.0])
        trials = sum(o.trials for o in self.outcomes)
        successes = sum(o.successes for o in self.outcomes)
        return {
            "status": self.status,
            "player": self.player,
            "device": self.device,
            "seed": self.seed,
            "levels": [o.level for o in self.outcomes],
            "sessions": [o.session_id for o in self.outcomes],
            "duration_s": round(sum(o.duration_s for o in self.outcomes), 3),
            "trials": trials,
            "successes": successes,
            "success_rate": round(successes / trials, 3) if trials else None,
            "score": sum(o.score for o in self.outcomes),
            "frame_p50_ms": round(float(np.percentile(frames, 50)), 3),
            "frame_p99_ms": round(float(np.percentile(frames, 99)), 3),
            "frames": len(self.frame_ms),
            "dropped_frames": int(np.sum(frames > FRAME_BUDGET_S * 1000)) if self.frame_ms else 0,
            "db": str(self.db_path),
        }


def frame_figures(frame_ms: list[float]) -> dict:
    """p50/p99 frame time and dropped frames for one session row."""
    if not frame_ms:
        return {"frame_p50_ms": None, "frame_p99_ms": None, "frames": 0, "dropped_frames": 0}
    values = np.array(frame_ms)
    return {
        "frame_p50_ms": round(float(np.percentile(values, 50)), 3),
        "frame_p99_ms": round(float(np.percentile(values, 99)), 3),
        "frames": len(frame_ms),
        "dropped_frames": int(np.sum(values > FRAME_BUDGET_S * 1000)),
    }


def improvements(current: LevelOutcome, previous: dict | None) -> tuple[str, ...]:
    """Plain-language lines comparing this level with the player's last finished try."""
    if current.trials == 0:
        return ("No trials finished this time.",)
    if previous is None:
        return ("First time on this level: a great start!",)
    lines = []
    rate, old_rate = current.successes / current.trials, previous.get("success_rate") or 0.0
    if rate > old_rate + 1e-9:
        lines.append(f"+ Success {old_rate:.0%} -> {rate:.0%}")
    if current.score > (previous.get("score") or 0):
        lines.append(f"+ Score {previous.get('score') or 0} -> {current.score}")
    old_difficulty = previous.get("difficulty_reached")
    if old_difficulty is not None and current.difficulty_reached > old_difficulty + 0.01:
        lines.append(f"+ Harder challenge reached: {old_difficulty:.2f} -> {current.difficulty_reached:.2f}")
    return tuple(lines) or (f"Last time: {old_rate:.0%} success. Practice makes progress!",)


class _Quit(Exception):
    """The player closed the window or chose Quit game."""


class _Reload(Exception):
    """The watched level file changed and its new version is valid."""

    def __init__(self, loaded: LoadedLevel) -> None:
        super().__init__(loaded.name)
        self.loaded = loaded


WATCH_EVERY_FRAMES = 30  # look at the watched file twice a second at 60 frames per second


class Runner:
    """Plays a plan of levels; ``run`` returns the summary (aborted runs too)."""

    def __init__(self, options: PlayOptions) -> None:
        self.options = options
        if options.view not in VIEW_CHOICES:
            raise InputSpecError(f"unknown --view '{options.view}'", remedy=f"Valid choices: {', '.join(VIEW_CHOICES)}.")
        if options.duration_s is not None and not options.duration_s > 0:
            raise InputSpecError("--duration must be a positive number of seconds")
        self.plan = load_plan(options.level)  # a broken level stops us before anything opens
        last, _ = remembered_players()
        self.player = check_player_id(options.player or last or DEFAULT_PLAYER)
        self.seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
        self.source: PoseSource = open_source(options.input, self.seed, db_path=options.db_path)
        if options.seed is None and getattr(self.source, "recorded_seed", None) is not None:
            self.seed = self.source.recorded_seed  # a replay plays with the seed it was recorded with
        self.db_path = Path(options.db_path or default_db_path())
        self.db = open_db(self.db_path)  # an unwritable --db is reported before the game starts
        mark_interrupted(self.db)
        self.view = None
        self.sim_time_s = 0.0
        self._watcher: LevelWatcher | None = None
        if options.watch and (len(self.plan) != 1 or self.plan[0].path.name.endswith(".playlist.toml")):
            raise InputSpecError("--watch needs one level file", remedy="For example: proprio play my-level.toml --watch")

    # -- the whole run -----------------------------------------------------------------
    def run(self) -> RunSummary:
        """Open the view, play (through the title screen unless headless), close everything."""
        summary = RunSummary(self.db_path, self.player, self.source.name, self.seed, [], "completed")
        try:
            self.view = self._open_view()
            if self.options.headless or self.options.watch:
                self._play_plan(self.plan, summary)
            else:
                self._interactive(summary)
        except _Quit:
            summary.status = "aborted"
        except KeyboardInterrupt:
            summary.status = "aborted"
            summary.warnings.append("stopped with Ctrl-C; the data so far is kept")
        finally:
            if self.view is not None:
                if self.options.screenshot:
                    self.view.screenshot(self.options.screenshot)
                self.view.close()
            self.source.close()
            self.db.close()
        return summary

    def _open_view(self):
        return open_view(self.options)

    def _interactive(self, summary: RunSummary) -> None:
        _, players = remembered_players()
        if self.player not in players:
            players.append(self.player)
        levels = [("default", "All levels (First steps)")] + [
            (str(p), _title_of(p)) for p in shipped_levels()
        ]
        if self.options.level:
            levels.insert(0, (self.options.level, self.plan[0].level.title if len(self.plan) == 1 else self.options.level))
        levels.append((CALIBRATE, CALIBRATE_LABEL))
        menu = TitleMenu(players, levels, player_index=players.index(self.player))
        while True:
            choice = self._title(menu)
            if choice == "quit":
                return
            self.player = menu.player
            remember_player(self.player)
            if choice == "calibrate":
                menu.message = self._calibrate()
                continue
            if menu.player not in menu.players:
                menu.players.append(menu.player)
                menu.player_index = menu.players.index(menu.player)
                menu.typed = ""
            try:
                plan = load_plan(menu.level_spec)
            except ProprioError as exc:
                menu.message = str(exc).splitlines()[0][:80]
                continue
            summary.player = self.player
            self._play_plan(plan, summary)

    def _calibrate(self) -> str:
        """Run the device calibration for the chosen player; a line for the title screen."""
        from game.views.calibration_screen import run_calibration

        try:
            run_calibration(self.view, self.source, self.player, self.db)
        except ProprioError as exc:
            return str(exc).splitlines()[0][:80]
        return f"Calibrated {self.source.name} for {self.player}"

    def _title(self, menu: TitleMenu) -> str:
        while True:
            actions, _ = self.view.poll()
            for action in actions:
                if action == "quit":
                    raise _Quit
                if action == "pause":  # Space starts, like Enter
                    action = "confirm"
                result = menu.handle(action)
                if result:
                    return result
            self.view.draw_title(menu)
            self.view.present()
            time.sleep(1 / 30)

    def _play_plan(self, plan: list[LoadedLevel], summary: RunSummary) -> None:
        if self.options.watch:
            self._play_watched(plan[0], summary)
            return
        for index, loaded in enumerate(plan):
            if self._time_left() == 0.0:
                break
            outcome = self._play_level(loaded, plan_name=self.options.level or "default")
            summary.outcomes.append(outcome)
            completed = outcome.status == "completed"
            if not completed:
                summary.status = outcome.status
            if not self.options.headless:
                has_next = completed and not outcome.time_up and index + 1 < len(plan)
                next_label = plan[index + 1].level.title if has_next else None
                if self._results(outcome, next_label) == "title":
                    return
            if not completed or outcome.time_up:
                return

    def _play_watched(self, loaded: LoadedLevel, summary: RunSummary) -> None:
        """Play one level over and over, restarting it with each new valid version of its file."""
        self._watcher = LevelWatcher(loaded.path, loaded.sha256)
        while self._time_left() != 0.0:
            try:
                outcome = self._play_level(loaded, plan_name=str(loaded.path))
            except _Reload as reload:
                summary.outcomes.append(reload.outcome)
                loaded = reload.loaded
                continue
            summary.outcomes.append(outcome)
            if outcome.status != "completed":
                summary.status = outcome.status
                return

    def _time_left(self) -> float | None:
        if self.options.duration_s is None:
            return None
        return max(0.0, self.options.duration_s - self.sim_time_s)

    def _results(self, outcome: LevelOutcome, next_label: str | None) -> str:
        previous = previous_result(self.db, self.player, outcome.level, outcome.session_id)
        view = ResultsView(
            player=self.player, level_title=outcome.title, score=outcome.score, max_score=outcome.max_score,
            stars=outcome.stars, trials=outcome.trials, successes=outcome.successes,
            difficulty=outcome.difficulty_reached, improvements=improvements(outcome, previous), next_label=next_label,
            status=outcome.status,
        )
        self.view.play_sounds(["level_end"])
        while True:
            actions, _ = self.view.poll()
            for action in actions:
                if action == "quit":
                    raise _Quit
                if action in ("confirm", "pause"):
                    return "next" if next_label else "title"
                if action == "back":
                    return "title"
            self.view.draw_results(view)
            self.view.present()
            time.sleep(1 / 30)

    # -- one level ---------------------------------------------------------------------
    def _stored_difficulty(self) -> dict[str, StoredScaler]:
        if not self.db["difficulty_state"].exists():
            return {}
        rows = self.db.query("select kind, difficulty, state from difficulty_state where player_id = ?", [self.player])
        return {row["kind"]: StoredScaler(row["difficulty"], row["state"]) for row in rows}

    def _play_level(self, loaded: LoadedLevel, plan_name: str) -> LevelOutcome:
        level = loaded.level
        limits = load_limits(self.db, self.player)
        plan = resume_scalers(level, self._stored_difficulty(), limits)  # a limit the level cannot honour stops here
        session = Session(level, self.seed, plan.scalers)
        if not hasattr(self, "_clocks"):
            self._clocks: dict[str, PlayClock] = {}  # play time per player across this run's levels
        self._clock = self._clocks.setdefault(self.player, PlayClock(limits.session))
        self._clock.limits = limits.session
        session_id = create_session(self.db, {
            "player_id": self.player, "level": loaded.name, "level_title": level.title,
            "level_path": str(loaded.path), "level_sha256": loaded.sha256, "plan": plan_name,
            "device": self.source.name, "view": self.options.view, "seed": self.seed,
            "step_hz": float(STEP_HZ), "app_version": __version__,
            "calibration_id": apply_stored_calibration(self.db, self.player, self.source),
        })
        self._device_watch = DeviceWatch(self.source)  # pauses for an absent device; dropped samples, input rate
        writer = TelemetryWriter(self.db_path).start()
        writer.submit(Batch(events=[dict(_ui_event(session_id, 0.0, "difficulty_start"), challenge=start.challenge,
                                         data=json.dumps(start.event_data())) for start in plan.starts]))
        outcome = LevelOutcome(session_id, loaded.name, level.title, "running", 0.0, 0, 0, 0, session.world.max_score, 0,
                               session.scalers[0].difficulty)
        stepper = FixedStepper(STEP_S)
        try:
            outcome.status = self._loop(session, session_id, writer, stepper, outcome)
        except (KeyboardInterrupt, _Quit):
            outcome.status = "aborted"
            raise
        except _Reload as reload:
            outcome.status = "aborted"  # replaced by the file's new version
            reload.outcome = outcome
            raise
        finally:
            self._close_level(session, session_id, writer, stepper, outcome, plan)
        if outcome.status == "completed" and self._clock.time_up(0.0):
            outcome.time_up = True  # the clinician's session length is used up: the plan ends here
        return outcome

    def _loop(self, session: Session, session_id: int, writer: TelemetryWriter, stepper: FixedStepper,
              outcome: LevelOutcome) -> str:
        pending = [Batch()]  # the rows not yet handed over; flushed however the loop ends
        try:
            return self._frames(session, session_id, writer, stepper, outcome, pending)
        finally:
            writer.submit(pending[0])

    def _frames(self, session: Session, session_id: int, writer: TelemetryWriter, stepper: FixedStepper,
                outcome: LevelOutcome, pending: list[Batch]) -> str:
        view, source = self.view, self.source
        prev = curr = session.snapshot()
        handed_at = 0.0
        pause: PauseMenu | None = None
        budget = self._time_left()
        last_wall = time.perf_counter()
        clock = getattr(self, "_clock", None) or PlayClock(SessionLimits())
        rest_left_s: float | None = None  # a clinician's rest break under way: play is frozen
        while True:
            frame_start = time.perf_counter()
            batch = pending[0]
            actions, held = view.poll()
            ui_events: list[str] = []
            for action in actions:
                if action == "quit":
                    raise _Quit
                if action == "recentre":  # re-zero the device on its current reading
                    if recentre(source):
                        batch.events.append(_ui_event(session_id, session.t_s, "recentre"))
                    continue
                if pause is None and action in ("pause", "back"):
                    pause = PauseMenu()
                    ui_events.append("pause")
                    batch.events.append(_ui_event(session_id, session.t_s, "pause"))
                elif pause is not None:
                    choice = pause.handle(action)
                    if choice == "resume":
                        pause = None
                        ui_events.append("resume")
                        batch.events.append(_ui_event(session_id, session.t_s, "resume"))
                    elif choice == "end":
                        return "aborted"
                    elif choice == "quit":
                        raise _Quit
            if isinstance(source, KeyboardSource):
                source.set_held(held)
                source.set_pointer(field_pointer(view))
            device_change = self._device_watch.check()
            if device_change is not None:
                batch.events.append(dict(_ui_event(session_id, session.t_s, device_change[0]),
                                         data=json.dumps(device_change[1])))
            device = self._device_watch.status
            now = time.perf_counter()
            elapsed = FAST_FRAME_S if self.options.fast else now - last_wall
            last_wall = now
            steps, alpha = stepper.advance(
                0.0 if pause is not None or rest_left_s is not None or not device.ready else elapsed)
            if rest_left_s is not None and pause is None:
                rest_left_s -= elapsed
                if rest_left_s <= 0.0:
                    rest_left_s = None
                    clock.rested(session.t_s)
                    batch.events.append(_ui_event(session_id, session.t_s, "rest_end"))
            step_events = []
            status = None
            for _ in range(steps):
                if clock.time_up(session.t_s):
                    status = "completed"
                    batch.events.append(dict(_ui_event(session_id, session.t_s, "session_limit"),
                                             data=json.dumps(clock.time_up_data(session.t_s))))
                    break
                source.observe(curr)
                step = session.advance(source.poll(session.t_s))
                prev, curr = curr, session.snapshot()
                _collect(batch, session_id, step)
                step_events.extend(step.events)
                if session.finished or (budget is not None and session.t_s >= budget):
                    status = "completed"
                    break
                if clock.rest_due(session.t_s) and curr.phase != "trial" and not clock.time_up(session.t_s):
                    rest_left_s = clock.limits.rest_s
                    batch.events.append(dict(_ui_event(session_id, session.t_s, "rest_start"),
                                             data=json.dumps(clock.rest_data(session.t_s))))
                    break
            if session.t_s - handed_at >= HANDOFF_S:
                writer.submit(batch)
                pending[0], handed_at = Batch(), session.t_s
            notice = None
            if self._watcher is not None:
                frame_index = len(outcome.frame_ms)
                if frame_index % WATCH_EVERY_FRAMES == WATCH_EVERY_FRAMES - 1:
                    reloaded = self._watcher.poll()
                    if reloaded is not None:
                        # pending[0], not batch: batch may already be in the writer's hands
                        pending[0].events.append(_ui_event(session_id, session.t_s, "level_reloaded"))
                        raise _Reload(reloaded)
                notice = self._watcher.notice()
            if rest_left_s is not None:
                notice = f"Rest break  {math.ceil(rest_left_s)} s"
            notice = device.notice or notice
            view.draw_play(Frame(prev, curr, alpha if status is None else 1.0), pause, notice)
            view.play_sounds(step_events + ui_events)
            view.present()
            outcome.frame_ms.append((time.perf_counter() - frame_start) * 1000.0)
            if status:
                return status
            if not self.options.fast or not device.ready:  # waiting for a device: do not spin
                spare = FRAME_BUDGET_S - (time.perf_counter() - frame_start)
                if spare > 0:
                    time.sleep(spare)

    def _close_level(self, session: Session, session_id: int, writer: TelemetryWriter, stepper: FixedStepper,
                     outcome: LevelOutcome, plan: ScalerPlan | None = None) -> None:
        world = session.world
        snap = session.snapshot()
        outcome.duration_s = session.t_s
        outcome.trials = session.totals.trials
        outcome.successes = session.totals.successes
        outcome.score = world.score
        outcome.stars = snap.stars
        outcome.dropped_steps = stepper.dropped_steps
        outcome.difficulty_reached = max(s.difficulty for s in session.scalers)
        self.sim_time_s += session.t_s
        closing = {
            "ended_at": utc_now(), "status": outcome.status, "duration_s": round(session.t_s, 6),
            "trials": outcome.trials, "successes": outcome.successes,
            "success_rate": session.totals.success_rate, "score": outcome.score, "max_score": outcome.max_score,
            "stars": outcome.stars, "difficulty_reached": outcome.difficulty_reached,
            "dropped_steps": stepper.dropped_steps, **self._device_watch.figures(), **frame_figures(outcome.frame_ms),
        }
        writer.finish(session_id, closing)
        if writer.error is not None:
            raise ProprioError(f"telemetry could not be written to {self.db_path}: {writer.error}",
                               remedy="Check free disk space and the file's permissions.")
        if getattr(self, "_clock", None) is not None:
            self._clock.end_level(session.t_s)
        # Per kind, the scaler that played last this session (nothing played: the stored row stays).
        to_store = plan.to_store() if plan is not None else {
            c.kind: s for c, s in zip(session.level.challenges, session.scalers)}
        with self.db.conn:
            for kind, scaler in to_store.items():
                self.db["difficulty_state"].upsert(
                    {"player_id": self.player, "kind": kind, "difficulty": scaler.difficulty,
                     "updated_at": utc_now(), "state": json.dumps(scaler.state())},
                    pk=("player_id", "kind"),
                )


def open_view(options: PlayOptions):
    """Create the view ``--view`` names (imported late: SDL and panda3d read the environment at import)."""
    if options.view != "2d":
        from game.views.panda3d_view import open_panda3d_view

        return open_panda3d_view(options.view, headless=options.headless, fullscreen=options.fullscreen,
                                 sound=options.sound)
    if options.headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from game.views.pygame_view import PygameView

    try:
        return PygameView(fullscreen=options.fullscreen, sound=options.sound and not options.headless)
    except pygame.error as exc:
        raise ProprioError(
            f"cannot open a window ({exc})",
            remedy="No display here? Add --headless (for example: proprio play --headless --input sim --fast).",
        ) from None


def _title_of(path: Path) -> str:
    try:
        from game.level.loader import load_level

        return load_level(path).level.title
    except ProprioError:
        return path.stem


def _ui_event(session_id: int, t_s: float, kind: str) -> dict:
    return {"session_id": session_id, "t_s": t_s, "kind": kind, "challenge": -1, "trial": 0, "data": "{}"}


def _collect(batch: Batch, session_id: int, step: SessionStep) -> None:
    """Turn one step's output into telemetry rows."""
    pose = step.pose
    batch.samples.append({
        "session_id": session_id, "step": step.step, "t_s": step.t_s, "x": pose.x, "y": pose.y,
        "raw_x": pose.raw_x, "raw_y": pose.raw_y, "raw_unit": pose.raw_unit, "device_t_s": pose.t_s,
    })
    for event in step.events:
        batch.events.append(event_row(session_id, event))
    for result in step.results:
        batch.trials.append({
            "session_id": session_id, "challenge": result.challenge, "trial": result.trial, "kind": result.kind,
            "outcome": "success" if result.success else "fail", "started_t_s": result.started_t_s,
            "duration_s": result.duration_s, "difficulty": result.difficulty,
            "params": json.dumps(result.params, sort_keys=True), "points": result.points, "progress": result.progress,
        })
    for change in step.changes:
        batch.difficulty_changes.append({
            "session_id": session_id, "t_s": change.t_s, "challenge": change.challenge, "kind": change.kind,
            "trial": change.trial, "old": change.old, "new": change.new, "reason": change.reason,
            "recent_success_rate": change.recent_success_rate,
        })
