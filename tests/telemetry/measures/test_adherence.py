"""Adherence to a prescribed plan, computed purely: sittings and minutes per plan week against the prescribed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from telemetry.measures.adherence import Plan, Played, adherence, sittings, table_lines

PLAN = Plan(sessions_per_week=3, minutes_per_session=10.0, start=date(2026, 5, 4), weeks=3,
            levels=("garden-balance", "space-reach"))


def _at(day: int, hour: int = 16, minute: int = 0) -> datetime:
    return datetime(2026, 5, day, hour, minute)


def test_levels_played_one_after_another_are_one_sitting():
    played = [Played(_at(4), "garden-balance", 5.0), Played(_at(4, 16, 6), "space-reach", 5.0),
              Played(_at(4, 18), "garden-balance", 4.0)]  # two hours later: a second sitting
    assert sittings(played) == [(_at(4), 10.0), (_at(4, 18), 4.0)]


def test_weeks_count_sittings_and_minutes_capped_at_the_prescribed():
    played = [Played(_at(d), "garden-balance", 10.0) for d in (4, 5, 6, 7, 8)]  # five in week 1
    played += [Played(_at(12), "garden-balance", 6.0)]  # one short one in week 2
    played += [Played(_at(13), "other-level", 30.0)]  # not prescribed: does not count
    kept = adherence(PLAN, played, today=date(2026, 5, 19))
    week1, week2, week3 = kept.weeks
    assert (week1.sittings, week1.minutes, week1.state) == (5, 50.0, "over")
    assert (week1.sittings_pct, week1.minutes_pct) == (100.0, 100.0)  # extra sittings do not spill over
    assert (week2.sittings, week2.minutes, week2.state) == (1, 6.0, "over")
    assert week3.state == "in progress"
    assert kept.sittings_pct() == 100 * (3 + 1) / 6 and kept.minutes_pct() == 100 * (30 + 6) / 60
    sentence = kept.sentence()
    assert "In the 2 weeks so far: 4 of 6 sessions done (67 %), 36 of 60 minutes (60 %)." in sentence
    assert "This week (week 3 of 3) so far: 0 of 3 sessions" in sentence


def test_before_the_start_and_after_the_end():
    assert adherence(PLAN, [], today=date(2026, 5, 1)).sentence().endswith("The plan has not started yet.")
    ended = adherence(PLAN, [], today=PLAN.start + timedelta(days=40))
    assert ended.sittings_pct() == 0.0 and ended.sentence().endswith("The plan has ended.")
    assert ended.current() is None and len(ended.over()) == 3


def test_a_plan_without_levels_counts_every_level():
    plan = Plan(2, 15.0, date(2026, 5, 4), 1)
    kept = adherence(plan, [Played(_at(5), "anything", 15.0)], today=date(2026, 5, 11))
    assert kept.weeks[0].sittings == 1 and kept.sittings_pct() == 50.0


def test_an_ended_week_below_80_percent_is_flagged_in_words():
    played = [Played(_at(d), "garden-balance", 10.0) for d in (4, 5, 6)]  # week 1: 3 of 3, 30 of 30 min
    played += [Played(_at(d), "garden-balance", 10.0) for d in (11, 12)]  # week 2: 2 of 3 (67 %)
    played += [Played(_at(d), "garden-balance", 7.5) for d in (18, 19, 20)]  # week 3: 3 of 3, 22.5 of 30 (75 %)
    kept = adherence(PLAN, played, today=date(2026, 5, 25))
    assert [(w.below_target, w.flag) for w in kept.weeks] == [(False, ""), (True, "below 80 %"),
                                                              (True, "below 80 %")]
    assert "Below 80 % of the prescribed sessions or minutes in weeks 2, 3." in kept.sentence()
    header, *rows = table_lines(kept)
    assert header.split() == ["week", "from", "sessions", "minutes", "state", "flag"]
    assert rows[0].rstrip().endswith("over") and rows[1].endswith("below 80 %") and rows[2].endswith("below 80 %")
    in_progress = adherence(PLAN, played[:3], today=date(2026, 5, 12))  # week 2 not over yet: not flagged
    assert not any(w.below_target for w in in_progress.weeks) and "Below" not in in_progress.sentence()
