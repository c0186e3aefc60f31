"""Spreadsheet-safe text cells: no exported value can run as a formula (CSV injection).

A text cell that a spreadsheet could read as a formula or a command, one starting with
``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed (or their full-width
forms ``＝ ＋ － ＠``), is written with a leading apostrophe, the prefix spreadsheets
show as "this is text" (OWASP, "CSV Injection"). A text cell that already starts with an
apostrophe gets one too, so ``restore`` can undo the prefix exactly. Numbers are never
touched: only text cells are neutralized, so -0.25 stays the number -0.25.
"""

from __future__ import annotations

from typing import Any

#: The prefix that marks a neutralized text cell.
PREFIX = "'"

#: First characters that make a text cell dangerous (plus the prefix itself, for an exact round trip).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠", PREFIX)


def neutralize(value: Any) -> Any:
    """The value as it is safe to write in a spreadsheet cell (only text can change)."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return PREFIX + value
    return value


def restore(text: str) -> str:
    """Undo ``neutralize`` on a text cell read back from an export."""
    if text.startswith(PREFIX) and text[1:].startswith(TRIGGERS):
        return text[1:]
    return text


def sql_neutralized(column_sql: str) -> str:
    """A SQL expression that neutralizes ``column_sql`` inside SQLite (fast: no Python per cell)."""
    chars = ", ".join(_sql_char(c) for c in TRIGGERS)
    return (
        f"CASE WHEN typeof({column_sql}) = 'text' AND substr({column_sql}, 1, 1) IN ({chars}) "
        f"THEN '{_sql_escape(PREFIX)}' || {column_sql} ELSE {column_sql} END"
    )


def _sql_char(char: str) -> str:
    if char.isprintable() and char != "'":
        return f"'{char}'"
    return f"char({ord(char)})"


def _sql_escape(text: str) -> str:
    return text.replace("'", "''")
