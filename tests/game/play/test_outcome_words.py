"""The results' comparison with the last try says what really happened (both counts, the setting)."""

from __future__ import annotations

from game.play.outcome import LevelOutcome, improvements


def _outcome(successes: int, trials: int, difficulty: float, score: int = 300) -> LevelOutcome:
    return LevelOutcome(2, "garden-balance", "Garden Balance", "completed", 60.0, trials, successes, score, 900, 1,
                        difficulty)


LAST = {"trials": 8, "successes": 8, "success_rate": 1.0, "score": 800, "difficulty_reached": 0.6}


def test_a_lower_share_at_a_harder_setting_is_not_a_step_back():
    lines = improvements(_outcome(3, 8, 0.7), LAST)
    assert lines == ("+ Harder challenge reached: 0.60 -> 0.70",)


def test_no_bare_last_time_percentage_both_counts_are_given():
    same = improvements(_outcome(3, 8, 0.6), LAST)
    assert same == ("Today 3 of 8, last time 8 of 8. Practice makes progress!",)
    easier = improvements(_outcome(3, 8, 0.45), LAST)
    assert easier == ("Today 3 of 8, last time 8 of 8, at an easier setting than last time.",)
    assert not any("100" in line for line in same + easier)


def test_first_try_and_no_trials():
    assert improvements(_outcome(0, 0, 0.2), None) == ("No trials finished this time.",)
    assert improvements(_outcome(2, 4, 0.2), None) == ("First time on this level: a great start!",)
    assert improvements(_outcome(6, 8, 0.6, 900), LAST) == ("+ Score 800 -> 900",)
