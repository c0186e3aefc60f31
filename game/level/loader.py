"""Load level and playlist files: all-or-nothing, every problem reported with its position."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from game.errors import FileProblemsError, LevelError
from game.level.locate import Loc, index_positions, locate
from game.level.model import Level, Playlist
from game.paths import levels_dir

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32  # arrays and inline tables nested deeper than this are refused (tomllib recurses on them)
MAX_NUMBER_DIGITS = 64  # a longer run of digits is no level value (and int() refuses past 4,300 digits)
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
        if not candidate.exists():  # a FIFO or a device exists: reading it says what it is, without blocking
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


def _kind_of(mode: int) -> str:
    """What a non-regular file is, in words a person knows."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_level_bytes(path: Path, kind: str = "level") -> bytes:
    """The bytes of a regular file of at most ``MAX_FILE_BYTES``: a FIFO, a device or a huge file never hangs us.

    Opened without blocking (a FIFO with no writer would wait for ever), checked with ``fstat``
    on the very file opened, and read with a cap (``/dev/zero`` never ends).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise LevelError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LevelError(f"{path}:1:1: {_kind_of(info.st_mode)}, not a {kind} file",
                             remedy="Name a regular .toml file.")
        if info.st_size > MAX_FILE_BYTES:
            raise LevelError(f"{path}:1:1: file is {info.st_size} bytes; a {kind} file may be at most {MAX_FILE_BYTES}")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise LevelError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_FILE_BYTES:  # it grew while we read it
        raise LevelError(f"{path}:1:1: file is over {MAX_FILE_BYTES} bytes; a {kind} file may be at most"
                         f" {MAX_FILE_BYTES}")
    return data


def _skip_string(text: str, start: int) -> int:
    """Index just past the TOML string that opens at ``start`` (or the end of the line/file if unterminated)."""
    quote_char = text[start]
    quote = quote_char * 3 if text.startswith(quote_char * 3, start) else quote_char
    i, end = start + len(quote), len(text)
    while i < end:
        char = text[i]
        if quote_char == '"' and char == "\\":
            i += 2
            continue
        if text.startswith(quote, i):
            i += len(quote)
            extra = 0  # a multi-line string may end with one or two quotes of its own: '''a'''''
            while len(quote) == 3 and extra < 2 and i < end and text[i] == quote_char:
                i, extra = i + 1, extra + 1
            return i
        if len(quote) == 1 and char == "\n":
            return i
        i += 1
    return end


def bounds_problem(text: str) -> tuple[int, int, str] | None:
    """(line, column, why) of the first array/inline table nested past ``MAX_DEPTH`` or over-long number, or None.

    A linear scan outside strings and comments, run before tomllib (which recurses on nesting
    and refuses integers over 4,300 digits with an exception that has no position).
    """
    depth, line, line_start, i, end = 0, 1, 0, 0, len(text)
    while i < end:
        char = text[i]
        if char == "\n":
            line, line_start, i = line + 1, i + 1, i + 1
        elif char == "#":
            newline = text.find("\n", i)
            i = end if newline < 0 else newline
        elif char in "\"'":
            after = _skip_string(text, i)
            newlines = text.count("\n", i, after)
            if newlines:
                line, line_start = line + newlines, text.rfind("\n", i, after) + 1
            i = after
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, i - line_start + 1, f"nested deeper than {MAX_DEPTH} arrays or inline tables"
            i += 1
        elif char in "]}":
            depth = max(0, depth - 1)
            i += 1
        elif char.isdigit():
            run = i
            while run < end and (text[run].isdigit() or text[run] == "_"):
                run += 1
            digits = run - i
            if digits > MAX_NUMBER_DIGITS:
                return line, i - line_start + 1, f"a number of {digits} digits; at most {MAX_NUMBER_DIGITS}"
            i = run
        else:
            i += 1
    return None


def _deepest(data: dict[str, Any]) -> int:
    """How deeply tables and arrays nest in parsed data (dotted keys nest without brackets), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]  # the file itself is level 0
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    return read_toml_file(path, "level", LevelError, empty_remedy="Start from 'proprio levels new NAME'.")


def read_toml_file(path: Path, kind: str, error: type[FileProblemsError],
                   empty_remedy: str | None = None) -> tuple[dict[str, Any], str]:
    """A small TOML file of ``kind`` ("level", "protocol", "plan") as data and text; ``error`` with a position if not.

    Level, protocol and plan files are read alike: a regular file of bounded size (never a FIFO or
    a device), UTF-8, no absurd nesting, TOML syntax errors at their line and column.
    """
    data = read_level_bytes(path, kind)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(f"{path}:{line}:{col}: the file is not UTF-8 text (is it a {kind} file?)") from None
    if not text.strip():
        raise error(f"{path}:1:1: the file is empty", remedy=empty_remedy)
    problem = bounds_problem(text)
    if problem is not None:
        line, col, why = problem
        raise error(f"{path}:{line}:{col}: {why}: no {kind} file needs that", remedy=f"Is it a {kind} file?")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"{match.group(1)}:{match.group(2)}" if match else "1:1"
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message).strip() or "invalid TOML"
        raise error(f"{path}:{where}: TOML syntax error: {reason}") from None
    except (RecursionError, ValueError, MemoryError) as exc:  # whatever the scan above did not foresee
        raise error(f"{path}:1:1: the file cannot be read as TOML ({type(exc).__name__}: {str(exc)[:80]})",
                    remedy=f"Is it a {kind} file?") from None
    if _deepest(raw) > MAX_DEPTH:
        raise error(f"{path}:1:1: keys nested deeper than {MAX_DEPTH} tables: no {kind} file needs that",
                    remedy=f"Is it a {kind} file?")
    return raw, text


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


def _choice_message(item: Any) -> str:
    """A wrong choice said with what was written, the nearest allowed value and every allowed value."""
    ctx = item.get("ctx") or {}
    allowed = re.findall(r"'([^']*)'", str(ctx.get("expected_tags") or ctx.get("expected") or ""))
    written = ctx.get("tag", item.get("input"))
    if not allowed or not isinstance(written, str):
        return str(item["msg"])
    close = difflib.get_close_matches(written, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"'{written[:40]}' is not one of the choices{hint} (allowed: {', '.join(allowed)})"


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
        elif item["type"] in ("literal_error", "enum", "union_tag_invalid"):
            message = _choice_message(item)
            tag_key = str((item.get("ctx") or {}).get("discriminator", "")).strip("'")
            if item["type"] == "union_tag_invalid" and tag_key:
                toml_path = (*toml_path, tag_key)  # point at the line that names the kind
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
