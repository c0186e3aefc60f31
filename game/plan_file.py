"""A prescription as a small TOML file: what ``proprio plan set --file`` reads and ``plan show --format toml`` writes.

    # Proprio plan: kid-07's home programme
    schema_version = 1
    sessions_per_week = 3
    minutes_per_session = 15
    weeks = 6
    start = 2026-05-04                     # a TOML date; left out: the day it is set
    levels = ["garden-balance", "space-reach"]   # or: playlist = "kids-adventure"; neither: any level
    prescribed_by = "PT"
    notes = "Knee: no single-leg work yet."

A mistake gets ``FILE:LINE:COL: key: what is wrong`` for every problem at once, as level files do
(``game/level/loader.py``); the values' own limits (1-21 sessions a week, 1-104 weeks, minutes
above 0 and at most 180) are checked here and again where the plan is stored
(``telemetry.store.clinic.set_plan``). Level and playlist names are checked against what ships
by the command that stores the plan.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from game.errors import FileProblemsError


class PlanFileError(FileProblemsError):
    """A plan file that cannot be read; ``problems`` lists every error found, each with its position."""


class PlanFile(BaseModel):
    """One prescription: how often, how long, for how many weeks, from when, and what to play."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1
    sessions_per_week: int = Field(ge=1, le=21, strict=True)
    minutes_per_session: float = Field(gt=0, le=180)
    weeks: int = Field(ge=1, le=104, strict=True)
    start: date | None = None
    levels: tuple[str, ...] = ()
    playlist: str | None = None
    prescribed_by: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=20_000)

    @model_validator(mode="after")
    def _levels_or_playlist(self) -> PlanFile:
        if self.levels and self.playlist:
            raise ValueError("give levels or one playlist, not both")
        return self


def load_plan_file(path: Path) -> PlanFile:
    """Read and check a plan file; raise :class:`PlanFileError` naming every problem and where it is."""
    from game.level.loader import read_toml_file, validation_problems  # read and positioned as level files are

    raw, text = read_toml_file(Path(path), "plan", PlanFileError,
                               empty_remedy="See 'proprio plan set --help' for a plan file that works.")

    try:
        return PlanFile.model_validate(raw)
    except ValidationError as exc:
        problems = validation_problems(path, text, exc, PlanFile)
        raise PlanFileError(f"{path}: {len(problems)} problem(s) in the plan file", problems,
                            remedy="See 'proprio plan set --help' for a plan file that works.") from None


def plan_toml(row: dict[str, Any], player: str) -> str:
    """A stored plan (a ``prescriptions`` row) as the TOML that ``load_plan_file`` reads back to the same plan."""

    def text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string

    lines = [f"# Proprio plan of {player}, set {str(row.get('created_at') or '')[:10]}", "schema_version = 1",
             f"sessions_per_week = {int(row['sessions_per_week'])}",
             f"minutes_per_session = {float(row['minutes_per_session'])!r}", f"weeks = {int(row['weeks'])}",
             f"start = {row['start_date']}"]
    if row.get("levels"):
        lines.append("levels = [" + ", ".join(text(name) for name in str(row["levels"]).split(",")) + "]")
    if row.get("playlist"):
        lines.append(f"playlist = {text(str(row['playlist']))}")
    if row.get("set_by"):
        lines.append(f"prescribed_by = {text(str(row['set_by']))}")
    if row.get("notes"):
        lines.append(f"notes = {text(str(row['notes']))}")
    return "\n".join(lines) + "\n"
