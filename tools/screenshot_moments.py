"""When a level's screenshot is worth taking: the rule both tools/screenshots_2d.py and _3d.py use.

A frame well into the second trial (so the first feedback has been seen), with both kinds of item
on the field where the level has items; ``feedback`` catches a quarter second after a success,
``intro`` the countdown.
"""

from __future__ import annotations

from game.core.snapshot import Snapshot

STEP_HZ = 120
LONGEST_S = 90.0  # give up looking after this much play and take the best frame seen


def interesting(snap: Snapshot, in_phase_steps: int, moment: str) -> bool:
    """A frame worth showing at ``moment`` ("trial", "feedback" or "intro")."""
    if moment == "intro":
        return snap.phase == "intro" and snap.phase_left_s < 2.5
    if moment == "feedback":
        return snap.phase == "feedback" and snap.last_outcome == "success" and in_phase_steps == 30
    if snap.phase != "trial" or snap.trial < 2:
        return False
    if snap.challenge_kind == "collect_avoid":
        return item_score(snap) >= (1, 4) and in_phase_steps > 2 * STEP_HZ
    if snap.challenge_kind in ("hold", "reach", "weight_shift", "limits_of_stability"):
        return snap.progress > 0.35 or in_phase_steps > 4 * STEP_HZ
    return in_phase_steps > int(2.5 * STEP_HZ)


def item_score(snap: Snapshot) -> tuple[int, int]:
    """Both kinds of item on screen first, then how many."""
    roles = {item.role for item in snap.items}
    return (1 if len(roles) > 1 else 0, len(snap.items))
