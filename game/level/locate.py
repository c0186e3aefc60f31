"""Map a field path (as pydantic reports it) to a line and column of the TOML source.

tomllib gives values, not positions, so this reads the text once and records where each
table header and key starts. It understands table headers, arrays of tables, dotted keys
and one-line inline tables: everything the shipped levels and the starter files use.
"""

from __future__ import annotations

import re

Loc = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^(\s*)((?:[A-Za-z0-9_-]+|"[^"]*")(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"))*)\s*=')
_INLINE_KEY = re.compile(r'([{,]\s*)([A-Za-z0-9_-]+)\s*=')


def _split_dotted(text: str) -> list[str]:
    return [part.strip().strip('"') for part in text.split(".")]


def index_positions(source: str) -> dict[Loc, tuple[int, int]]:
    """Return {field path: (line, column)} for every header and key found (1-based)."""
    positions: dict[Loc, tuple[int, int]] = {}
    array_counts: dict[Loc, int] = {}
    table: list[str | int] = []
    for line_no, line in enumerate(source.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            keys = _split_dotted(header.group(2))
            path: list[str | int] = []
            for key in keys:
                path.append(key)
                count = array_counts.get(tuple(path))
                if count is not None and key != keys[-1]:
                    path.append(count - 1)
            if header.group(1) == "[[":
                base = tuple(path)
                array_counts[base] = array_counts.get(base, 0) + 1
                path.append(array_counts[base] - 1)
            table = path
            positions.setdefault(tuple(table), (line_no, line.index("[") + 1))
            continue
        key_match = _KEY.match(line)
        if not key_match:
            continue
        full = tuple(table) + tuple(_split_dotted(key_match.group(2)))
        positions.setdefault(full, (line_no, len(key_match.group(1)) + 1))
        rest_start = key_match.end()
        for inline in _INLINE_KEY.finditer(line, rest_start):
            positions.setdefault(full + (inline.group(2),), (line_no, inline.start(2) + 1))
    return positions


def locate(positions: dict[Loc, tuple[int, int]], loc: Loc) -> tuple[int, int]:
    """The position of the longest known prefix of ``loc`` (the file's start if none)."""
    for end in range(len(loc), 0, -1):
        found = positions.get(tuple(loc[:end]))
        if found:
            return found
    return (1, 1)
