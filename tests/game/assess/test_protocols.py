"""Protocol files: the shipped ones load, bad ones are refused with every problem at its line and column."""

from __future__ import annotations

import pytest

from game.assess import load_protocol, plan_trials, shipped_protocols
from game.assess.loader import ProtocolError
from game.errors import ProprioError

GOOD = """\
schema_version = 1
title = "Short stance"
kind = "quiet_stance"
trials = 2
trial_s = 3.0
get_ready_s = 1.0
rest_s = 1.0

[[conditions]]
name = "open_firm"
title = "Eyes open"
instruction = "Stand still."
"""


def test_every_shipped_protocol_loads_and_the_four_tests_are_there():
    names = {p.stem for p in shipped_protocols()}
    assert {"mctsib", "single-leg", "los-fixed", "weight-distribution"} <= names
    kinds = {load_protocol(name).protocol.kind for name in names}
    assert kinds == {"quiet_stance", "single_leg", "limits_of_stability", "weight_distribution"}
    mctsib = load_protocol("mctsib").protocol
    assert [(c.vision, c.surface) for c in mctsib.conditions] == [("open", "firm"), ("closed", "firm"),
                                                                  ("open", "foam"), ("closed", "foam")]
    assert mctsib.compare_reference and all(len(c.instruction) > 20 for c in mctsib.conditions)
    legs = load_protocol("single-leg").protocol
    assert [c.side for c in legs.conditions] == ["left", "right"]


def test_the_plan_is_fixed_and_limits_of_stability_visits_every_direction_at_one_distance():
    protocol = load_protocol("los-fixed").protocol
    plan = plan_trials(protocol)
    assert len(plan) == protocol.trial_count == 8
    assert [t.direction_deg for t in plan] == list(protocol.directions_deg)
    for trial in plan:
        assert trial.target is not None
        assert (trial.target[0] ** 2 + trial.target[1] ** 2) ** 0.5 == pytest.approx(protocol.target_distance_los)
    assert plan[0].target == pytest.approx((0.0, 0.75))  # 90 degrees is straight ahead
    assert plan_trials(protocol) == plan  # no randomness: the same task every time


def test_a_bad_protocol_lists_every_problem_with_its_position(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace('kind = "quiet_stance"', 'kind = "quiet_stand"')
                    .replace("trial_s = 3.0", "trial_s = 500.0")
                    .replace('name = "open_firm"', 'name = "open_firm"\nvisoin = "closed"'), encoding="utf-8")
    with pytest.raises(ProtocolError) as info:
        load_protocol(path)
    problems = info.value.problems
    assert len(problems) == 3
    assert problems[0].startswith(f"{path}:3:1: kind: 'quiet_stand' is not one of the choices; "
                                  "did you mean 'quiet_stance'?")  # line 3: the key
    assert any(p.startswith(f"{path}:5:") and "trial_s" in p and "120" in p for p in problems)
    assert any("conditions[0].visoin: unknown key 'visoin'; did you mean 'vision'?" in p for p in problems)
    assert isinstance(info.value, ProprioError)  # the CLI prints it as one Error: block


@pytest.mark.parametrize(("change", "message"), [
    (('kind = "quiet_stance"', 'kind = "limits_of_stability"'), "needs directions_deg"),
    (('kind = "quiet_stance"', 'kind = "single_leg"'), "stance = \\\"left\\\" or \\\"right\\\""),
    (("rest_s = 1.0", "rest_s = 1.0\ndirections_deg = [0.0]"), "belong to limits_of_stability"),
    (('title = "Eyes open"', 'title = "Eyes open"\nstance = "left"'), "belongs to single_leg"),
    (("[[conditions]]", "compare_reference = true\n[[conditions]]"), None),  # fine: bipedal stance
])
def test_rules_between_fields(tmp_path, change, message):
    path = tmp_path / "p.toml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    if message is None:
        assert load_protocol(path).protocol.compare_reference
        return
    with pytest.raises(ProtocolError, match=message):
        load_protocol(path)


def test_unreadable_files_and_unknown_names_are_clear_errors(tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(ProtocolError, match="empty.toml:1:1: the file is empty"):
        load_protocol(empty)
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "x\n', encoding="utf-8")
    with pytest.raises(ProtocolError, match="broken.toml:1:.*TOML syntax error"):
        load_protocol(broken)
    with pytest.raises(ProtocolError, match="did you mean 'mctsib'"):
        load_protocol("mctsb")
    with pytest.raises(ProtocolError, match="no such protocol file"):
        load_protocol(str(tmp_path / "missing.toml"))
    duplicate = tmp_path / "dup.toml"
    duplicate.write_text(GOOD + GOOD[GOOD.index("[[conditions]]"):], encoding="utf-8")
    with pytest.raises(ProtocolError, match="repeated: open_firm"):
        load_protocol(duplicate)
