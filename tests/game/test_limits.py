"""Clinician limits: validation, merging with the 'all' row, and combining with a level (the stricter wins)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.limits import (
    ClinicianLimits,
    KindLimits,
    LimitsError,
    PlayerLimits,
    challenge_band,
    distance_interval,
)
from tests.game.helpers import HOLD, REACH, level, with_changes


def _reach(easy: float = 0.5, hard: float = 0.9, **difficulty) -> object:
    knobs = {**REACH["knobs"], "distance": {"easy": easy, "hard": hard}}
    limits = {**REACH["difficulty"], **difficulty}
    return level(with_changes(REACH, knobs=knobs, difficulty=limits)).challenges[0]


# -- validation: every bad value is named with its range ---------------------------------------
@pytest.mark.parametrize("fields, message", [
    ({"target_success": 1.0}, "target success rate 1.0 is outside the open interval (0, 1)"),
    ({"target_success": 0.0}, "target success rate 0.0 is outside the open interval (0, 1)"),
    ({"floor": -0.1}, "floor -0.1 is outside the normalized difficulty range [0, 1]"),
    ({"ceiling": 1.5}, "ceiling 1.5 is outside the normalized difficulty range [0, 1]"),
    ({"floor": 0.6, "ceiling": 0.4}, "floor 0.6 is above ceiling 0.4"),
    ({"max_distance_los": 0.0}, "maximum distance 0.0 LOS is outside (0, 1]"),
    ({"max_distance_los": 1.2}, "maximum distance 1.2 LOS is outside (0, 1]"),
    ({"max_session_s": -60.0}, "maximum session length -1 min (-60 s) is outside (0, 240] min"),
    ({"max_session_s": 5 * 3600.0}, "maximum session length 300 min (18000 s) is outside (0, 240] min"),
    ({"rest_every_s": 600.0}, "rest breaks need both how often (rest_every_s) and how long (rest_s)"),
    ({"rest_s": 60.0}, "rest breaks need both how often (rest_every_s) and how long (rest_s)"),
    ({"rest_every_s": 0.0, "rest_s": 60.0}, "rest interval 0 min (0 s) is outside (0, 240] min"),
    ({"rest_every_s": 600.0, "rest_s": 3600.0}, "rest length 3600.0 s is outside (0, 1800] s"),
    ({"target_success": math.nan}, "target success rate must be a finite number, got nan"),
    ({"ceiling": math.inf}, "ceiling must be a finite number, got inf"),
    ({"floor": "0.2"}, "floor must be a number, got '0.2' (str)"),
    ({"floor": True}, "floor must be a number, got True (bool)"),
])
def test_bad_values_are_refused_with_the_value_and_its_range(fields, message):
    with pytest.raises(LimitsError) as info:
        ClinicianLimits("all", **fields)
    assert info.value.message == message
    assert info.value.remedy


def test_session_limits_belong_to_the_all_row_and_kinds_must_exist():
    with pytest.raises(LimitsError, match="maximum session length .* cannot be set for kind 'hold'"):
        ClinicianLimits("hold", max_session_s=600.0)
    with pytest.raises(LimitsError) as info:
        ClinicianLimits("reech", target_success=0.7)
    assert info.value.message == "unknown challenge kind 'reech'" and "did you mean 'reach'?" in info.value.remedy


def test_equal_floor_and_ceiling_lock_and_values_become_floats():
    row = ClinicianLimits("hold", floor=0.4, ceiling=0.4, target_success=0.75)
    assert (row.floor, row.ceiling) == (0.4, 0.4) and isinstance(ClinicianLimits("all", floor=0).floor, float)
    assert ClinicianLimits("hold").empty and not row.empty


def test_merged_keeps_what_is_not_given_and_validates_the_result():
    row = ClinicianLimits("all", floor=0.3, target_success=0.7)
    assert row.merged(ceiling=0.8, floor=None) == ClinicianLimits("all", floor=0.3, ceiling=0.8, target_success=0.7)
    with pytest.raises(LimitsError, match="floor 0.3 is above ceiling 0.2"):
        row.merged(ceiling=0.2)


# -- merging the kind's row with the 'all' row ---------------------------------------------------
def test_the_kind_row_and_the_all_row_merge_stricter_first():
    limits = PlayerLimits("kid-1", (
        ClinicianLimits("all", target_success=0.7, floor=0.1, ceiling=0.9, max_distance_los=0.8),
        ClinicianLimits("reach", target_success=0.85, floor=0.05, ceiling=0.6, max_distance_los=0.9),
    ))
    reach = limits.for_kind("reach")
    assert (reach.target_success, reach.floor, reach.ceiling, reach.max_distance_los) == (0.85, 0.1, 0.6, 0.8)
    assert reach.sources == {"target_success": "clinician (reach)", "floor": "clinician (all kinds)",
                             "ceiling": "clinician (reach)", "max_distance_los": "clinician (all kinds)"}
    hold = limits.for_kind("hold")
    assert (hold.target_success, hold.floor, hold.ceiling) == (0.7, 0.1, 0.9)
    assert PlayerLimits("kid-1").for_kind("hold") == KindLimits("hold")


def test_a_floor_above_a_ceiling_across_rows_is_refused():
    base = PlayerLimits("kid-1", (ClinicianLimits("all", ceiling=0.5),))
    with pytest.raises(LimitsError) as info:
        base.with_row(ClinicianLimits("hold", floor=0.7))
    assert info.value.message == ("floor 0.7 from clinician (hold) is above ceiling 0.5 from clinician (all kinds)"
                                  " for kind 'hold'")


# -- a challenge's band --------------------------------------------------------------------------
def test_the_level_band_applies_when_there_are_no_clinician_limits():
    band = challenge_band(_reach(floor=0.1, ceiling=0.9, start=0.2, target_success=0.7))
    assert (band.target, band.floor, band.ceiling, band.notes) == (0.7, 0.1, 0.9, ())


def test_the_stricter_of_level_and_clinician_wins_and_the_clinician_target_replaces_the_level_target():
    challenge = _reach(floor=0.1, ceiling=0.9, start=0.2)
    band = challenge_band(challenge, KindLimits("reach", 0.75, 0.3, 0.95, sources={
        "target_success": "clinician (reach)", "floor": "clinician (reach)", "ceiling": "clinician (reach)"}))
    assert (band.target, band.floor, band.ceiling) == (0.75, 0.3, 0.9)  # clinician floor, level ceiling
    assert band.notes == ("target 75 % from the clinician (reach)", "floor 0.3 from the clinician (reach)")


def test_when_floor_and_ceiling_cross_the_ceiling_wins():
    challenge = _reach(floor=0.6, ceiling=1.0, start=0.6)
    band = challenge_band(challenge, KindLimits("reach", ceiling=0.4, sources={"ceiling": "clinician (all kinds)"}))
    assert (band.floor, band.ceiling) == (0.4, 0.4)
    assert "the ceiling wins, locked at 0.4" in band.notes[-1]


def test_max_distance_lowers_the_ceiling_to_the_exact_crossing():
    challenge = _reach(0.45, 0.85)
    band = challenge_band(challenge, KindLimits("reach", max_distance_los=0.6, sources={
        "max_distance_los": "clinician (reach)"}))
    assert band.ceiling == pytest.approx(0.375) and challenge.knobs.distance.at(band.ceiling) <= 0.6
    assert band.notes == ("ceiling 0.375 keeps targets within the clinician (reach) maximum distance 0.6 LOS",)


def test_max_distance_on_a_knob_that_gets_nearer_when_harder_is_a_floor():
    challenge = _reach(0.9, 0.3)
    lo, hi = distance_interval(challenge, 0.6)
    assert hi == 1.0 and lo == pytest.approx(0.5) and challenge.knobs.distance.at(lo) <= 0.6


def test_max_distance_beyond_every_target_changes_nothing_and_a_level_band_beyond_it_locks_safely():
    assert distance_interval(_reach(0.5, 0.9), 0.95) == (0.0, 1.0)
    challenge = _reach(0.45, 0.85, floor=0.5, start=0.5)
    band = challenge_band(challenge, KindLimits("reach", max_distance_los=0.6, sources={
        "max_distance_los": "clinician (all kinds)"}))
    assert band.floor == band.ceiling == pytest.approx(0.375)  # safety wins over the level's floor
    assert "locked at 0.375" in band.notes[-1]


def test_a_challenge_that_cannot_be_played_within_the_distance_is_refused_with_a_clear_message():
    with pytest.raises(LimitsError) as info:
        distance_interval(_reach(0.5, 0.9), 0.3, index=0)
    assert info.value.message == ("challenge 1 'Reach' (reach) places targets at least 0.5 LOS from the centre"
                                  " (distance 0.5 easy to 0.9 hard), beyond the clinician's maximum distance 0.3 LOS")
    hold = level(with_changes(HOLD, centre=[0.6, 0.0])).challenges[0]
    lean = r"asks the player to lean at least 0.6 LOS from the centre \(0.6 to its zone or path, plus 0 against"
    with pytest.raises(LimitsError, match=lean):
        distance_interval(hold, 0.5)
    assert distance_interval(hold, 0.8) == (0.0, 1.0)  # the zone 0.6 away, plus a push of 0 to 0.2
    assert distance_interval(hold, 0.7)[1] == pytest.approx(0.5)  # room for a push of 0.1: half the range


def test_kinds_without_a_rule_fail_safe_and_free_kinds_say_why_the_limit_does_not_apply():
    class Odd:
        kind, title = "juggle", "Juggle"

    with pytest.raises(LimitsError, match="cannot be checked for kind 'juggle'"):
        distance_interval(Odd(), 0.5)

    class Maze:
        kind, title = "maze", "Maze"

    assert distance_interval(Maze(), 0.5) is None


@settings(max_examples=300, deadline=None)
@given(easy=st.floats(0.05, 1.0), hard=st.floats(0.05, 1.0), limit=st.floats(0.01, 1.0))
def test_no_difficulty_inside_the_distance_interval_places_a_target_beyond_the_limit(easy, hard, limit):
    if easy == hard:
        return
    challenge = _reach(easy, hard)
    try:
        lo, hi = distance_interval(challenge, limit)
    except LimitsError:  # only when even the nearest setting the core can compute is beyond the limit
        assert min(challenge.knobs.distance.at(0.0), challenge.knobs.distance.at(1.0)) > limit
        return
    knob = challenge.knobs.distance
    assert 0.0 <= lo <= hi <= 1.0
    for d in (lo, hi, (lo + hi) / 2):
        assert knob.at(d) <= limit
    if hi < 1.0:  # the interval is as wide as it can be (up to rounding)
        assert knob.at(min(1.0, hi + 1e-9)) > limit - 1e-12
