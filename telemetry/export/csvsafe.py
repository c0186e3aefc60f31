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

#: Characters that make ``csv.writer`` quote a cell (its delimiter, quote character and line terminator).
_QUOTED = (",", '"', "\r", "\n")


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


def csv_text(text: str) -> str:
    """A text cell as CSV writes it: neutralized, then quoted as ``csv.writer`` quotes (when it holds a comma, a
    double quote or a line break, with its double quotes doubled)."""
    text = neutralize(text)
    if any(c in text for c in _QUOTED):
        return '"' + text.replace('"', '""') + '"'
    return text
