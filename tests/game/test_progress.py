"""Progress from stored sessions: best stars, stickers that stay, a week that never scolds, honest words."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from game.progress import (
    WEEK_GOAL_DAYS,
    LevelInfo,
    PlayedSession,
    Progress,
    headline,
    new_bests,
    new_stickers,
    progress_from,
)

LEVELS = [LevelInfo("garden-balance", "Garden Balance", "garden"), LevelInfo("space-reach", "Space Reach", "space")]
MONDAY = date(2026, 11, 23)


def _session(level: str, day: date, stars: int, score: int = 100, status: str = "completed", trials: int = 6,
             successes: int = 3) -> PlayedSession:
    return PlayedSession(level, day, status, trials, successes, stars, score)


def test_best_stars_count_only_levels_played_to_the_end():
    sessions = [_session("garden-balance", MONDAY, 1), _session("garden-balance", MONDAY, 3, status="aborted"),
                _session("garden-balance", MONDAY, 2, status="completed_with_gaps"), _session("space-reach", MONDAY, 0)]
    progress = progress_from(sessions, LEVELS, MONDAY)
    assert progress.best_stars == {"garden-balance": 2, "space-reach": 0}
    assert progress.total_stars == 2


def test_stickers_are_earned_per_level_star_and_gold_and_for_days_played():
    days = [MONDAY + timedelta(days=i) for i in range(3)]
    sessions = [_session("garden-balance", days[0], 3), _session("space-reach", days[1], 1),
                _session("space-reach", days[2], 0)]
    progress = progress_from(sessions, LEVELS, days[2])
    earned = {s.key for s in progress.earned}
    assert earned == {"garden-balance:star", "garden-balance:gold", "space-reach:star", "days:3", "week:goal"}
    assert all(s.how for s in progress.stickers)  # each one says how to earn it
    shapes = {s.key: s.shape for s in progress.stickers}
    assert shapes["garden-balance:star"] == "flower" and shapes["space-reach:star"] == "star"


def test_the_week_counts_days_played_and_never_says_a_streak_broke():
    sessions = [_session("space-reach", MONDAY, 1), _session("space-reach", MONDAY + timedelta(days=3), 1)]
    sunday = MONDAY + timedelta(days=6)
    progress = progress_from(sessions, LEVELS, sunday)
    assert progress.days_this_week == 2 and not progress.played_today
    assert progress.week_words() == f"2 of {WEEK_GOAL_DAYS} days this week"
    assert progress.today_words() == "Today: one game earns today's tick"
    next_week = progress_from(sessions, LEVELS, sunday + timedelta(days=1))
    assert next_week.days_this_week == 0 and next_week.week_words() == "A new week: one game gets its first tick"
    for words in (next_week.week_words(), next_week.today_words()):
        assert "broke" not in words.lower() and "lost" not in words.lower() and "missed" not in words.lower()
    # a level with no finished trial does not count as a day played
    empty = progress_from([_session("space-reach", sunday, 0, trials=0, successes=0)], LEVELS, sunday)
    assert empty.days_played == 0


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 3), st.sampled_from(["completed", "aborted"])),
                max_size=30))
def test_a_sticker_once_earned_is_never_taken_away(plays):
    sessions: list[PlayedSession] = []
    before = progress_from(sessions, LEVELS, MONDAY)
    for offset, stars, status in plays:
        day = MONDAY + timedelta(days=offset)
        sessions.append(_session("garden-balance", day, stars, status=status))
        after = progress_from(sessions, LEVELS, max(day, MONDAY + timedelta(days=60)))
        assert {s.key for s in before.earned} <= {s.key for s in after.earned}
        had = {b.key for b in before.earned}
        assert set(new_stickers(before, after)) == {s for s in after.earned if s.key not in had}
        before = after


def test_new_best_is_said_against_the_players_own_record():
    before = Progress(best_stars={"garden-balance": 2}, best_score={"garden-balance": 600})
    assert new_bests(before, "garden-balance", 3, 700, True) == (
        "New best! 3 stars (before: 2)", "New best score! 700 (before: 600)")
    assert new_bests(before, "garden-balance", 2, 500, True) == ()
    assert new_bests(before, "garden-balance", 3, 700, False) == ()  # an aborted level sets no record
    assert new_bests(before, "space-reach", 1, 100, True) == ("First 1 star on this level!",)
    assert new_bests(before, "space-reach", 0, 0, True) == ()


def test_the_headline_follows_the_share_of_successes():
    assert headline(0, 8, "completed", "Sam") == "Good try, Sam: it gets easier with practice"
    assert "Well done" not in headline(1, 8, "completed", "Sam")
    assert headline(4, 8, "completed", "Sam") == "Well done, Sam!"
    assert headline(8, 8, "completed", "Sam") == "Fantastic, Sam!"
    assert headline(3, 8, "aborted", "Sam") == "Level ended early: 3 of 8 done"
    assert headline(0, 0, "aborted", "Sam") == "Level ended early"
    assert "device" in headline(2, 5, "device_lost", "Sam")
