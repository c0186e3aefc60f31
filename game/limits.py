"""A clinician's per-player limits, and how they combine with a level's own: the stricter wins.

Pure: no clock, file or database (telemetry/store/limits.py loads and saves them). A
clinician may set, per player and per challenge kind (or for ``all`` kinds at once):

* ``target_success``: the success rate the scaler aims at (replaces the level's);
* ``target_low`` / ``target_high``: a target band instead (e.g. 0.70-0.85, the range the
  motor-learning literature supports): the stricter wins, so the level's own target is kept
  when it lies inside the band and moved to the band's nearer edge when it does not;
* ``floor`` / ``ceiling``: the band of normalized difficulty (intersected with the level's);
* ``max_distance_los``: how far from the centre the game may place anything the player must
  reach, as a fraction of the player's limits of stability (LOS). It lowers the difficulty
  ceiling until every position knob stays within it (``distance_interval``);
* for ``all`` kinds only: ``max_session_s`` (play time after which the session ends) and
  rest breaks (``rest_s`` of rest after every ``rest_every_s`` of play), kept by
  ``game.session.Sitting`` in simulation time.

Bad values raise ``LimitsError`` naming the value and its allowed range; nothing is clamped.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from numbers import Real
from typing import Any

from game.core.track import path_reach_los
from game.errors import ProprioError
from game.level.model import KINDS, AnyChallenge, Knob
from game.vocabulary import ALL_KINDS as ALL_KINDS  # defined with the command line's names (light for `--help`)

MAX_SESSION_LIMIT_S = 4 * 3600.0  # the longest session a clinician may allow (4 h)
MAX_REST_S = 1800.0  # the longest rest break (30 min)
SESSION_FIELDS = ("max_session_s", "rest_every_s", "rest_s")
BAND_FIELDS = ("target_success", "floor", "ceiling", "max_distance_los", "target_low", "target_high")
TARGET_BAND_FIELDS = ("target_low", "target_high")


class LimitsError(ProprioError, ValueError):
    """A clinician limit that is out of range, contradicts another, or cannot be honoured by a level."""


LABELS = {
    "target_success": "target success rate", "floor": "floor", "ceiling": "ceiling",
    "max_distance_los": "maximum distance (LOS)", "max_session_s": "maximum session length (s)",
    "rest_every_s": "rest interval (s)", "rest_s": "rest length (s)",
    "target_low": "target band's low end", "target_high": "target band's high end",
}


def _number(name: str, value: Any) -> float:
    """A finite float, or a LimitsError that names the value (bools, strings, NaN and inf refused)."""
    label = LABELS.get(name, name)
    if isinstance(value, bool) or not isinstance(value, Real):
        raise LimitsError(f"{label} must be a number, got {value!r} ({type(value).__name__})",
                          remedy=f"pass the {label} as a number")
    number = float(value)
    if not math.isfinite(number):
        raise LimitsError(f"{label} must be a finite number, got {number!r}",
                          remedy="NaN and infinity are never valid limits")
    return number


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} min ({seconds:g} s)"


def check_kind(kind: Any) -> str:
    """Return the kind if it is a known challenge kind or ``all``; suggest the closest otherwise."""
    known = (ALL_KINDS, *KINDS)
    if isinstance(kind, str) and kind in known:
        return kind
    close = difflib.get_close_matches(str(kind), known, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise LimitsError(f"unknown challenge kind {kind!r}", remedy=f"{hint}kinds: {', '.join(known)}")


@dataclass(frozen=True)
class ClinicianLimits:
    """One clinician_limits row: a player's limits for one challenge kind, or for ``all``; None = not set."""

    kind: str = ALL_KINDS
    target_success: float | None = None
    floor: float | None = None
    ceiling: float | None = None
    max_distance_los: float | None = None
    max_session_s: float | None = None
    rest_every_s: float | None = None
    rest_s: float | None = None
    target_low: float | None = None
    target_high: float | None = None

    def __post_init__(self) -> None:
        check_kind(self.kind)
        for f in fields(self)[1:]:
            value = getattr(self, f.name)
            if value is not None:
                object.__setattr__(self, f.name, _number(f.name, value))
        self._check_ranges()

    def _check_ranges(self) -> None:
        if self.target_success is not None and not 0.0 < self.target_success < 1.0:
            raise LimitsError(f"target success rate {self.target_success!r} is outside the open interval (0, 1)",
                              remedy="pass a target such as 0.75 (therapy games usually aim at 0.70-0.85)")
        if (self.target_low is None) != (self.target_high is None):
            raise LimitsError("a target band needs both its low and its high end",
                              remedy="set both, e.g. proprio limits set --kind all --target-band 0.7..0.85")
        if self.target_low is not None and self.target_high is not None:
            if not 0.0 < self.target_low < self.target_high < 1.0:
                raise LimitsError(
                    f"target band {self.target_low!r}..{self.target_high!r} is not 0 < low < high < 1",
                    remedy="pass a band such as 0.7..0.85 (one rate: use the target instead)")
            if self.target_success is not None:
                raise LimitsError(
                    f"target success rate {self.target_success!r} and target band {self.target_low!r}.."
                    f"{self.target_high!r} are both set for kind '{self.kind}'",
                    remedy="set either one target rate or one target band per kind")
        for name in ("floor", "ceiling"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= value <= 1.0:
                raise LimitsError(f"{name} {value!r} is outside the normalized difficulty range [0, 1]",
                                  remedy="difficulty is normalized: 0 is the easiest setting, 1 the hardest")
        if self.floor is not None and self.ceiling is not None and self.floor > self.ceiling:
            raise LimitsError(f"floor {self.floor!r} is above ceiling {self.ceiling!r}",
                              remedy="pass floor <= ceiling (equal values lock the difficulty)")
        if self.max_distance_los is not None and not 0.0 < self.max_distance_los <= 1.0:
            raise LimitsError(
                f"maximum distance {self.max_distance_los!r} LOS is outside (0, 1]",
                remedy="it is a fraction of the player's limits of stability: 1 is the full limit, 0.5 half of it")
        if self.max_session_s is not None and not 0.0 < self.max_session_s <= MAX_SESSION_LIMIT_S:
            raise LimitsError(f"maximum session length {_minutes(self.max_session_s)} is outside"
                              f" (0, {MAX_SESSION_LIMIT_S / 60:g}] min", remedy="pass a length such as 20 minutes")
        if (self.rest_every_s is None) != (self.rest_s is None):
            raise LimitsError("rest breaks need both how often (rest_every_s) and how long (rest_s)",
                              remedy="set both, e.g. proprio limits set --kind all --rest-every-min 10 --rest-s 60")
        if self.rest_every_s is not None and not 0.0 < self.rest_every_s <= MAX_SESSION_LIMIT_S:
            raise LimitsError(f"rest interval {_minutes(self.rest_every_s)} is outside"
                              f" (0, {MAX_SESSION_LIMIT_S / 60:g}] min", remedy="pass an interval such as 10 minutes")
        if self.rest_s is not None and not 0.0 < self.rest_s <= MAX_REST_S:
            raise LimitsError(f"rest length {self.rest_s!r} s is outside (0, {MAX_REST_S:g}] s",
                              remedy="pass a rest such as 60 seconds")
        if self.kind != ALL_KINDS:
            session_set = [LABELS[name] for name in SESSION_FIELDS if getattr(self, name) is not None]
            if session_set:
                raise LimitsError(
                    f"{' and '.join(session_set)} cannot be set for kind '{self.kind}':"
                    " the session length and rest breaks apply to the whole session",
                    remedy="set them for every kind at once (proprio limits set --kind all ...)")

    @property
    def empty(self) -> bool:
        """True when the row sets nothing."""
        return all(getattr(self, f.name) is None for f in fields(self)[1:])

    def merged(self, **changes: float | None) -> ClinicianLimits:
        """This row with the given fields replaced (None leaves a field as it is), validated again."""
        # ``replace`` takes any field by keyword, ``kind`` (a str) too: the dict's value type cannot say which.
        updates: dict[str, Any] = {k: v for k, v in changes.items() if v is not None}
        if "target_success" in updates:  # a new rate replaces a stored band, and a new band a stored rate
            updates.update(target_low=None, target_high=None)
        elif any(name in updates for name in TARGET_BAND_FIELDS):
            updates["target_success"] = None
        return replace(self, **updates)

    def as_dict(self) -> dict[str, Any]:
        """The row's fields (None for those not set)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class KindLimits:
    """The clinician's limits that apply to one kind: its own row merged with the ``all`` row."""

    kind: str
    target_success: float | None = None
    floor: float | None = None
    ceiling: float | None = None
    max_distance_los: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    sources: dict[str, str] = field(default_factory=dict)
    """For each set field, which row it came from: 'clinician (hold)' or 'clinician (all kinds)'."""


@dataclass(frozen=True)
class SessionLimits:
    """Limits on the whole sitting: play time, and rest breaks."""

    max_session_s: float | None = None
    rest_every_s: float | None = None
    rest_s: float | None = None


def _label(kind: str) -> str:
    return "clinician (all kinds)" if kind == ALL_KINDS else f"clinician ({kind})"


@dataclass(frozen=True)
class PlayerLimits:
    """Every clinician_limits row of one player."""

    player_id: str
    rows: tuple[ClinicianLimits, ...] = ()

    def row(self, kind: str) -> ClinicianLimits | None:
        """The row for exactly this kind (or ``all``), if set."""
        return next((r for r in self.rows if r.kind == kind), None)

    def for_kind(self, kind: str) -> KindLimits:
        """Merge the kind's row with the ``all`` row: the higher floor, the lower ceiling and distance win;
        the kind's own target overrides the ``all`` target; target bands intersect (the narrower wins)."""
        values: dict[str, float] = {}
        sources: dict[str, str] = {}
        for row in (self.row(ALL_KINDS), self.row(kind) if kind != ALL_KINDS else None):
            if row is None:
                continue
            for name, pick in (("target_success", None), ("floor", max), ("ceiling", min), ("max_distance_los", min),
                               ("target_low", max), ("target_high", min)):
                value = getattr(row, name)
                if value is None:
                    continue
                if name in values and pick is not None:
                    chosen = pick(values[name], value)
                    if chosen == values[name]:
                        continue
                values[name] = value
                sources[name] = _label(row.kind)
        return KindLimits(kind=kind, sources=sources, **values)

    @property
    def session(self) -> SessionLimits:
        """Session length and rest breaks (only the ``all`` row holds them)."""
        row = self.row(ALL_KINDS)
        if row is None:
            return SessionLimits()
        return SessionLimits(row.max_session_s, row.rest_every_s, row.rest_s)

    def check_consistent(self) -> None:
        """Refuse rows whose merged floor is above their merged ceiling (e.g. all: ceiling 0.5, hold: floor 0.7)."""
        for row in self.rows:
            if row.kind == ALL_KINDS:
                continue
            merged = self.for_kind(row.kind)
            if merged.target_low is not None and merged.target_high is not None:
                if merged.target_low >= merged.target_high:
                    raise LimitsError(
                        f"target band {merged.target_low:g}..{merged.target_high:g} for kind '{row.kind}' is empty:"
                        f" low end from {merged.sources['target_low']}, high end from {merged.sources['target_high']}",
                        remedy="set target bands that overlap for the kind and for all kinds")
                if merged.target_success is not None and not (
                        merged.target_low <= merged.target_success <= merged.target_high):
                    raise LimitsError(
                        f"target {merged.target_success:g} from {merged.sources['target_success']} lies outside the"
                        f" target band {merged.target_low:g}..{merged.target_high:g} for kind '{row.kind}'",
                        remedy="set a target inside the band, or clear one of them")
            if merged.floor is not None and merged.ceiling is not None and merged.floor > merged.ceiling:
                raise LimitsError(
                    f"floor {merged.floor!r} from {merged.sources['floor']} is above ceiling {merged.ceiling!r}"
                    f" from {merged.sources['ceiling']} for kind '{row.kind}'",
                    remedy="lower the floor or raise the ceiling so that floor <= ceiling")

    def with_row(self, row: ClinicianLimits) -> PlayerLimits:
        """These limits with one row replaced (or added), checked for consistency."""
        rows = tuple(r for r in self.rows if r.kind != row.kind) + (row,)
        updated = PlayerLimits(self.player_id, tuple(sorted(rows, key=lambda r: (r.kind != ALL_KINDS, r.kind))))
        updated.check_consistent()
        return updated


# -- max distance: which positions each kind asks the player to reach --------------------------
@dataclass(frozen=True)
class DistanceRule:
    """How a challenge kind places what the player must reach (fraction of LOS from the centre)."""

    knob: str | None = None
    """Name of a knob whose value is the distance of each target (reach-like kinds)."""
    fixed: Callable[[Any], float] | None = None
    """Distance of a fixed position the difficulty does not move (a hold zone's centre, a track's path)."""
    free: str | None = None
    """Why nothing is placed for the player to reach (the limit then does not apply)."""
    plus_knob: str | None = None
    """A knob added to ``fixed``: the lean a level's push asks for on top of the position (``game/core/push.py``)."""


DISTANCE_RULES: dict[str, DistanceRule] = {
    "hold": DistanceRule(fixed=lambda c: math.hypot(*c.centre), plus_knob="push"),  # the zone, plus the wind
    "reach": DistanceRule(knob="distance"),
    "weight_shift": DistanceRule(knob="distance"),
    "limits_of_stability": DistanceRule(knob="distance"),
    "track": DistanceRule(fixed=path_reach_los, plus_knob="push"),  # the path's furthest point, plus the current
    "maze": DistanceRule(free="the player tilts to roll a ball; no target is placed for the body to reach"),
    "collect_avoid": DistanceRule(free="items drift across the field; the player chooses which to reach"),
}


def _describe(challenge: AnyChallenge, index: int | None) -> str:
    where = f"challenge {index + 1} " if index is not None else "challenge "
    return f"{where}'{challenge.title}' ({challenge.kind})"


def distance_interval(
    challenge: AnyChallenge, max_distance_los: float, index: int | None = None
) -> tuple[float, float] | None:
    """The normalized difficulties at which everything the challenge places is within ``max_distance_los``.

    Returns ``(lo, hi)`` within [0, 1], or None when the limit does not apply to the kind.
    Raises LimitsError when no difficulty keeps the challenge within the limit.
    """
    rule = DISTANCE_RULES.get(challenge.kind)
    if rule is None:
        raise LimitsError(
            f"{_describe(challenge, index)}: the clinician's maximum distance cannot be checked for kind"
            f" '{challenge.kind}'", remedy="add the kind to DISTANCE_RULES in game/limits.py, or remove --max-distance")
    if rule.free is not None:
        return None
    if rule.fixed is not None and rule.plus_knob is not None:
        return _knob_interval(challenge, index, getattr(challenge.knobs, rule.plus_knob), rule.plus_knob,
                              max_distance_los, offset=rule.fixed(challenge))
    if rule.fixed is not None:
        reach = rule.fixed(challenge)
        if reach > max_distance_los:
            raise LimitsError(
                f"{_describe(challenge, index)} asks the player to reach {reach:.3g} LOS from the centre,"
                f" beyond the clinician's maximum distance {max_distance_los:g} LOS",
                remedy="choose a level whose targets are closer, or raise the maximum distance")
        return (0.0, 1.0)
    if rule.knob is None:
        raise LimitsError(f"DISTANCE_RULES['{challenge.kind}'] names no knob, fixed distance or reason",
                          remedy="give the rule a knob, fixed or free in game/limits.py")
    return _knob_interval(challenge, index, getattr(challenge.knobs, rule.knob), rule.knob, max_distance_los)


def _knob_interval(challenge: AnyChallenge, index: int | None, knob: Knob, name: str, max_distance_los: float,
                   offset: float = 0.0) -> tuple[float, float]:
    """The difficulties at which ``offset + knob.at(d)`` stays within the limit (LimitsError when none does).

    ``offset`` is a fixed distance the knob adds to (a hold zone's centre, a track's furthest point,
    to which the lean against the level's push is added); 0 for a knob that is the distance itself.
    """
    easy, hard = knob.easy, knob.hard
    # ``knob.at`` is what the core computes; in floating point it is monotone in the difficulty,
    # so checking it at the interval's ends covers every difficulty in between.
    limit = max_distance_los - offset
    near_end, far_end = (0.0, 1.0) if hard > easy else (1.0, 0.0)
    if knob.at(far_end) <= limit:
        return (0.0, 1.0)
    if knob.at(near_end) > limit:
        if offset > 0.0 or name == "push":
            raise LimitsError(
                f"{_describe(challenge, index)} asks the player to lean at least {offset + min(easy, hard):.3g} LOS"
                f" from the centre ({offset:.3g} to its zone or path, plus {min(easy, hard):g} against the"
                f" {name} at its weakest), beyond the clinician's maximum distance {max_distance_los:g} LOS",
                remedy="choose a level whose targets are closer or whose push is weaker, or raise the maximum distance")
        raise LimitsError(
            f"{_describe(challenge, index)} places targets at least {min(easy, hard):g} LOS from the centre"
            f" ({name} {easy:g} easy to {hard:g} hard), beyond the clinician's maximum distance"
            f" {max_distance_los:g} LOS",
            remedy="choose a level whose targets are closer, or raise the maximum distance")
    inside, outside = near_end, far_end  # bisect to the last difficulty the core places within the limit
    while True:
        middle = (inside + outside) / 2.0
        if middle in (inside, outside):
            break
        if knob.at(middle) <= limit:
            inside = middle
        else:
            outside = middle
    return (0.0, inside) if hard > easy else (inside, 1.0)


# -- one challenge's band: level limits, clinician limits, distance ------------------------------
def fmt(value: float) -> str:
    """A difficulty for notes: three decimals, trailing zeros dropped."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@dataclass(frozen=True)
class ChallengeBand:
    """Where one challenge's scaler may move: target, floor, ceiling, and why they are what they are."""

    kind: str
    target: float
    floor: float
    ceiling: float
    max_distance_los: float | None = None
    notes: tuple[str, ...] = ()
    target_low: float | None = None
    target_high: float | None = None
    """The clinician's target band, when one is set (``target`` then lies inside it)."""

    def clamp(self, difficulty: float) -> float:
        """A stored or level start moved into the band (a legitimate combination, not a bug, so it is noted)."""
        return min(self.ceiling, max(self.floor, difficulty))

    def describe(self) -> str:
        """'target 80 %, band [0, 0.375]: ceiling 0.375 keeps ...' (the notes say where each limit came from)."""
        text = f"target {self.target * 100:g} %, band [{fmt(self.floor)}, {fmt(self.ceiling)}]"
        return text + (f": {'; '.join(self.notes)}" if self.notes else "")


def challenge_band(
    challenge: AnyChallenge, limits: KindLimits | None = None, index: int | None = None
) -> ChallengeBand:
    """Combine a challenge's own difficulty limits with the clinician's: the stricter wins.

    Target: the clinician's replaces the level's. Floor: the higher; ceiling: the lower; when
    they cross, the ceiling wins (a ceiling protects the player, a floor only keeps play
    interesting). Max distance: the band is cut to the difficulties that keep every position
    within it, and this cut wins over any floor or ceiling.
    """
    own = challenge.difficulty
    limits = limits or KindLimits(challenge.kind)
    notes: list[str] = []
    target = own.target_success
    if limits.target_success is not None:
        target = limits.target_success
        notes.append(f"target {target * 100:g} % from the {limits.sources['target_success']}")
    low, high = limits.target_low, limits.target_high
    if low is not None and high is not None:
        band = f"target band {low * 100:g}-{high * 100:g} % from the {limits.sources['target_low']}"
        if low <= target <= high:
            notes.append(f"target {target * 100:g} % lies inside the {band}")
        else:
            target = low if target < low else high
            notes.append(f"target {target * 100:g} %: the nearer end of the {band}")
    floor, ceiling = own.floor, own.ceiling
    if limits.ceiling is not None and limits.ceiling < ceiling:
        ceiling = limits.ceiling
        notes.append(f"ceiling {fmt(ceiling)} from the {limits.sources['ceiling']}")
    if limits.floor is not None and limits.floor > floor:
        floor = limits.floor
        notes.append(f"floor {fmt(floor)} from the {limits.sources['floor']}")
    if floor > ceiling:
        notes.append(f"floor {fmt(floor)} is above ceiling {fmt(ceiling)}: the ceiling wins, locked at {fmt(ceiling)}")
        floor = ceiling
    if limits.max_distance_los is not None:
        interval = distance_interval(challenge, limits.max_distance_los, index)
        where = f"the {limits.sources['max_distance_los']} maximum distance {limits.max_distance_los:g} LOS"
        if interval is None:
            notes.append(f"{where} does not apply: {DISTANCE_RULES[challenge.kind].free}")
        else:
            lo, hi = interval
            if max(floor, lo) <= min(ceiling, hi):
                if hi < ceiling:
                    notes.append(f"ceiling {fmt(hi)} keeps targets within {where}")
                if lo > floor:
                    notes.append(f"floor {fmt(lo)} keeps targets within {where}")
                floor, ceiling = max(floor, lo), min(ceiling, hi)
            else:
                locked = hi if hi < floor else lo
                notes.append(f"locked at {fmt(locked)}: the band [{fmt(floor)}, {fmt(ceiling)}] lies beyond {where}")
                floor = ceiling = locked
    return ChallengeBand(challenge.kind, target, floor, ceiling, limits.max_distance_los, tuple(notes), low, high)
