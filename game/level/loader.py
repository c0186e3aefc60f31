"""Load level and playlist files: all-or-nothing, every problem reported with its position."""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from game.errors import LevelError
from game.level.locate import Loc, index_positions, locate
from game.level.model import Level, Playlist
from game.paths import levels_dir

MAX_FILE_BYTES = 1_000_000
LEVEL_SUFFIX = ".toml"
PLAYLIST_SUFFIX = ".playlist.toml"
DEFAULT_PLAYLIST = "default"


@dataclass(frozen=True)
class LoadedLevel:
    """A validated level with where it came from (the hash goes on the session row)."""

    level: Level
    path: Path
    name: str
    sha256: str


def level_name(path: Path) -> str:
    """A level's short name: its file name without the .toml suffix."""
    return path.name[: -len(LEVEL_SUFFIX)] if path.name.endswith(LEVEL_SUFFIX) else path.stem


def shipped_levels() -> list[Path]:
    """Every shipped level file (playlists excluded), sorted by name."""
    return sorted(p for p in levels_dir().glob(f"*{LEVEL_SUFFIX}") if not p.name.endswith(PLAYLIST_SUFFIX))


def resolve_level(spec: str) -> Path:
    """Turn a path or a shipped level's name into a file path, or explain what exists."""
    candidate = Path(spec).expanduser()
    if candidate.suffix == ".toml" or candidate.exists() or "/" in spec or "\\" in spec:
        if not candidate.is_file():
            raise LevelError(f"{spec}: no such level file", remedy=_available_hint())
        return candidate
    shipped = levels_dir() / f"{spec}{LEVEL_SUFFIX}"
    if shipped.is_file():
        return shipped
    playlist = levels_dir() / f"{spec}{PLAYLIST_SUFFIX}"
    if playlist.is_file():
        return playlist
    names = [level_name(p) for p in shipped_levels()]
    close = difflib.get_close_matches(spec, names, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise LevelError(f"no level named '{spec}'", remedy=hint + _available_hint())


def _available_hint() -> str:
    names = ", ".join(level_name(p) for p in shipped_levels())
    return f"Shipped levels: {names}. A path to a .toml file works too."


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LevelError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise LevelError(f"{path}:1:1: file is {len(data)} bytes; a level file may be at most {MAX_FILE_BYTES}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LevelError(f"{path}:{line}:{col}: the file is not UTF-8 text (is it a level file?)") from None
    if not text.strip():
        raise LevelError(f"{path}:1:1: the file is empty", remedy="Start from 'proprio levels new NAME'.")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"{match.group(1)}:{match.group(2)}" if match else "1:1"
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message).strip() or "invalid TOML"
        raise LevelError(f"{path}:{where}: TOML syntax error: {reason}") from None


def _model_fields_at(model: type[BaseModel], loc: Loc) -> tuple[list[str], Loc]:
    """Follow ``loc`` through the model classes; return the known field names and the TOML path.

    Pydantic puts the discriminator tag of a tagged union into ``loc``; the file has no such
    level, so it is dropped from the path used to find the position.
    """
    current: object = model
    toml_path: list[str | int] = []
    items = list(loc)
    while items:
        part = items.pop(0)
        annotation = current
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part) if isinstance(part, str) else None
            toml_path.append(part)
            if field is None:
                return list(annotation.model_fields), tuple(toml_path)
            current = field.annotation
            continue
        args = [a for a in typing.get_args(annotation) if a is not type(None) and a is not Ellipsis]
        if isinstance(part, int):
            toml_path.append(part)
            current = args[0] if args else None
            continue
        tagged = [
            a for a in args if isinstance(a, type) and issubclass(a, BaseModel) and "kind" in a.model_fields
            and part in typing.get_args(a.model_fields["kind"].annotation)
        ]
        if tagged:
            current = tagged[0]
            continue
        toml_path.append(part)
        current = None
    fields = list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []
    return fields, tuple(toml_path)


def validation_problems(path: Path, text: str, error: ValidationError, model: type[BaseModel]) -> list[str]:
    """Every validation error as ``FILE:LINE:COL: field.path: message``, sorted by position."""
    positions = index_positions(text)
    problems: list[tuple[tuple[int, int], str]] = []
    errors = error.errors(include_url=False)
    item_locs = [tuple(e["loc"]) for e in errors]
    for item in errors:
        loc = tuple(item["loc"])
        if item["type"] == "too_short" and any(len(o) > len(loc) and o[: len(loc)] == loc for o in item_locs):
            continue  # "too few items" only because an item failed: that item's error says it all
        siblings, toml_path = _model_fields_at(model, loc)
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            unknown = str(toml_path[-1]) if toml_path else ""
            parent_fields, _ = _model_fields_at(model, loc[:-1])
            close = difflib.get_close_matches(unknown, parent_fields, n=1, cutoff=0.6)
            message = f"unknown key '{unknown}'" + (f"; did you mean '{close[0]}'?" if close else "")
            if parent_fields:
                message += f" (allowed: {', '.join(parent_fields)})"
        elif item["type"] == "missing":
            message = "required field is missing"
        elif message.startswith("Value error, "):
            message = message[len("Value error, "):]
        line, col = locate(positions, toml_path)
        dotted = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in toml_path).replace(".[", "[")
        problems.append(((line, col), f"{path}:{line}:{col}: {dotted or '(file)'}: {message}"))
    return [text for _, text in sorted(problems, key=lambda p: p[0])]


def load_level(spec: str | Path) -> LoadedLevel:
    """Load and validate one level file (a path or a shipped name); raise LevelError with every problem."""
    path = resolve_level(str(spec)) if not isinstance(spec, Path) else spec
    if path.name.endswith(PLAYLIST_SUFFIX):
        raise LevelError(
            f"{path}: this is a playlist, not a level", remedy="Use load_plan() or pass it to 'proprio play'."
        )
    raw, text = _read_toml(path)
    try:
        level = Level.model_validate(raw)
    except ValidationError as exc:
        problems = validation_problems(path, text, exc, Level)
        raise LevelError(f"{path}: {len(problems)} problem(s) in this level file", problems) from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return LoadedLevel(level=level, path=path, name=level_name(path), sha256=digest)


def load_plan(spec: str | None) -> list[LoadedLevel]:
    """Load a level or a playlist into the ordered list of levels to play; all must be valid."""
    path = resolve_level(spec or DEFAULT_PLAYLIST)
    if not path.name.endswith(PLAYLIST_SUFFIX):
        return [load_level(path)]
    raw, text = _read_toml(path)
    try:
        playlist = Playlist.model_validate(raw)
    except ValidationError as exc:
        problems = validation_problems(path, text, exc, Playlist)
        raise LevelError(f"{path}: {len(problems)} problem(s) in this playlist", problems) from None
    levels: list[LoadedLevel] = []
    problems = []
    for entry in playlist.levels:
        relative = path.parent / entry
        target: str | Path = relative if relative.is_file() else entry
        try:
            levels.append(load_level(target))
        except LevelError as exc:
            problems.append(exc.message)
            problems.extend(exc.problems)
    if problems:
        raise LevelError(f"{path}: playlist '{playlist.title}' has levels that do not load", problems)
    return levels
