"""Load assessment protocol files with every problem reported at its line and column, as levels are."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from game.assess.model import Protocol
from game.errors import LevelError
from game.level.loader import read_toml_file, validation_problems
from game.paths import levels_dir

SUFFIX = ".toml"


class ProtocolError(LevelError):
    """A protocol file that cannot be loaded; ``problems`` lists every error with its position."""


@dataclass(frozen=True)
class LoadedProtocol:
    """A validated protocol with where it came from (name and hash go on the assessment row)."""

    protocol: Protocol
    path: Path
    name: str
    sha256: str


def assessments_dir() -> Path:
    """The folder of shipped protocols."""
    return levels_dir() / "assessments"


def shipped_protocols() -> list[Path]:
    """Every shipped protocol file, sorted by name."""
    return sorted(assessments_dir().glob(f"*{SUFFIX}"))


def resolve_protocol(spec: str) -> Path:
    """A path, or a shipped protocol's name, to a file path; else an error naming what exists."""
    candidate = Path(spec).expanduser()
    if candidate.suffix == SUFFIX or "/" in spec or "\\" in spec:
        if not candidate.exists():
            raise ProtocolError(f"{spec}: no such protocol file", remedy=_available())
        return candidate
    shipped = assessments_dir() / f"{spec}{SUFFIX}"
    if shipped.is_file():
        return shipped
    names = [p.stem for p in shipped_protocols()]
    close = difflib.get_close_matches(spec, names, n=1)
    raise ProtocolError(f"no assessment protocol named '{spec}'",
                        remedy=(f"did you mean '{close[0]}'? " if close else "") + _available())


def _available() -> str:
    return f"Shipped protocols: {', '.join(p.stem for p in shipped_protocols())}. A path to a .toml file works too."


def _read(path: Path) -> tuple[dict[str, Any], str]:
    return read_toml_file(path, "protocol", ProtocolError,
                          empty_remedy="Copy a shipped protocol from levels/assessments/ and change it.")


def load_protocol(spec: str | Path) -> LoadedProtocol:
    """Load and validate one protocol (a path or a shipped name); raise ProtocolError listing every problem."""
    path = spec if isinstance(spec, Path) else resolve_protocol(spec)
    raw, text = _read(path)
    try:
        protocol = Protocol.model_validate(raw)
    except ValidationError as exc:
        problems = validation_problems(path, text, exc, Protocol)
        raise ProtocolError(f"{path}: {len(problems)} problem(s) in this protocol file", problems) from None
    name = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem
    return LoadedProtocol(protocol, path, name, hashlib.sha256(text.encode("utf-8")).hexdigest())
