"""Adherence to a prescribed home programme: sessions and minutes done against the plan, week by week.

Pure: it is handed the plan and the played sessions as plain data, and "today" (no clock is read),
so the same figures come out of the report, ``proprio plan show`` and a researcher's script.

* A **sitting** is what a therapist calls a session: the level sessions a player plays one after
  another (a playlist records one row per level). Sessions whose start is at most
  ``SITTING_GAP_MIN`` minutes after the end of the previous one belong to the same sitting.
* Only sessions of the prescribed levels count (any level when the plan names none, e.g. a
  playlist), and only time actually played (aborted sessions count for the minutes they ran).
* Week ``n`` of the plan runs from ``start + 7(n-1)`` days for 7 days. Per week the sittings done
  are compared with ``sessions_per_week`` and the minutes with ``sessions_per_week x
  minutes_per_session``; each is capped at 100 % per week, so extra sittings in one week do not
  make up for a missed week (the usual way home-programme adherence is counted).
* The overall figures cover the weeks already over; the current week is shown as in progress.
* A week that is over with sessions or minutes below ``LOW_ADHERENCE_PCT`` (80 %) of the
  prescribed is flagged in words ("below 80 %"), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

#: Sessions starting at most this many minutes after the previous one ended are one sitting.
SITTING_GAP_MIN = 30.0
#: A week that is over with sessions or minutes below this % of the prescribed is flagged.
LOW_ADHERENCE_PCT = 80.0


@dataclass(frozen=True)
class Plan:
    """What was prescribed: sittings a week, minutes each, from ``start`` for ``weeks`` weeks."""

    sessions_per_week: int
    minutes_per_session: float
    start: date
    weeks: int
    levels: tuple[str, ...] = ()

    @property
    def end(self) -> date:
        """The day after the plan's last day."""
        return self.start + timedelta(days=7 * self.weeks)


@dataclass(frozen=True)
class Played:
    """One stored session: when it started (local time), its level and the minutes it ran."""

    started: datetime
    level: str
    minutes: float


@dataclass(frozen=True)
class Week:
    """One week of the plan: sittings and minutes done against the prescribed."""

    number: int
    start: date
    sittings: int
    minutes: float
    prescribed_sittings: int
    prescribed_minutes: float
    state: str  # "over", "in progress" or "to come"

    @property
    def sittings_pct(self) -> float:
        """Sittings done as % of the prescribed, at most 100."""
        return 100.0 * min(self.sittings, self.prescribed_sittings) / self.prescribed_sittings

    @property
    def minutes_pct(self) -> float:
        """Minutes done as % of the prescribed, at most 100."""
        return 100.0 * min(self.minutes, self.prescribed_minutes) / self.prescribed_minutes

    @property
    def below_target(self) -> bool:
        """An ended week whose sessions or minutes are below ``LOW_ADHERENCE_PCT`` % of the prescribed."""
        return self.state == "over" and min(self.sittings_pct, self.minutes_pct) < LOW_ADHERENCE_PCT

    @property
    def flag(self) -> str:
        """The words a table shows for a flagged week ("below 80 %"), or "" for a week that is not flagged."""
        return f"below {LOW_ADHERENCE_PCT:.0f} %" if self.below_target else ""


@dataclass(frozen=True)
class Adherence:
    """The plan's weeks and the totals over the weeks already over."""

    plan: Plan
    weeks: list[Week]
    today: date

    def over(self) -> list[Week]:
        """The weeks that have ended."""
        return [w for w in self.weeks if w.state == "over"]

    def current(self) -> Week | None:
        """The week in progress (None before the start and after the end)."""
        return next((w for w in self.weeks if w.state == "in progress"), None)

    def sittings_pct(self) -> float | None:
        """Sittings done (capped per week) as % of the prescribed over the weeks that have ended."""
        over = self.over()
        if not over:
            return None
        done = sum(min(w.sittings, w.prescribed_sittings) for w in over)
        return 100.0 * done / sum(w.prescribed_sittings for w in over)

    def minutes_pct(self) -> float | None:
        """Minutes done (capped per week) as % of the prescribed over the weeks that have ended."""
        over = self.over()
        if not over:
            return None
        done = sum(min(w.minutes, w.prescribed_minutes) for w in over)
        return 100.0 * done / sum(w.prescribed_minutes for w in over)

    def sentence(self) -> str:
        """One plain sentence for the report and ``proprio plan show``."""
        plan = self.plan
        prescribed = (f"{plan.sessions_per_week} session{'s' if plan.sessions_per_week != 1 else ''} a week of "
                      f"{plan.minutes_per_session:g} min for {plan.weeks} week{'s' if plan.weeks != 1 else ''} "
                      f"from {plan.start.isoformat()}")
        if self.today < plan.start:
            return f"Prescribed: {prescribed}. The plan has not started yet."
        over = self.over()
        parts = [f"Prescribed: {prescribed}."]
        if over:
            done = sum(min(w.sittings, w.prescribed_sittings) for w in over)
            wanted = sum(w.prescribed_sittings for w in over)
            minutes = sum(min(w.minutes, w.prescribed_minutes) for w in over)
            wanted_min = sum(w.prescribed_minutes for w in over)
            parts.append(f"In the {len(over)} week{'s' if len(over) != 1 else ''} so far: {done} of {wanted} "
                         f"sessions done ({self.sittings_pct():.0f} %), {minutes:.0f} of {wanted_min:.0f} minutes "
                         f"({self.minutes_pct():.0f} %).")
        low = [str(w.number) for w in over if w.below_target]
        if low:
            parts.append(f"Below {LOW_ADHERENCE_PCT:.0f} % of the prescribed sessions or minutes in week"
                         f"{'s' if len(low) != 1 else ''} {', '.join(low)}.")
        current = self.current()
        if current is not None:
            parts.append(f"This week (week {current.number} of {plan.weeks}) so far: {current.sittings} of "
                         f"{current.prescribed_sittings} sessions, {current.minutes:.0f} of "
                         f"{current.prescribed_minutes:.0f} minutes.")
        elif self.today >= plan.end:
            parts.append("The plan has ended.")
        return " ".join(parts)


def table_lines(kept: Adherence) -> list[str]:
    """The plan's weeks as aligned text lines (header first), a flagged week saying "below 80 %"."""
    table = [("week", "from", "sessions", "minutes", "state", "flag")]
    for w in kept.weeks:
        table.append((str(w.number), w.start.isoformat(), f"{w.sittings} of {w.prescribed_sittings}",
                      f"{w.minutes:.0f} of {w.prescribed_minutes:.0f}", w.state, w.flag))
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    return ["  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in table]


def sittings(played: Sequence[Played], gap_min: float = SITTING_GAP_MIN) -> list[tuple[datetime, float]]:
    """The sittings (start, minutes played) of the given sessions, oldest first."""
    result: list[tuple[datetime, float]] = []
    end: datetime | None = None
    for session in sorted(played, key=lambda p: p.started):
        minutes = max(0.0, session.minutes)
        if result and end is not None and session.started - end <= timedelta(minutes=gap_min):
            start, total = result[-1]
            result[-1] = (start, total + minutes)
        else:
            result.append((session.started, minutes))
        finish = session.started + timedelta(minutes=minutes)
        end = finish if end is None or finish > end else end
    return result


def adherence(plan: Plan, played: Sequence[Played], today: date) -> Adherence:
    """Week by week, the sittings and minutes done against the plan, as of ``today``."""
    chosen = [p for p in played if not plan.levels or p.level in plan.levels]
    done = sittings(chosen)
    weeks = []
    for index in range(plan.weeks):
        start = plan.start + timedelta(days=7 * index)
        end = start + timedelta(days=7)
        inside = [(when, minutes) for when, minutes in done if start <= when.date() < end]
        state = "over" if today >= end else "in progress" if today >= start else "to come"
        weeks.append(Week(index + 1, start, len(inside), sum(m for _, m in inside), plan.sessions_per_week,
                          plan.sessions_per_week * plan.minutes_per_session, state))
    return Adherence(plan, weeks, today)
