"""A player's progress from their stored sessions, pure: best stars per level, stickers, days played this week.

What a child sees on the title screen and after a level, computed from nothing but the
sessions the database already holds (``telemetry.store.queries.progress_sessions`` reads
them), so there is no second record to drift from the telemetry. The rules are kind on
purpose: a sticker once earned is never taken away, and the weekly goal counts days played
this week without ever saying that a streak broke (a missed day simply is not counted).

A day counts when at least one trial was finished on it; a level's stars count from a
session played to its end (``completed``, or ``completed_with_gaps`` when the disk lost
seconds), because an aborted level's stars are partial.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

FINISHED = ("completed", "completed_with_gaps")
WEEK_GOAL_DAYS = 3  # days played in a week that meet the goal (therapy plans often ask for three)
TOTAL_DAY_STICKERS = (3, 7, 14, 30)  # days played in all (never in a row) that each give a sticker

StickerShape = Literal["flower", "star", "shell", "gem", "sun", "moon"]
THEME_SHAPES: dict[str, StickerShape] = {"garden": "flower", "space": "star", "ocean": "shell"}


@dataclass(frozen=True)
class LevelInfo:
    """A level the title screen offers: its short name, title and theme (for its sticker's picture)."""

    name: str
    title: str
    theme: str = "garden"


@dataclass(frozen=True)
class PlayedSession:
    """What progress needs of one stored session."""

    level: str
    day: date  # the local calendar day it started
    status: str
    trials: int
    successes: int
    stars: int
    score: int
    difficulty: float | None = None  # the hardest level reached
    session_id: int = 0
    minutes: float = 0.0  # minutes played (today's goal counts them)


@dataclass(frozen=True)
class Sticker:
    """One sticker of the collection: earned or still to find, with the words that say how to get it."""

    key: str
    name: str
    shape: StickerShape
    how: str  # how it is earned, in a child's words
    earned: bool = False


@dataclass(frozen=True)
class PlanGoal:
    """A prescribed plan as the title screen says it (``proprio plan set``): today's goal and this plan-week.

    Plain data handed in by the game: the plan's figures, the sessions done in the plan's current week
    (``telemetry.measures.adherence``: a sitting is one session, weeks run from the start date) and the
    minutes played today of the prescribed levels.
    """

    sessions_per_week: int
    minutes_per_session: float
    start: date
    end: date  # the day after the plan's last day
    today: date
    levels: tuple[str, ...] = ()  # titles of the prescribed levels, or the prescribed playlist's name
    sessions_this_week: int = 0
    minutes_today: float = 0.0

    @property
    def state(self) -> Literal["to come", "on", "ended"]:
        """Whether the plan has started, is on, or has ended as of ``today``."""
        if self.today < self.start:
            return "to come"
        return "ended" if self.today >= self.end else "on"

    @property
    def today_done(self) -> bool:
        """Today's minutes are played (the plan being on)."""
        return self.state == "on" and self.minutes_today + 1e-9 >= self.minutes_per_session

    def today_words(self) -> str:
        """'Today's goal: 15 minutes · Garden Balance, Still Pond' (with the minutes so far), or that it is done."""
        minutes = _minutes(self.minutes_per_session)
        if self.state == "to come":
            return f"Your plan starts on {_day(self.start)}: {self.sessions_per_week} a week, {minutes} each"
        if self.state == "ended":
            return f"Your plan ended on {_day(self.end - timedelta(days=1))}: ask your therapist what is next"
        if self.today_done:
            return f"Today's goal done: {minutes} played!"
        so_far = f" ({int(self.minutes_today)} so far)" if int(self.minutes_today) > 0 else ""
        where = f" · {', '.join(self.levels)}" if self.levels else ""
        return f"Today's goal: {minutes}{so_far}{where}"

    def week_words(self) -> str:
        """'2 of 3 sessions this week', 'Goal met: 3 sessions this week!' (the plan's week: from its start day)."""
        done, goal = self.sessions_this_week, self.sessions_per_week
        if done >= goal:
            return f"Goal met: {done} session{'s' if done != 1 else ''} this week!"
        return f"{done} of {goal} session{'s' if goal != 1 else ''} this week"


def _minutes(value: float) -> str:
    return f"{value:g} minute{'s' if value != 1 else ''}"


def _day(day: date) -> str:
    """'Mon 7 Dec' (English, whatever the machine's locale)."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def plan_goal(*, sessions_per_week: int, minutes_per_session: float, start: date, end: date, today: date,
              sessions_this_week: int, played: Iterable[tuple[date, str, float]], levels: Sequence[str] = (),
              titles: Mapping[str, str] | None = None, playlist: str | None = None) -> PlanGoal:
    """The title screen's plan goal: ``played`` is (local day, level name, minutes) of the player's sessions;
    today's minutes count the prescribed ``levels`` (any level when none are named, e.g. a playlist)."""
    minutes_today = sum(max(0.0, minutes) for day, level, minutes in played
                        if day == today and (not levels or level in levels))
    names = tuple((titles or {}).get(level, level) for level in levels) or ((playlist,) if playlist else ())
    return PlanGoal(sessions_per_week, minutes_per_session, start, end, today, names, sessions_this_week,
                    minutes_today)


@dataclass(frozen=True)
class Progress:
    """One player's progress: best stars and scores per level, the sticker book, this week's days."""

    best_stars: Mapping[str, int] = field(default_factory=dict)
    best_score: Mapping[str, int] = field(default_factory=dict)
    stickers: tuple[Sticker, ...] = ()
    days_this_week: int = 0
    played_today: bool = False
    days_played: int = 0
    week_goal: int = WEEK_GOAL_DAYS
    plan: PlanGoal | None = None  # the prescribed plan, when the player has one (its words replace the week's)

    @property
    def earned(self) -> tuple[Sticker, ...]:
        """The stickers earned so far."""
        return tuple(s for s in self.stickers if s.earned)

    @property
    def total_stars(self) -> int:
        """Best stars summed over the levels (each level counts its best once)."""
        return sum(self.best_stars.values())

    @property
    def week_dots(self) -> tuple[int, int]:
        """(done, shown) dots of the week: sessions of the plan's week when a plan is on, else days played."""
        if self.plan is not None and self.plan.state == "on":
            done, goal = self.plan.sessions_this_week, self.plan.sessions_per_week
        else:
            done, goal = self.days_this_week, self.week_goal
        return done, max(done, goal)

    @property
    def today_ticked(self) -> bool:
        """Today's tick: the plan's minutes played when a plan is on, else one game played today."""
        if self.plan is not None and self.plan.state == "on":
            return self.plan.today_done
        return self.played_today

    def week_words(self) -> str:
        """This week's days, never a broken streak: 'A new week: ...', '2 of 3 days this week', 'Goal met: 4 days this
        week!'; while a plan is on, its sessions ('2 of 3 sessions this week')."""
        if self.plan is not None and self.plan.state == "on":
            return self.plan.week_words()
        days = self.days_this_week
        if days == 0:
            return "A new week: one game gets its first tick"
        if days >= self.week_goal:
            return f"Goal met: {days} day{'s' if days != 1 else ''} this week!"
        return f"{days} of {self.week_goal} days this week"

    def today_words(self) -> str:
        """Today's goal: done, or what one game gives; with a plan, the plan's goal for today (or when it starts,
        or that it ended)."""
        if self.plan is not None:
            return self.plan.today_words()
        return "Today: played" if self.played_today else "Today: one game earns today's tick"


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def counts_as_played(session: PlayedSession) -> bool:
    """A day counts when a trial was finished on it (however the level ended)."""
    return session.trials > 0


def progress_from(sessions: Iterable[PlayedSession], levels: Sequence[LevelInfo], today: date) -> Progress:
    """The player's progress from their sessions (any order) and the levels on offer, as of ``today``."""
    best_stars: dict[str, int] = {}
    best_score: dict[str, int] = {}
    days: set[date] = set()
    for session in sessions:
        if counts_as_played(session):
            days.add(session.day)
        if session.status in FINISHED and session.trials > 0:
            best_stars[session.level] = max(best_stars.get(session.level, 0), max(0, min(3, session.stars)))
            best_score[session.level] = max(best_score.get(session.level, 0), max(0, session.score))
    monday = week_start(today)
    this_week = sum(1 for d in days if monday <= d <= today)
    weeks_met = _weeks_meeting_goal(days)
    return Progress(best_stars=best_stars, best_score=best_score,
                    stickers=_stickers(levels, best_stars, len(days), weeks_met),
                    days_this_week=this_week, played_today=today in days, days_played=len(days))


def _weeks_meeting_goal(days: set[date]) -> int:
    per_week: dict[date, int] = {}
    for day in days:
        per_week[week_start(day)] = per_week.get(week_start(day), 0) + 1
    return sum(1 for count in per_week.values() if count >= WEEK_GOAL_DAYS)


def _stickers(levels: Sequence[LevelInfo], best_stars: Mapping[str, int], days_played: int,
              weeks_met: int) -> tuple[Sticker, ...]:
    stickers: list[Sticker] = []
    for info in levels:
        stars = best_stars.get(info.name, 0)
        shape = THEME_SHAPES.get(info.theme, "flower")
        stickers.append(Sticker(f"{info.name}:star", info.title, shape,
                                f"Win a star in {info.title}", stars >= 1))
        stickers.append(Sticker(f"{info.name}:gold", f"Gold {info.title}", "gem",
                                f"Win all 3 stars in {info.title}", stars >= 3))
    for count in TOTAL_DAY_STICKERS:
        stickers.append(Sticker(f"days:{count}", f"{count} play days", "sun",
                                f"Play on {count} different days", days_played >= count))
    stickers.append(Sticker("week:goal", "Super week", "moon",
                            f"Play on {WEEK_GOAL_DAYS} days in one week", weeks_met >= 1))
    return tuple(stickers)


def new_stickers(before: Progress, after: Progress) -> tuple[Sticker, ...]:
    """Stickers earned between two progress readings (what the results screen celebrates)."""
    had = {s.key for s in before.earned}
    return tuple(s for s in after.earned if s.key not in had)


def new_bests(before: Progress, level: str, stars: int, score: int, finished: bool) -> tuple[str, ...]:
    """'new best!' lines for a level played to its end, against the player's own record before it."""
    if not finished:
        return ()
    if level not in before.best_stars:
        return (f"First {_stars(stars)} on this level!",) if stars > 0 else ()
    lines = []
    if stars > before.best_stars[level]:
        lines.append(f"New best! {_stars(stars)} (before: {before.best_stars[level]})")
    if score > before.best_score.get(level, 0):
        lines.append(f"New best score! {score} (before: {before.best_score.get(level, 0)})")
    return tuple(lines)


def _stars(count: int) -> str:
    return f"{count} star{'s' if count != 1 else ''}"


def headline(successes: int, trials: int, status: str, name: str) -> str:
    """The results screen's first words, chosen from the share of trials that succeeded (never praise for 0 of 8)."""
    if status == "device_lost":
        return "The device stopped sending, so the level ended"
    if trials == 0:
        return "Level ended early" if status != "completed" else f"Ready when you are, {name}"
    share = successes / trials
    if status != "completed":
        return f"Level ended early: {successes} of {trials} done"
    if share >= 0.8:
        return f"Fantastic, {name}!"
    if share >= 0.5:
        return f"Well done, {name}!"
    if share >= 0.25:
        return f"Good effort, {name}!"
    return f"Good try, {name}: it gets easier with practice"
