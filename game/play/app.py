"""``proprio play`` as a library: open things, run the plan, close things.

``Game`` opens the device, the recorder and the view, runs the title flow (or, headless, the
plan straight away) on one ``Loop``, and closes everything however the run ends. A test
hands it a ``ManualClock`` and a ``Pilot`` view to play the real flow from a script.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

from game.assess.loader import load_protocol, shipped_protocols
from game.errors import InputSpecError, ProprioError
from game.input import open_source
from game.input.source import PoseSource
from game.level.loader import LoadedLevel, load_plan
from game.menu import CALIBRATE, CALIBRATE_LABEL, COLLECTION, COLLECTION_LABEL, ResultsView, TitleEntry, TitleMenu
from game.paths import default_db_path
from game.play.catalogue import shipped_level_infos, shipped_playlists
from game.play.clock import Clock, FastClock, RealClock, today
from game.play.levels import LevelPlayer
from game.play.loop import Loop, QuitGame, drawing_for
from game.play.outcome import LevelOutcome, RunSummary, improvements
from game.play.screens.assess import MessageScreen
from game.play.screens.calibration import run_calibration
from game.play.screens.checkin import CheckinScreen
from game.play.screens.menus import ResultsScreen, TitleScreen
from game.play.stop_signal import stop_reason
from game.players import DEFAULT_PLAYER, check_player_id, remember_player, remembered_players
from game.progress import (
    LevelInfo,
    PlanGoal,
    PlayedSession,
    Progress,
    headline,
    new_bests,
    new_stickers,
    plan_goal,
    progress_from,
)
from game.views.base import View
from game.views.factory import VIEW_CHOICES, open_view
from telemetry.store.clinic import add_checkin, as_plan, current_plan, player_adherence
from telemetry.store.players import display_names
from telemetry.store.queries import progress_sessions
from telemetry.store.recorder import Recorder
from telemetry.store.sessions import utc_now

PlanEnd = Literal["done", "title", "switch"]  # how a plan ended: played out, back to the title, switch player

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
    music: bool | None = None  # False: no theme music; None: as PROPRIO_MUSIC says (on unless it is 0)
    watch: bool = False  # reload the level file when it changes (authoring loop)
    device_timeout_s: float | None = None  # a device silent this long ends the level (None: the default, 0: never)

    @property
    def device_timeout(self) -> float | None:
        """Seconds of device silence that end a level (see ``device_timeout``)."""
        return device_timeout(self.device_timeout_s, self.headless)


def open_run(*, player: str | None, seed: int | None, input_spec: str, db_path: Path | None, fast: bool,
             clock: Clock | None) -> tuple[str, int, PoseSource, Recorder, Clock]:
    """The player, seed, device, store and clock of a run (a game or an assessment), opened safest first.

    The device first (a bad --input creates no database), then the store (an unwritable --db stops us
    here, closing the device). A run faster than real time makes the store patient: it waits for the
    writer instead of dropping rows.
    """
    last, _ = remembered_players()
    who = check_player_id(player or last or DEFAULT_PLAYER)
    chosen = seed if seed is not None else secrets.randbelow(2**31)
    source = open_source(input_spec, chosen, db_path=db_path, read_session=Recorder.recording)
    if seed is None and source.recorded_seed is not None:
        chosen = source.recorded_seed  # a replay plays with the seed it was recorded with
    try:
        recorder = Recorder(Path(db_path or default_db_path()))
    except BaseException:
        source.close()
        raise
    run_clock = clock or (FastClock() if fast else RealClock())
    recorder.patient = not isinstance(run_clock, RealClock)
    return who, chosen, source, recorder, run_clock


class Game:
    """Plays a plan of levels; ``run`` returns the summary (aborted runs too)."""

    def __init__(self, options: PlayOptions, *, view: View | None = None, clock: Clock | None = None,
                 notify: Callable[[str], None] | None = None, day: Callable[[], date] = today) -> None:
        self.options = options
        self.day = day  # the local calendar day (the weekly goal); a test hands a fixed one
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
        self.player, self.seed, self.source, self.recorder, self.clock = open_run(
            player=options.player, seed=options.seed, input_spec=options.input, db_path=options.db_path,
            fast=options.fast, clock=clock)
        self._view = view
        self._level_infos: list[tuple[str, LevelInfo]] | None = None  # the shipped levels (read for the title)
        self._progress: dict[str, Progress] = {}  # per player, as of the last level played
        self._checked_in: set[str] = set()  # players asked "how did it feel?" after a game in this sitting
        self._asked_before: set[str] = set()  # players asked "how does it feel right now?" in this sitting

    # -- open, run, close ------------------------------------------------------------------
    def run(self) -> RunSummary:
        """Open the view, play (through the title screen unless headless), close everything."""
        summary = RunSummary(self.recorder.path, self.player, self.source.name, self.seed, [], "completed")
        view = self._view
        try:
            if view is None:
                view = open_view(self.options.view, headless=self.options.headless,
                                 fullscreen=self.options.fullscreen, sound=self.options.sound,
                                 music=self.options.music)
            drawing = "every" if self._view is not None else drawing_for(  # headless --fast: what is saved
                headless=self.options.headless, fast=self.options.fast, screenshot=bool(self.options.screenshot))
            loop = Loop(self.clock, view, self.source, drawing)
            # Every level that starts is in the summary, however the run ends (Quit, window closed, Ctrl-C).
            levels = LevelPlayer(loop, self.recorder, self.source, self.options, self.seed, self.notify,
                                 played=summary.outcomes)
            if self.options.headless or self.options.watch:
                self._play_plan(levels, self.plan, summary)
            else:
                self._title_flow(loop, levels, summary)
        except QuitGame:
            summary.status = "aborted"
            summary.warnings.append("the game was closed (window closed or Quit game chosen); "
                                    + _kept(summary))
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM / SIGHUP (game/play/stop_signal.py)
            summary.status = "aborted"
            summary.stop_signal, words = stop_reason(exc)
            summary.warnings.append(f"{words}; " + _kept(summary))
        finally:
            if view is not None:
                if self.options.screenshot:
                    view.screenshot(self.options.screenshot)
                view.close()
            self.source.close()
            self.recorder.close()
        return summary

    # -- the plan ----------------------------------------------------------------------------
    def _play_plan(self, levels: LevelPlayer, plan: list[LoadedLevel], summary: RunSummary) -> PlanEnd:
        """Play the plan's levels in order (results between them in a window); how it ended."""
        if self.options.watch:
            levels.play_watched(self.player, plan[0], summary)
            return "done"
        for index, loaded in enumerate(plan):
            if levels.time_left() == 0.0:
                break
            has_next = index + 1 < len(plan)
            before = Progress() if self.options.headless else self.progress(self.player, refresh=True)  # "new best!"
            outcome, _ = levels.play(self.player, loaded, plan_name=self.options.level or "default",
                                     has_next=has_next and not self.options.headless)
            completed = outcome.status == "completed"
            if not completed and outcome.ended_by != "skip":
                summary.status = outcome.status
            if outcome.lost_rows:
                summary.warnings.append(f"{outcome.lost_s:.1f} s of {outcome.title} could not be saved (the disk or"
                                        f" the database stayed unavailable); session {outcome.session_id} is stored"
                                        f" as {outcome.stored_status}")
            if outcome.status == "device_lost":
                summary.warnings.append(f"{self.source.name} stayed silent, so the level ended; everything recorded"
                                        " before is kept. Check the cable, the power or the network, then play again.")
            if outcome.ended_by == "switch":
                return "switch"
            if outcome.ended_by == "skip":
                continue  # the therapist skipped on: no results screen for a level left on purpose
            if not self.options.headless:
                go_on = completed and not outcome.time_up and has_next
                if self._results(levels.loop, outcome, before, plan[index + 1].level.title if go_on else None) \
                        == "title":
                    return "title"
            if not completed or outcome.time_up:
                return "title"
        return "done"

    def _results(self, loop: Loop, outcome: LevelOutcome, before: Progress, next_label: str | None) -> str:
        previous = self.recorder.previous_result(self.player, outcome.level, outcome.session_id)
        after = self.progress(self.player, refresh=True)
        finished = outcome.status == "completed"
        name = self._names().get(self.player) or self.player
        earned = new_stickers(before, after)
        screen = ResultsScreen(ResultsView(
            player=name, level_title=outcome.title, score=outcome.score, max_score=outcome.max_score,
            stars=outcome.stars, trials=outcome.trials, successes=outcome.successes,
            difficulty=outcome.difficulty_reached, improvements=improvements(outcome, previous), next_label=next_label,
            status=outcome.status, headline=headline(outcome.successes, outcome.trials, outcome.status, name),
            new_bests=new_bests(before, outcome.level, outcome.stars, outcome.score, finished),
            stickers=tuple(s.name for s in earned), earned=earned, week=after.week_words(),
        ))
        loop.run(screen)
        return screen.choice or "title"

    # -- progress ----------------------------------------------------------------------------
    def level_infos(self) -> list[tuple[str, LevelInfo]]:
        """The shipped levels (spec, facts), read once."""
        if self._level_infos is None:
            self._level_infos = shipped_level_infos()
        return self._level_infos

    def progress(self, player: str, *, refresh: bool = False) -> Progress:
        """The player's progress from their stored sessions (read again after a level, or when asked)."""
        if refresh or player not in self._progress:
            infos = [info for _, info in self.level_infos()]
            day = self.day()
            sessions = progress_sessions(self.recorder.db, player)
            found = progress_from(sessions, infos, day)
            goal = self.today_goal(player, day, sessions)
            self._progress[player] = found if goal is None else replace(found, plan=goal)
        return self._progress[player]

    def today_goal(self, player: str, day: date, sessions: list[PlayedSession]) -> PlanGoal | None:
        """Today's goal from the player's prescribed plan (None without one), its week from the adherence."""
        row = current_plan(self.recorder.db, player)
        if row is None:
            return None
        try:
            plan = as_plan(row)
            kept = player_adherence(self.recorder.db, player, day)
        except (ProprioError, KeyError, TypeError, ValueError):
            return None  # a damaged plan row must not stop the title screen (``proprio plan show`` says more)
        week = kept.current() if kept is not None else None
        played = [(s.day, s.level, s.minutes) for s in sessions]
        titles = {info.name: info.title for _, info in self.level_infos()}
        playlist = row.get("playlist")
        if playlist:
            playlist = next((p.title for p in shipped_playlists() if p.name == playlist), playlist)
        return plan_goal(sessions_per_week=plan.sessions_per_week, minutes_per_session=plan.minutes_per_session,
                         start=plan.start, end=plan.end, today=day, sessions_this_week=week.sittings if week else 0,
                         played=played, levels=plan.levels, titles=titles, playlist=playlist)

    def _names(self) -> dict[str, str]:
        return display_names(self.recorder.db)

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
            if menu.level_spec.startswith(ASSESS_PREFIX):  # a fixed assessment (game/assess), not a game
                menu.message = self._assess(loop, menu.level_spec.removeprefix(ASSESS_PREFIX))
                continue
            try:
                plan = load_plan(menu.level_spec)
            except ProprioError as exc:
                menu.message = str(exc).splitlines()[0][:160]
                continue
            summary.player = self.player
            played_before = len(summary.outcomes)
            before = self._check_in_before(loop)  # pain before the first game of the sitting (None: not asked)
            try:
                ended = self._play_plan(levels, plan, summary)
            except BaseException:  # closed or Ctrl-C mid-game: the answer given before is kept
                with suppress(ProprioError):  # a store that refuses it must not hide why the game ended
                    self._store_checkin(before, summary.outcomes[played_before:], ask_after=None)
                raise
            played = summary.outcomes[played_before:]
            self._store_checkin(before, played, ask_after=loop if ended != "switch" else None)
            menu.progress = {**menu.progress, self.player: self.progress(self.player, refresh=True)}
            if ended == "switch":
                menu.focus = "player"
                menu.message = "Who plays next? Choose a player, then a game."

    def _title_menu(self) -> TitleMenu:
        _, players = remembered_players()
        if self.player not in players:
            players.append(self.player)
        choices: list[tuple[str, str]] = []
        entries: dict[str, TitleEntry] = {}
        for playlist in shipped_playlists():
            spec = "default" if playlist.name == "default" else playlist.spec
            choices.append((spec, playlist.label))
            entries[spec] = TitleEntry("playlist", playlist.levels,
                                       None if playlist.minutes is None else float(playlist.minutes[1]))
        for spec, info in self.level_infos():
            choices.append((spec, info.title))
            entries[spec] = TitleEntry("level", (info.name,))
        choices = self._plan_first(choices)
        if self.options.level:
            label = self.plan[0].level.title if len(self.plan) == 1 else self.options.level
            choices.insert(0, (self.options.level, label))
            entries[self.options.level] = TitleEntry("level" if len(self.plan) == 1 else "playlist",
                                                     tuple(loaded.name for loaded in self.plan))
        for path in shipped_protocols():  # the therapist's fixed assessments, after the games
            try:
                title = load_protocol(path).protocol.title
            except ProprioError:
                continue  # a broken protocol file is reported by `proprio levels check`, not here
            spec = ASSESS_PREFIX + path.stem
            choices.append((spec, f"Assessment: {title}"))
            entries[spec] = TitleEntry("assessment")
        choices.append((COLLECTION, COLLECTION_LABEL))
        entries[COLLECTION] = TitleEntry("collection")
        choices.append((CALIBRATE, CALIBRATE_LABEL))
        entries[CALIBRATE] = TitleEntry("calibrate")
        progress = {player: self.progress(player) for player in players}
        return TitleMenu(players, choices, player_index=players.index(self.player), names=self._names(),
                         progress=progress, entries=entries)

    def _has_plan(self) -> bool:
        return current_plan(self.recorder.db, self.player) is not None

    def _plan_first(self, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The starting player's prescribed levels (or playlist) first on the game list, marked "(your plan)"."""
        row = current_plan(self.recorder.db, self.player)
        if row is None:
            return choices
        names = [n for n in str(row.get("levels") or "").split(",") if n] or [str(row.get("playlist") or "")]
        by_name = {info.name: spec for spec, info in self.level_infos()}
        by_name.update({p.name: "default" if p.name == "default" else p.spec for p in shipped_playlists()})
        wanted = [by_name.get(name, name) for name in names if name]
        first = [(spec, f"{label} (your plan)") for name in wanted for spec, label in choices if spec == name]
        return first + [choice for choice in choices if choice[0] not in wanted]

    def _check_in_before(self, loop: Loop) -> PendingCheckin | None:
        """Once a sitting, before the first game, for a player with a prescribed programme: pain right now.

        Skippable (Esc); nothing is stored yet: the answer waits for the after questions so that both
        land on one check-in row (``_store_checkin``), and is stored alone if the game is left early.
        """
        if self.player in self._asked_before or not self._has_plan():
            return None
        self._asked_before.add(self.player)
        screen = CheckinScreen(("pain_before",))
        loop.run(screen)
        pain = screen.answers.get("pain_before")
        return None if pain is None else PendingCheckin(self.player, pain, utc_now())

    def _store_checkin(self, before: PendingCheckin | None, played: list[LevelOutcome],
                       ask_after: Loop | None) -> None:
        """Ask the after questions (once a sitting, if a game was played and ``ask_after``), then store one row.

        The row holds the pain before (if answered), pain after and effort (if answered), tied to the
        sitting's last session (the first, if there was only one); skipping everything stores nothing.
        The answers go to the clinic's check-ins (``telemetry/store/clinic.py``), read in the report.
        """
        after: dict[str, int | None] = {}
        if ask_after is not None and played and self.player not in self._checked_in and self._has_plan():
            self._checked_in.add(self.player)
            screen = CheckinScreen(("pain_after", "effort"))
            ask_after.run(screen)
            after = screen.answers
        pain_after, effort = after.get("pain_after"), after.get("effort")
        pain_before = before.pain if before is not None else None
        if pain_before is None and pain_after is None and effort is None:
            return
        player = before.player if before is not None else self.player
        session_id = played[-1].session_id if played else None
        add_checkin(self.recorder.db, player, session_id=session_id, at=before.at if before is not None else None,
                    pain_before=pain_before, pain_after=pain_after, effort=effort)

    def _assess(self, loop: Loop, name: str) -> str:
        """Run one fixed assessment for the chosen player, show its results; a line for the title screen."""
        from game.play.assess import result_lines, run_protocol  # it imports this module (device_timeout)

        try:
            loaded = load_protocol(name)
        except ProprioError as exc:
            return str(exc).splitlines()[0][:160]
        run = run_protocol(loop, self.recorder, self.source, loaded, self.player, view=self.options.view,
                           seed=self.seed)
        if run.result is not None:
            loop.run(MessageScreen(f"{run.result.title}: results", result_lines(run.result)))
            return f"{loaded.protocol.title} saved for {self.player}: proprio assess results --player {self.player}"
        return f"{loaded.protocol.title} stopped before any trial was measured"

    def _calibrate(self, loop: Loop) -> str:
        """Run the device calibration for the chosen player; a line for the title screen."""
        try:
            run_calibration(loop, self.recorder, self.player)
        except ProprioError as exc:
            return str(exc).splitlines()[0][:80]
        return f"Calibrated {self.source.name} for {self.player}"


@dataclass(frozen=True)
class PendingCheckin:
    """The pain a player gave before the first game, waiting to be stored with the after answers."""

    player: str
    pain: int
    at: str  # when it was asked (UTC, ISO 8601)


#: A title-screen row that runs a fixed assessment: "assess:" and the protocol's name.
ASSESS_PREFIX = "assess:"


def _kept(summary: RunSummary) -> str:
    """What the summary says about the data after a run that did not end by itself."""
    if not summary.outcomes:
        return "no level had started, so there was nothing to save"
    return f"everything played is kept in {summary.db_path}"
