"""Which difficulty scaler each challenge of a level starts with, and why (the session logs the reason).

Pure: given the level, the player's stored scalers and the clinician's limits, build one
scaler per challenge inside the stricter of the level's and the clinician's bands.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from game.difficulty import (
    DEFAULT_METHOD,
    BayesDriftScaler,
    DifficultyConfigError,
    DifficultyScaler,
    create_scaler,
    restore_scaler,
)
from game.level.model import Level
from game.limits import ChallengeBand, PlayerLimits, challenge_band, fmt


@dataclass(frozen=True)
class StoredScaler:
    """A player's saved scaler for one challenge kind (a difficulty_state row)."""

    difficulty: float
    state: str | dict[str, Any] | None = None  # ``scaler.state()`` as JSON text or as the dict


@dataclass(frozen=True)
class ScalerStart:
    """How one challenge's scaler began this session, and why (the runner logs it as an event)."""

    challenge: int
    kind: str
    difficulty: float
    source: str  # "new", "restored" (the stored history replayed) or "shared" (an earlier challenge's)
    reason: str
    target: float
    floor: float
    ceiling: float
    trials_before: int  # outcomes the scaler already held when the session began
    warm_up: float | None = None  # a returning player's first trial is played at this easier level (None: not)
    warm_up_reason: str = ""

    def event_data(self) -> dict[str, Any]:
        """What the difficulty_start event records (with ``warm_up`` and its reason for a returning player)."""
        data = {"kind": self.kind, "difficulty": self.difficulty, "source": self.source, "reason": self.reason,
                "target": self.target, "floor": self.floor, "ceiling": self.ceiling,
                "trials_before": self.trials_before}
        if self.warm_up is not None:
            data.update(warm_up=self.warm_up, warm_up_reason=self.warm_up_reason)
        return data


@dataclass
class ScalerPlan:
    """One scaler per challenge (same-kind challenges with the same band share one) and how each began."""

    scalers: list[DifficultyScaler]
    starts: list[ScalerStart]

    def to_store(self) -> dict[str, DifficultyScaler]:
        """Per kind, the scaler of the latest challenge that recorded a trial this session (what to save)."""
        latest: dict[str, DifficultyScaler] = {}
        # A plan built without starts (a bare Session in a test) has nothing to store.
        for start, scaler in zip(self.starts, self.scalers, strict=False):
            if scaler.trials > start.trials_before:
                latest[start.kind] = scaler
        return latest


def resume_scalers(level: Level, stored: Mapping[str, StoredScaler] | None = None,
                   limits: PlayerLimits | None = None, method: str = DEFAULT_METHOD, *,
                   new_sitting: Collection[str] = ()) -> ScalerPlan:
    """Build the level's scalers inside its limits and the clinician's, resuming the player's stored ones.

    Each challenge's band is ``challenge_band`` (the stricter of the level's and the clinician's
    limits). Challenges of the same kind and the same target and band share one scaler. A
    stored scaler whose method, target, floor, ceiling and parameters match the band is
    restored with its whole history; a stored ``bayes`` scaler needs only the same method and
    model parameters, and is moved onto a changed target or band with its history kept
    (``rebind``). Otherwise a new scaler starts at the stored difficulty moved into the band,
    and the reason says why the history was not replayed. For the kinds in ``new_sitting``
    (first level of a sitting) a restored ``bayes`` scaler begins a new session
    (``new_session()``: a returning player's belief widens).
    """
    stored = stored or {}
    scalers: list[DifficultyScaler] = []
    starts: list[ScalerStart] = []
    groups: dict[tuple[str, float, float, float], int] = {}
    for index, challenge in enumerate(level.challenges):
        band = challenge_band(challenge, limits.for_kind(challenge.kind) if limits else None, index)
        key = (challenge.kind, band.target, band.floor, band.ceiling)
        if key in groups:
            first = groups[key]
            scaler, before = scalers[first], starts[first].trials_before
            reason = (f"shares the {challenge.kind} scaler of challenge {first + 1} (same target and band),"
                      f" at {fmt(scaler.difficulty)}; {band.describe()}")
            source = "shared"
        else:
            groups[key] = index
            scaler, source, reason = _start_scaler(challenge.kind, challenge.difficulty.start, band,
                                                   stored.get(challenge.kind), method)
            if source == "restored" and challenge.kind in new_sitting and isinstance(scaler, BayesDriftScaler):
                reason += f"; first level of this sitting, {scaler.new_session()}"
            before = scaler.trials
        scalers.append(scaler)
        starts.append(ScalerStart(index, challenge.kind, scaler.difficulty, source, reason, band.target, band.floor,
                                  band.ceiling, before))
    return ScalerPlan(scalers, starts)


def _start_scaler(kind: str, level_start: float, band: ChallengeBand, saved: StoredScaler | None,
                  method: str) -> tuple[DifficultyScaler, str, str]:
    problem = None
    start, origin = level_start, f"the level's start {fmt(level_start)}"
    if saved is not None:
        state, problem = _parsed_state(saved.state)
        if state is not None:
            problem = _incompatibility(state, band, method)
            if problem is None:
                try:
                    scaler = restore_scaler(state)
                except DifficultyConfigError as exc:
                    problem = f"the stored state does not restore ({exc.message})"
                else:
                    kept = _rebound(scaler, band)
                    reason = (f"restored the player's {kind} scaler: {scaler.trials} earlier trials{kept}, continues"
                              f" at {fmt(scaler.difficulty)}; {method}, {band.describe()}")
                    return scaler, "restored", reason
        value = saved.difficulty
        if isinstance(value, (int, float)) and math.isfinite(value) and 0.0 <= value <= 1.0:
            start, origin = float(value), f"the player's stored difficulty {fmt(value)}"
        else:
            problem = f"stored difficulty {value!r} is not a number in [0, 1]"
    clamped = band.clamp(start)
    reason = f"new {kind} scaler at {origin}"
    if clamped != start:
        reason += f", moved into the band to {fmt(clamped)}"
    if problem:
        reason += f"; history not replayed: {problem}"
    reason += f"; {method}, {band.describe()}"
    scaler = create_scaler(target=band.target, start=clamped, floor=band.floor, ceiling=band.ceiling, method=method)
    return scaler, "new", reason


def _parsed_state(state: str | dict[str, Any] | None) -> tuple[dict[str, Any] | None, str | None]:
    if state is None or isinstance(state, dict):
        return state, None
    try:
        parsed = json.loads(state)
    except (TypeError, ValueError):
        return None, "the stored state is not valid JSON"
    return (parsed, None) if isinstance(parsed, dict) else (None, "the stored state is not a JSON object")


def _band_text(target: float, floor: float, ceiling: float) -> str:
    return f"target {target * 100:g} %, band [{fmt(floor)}, {fmt(ceiling)}]"


def _rebound(scaler: DifficultyScaler, band: ChallengeBand) -> str:
    """Move a restored band-free (``bayes``) scaler onto this band if it differs; the words for the reason.

    Same as ``restore_scaler(rebind(state, target=..., floor=..., ceiling=...))`` with one replay instead of two.
    """
    if not isinstance(scaler, BayesDriftScaler):
        return ""
    was = (scaler.target, scaler.floor, scaler.ceiling)
    if was == (band.target, band.floor, band.ceiling):
        return ""
    scaler.rebind(target=band.target, floor=band.floor, ceiling=band.ceiling)
    return f" kept under the new limits (stored with {_band_text(*was)})"


#: ``bayes`` parameters that belong to the history or the band, not to the model: a stored state
#: may differ in these and still continue (``rebind`` moves it onto the band).
BAND_FREE_KEYS = frozenset({"target", "floor", "ceiling", "start", "prior_threshold"})


def _incompatibility(state: dict[str, Any], band: ChallengeBand, method: str) -> str | None:
    """Why a stored state cannot continue in this band (None when it can)."""
    params = state.get("params")
    if state.get("method") != method:
        return f"it used method {state.get('method')!r}, this session uses {method!r}"
    if not isinstance(params, dict):
        return "the stored state has no parameters"
    reference = create_scaler(target=band.target, start=band.floor, floor=band.floor, ceiling=band.ceiling,
                              method=method).state()["params"]
    ignored = BAND_FREE_KEYS if method == BayesDriftScaler.method else frozenset({"start"})
    same = ({k: v for k, v in params.items() if k not in ignored}
            == {k: v for k, v in reference.items() if k not in ignored})
    if same:
        return None
    if method == BayesDriftScaler.method:
        return f"the {method} parameters changed since it was stored"
    try:
        was = f"target {params['target'] * 100:g} %, band [{fmt(params['floor'])}, {fmt(params['ceiling'])}]"
    except (KeyError, TypeError, ValueError):
        return "the stored parameters are incomplete"
    now = f"target {band.target * 100:g} %, band [{fmt(band.floor)}, {fmt(band.ceiling)}]"
    if was == now:
        return f"the {method} parameters changed since it was stored"
    return f"it was stored with {was}, this challenge has {now}"


def scalers_for(level: Level, start_by_kind: dict[str, float] | None = None) -> list[DifficultyScaler]:
    """The level's scalers (see ``resume_scalers``), each starting at the stored difficulty of its kind if given."""
    stored = {kind: StoredScaler(difficulty) for kind, difficulty in (start_by_kind or {}).items()}
    return resume_scalers(level, stored).scalers
