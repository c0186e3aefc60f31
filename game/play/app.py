"""``proprio play`` as a library: open things, run the plan, close things.

``Game`` opens the device, the recorder and the view, runs the title flow (or, headless, the
plan straight away) on one ``Loop``, and closes everything however the run ends. A test
hands it a ``ManualClock`` and a ``Pilot`` view to play the real flow from a script.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from game.errors import InputSpecError, ProprioError
from game.input import open_source
from game.input.source import PoseSource
from game.level.loader import LoadedLevel, load_level, load_plan, shipped_levels
from game.menu import CALIBRATE, CALIBRATE_LABEL, ResultsView, TitleMenu
from game.paths import default_db_path
from game.play.clock import Clock, FastClock, RealClock
from game.play.levels import LevelPlayer
from game.play.loop import Loop, QuitGame
from game.play.outcome import LevelOutcome, RunSummary, improvements
from game.play.screens.calibration import run_calibration
from game.play.screens.menus import ResultsScreen, TitleScreen
from game.players import DEFAULT_PLAYER, check_player_id, remember_player, remembered_players
from game.views.base import View
from game.views.factory import VIEW_CHOICES, open_view
from telemetry.store.recorder import Recorder

HEADLESS_DEVICE_TIMEOUT_S = 10.0  # nobody watches a headless run: a device silent this long ends it


def device_timeout(asked_s: float | None, headless: bool) -> float | None:
    """Seconds of device silence that end a level or a calibration: 10 s headless by default, never in a
    window, ``0`` never; a negative or NaN value is refused."""
    if asked_s is None:
        return HEADLESS_DEVICE_TIMEOUT_S if headless else None
    if not asked_s >= 0:
        raise InputSpecError("--device-timeout must be a number of seconds (0: never)")
    return asked_s or None


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
    device_timeout_s: float | None = None  # a device silent this long ends the level (None: the default, 0: never)

    @property
    def device_timeout(self) -> float | None:
        """Seconds of device silence that end a level (see ``device_timeout``)."""
        return device_timeout(self.device_timeout_s, self.headless)


class Game:
    """Plays a plan of levels; ``run`` returns the summary (aborted runs too)."""

    def __init__(self, options: PlayOptions, *, view: View | None = None, clock: Clock | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.options = options
        self.notify = notify  # where a headless run says that its device went quiet or came back
        if options.view not in VIEW_CHOICES:
            raise InputSpecError(f"unknown --view '{options.view}'",
                                 remedy=f"Valid choices: {', '.join(VIEW_CHOICES)}.")
        if options.duration_s is not None and not options.duration_s > 0:
            raise InputSpecError("--duration must be a positive number of seconds")
        self.device_timeout_s = options.device_timeout  # a negative or NaN --device-timeout stops us here
        self.plan = load_plan(options.level)  # a broken level stops us before anything opens
        if options.watch and (len(self.plan) != 1 or self.plan[0].path.name.endswith(".playlist.toml")):
            raise InputSpecError("--watch needs one level file",
                                 remedy="For example: proprio play my-level.toml --watch")
        last, _ = remembered_players()
        self.player = check_player_id(options.player or last or DEFAULT_PLAYER)
        self.seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
        # The device first (a bad --input creates no database), then the store (an unwritable --db stops us here).
        self.source: PoseSource = open_source(options.input, self.seed, db_path=options.db_path,
                                              read_session=Recorder.recording)
        if options.seed is None and self.source.recorded_seed is not None:
            self.seed = self.source.recorded_seed  # a replay plays with the seed it was recorded with
        try:
            self.recorder = Recorder(Path(options.db_path or default_db_path()))
        except BaseException:
            self.source.close()
            raise
        self._view = view
        self.clock: Clock = clock or (FastClock() if options.fast else RealClock())

    # -- open, run, close ------------------------------------------------------------------
    def run(self) -> RunSummary:
        """Open the view, play (through the title screen unless headless), close everything."""
        summary = RunSummary(self.recorder.path, self.player, self.source.name, self.seed, [], "completed")
        view = self._view
        try:
            if view is None:
                view = open_view(self.options.view, headless=self.options.headless,
                                 fullscreen=self.options.fullscreen, sound=self.options.sound)
            loop = Loop(self.clock, view, self.source)
            levels = LevelPlayer(loop, self.recorder, self.source, self.options, self.seed, self.notify)
            if self.options.headless or self.options.watch:
                self._play_plan(levels, self.plan, summary)
            else:
                self._title_flow(loop, levels, summary)
        except QuitGame:
            summary.status = "aborted"
        except KeyboardInterrupt:
            summary.status = "aborted"
            summary.warnings.append("stopped with Ctrl-C; the data so far is kept")
        finally:
            if view is not None:
                if self.options.screenshot:
                    view.screenshot(self.options.screenshot)
                view.close()
            self.source.close()
            self.recorder.close()
        return summary

    # -- the plan ----------------------------------------------------------------------------
    def _play_plan(self, levels: LevelPlayer, plan: list[LoadedLevel], summary: RunSummary) -> None:
        if self.options.watch:
            levels.play_watched(self.player, plan[0], summary)
            return
        for index, loaded in enumerate(plan):
            if levels.time_left() == 0.0:
                break
            outcome, _ = levels.play(self.player, loaded, plan_name=self.options.level or "default")
            summary.outcomes.append(outcome)
            completed = outcome.status == "completed"
            if not completed:
                summary.status = outcome.status
            if outcome.lost_rows:
                summary.warnings.append(f"{outcome.lost_s:.1f} s of {outcome.title} could not be saved (the disk or"
                                        f" the database stayed unavailable); session {outcome.session_id} is stored"
                                        f" as {outcome.stored_status}")
            if outcome.status == "device_lost":
                summary.warnings.append(f"{self.source.name} stayed silent, so the level ended; everything recorded"
                                        " before is kept. Check the cable, the power or the network, then play again.")
            if not self.options.headless:
                has_next = completed and not outcome.time_up and index + 1 < len(plan)
                if self._results(levels.loop, outcome, plan[index + 1].level.title if has_next else None) == "title":
                    return
            if not completed or outcome.time_up:
                return

    def _results(self, loop: Loop, outcome: LevelOutcome, next_label: str | None) -> str:
        previous = self.recorder.previous_result(self.player, outcome.level, outcome.session_id)
        screen = ResultsScreen(ResultsView(
            player=self.player, level_title=outcome.title, score=outcome.score, max_score=outcome.max_score,
            stars=outcome.stars, trials=outcome.trials, successes=outcome.successes,
            difficulty=outcome.difficulty_reached, improvements=improvements(outcome, previous), next_label=next_label,
            status=outcome.status,
        ))
        loop.run(screen)
        return screen.choice or "title"

    # -- the title screen --------------------------------------------------------------------
    def _title_flow(self, loop: Loop, levels: LevelPlayer, summary: RunSummary) -> None:
        menu = self._title_menu()
        while True:
            screen = TitleScreen(menu)
            loop.run(screen)
            if screen.choice == "quit":
                return
            self.player = menu.player or self.player
            remember_player(self.player)
            if screen.choice == "calibrate":
                menu.message = self._calibrate(loop)
                continue
            if menu.player not in menu.players:
                menu.players.append(self.player)
                menu.player_index = menu.players.index(self.player)
                menu.typed = ""
            try:
                plan = load_plan(menu.level_spec)
            except ProprioError as exc:
                menu.message = str(exc).splitlines()[0][:80]
                continue
            summary.player = self.player
            self._play_plan(levels, plan, summary)

    def _title_menu(self) -> TitleMenu:
        _, players = remembered_players()
        if self.player not in players:
            players.append(self.player)
        choices = [("default", "All levels (First steps)")] + [(str(p), _title_of(p)) for p in shipped_levels()]
        if self.options.level:
            label = self.plan[0].level.title if len(self.plan) == 1 else self.options.level
            choices.insert(0, (self.options.level, label))
        choices.append((CALIBRATE, CALIBRATE_LABEL))
        return TitleMenu(players, choices, player_index=players.index(self.player))

    def _calibrate(self, loop: Loop) -> str:
        """Run the device calibration for the chosen player; a line for the title screen."""
        try:
            run_calibration(loop, self.recorder, self.player)
        except ProprioError as exc:
            return str(exc).splitlines()[0][:80]
        return f"Calibrated {self.source.name} for {self.player}"


def _title_of(path: Path) -> str:
    try:
        return load_level(path).level.title
    except ProprioError:
        return path.stem
