"""Checking many level files at once and describing levels (for ``proprio levels``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from game.errors import LevelError
from game.level.loader import LEVEL_SUFFIX, PLAYLIST_SUFFIX, LoadedLevel, load_level, load_plan
from game.level.model import ChallengeKind, Level, Playlist, Theme


@dataclass(frozen=True)
class CheckResult:
    """One file checked: its problems (empty when valid)."""

    path: Path
    problems: list[str]

    @property
    def ok(self) -> bool:
        """True when the file is valid."""
        return not self.problems


def level_files(paths: list[Path]) -> list[Path]:
    """Files named, plus every *.toml below each folder named (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(f"*{LEVEL_SUFFIX}") if p.is_file()))
        else:
            found.append(path)
    return found


def check_file(path: Path) -> CheckResult:
    """Validate one level, playlist or assessment protocol file; every problem, never an exception."""
    if path.parent.name == "assessments":  # levels/assessments/*.toml are protocols (game/assess)
        from game.assess.loader import load_protocol

        try:
            load_protocol(path)
        except LevelError as exc:
            return CheckResult(path, exc.problems or [exc.message])
        return CheckResult(path, [])
    try:
        if path.name.endswith(PLAYLIST_SUFFIX):
            load_plan(str(path))
        else:
            load_level(path)
    except LevelError as exc:
        return CheckResult(path, exc.problems or [exc.message])
    return CheckResult(path, [])


def estimated_max_s(level: Level) -> float:
    """An upper bound on a level's length: every trial running to its timeout, plus intros and rests."""
    total = 0.0
    for challenge in level.challenges:
        trials = challenge.trials
        total += level.intro_s + trials * (challenge.timeout_s + 1.0)
    total += level.rest_s * (len(level.challenges) - 1)
    return min(total, level.duration_s) if level.duration_s else total


class LevelSummary(TypedDict):
    """One level as ``levels list`` shows it (a plain, JSON-ready dict)."""

    name: str
    title: str
    kinds: list[ChallengeKind]
    players: list[str]
    theme: Theme
    challenges: int
    trials: int
    max_duration_s: float
    path: str


def describe(loaded: LoadedLevel) -> LevelSummary:
    """A level as a plain dict for ``levels list``."""
    level = loaded.level
    return {
        "name": loaded.name,
        "title": level.title,
        "kinds": sorted({c.kind for c in level.challenges}),
        "players": list(level.players),
        "theme": level.theme,
        "challenges": len(level.challenges),
        "trials": sum(c.trials for c in level.challenges),
        "max_duration_s": round(estimated_max_s(level), 1),
        "path": str(loaded.path),
    }


def json_schema(kind: str = "level") -> str:
    """The JSON Schema of level (or playlist) files, for editors."""
    model = Level if kind == "level" else Playlist
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Proprio level" if kind == "level" else "Proprio playlist"
    return json.dumps(schema, indent=2, sort_keys=True)
