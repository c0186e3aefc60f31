"""Property: through the real session, no outcome sequence takes a trial outside the clinician's limits."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from game.difficulty import create_scaler
from game.input.pose import Pose
from game.limits import ALL_KINDS, ClinicianLimits, LimitsError, PlayerLimits
from game.session import Session, StoredScaler, resume_scalers
from tests.game.helpers import level

unit = st.floats(0.0, 1.0)


@st.composite
def own_limits(draw) -> dict:
    """A level's [challenges.difficulty]: any valid band, start and target."""
    a, b = draw(unit), draw(unit)
    floor, ceiling = min(a, b), max(a, b)
    return {"floor": floor, "ceiling": ceiling, "start": draw(st.floats(floor, ceiling)),
            "target_success": draw(st.floats(0.05, 0.95))}


@st.composite
def clinician_rows(draw) -> tuple[ClinicianLimits, ...]:
    """Rows for 'all', 'hold' and 'reach', each setting any subset of the band limits."""
    rows = []
    for kind in (ALL_KINDS, "hold", "reach"):
        if not draw(st.booleans()):
            continue
        fields = {}
        if draw(st.booleans()):
            fields["target_success"] = draw(st.floats(0.05, 0.95))
        bounds = sorted([draw(unit), draw(unit)])
        if draw(st.booleans()):
            fields["floor"] = bounds[0]
        if draw(st.booleans()):
            fields["ceiling"] = bounds[1]
        if draw(st.booleans()):
            fields["max_distance_los"] = draw(st.floats(0.05, 1.0))
        rows.append(ClinicianLimits(kind, **fields))
    return tuple(rows)


@st.composite
def levels(draw):
    """Two short hold challenges (which may share a scaler) and a reach challenge, all quick to play."""
    easy, hard = draw(st.floats(0.3, 0.95)), draw(st.floats(0.3, 0.95))
    assume(abs(easy - hard) > 1e-3)
    angle = draw(st.floats(0.0, math.tau))
    radius = draw(st.floats(0.0, 0.5))
    hold = {
        "kind": "hold", "title": "Hold", "instruction": "Hold", "timeout_s": 0.6,
        "centre": [radius * math.cos(angle), radius * math.sin(angle)],
        "knobs": {"radius": {"easy": 0.25, "hard": 0.1}, "hold_s": {"easy": 0.1, "hard": 0.3},
                  "push": {"easy": 0.0, "hard": 0.001}},
    }
    same = draw(st.booleans())
    first_limits = draw(own_limits())
    reach = {
        "kind": "reach", "title": "Reach", "instruction": "Reach", "directions_deg": [0, 90, 180, 270],
        "order": "listed", "timeout_s": 0.6, "repeats": draw(st.integers(1, 2)), "centre_radius": 0.1,
        "knobs": {"distance": {"easy": easy, "hard": hard}, "radius": {"easy": 0.2, "hard": 0.1},
                  "dwell_s": {"easy": 0.0, "hard": 0.2}},
        "difficulty": draw(own_limits()),
    }
    return level(
        {**hold, "trials": draw(st.integers(1, 5)), "difficulty": first_limits},
        reach,
        {**hold, "trials": draw(st.integers(1, 4)), "difficulty": first_limits if same else draw(own_limits())},
        intro_s=0.0, rest_s=0.0,
    )


def _furthest(challenge, difficulty: float) -> float:
    """How far from the centre the challenge asks the player to go at ``difficulty`` (what --max-distance bounds).

    A reach target's distance; a hold zone's centre plus the lean against its push (game/limits.py's
    DISTANCE_RULES), so a pushed zone at the limit's edge rules out every push above 0.
    """
    if challenge.kind == "hold":
        return math.hypot(*challenge.centre) + challenge.knobs.push.at(difficulty)
    return challenge.knobs.distance.at(difficulty)


def _pose(snap, succeed: bool) -> Pose:
    x = y = 0.0
    if snap.phase == "trial" and snap.targets:
        target = snap.targets[0]
        x, y = target.x, target.y
        if not succeed:  # the far side of the field: at least 1 LOS from the target
            norm = math.hypot(x, y)
            x, y = ((-x / norm, -y / norm) if norm > 1e-9 else (1.0, 0.0))
    return Pose(snap.t_s, x, y, x, y, "deg")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(lvl=levels(), rows=clinician_rows(), wanted=st.lists(st.booleans(), max_size=20),
       stored=st.one_of(st.none(), st.tuples(unit, st.lists(st.booleans(), max_size=15), own_limits())))
def test_no_outcome_sequence_takes_a_trial_outside_the_clinicians_limits(lvl, rows, wanted, stored):
    try:
        limits = PlayerLimits("kid-1").with_row(rows[0]) if rows else PlayerLimits("kid-1")
        for row in rows[1:]:
            limits = limits.with_row(row)
    except LimitsError:
        assume(False)  # a floor above a ceiling across rows is refused when set (tested elsewhere)
    saved = None
    if stored is not None:  # a state from an earlier session, under some band (compatible or not)
        difficulty, history, band = stored
        scaler = create_scaler(target=band["target_success"], start=band["start"], floor=band["floor"],
                               ceiling=band["ceiling"])
        for outcome in history:
            scaler.record(outcome)
        saved = {"hold": StoredScaler(difficulty, scaler.state()), "reach": StoredScaler(scaler.difficulty)}
    try:
        plan = resume_scalers(lvl, saved, limits)
    except LimitsError:
        # Only when the clinician's distance rules a challenge out entirely.
        hold_max, reach_max = limits.for_kind("hold").max_distance_los, limits.for_kind("reach").max_distance_los
        knob = lvl.challenges[1].knobs.distance
        hold = lvl.challenges[0]
        hold_out = hold_max is not None and min(_furthest(hold, 0.0), _furthest(hold, 1.0)) > hold_max
        reach_out = reach_max is not None and min(knob.at(0.0), knob.at(1.0)) > reach_max
        assert hold_out or reach_out
        return
    session = Session(lvl, 5, plan.scalers)
    results = []
    for _ in range(40_000):
        if session.finished:
            break
        succeed = wanted[len(results)] if len(results) < len(wanted) else False
        results.extend(session.advance(_pose(session.snapshot(), succeed)).results)
    assert session.finished
    assert [r.success for r in results][: len(wanted)] == wanted[: len(results)]  # the outcomes we asked for
    for result in results:
        challenge = lvl.challenges[result.challenge]
        clinician = limits.for_kind(challenge.kind)
        start = plan.starts[result.challenge]
        d = result.difficulty
        assert start.floor <= d <= start.ceiling  # the session never leaves the combined band
        target = clinician.target_success or challenge.difficulty.target_success
        assert plan.scalers[result.challenge].target == target
        max_d = clinician.max_distance_los
        increasing = challenge.kind == "hold" or challenge.knobs.distance.hard > challenge.knobs.distance.easy
        ceilings = [challenge.difficulty.ceiling] + ([clinician.ceiling] if clinician.ceiling is not None else [])
        floors = [challenge.difficulty.floor] + ([clinician.floor] if clinician.floor is not None else [])
        if increasing:  # a distance limit only lowers the ceiling: every ceiling holds
            assert d <= min(ceilings)
        if max_d is not None and challenge.kind == "reach":
            assert result.params["distance"] <= max_d  # the knob the core used, exactly
        if max_d is not None and challenge.kind == "hold":  # the zone plus the lean against its push
            assert _furthest(challenge, d) <= max_d
        top_floor = max(floors)
        floor_is_safe = max_d is None or _furthest(challenge, top_floor) <= max_d
        if top_floor <= min(ceilings) and floor_is_safe and increasing:
            assert d >= top_floor  # no conflict: every floor holds too
