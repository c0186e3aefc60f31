"""Whatever bytes an author saves, the loader answers with a level or positioned problems."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.errors import LevelError
from game.level.loader import load_level, shipped_levels

SOURCES = [p.read_text() for p in shipped_levels()]
POSITIONED = re.compile(r"^.+:\d+:\d+: ")
FOLDER = Path(tempfile.mkdtemp(prefix="proprio-fuzz-"))


def attempt(content: bytes) -> None:
    path = FOLDER / "fuzz.toml"
    path.write_bytes(content)
    try:
        load_level(path)
    except LevelError as exc:
        lines = exc.problems or [exc.message]
        for line in lines:
            assert POSITIONED.match(line), f"a rejection without a position: {line!r}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(content):
    attempt(content)


def _mutate(source: str, data) -> str:
    lines = source.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "value", "key", "junk", "swap"]))
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "value" and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            value = data.draw(st.sampled_from(["-1", "0", "1e9", "nan", "inf", '"text"', "[]", "{}", "true",
                                               "0.0000001", "[1, 2]", "\"\"", "-0.5", "2.5", "[[1]]"]))
            lines[i] = f"{key}= {value}"
        elif action == "key" and "=" in lines[i]:
            value = lines[i].split("=", 1)[1]
            key = data.draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_.", min_size=1, max_size=12))
            lines[i] = f"{key.strip('.') or 'k'} ={value}"
        elif action == "junk":
            lines.insert(i, data.draw(st.text(max_size=30)))
        elif action == "swap" and len(lines) > 1:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SOURCES), st.data())
def test_mutated_levels_are_loaded_or_rejected_with_positions(source, data):
    attempt(_mutate(source, data).encode("utf-8", "surrogatepass"))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(SOURCES), st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=2, max_size=10))
def test_an_unknown_top_level_key_is_named_at_its_line(source, key):
    from game.level.model import Level

    if key in Level.model_fields:
        return
    text = source.replace("schema_version = 1\n", f"schema_version = 1\n{key} = 1\n", 1)
    path = FOLDER / "unknown.toml"
    path.write_text(text)
    try:
        load_level(path)
    except LevelError as exc:
        line = text.splitlines().index(f"{key} = 1") + 1
        assert any(p.startswith(f"{path}:{line}:1: {key}: unknown key '{key}'") for p in exc.problems), exc.problems
    else:
        raise AssertionError("an unknown key was accepted")
