"""Method names, the factory, and resuming from a saved state: one entry point for every method."""

from __future__ import annotations

import difflib
import math
from typing import Any

from game.difficulty.base import STATE_FORMAT, DifficultyScaler, ScalerBase
from game.difficulty.bayes import BayesDriftScaler
from game.difficulty.errors import DifficultyConfigError
from game.difficulty.fixed import FixedDifficulty
from game.difficulty.levitt import LevittStaircase
from game.difficulty.quest import QuestScaler
from game.difficulty.staircase import WeightedStaircase
from game.vocabulary import DEFAULT_METHOD as DEFAULT_METHOD  # with the command line's names (light for `--help`)

#: Every method by the name ``create_scaler`` and ``state()["method"]`` use (listed, for the command line's
#: help, as ``game.vocabulary.DIFFICULTY_METHODS``; ``DEFAULT_METHOD``, why ``bayes``, is there too).
METHODS: dict[str, type[ScalerBase]] = {
    cls.method: cls for cls in (WeightedStaircase, QuestScaler, LevittStaircase, FixedDifficulty, BayesDriftScaler)
}

#: Largest gap between the saved difficulty and the replayed one that counts as the same
#: (replay is bit-exact on one machine; this only absorbs last-digit libm differences).
REPLAY_TOLERANCE = 1e-9


def _method_class(method: Any) -> type[ScalerBase]:
    """Look a method name up, suggesting the closest name when it is misspelt."""
    if isinstance(method, str) and method in METHODS:
        return METHODS[method]
    known = ", ".join(sorted(METHODS))
    close = difflib.get_close_matches(str(method), list(METHODS), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise DifficultyConfigError(f"unknown difficulty method {method!r}", remedy=f"{hint}known methods: {known}")


def create_scaler(
    *, target: float, start: float, floor: float, ceiling: float, method: str = DEFAULT_METHOD
) -> DifficultyScaler:
    """Build a scaler with the method's default parameters; raises DifficultyConfigError on bad settings."""
    return _method_class(method)(target=target, start=start, floor=floor, ceiling=ceiling)


def restore_scaler(state: dict[str, Any]) -> DifficultyScaler:
    """Rebuild a scaler from ``state()`` by replaying its outcomes, so future decisions match exactly."""
    if not isinstance(state, dict):
        raise DifficultyConfigError(
            f"scaler state must be a dict, got {type(state).__name__}", remedy="pass the dict that state() returned"
        )
    if state.get("format") != STATE_FORMAT:
        raise DifficultyConfigError(
            f"scaler state format {state.get('format')!r} is not supported (expected {STATE_FORMAT})",
            remedy="start a new scaler; this state was written by another version",
        )
    missing = [key for key in ("method", "params", "outcomes", "trials", "difficulty") if key not in state]
    if missing:
        raise DifficultyConfigError(
            f"scaler state lacks {', '.join(missing)}", remedy="pass the complete dict that state() returned"
        )
    cls = _method_class(state["method"])
    params, outcomes = state["params"], state["outcomes"]
    if not isinstance(params, dict) or not isinstance(outcomes, list):
        raise DifficultyConfigError(
            "scaler state needs a 'params' dict and an 'outcomes' list",
            remedy="pass the dict that state() returned, unchanged",
        )
    try:
        scaler = cls(**params)
    except TypeError as exc:
        raise DifficultyConfigError(
            f"scaler state has parameters {cls.method!r} does not take: {exc}",
            remedy="start a new scaler; this state was written by another version",
        ) from exc
    if isinstance(scaler, BayesDriftScaler):
        scaler.replay(state)  # the history is the levels actually played, not the band's decisions
    else:
        for outcome in outcomes:
            scaler.record(outcome)
    saved = state["difficulty"]
    if (
        state["trials"] != scaler.trials
        or not isinstance(saved, (int, float))
        or not math.isfinite(saved)
        or abs(scaler.difficulty - saved) > REPLAY_TOLERANCE
    ):
        raise DifficultyConfigError(
            f"scaler state does not replay: saved difficulty {saved!r} after {state['trials']!r} trials,"
            f" replay gives {scaler.difficulty!r} after {scaler.trials}",
            remedy="the state was edited or written by an incompatible version; start a new scaler",
        )
    return scaler



def rebind(
    state: dict[str, Any], *, target: float | None = None, floor: float | None = None, ceiling: float | None = None
) -> dict[str, Any]:
    """Return ``state`` moved to a new target and/or band with its whole history kept (``bayes`` only).

    The session layer calls this when a stored scaler meets a changed band (a clinician's new
    limits, another level): ``restore_scaler(rebind(state, target=..., floor=..., ceiling=...))``.
    Methods whose history is tied to their band (the staircases, ``quest``) refuse with a
    DifficultyConfigError: start a new scaler at the stored difficulty for them.
    """
    scaler = restore_scaler(state)
    if not isinstance(scaler, BayesDriftScaler):
        raise DifficultyConfigError(
            f"method {state.get('method')!r} cannot keep its history under a new band",
            remedy="start a new scaler at the stored difficulty, or use method 'bayes', whose history is band-free",
        )
    scaler.rebind(target=target, floor=floor, ceiling=ceiling)
    return scaler.state()
