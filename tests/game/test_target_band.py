"""A clinician's target band instead of one rate: validated, merged (the stricter wins), applied to the scaler."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.limits import ClinicianLimits, LimitsError, PlayerLimits, challenge_band
from tests.game.helpers import HOLD, level, with_changes


def _band_for(target_success: float, *rows: ClinicianLimits):
    challenge = level(with_changes(HOLD, difficulty={**HOLD["difficulty"], "target_success": target_success}))
    return challenge_band(challenge.challenges[0], PlayerLimits("p", rows).for_kind("hold"), 0)


@pytest.mark.parametrize("values, message", [
    ({"target_low": 0.7}, "a target band needs both its low and its high end"),
    ({"target_low": 0.85, "target_high": 0.7}, "target band 0.85..0.7 is not 0 < low < high < 1"),
    ({"target_low": 0.0, "target_high": 0.7}, "target band 0.0..0.7 is not 0 < low < high < 1"),
    ({"target_low": 0.7, "target_high": 0.7}, "target band 0.7..0.7 is not 0 < low < high < 1"),
    ({"target_low": 0.7, "target_high": 0.85, "target_success": 0.8},
     "target success rate 0.8 and target band 0.7..0.85 are both set for kind 'all'"),
])
def test_bad_bands_are_refused_with_the_value(values, message):
    with pytest.raises(LimitsError) as caught:
        ClinicianLimits("all", **values)
    assert caught.value.message == message


def test_a_level_target_inside_the_band_is_kept_and_one_outside_moves_to_the_nearer_end():
    band = ClinicianLimits("all", target_low=0.7, target_high=0.85)
    inside = _band_for(0.8, band)
    assert (inside.target, inside.target_low, inside.target_high) == (0.8, 0.7, 0.85)
    assert inside.notes == ("target 80 % lies inside the target band 70-85 % from the clinician (all kinds)",)
    assert _band_for(0.9, band).target == 0.85 and _band_for(0.6, band).target == 0.7
    assert _band_for(0.9, band).notes == ("target 85 %: the nearer end of the target band 70-85 % from the"
                                          " clinician (all kinds)",)


def test_the_kind_and_all_bands_intersect_and_disjoint_bands_are_refused():
    rows = (ClinicianLimits("all", target_low=0.7, target_high=0.85),
            ClinicianLimits("hold", target_low=0.75, target_high=0.9))
    merged = PlayerLimits("p", rows).for_kind("hold")
    assert (merged.target_low, merged.target_high) == (0.75, 0.85)
    assert merged.sources["target_low"] == "clinician (hold)"
    assert merged.sources["target_high"] == "clinician (all kinds)"
    with pytest.raises(LimitsError, match="target band 0.86..0.85 for kind 'hold' is empty"):
        PlayerLimits("p", rows[:1]).with_row(ClinicianLimits("hold", target_low=0.86, target_high=0.95))
    with pytest.raises(LimitsError, match=r"target 0.9 from clinician \(hold\) lies outside the target band 0.7"):
        PlayerLimits("p", rows[:1]).with_row(ClinicianLimits("hold", target_success=0.9))


def test_a_new_band_replaces_a_stored_rate_and_a_new_rate_a_stored_band():
    row = ClinicianLimits("hold", target_success=0.8, ceiling=0.6)
    banded = row.merged(target_low=0.7, target_high=0.85)
    assert (banded.target_success, banded.target_low, banded.target_high, banded.ceiling) == (None, 0.7, 0.85, 0.6)
    back = banded.merged(target_success=0.75)
    assert (back.target_success, back.target_low, back.target_high) == (0.75, None, None)


@given(st.floats(0.01, 0.99), st.floats(0.01, 0.98), st.floats(0.001, 0.5))
def test_the_scalers_target_always_lies_in_the_band(level_target, low, width):
    high = min(0.99, low + width)
    band = _band_for(level_target, ClinicianLimits("hold", target_low=low, target_high=high))
    assert low <= band.target <= high
    assert band.target == level_target or band.target in (low, high)
