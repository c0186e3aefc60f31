"""One player's sitting: play time across the levels of a run, when a rest is due, when time is up.

The clinician's maximum session length and rest breaks (``SessionLimits``) are rules of play,
so they live here, counted in simulation time, and every session of a sitting shares one
``Sitting``: ``proprio play``, ``proprio simulate`` and a ``replay:`` all meet the same rules.
Pure: no clock, no window, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from game.limits import SessionLimits

TOLERANCE_S = 1e-9  # step times are sums of 1/120 s: compare with a little room
REST_GRACE_S = 2.0
"""How long a due rest break waits for the running trial to end by itself before the session ends it."""


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} min ({seconds:g} s)"


@dataclass
class Sitting:
    """Play time banked by the levels already ended, and when the last rest break ended.

    Times are play time (simulation seconds of the levels themselves: they stop while the
    game is paused or the player rests). A session tells it the current level's ``t_s``.
    """

    limits: SessionLimits = field(default_factory=SessionLimits)
    played_s: float = 0.0
    """Play time of the levels already ended."""
    rested_at_s: float = 0.0
    """Total play time when the last rest ended (0 at the start)."""
    scaler_kinds: set[str] = field(default_factory=set)
    """Challenge kinds whose scaler has already started in this sitting (a later level continues it as is)."""

    def first_scalers(self, kinds: Iterable[str]) -> frozenset[str]:
        """Of ``kinds``, those whose scaler starts for the first time in this sitting (a returning player's break)."""
        return frozenset(kinds) - self.scaler_kinds

    def scalers_started(self, kinds: Iterable[str]) -> None:
        """Remember that these kinds' scalers have started in this sitting."""
        self.scaler_kinds |= set(kinds)

    def total_s(self, level_t_s: float) -> float:
        """Play time so far, this level's included."""
        return self.played_s + level_t_s

    def time_up(self, level_t_s: float) -> bool:
        """True once the clinician's maximum session length is reached."""
        limit = self.limits.max_session_s
        return limit is not None and self.total_s(level_t_s) >= limit - TOLERANCE_S

    def rest_due(self, level_t_s: float) -> bool:
        """True once ``rest_every_s`` of play has passed since the last rest (or the start)."""
        every = self.limits.rest_every_s
        return every is not None and self.total_s(level_t_s) - self.rested_at_s >= every - TOLERANCE_S

    def rest_overdue_s(self, level_t_s: float) -> float:
        """Play time since the rest break fell due (0 when none is due)."""
        every = self.limits.rest_every_s
        if every is None:
            return 0.0
        return max(0.0, self.total_s(level_t_s) - self.rested_at_s - every)

    def rest_must_start(self, level_t_s: float) -> bool:
        """True once a due rest has waited ``REST_GRACE_S`` for the trial: the session then ends the trial."""
        return self.rest_due(level_t_s) and self.rest_overdue_s(level_t_s) >= REST_GRACE_S - TOLERANCE_S

    @property
    def rest_s(self) -> float:
        """How long one rest break lasts (0 when none is set)."""
        return self.limits.rest_s or 0.0

    def rested(self, level_t_s: float) -> None:
        """A rest break has just ended."""
        self.rested_at_s = self.total_s(level_t_s)

    def end_level(self, level_t_s: float) -> None:
        """Bank a finished level's play time."""
        self.played_s += level_t_s

    def time_up_data(self, level_t_s: float) -> dict[str, Any]:
        """Why the session ended (the session_limit event's data)."""
        limit = self.limits.max_session_s or 0.0
        return {"reason": f"the clinician's maximum session length of {_minutes(limit)} of play was reached",
                "max_session_s": limit, "played_s": round(self.total_s(level_t_s), 6)}

    def rest_data(self, level_t_s: float) -> dict[str, Any]:
        """Why play paused (the rest_start event's data)."""
        every, rest = self.limits.rest_every_s or 0.0, self.rest_s
        return {"reason": f"clinician rest break: {rest:g} s after every {_minutes(every)} of play",
                "rest_s": rest, "rest_every_s": every, "played_s": round(self.total_s(level_t_s), 6)}
