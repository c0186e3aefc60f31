"""Today's goal from a prescribed plan: its minutes and levels, this plan-week's sessions, the tick, before, after."""

from __future__ import annotations

from datetime import date, timedelta

from game.progress import LevelInfo, PlayedSession, Progress, plan_goal, progress_from

START = date(2026, 11, 23)  # a Monday
TITLES = {"garden-balance": "Garden Balance", "still-pond": "Still Pond"}
LEVELS = [LevelInfo("garden-balance", "Garden Balance"), LevelInfo("still-pond", "Still Pond")]


def _goal(today: date, played: list[tuple[date, str, float]] = (), sessions: int = 0, levels=("garden-balance",
          "still-pond"), playlist: str | None = None):
    return plan_goal(sessions_per_week=3, minutes_per_session=15, start=START, end=START + timedelta(weeks=4),
                     today=today, sessions_this_week=sessions, played=list(played), levels=levels, titles=TITLES,
                     playlist=playlist)


def test_today_says_the_minutes_and_the_prescribed_levels_by_their_titles():
    goal = _goal(START + timedelta(days=2), sessions=2)
    assert goal.state == "on"
    assert goal.today_words() == "Today's goal: 15 minutes · Garden Balance, Still Pond"
    assert goal.week_words() == "2 of 3 sessions this week"
    playlist = _goal(START, playlist="Kids' adventure", levels=())
    assert playlist.today_words() == "Today's goal: 15 minutes · Kids' adventure"


def test_only_today_and_the_prescribed_levels_count_towards_the_tick():
    today = START + timedelta(days=9)
    played = [(today, "garden-balance", 6.0), (today, "space-reach", 30.0), (today - timedelta(days=1), "still-pond",
                                                                            20.0)]
    goal = _goal(today, played, sessions=1)
    assert goal.minutes_today == 6.0 and not goal.today_done
    assert goal.today_words() == "Today's goal: 15 minutes (6 so far) · Garden Balance, Still Pond"
    done = _goal(today, [*played, (today, "still-pond", 9.0)], sessions=1)
    assert done.today_done and done.today_words() == "Today's goal done: 15 minutes played!"
    assert _goal(today, played, levels=()).today_done  # a plan naming no level counts any level


def test_the_week_goal_is_met_in_words():
    assert _goal(START, sessions=3).week_words() == "Goal met: 3 sessions this week!"
    assert _goal(START, sessions=4).week_words() == "Goal met: 4 sessions this week!"


def test_before_the_start_and_after_the_end_it_says_so_plainly():
    early = _goal(START - timedelta(days=3))
    assert early.state == "to come"
    assert early.today_words() == "Your plan starts on Mon 23 Nov: 3 a week, 15 minutes each"
    late = _goal(START + timedelta(weeks=4), [(START + timedelta(weeks=4), "still-pond", 30.0)])
    assert late.state == "ended" and not late.today_done
    assert late.today_words() == "Your plan ended on Sun 20 Dec: ask your therapist what is next"
    for goal in (early, late):  # the week goes back to the days played, said the usual way
        shown = Progress(days_this_week=1, plan=goal)
        assert shown.week_words() == "1 of 3 days this week" and shown.today_words() == goal.today_words()


def test_progress_shows_the_plan_instead_of_the_days_and_keeps_them_without_one():
    today = START + timedelta(days=1)
    sessions = [PlayedSession("garden-balance", today, "completed", 6, 3, 1, 100)]
    plain = progress_from(sessions, LEVELS, today)
    assert plain.today_words() == "Today: played" and plain.today_ticked and plain.week_dots == (1, 3)
    with_plan = Progress(days_this_week=1, played_today=True, plan=_goal(today, [(today, "garden-balance", 5.0)],
                                                                         sessions=1))
    assert with_plan.week_words() == "1 of 3 sessions this week"
    assert with_plan.today_words().startswith("Today's goal: 15 minutes (5 so far)")
    assert not with_plan.today_ticked  # one game is not today's 15 minutes
    assert with_plan.week_dots == (1, 3)
    ended = Progress(days_this_week=2, plan=_goal(START + timedelta(weeks=5)))
    assert ended.week_dots == (2, 3)  # after the plan, the dots are the days played again
